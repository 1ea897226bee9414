"""Exact vertex enumeration of best-response polytopes ``{z >= 0 : C z <= 1}``.

For a two-player game with positive payoffs, player 1's best-response polytope is
``P = {x >= 0 : B^T x <= 1}`` and player 2's is ``Q = {y >= 0 : A y <= 1}`` (von Stengel,
"Computing equilibria for two-person games", Handbook of Game Theory 3, 2002, §3). Their
vertices, with the set of constraints tight at each ("labels"), are all that equilibrium
enumeration needs.

Method, in steps:

1. Write ``C z + s = 1`` as an integer tableau with the slack basis (the origin).
2. Perturb the right-hand side lexicographically, ``1 + (eps, eps^2, ...)``, so every basis
   is a vertex of a *simple* polytope; ratio-test ties are broken by the rows of the
   current basis inverse, which are the slack columns of the tableau.
3. Walk the graph of lexicographically feasible bases from the origin (breadth first),
   pivoting in exact, fraction-free (Bareiss) integer arithmetic.
4. Map each basis to its unperturbed vertex and its full set of tight constraints, and
   merge bases that give the same vertex.

Every vertex of the original polytope is the limit of a vertex of the perturbed one, and
the perturbed polytope's graph is connected, so the walk finds every vertex, degenerate
ones included.

>>> vertices = enumerate_vertices([[1, 2], [2, 1]])
>>> sorted(v.point for v in vertices)
[(Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 2)), \
(Fraction(1, 3), Fraction(1, 3)), (Fraction(1, 2), Fraction(0, 1))]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sim.errors import SolverError

__all__ = [
    "MEMORY_BUDGET",
    "Vertex",
    "enumerate_vertices",
    "lexicographic_ratio_test",
    "pivot",
]

MEMORY_BUDGET = 20_000_000
"""Most tableau entries a vertex walk may hold (about 1 GB); past it, a SolverError."""


@dataclass(frozen=True)
class Vertex:
    """A vertex ``z`` of ``{z >= 0 : C z <= 1}`` and its tight constraints.

    ``zero`` is the bitmask of coordinates ``j`` with ``z_j = 0``; ``tight`` the bitmask of
    rows ``i`` with ``(C z)_i = 1``.
    """

    point: tuple[Fraction, ...]
    zero: int
    tight: int


def enumerate_vertices(constraints: Sequence[Sequence[int]]) -> list[Vertex]:
    """All vertices of ``{z >= 0 : C z <= 1}`` for a positive integer matrix ``C``.

    ``C`` has one row per constraint and one column per coordinate; every entry must be a
    positive integer so that the polytope is bounded. The origin is included.
    """
    rows = [list(map(int, r)) for r in constraints]
    if not rows or not rows[0]:
        raise ValueError("the constraint matrix must be non-empty")
    n_rows, n_cols = len(rows), len(rows[0])
    if any(len(r) != n_cols for r in rows) or any(x <= 0 for r in rows for x in r):
        raise ValueError("the constraint matrix must be rectangular with positive entries")

    n_vars = n_cols + n_rows  # coordinates then slacks
    rhs = n_vars  # index of the right-hand-side column
    start = [r + [int(i == k) for k in range(n_rows)] + [1] for i, r in enumerate(rows)]
    start_basis = tuple(range(n_cols, n_vars))

    limit = MEMORY_BUDGET // (n_rows * (n_vars + 1))
    found: dict[tuple[Fraction, ...], Vertex] = {}
    seen = {_mask(start_basis)}
    queue: deque[tuple[list[list[int]], int, tuple[int, ...]]] = deque([(start, 1, start_basis)])
    while queue:
        tableau, det, basis = queue.popleft()
        vertex = _vertex(tableau, det, basis, n_cols, rhs)
        found.setdefault(vertex.point, vertex)
        in_basis = set(basis)
        for entering in range(n_vars):
            if entering in in_basis:
                continue
            leaving_row = lexicographic_ratio_test(tableau, entering, n_cols, n_vars)
            new_basis = (*basis[:leaving_row], entering, *basis[leaving_row + 1 :])
            key = _mask(new_basis)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > limit:
                raise SolverError(
                    f"exact enumeration stopped: a best-response polytope with {n_cols} "
                    f"coordinates and {n_rows} constraints has more than {limit} bases, past "
                    "the memory budget; solve a smaller game, or only its pure equilibria "
                    "(sim solve --method pure)"
                )
            new_tableau, new_det = pivot(tableau, det, leaving_row, entering)
            queue.append((new_tableau, new_det, new_basis))
    return list(found.values())


def _mask(basis: Sequence[int]) -> int:
    out = 0
    for b in basis:
        out |= 1 << b
    return out


def lexicographic_ratio_test(tableau: list[list[int]], col: int, n_cols: int, n_vars: int) -> int:
    """Row leaving the basis when ``col`` enters: lexicographic minimum ratio.

    ``tableau`` holds the constraint rows only, laid out as ``n_cols`` structural columns,
    then ``n_vars - n_cols`` slack columns, then the right-hand side. Keys are
    ``(rhs, slack columns...) / tableau[row][col]`` over rows with a positive entry; the
    slack columns hold the basis inverse, so the minimum is unique.
    """
    best = -1
    for i, row in enumerate(tableau):
        a = row[col]
        if a <= 0:
            continue
        if best < 0:
            best = i
            continue
        b = tableau[best][col]
        brow = tableau[best]
        for k in (n_vars, *range(n_cols, n_vars)):
            lhs, rhs_ = row[k] * b, brow[k] * a
            if lhs != rhs_:
                if lhs < rhs_:
                    best = i
                break
    if best < 0:  # impossible for a bounded polytope
        raise ValueError("unbounded direction: the constraint matrix must be positive")
    return best


def pivot(tableau: list[list[int]], det: int, row: int, col: int) -> tuple[list[list[int]], int]:
    """Fraction-free pivot: entries stay integers, the common denominator becomes ``a_rc``.

    ``det`` is the current common denominator (1 for the starting tableau). Rows other than
    the constraint rows (an objective row, say) may be included: they are updated alike.
    """
    prow = tableau[row]
    element = prow[col]
    out = []
    for i, r in enumerate(tableau):
        if i == row:
            out.append(list(prow))
            continue
        factor = r[col]
        if factor == 0:
            out.append([x * element // det for x in r])
        else:
            out.append([(x * element - factor * p) // det for x, p in zip(r, prow, strict=True)])
    return out, element


def _vertex(
    tableau: list[list[int]], det: int, basis: tuple[int, ...], n_cols: int, rhs: int
) -> Vertex:
    point = [Fraction(0)] * n_cols
    zero_vars = set(range(rhs)) - set(basis)
    for i, var in enumerate(basis):
        value = tableau[i][rhs]
        if value == 0:
            zero_vars.add(var)
        elif var < n_cols:
            point[var] = Fraction(value, det)
    zero = tight = 0
    for var in zero_vars:
        if var < n_cols:
            zero |= 1 << var
        else:
            tight |= 1 << (var - n_cols)
    return Vertex(tuple(point), zero, tight)
