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

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

from sim.errors import EnumerationStopped

__all__ = [
    "MEMORY_BUDGET",
    "Vertex",
    "enumerate_vertices",
    "lexicographic_ratio_test",
    "pivot",
]

MEMORY_BUDGET = 20_000_000
"""Most tableau entries a vertex walk may hold (about 1 GB); past it, EnumerationStopped."""


@dataclass(frozen=True)
class Vertex:
    """A vertex ``z`` of ``{z >= 0 : C z <= 1}`` and its tight constraints.

    ``z = numerators / denominator`` in lowest terms (``denominator > 0``, and the gcd of
    the denominator and every numerator is 1). ``zero`` is the bitmask of coordinates
    ``j`` with ``z_j = 0``; ``tight`` the bitmask of rows ``i`` with ``(C z)_i = 1``.
    """

    numerators: tuple[int, ...]
    denominator: int
    zero: int
    tight: int

    @property
    def point(self) -> tuple[Fraction, ...]:
        """The vertex as fractions."""
        return tuple(Fraction(v, self.denominator) for v in self.numerators)


def enumerate_vertices(
    constraints: Sequence[Sequence[int]], *, deadline: float | None = None
) -> list[Vertex]:
    """All vertices of ``{z >= 0 : C z <= 1}`` for a positive integer matrix ``C``.

    ``C`` has one row per constraint and one column per coordinate; every entry must be a
    positive integer so that the polytope is bounded. The origin is included. With a
    ``deadline`` (a :func:`time.monotonic` time) the walk raises
    :class:`~sim.errors.EnumerationStopped` once it is past it.
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
    found: dict[int, Vertex] = {}
    start_key = _mask(start_basis)
    seen = {start_key}
    # known[key]: entering variables whose neighbour of basis ``key`` is already in ``seen``
    # (the edge was walked from the other end), so their ratio test is skipped.
    known: dict[int, int] = {}
    queue = deque([(start, 1, start_basis, start_key)])
    ratio_test = lexicographic_ratio_test
    all_vars = (1 << n_vars) - 1
    visited = 0
    while queue:
        tableau, det, basis, key = queue.popleft()
        visited += 1
        # Checked at every basis: a pivot of a large tableau costs far more than the clock.
        if deadline is not None and time.monotonic() > deadline:
            raise EnumerationStopped(
                f"exact enumeration stopped at the time limit after {visited} bases of a "
                f"best-response polytope with {n_cols} coordinates and {n_rows} constraints",
                "time",
            )
        # A vertex is determined by the set of variables that are zero at it (its tight
        # constraints): the non-basic ones and any basic ones at zero (degeneracy).
        labels = all_vars & ~key
        for row, var in zip(tableau, basis, strict=True):
            if row[rhs] == 0:
                labels |= 1 << var
        if labels not in found:
            found[labels] = _vertex(tableau, det, basis, n_cols, rhs)
        skip = key | known.pop(key, 0)
        for entering in range(n_vars):
            if skip >> entering & 1:
                continue
            leaving_row = ratio_test(tableau, entering, n_cols, n_vars)
            leaving = basis[leaving_row]
            new_key = (key ^ (1 << leaving)) | (1 << entering)
            if new_key in seen:
                known[new_key] = known.get(new_key, 0) | (1 << leaving)
                continue
            seen.add(new_key)
            known[new_key] = 1 << leaving
            if len(seen) > limit:
                raise EnumerationStopped(
                    f"exact enumeration stopped at the memory budget: a best-response "
                    f"polytope with {n_cols} coordinates and {n_rows} constraints has more "
                    f"than {limit} bases",
                    "memory",
                )
            new_tableau, new_det = pivot(tableau, det, leaving_row, entering)
            new_basis = (*basis[:leaving_row], entering, *basis[leaving_row + 1 :])
            queue.append((new_tableau, new_det, new_basis, new_key))
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
    best_a = best_rhs = 0
    for i, row in enumerate(tableau):
        a = row[col]
        if a <= 0:
            continue
        if best < 0:
            best, best_a, best_rhs = i, a, row[n_vars]
            continue
        lhs, rhs_ = row[n_vars] * best_a, best_rhs * a
        if lhs < rhs_:
            best, best_a, best_rhs = i, a, row[n_vars]
        elif lhs == rhs_:  # a tie in the ratio: the basis inverse's rows decide
            brow = tableau[best]
            for k in range(n_cols, n_vars):
                lhs, rhs_ = row[k] * best_a, brow[k] * a
                if lhs != rhs_:
                    if lhs < rhs_:
                        best, best_a, best_rhs = i, a, row[n_vars]
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
            out.append(prow)  # tableaux are never changed in place, so rows can be shared
            continue
        factor = r[col]
        if factor == 0:
            out.append(r if element == det else [x * element // det for x in r])
        else:
            out.append([(x * element - factor * p) // det for x, p in zip(r, prow, strict=True)])
    return out, element


def _vertex(
    tableau: list[list[int]], det: int, basis: tuple[int, ...], n_cols: int, rhs: int
) -> Vertex:
    numerators = [0] * n_cols
    zero = (1 << n_cols) - 1
    tight = (1 << (rhs - n_cols)) - 1
    for row, var in zip(tableau, basis, strict=True):
        value = row[rhs]
        if value == 0:
            continue  # a basic variable at zero: a coordinate or slack that is still zero
        if var < n_cols:
            numerators[var] = value
            zero &= ~(1 << var)
        else:
            tight &= ~(1 << (var - n_cols))
    common = gcd(det, *numerators)
    if det < 0:
        common = -common
    return Vertex(tuple(v // common for v in numerators), det // common, zero, tight)
