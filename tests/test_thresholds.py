"""Flip thresholds (sim.analysis.thresholds): exact closed forms, roots, fallback, sentences."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.analysis.structure import Structure, structure
from sim.analysis.thresholds import (
    MAX_WIDTH,
    WIDTH,
    Threshold,
    Thresholds,
    _bisect_grid,
    _critical_roots,
    _multiply,
    _Root,
    _roots,
    _separate,
    _simplest_inside,
    _structure_at_root,
    thresholds,
)
from sim.errors import SimError
from sim.scenario import Scenario, load, parse_scenario
from sim.solvers import solve

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LONDON = load(SCENARIOS / "london_talks.yaml")
E_R, E_X, M_R, M_X = (0, 0), (0, 1), (1, 0), (1, 1)


def two_by_two(
    row: list[list[str]], column: list[list[str]], parameters: str = "{t: 0}"
) -> Scenario:
    """A 2x2 (or larger) scenario whose payoffs are the given expression texts."""
    m, n = len(row), len(row[0])

    def matrix(rows: list[list[str]]) -> str:
        return "[" + ", ".join("[" + ", ".join(f'"{e}"' for e in r) + "]" for r in rows) + "]"

    text = f"""
kind: normal_form
title: test
players:
  Row: {{moves: [{", ".join(f"r{i}" for i in range(m))}]}}
  Column: {{moves: [{", ".join(f"c{j}" for j in range(n))}]}}
parameters: {parameters}
payoffs:
  Row: {matrix(row)}
  Column: {matrix(column)}
