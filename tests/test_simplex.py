"""Tests for sim.solvers.simplex: the exact lexicographic simplex method."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import SolverError
from sim.solvers.polytope import enumerate_vertices
from sim.solvers.simplex import Optimum, maximise

SETTINGS = settings(max_examples=80, deadline=None)

# ----------------------------------------------------------------------- generators


@st.composite
def programs(
    draw: st.DrawFn,
) -> tuple[list[int], list[list[int]], list[int]]:
    """``(c, A, b)`` with small integers and ``b >= 0``; zeros in ``b`` make degeneracy common."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(0, 4))
    c = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    row = st.lists(st.integers(-3, 3), min_size=n, max_size=n)
    a = draw(st.lists(row, min_size=m, max_size=m))
    b = draw(st.lists(st.sampled_from([0, 0, 1, 2, 3]), min_size=m, max_size=m))
    return c, a, b


@st.composite
def packings(draw: st.DrawFn) -> tuple[list[int], list[list[int]]]:
    """``(c, C)`` with ``C`` positive (a bounded polytope ``C z <= 1``) and many ties."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 5))
    c = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    row = st.lists(st.integers(1, 3), min_size=n, max_size=n)
    return c, draw(st.lists(row, min_size=m, max_size=m))


def dot(x, y) -> Fraction:
    return sum((Fraction(a) * Fraction(b) for a, b in zip(x, y, strict=True)), Fraction(0))


def assert_certified(result: Optimum, c, a, b) -> None:
    """Exact optimality: primal and dual feasible with equal objectives (strong duality)."""
    z, y = result.point, result.dual
    assert all(isinstance(v, Fraction) for v in (*z, *y, result.value))
    assert min(z, default=0) >= 0 and min(y, default=0) >= 0
    assert all(dot(row, z) <= bound for row, bound in zip(a, b, strict=True))
    assert dot(c, z) == result.value
    columns = list(zip(*a, strict=True)) if a else [()] * len(c)
    assert all(dot(y, column) >= cost for column, cost in zip(columns, c, strict=True))
    assert dot(y, b) == result.value


def scipy_optimum(c, a, b) -> float | None:
    """Independent oracle: scipy's HiGHS; None when the program is unbounded."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    kwargs = {"A_ub": np.array(a, dtype=float), "b_ub": np.array(b, dtype=float)} if a else {}
    # HiGHS misreports some unbounded programs: with presolve as infeasible (c = [-1, 1, 0],
    # a = [[0, 0, 0], [0, -1, 1], [-1, 1, -1]], b = [0, 0, 1]), without it as status
    # "unknown" (c = [1, 0], a = [[0, -2], [-2, 2], [-3, 1]], b = [1, 1, 1]). Take the first
    # definite answer (optimal or unbounded).
    for options in ({}, {"presolve": False}):
        lp = linprog(
            c=-np.array(c, dtype=float),
            bounds=[(0, None)] * len(c),
            options=options,
            **kwargs,
        )
        if lp.status in (0, 3):
            break
    assert lp.status in (0, 3)
    return None if lp.status == 3 else -lp.fun


# ------------------------------------------------------------------- known programs

F = Fraction
BEALE = (  # Beale (1955): cycles under Dantzig's rule with the first-row tie-break
    [F(3, 4), -20, F(1, 2), -6],
    [[F(1, 4), -8, -1, 9], [F(1, 2), -12, F(-1, 2), 3], [0, 0, 1, 0]],
    [0, 0, 1],
)
CHVATAL_CYCLE = (  # Chvátal, Linear Programming (1983), ch. 3: cycles under the same rule
    [10, -57, -9, -24],
    [[F(1, 2), F(-11, 2), F(-5, 2), 9], [F(1, 2), F(-3, 2), F(-1, 2), 1], [1, 0, 0, 0]],
    [0, 0, 1],
)


@pytest.mark.parametrize(
    ("program", "value", "point"),
    [
        pytest.param(BEALE, F(5, 4), (1, 0, 1, 0), id="beale-cycling"),
        pytest.param(CHVATAL_CYCLE, F(1), (1, 0, 1, 0), id="chvatal-cycling"),
        pytest.param(
            ([5, 4, 3], [[2, 3, 1], [4, 1, 2], [3, 4, 2]], [5, 11, 8]),
            F(13),
            (2, 0, 1),
            id="chvatal-chapter-2",
        ),
        pytest.param(
            ([1, 1], [[1, 2], [2, 1]], None), F(2, 3), (F(1, 3), F(1, 3)), id="packing-ones"
        ),
        pytest.param(([-1, -2], [[1, 1]], [3]), F(0), (0, 0), id="origin-optimal"),
        pytest.param(([0, -1], [], []), F(0), (0, 0), id="no-constraints"),
        pytest.param(  # both ends degenerate: two constraints tight at 0, five at (1, 1)
            ([1, 1], [[1, -1], [-1, 1], [1, 1], [1, 0], [0, 1]], [0, 0, 2, 1, 1]),
            F(2),
            (1, 1),
            id="degenerate-diagonal",
        ),
    ],
)
def test_known_programs(program, value, point):
    c, a, b = program
    result = maximise(c, a, b)
    assert result.value == value and result.values == (value,)
    assert result.point == tuple(F(p) for p in point)
    assert_certified(result, c, a, [1] * len(a) if b is None else b)


