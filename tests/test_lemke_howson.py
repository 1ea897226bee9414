"""Lemke–Howson (:mod:`sim.solvers.lemke_howson`): textbook paths, properties, oracles, errors.

Every equilibrium found must be certified and one of the extreme equilibria that exact
enumeration (:func:`sim.solvers.solve`) lists; the float path must agree with the exact
lexicographic path; and on non-degenerate games each label's end point must equal that of
nashpy, QuantEcon and be among pygambit's ``lcp_solve`` equilibria.

Oracle quirks found while writing these tests (so the oracle tests avoid them): nashpy
0.0.43's ``lemke_howson`` returns profiles that are not equilibria for some games with more
rows than columns (e.g. 5x4, 6x3) and raises ``KeyError`` or does not stop when a player
has one move; QuantEcon's float tie tolerance picks a different (still valid) end point
than the exact lexicographic rule on a few tie-heavy games.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import (
    bimatrix_games,
    decimal_float_games,
    dyadic_float_games,
    float_games,
    integer_games,
    n_player_games,
    positive_affine_maps,
    rescale_player,
    tie_heavy_games,
)

from sim.certificate import TOLERANCE
from sim.errors import SolverError
from sim.game import Game
from sim.solvers import lemke_howson as module
from sim.solvers import solve
from sim.solvers.lemke_howson import lemke_howson
from sim.solvers.solution import Solution

Profile = tuple[tuple[Fraction, ...], ...]

BATTLE = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
# von Stengel (2002), the 3x2 example of §3 (also QuantEcon's lemke_howson docstring):
# equilibria (1,0,0)/(1,0), (4/5,1/5,0)/(2/3,1/3), (0,1/3,2/3)/(1/3,2/3).
STENGEL = ([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
# The degenerate variant of §3.6: the row player's pure move 1 has two best responses.
STENGEL_DEGENERATE = ([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
# The column player is indifferent; both columns are best responses to the top row.
INDIFFERENT = ([[1, 1], [0, 0]], [[1, 1], [0, 0]])
ALL_ZERO = ([[0, 0], [0, 0]], [[0, 0], [0, 0]])

PURE_TOP = (("1", "0"), ("1", "0"))
PURE_BOTTOM = (("0", "1"), ("0", "1"))
HALVES = (("1/2", "1/2"), ("1/2", "1/2"))
STENGEL_PURE = (("1", "0", "0"), ("1", "0"))
STENGEL_MIXED = (("0", "1/3", "2/3"), ("1/3", "2/3"))


def flat(profile: tuple[tuple[float, ...], ...]) -> tuple[float, ...]:
    return tuple(p for s in profile for p in s)


def exact_profiles(solution: Solution) -> list[Profile]:
    return [tuple(tuple(Fraction(p) for p in s) for s in e.strategies) for e in solution.equilibria]


# --------------------------------------------------------------------------- textbook
@pytest.mark.parametrize(
    ("payoffs", "label", "expected"),
    [
        pytest.param(BATTLE, 0, PURE_TOP, id="battle-label-0"),
        pytest.param(BATTLE, 1, PURE_BOTTOM, id="battle-label-1"),
        pytest.param(BATTLE, 2, PURE_TOP, id="battle-label-2"),
        pytest.param(BATTLE, 3, PURE_BOTTOM, id="battle-label-3"),
        pytest.param(PENNIES, 0, HALVES, id="pennies-label-0"),
        pytest.param(PENNIES, 3, HALVES, id="pennies-label-3"),
        pytest.param(STENGEL, 0, STENGEL_PURE, id="stengel-label-0"),
        pytest.param(STENGEL, 1, STENGEL_MIXED, id="stengel-label-1"),
        pytest.param(STENGEL, 2, STENGEL_PURE, id="stengel-label-2"),
        pytest.param(STENGEL, 4, STENGEL_MIXED, id="stengel-label-4"),
        pytest.param(STENGEL_DEGENERATE, 0, STENGEL_MIXED, id="stengel-degenerate-label-0"),
        pytest.param(STENGEL_DEGENERATE, 3, STENGEL_MIXED, id="stengel-degenerate-label-3"),
        # Lexicographic ties: x_0 enters with both rows of B^T tied; the slack columns
        # make s_1 leave, then y_1 enters and r_0 leaves.
        pytest.param(INDIFFERENT, 0, (("1", "0"), ("0", "1")), id="indifferent-label-0"),
        pytest.param(INDIFFERENT, 2, (("1", "0"), ("0", "1")), id="indifferent-label-2"),
        pytest.param(ALL_ZERO, 0, PURE_BOTTOM, id="all-zero-label-0"),
        pytest.param(([[5]], [[-2]]), 1, (("1",), ("1",)), id="one-by-one"),
    ],
)
def test_textbook_paths(payoffs, label, expected):
    solution = lemke_howson(Game.from_arrays(*payoffs), label)
    assert [e.exact_text() for e in solution.equilibria] == [expected]
    assert solution.equilibria[0].regret == 0


@pytest.mark.parametrize(
    ("payoffs", "expected"),
    [
        # The mixed equilibrium of the battle is not reachable from the artificial one.
        pytest.param(BATTLE, [PURE_TOP, PURE_BOTTOM], id="battle"),
        # Different labels, different equilibria; (4/5, 1/5, 0) is never reached.
        pytest.param(STENGEL, [STENGEL_PURE, STENGEL_MIXED], id="stengel"),
        pytest.param(PENNIES, [HALVES], id="pennies"),
    ],
)
def test_all_labels(payoffs, expected):
    solution = lemke_howson(Game.from_arrays(*payoffs))
    assert [e.exact_text() for e in solution.equilibria] == expected


def test_solution_describes_itself():
    game = Game.from_arrays(*STENGEL)
    solution = lemke_howson(game, [4, 1, 4])
    assert (solution.method, solution.complete, solution.exact) == ("lemke-howson", "some", True)
    assert solution.degenerate is None
    assert dict(solution.parameters) == {"labels": (4, 1)}
    assert solution.to_dict()["method_parameters"] == {"labels": (4, 1)}
    assert solution.equilibria[0].payoffs == (Fraction(4), Fraction(8, 3))


def test_float_game_parameters_and_values():
    game = Game.from_arrays(np.array(STENGEL[0], float), np.array(STENGEL[1], float))
    solution = lemke_howson(game, 1)
    assert not solution.exact
    assert dict(solution.parameters) == {
        "labels": (1,),
        "tolerance": TOLERANCE,
        "rationalised": True,
    }
    (equilibrium,) = solution.equilibria
    assert not equilibrium.is_exact
    assert flat(equilibrium.probabilities) == pytest.approx((0, 1 / 3, 2 / 3, 1 / 3, 2 / 3))


# ------------------------------------------------------------------------ properties
small_games = st.one_of(tie_heavy_games(max_moves=4), integer_games(max_moves=4))


@settings(max_examples=120, deadline=None)
@given(small_games)
def test_equilibria_are_certified_extreme_equilibria(game):
    solution = lemke_howson(game)
    found = exact_profiles(solution)
    extreme = exact_profiles(solve(game))
    assert len(set(found)) == len(found), "an equilibrium is listed twice"
    assert set(found) <= set(extreme)
    # ordered as exact enumeration orders them
    assert found == [p for p in extreme if p in set(found)]
    assert all(e.regret == 0 for e in solution.equilibria)


@settings(max_examples=80, deadline=None)
@given(small_games)
def test_every_label_ends_at_an_equilibrium(game):
    extreme = set(exact_profiles(solve(game)))
    m, n = game.shape
    ends = set()
    for label in range(m + n):
        (end,) = exact_profiles(lemke_howson(game, label))
        assert end in extreme
        ends.add(end)
    assert ends == set(exact_profiles(lemke_howson(game)))


@settings(max_examples=80, deadline=None)
@given(st.one_of(tie_heavy_games(max_moves=5), integer_games(max_moves=5)))
def test_float_path_is_the_exact_lexicographic_path(game):
    m, n = game.shape
    fast = [exact_profiles(lemke_howson(game, k)) for k in range(m + n)]
    with pytest.MonkeyPatch.context() as patch:  # every float path 'doubtful': exact runs
        patch.setattr(module._Paths, "floating", lambda self, label: None)
        exact = [exact_profiles(lemke_howson(game, k)) for k in range(m + n)]
    assert fast == exact


@settings(max_examples=60, deadline=None)
@given(st.one_of(dyadic_float_games(), decimal_float_games()))
def test_float_games_agree_with_exact_twins(twins):
    exact_game, float_game = twins
    exact = lemke_howson(exact_game)
    floating = lemke_howson(float_game)
    assert len(floating.equilibria) == len(exact.equilibria)
    for f, e in zip(floating.equilibria, exact.equilibria, strict=True):
        assert flat(f.probabilities) == pytest.approx(flat(e.probabilities), abs=1e-15)
        assert f.float_payoffs == pytest.approx(e.float_payoffs, abs=1e-12)
        assert float(f.regret) <= TOLERANCE * float_game.scale()


@settings(max_examples=60, deadline=None)
@given(float_games(max_moves=4))
def test_float_games_give_extreme_equilibria_of_the_rationalised_game(game):
    found = lemke_howson(game)
    extreme = [e.probabilities for e in solve(game).equilibria]
    for e in found.equilibria:
        assert any(flat(e.probabilities) == pytest.approx(flat(x), abs=1e-15) for x in extreme)


@settings(max_examples=60, deadline=None)
@given(bimatrix_games(st.integers(-40, 40), min_moves=2, max_moves=4), positive_affine_maps())
def test_positive_affine_rescaling_keeps_each_path(game, affine):
    assume(not solve(game).degenerate)
    rescaled = rescale_player(game, 1, *affine)
    for label in range(sum(game.shape)):
        assert exact_profiles(lemke_howson(game, label)) == exact_profiles(
            lemke_howson(rescaled, label)
        )


# --------------------------------------------------------------------------- oracles
def _random_games(seed: int, count: int, low: int, high: int) -> list[tuple[np.ndarray, ...]]:
    rng = np.random.default_rng(seed)
    games = []
    for _ in range(count):
        m, n = sorted(int(k) for k in rng.integers(low, high + 1, 2))
        games.append((rng.standard_normal((m, n)), rng.standard_normal((m, n))))
    return games


def _oracle(name: str):
    if os.environ.get("SIM_REQUIRE_ORACLE") == "1":
        return __import__(name)
    return pytest.importorskip(name)


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(4))
def test_each_label_matches_nashpy(seed):
    nashpy = _oracle("nashpy")
    # nashpy 0.0.43 fails on one-move players and some games with more rows than columns
    for a, b in _random_games(seed, 6, 2, 5):
        game = Game.from_arrays(a, b)
        for label in range(sum(game.shape)):
            (ours,) = lemke_howson(game, label).equilibria
            x, y = nashpy.Game(a, b).lemke_howson(initial_dropped_label=label)
            assert ours.probabilities[0] == pytest.approx(tuple(x), abs=1e-9)
            assert ours.probabilities[1] == pytest.approx(tuple(y), abs=1e-9)


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(4))
def test_each_label_matches_quantecon(seed):
    gt = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng(100 + seed)
    for _ in range(8):
        m, n = (int(k) for k in rng.integers(1, 8, 2))
        a, b = rng.standard_normal((m, n)), rng.standard_normal((m, n))
        game = Game.from_arrays(a, b)
        reference = gt.NormalFormGame((gt.Player(a), gt.Player(b.T)))
        for label in range(m + n):
            (ours,) = lemke_howson(game, label).equilibria
            x, y = gt.lemke_howson(reference, init_pivot=label)
            assert ours.probabilities[0] == pytest.approx(tuple(x), abs=1e-9)
            assert ours.probabilities[1] == pytest.approx(tuple(y), abs=1e-9)


@pytest.mark.oracle
@settings(max_examples=40, deadline=None)
@given(bimatrix_games(st.integers(-60, 60), min_moves=1, max_moves=4))
def test_equilibria_are_among_gambits_lcp_equilibria(game):
    pygambit = _oracle("pygambit")
    enumeration = solve(game)
    assume(not enumeration.degenerate)
    arrays = [game.payoff_matrix(i).tolist() for i in range(2)]
    gambit_game = pygambit.Game.from_arrays(*arrays)
    result = pygambit.nash.lcp_solve(gambit_game, rational=True)
    gambit = {
        tuple(tuple(Fraction(e[s]) for s in p.strategies) for p in gambit_game.players)
        for e in result.equilibria
    }
    assert gambit <= set(exact_profiles(enumeration))  # Gambit's are equilibria of the game
    assert set(exact_profiles(lemke_howson(game))) <= gambit


# ---------------------------------------------------------------------------- errors
@settings(max_examples=5, deadline=None)
@given(n_player_games(n_players=3))
def test_three_players_are_refused(game):
    with pytest.raises(SolverError, match="two players"):
        lemke_howson(game)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        pytest.param(-1, "out of range", id="negative"),
        pytest.param(5, "out of range", id="too-large"),
        pytest.param([0, 7], "out of range", id="one-of-several"),
        pytest.param(1.5, "not an integer", id="float"),
        pytest.param([True], "not an integer", id="boolean"),
        pytest.param([], "at least one", id="empty"),
    ],
)
def test_bad_labels_are_refused(labels, message):
    with pytest.raises(SolverError, match=message):
        lemke_howson(Game.from_arrays(*STENGEL), labels)


def test_a_non_game_is_refused():
    with pytest.raises(SolverError, match="takes a Game"):
        lemke_howson("not a game")  # type: ignore[arg-type]


def test_large_game_ends_certified():
    rng = np.random.default_rng(7)
    game = Game.from_arrays(
        rng.integers(0, 3, (30, 30)).tolist(), rng.integers(0, 3, (30, 30)).tolist()
    )
    solution = lemke_howson(game, 0)
    (equilibrium,) = solution.equilibria
    assert equilibrium.regret == 0
    assert math.isclose(sum(equilibrium.probabilities[0]), 1.0)


@pytest.mark.parametrize(
    ("payoffs", "supports", "expected"),
    [
        pytest.param(BATTLE, ((0,), (0,)), PURE_TOP, id="battle-pure"),
        pytest.param(BATTLE, ((0, 1), (0, 1)), (("2/3", "1/3"), ("1/3", "2/3")), id="battle-mixed"),
        pytest.param(BATTLE, ((0,), (1,)), None, id="battle-not-best-responses"),
        pytest.param(PENNIES, ((0,), (0,)), None, id="pennies-pure-is-not"),
        pytest.param(
            STENGEL, ((0, 1), (0, 1)), (("4/5", "1/5", "0"), ("2/3", "1/3")), id="stengel"
        ),
        pytest.param(STENGEL, ((1, 2), (0, 1)), STENGEL_MIXED, id="stengel-other-support"),
        pytest.param(STENGEL, ((0, 2), (0, 1)), None, id="stengel-negative-probability"),
        pytest.param(ALL_ZERO, ((0, 1), (0, 1)), None, id="singular-indifference"),
    ],
)
def test_snap_checks_the_end_point_exactly(payoffs, supports, expected):
    snapped = module._Paths(Game.from_arrays(*payoffs)).snap(*supports)
    if expected is None:
        assert snapped is None
    else:
        assert tuple(tuple(str(p) for p in s) for s in snapped) == expected


@pytest.mark.parametrize(
    "wrong_end",
    [
        pytest.param(((0,), (1,)), id="not-an-equilibrium"),
        pytest.param(((0, 1), (0,)), id="inconsistent-supports"),
        pytest.param(None, id="doubtful"),
    ],
)
def test_a_float_path_gone_astray_is_redone_exactly(wrong_end):
    game = Game.from_arrays(*BATTLE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module._Paths, "floating", lambda self, label: wrong_end)
        solution = lemke_howson(game)
    assert [e.exact_text() for e in solution.equilibria] == [PURE_TOP, PURE_BOTTOM]