"""
    return parse_scenario(text)


def solved_structure(scenario: Scenario, name: str, value: Fraction) -> Structure:
    return structure(solve(scenario.with_parameters(**{name: value}).game))


def assert_consistent(result: Thresholds, scenario: Scenario, extra: list[Fraction]) -> None:
    """The claimed structure is the solved one inside every interval, at every exact
    threshold, at both ends and at the extra points."""
    name = result.parameter
    points = [result.low, result.high, *extra]
    previous = result.low
    for threshold in result.thresholds:
        lo, hi = threshold.bounds
        points.append((previous + lo) / 2)
        if threshold.exact:
            points.append(lo)
        previous = hi
    points.append((previous + result.high) / 2)
    for x in points:
        claimed = result.structure_at(x)
        if claimed is None:
            continue
        assert claimed == solved_structure(scenario, name, x), f"{name} = {x}"


# ------------------------------------------------------------- S1 closed forms
@pytest.mark.parametrize("c_us", [Fraction(2), Fraction(5, 2), Fraction(3, 2), Fraction(7, 3)])
def test_mixed_branch_appears_at_g_us_equal_c_us(c_us: Fraction) -> None:
    # China a conditional cooperator (g_cn = 4 > c_cn = 3): stag hunt once g_us > c_us.
    scenario = LONDON.with_parameters(g_cn=4, c_us=c_us)
    result = thresholds(scenario, "g_us", 0, 4)
    assert result.method == "polynomial"
    (flip,) = result.thresholds
    assert flip.exact and flip.value == c_us and isinstance(flip.value, Fraction)
    assert flip.before.mixed == 0 and flip.after.mixed == 1
    assert flip.before.game_type == "one-sided dominance"
    assert flip.after.game_type == "stag hunt"
    assert flip.at is not None and flip.at.game_type == "degenerate"
    assert_consistent(result, scenario, [])


@pytest.mark.parametrize(
    ("c_us", "s_us"),
    [
        (Fraction(2), Fraction(1)),
        (Fraction(3, 2), Fraction(1, 2)),
        (Fraction(5, 4), Fraction(7, 4)),
    ],
)
def test_mixed_branch_appears_at_z_us_equal_c_us_plus_s_us(c_us: Fraction, s_us: Fraction) -> None:
    # China chicken-type (z_cn = 6 > c_cn + s_cn = 4): chicken once z_us > c_us + s_us.
    scenario = LONDON.with_parameters(z_cn=6, c_us=c_us, s_us=s_us)
    result = thresholds(scenario, "z_us", 0, 4)
    (flip,) = result.thresholds
    assert flip.exact and flip.value == c_us + s_us
    assert (flip.before.mixed, flip.after.mixed) == (0, 1)
    assert flip.after.game_type == "chicken"
    assert flip.after.pure == (E_X, M_R)
    assert_consistent(result, scenario, [])


def test_defaults_flip_from_prisoners_dilemma_at_g_us_equal_c_us() -> None:
    result = thresholds(LONDON, "g_us", 0, 4)
    (flip,) = result.thresholds
    assert flip.value == 2 and flip.exact
    assert flip.before.game_type == "prisoner's dilemma"
    assert flip.after.game_type == "one-sided dominance"
    assert flip.before.pure == flip.after.pure == (M_X,)
    assert result.sentences() == (
        "(maintain_chip_controls, restrict_re) is an equilibrium for every g_us "
        "(swept range 0 to 4).",
        "The game is a prisoner's dilemma exactly when g_us < 2 (swept range 0 to 4).",
        "The game is degenerate exactly when g_us = 2 (swept range 0 to 4).",
        "The game has one-sided dominance exactly when g_us > 2 (swept range 0 to 4).",
    )


def shared_truce_bonus() -> Scenario:
    """The S1 game with one truce bonus g for both sides (v = 5, c = 2, s = 1, z = 0)."""
    return two_by_two(
        [["v - c + g", "-c - s"], ["v", "-z"]],
        [["v - c + g", "v"], ["-c - s", "-z"]],
        parameters="{v: 5, c: 2, s: 1, z: 0, g: 1}",
    )


def test_prisoners_dilemma_to_stag_hunt_at_g_equal_c() -> None:
    scenario = shared_truce_bonus()
    result = thresholds(scenario, "g", 0, 4)
    (flip,) = result.thresholds
    assert flip.value == Fraction(2) and flip.exact
    assert flip.before == Structure((M_X,), 0, False, "prisoner's dilemma")
    assert flip.after == Structure((E_R, M_X), 1, False, "stag hunt")
    assert flip.at is not None and flip.at.game_type == "degenerate"
    assert result.sentences()[0] == (
        "(r0, c0) is an equilibrium exactly when g ≥ 2 (swept range 0 to 4)."
    )
    assert "There is a mixed equilibrium exactly when g > 2 (swept range 0 to 4)." in (
        result.sentences()
    )


def test_stag_hunt_to_coordination_is_a_risk_dominance_root() -> None:
    # Stag hunt (risk-dominated stag) until the hare payoff h drops: deviation losses at
    # (stag, stag) are 1 * 1, at (hare, hare) h * h, so the flip is at h = 1 exactly.
    scenario = two_by_two([["4", "0"], ["3", "h"]], [["4", "3"], ["0", "h"]], parameters="{h: 2}")
    result = thresholds(scenario, "h", "1/2", 3)
    (flip,) = result.thresholds
    assert flip.value == 1 and flip.exact
    assert (flip.before.game_type, flip.at and flip.at.game_type, flip.after.game_type) == (
        "coordination",
        "coordination",
        "stag hunt",
    )


# ---------------------------------------------------------------------- roots
def test_quadratic_irrational_roots_match_numpy() -> None:
    scenario = two_by_two([["t**2 - 3*t + 1", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", -1, 4)
    values = sorted(float(t.value) for t in result.thresholds)
    expected = sorted(r.real for r in np.roots([1, -3, 1]))
    assert values == pytest.approx(expected, abs=1e-9)
    assert all(not t.exact for t in result.thresholds)
    for threshold, root in zip(result.thresholds, expected, strict=True):
        lo, hi = threshold.bounds
        assert lo < Fraction(root) < hi or abs(float(lo) - root) < 1e-12
        assert hi - lo <= WIDTH * 4
    assert "≈0.3819660113" in " ".join(result.sentences())
    assert_consistent(result, scenario, [Fraction(1, 3), Fraction(29, 10)])


def test_quadratic_rational_roots_are_exact() -> None:
    scenario = two_by_two([["t**2 - 5*t + 6", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", 0, 4)
    assert [(t.value, t.exact) for t in result.thresholds] == [
        (Fraction(2), True),
        (Fraction(3), True),
    ]
    assert_consistent(result, scenario, [])


def test_cubic_rational_root_found_exactly() -> None:
    # (t - 1/3)(t^2 - 2): one rational and two irrational roots in [-2, 2].
    cubic = "(t - 1/3) * (t**2 - 2)"
    scenario = two_by_two([[cubic, "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", -2, 2)
    found = [(t.value, t.exact) for t in result.thresholds]
    assert (Fraction(1, 3), True) in found
    approximate = sorted(float(v) for v, exact in found if not exact)
    assert approximate == pytest.approx([-(2**0.5), 2**0.5], abs=1e-9)


@pytest.mark.parametrize(
    ("coefficients", "expected"),
    [
        pytest.param([-2, 0, 1], [-(2**0.5), 2**0.5], id="sqrt2"),
        pytest.param([0, -1, 0, 1], [-1, 0, 1], id="cubic-rational"),
        pytest.param([1, 0, 1], [], id="no-real-roots"),
        pytest.param([4, -4, 1], [2], id="double-root"),
        pytest.param([-6, 11, -6, 1], [1, 2, 3], id="three-rational"),
        pytest.param([1, 0, -10, 0, 1], None, id="quartic"),
    ],
)
def test_root_finder(coefficients: list[int], expected: list[float] | None) -> None:
    poly = tuple(Fraction(c) for c in coefficients)
    found = _roots(poly, Fraction(-4), Fraction(4))
    if expected is None:
        expected = sorted(r.real for r in np.roots(coefficients[::-1]) if abs(r.imag) < 1e-12)
    values = sorted(float((r.lo + r.hi) / 2) for r in found)
    assert values == pytest.approx(expected, abs=1e-9)
    for r in found:
        if r.exact:
            assert sum(c * r.lo**k for k, c in enumerate(poly)) == 0


def test_approximate_roots_are_cut_at_exact_candidates() -> None:
    sqrt2 = _Root(Fraction(1, 2), Fraction(2), (Fraction(-2), Fraction(0), Fraction(1)))
    out = _separate([_Root(Fraction(1), Fraction(1)), sqrt2], Fraction(0), Fraction(3))
    assert [r.exact for r in out] == [True, False]
    assert out[0].lo == 1
    assert 1 < out[1].lo < Fraction(14142135, 10**7) and out[1].hi > Fraction(14142136, 10**7)
    # An exact candidate that is the approximate root itself makes it exact.
    cubic = (Fraction(-1), Fraction(1), Fraction(-1), Fraction(1))  # (t - 1)(t^2 + 1)
    out = _separate(
        [_Root(Fraction(1), Fraction(1)), _Root(Fraction(0), Fraction(2), cubic)],
        Fraction(-1),
        Fraction(3),
    )
    assert [(r.lo, r.hi) for r in out] == [(1, 1)]


def test_overlapping_approximate_roots_are_separated() -> None:
    # Roots sqrt(2) and 3/2 - 1/10**6 (irrational-free but given as approximate).
    near = _Root(Fraction(1), Fraction(2), (Fraction(-3, 2) + Fraction(1, 10**6), Fraction(1)))
    sqrt2 = _Root(Fraction(1), Fraction(2), (Fraction(-2), Fraction(0), Fraction(1)))
    out = _separate([sqrt2, near], Fraction(0), Fraction(3))
    assert len(out) == 2
    assert out[0].hi < out[1].lo


def test_root_at_the_ends_of_the_range_is_not_a_threshold() -> None:
    scenario = two_by_two([["t", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", 0, 2)
    assert result.thresholds == ()
    assert result.start.game_type == "degenerate"
    assert result.intervals == (solved_structure(scenario, "t", Fraction(1)),)
    sentences = result.sentences()
    assert "The game is degenerate exactly when t = 0 (swept range 0 to 2)." in sentences
    assert "The game is a coordination game exactly when t > 0 (swept range 0 to 2)." in sentences
    # (r0, c0) is still an equilibrium at t = 0, where the row player is indifferent.
    assert "(r0, c0) is an equilibrium for every t (swept range 0 to 2)." in sentences


# ------------------------------------------------------------------- fallback
def test_non_polynomial_payoffs_use_bisection() -> None:
    scenario = two_by_two([["max(t, 1) - 3/2", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", -3, 3)
    assert result.method == "bisection"
    assert "max(t, 1) - 3/2" in result.reason and "not a polynomial" in result.reason
    # The tie at t = 3/2 is a degenerate game seen at that one value, between two others:
    # an exact threshold.
    (flip,) = result.thresholds
    assert flip.exact and flip.value == Fraction(3, 2) and flip.bounds == (flip.value,) * 2
    assert flip.at == solved_structure(scenario, "t", Fraction(3, 2))
    assert "The game is a coordination game exactly when t > 3/2 (swept range -3 to 3)." in (
        result.sentences()
    )
    assert_consistent(result, scenario, [Fraction(-2), Fraction(14, 10), Fraction(16, 10)])


def test_irrational_threshold_by_bisection_is_approximate() -> None:
    # max(t, -100) is t on the range, but not polynomial syntax: bisection, root sqrt(2).
    scenario = two_by_two([["max(t, -100)**2 - 2", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", 0, 3)
    assert result.method == "bisection"
    (flip,) = result.thresholds
    assert not flip.exact and flip.at is None and flip.text() == "≈1.414213562"
    lo, hi = flip.bounds
    assert lo < Fraction(14142135623730951, 10**16) < hi
    assert hi - lo <= result.width <= WIDTH * 3
    assert result.structure_at(lo) is None and result.structure_at(hi + WIDTH) is not None


def test_bisection_agrees_with_the_polynomial_method() -> None:
    # max(t, -100) is t on the range, but is not polynomial syntax: the fallback runs.
    exact = two_by_two([["t**2 - 2", "0"], ["0", "t"]], [["1", "0"], ["0", "1"]])
    fallback = two_by_two(
        [["max(t, -100)**2 - 2", "0"], ["0", "max(t, -100)"]], [["1", "0"], ["0", "1"]]
    )
    a = thresholds(exact, "t", -3, 3)
    b = thresholds(fallback, "t", -3, 3, grid=61)
    assert (a.method, b.method) == ("polynomial", "bisection")
    assert len(a.thresholds) == len(b.thresholds) == 3
    for x, y in zip(a.thresholds, b.thresholds, strict=True):
        assert float(x.value) == pytest.approx(float(y.value), abs=1e-9)
        assert (x.before, x.after) == (y.before, y.after)
    assert a.intervals == b.intervals


def test_a_tie_for_every_value_keeps_the_polynomial_method() -> None:
    # The column player always ties against row r0: degenerate on the whole line. A
    # determinant that is zero for every t keeps its sign, so the roots of the others are
    # still every candidate (module docstring, step 3).
    scenario = two_by_two([["t", "0"], ["0", "1"]], [["1", "1"], ["0", "1"]])
    result = thresholds(scenario, "t", -1, 2)
    assert (result.method, result.reason) == ("polynomial", "")
    assert [(t.value, t.exact) for t in result.thresholds] == [(Fraction(0), True)]
    assert_consistent(result, scenario, [Fraction(1, 7), Fraction(-1, 3)])


def test_float_payoffs_use_bisection() -> None:
    # t * sqrt(2) ties 0 at t = 0. The game has float payoffs, solved on its rationalised
    # payoffs, in which every |t| below about 1.8e-10 gives an exact tie: a degenerate
    # window of that width, bounded by two approximate thresholds.
    scenario = two_by_two([["t * 2 ** 0.5", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", -1, 2)
    assert result.method == "bisection"
    assert "not exact numbers" in result.reason
    first, second = result.thresholds
    assert abs(first.value) < 1e-9 and abs(second.value) < 1e-9
    assert first.before.game_type == "one-sided dominance"
    assert first.after.game_type == second.before.game_type == "degenerate"
    assert second.after.game_type == "coordination"


# ------------------------------------------------------------------- n players
THREE_PLAYERS = """
kind: normal_form
title: three
players:
  A: {moves: [a0, a1]}
  B: {moves: [b0, b1]}
  C: {moves: [c0, c1]}
