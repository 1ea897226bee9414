"""Numerical robustness (issue #7, item 4), against the tolerance policy of sim.certificate.

The policy (module docstring of :mod:`sim.certificate`): float payoffs are compared with an
absolute tolerance ``TOLERANCE * scale``, ``scale = max(1, max |payoff|)``; solvers solve
the rationalised game, in which each float moves by at most a quarter of that, so payoffs
closer than ``TOLERANCE * scale / 4`` are ties for the solver and payoffs further apart than
``TOLERANCE * scale`` are never ties. Every reported equilibrium is certified against the
float payoffs.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import decimal_float_games, dyadic_float_games, matrix_pairs

from sim.certificate import TOLERANCE, compare, is_equilibrium, rationalise, regret
from sim.game import Game
from sim.solvers import solve, solve_batch
from sim.solvers.lemke_howson import lemke_howson

NUMERIC = settings(
    derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def floats_of(solution) -> list[tuple[tuple[float, ...], ...]]:
    return [tuple(tuple(float(p) for p in s) for s in e.strategies) for e in solution.equilibria]


def assert_same_equilibria(found, expected, tolerance: float = 1e-9) -> None:
    """Same equilibria (in any order), probabilities within ``tolerance``."""
    assert len(found) == len(expected), (found, expected)
    found, expected = sorted(found), sorted(expected)
    for got, want in zip(found, expected, strict=True):
        for s, t in zip(got, want, strict=True):
            assert max(abs(a - b) for a, b in zip(s, t, strict=True)) <= tolerance, (got, want)


def assert_certified(game: Game, solution) -> None:
    bound = TOLERANCE * game.scale()
    for e in solution.equilibria:
        assert is_equilibrium(game, e.strategies)
        assert float(regret(game, e.strategies)) <= bound


# ------------------------------------------------------------ many orders of magnitude
POWERS = st.builds(
    lambda sign, k: sign * 10.0**k, st.sampled_from([-1, 1]), st.integers(min_value=-8, max_value=8)
)


@settings(NUMERIC, max_examples=60)
@given(matrix_pairs(POWERS | st.just(0.0), min_moves=2, max_moves=3))
def test_payoffs_from_1e_minus_8_to_1e8_are_solved_and_certified(ab):
    game = Game.from_arrays(*(np.array(m, dtype=float) for m in ab))
    assert not game.is_exact
    solution = solve(game)
    assert solution.equilibria
    assert_certified(game, solution)
    assert_certified(game, lemke_howson(game))


def decimal_twin(game: Game) -> Game:
    """The exact game whose payoffs are the decimals the floats were written as."""
    array = np.empty(game.payoffs.shape, dtype=object)
    array.flat[:] = [Fraction(repr(x)) for x in game.payoffs.ravel().tolist()]
    return game.with_payoffs(array)


def supports(profiles) -> list[tuple[tuple[int, ...], ...]]:
    return sorted(tuple(tuple(k for k, p in enumerate(s) if p > 0) for s in e) for e in profiles)


@settings(NUMERIC, max_examples=60)
@given(
    matrix_pairs(
        st.builds(lambda s, k: s * 10.0**k, st.sampled_from([-1, 1]), st.integers(-3, 8))
        | st.just(0.0),
        min_moves=2,
        max_moves=3,
    )
)
def test_wide_magnitudes_agree_with_the_exact_decimal_game_within_the_policy(ab):
    # The solver may read a float as any fraction within TOLERANCE * scale / 4 (0.001 is
    # 1/999 when the scale is 1e4), so the two games' equilibria need not be identical;
    # the policy promises that each is an equilibrium of the other within the tolerance.
    game = Game.from_arrays(*(np.array(m, dtype=float) for m in ab))
    band, slack = TOLERANCE * game.scale(), TOLERANCE * game.scale() / 4
    magnitudes = np.abs(game.float_payoffs())
    # Between a quarter of the tolerance and all of it is the policy's zone of doubt.
    assume(not np.any((magnitudes > slack) & (magnitudes <= band * 1.01)))
    exact = decimal_twin(game)
    exact = exact.with_payoffs(np.where(magnitudes <= slack, Fraction(0), exact.payoffs))
    found, expected = floats_of(solve(game)), floats_of(solve(exact))
    assert len(found) == len(expected)
    assert supports(found) == supports(expected)
    as_float = exact.with_payoffs(exact.float_payoffs())
    for profile in found:
        assert is_equilibrium(as_float, profile)
    for profile in expected:
        assert is_equilibrium(game, profile)


def test_differences_far_below_the_scale_are_ties():
    # Column's payoffs differ by 1e-8 while Row's reach 1e8: with one scale for the game
    # (1e8, tolerance 0.1) Column is indifferent, and every column strategy is a best reply.
    game = Game.from_arrays([[1e8, 0.0], [0.0, 1e8]], [[1e-8, 0.0], [0.0, 2e-8]])
    tied = Game.from_arrays([[10**8, 0], [0, 10**8]], [[0, 0], [0, 0]])
    solution = solve(game)
    assert solution.degenerate
    assert_same_equilibria(floats_of(solution), floats_of(solve(tied)))
    assert_certified(game, solution)


# ------------------------------------------------------------------------ near-ties
SCALE = 100.0
BAND = TOLERANCE * SCALE


@pytest.mark.parametrize(
    ("gap", "tie_for_solver", "tie_for_compare"),
    [
        pytest.param(BAND / 8, True, True, id="eighth-of-tolerance"),
        pytest.param(BAND / 4.5, True, True, id="just-under-quarter"),
        pytest.param(BAND / 2, False, True, id="half-tolerance"),
        pytest.param(BAND * 0.99, False, True, id="just-under-tolerance"),
        pytest.param(BAND * 1.5, False, False, id="over-tolerance"),
        pytest.param(BAND * 1000, False, False, id="far-over-tolerance"),
    ],
)
def test_near_ties_follow_the_policy(gap, tie_for_solver, tie_for_compare):
    # Row's second move pays 1 + gap against Left instead of 1: a tie or a strict preference.
    # The third move (strictly dominated) sets the game's scale to 100.
    a = [[1.0, 0.0], [1.0 + gap, 0.0], [-SCALE, -SCALE]]
    b = [[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]
    game = Game.from_arrays(a, b)
    assert game.scale() == SCALE
    assert (compare(1.0 + gap, 1.0, game.scale()) == 0) is tie_for_compare
    solver_tie = rationalise(1.0 + gap, game.scale()) == rationalise(1.0, game.scale())
    assert solver_tie is tie_for_solver
    solution = solve(game)
    assert_certified(game, solution)
    # With a tie, Row's first move is a best reply to Left wherever the second is.
    row_pure = {e.pure_profile for e in solution.equilibria if e.pure_profile is not None}
    assert ((0, 0) in row_pure) is tie_for_solver
    assert (1, 0) in row_pure
    assert_same_equilibria(floats_of(solve(game, "vertex-enumeration")), floats_of(solution))
    batch = solve_batch(game.float_payoffs()[None])
    assert_same_equilibria(
        [tuple(tuple(s.tolist()) for s in e) for e in batch.equilibria(0)],
        floats_of(solution),
        tolerance=1e-6,
    )


# ------------------------------------------------------------ exact and float twins
@settings(NUMERIC, max_examples=80)
@given(decimal_float_games(max_moves=4) | dyadic_float_games(max_moves=4))
def test_float_game_with_decimal_payoffs_agrees_with_its_exact_twin(twins):
    exact, floating = twins
    found = solve(floating)
    assert_same_equilibria(floats_of(found), floats_of(solve(exact)))
    assert found.degenerate == solve(exact).degenerate
    assert_certified(floating, found)


@settings(NUMERIC, max_examples=60)
@given(decimal_float_games(max_moves=3), st.sampled_from([1e6, 1e-6]))
def test_scaling_by_a_million_or_a_millionth_keeps_the_equilibria(twins, factor):
    exact, floating = twins
    scaled = floating.with_payoffs(floating.float_payoffs() * factor)
    found = solve(scaled)
    assert_certified(scaled, found)
    assert_same_equilibria(floats_of(found), floats_of(solve(exact)), tolerance=1e-6)


@settings(NUMERIC, max_examples=60)
@given(decimal_float_games(max_moves=3), st.sampled_from([1.0, 1e6, 1e-6]))
def test_batch_solver_agrees_with_solve(twins, factor):
    _, floating = twins
    scaled = floating.with_payoffs(floating.float_payoffs() * factor)
    single = solve(scaled)
    batch = solve_batch(scaled.float_payoffs()[None])
    assert batch.counts.tolist() == [len(single.equilibria)]
    assert bool(batch.degenerate[0]) == single.degenerate
    assert_same_equilibria(
        [tuple(tuple(s.tolist()) for s in e) for e in batch.equilibria(0)],
        floats_of(single),
        tolerance=1e-6,
    )


@settings(NUMERIC, max_examples=60)
@given(decimal_float_games(max_moves=4), st.sampled_from([1.0, 1e6, 1e-6, 1e8]))
def test_lemke_howson_is_certified_and_among_the_extreme_equilibria(twins, factor):
    exact, floating = twins
    scaled = floating.with_payoffs(floating.float_payoffs() * factor)
    found = lemke_howson(scaled)
    assert found.equilibria
    assert_certified(scaled, found)
    everything = floats_of(solve(exact))
    for e in floats_of(found):
        assert any(
            all(
                max(abs(a - b) for a, b in zip(s, t, strict=True)) <= 1e-6
                for s, t in zip(e, other, strict=True)
            )
            for other in everything
        ), (e, everything)
