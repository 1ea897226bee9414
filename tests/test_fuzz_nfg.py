"""Fuzzing the Gambit ``.nfg`` reader: only the project's errors escape; writing round-trips.

Complements the character-level fuzz in ``tests/test_nfg.py`` with token streams, token-level
mutations of written games, random bytes and truncations. Derandomized (the examples are a
function of the test), so CI runs the same cases every time.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import any_player_games, float_games, fraction_games
from test_nfg import assert_parses_or_reports

from sim.game import Game
from sim.nfg import format_nfg, parse_nfg

FUZZ = settings(
    derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

TOKENS = st.sampled_from(
    [
        "NFG",
        "1",
        "R",
        "D",
        "{",
        "}",
        ",",
        '""',
        '"A"',
        '"B"',
        '"\\""',
        '"',
        "\\",
        "0",
        "-1",
        "2/3",
        "1/0",
        "0/0",
        ".5",
        "2.",
        "1e3",
        "1e400",
        "1e-999",
        "+1",
        "-",
        ".",
        "nan",
        "inf",
        "\x00",
        "\ufeff",
        "é",
        "１",
        "9" * 400,
        "EFG",
        "\n",
        "\r\n",
        "\t",
    ]
)
PREFIXES = st.sampled_from(
    ["", 'NFG 1 R "" ', 'NFG 1 R "" { "A" "B" } ', 'NFG 1 D "" { "A" "B" } { 2 2 } ']
)


@settings(FUZZ, max_examples=300)
@given(PREFIXES, st.lists(TOKENS, max_size=40), st.sampled_from([" ", "", "\n"]))
def test_random_token_streams_raise_only_project_errors(prefix, tokens, separator):
    assert_parses_or_reports(prefix + separator.join(tokens))


def split_tokens(text: str) -> list[str]:
    """Whitespace-separated pieces of a written file (strings in it have no spaces)."""
    return text.split()


SMALL_GAMES = st.one_of(
    fraction_games(max_moves=3), float_games(max_moves=3), any_player_games(max_players=3)
)


@st.composite
def token_mutations(draw: st.DrawFn) -> str:
    game = draw(SMALL_GAMES)
    pieces = split_tokens(format_nfg(game))
    for _ in range(draw(st.integers(1, 3))):
        if not pieces:
            break
        k = draw(st.integers(0, len(pieces) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "truncate"]))
        if action == "delete":
            del pieces[k]
        elif action == "duplicate":
            pieces.insert(k, pieces[k])
        elif action == "swap":
            j = draw(st.integers(0, len(pieces) - 1))
            pieces[k], pieces[j] = pieces[j], pieces[k]
        elif action == "replace":
            pieces[k] = draw(TOKENS)
        else:
            pieces = pieces[:k]
    return " ".join(pieces)


@settings(FUZZ, max_examples=300)
@given(token_mutations())
def test_token_mutations_of_written_games_raise_only_project_errors(text):
    assert_parses_or_reports(text)


@settings(FUZZ, max_examples=200)
@given(SMALL_GAMES, st.data())
def test_random_bytes_and_truncations_raise_only_project_errors(game, data):
    raw = bytearray(format_nfg(game).encode())
    cut = data.draw(st.integers(0, len(raw)))
    for _ in range(data.draw(st.integers(0, 4))):
        where = data.draw(st.integers(0, len(raw)))
        raw[where:where] = data.draw(st.binary(min_size=1, max_size=3))
    text = bytes(raw[: max(cut, len(raw) // 2)]).decode("utf-8", errors="replace")
    assert_parses_or_reports(text)


@settings(FUZZ, max_examples=150)
@given(st.one_of(fraction_games(max_moves=4), any_player_games(max_players=3)))
def test_exact_games_round_trip(game):
    back = parse_nfg(format_nfg(game))
    assert back.is_exact
    assert (back.players, back.moves, back.title) == (game.players, game.moves, game.title)
    assert back.payoffs.tolist() == game.payoffs.tolist()
    assert all(isinstance(v, Fraction) for v in back.payoffs.flat)


MAGNITUDES = st.floats(
    min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True
)


@settings(FUZZ, max_examples=150)
@given(float_games(max_moves=4))
def test_float_games_round_trip_to_the_same_floats(game):
    back = parse_nfg(format_nfg(game))
    assert back.is_exact  # the reader is exact; the writer's decimals convert back
    assert back.float_payoffs().tolist() == game.float_payoffs().tolist()


@settings(FUZZ, max_examples=100)
@given(st.lists(MAGNITUDES, min_size=8, max_size=8))
def test_extreme_floats_round_trip(values):
    array = np.array(values, dtype=np.float64).reshape(2, 2, 2)
    game = Game.from_payoffs(array)
    back = parse_nfg(format_nfg(game))
    assert back.float_payoffs().tolist() == game.float_payoffs().tolist()