parameters: {t: 0}
payoffs:
  a0, b0, c0: [t, 1, 1]
  a0, b0, c1: [0, 0, 2 - t]
  a0, b1, c0: [0, 2*t - 1, 0]
  a0, b1, c1: [1, 1, 1]
  a1, b0, c0: [1, 0, 0]
  a1, b0, c1: [0, 1, 1]
  a1, b1, c0: [1, 1, 0]
  a1, b1, c1: [0, 0, 0]
"""


def test_three_players() -> None:
    scenario = parse_scenario(THREE_PLAYERS)
    result = thresholds(scenario, "t", -2, 3)
    assert result.method == "polynomial"
    assert all(t.exact for t in result.thresholds)
    assert {t.value for t in result.thresholds} <= {Fraction(1), Fraction(1, 2), Fraction(2)}
    assert all(s.mixed is None for s in result.intervals)
    assert_consistent(result, scenario, [Fraction(k, 7) for k in range(-14, 21, 3)])


# ------------------------------------------------------------------ properties
affine = st.tuples(st.integers(-6, 6), st.integers(-4, 4))


def affine_text(entry: tuple[int, int]) -> str:
    constant, slope = entry
    return f"({constant}) + ({slope}) * t"


@st.composite
def affine_games(draw: st.DrawFn, size: int) -> Scenario:
    cells = st.lists(st.lists(affine, min_size=size, max_size=size), min_size=size, max_size=size)
    row, column = draw(cells), draw(cells)
    return two_by_two(
        [[affine_text(e) for e in r] for r in row], [[affine_text(e) for e in r] for r in column]
    )


def polynomial_method_applies(scenario: Scenario) -> bool:
    """Whether thresholds() takes the polynomial path (checked without the slow fallback)."""
    return _critical_roots(scenario, "t", Fraction(-2), Fraction(2))[0] is not None


points = st.fractions(min_value=-2, max_value=2, max_denominator=40)


@settings(max_examples=60, deadline=None)
@given(affine_games(2), st.lists(points, max_size=4))
def test_claims_hold_on_random_affine_2x2(scenario: Scenario, extra: list[Fraction]) -> None:
    assume(polynomial_method_applies(scenario))
    result = thresholds(scenario, "t", -2, 2)
    assert result.method == "polynomial"
    assert_consistent(result, scenario, extra)


@settings(max_examples=30, deadline=None)
@given(affine_games(3), st.lists(points, max_size=3))
def test_claims_hold_on_random_affine_3x3(scenario: Scenario, extra: list[Fraction]) -> None:
    assume(polynomial_method_applies(scenario))
    result = thresholds(scenario, "t", -2, 2)
    assert result.method == "polynomial"
    assert_consistent(result, scenario, extra)


@settings(max_examples=40, deadline=None)
@given(affine_games(2))
def test_every_threshold_changes_something(scenario: Scenario) -> None:
    result = thresholds(scenario, "t", -2, 2, grid=5)
    for threshold in result.thresholds:
        assert threshold.before != threshold.after or threshold.at != threshold.before
    assert len(result.intervals) == len(result.thresholds) + 1
    assert all(a.bounds[1] < b.bounds[0] for a, b in pairwise(result.thresholds))


# --------------------------------------------------------------- API details
def test_structure_at_and_range_errors() -> None:
    scenario = LONDON.with_parameters(g_cn=4)
    result = thresholds(scenario, "g_us", 0, 4)
    assert result.structure_at(2) == result.thresholds[0].at
    assert result.structure_at(Fraction(1)) == result.intervals[0]
    assert result.structure_at(3.5) == result.intervals[1]
    with pytest.raises(SimError, match="outside the swept range 0 to 4"):
        result.structure_at(5)


@pytest.mark.parametrize(
    ("parameter", "low", "high", "grid", "message"),
    [
        ("g", 0, 1, 201, "unknown parameter 'g'.*parameters are v_us, c_us"),
        ("g_us", 1, 1, 201, "low < high"),
        ("g_us", 0, 1, 2, "at least 3"),
        ("g_us", "x", 1, 201, "not a number"),
    ],
)
def test_bad_arguments(parameter: str, low: Any, high: Any, grid: int, message: str) -> None:
    with pytest.raises(SimError, match=message):
        thresholds(LONDON, parameter, low, high, grid=grid)


def test_to_dict_is_json() -> None:
    result = thresholds(LONDON.with_parameters(g_cn=4), "g_us", 0, 4)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["method"] == "polynomial"
    assert data["thresholds"][0]["exact_value"] == "2"
    assert data["thresholds"][0]["after"]["game_type"] == "stag hunt"
    assert data["sentences"] == list(result.sentences())


def test_sentence_with_a_bounded_interval() -> None:
    # (r0, c0) is an equilibrium only for 1 <= t <= 2.
    scenario = two_by_two([["(t - 1) * (2 - t)", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", 0, 3)
    text = result.sentences()
    assert "(r0, c0) is an equilibrium exactly when 1 ≤ t ≤ 2 (swept range 0 to 3)." in text
    assert (
        "The game has one-sided dominance exactly when t < 1 or t > 2 (swept range 0 to 3)." in text
    )


def test_unchanging_structure() -> None:
    result = thresholds(LONDON, "v_us", 2, 8)
    assert result.thresholds == ()
    assert result.sentences() == (
        "The equilibrium structure is the same for every v_us in the swept range 2 to 8: "
        "prisoner's dilemma: (maintain_chip_controls, restrict_re).",
    )


# ------------------------------------------------------------- review fixes (regressions)
def single_peak(row_00: str) -> Scenario:
    """A 2x2 game whose row payoff at (r0, c0) is ``row_00`` and ties ``1`` at its peak:
    (r0, c0) is an equilibrium exactly where ``row_00 = 1``."""
    return two_by_two([[row_00, "-1"], ["1", "0"]], [["2", "0"], ["1", "3"]])


def test_bisection_reports_a_structure_seen_at_one_value_as_an_exact_threshold() -> None:
    # abs() forces bisection; the game is degenerate at t = 3/2 only, where (r0, c0) joins.
    scenario = single_peak("1 - abs(t - 3/2)")
    result = thresholds(scenario, "t", 0, 3)
    assert result.method == "bisection"
    (flip,) = result.thresholds
    assert flip.exact and flip.value == Fraction(3, 2) and flip.bounds == (flip.value,) * 2
    truth = solved_structure(scenario, "t", Fraction(3, 2))
    assert truth.game_type == "degenerate" and (0, 0) in truth.pure
    assert flip.at == result.structure_at(Fraction(3, 2)) == truth
    assert flip.before == flip.after != truth
    assert result.pieces()[2] == (flip.value, flip.value, truth)
    assert not result.unchanging
    text = result.sentences()
    assert "(r0, c0) is an equilibrium exactly when t = 3/2 (swept range 0 to 3)." in text
    assert not any("the same for every" in sentence for sentence in text)
    assert_consistent(result, scenario, [Fraction(149, 100), Fraction(151, 100)])


def test_bisection_solves_the_simplest_fraction_of_its_last_bracket() -> None:
    # A third structure only at c, a fraction the bisection's own midpoints never pick
    # (found by search): only the final probe of the bracket solves at c.
    c = Fraction(247294, 1569837)
    below, at, above = (
        Structure(((0, 0),), 0, False, None),
        Structure(((0, 0), (1, 1)), 0, False, None),
        Structure(((1, 1),), 0, False, None),
    )
    calls: list[Fraction] = []

    def solve_at(x: Fraction) -> Structure:
        calls.append(x)
        return below if x < c else at if x == c else above

    found, intervals, _, _ = _bisect_grid(solve_at, "t", Fraction(0), Fraction(1), 11)
    assert calls.index(c) == len(calls) - 1
    (flip,) = found
    assert (flip.value, flip.exact, flip.at) == (c, True, at)
    assert intervals == (below, above)


def test_a_tie_for_every_value_still_gives_exact_linear_thresholds() -> None:
    # c_us = 2 = z_us - s_us: the US ties at (maintain, raise) for every z_cn, so one
    # degeneracy determinant is identically zero. The flip is China's z_cn = c_cn + s_cn.
    scenario = LONDON.with_parameters(s_us=0, z_us=2)
    result = thresholds(scenario, "z_cn", 0, 8)
    assert (result.method, result.reason) == ("polynomial", "")
    (flip,) = result.thresholds
    assert flip.exact and flip.value == 4
    truth = solved_structure(scenario, "z_cn", Fraction(4))
    assert result.structure_at(4) == flip.at == truth
    assert {M_R, M_X} <= set(truth.pure)
    text = result.sentences()
    assert (
        "(maintain_chip_controls, raise_re_exports) is an equilibrium exactly when z_cn ≥ 4 "
        "(swept range 0 to 8)."
    ) in text
    assert (
        "(maintain_chip_controls, restrict_re) is an equilibrium exactly when z_cn ≤ 4 "
        "(swept range 0 to 8)."
    ) in text
    assert_consistent(result, scenario, [Fraction(399, 100), Fraction(401, 100)])


@st.composite
def tied_affine_games(draw: st.DrawFn, size: int) -> Scenario:
    """Affine games with a tie that holds for every t (degenerate on the whole line)."""
    cells = st.lists(st.lists(affine, min_size=size, max_size=size), min_size=size, max_size=size)
    row = [[affine_text(e) for e in r] for r in draw(cells)]
    column = [[affine_text(e) for e in r] for r in draw(cells)]
    i, j, k = draw(st.tuples(*[st.integers(0, size - 1)] * 3))
    other = (j + 1 + draw(st.integers(0, size - 2))) % size
    match draw(st.sampled_from(["column cell", "row cell", "column move", "row move"])):
        case "column cell":  # the column player ties two moves against row i
            column[i][other] = column[i][j]
        case "row cell":  # the row player ties two moves against column k
            row[other][k] = row[j][k]
        case "column move":  # two column moves equal for the column player
            for r in column:
                r[other] = r[j]
        case _:  # two row moves equal for the row player
            row[other] = list(row[j])
    return two_by_two(row, column)


def beside(result: Thresholds) -> list[Fraction]:
    """Values just outside each threshold's bounds, where claims are easiest to get wrong."""
    out = []
    for threshold in result.thresholds:
        lo, hi = threshold.bounds
        out += [lo - Fraction(1, 10**6), hi + Fraction(1, 10**6)]
    return [x for x in out if result.low <= x <= result.high]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([2, 3]).flatmap(tied_affine_games), st.lists(points, max_size=4))
