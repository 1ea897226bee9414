"""Tests for sim.analysis.pareto."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_player_games, rescale_player

from sim.analysis.pareto import pareto_efficient, pareto_frontier_points
from sim.game import Game

# ----------------------------------------------------------------------- game generators


def games(max_players: int = 3) -> st.SearchStrategy[Game]:
    """Exact games with small integer payoffs (see ``strategies.any_player_games``)."""
    return any_player_games(max_players, low=-3, high=3)


SETTINGS = settings(max_examples=60, deadline=None)


def dominates(game: Game, better, worse) -> bool:
    """Independent check in exact arithmetic."""
    u, v = game.payoff(better), game.payoff(worse)
    return all(a >= b for a, b in zip(u, v, strict=True)) and any(
        a > b for a, b in zip(u, v, strict=True)
    )


# --------------------------------------------------------------------- textbook tables

PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("US", "China"),
    moves=(("cooperate", "defect"), ("cooperate", "defect")),
)


def three_player_split() -> Game:
    """Each of three players asks for 0 or 1 of a pie of 2; over-asking gives all zero."""
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for profile in product(range(2), repeat=3):
        feasible = sum(profile) <= 2
        payoffs[profile] = [Fraction(m if feasible else 0) for m in profile]
    return Game.from_payoffs(payoffs, moves=(("0", "1"),) * 3)


@pytest.mark.parametrize(
    ("game", "efficient", "dominated"),
    [
        pytest.param(
            PD,
            [("cooperate", "cooperate"), ("cooperate", "defect"), ("defect", "cooperate")],
            {("defect", "defect"): ("cooperate", "cooperate")},
            id="prisoners-dilemma",
        ),
        pytest.param(
            Game.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]], moves=(("S", "H"), ("S", "H"))),
            [("S", "S")],
            {("S", "H"): ("S", "S"), ("H", "S"): ("S", "S"), ("H", "H"): ("S", "S")},
            id="stag-hunt",
        ),
        pytest.param(
            Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]], moves=(("O", "F"), ("O", "F"))),
            [("O", "O"), ("F", "F")],
            {("O", "F"): ("O", "O"), ("F", "O"): ("O", "O")},
            id="battle-of-sexes",
        ),
        pytest.param(
            Game.from_arrays(
                [[1, -1], [-1, 1]], [[-1, 1], [1, -1]], moves=(("H", "T"), ("H", "T"))
            ),
            [("H", "H"), ("H", "T"), ("T", "H"), ("T", "T")],
            {},
            id="zero-sum-all-efficient",
        ),
        pytest.param(
            Game.from_arrays([[1, 1], [1, 0]], [[1, 1], [1, 0]], moves=(("a", "b"), ("x", "y"))),
            [("a", "x"), ("a", "y"), ("b", "x")],
            {("b", "y"): ("a", "x")},
            id="equal-payoffs-all-efficient",
        ),
        pytest.param(
            three_player_split(),
            [("0", "1", "1"), ("1", "0", "1"), ("1", "1", "0")],
            {
                ("0", "0", "0"): ("0", "1", "1"),
                ("0", "0", "1"): ("0", "1", "1"),
                ("0", "1", "0"): ("0", "1", "1"),
                ("1", "0", "0"): ("1", "0", "1"),
                ("1", "1", "1"): ("0", "1", "1"),
            },
            id="three-player-split",
        ),
    ],
)
def test_textbook_pareto(game, efficient, dominated):
    result = pareto_efficient(game)
    assert [game.profile_names(p) for p in result.efficient] == efficient
    got = {game.profile_names(p): game.profile_names(d) for p, d in result.dominated}
    assert got == dominated
    json.dumps(result.to_dict())


def test_to_dict_and_lookups():
    result = pareto_efficient(PD)
    data = result.to_dict()
    assert data["efficient"][0] == {
        "profile": ["cooperate", "cooperate"],
        "payoffs": [3.0, 3.0],
        "exact_payoffs": ["3", "3"],
    }
    assert data["dominated"] == [
        {
            "profile": ["defect", "defect"],
            "dominator": ["cooperate", "cooperate"],
            "payoffs": [1.0, 1.0],
            "exact_payoffs": ["1", "1"],
        }
    ]
    assert result.is_efficient(("cooperate", "defect"))
    assert not result.is_efficient((1, 1))
    assert result.dominator(("cooperate", "cooperate")) is None


@pytest.mark.parametrize(
    ("game", "points"),
    [
        pytest.param(PD, [(0, 5), (3, 3), (5, 0)], id="prisoners-dilemma"),
        pytest.param(
            Game.from_arrays([[1, 2], [2, 1]], [[2, 1], [1, 2]]),
            [(1, 2), (2, 1)],
            id="duplicates-listed-once",
        ),
        pytest.param(
            Game.from_arrays([[Fraction(1, 3), 0]], [[0, Fraction(1, 2)]]),
            [(0, Fraction(1, 2)), (Fraction(1, 3), 0)],
            id="fractions",
        ),
    ],
)
def test_frontier_points(game, points):
    assert list(pareto_frontier_points(game)) == points


def test_float_frontier_merges_points_within_tolerance():
    game = Game.from_arrays([[0.1 + 0.2, 0.3], [0.0, 1.0]], [[1.0, 1.0], [2.0, 0.0]])
    points = pareto_frontier_points(game)
    assert len(points) == 3
    assert [v for p in points for v in p] == pytest.approx([0.0, 2.0, 0.3, 1.0, 1.0, 0.0])
    assert pareto_efficient(game).to_dict()["efficient"][0]["exact_payoffs"] is None


# ------------------------------------------------------------------------- properties


@given(games())
@SETTINGS
def test_efficient_set_is_exactly_the_undominated_profiles(game):
    result = pareto_efficient(game)
    profiles = list(game.profiles())
    assert result.efficient, "the efficient set is never empty"
    for p in profiles:
        undominated = not any(dominates(game, q, p) for q in profiles)
        assert undominated == (p in result.efficient)
    assert sorted(result.efficient + tuple(p for p, _ in result.dominated)) == profiles


@given(games())
@SETTINGS
def test_recorded_dominators_dominate_and_are_efficient(game):
    result = pareto_efficient(game)
    for profile, dominator in result.dominated:
        assert dominates(game, dominator, profile)
        assert dominator in result.efficient
        assert result.dominator(profile) == dominator


@given(games(max_players=2))
@SETTINGS
def test_two_player_max_sum_profile_is_efficient(game):
    best = max(game.profiles(), key=lambda p: sum(game.payoff(p)))
    assert pareto_efficient(game).is_efficient(best)


@given(
    games(),
    st.data(),
    st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=4),
    st.integers(-5, 5),
)
@SETTINGS
def test_invariant_under_positive_affine_rescaling(game, data, a, b):
    player = data.draw(st.integers(0, game.n_players - 1))
    other = rescale_player(game, player, a, b)
    assert pareto_efficient(other).efficient == pareto_efficient(game).efficient


@given(games())
@SETTINGS
def test_frontier_points_are_the_sorted_distinct_efficient_payoffs(game):
    points = pareto_frontier_points(game)
    expected = sorted({game.payoff(p) for p in pareto_efficient(game).efficient})
    assert list(points) == expected


@given(games())
@SETTINGS
def test_float_game_agrees_with_exact_game(game):
    floats = game.with_payoffs(game.float_payoffs() / 4)
    assert pareto_efficient(floats).efficient == pareto_efficient(game).efficient
    points = [tuple(float(v) / 4 for v in p) for p in pareto_frontier_points(game)]
    assert list(pareto_frontier_points(floats)) == points


@given(games(), st.integers(1, 5))
@SETTINGS
def test_dominators_do_not_depend_on_the_chunk_size(game, chunk):
    from sim.analysis.pareto import _dominators

    assert _dominators(game, chunk=chunk) == _dominators(game)


def test_float_ties_within_the_tolerance_do_not_dominate():
    game = Game.from_arrays([[1.0, 1.0 + 1e-12], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    assert pareto_efficient(game).efficient == ((0, 0), (0, 1))
    exact = Game.from_arrays([[2**70, 2**70 + 1], [0, 0]], [[1, 1], [0, 0]])  # past int64
    assert pareto_efficient(exact).efficient == ((0, 1),)


@given(games(max_players=2), st.integers(-12, -9))
@SETTINGS
def test_float_games_compare_within_the_tolerance(game, exponent):
    # A float twin with every payoff nudged by less than the tolerance has the same answer,
    # and equals a brute force over sim.certificate.compare.
    from sim.certificate import compare

    rng = np.random.default_rng(-exponent)
    nudged = game.payoffs.astype(float) + rng.uniform(-1, 1, game.payoffs.shape) * 10.0**exponent
    twin = Game.from_payoffs(nudged)
    scale = twin.scale()

    def float_dominates(better, worse):
        pairs = zip(twin.payoff(better), twin.payoff(worse), strict=True)
        signs = [compare(a, b, scale) for a, b in pairs]
        return all(s >= 0 for s in signs) and any(s > 0 for s in signs)

    profiles = list(twin.profiles())
    expected = tuple(p for p in profiles if not any(float_dominates(q, p) for q in profiles))
    assert pareto_efficient(twin).efficient == expected