def textbook_rule_cycles(c, a, b, max_pivots: int = 50) -> bool:
    """Dantzig's largest-coefficient rule with the first-row ratio tie-break, in Fractions.

    True when a basis repeats (the method cycles), False when it reaches an optimum.
    """
    m, n = len(a), len(c)
    rows = [
        [F(x) for x in row] + [F(int(k == i)) for k in range(m)] + [F(b[i])]
        for i, row in enumerate(a)
    ]
    costs = [-F(x) for x in c] + [F(0)] * (m + 1)
    basis = list(range(n, n + m))
    seen = {tuple(basis)}
    for _ in range(max_pivots):
        col = min(range(n + m), key=lambda j: (costs[j], j))
        if costs[col] >= 0:
            return False
        candidates = [i for i in range(m) if rows[i][col] > 0]
        row = min(candidates, key=lambda i: (rows[i][-1] / rows[i][col], i))
        pivot_row = [x / rows[row][col] for x in rows[row]]
        rows = [
            pivot_row if i == row else [x - r[col] * p for x, p in zip(r, pivot_row, strict=True)]
            for i, r in enumerate(rows)
        ]
        costs = [x - costs[col] * p for x, p in zip(costs, pivot_row, strict=True)]
        basis[row] = col
        if tuple(basis) in seen:
            return True
        seen.add(tuple(basis))
    raise AssertionError("neither cycled nor ended")


@pytest.mark.parametrize(
    "program", [pytest.param(BEALE, id="beale"), pytest.param(CHVATAL_CYCLE, id="chvatal")]
)
def test_cycling_examples_end_with_the_lexicographic_rule(program):
    c, a, b = program
    assert textbook_rule_cycles(c, a, b)  # the example really is a cycling one
    result = maximise(c, a, b)
    assert_certified(result, c, a, b)
    assert result.pivots <= 10


def test_then_breaks_ties_among_optimal_points():
    # Every point of the segment z_0 + z_1 = 1 is optimal; the tie-breaks pick an end.
    c, a = [1, 1], [[1, 1]]
    assert maximise(c, a, then=[[1, 0]]).point == (1, 0)
    assert maximise(c, a, then=[[0, 1]]).point == (0, 1)
    result = maximise(c, a, then=[[-1, 0], [1, 0]])
    assert result.point == (0, 1) and result.values == (1, 0, 0)


def test_fractions_and_integers_give_the_same_optimum():
    c, a, b = [3, 2], [[1, 1], [2, 1]], [4, 6]
    scaled = maximise([F(3, 7), F(2, 7)], [[F(1, 3), F(1, 3)], [4, 2]], [F(4, 3), 12])
    plain = maximise(c, a, b)
    assert plain.value == 10 and scaled.value == F(10, 7)
    assert plain.point == scaled.point == (2, 2)
    assert_certified(scaled, [F(3, 7), F(2, 7)], [[F(1, 3), F(1, 3)], [4, 2]], [F(4, 3), 12])


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        pytest.param(([1, 1], [[1, -1]], [1]), SolverError, "unbounded", id="unbounded"),
        pytest.param(([1], [], []), SolverError, "unbounded", id="unbounded-no-constraints"),
        pytest.param(([1], [[1]], [-1]), ValueError, "non-negative", id="negative-bound"),
        pytest.param(([1, 1], [[1]], [1]), ValueError, "coefficients", id="short-row"),
        pytest.param(([1], [[1]], [1, 1]), ValueError, "right-hand sides", id="extra-bound"),
    ],
)
def test_bad_programs_are_reported(arguments, error, message):
    with pytest.raises(error, match=message):
        maximise(*arguments)


# ------------------------------------------------------------------------- properties


@given(programs())
@SETTINGS
def test_agrees_with_scipy_and_is_certified_exactly(program):
    c, a, b = program
    expected = scipy_optimum(c, a, b)
    if expected is None:
        with pytest.raises(SolverError, match="unbounded"):
            maximise(c, a, b)
        return
    result = maximise(c, a, b)
    assert float(result.value) == pytest.approx(expected, abs=1e-7)
    assert_certified(result, c, a, b)


@given(packings())
@SETTINGS
def test_optimum_is_the_best_vertex(packing):
    c, constraints = packing
    vertices = [v.point for v in enumerate_vertices(constraints)]
    result = maximise(c, constraints)
    assert result.value == max(dot(c, v) for v in vertices)
    assert result.point in vertices
    assert_certified(result, c, constraints, [1] * len(constraints))


@given(packings(), st.lists(st.lists(st.integers(-2, 2), min_size=4, max_size=4), max_size=3))
@SETTINGS
def test_then_objectives_are_lexicographically_optimal(packing, extra):
    c, constraints = packing
    then = [row[: len(c)] for row in extra]
    result = maximise(c, constraints, then=then)
    candidates = [v.point for v in enumerate_vertices(constraints)]
    for objective, value in zip([c, *then], result.values, strict=True):
        best = max(dot(objective, v) for v in candidates)
        assert value == best == dot(objective, result.point)
        candidates = [v for v in candidates if dot(objective, v) == best]
    assert result.point in candidates


@given(programs(), st.lists(st.fractions(F(1, 4), 4, max_denominator=4), min_size=4, max_size=4))
@SETTINGS
def test_scaling_constraints_keeps_the_optimum(program, factors):
    c, a, b = program
    if scipy_optimum(c, a, b) is None:
        return
    scaled_a = [[f * x for x in row] for f, row in zip(factors, a, strict=False)]
    scaled_b = [f * x for f, x in zip(factors, b, strict=False)]
    ties = [[-int(k == r) for k in range(len(c))] for r in range(len(c))]  # unique point
    plain = maximise(c, a, b, then=ties)
    scaled = maximise(c, scaled_a, scaled_b, then=ties)
    assert scaled.value == plain.value and scaled.point == plain.point
    assert_certified(scaled, c, scaled_a, scaled_b)