def test_claims_hold_on_games_degenerate_for_every_t(
    scenario: Scenario, extra: list[Fraction]
) -> None:
    result = thresholds(scenario, "t", -2, 2)
    assert result.method == "polynomial"
    assert_consistent(result, scenario, [*extra, *beside(result)])


def test_closed_properties_include_an_irrational_threshold() -> None:
    # Polynomial method: (r0, c0) is an equilibrium at t = (sqrt(5) - 1) / 2 itself, a
    # degenerate game; the game types are strict there.
    scenario = single_peak("t**3 - 2*t + 2")
    result = thresholds(scenario, "t", 0, 3)
    text = " ".join(result.sentences())
    assert "(r0, c0) is an equilibrium exactly when t ≤ ≈0.618033988" in text
    golden, one = result.thresholds
    assert golden.text() == "≈0.6180339887" and not golden.exact  # (5**0.5 - 1) / 2
    assert golden.at is not None and golden.at.game_type == "degenerate"
    assert (one.value, one.exact) == (1, True)
    text = result.sentences()
    assert (
        "(r0, c0) is an equilibrium exactly when t ≤ ≈0.6180339887 or t ≥ 1 (swept range 0 to 3)."
    ) in text
    assert (
        "The game is a chicken game exactly when t < ≈0.6180339887 or t > 1 (swept range 0 to 3)."
    ) in text
    assert (
        "The game is degenerate exactly when t = ≈0.6180339887 or t = 1 (swept range 0 to 3)."
    ) in text


