"""Agreement with Gambit: the set of extreme equilibria equals pygambit's ``enummixed``.

pygambit (GPL, a dev-only dependency) is the oracle; ``sim`` never imports it. Without it
these tests are skipped, unless ``SIM_REQUIRE_ORACLE=1`` (set in CI) makes a missing oracle
an error. Gambit may list an equilibrium twice, so results are compared as sets of exact
``Fraction`` strategy pairs.
"""

from __future__ import annotations

import os
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    bimatrix_games,
    dyadic_float_games,
    fraction_games,
    integer_games,
    n_player_games,
    tie_heavy_games,
)

from sim.game import Game
from sim.solvers import solve

if os.environ.get("SIM_REQUIRE_ORACLE") == "1":
    try:
        import pygambit
    except ImportError as err:  # CI must never skip the oracle silently
        raise ImportError(
            "SIM_REQUIRE_ORACLE=1 but pygambit is not importable; install the dev extra "
            "(pip install -e '.[dev]') or unset SIM_REQUIRE_ORACLE to skip these tests"
        ) from err
else:
    pygambit = pytest.importorskip("pygambit")

pytestmark = pytest.mark.oracle

Profile = tuple[tuple[Fraction, ...], ...]


def _to_gambit(game: Game) -> pygambit.Game:
    arrays = [
        np.vectorize(Fraction, otypes=[object])(game.payoff_matrix(i)).tolist()
        for i in range(game.n_players)
    ]
    return pygambit.Game.from_arrays(*arrays)


def _profiles(gambit_game: pygambit.Game, result: object) -> set[Profile]:
    return {
        tuple(tuple(Fraction(e[s]) for s in p.strategies) for p in gambit_game.players)
        for e in result.equilibria  # type: ignore[attr-defined]
    }


def gambit_extreme_equilibria(game: Game) -> set[Profile]:
    """Gambit's exact ``enummixed``: all extreme equilibria of a two-player game."""
    gambit_game = _to_gambit(game)
    return _profiles(gambit_game, pygambit.nash.enummixed_solve(gambit_game, rational=True))


def gambit_pure_equilibria(game: Game) -> set[Profile]:
    gambit_game = _to_gambit(game)
    return _profiles(gambit_game, pygambit.nash.enumpure_solve(gambit_game))


def ours(game: Game) -> set[Profile]:
    solution = solve(game)
    found = {
        tuple(tuple(Fraction(p) for p in s) for s in e.strategies) for e in solution.equilibria
    }
    assert len(found) == len(solution.equilibria), "the solver listed an equilibrium twice"
    return found


def check_agreement(game: Game) -> None:
    assert ours(game) == gambit_extreme_equilibria(game)


def test_oracle_reproduces_a_published_answer() -> None:
    # von Stengel's degenerate 3x2 game: a segment and an isolated equilibrium.
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    third = Fraction(1, 3)
    assert gambit_extreme_equilibria(game) == {
        ((1, 0, 0), (1, 0)),
        ((1, 0, 0), (2 * third, third)),
        ((0, third, 2 * third), (third, 2 * third)),
    }


