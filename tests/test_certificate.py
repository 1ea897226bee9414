"""Tests of :mod:`sim.certificate`: the one tolerance and the one regret certificate."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import (
    float_games,
    fraction_games,
    integer_games,
    mixed_profiles,
    n_player_games,
    positive_affine_maps,
)

from sim.certificate import (
    SIMPLE_DENOMINATOR,
    TOLERANCE,
    certify,
    certify_pure,
    comparable,
    compare,
    expected_payoffs,
    is_equilibrium,
    move_values,
    rationalise,
    rationalise_array,
    rationalised,
    regret,
    signs,
)
from sim.errors import CertificateError, SolverError
from sim.game import Game

F = Fraction
HALF = (F(1, 2), F(1, 2))
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("Even", "Odd"))
PENNIES_FLOAT = Game.from_arrays([[1.0, -1.0], [-1.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]])
COORDINATION_FLOAT = Game.from_arrays([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])


# ------------------------------------------------------------------------ compare


@pytest.mark.parametrize(
    ("a", "b", "scale", "expected"),
    [
        pytest.param(F(1, 3), F(1, 3), 1.0, 0, id="equal-fractions"),
        pytest.param(F(1, 3), F(1, 3) + F(1, 10**30), 1.0, -1, id="fractions-are-exact"),
        pytest.param(2, F(3, 2), 1.0, 1, id="int-and-fraction"),
        pytest.param(0.1 + 0.2, 0.3, 1.0, 0, id="float-rounding-is-a-tie"),
        pytest.param(1.0, 1.0 + 2e-9, 1.0, -1, id="float-beyond-tolerance"),
        pytest.param(100.0, 100.0 + 2e-9, 100.0, 0, id="tolerance-scales"),
        pytest.param(F(1, 3), 1 / 3, 1.0, 0, id="fraction-against-float"),
        pytest.param(-5.0, 5.0, 1.0, -1, id="negative"),
    ],
)
def test_compare(a: Fraction | float, b: Fraction | float, scale: float, expected: int) -> None:
    assert compare(a, b, scale) == expected
    assert compare(b, a, scale) == -expected


@given(st.fractions(), st.fractions())
def test_compare_is_exact_for_fractions(a: Fraction, b: Fraction) -> None:
    assert compare(a, b) == (a > b) - (a < b)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(1, 1e6))
def test_compare_floats_is_antisymmetric_and_tolerant(a: float, b: float, scale: float) -> None:
    assert compare(a, b, scale) == -compare(b, a, scale)
    assert (compare(a, b, scale) == 0) == (abs(a - b) <= TOLERANCE * scale)


# ------------------------------------------------------- move values and payoffs


def test_move_values_of_a_bimatrix_game() -> None:
    game = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    profile = ((F(1, 4), F(3, 4)), (F(1, 3), F(2, 3)))
    assert move_values(game, profile, 0).tolist() == [F(1), F(7, 3)]
    assert move_values(game, profile, 1).tolist() == [F(3, 4), F(2)]
    assert expected_payoffs(game, profile) == (F(2), F(19, 12))


def test_move_values_of_a_three_player_game() -> None:
    # Player 3's payoff is the number of others who chose its move.
    payoffs = [
        [[[0, 0, int(a == c) + int(b == c)] for c in range(2)] for b in range(2)] for a in range(2)
    ]
    game = Game.from_payoffs(payoffs)
    profile = ((F(1, 2), F(1, 2)), (F(1, 5), F(4, 5)), (F(1), F(0)))
    # Move 0 meets player 1 with prob 1/2 and player 2 with prob 1/5.
    assert move_values(game, profile, 2).tolist() == [F(1, 2) + F(1, 5), F(1, 2) + F(4, 5)]


def _brute_force_expected(game: Game, profile: tuple) -> list[Fraction]:
    total = [F(0)] * game.n_players
    for pure in product(*(range(k) for k in game.shape)):
        weight = F(1)
        for strategy, move in zip(profile, pure, strict=True):
            weight *= strategy[move]
        total = [t + weight * u for t, u in zip(total, game.payoff(pure), strict=True)]
    return total


@settings(max_examples=50, deadline=None)
@given(st.one_of(integer_games(max_moves=4), fraction_games(), n_player_games()), st.data())
def test_expected_payoffs_match_the_definition(game: Game, data: st.DataObject) -> None:
    profile = data.draw(mixed_profiles(game.shape))
    payoffs = expected_payoffs(game, profile)
    assert list(payoffs) == _brute_force_expected(game, profile)
    assert all(isinstance(v, Fraction) for v in payoffs)


def test_float_profile_of_an_exact_game_is_evaluated_in_floats() -> None:
    values = move_values(PENNIES, ((0.5, 0.5), (0.25, 0.75)), 0)
    assert values.dtype == np.float64
    assert values.tolist() == [-0.5, 0.5]


# ------------------------------------------------------------------------ regret


def _brute_force_regret(game: Game, profile: tuple) -> Fraction:
    """Largest gain from a pure deviation, straight from the definition."""
    current = _brute_force_expected(game, profile)
    best = F(0)
    for i, k in enumerate(game.shape):
        for move in range(k):
            pure = tuple(F(int(j == move)) for j in range(k))
            deviated = (*profile[:i], pure, *profile[i + 1 :])
            best = max(best, _brute_force_expected(game, deviated)[i] - current[i])
    return best


@settings(max_examples=50, deadline=None)
@given(st.one_of(integer_games(max_moves=4), fraction_games(), n_player_games()), st.data())
def test_regret_matches_the_definition(game: Game, data: st.DataObject) -> None:
    profile = data.draw(mixed_profiles(game.shape))
    value = regret(game, profile)
    assert isinstance(value, Fraction)
    assert value == _brute_force_regret(game, profile)
    assert value >= 0
    assert is_equilibrium(game, profile) == (value == 0)


@settings(max_examples=40, deadline=None)
@given(integer_games(max_moves=4), positive_affine_maps(), st.data())
def test_regret_scales_with_a_common_positive_map(
    game: Game, ab: tuple[Fraction, Fraction], data: st.DataObject
) -> None:
    a, b = ab
    profile = data.draw(mixed_profiles(game.shape))
    mapped = game.with_payoffs((np.array(game.payoffs, dtype=object) * a + b).tolist())
    assert regret(mapped, profile) == a * regret(game, profile)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        pytest.param((HALF, HALF), F(0), id="mixed-equilibrium"),
        pytest.param(((1, 0), HALF), F(1), id="odd-deviates"),
        pytest.param(((1, 0), (1, 0)), F(2), id="pure-mismatch"),
        pytest.param(((F(3, 4), F(1, 4)), HALF), F(1, 2), id="odd-gains-half"),
    ],
)
def test_regret_of_matching_pennies(profile: tuple, expected: Fraction) -> None:
    assert regret(PENNIES, profile) == expected


def test_regret_rejects_a_profile_of_the_wrong_shape() -> None:
    with pytest.raises(SolverError, match=r"lengths \(3, 2\).*\(2, 2\)"):
        regret(PENNIES, ((1, 0, 0), HALF))
    with pytest.raises(SolverError):
        is_equilibrium(PENNIES, (HALF,))


# ------------------------------------------------------- is_equilibrium / certify


@pytest.mark.parametrize(
    ("game", "profile", "expected"),
    [
        pytest.param(PENNIES, (HALF, HALF), True, id="exact-equilibrium"),
        pytest.param(PENNIES, ((1, 0), (1, 0)), False, id="exact-non-equilibrium"),
        pytest.param(PENNIES, ((F(1, 2), F(1, 3)), HALF), False, id="sum-below-one"),
        pytest.param(PENNIES, ((F(3, 2), F(-1, 2)), HALF), False, id="negative-probability"),
        pytest.param(PENNIES_FLOAT, ((0.5, 0.5), (0.5, 0.5)), True, id="float-equilibrium"),
        pytest.param(
            PENNIES_FLOAT, ((0.5 + 1e-12, 0.5 - 1e-12), (0.5, 0.5)), True, id="float-within-tol"
        ),
        pytest.param(
            PENNIES_FLOAT, ((0.5, 0.5), (0.5 + 1e-6, 0.5 - 1e-6)), False, id="float-beyond-tol"
        ),
        pytest.param(PENNIES_FLOAT, ((0.5, 0.5 + 1e-6), (0.5, 0.5)), False, id="float-off-simplex"),
        pytest.param(
            COORDINATION_FLOAT, ((1.0 + 1e-12, -1e-12), (1.0, 0.0)), True, id="float-tiny-negative"
        ),
        pytest.param(
            COORDINATION_FLOAT, ((1.0 + 1e-6, -1e-6), (1.0, 0.0)), False, id="float-negative"
        ),
    ],
)
def test_is_equilibrium(game: Game, profile: tuple, expected: bool) -> None:
    assert is_equilibrium(game, profile) is expected


def test_certify_returns_the_regret() -> None:
    assert certify(PENNIES, (HALF, HALF)) == 0
    value = certify(PENNIES_FLOAT, ((0.5 + 1e-12, 0.5 - 1e-12), (0.5, 0.5)))
    assert 0 <= value <= TOLERANCE


def test_certify_rejects_a_non_equilibrium() -> None:
    with pytest.raises(SolverError, match="not an equilibrium") as info:
        certify(PENNIES, ((1, 0), HALF))
    assert isinstance(info.value, RuntimeError)


def test_certify_names_the_player_off_the_simplex() -> None:
    with pytest.raises(SolverError, match=r"Odd's strategy .* not a probability vector"):
        certify(PENNIES, (HALF, (F(1, 2), F(1, 4))))


def test_certify_is_exact_for_exact_games() -> None:
    # A regret of 10**-30 is far below the float tolerance but is not zero.
    epsilon = F(1, 10**30)
    with pytest.raises(SolverError, match="not an equilibrium"):
        certify(PENNIES, ((F(1, 2) + epsilon, F(1, 2) - epsilon), HALF))


def test_tolerance_is_relative_to_the_payoff_scale() -> None:
    big = Game.from_arrays([[1e6, -1e6], [-1e6, 1e6]], [[-1e6, 1e6], [1e6, -1e6]])
    nearly = ((0.5, 0.5), (0.5 + 1e-13, 0.5 - 1e-13))  # regret 2e-7 < 1e-9 * 1e6
    assert is_equilibrium(big, nearly)
    assert not is_equilibrium(PENNIES_FLOAT, ((0.5, 0.5), (0.5 + 1e-7, 0.5 - 1e-7)))


# ------------------------------------------------------------------ rationalise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(0.1 + 0.2, F(3, 10), id="decimal-sum"),
        pytest.param(0.3, F(3, 10), id="decimal"),
        pytest.param(1 / 3, F(1, 3), id="third"),
        pytest.param(-2 / 7, F(-2, 7), id="negative"),
        pytest.param(2.5, F(5, 2), id="dyadic"),
        pytest.param(1e-12, F(0), id="below-tolerance-is-zero"),
        pytest.param(-7.0, F(-7), id="integer"),
        pytest.param(F(7, 9), F(7, 9), id="fraction-kept"),
        pytest.param(3, F(3), id="int-kept"),
    ],
)
def test_rationalise(value: float | Fraction | int, expected: Fraction) -> None:
    assert rationalise(value) == expected


def _simplest_denominator(low: Fraction, high: Fraction, limit: int | None = None) -> int | None:
    """Smallest q with a multiple of 1/q in [low, high], by trying q = 1, 2, ... (to limit)."""
    q = 1
    while math.ceil(low * q) > math.floor(high * q):
        q += 1
        if limit is not None and q > limit:
            return None
    return q


@given(
    st.floats(-1000, 1000, allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, 10.0, 1e4, 1e6]),
)
def test_rationalise_is_a_simple_fraction_or_a_binary_grid_point(
    value: float, scale: float
) -> None:
    found = rationalise(value, scale)
    slack = Fraction(TOLERANCE * scale / 4)
    exact = Fraction(value)
    assert abs(found - exact) <= slack
    if found.denominator <= SIMPLE_DENOMINATOR:
        assert found.denominator == _simplest_denominator(exact - slack, exact + slack)
    else:  # no fraction with a small denominator is that close: a binary grid point
        assert found.denominator & (found.denominator - 1) == 0
        assert _simplest_denominator(exact - slack, exact + slack, limit=SIMPLE_DENOMINATOR) is None


@settings(max_examples=30, deadline=None)
@given(float_games())
def test_rationalised_game(game: Game) -> None:
    exact = rationalised(game)
    assert exact.is_exact
    assert (exact.players, exact.moves) == (game.players, game.moves)
    quarter = Fraction(TOLERANCE * game.scale() / 4)
    for q, x in zip(exact.payoffs.flat, game.payoffs.flat, strict=True):
        assert abs(q - Fraction(x)) <= quarter
    assert rationalised(exact) is exact  # exact games pass through unchanged


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)
        | st.integers(-3000, 3000).map(lambda k: k / 7),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([1.0, 3.5, 1e3, 1e6, 1e10]),
)
def test_rationalise_array_equals_rationalise(values, scale):
    values = [v for v in values if abs(v) <= scale]
    assume(values)
    fast = rationalise_array(np.array(values), scale)
    assert fast == [rationalise(v, scale) for v in values]


def _unit(game: Game, profile: tuple[int, ...]) -> tuple[tuple[object, ...], ...]:
    one, zero = (F(1), F(0)) if game.is_exact else (1.0, 0.0)
    return tuple(
        tuple(one if j == move else zero for j in range(k))
        for move, k in zip(profile, game.shape, strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(st.one_of(integer_games(max_moves=4), fraction_games(), n_player_games(), float_games()))
def test_certify_pure_is_certify_of_the_unit_strategies(game: Game) -> None:
    equilibria, others = [], []
    for profile in game.profiles():
        (equilibria if is_equilibrium(game, _unit(game, profile)) else others).append(profile)
    expected = [
        (expected_payoffs(game, _unit(game, p)), certify(game, _unit(game, p))) for p in equilibria
    ]
    found = certify_pure(game, equilibria)
    assert found == expected
    assert [tuple(map(type, payoffs)) for payoffs, _ in found] == [
        tuple(map(type, payoffs)) for payoffs, _ in expected
    ]
    for profile in others[:3]:
        with pytest.raises(CertificateError, match="is not an equilibrium"):
            certify_pure(game, [*equilibria, profile])


def test_certify_pure_checks_the_profiles() -> None:
    assert certify_pure(PENNIES, []) == []
    for bad in [(0,), (0, 2), (-1, 0)]:
        with pytest.raises(SolverError, match="is not a pure profile"):
            certify_pure(PENNIES, [bad])


@settings(max_examples=150, deadline=None)
@given(st.one_of(integer_games(max_moves=4), fraction_games(), float_games()), st.data())
def test_signs_of_comparable_values_are_compare(game: Game, data: st.DataObject) -> None:
    values = game.payoffs.ravel()
    ordered = comparable(values)
    assert ordered.dtype in (np.int64, np.float64, object)
    scale = data.draw(st.sampled_from([1.0, game.scale(), 1e6]))
    found = signs(ordered[:, None] - ordered[None, :], scale)
    expected = [[compare(a, b, scale) for b in values.tolist()] for a in values.tolist()]
    assert found.tolist() == expected


def test_comparable_keeps_integers_exact_past_int64() -> None:
    values = np.array([F(2**70, 3), F(2**70 + 1, 3), F(-1, 7)], dtype=object)
    ordered = comparable(values)
    assert ordered.dtype == object  # Python integers: int64 would overflow
    assert signs(ordered - ordered[0]).tolist() == [0, 1, -1]
