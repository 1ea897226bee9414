"""Maximal convex sets ("maximal Nash subsets") and connected components of equilibria.

The extreme equilibria of a two-player game form a bipartite graph between player 1's and
player 2's extreme strategies. A set ``X x Y`` in which every pair is an equilibrium (a
biclique) spans a convex set of equilibria, ``conv(X) x conv(Y)``; the maximal ones are the
maximal Nash subsets, and their connected unions are the components of the equilibrium set
(Avis, Rosenberg, Savani and von Stengel, Economic Theory 42, 2010, §3).

Steps: (1) closed column sets are the intersections of row neighbourhoods, found by closing
the family of neighbourhoods under intersection; (2) each closed set ``Y`` with its common
neighbours ``X`` is a maximal biclique; (3) components are the connected parts of the graph.

>>> sets = maximal_bicliques([(0, 0), (0, 1), (1, 1)])
>>> sets
[((0,), (0, 1)), ((0, 1), (1,))]
>>> connected_components([(0, 0), (0, 1), (1, 1)], 2)
[(0, 1, 2)]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["connected_components", "maximal_bicliques"]


def maximal_bicliques(
    pairs: Sequence[tuple[int, int]],
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Maximal ``(rows, columns)`` bicliques of a bipartite edge list, in sorted order."""
    neighbours: dict[int, frozenset[int]] = {}
    for i, j in pairs:
        neighbours[i] = neighbours.get(i, frozenset()) | {j}
    closed: set[frozenset[int]] = set(neighbours.values())
    frontier = set(closed)
    while frontier:
        new: set[frozenset[int]] = set()
        for s in frontier:
            for t in neighbours.values():
                meet = s & t
                if meet and meet not in closed:
                    new.add(meet)
        closed |= new
        frontier = new
    out = []
    for columns in closed:
        rows = tuple(sorted(i for i, nb in neighbours.items() if columns <= nb))
        out.append((rows, tuple(sorted(columns))))
    return sorted(out)


def connected_components(pairs: Sequence[tuple[int, int]], n_rows: int) -> list[tuple[int, ...]]:
    """Indices of ``pairs`` grouped by connected component (rows and columns as nodes)."""
    parent = list(range(n_rows + 1 + max((j for _, j in pairs), default=-1)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(n_rows + j)
    groups: dict[int, list[int]] = {}
    for k, (i, _) in enumerate(pairs):
        groups.setdefault(find(i), []).append(k)
    return sorted(tuple(g) for g in groups.values())
