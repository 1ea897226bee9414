"""Convex hulls of payoff points and their Pareto frontiers, exact for exact payoffs.

The set of payoffs that players can reach by jointly randomising over outcomes (lotteries)
is the convex hull of the outcomes' payoff points. Bargaining solutions
(:mod:`sim.analysis.bargaining`), the folk-theorem region of repeated play
(:mod:`sim.analysis.repeated`) and the payoff-space figure all start from it.

Points are ``(x, y)`` pairs of :class:`~fractions.Fraction` (exact games) or floats; every
comparison goes through :func:`sim.certificate.compare`.

>>> hull = convex_hull([(0, 0), (1, 0), (0, 1), (1, 1), (2, 0)])
>>> hull, hull_frontier(hull)
(((0, 0), (2, 0), (1, 1), (0, 1)), ((1, 1), (2, 0)))
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.certificate import compare
from sim.game import Value

__all__ = ["Point", "convex_hull", "hull_frontier"]

Point = tuple[Value, Value]
"""A point ``(x, y)`` of the plane, exact for exact games."""


def _cross(o: Point, a: Point, b: Point) -> Value:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[Point], scale: float = 1.0) -> tuple[Point, ...]:
    """Vertices of the convex hull, counterclockwise from the lowest-leftmost point.

    Andrew's monotone chain: sort the points, build the lower and upper chains, drop
    points that do not turn left. Points on an edge are not vertices; a hull of equal points
    is one point and of collinear points is its two ends. Turns are compared with
    :func:`~sim.certificate.compare` at ``scale ** 2`` (a cross product is a squared payoff).

    >>> convex_hull([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 0)])
    ((0, 0), (2, 0), (2, 2), (0, 2))
    """
    distinct: list[Point] = []
    for p in points:
        if not any(
            compare(p[0], q[0], scale) == 0 and compare(p[1], q[1], scale) == 0 for q in distinct
        ):
            distinct.append(p)
    ordered = sorted(distinct)
    if len(ordered) <= 2:
        return tuple(ordered)
    area_scale = scale * scale

    def chain(sequence: list[Point]) -> list[Point]:
        out: list[Point] = []
        for p in sequence:
            while len(out) >= 2 and compare(_cross(out[-2], out[-1], p), 0, area_scale) <= 0:
                out.pop()
            out.append(p)
        return out

    lower = chain(ordered)
    upper = chain(ordered[::-1])
    return tuple(lower[:-1] + upper[:-1])


def hull_frontier(hull: Sequence[Point], scale: float = 1.0) -> tuple[Point, ...]:
    """The vertices of the Pareto frontier of a convex polygon, from left to right.

    ``hull`` is a polygon as returned by :func:`convex_hull` (or a segment, or a point). A
    vertex is on the frontier when no point of the polygon (not only no vertex) weakly
    Pareto-dominates it: at a vertex ``p`` with edge directions ``e1`` and ``e2`` the
    polygon holds exactly the directions of the cone spanned by them, and that cone meets
    the non-negative quadrant only if it holds ``e1``, ``e2``, ``(1, 0)`` or ``(0, 1)`` (two
    cones meet along an extreme ray of one of them). A segment holds one direction at each
    end. The frontier is connected, so the efficient vertices in order of ``x`` are joined by
    frontier edges. This is the frontier of jointly randomised payoffs, not the set of
    efficient pure profiles (:func:`sim.analysis.pareto_efficient`): a pure outcome that
    only a mixture beats is efficient there but is not a frontier vertex here.

    >>> hull_frontier(((0, 0), (3, 0), (2, 2), (0, 3)))
    ((0, 3), (2, 2), (3, 0))
    >>> hull_frontier(((1, 6), (2, 2), (6, 1)))  # no vertex beats (2, 2); (3.5, 3.5) does
    ((1, 6), (6, 1))
    >>> hull_frontier(((1, 0), (1, 1))), hull_frontier(((-1, 1), (1, -1)))
    (((1, 1),), ((-1, 1), (1, -1)))
    """
    if len(hull) <= 1:
        return tuple(hull)
    area = scale * scale

    def nonnegative(d: Point) -> bool:
        return compare(d[0], 0, scale) >= 0 and compare(d[1], 0, scale) >= 0

    def in_cone(d: Point, e1: Point, e2: Point) -> bool:
        # d = a e1 + b e2 with a, b >= 0; the sign of cross(e1, e2) fixes the orientation.
        turn = compare(_cross((0, 0), e1, e2), 0, area)
        return (
            compare(_cross((0, 0), d, e2), 0, area) * turn >= 0
            and compare(_cross((0, 0), e1, d), 0, area) * turn >= 0
        )

    axes: tuple[Point, Point] = ((1, 0), (0, 1))
    frontier = []
    for k, p in enumerate(hull):
        before, after = hull[k - 1], hull[(k + 1) % len(hull)]  # the same point on a segment
        e1 = (before[0] - p[0], before[1] - p[1])
        e2 = (after[0] - p[0], after[1] - p[1])
        dominated = nonnegative(e1) or nonnegative(e2)
        if len(hull) > 2:
            dominated = dominated or any(in_cone(d, e1, e2) for d in axes)
        if not dominated:
            frontier.append(p)
    return tuple(sorted(frontier))
