"""Tests of :func:`sim.solvers.polytope.enumerate_vertices` against brute force.

The reference tries every choice of ``n`` constraints of ``{z >= 0 : C z <= 1}`` (``n`` the
dimension), solves them as equalities in exact arithmetic and keeps the feasible, unique
solutions: exactly the vertices. Degenerate polytopes (vertices where more than ``n``
constraints are tight) are where lexicographic pivoting can go wrong, so they are drawn often.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.solvers.polytope import Vertex, enumerate_vertices

F = Fraction
Point = tuple[Fraction, ...]


def _determinant(matrix: list[list[Fraction]]) -> Fraction:
    rows = [list(r) for r in matrix]
    n, det = len(rows), F(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return F(0)
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
            det = -det
        det *= rows[col][col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            rows[r] = [v - factor * w for v, w in zip(rows[r], rows[col], strict=True)]
    return det


def _cramer(matrix: list[list[Fraction]], rhs: list[Fraction]) -> Point | None:
    """Solve a square system by Cramer's rule; None when it has no unique solution."""
    det = _determinant(matrix)
    if det == 0:
        return None
    out = []
    for k in range(len(matrix)):
        replaced = [[*row[:k], b, *row[k + 1 :]] for row, b in zip(matrix, rhs, strict=True)]
        out.append(_determinant(replaced) / det)
    return tuple(out)


def brute_force_vertices(constraints: list[list[int]]) -> dict[Point, tuple[int, int]]:
    """Vertices of ``{z >= 0 : C z <= 1}`` with their ``(zero, tight)`` bitmasks."""
    n_rows, n = len(constraints), len(constraints[0])
    # Constraint k < n is "z_k >= 0"; constraint n + i is "row i of C z <= 1".
    normals = [[F(int(j == k)) for j in range(n)] for k in range(n)]
    normals += [[F(x) for x in row] for row in constraints]
    bounds = [F(0)] * n + [F(1)] * n_rows
    found: dict[Point, tuple[int, int]] = {}
    for chosen in combinations(range(n + n_rows), n):
        point = _cramer([normals[k] for k in chosen], [bounds[k] for k in chosen])
        if point is None or min(point) < 0:
            continue
        values = [
            sum((c * z for c, z in zip(row, point, strict=True)), F(0)) for row in constraints
        ]
        if max(values) > 1:
            continue
        zero = sum(1 << j for j, z in enumerate(point) if z == 0)
        tight = sum(1 << i for i, v in enumerate(values) if v == 1)
        found[point] = (zero, tight)
    return found


def _as_dict(vertices: list[Vertex]) -> dict[Point, tuple[int, int]]:
    out = {v.point: (v.zero, v.tight) for v in vertices}
    assert len(out) == len(vertices), "a vertex was listed twice"
    return out


KNOWN = [
    pytest.param([[1]], {(0,): (1, 0), (1,): (0, 1)}, id="segment"),
    pytest.param(
        [[1, 1, 1]],
        {(0, 0, 0): (7, 0), (1, 0, 0): (6, 1), (0, 1, 0): (5, 1), (0, 0, 1): (3, 1)},
        id="simplex",
    ),
    pytest.param(
        [[2, 1], [1, 2]],
        {
            (0, 0): (3, 0),
            (F(1, 2), 0): (2, 1),
            (0, F(1, 2)): (1, 2),
            (F(1, 3), F(1, 3)): (0, 3),
        },
        id="quadrilateral",
    ),
    pytest.param(
        # Two copies of one constraint: each non-origin vertex has three labels in 2-D.
        [[1, 1], [1, 1]],
        {(0, 0): (3, 0), (1, 0): (2, 3), (0, 1): (1, 3)},
        id="repeated-row",
    ),
    pytest.param(
        # Three lines through (1/4, 1/4): a degenerate vertex with three labels in 2-D.
        [[1, 3], [3, 1], [2, 2]],
        {
            (0, 0): (3, 0),
            (F(1, 3), 0): (2, 2),
            (0, F(1, 3)): (1, 1),
            (F(1, 4), F(1, 4)): (0, 7),
        },
        id="three-lines-one-point",
    ),
    pytest.param(
        # The apex (1/6, 1/6, 1/6) lies on all four planes: four labels in 3-D plus none zero.
        [[2, 2, 2], [1, 1, 4], [1, 4, 1], [4, 1, 1]],
        None,
        id="degenerate-apex-3d",
    ),
]