GAMES = [
    pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]], id="prisoners-dilemma"),
    pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], id="matching-pennies"),
    pytest.param([[2, 0], [0, 1]], [[1, 0], [0, 2]], id="battle-of-the-sexes"),
    pytest.param([[0, -1], [1, -10]], [[0, 1], [-1, -10]], id="chicken"),
    pytest.param([[4, 0], [3, 3]], [[4, 3], [0, 3]], id="stag-hunt"),
    pytest.param(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]], id="rps"
    ),
    pytest.param(
        # Shapley's game: a unique, fully mixed equilibrium.
        [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
        [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
        id="shapley",
    ),
    pytest.param([[1, 1], [1, 1]], [[1, 1], [1, 1]], id="all-equal-2x2"),
    pytest.param([[0] * 4] * 4, [[0] * 4] * 4, id="all-zero-4x4"),
    pytest.param([[1, 1], [0, 0]], [[1, 1], [0, 0]], id="dominant-row-segment"),
    pytest.param([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]], id="von-stengel-3x2"),
    pytest.param([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]], id="von-stengel-variant"),
    pytest.param([[0, 0, 0, 0]], [[1, 2, 2, 0]], id="one-row"),
    pytest.param([[4], [4], [1]], [[0], [7], [7]], id="one-column"),
    pytest.param(
        # Duplicate rows and columns make every vertex degenerate.
        [[1, 1, 0], [1, 1, 0], [0, 0, 1]],
        [[1, 1, 0], [1, 1, 0], [0, 0, 1]],
        id="duplicated-moves",
    ),
    pytest.param(
        # Identity coordination 4x4: 15 extreme equilibria (one per non-empty support).
        np.eye(4, dtype=int).tolist(),
        np.eye(4, dtype=int).tolist(),
        id="coordination-4x4",
    ),
    pytest.param(
        # A 3x3 game whose equilibria form a triangle-shaped continuum.
        [[1, 1, 1], [1, 1, 1], [0, 0, 0]],
        [[1, 0, 1], [0, 1, 1], [1, 1, 1]],
        id="tied-block",
    ),
    pytest.param(
        [[Fraction(1, 2), Fraction(-7, 3)], [Fraction(5, 4), 0]],
        [[Fraction(2, 3), 1], [Fraction(-1, 6), Fraction(1, 7)]],
        id="fractions",
    ),
    pytest.param(
        # Gambit 16.7 returns no equilibria once a payoff reaches 2**31 - 1, so "large"
        # stops at 10**6 here; tests/test_solvers.py checks 10**12 against a hand answer.
        [[10**6, 0], [0, 1]],
        [[1, 0], [0, 10**6]],
        id="large-payoffs",
    ),
    pytest.param(
        [[Fraction(1, 10**9), 0], [0, Fraction(1, 10**9 + 7)]],
        [[Fraction(1, 10**9 + 7), 0], [0, Fraction(1, 10**9)]],
        id="tiny-payoffs",
    ),
]


@pytest.mark.parametrize(("a", "b"), GAMES)
def test_textbook_and_degenerate_games(a: list, b: list) -> None:
    check_agreement(Game.from_arrays(a, b))


@settings(max_examples=200, deadline=None)
@given(tie_heavy_games(max_moves=5))
def test_tie_heavy_games(game: Game) -> None:
    check_agreement(game)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([1, 2]).flatmap(lambda top: bimatrix_games(st.integers(0, top), 4, 5)))
def test_tie_heavy_games_4x4_to_5x5(game: Game) -> None:
    check_agreement(game)


@settings(max_examples=120, deadline=None)
@given(integer_games(max_moves=5))
def test_small_integer_games(game: Game) -> None:
    check_agreement(game)


@settings(max_examples=40, deadline=None)
@given(fraction_games())
def test_fraction_games(game: Game) -> None:
    check_agreement(game)


@settings(max_examples=30, deadline=None)
@given(dyadic_float_games())
def test_dyadic_float_games(twins: tuple[Game, Game]) -> None:
    exact, floating = twins
    expected = gambit_extreme_equilibria(exact)
    found = {
        tuple(tuple(Fraction(p) for p in s) for s in e.strategies)
        for e in solve(floating).equilibria
    }
    # Float probabilities are the rounded exact ones; compare after rounding gambit's.
    assert found == {tuple(tuple(Fraction(float(p)) for p in s) for s in e) for e in expected}


@pytest.mark.parametrize(
    ("seed", "low", "high"),
    [
        pytest.param(seed, low, high, id=f"seed{seed}-{low}..{high}")
        for seed, (low, high) in product(range(3), [(0, 1), (0, 2), (-5, 5)])
    ],
)
def test_seeded_random_6x6(seed: int, low: int, high: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = (rng.integers(low, high, size=(6, 6), endpoint=True).tolist() for _ in range(2))
    check_agreement(Game.from_arrays(a, b))


@settings(max_examples=40, deadline=None)
@given(st.one_of(n_player_games(), n_player_games(n_players=4, max_moves=2)))
def test_pure_equilibria_of_n_player_games(game: Game) -> None:
    found = {
        tuple(tuple(Fraction(p) for p in s) for s in e.strategies)
        for e in solve(game, method="pure").equilibria
    }
    assert found == gambit_pure_equilibria(game)
