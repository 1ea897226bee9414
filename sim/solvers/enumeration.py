"""All extreme Nash equilibria of a two-player game, exactly, degenerate games included.

Method (von Stengel 2002, §3.5 "Equilibrium enumeration using vertices"; the method of
Gambit's ``enummixed``), in steps:

1. Take the exact game (:func:`sim.solvers.solve` passes the rationalised payoffs of a
   float game, :func:`sim.certificate.rationalised`) and map its payoffs to positive
   integers by a positive affine map, which leaves equilibria unchanged.
2. Enumerate every vertex of ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}``
   with its labels (:mod:`sim.solvers.polytope`).
3. A pair ``(x, y)`` other than ``(0, 0)`` whose labels together cover every move of both
   players is an extreme equilibrium after normalising ``x`` and ``y`` to sum to 1.
4. Group the equilibria into maximal convex sets and connected components
   (:mod:`sim.solvers.components`).

The game is degenerate exactly when some vertex of ``P`` or ``Q`` carries more labels than
its dimension, which step 2 reveals for free.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.certificate import integer_values
from sim.errors import SolverError
from sim.game import Game
from sim.solvers.polytope import Vertex, enumerate_vertices

__all__ = ["ExtremePairs", "extreme_pairs", "integer_matrix"]


@dataclass(frozen=True)
class ExtremePairs:
    """Raw output of the enumeration: distinct strategies and the equilibrium pairs."""

    row_strategies: tuple[tuple[Fraction, ...], ...]
    column_strategies: tuple[tuple[Fraction, ...], ...]
    pairs: tuple[tuple[int, int], ...]
    degenerate: bool


def integer_matrix(matrix: np.ndarray) -> list[list[int]]:
    """A positive integer matrix ``a * M + b`` (``a > 0``) with the same best responses.

    ``M`` holds exact numbers (``Fraction`` or ``int``), as an exact game's payoffs do.

    >>> integer_matrix(np.array([[Fraction(1, 2), -1], [0, Fraction(3, 4)]], dtype=object))
    [[7, 1], [5, 8]]
    """
    ints, _ = integer_values(matrix.ravel().tolist())
    shift = 1 - min(ints)
    n = matrix.shape[1]
    return [[x + shift for x in ints[k : k + n]] for k in range(0, len(ints), n)]


def _labels(vertex: Vertex, own_offset: int, other_offset: int) -> int:
    """Label bitmask over all moves: own zero coordinates and tight opponent rows."""
    return (vertex.zero << own_offset) | (vertex.tight << other_offset)


def _normalised(vertex: Vertex) -> tuple[Fraction, ...]:
    total = sum(vertex.numerators)
    return tuple(Fraction(v, total) for v in vertex.numerators)


def _complementary(p_masks: list[int], q_masks: list[int], full: int) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` whose label masks together cover ``full``, in order.

    A Q-vertex completes a P-vertex when its labels contain the P-vertex's missing labels;
    Q-vertices with the same labels are tested once, and all label sets at once with numpy
    when the masks fit in 63 bits.
    """
    by_mask: dict[int, list[int]] = {}
    for j, mask in enumerate(q_masks):
        by_mask.setdefault(mask, []).append(j)
    needed = [full & ~mask for mask in p_masks]
    pairs: list[tuple[int, int]] = []
    if full.bit_length() <= 63 and len(q_masks) > 8:
        masks = np.array(list(by_mask), dtype=np.int64)
        lists = list(by_mask.values())
        for i, need in enumerate(needed):
            for k in np.flatnonzero((masks & need) == need).tolist():
                pairs.extend((i, j) for j in lists[k])
        return pairs
    for i, need in enumerate(needed):
        for mask, js in by_mask.items():
            if mask & need == need:
                pairs.extend((i, j) for j in js)
    return pairs


def extreme_pairs(game: Game, *, deadline: float | None = None) -> ExtremePairs:
    """Every extreme equilibrium of a two-player game as a pair of vertex indices.

    ``deadline`` (a :func:`time.monotonic` time) stops the vertex walks with
    :class:`~sim.errors.EnumerationStopped` once it is past.
    """
    if game.n_players != 2:
        raise SolverError(
            f"vertex enumeration needs two players, this game has {game.n_players}; "
            "use method='pure' for pure equilibria of larger games"
        )
    m, n = game.shape
    a = integer_matrix(np.asarray(game.payoff_matrix(0), dtype=object))
    b = integer_matrix(np.asarray(game.payoff_matrix(1), dtype=object))
    b_transposed = [list(col) for col in zip(*b, strict=True)]

    # Labels 0..m-1 are the row player's moves, m..m+n-1 the column player's.
    p_vertices = [
        v for v in enumerate_vertices(b_transposed, deadline=deadline) if any(v.numerators)
    ]
    q_vertices = [v for v in enumerate_vertices(a, deadline=deadline) if any(v.numerators)]
    degenerate = any(v.zero.bit_count() + v.tight.bit_count() > m for v in p_vertices) or any(
        v.zero.bit_count() + v.tight.bit_count() > n for v in q_vertices
    )
    full = (1 << (m + n)) - 1
    raw_pairs = _complementary(
        [_labels(v, 0, m) for v in p_vertices], [_labels(v, m, 0) for v in q_vertices], full
    )

    # Order strategies lexicographically by decreasing probability of the first moves.
    rows = {i: _normalised(p_vertices[i]) for i, _ in raw_pairs}
    columns = {j: _normalised(q_vertices[j]) for _, j in raw_pairs}
    used_p = sorted(rows, key=lambda i: rows[i], reverse=True)
    used_q = sorted(columns, key=lambda j: columns[j], reverse=True)
    p_index = {old: new for new, old in enumerate(used_p)}
    q_index = {old: new for new, old in enumerate(used_q)}
    return ExtremePairs(
        row_strategies=tuple(rows[i] for i in used_p),
        column_strategies=tuple(columns[j] for j in used_q),
        pairs=tuple(sorted((p_index[i], q_index[j]) for i, j in raw_pairs)),
        degenerate=degenerate,
    )