@pytest.mark.parametrize(("constraints", "expected"), KNOWN)
def test_known_polytopes(constraints: list[list[int]], expected: dict | None) -> None:
    found = _as_dict(enumerate_vertices(constraints))
    reference = brute_force_vertices(constraints)
    assert found == reference
    if expected is not None:
        assert found == {tuple(F(x) for x in p): masks for p, masks in expected.items()}


def test_degenerate_apex_has_every_label() -> None:
    found = _as_dict(enumerate_vertices([[2, 2, 2], [1, 1, 4], [1, 4, 1], [4, 1, 1]]))
    apex = (F(1, 6), F(1, 6), F(1, 6))
    assert found[apex] == (0, 0b1111)
    assert len(found) == len(brute_force_vertices([[2, 2, 2], [1, 1, 4], [1, 4, 1], [4, 1, 1]]))


def test_origin_is_a_vertex() -> None:
    vertices = enumerate_vertices([[5, 7], [2, 9], [4, 4]])
    origin = [v for v in vertices if not any(v.point)]
    assert origin == [Vertex((0, 0), 1, 0b11, 0)]


@pytest.mark.parametrize(
    "constraints",
    [
        pytest.param([], id="no-rows"),
        pytest.param([[]], id="no-columns"),
        pytest.param([[1, 2], [3]], id="ragged"),
        pytest.param([[1, 0]], id="zero-entry"),
        pytest.param([[1, -2]], id="negative-entry"),
    ],
)
def test_invalid_constraint_matrices(constraints: list[list[int]]) -> None:
    with pytest.raises(ValueError, match="constraint matrix"):
        enumerate_vertices(constraints)


def _matrices(
    values: st.SearchStrategy[int], max_rows: int, max_columns: int
) -> st.SearchStrategy[list[list[int]]]:
    return st.integers(1, max_columns).flatmap(
        lambda n: st.lists(st.lists(values, min_size=n, max_size=n), min_size=1, max_size=max_rows)
    )


@settings(max_examples=80, deadline=None)
@given(
    st.one_of(
        _matrices(st.integers(1, 2), max_rows=5, max_columns=4),  # many ties: degenerate
        _matrices(st.integers(1, 3), max_rows=5, max_columns=4),
        _matrices(st.integers(1, 40), max_rows=5, max_columns=4),  # mostly simple
    )
)
def test_vertices_match_brute_force(constraints: list[list[int]]) -> None:
    found = enumerate_vertices(constraints)
    assert _as_dict(found) == brute_force_vertices(constraints)
    n = len(constraints[0])
    for vertex in found:
        assert all(isinstance(z, Fraction) for z in vertex.point)
        # Every vertex has at least n labels (tight constraints); simple ones exactly n.
        assert vertex.zero.bit_count() + vertex.tight.bit_count() >= n


@settings(max_examples=30, deadline=None)
@given(_matrices(st.integers(1, 3), max_rows=3, max_columns=3), st.data())
def test_duplicating_a_row_only_adds_labels(
    constraints: list[list[int]], data: st.DataObject
) -> None:
    row = data.draw(st.integers(0, len(constraints) - 1))
    doubled = [*constraints, constraints[row]]
    original = _as_dict(enumerate_vertices(constraints))
    found = _as_dict(enumerate_vertices(doubled))
    assert found.keys() == original.keys()
    extra = len(constraints)
    for point, (zero, tight) in original.items():
        copied = (tight >> row & 1) << extra
        assert found[point] == (zero, tight | copied)


def test_memory_budget_stops_the_walk_with_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.errors import SolverError
    from sim.solvers import polytope

    monkeypatch.setattr(polytope, "MEMORY_BUDGET", 10 * 5 * 11)  # room for 10 bases of 5x5
    rows = [[1 + (3 * i + 7 * j) % 5 for j in range(5)] for i in range(5)]
    with pytest.raises(SolverError, match=r"exact enumeration stopped.*more than 10 bases"):
        polytope.enumerate_vertices(rows)