def test_bisection_includes_an_approximate_threshold_in_closed_properties_only() -> None:
    scenario = two_by_two([["max(t, -100)**2 - 2", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", 0, 3)
    text = result.sentences()
    # Equilibrium membership is closed: at sqrt(2), the limit of t > sqrt(2), it holds.
    assert "(r0, c0) is an equilibrium exactly when t ≥ ≈1.414213562 (swept range 0 to 3)." in text
    assert result.method == "bisection" and result.exact_payoffs
    # A game type is not: the bisection does not claim the threshold for it.
    assert (
        "The game is a coordination game exactly when t > ≈1.414213562 (swept range 0 to 3)."
        in (text)
    )


def test_float_payoffs_do_not_use_closedness() -> None:
    # Rounded float payoffs need not be continuous in t: no closedness claims.
    scenario = two_by_two([["t * 2 ** 0.5", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", -1, 2)
    assert not result.exact_payoffs
    (sentence,) = [s for s in result.sentences() if s.startswith("(r0, c0)")]
    assert sentence.startswith("(r0, c0) is an equilibrium exactly when t > ≈-1.7")


def test_a_change_only_at_an_irrational_value_is_a_threshold() -> None:
    # 1 - (t^2 - 2)^2 reaches 1 only at sqrt(2): the game there is degenerate, with
    # (r0, c0) an equilibrium, and the same on both sides.
    scenario = single_peak("1 - (t**2 - 2)**2")
    result = thresholds(scenario, "t", 0, 3)
    (flip,) = result.thresholds
    assert result.method == "polynomial" and not result.unchanging
    assert not flip.exact and flip.text() == "≈1.414213562"
    assert flip.before == flip.after != flip.at
    # At sqrt(2) the payoffs are those of single_peak("1"), a rational game.
    assert flip.at == solved_structure(single_peak("1 + 0 * t"), "t", Fraction(0))
    text = result.sentences()
    assert "(r0, c0) is an equilibrium exactly when t = ≈1.414213562 (swept range 0 to 3)." in text
    assert not any("the same for every" in sentence for sentence in text)


@settings(max_examples=40, deadline=None)
@given(affine_games(2))
def test_structure_at_irrational_roots_matches_the_rational_game(game_in_s: Scenario) -> None:
    # G(t) = H(t^2 - 2) for an affine H(s): G's thresholds are sqrt(s + 2) for H's
    # thresholds s (rational), where G's game is H's, solved exactly by the solver.
    rows = [[e.text for e in row] for row in game_in_s._expressions]

    def substituted(variable: str) -> list[list[str]]:
        return [[text.replace("t", variable) for text in row] for row in rows]

    def scenario(cells: list[list[str]], name: str) -> Scenario:
        row = [[cells[2 * i + j][0] for j in range(2)] for i in range(2)]
        column = [[cells[2 * i + j][1] for j in range(2)] for i in range(2)]
        return two_by_two(row, column, parameters=f"{{{name}: 0}}")

    h = scenario(substituted("s"), "s")
    g = scenario(substituted("(t**2 - 2)"), "t")
    in_s, in_t = thresholds(h, "s", -2, 7), thresholds(g, "t", 0, 3)
    assert (in_s.start, in_s.intervals, in_s.end) == (in_t.start, in_t.intervals, in_t.end)
    assert len(in_s.thresholds) == len(in_t.thresholds)
    for s, t in zip(in_s.thresholds, in_t.thresholds, strict=True):
        assert float(s.value) + 2 == pytest.approx(float(t.value) ** 2, abs=1e-9)
        assert (s.before, s.at, s.after) == (t.before, t.at, t.after)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([2, 3]).flatmap(tied_affine_games) | affine_games(3))
def test_structure_at_a_root_agrees_with_the_solver(scenario: Scenario) -> None:
    # _structure_at_root at each rational candidate r, presented as a root of the
    # polynomial (t - r)(t^2 - 2), must equal the solver's structure at r.
    low, high = Fraction(-2), Fraction(2)
    roots, critical, _ = _critical_roots(scenario, "t", low, high)
    assume(roots is not None and critical is not None)
    assert roots is not None and critical is not None
    previous = low
    for root in roots:
        if root.exact and abs(root.lo**2 - 2) > Fraction(1, 10):
            disguised = _Root(
                root.lo - Fraction(1, 100),
                root.lo + Fraction(1, 100),
                _multiply((-root.lo, Fraction(1)), (Fraction(-2), Fraction(0), Fraction(1))),
            )
            left = _simplest_inside(previous, root.lo)
            found = _structure_at_root(scenario.game.shape, critical, disguised, left)
            assert found == solved_structure(scenario, "t", root.lo)
        previous = root.hi


def test_the_same_root_of_several_polynomials_is_one_candidate() -> None:
    two = (Fraction(-2), Fraction(0), Fraction(1))  # t^2 - 2
    times = _multiply(two, (Fraction(-5), Fraction(1)))  # (t^2 - 2)(t - 5)
    first = _Root(Fraction(1), Fraction(3, 2), two)
    second = _Root(Fraction(7, 5), Fraction(2), times)
    (merged,) = _separate([first, second], Fraction(0), Fraction(3))
    assert merged.poly == two and merged.lo < Fraction(1414214, 10**6) < merged.hi


def test_an_undetermined_structure_is_never_claimed() -> None:
    # The polynomial method leaves at None only for roots it cannot separate; built by
    # hand here. Nothing is claimed at that value.
    game = single_peak("t").game
    one_sided = Structure(((1, 1),), 0, False, "one-sided dominance")
    flip = Threshold("t", 1.5, False, (Fraction(1), Fraction(2)), one_sided, None, one_sided)
    result = Thresholds(
        game, "t", Fraction(0), Fraction(3), "polynomial", "", (flip,), (one_sided,) * 2,
        one_sided, one_sided,
    )  # fmt: skip
    assert not result.unchanging
    text = result.sentences()
    assert "(r1, c1) is an equilibrium for every t (swept range 0 to 3)." in text  # closed
    assert (
        "The game has one-sided dominance exactly when t < ≈1.5 or t > ≈1.5, and possibly at "
        "t = ≈1.5 (swept range 0 to 3)."
    ) in text
    assert any("exactly at t = ≈1.5 is not determined" in sentence for sentence in text)
    # The bisection method guesses instead (documented).
    guessed = Thresholds(
        game, "t", Fraction(0), Fraction(3), "bisection", "", (flip,), (one_sided,) * 2,
        one_sided, one_sided,
    )  # fmt: skip
    assert "The game has one-sided dominance for every t (swept range 0 to 3)." in (
        guessed.sentences()
    )


def test_thresholds_are_bisected_to_1e_9_whatever_the_range() -> None:
    scenario = two_by_two([["t**2 - 2", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]])
    result = thresholds(scenario, "t", 0, 10**6)
    (flip,) = result.thresholds
    lo, hi = flip.bounds
    assert hi - lo <= WIDTH * 2 and flip.text() == "≈1.414213562"
    assert result.width == MAX_WIDTH
    assert result.to_dict()["width"] == float(MAX_WIDTH)


def test_sweep_prints_the_bisection_width(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sim.cli import app

    path = tmp_path / "peak.yaml"
    path.write_text(
        """
kind: normal_form
title: peak
players:
  Row: {moves: [r0, r1]}
  Column: {moves: [c0, c1]}
parameters: {t: 0}
payoffs:
  Row: [["max(t, -100)**2 - 2", "0"], ["0", "1"]]
  Column: [["1", "0"], ["0", "1"]]
""",
        encoding="utf-8",
    )
    out = CliRunner().invoke(
        app,
        ["sweep", str(path), "--param", "t=0:3:4", "--out", str(tmp_path / "o"), "--no-figures"],
        env={"COLUMNS": "250"},
    )
    assert out.exit_code == 0, out.output
    assert "Thresholds found by bisection to 3e-12: the payoff of Row" in out.output


def test_report_lists_a_change_only_at_an_irrational_value() -> None:
    from sim.report import flip_lines

    scenario = single_peak("1 - (t**2 - 2)**2")
    lines = flip_lines(scenario, [thresholds(scenario, "t", 0, 3)])
    assert "**t**:" in lines
    assert not any("same across the whole range" in line for line in lines)
