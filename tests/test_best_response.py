"""Tests for sim.analysis.best_response."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_player_games

from sim.analysis.best_response import best_response_to, best_responses
from sim.errors import SimError
from sim.game import Game
from sim.solvers import solve

# ----------------------------------------------------------------------- game generators


def games(max_players: int = 3) -> st.SearchStrategy[Game]:
    """Exact games with small integer payoffs (see ``strategies.any_player_games``)."""
    return any_player_games(max_players, low=-3, high=3)


SETTINGS = settings(max_examples=60, deadline=None)

# --------------------------------------------------------------------- textbook tables

PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("US", "China"),
    moves=(("cooperate", "defect"), ("cooperate", "defect")),
)
CHICKEN = Game.from_arrays(
    [[0, -1], [1, -10]],
    [[0, 1], [-1, -10]],
    moves=(("swerve", "straight"), ("swerve", "straight")),
)
BATTLE = Game.from_arrays(
    [[2, 0], [0, 1]], [[1, 0], [0, 2]], moves=(("opera", "fight"), ("opera", "fight"))
)
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], moves=(("H", "T"), ("H", "T")))
TIES = Game.from_arrays(  # the row player is indifferent everywhere
    [[1, 1], [1, 1]], [[2, 0], [0, 2]], moves=(("a", "b"), ("x", "y"))
)


def majority() -> Game:
    """Three players each vote yes or no; everyone gets 1 if their side wins, else 0."""
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for profile in product(range(2), repeat=3):
        winner = int(sum(profile) >= 2)
        payoffs[profile] = [Fraction(int(m == winner)) for m in profile]
    return Game.from_payoffs(payoffs, moves=(("yes", "no"),) * 3)


MAJORITY = majority()


@pytest.mark.parametrize(
    ("game", "equilibria"),
    [
        pytest.param(PD, [("defect", "defect")], id="prisoners-dilemma"),
        pytest.param(CHICKEN, [("swerve", "straight"), ("straight", "swerve")], id="chicken"),
        pytest.param(BATTLE, [("opera", "opera"), ("fight", "fight")], id="battle-of-sexes"),
        pytest.param(PENNIES, [], id="matching-pennies"),
        pytest.param(TIES, [("a", "x"), ("b", "y")], id="ties"),
        pytest.param(
            MAJORITY,
            [("yes", "yes", "yes"), ("no", "no", "no")],
            id="three-player-majority",
        ),
    ],
)
def test_textbook_pure_equilibria(game, equilibria):
    table = best_responses(game)
    got = {game.profile_names(p) for p in table.pure_equilibria()}
    assert got == {tuple(p) for p in equilibria}


@pytest.mark.parametrize(
    ("game", "player", "opponents", "best"),
    [
        pytest.param(PD, "US", ("cooperate",), ("defect",), id="pd-us"),
        pytest.param(PD, "China", ("defect",), ("defect",), id="pd-china"),
        pytest.param(CHICKEN, 0, ("straight",), ("swerve",), id="chicken"),
        pytest.param(TIES, 0, ("x",), ("a", "b"), id="ties-kept"),
        pytest.param(MAJORITY, 2, ("yes", "no"), ("yes", "no"), id="pivotal-voter-ties"),
        pytest.param(MAJORITY, 0, ("no", "no"), ("no",), id="outvoted-voter-conforms"),
    ],
)
def test_textbook_best_moves(game, player, opponents, best):
    moves = best_responses(game).best_moves(player, opponents)
    i = game.player_index(player)
    assert tuple(game.moves[i][m] for m in moves) == best


def test_profile_check_and_to_dict():
    table = best_responses(PD)
    check = table.check(("cooperate", "defect"))
    assert check.best_responding == (False, True)
    assert check.gains == (Fraction(1), Fraction(0))
    assert not check.is_equilibrium
    data = table.to_dict()
    json.dumps(data)
    assert data["responses"]["US"][0] == {
        "player": "US",
        "opponents": {"China": "cooperate"},
        "best": ["defect"],
        "value": 5.0,
        "exact_value": "5",
    }
    assert data["profiles"][1]["profile"] == ["cooperate", "defect"]
    assert data["profiles"][1]["exact_gains"] == ["1", "0"]


def test_best_moves_rejects_wrong_opponent_count():
    with pytest.raises(SimError, match="one move for each opponent"):
        best_responses(PD).best_moves("US", ("cooperate", "defect"))


@pytest.mark.parametrize(
    ("game", "player", "profile", "values", "best"),
    [
        pytest.param(
            BATTLE,
            0,
            [None, (Fraction(1, 3), Fraction(2, 3))],
            ("2/3", "2/3"),
            ("opera", "fight"),
            id="battle-indifference",
        ),
        pytest.param(
            BATTLE,
            1,
            [(Fraction(1, 2), Fraction(1, 2))],
            ("1/2", "1"),
            ("fight",),
            id="opponents-only",
        ),
        pytest.param(PENNIES, "P2", ["H", None], ("-1", "1"), ("T",), id="pure-by-name"),
        pytest.param(
            MAJORITY,
            0,
            [None, 1, (Fraction(1, 4), Fraction(3, 4))],
            ("1/4", "1"),
            ("no",),
            id="three-players-mixed",
        ),
    ],
)
def test_best_response_to_mixed_profiles(game, player, profile, values, best):
    result = best_response_to(game, player, profile)
    data = result.to_dict()
    assert tuple(data["exact_values"].values()) == values
    assert tuple(data["best"]) == best
    assert result.value == max(result.values)
    json.dumps(data)


def test_best_response_to_float_probabilities():
    result = best_response_to(BATTLE, 0, [None, (0.25, 0.75)])
    assert result.values == pytest.approx((0.5, 0.75))
    assert result.moves == (1,)
    assert result.to_dict()["exact_values"] is None and result.to_dict()["exact_value"] is None


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        pytest.param([None, (1, 0, 0)], "has 3 probabilities", id="wrong-length"),
        pytest.param([None, (Fraction(1, 2), Fraction(1, 3))], "not a probability", id="sum"),
        pytest.param([None, (2, -1)], "not a probability", id="negative"),
        pytest.param([None, "maybe"], "unknown move", id="unknown-move"),
        pytest.param([None, None, (1, 0)], "one strategy per player", id="too-many"),
        pytest.param([None, (True, False)], "boolean", id="boolean"),
        pytest.param([None, 0.5], "neither a move", id="bare-number"),
        pytest.param([(1, 0), None], "neither a move", id="missing-opponent"),
    ],
)
def test_best_response_to_rejects_bad_profiles(profile, message):
    with pytest.raises(SimError, match=message):
        best_response_to(BATTLE, 0, profile)


# ------------------------------------------------------------------------- properties


@given(games())
@SETTINGS
def test_pure_equilibria_agree_with_the_pure_solver(game):
    solved = [e.pure_profile for e in solve(game, method="pure").equilibria]
    assert list(best_responses(game).pure_equilibria()) == solved


@given(games())
@SETTINGS
def test_gains_and_best_responses_are_consistent(game):
    table = best_responses(game)
    assert [c.profile for c in table.checks] == list(game.profiles())
    for check in table.checks:
        payoffs = game.payoff(check.profile)
        for i in range(game.n_players):
            opponents = check.profile[:i] + check.profile[i + 1 :]
            moves = table.best_moves(i, opponents)
            assert check.gains[i] >= 0
            assert check.best_responding[i] == (check.gains[i] == 0)
            assert check.best_responding[i] == (check.profile[i] in moves)
            # the gain is what the best deviation earns over the current payoff
            deviation = list(check.profile)
            deviation[i] = moves[0]
            assert game.payoff(deviation)[i] - payoffs[i] == check.gains[i]


@given(games())
@SETTINGS
def test_best_moves_are_exactly_the_maximisers(game):
    table = best_responses(game)
    for i in range(game.n_players):
        for response in table.responses[i]:
            values = []
            for j in range(game.shape[i]):
                profile = list(response.opponents)
                profile.insert(i, j)
                values.append(game.payoff(profile)[i])
            assert response.value == max(values)
            assert response.moves == tuple(j for j, v in enumerate(values) if v == max(values))


@given(games())
@SETTINGS
def test_mixed_best_response_to_pure_profiles_matches_the_table(game):
    table = best_responses(game)
    for i in range(game.n_players):
        for response in table.responses[i]:
            mixed = best_response_to(game, i, list(response.opponents))
            assert mixed.moves == response.moves
            assert mixed.value == response.value


@given(games(max_players=2))
@SETTINGS
def test_equilibrium_supports_are_best_responses(game):
    for equilibrium in solve(game).equilibria:
        for i in range(2):
            response = best_response_to(game, i, equilibrium.strategies)
            assert set(equilibrium.support(i)) <= set(response.moves)
            assert response.value == equilibrium.payoffs[i]


@given(games())
@SETTINGS
def test_float_game_agrees_with_exact_game(game):
    floats = game.with_payoffs(game.float_payoffs() / 4)
    exact, approx = best_responses(game), best_responses(floats)
    assert approx.pure_equilibria() == exact.pure_equilibria()
    for own_exact, own_approx in zip(exact.responses, approx.responses, strict=True):
        assert [r.moves for r in own_exact] == [r.moves for r in own_approx]
    json.dumps(approx.to_dict())
