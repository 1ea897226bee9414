"""Exact simplex method for linear programs whose origin is feasible.

:func:`maximise` solves

    maximise ``c . z``  subject to  ``A z <= b``, ``z >= 0``,  where ``b >= 0``,

in exact rational arithmetic. Optional further objectives are maximised in turn over the
optimal points of the ones before (a *lexicographic* objective). With enough of them (for
instance ``z_0``, ``z_1``, ... in turn) the optimal point is unique, so the point returned
depends on the feasible set alone, not on how the constraints happen to be written.

Method (the lexicographic simplex method; Chvátal, *Linear Programming*, 1983, ch. 2-3),
in steps:

1. Multiply each constraint, with its bound, and each objective by a positive integer (the
   least common multiple of its denominators), so that every entry is an integer.
2. Write ``A z + s = b`` as an integer tableau with the slack basis (the origin, feasible as
   ``b >= 0``) and append one row per objective, starting at ``-c``.
3. Entering column, by Bland's rule: the first column whose reduced costs, read down the
   objectives in order, are lexicographically negative (the first non-zero one is negative).
4. Leaving row, by the lexicographic ratio test
   (:func:`sim.solvers.polytope.lexicographic_ratio_test`): the minimum ratio, ties broken
   by the rows of the basis inverse. This is the simplex method on ``b + (eps, eps^2, ...)``,
   whose objective strictly increases at every pivot, so no basis repeats and the method
   ends, even on degenerate programs on which the plain ratio test cycles. An entering
   column with no positive entry means the program is unbounded.
5. Pivot in fraction-free (Bareiss) integer arithmetic (:func:`sim.solvers.polytope.pivot`),
   until no column enters.
6. Read off the optimal vertex, each objective's value, and the first objective's dual
   prices (its reduced costs in the slack columns), undoing the scaling of step 1.

>>> result = maximise([1, 1], [[1, 2], [2, 1]])
>>> result.value, result.point, result.dual
(Fraction(2, 3), (Fraction(1, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(1, 3)))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from sim.errors import SolverError
from sim.solvers.polytope import lexicographic_ratio_test, pivot

__all__ = ["Optimum", "Rational", "maximise"]

Rational = int | Fraction
"""An exact number accepted by :func:`maximise`."""


@dataclass(frozen=True)
class Optimum:
    """An optimal vertex of ``maximise c . z subject to A z <= b, z >= 0`` (:func:`maximise`).

    Attributes
    ----------
    value : Fraction
        The optimum ``c . z`` of the first objective.
    values : tuple of Fraction
        Every objective at :attr:`point`, in the order given (the first is :attr:`value`);
        each later one is the largest possible among the optimal points of those before.
    point : tuple of Fraction
        An optimal vertex ``z``.
    dual : tuple of Fraction
        Optimal dual prices ``y >= 0`` of the constraints for the first objective:
        ``y A >= c`` and ``y . b = value``.
    pivots : int
        Number of simplex pivots taken.
    """

    value: Fraction
    values: tuple[Fraction, ...]
    point: tuple[Fraction, ...]
    dual: tuple[Fraction, ...]
    pivots: int


def _integer_row(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """The row times the least common multiple of its denominators, and that multiple."""
    factor = lcm(*(v.denominator for v in values))
    return [v.numerator * (factor // v.denominator) for v in values], factor


def _entering(objective_rows: Sequence[list[int]], n_columns: int) -> int | None:
    """Bland's rule: the first column with lexicographically negative reduced costs."""
    for j in range(n_columns):
        for row in objective_rows:
            if row[j]:
                if row[j] < 0:
                    return j
                break
    return None


def maximise(
    objective: Sequence[Rational],
    constraints: Sequence[Sequence[Rational]],
    rhs: Sequence[Rational] | None = None,
    *,
    then: Sequence[Sequence[Rational]] = (),
) -> Optimum:
    """Maximise ``c . z`` subject to ``A z <= b`` and ``z >= 0``, exactly.

    Parameters
    ----------
    objective : sequence of int or Fraction
        ``c``, one coefficient per variable.
    constraints : sequence of sequences of int or Fraction
        ``A``, one row per constraint and one column per variable.
    rhs : sequence of int or Fraction, optional
        ``b``, one non-negative bound per constraint (so that ``z = 0`` is feasible); all
        ones by default.
    then : sequence of sequences of int or Fraction
        Further objectives, each maximised over the optimal points of the ones before.

    Returns
    -------
    Optimum

    Raises
    ------
    ValueError
        If the shapes disagree or some bound is negative.
    SolverError
        If the program is unbounded (an objective grows without limit).

    Examples
    --------
    Among the points that maximise ``z_0 + z_1``, the one with the largest ``z_0``:

    >>> result = maximise([1, 1], [[1, 1], [1, 0]], [4, 3], then=[[1, 0]])
    >>> result.value, result.point, result.values
    (Fraction(4, 1), (Fraction(3, 1), Fraction(1, 1)), (Fraction(4, 1), Fraction(3, 1)))
    """
    objectives = [[Fraction(c) for c in row] for row in (objective, *then)]
    rows = [[Fraction(a) for a in row] for row in constraints]
    bounds = [Fraction(1)] * len(rows) if rhs is None else [Fraction(b) for b in rhs]
    n = len(objectives[0])
    m = len(rows)
    if any(len(row) != n for row in (*objectives, *rows)):
        raise ValueError(f"every objective and constraint needs {n} coefficients, one per variable")
    if len(bounds) != m:
        raise ValueError(f"{m} constraints but {len(bounds)} right-hand sides")
    if any(b < 0 for b in bounds):
        raise ValueError(
            f"right-hand sides {[str(b) for b in bounds]} include a negative one; "
            "they must be non-negative so that z = 0 is feasible"
        )

    # Step 1-2: the integer tableau [A | I | b] above one row [-c | 0 | 0] per objective.
    width = n + m  # structural then slack columns; the right-hand side is column ``width``
    tableau: list[list[int]] = []
    row_factors = []
    for i, (row, bound) in enumerate(zip(rows, bounds, strict=True)):
        ints, factor = _integer_row([*row, bound])
        tableau.append(ints[:n] + [int(k == i) for k in range(m)] + ints[n:])
        row_factors.append(factor)
    objective_factors = []
    for row in objectives:
        ints, factor = _integer_row(row)
        tableau.append([-c for c in ints] + [0] * (m + 1))
        objective_factors.append(factor)

    # Steps 3-5: pivot until no column enters.
    det = 1
    basis = list(range(n, width))
    pivots = 0
    while (entering := _entering(tableau[m:], width)) is not None:
        if all(row[entering] <= 0 for row in tableau[:m]):
            raise SolverError(
                f"the linear program is unbounded: variable {entering} can grow without "
                "limit; add constraints that bound the objective"
            )
        leaving = lexicographic_ratio_test(tableau[:m], entering, n, width)
        tableau, det = pivot(tableau, det, leaving, entering)
        basis[leaving] = entering
        pivots += 1

    # Step 6: read off the vertex, the objective values and the first objective's duals.
    point = [Fraction(0)] * n
    for i, var in enumerate(basis):
        if var < n:
            point[var] = Fraction(tableau[i][width], det)
    values = tuple(
        Fraction(row[width], det * factor)
        for row, factor in zip(tableau[m:], objective_factors, strict=True)
    )
    first = tableau[m]
    dual = tuple(
        Fraction(first[n + i] * factor, det * objective_factors[0])
        for i, factor in enumerate(row_factors)
    )
    return Optimum(values[0], values, tuple(point), dual, pivots)
