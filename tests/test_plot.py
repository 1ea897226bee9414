"""Tests of sim.plot: exact datasets for textbook games, then figures built headless.

Datasets (``sim.plot.data``) are checked value by value; figures are checked by structure
(axes, labelled artists found by ``gid``, texts) and by rendering to PNG with Agg, never
by pixels.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Sequence
from fractions import Fraction as F
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from strategies import integer_games, tie_heavy_games

from sim.certificate import move_values
from sim.errors import SimError
from sim.game import Game
from sim.plot import (
    all_figures,
    best_response_data,
    best_response_figure,
    bimatrix_data,
    bimatrix_figure,
    convex_hull,
    hull_frontier,
    payoff_space_data,
    payoff_space_figure,
    value_text,
)
from sim.plot.figures import (
    CROWDED,
    MAX_EQUILIBRIUM_LABELS,
    MAX_MARK_NAMES,
    NEAR_PLACES,
    Label,
    _equilibrium_text,
    _labelled_marks,
    place_labels,
)
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]

CD = ("C", "D")
PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("Row", "Column"),
    moves=(CD, CD),
    title="Prisoner's dilemma",
)
BATTLE = Game.from_arrays(
    [[2, 0], [0, 1]],
    [[1, 0], [0, 2]],
    players=("Ann", "Bob"),
    moves=(("opera", "match"), ("opera", "match")),
    title="Battle of the sexes",
)
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], title="Matching pennies")
# Player 1 is indifferent everywhere; player 2 wants to match: a continuum of equilibria.
DEGENERATE = Game.from_arrays([[1, 1], [1, 1]], [[1, 0], [0, 1]], title="Degenerate")
TIES = Game.from_arrays([[1, 1], [1, 1]], [[1, 1], [1, 1]], title="All ties")
TRADE = Game.from_arrays(
    [[3, 0, 1], [5, 1, 2], [2, 2, 2]],
    [[3, 5, 0], [0, 1, 4], [1, 1, 3]],
    players=("US", "China"),
    moves=(("ease", "maintain", "escalate"), ("raise", "restrict", "retaliate")),
    title="Trade talks",
)
THREE = Game.from_payoffs([[[[1, 1, 1], [0, 0, 0]], [[0, 0, 0], [1, 1, 1]]]] * 2)


def points(*pairs: tuple[int | str, int | str]) -> tuple[tuple[F, F], ...]:
    """Exact points from ints and ``"p/q"`` strings."""
    return tuple((F(x), F(y)) for x, y in pairs)


# ------------------------------------------------------------------------- value_text
@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(F(3), "3", id="integer"),
        pytest.param(F(-2, 3), "-2/3", id="fraction"),
        pytest.param(0, "0", id="int"),
        pytest.param(1.5, "1.5", id="float"),
        pytest.param(2 / 3, "0.667", id="float-3-digits"),
        pytest.param(-1e-20, "-1e-20", id="tiny-float"),
        pytest.param(-0.0, "0", id="negative-zero"),
    ],
)
def test_value_text(value: F | float, text: str) -> None:
    assert value_text(value) == text


# ---------------------------------------------------- efficient outcomes in the dataset
def outcome_game(pts: Sequence[tuple[Any, Any]]) -> Game:
    """A game whose pure outcomes are the points: one row, one column per point."""
    return Game.from_arrays([[x for x, _ in pts]], [[y for _, y in pts]])


def efficient_flags(pts: Sequence[tuple[Any, Any]]) -> tuple[bool, ...]:
    """Whether the payoff-space dataset marks each point's outcome as efficient."""
    game = outcome_game(pts)
    data = payoff_space_data(game, solve(game))
    flags = {profile: o.efficient for o in data.outcomes for profile in o.profiles}
    return tuple(flags[(0, k)] for k in range(len(pts)))


@pytest.mark.parametrize(
    ("pts", "expected"),
    [
        pytest.param([(3, 3), (0, 5), (5, 0), (1, 1)], (True, True, True, False), id="pd"),
        pytest.param([(1, 1), (1, 1)], (True, True), id="equal-points-both-efficient"),
        pytest.param([(1, 2), (1, 3)], (False, True), id="weakly-dominated"),
        pytest.param([(0, 3), (3, 0), (1, 1)], (True, True, True), id="only-mixture-dominates"),
        pytest.param([(2, 2)], (True,), id="single"),
        pytest.param([(0.3, 1), (0.1 + 0.2, 1)], (True, True), id="float-tie-within-tolerance"),
        pytest.param([(0.3, 1), (0.3001, 1)], (False, True), id="float-beyond-tolerance"),
    ],
)
def test_outcome_efficiency(pts: list[tuple[float, float]], expected: tuple[bool, ...]) -> None:
    assert efficient_flags(pts) == expected


def dominates(q: Sequence[Any], p: Sequence[Any]) -> bool:
    return q[0] >= p[0] and q[1] >= p[1] and tuple(q) != tuple(p)


small_points = st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(small_points)
def test_outcome_efficiency_matches_definition(pts: list[tuple[int, int]]) -> None:
    flags = efficient_flags(pts)
    for p, efficient in zip(pts, flags, strict=True):
        assert efficient == (not any(dominates(q, p) for q in pts))
    # Every inefficient point is dominated by an efficient one (finite sets have maxima).
    best = [p for p, flag in zip(pts, flags, strict=True) if flag]
    assert all(any(dominates(q, p) for q in best) for p, f in zip(pts, flags, strict=True) if not f)


# ------------------------------------------------------------------------ convex_hull
@pytest.mark.parametrize(
    ("pts", "hull"),
    [
        pytest.param(
            [(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 0), (2, 1)],
            [(0, 0), (2, 0), (2, 2), (0, 2)],
            id="square-with-edge-and-interior-points",
        ),
        pytest.param([(3, 3), (0, 5), (5, 0), (1, 1)], [(0, 5), (1, 1), (5, 0), (3, 3)], id="pd"),
        pytest.param([(1, 1), (1, 1), (1, 1)], [(1, 1)], id="one-point"),
        pytest.param([(0, 0), (2, 2), (1, 1), (2, 2)], [(0, 0), (2, 2)], id="collinear"),
        pytest.param([(1, 0), (1, 2), (1, 1)], [(1, 0), (1, 2)], id="vertical"),
        pytest.param([(0, 0), (1, 0)], [(0, 0), (1, 0)], id="two-points"),
    ],
)
def test_convex_hull(pts: list[tuple[int, int]], hull: list[tuple[int, int]]) -> None:
    assert convex_hull(pts) == tuple(hull)


def test_convex_hull_merges_float_points_within_tolerance() -> None:
    assert convex_hull([(0.0, 0.0), (1.0, 0.0), (0.1 + 0.2, 0.0), (0.3, 0.0)]) == (
        (0.0, 0.0),
        (1.0, 0.0),
    )
    assert len(convex_hull([(0.0, 0.0), (1.0, 0.0), (0.5, 1e-12), (0.5, 1.0)])) == 3


def cross(o: Sequence[Any], a: Sequence[Any], b: Sequence[Any]) -> Any:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


@settings(max_examples=80, deadline=None)
@given(small_points)
def test_convex_hull_contains_every_point_and_turns_left(pts: list[tuple[int, int]]) -> None:
    hull = convex_hull(pts)
    assert set(hull) <= set(pts)
    assert hull[0] == min(pts)
    if len(set(pts)) == 1:
        assert hull == (pts[0],)
        return
    if len(hull) == 2:  # all points on one segment
        assert all(cross(hull[0], hull[1], p) == 0 for p in pts)
        return
    edges = list(zip(hull, hull[1:] + hull[:1], strict=True))
    for a, b in edges:
        assert all(cross(a, b, p) >= 0 for p in pts)  # every point left of or on each edge
    for a, b, c in zip(hull, hull[1:] + hull[:1], hull[2:] + hull[:2], strict=True):
        assert cross(a, b, c) > 0  # strictly convex: no vertex on an edge


# ---------------------------------------------------------------------- hull_frontier
@pytest.mark.parametrize(
    ("hull", "frontier"),
    [
        pytest.param([(0, 0), (3, 0), (2, 2), (0, 3)], [(0, 3), (2, 2), (3, 0)], id="kinked"),
        pytest.param([(1, 6), (2, 2), (6, 1)], [(1, 6), (6, 1)], id="vertex-beaten-by-a-mix"),
        pytest.param([(0, 0), (4, 0), (4, 2), (0, 2)], [(4, 2)], id="one-corner-beats-all"),
        pytest.param([(0, 5), (1, 1), (5, 0), (3, 3)], [(0, 5), (3, 3), (5, 0)], id="pd"),
        pytest.param([(-1, 1), (1, -1)], [(-1, 1), (1, -1)], id="segment-down"),
        pytest.param([(1, 0), (1, 1)], [(1, 1)], id="segment-up"),
        pytest.param([(2, 2)], [(2, 2)], id="point"),
    ],
)
def test_hull_frontier(hull: list[tuple[int, int]], frontier: list[tuple[int, int]]) -> None:
    assert hull_frontier(hull) == tuple(frontier)


def dominated_in_polygon(hull: Sequence[Sequence[Any]], m: Sequence[Any]) -> bool:
    """Oracle: does some point of the polygon weakly Pareto-dominate ``m``?

    The polygon meets the quadrant above ``m`` in a convex set whose corners are hull
    vertices in the quadrant or crossings of hull edges with the lines x = m.x, y = m.y.
    """
    edges = list(zip(hull, list(hull[1:]) + list(hull[:1]), strict=True))
    corners = list(hull)
    for (x0, y0), (x1, y1) in edges:
        if x0 != x1 and min(x0, x1) <= m[0] <= max(x0, x1):
            corners.append((m[0], y0 + (y1 - y0) * (m[0] - x0) / (x1 - x0)))
        if y0 != y1 and min(y0, y1) <= m[1] <= max(y0, y1):
            corners.append((x0 + (x1 - x0) * (m[1] - y0) / (y1 - y0), m[1]))
    return any(c[0] >= m[0] and c[1] >= m[1] and tuple(c) != tuple(m) for c in corners)


@settings(max_examples=80, deadline=None)
@given(small_points)
def test_hull_frontier_is_the_undominated_boundary(pts: list[tuple[int, int]]) -> None:
    hull = [(F(x), F(y)) for x, y in convex_hull(pts)]
    frontier = hull_frontier(hull)
    assert set(frontier) <= set(hull)
    assert list(frontier) == sorted(frontier)
    if len(hull) <= 2:  # a point or a segment: its ends that the other end does not beat
        assert frontier == tuple(p for p in sorted(hull) if not any(dominates(q, p) for q in hull))
        return
    for vertex in hull:
        assert (vertex in frontier) == (not dominated_in_polygon(hull, vertex))
    for a, b in pairwise(frontier):  # edges between frontier vertices are undominated too
        assert a[0] < b[0] and a[1] > b[1]
        middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        assert not dominated_in_polygon(hull, middle)


# --------------------------------------------------------------------------- bimatrix
def test_bimatrix_data_prisoners_dilemma() -> None:
    data = bimatrix_data(PD, solve(PD), status_quo=("C", "C"))
    assert data.title == "Prisoner's dilemma"
    assert data.players == ("Row", "Column")
    assert data.moves == (CD, CD)
    texts = [[cell.texts for cell in row] for row in data.cells]
    assert texts == [[("3", "3"), ("0", "5")], [("5", "0"), ("1", "1")]]
    best = [[cell.best_response for cell in row] for row in data.cells]
    assert best == [[(False, False), (False, True)], [(True, False), (True, True)]]
    assert [[cell.equilibrium for cell in row] for row in data.cells] == [
        [None, None],
        [None, "NE1"],
    ]
    assert [[cell.status_quo for cell in row] for row in data.cells] == [
        [True, False],
        [False, False],
    ]
    assert data.cells[1][0].payoffs == (F(5), F(0))
    assert data.caption == ()


def test_bimatrix_data_battle_lists_the_mixed_equilibrium() -> None:
    data = bimatrix_data(BATTLE, solve(BATTLE))
    assert [[cell.equilibrium for cell in row] for row in data.cells] == [
        ["NE1", None],
        [None, "NE3"],
    ]
    assert data.caption == (
        "NE2: Ann plays 2/3 opera + 1/3 match; Bob plays 1/3 opera + 2/3 match; payoffs (2/3, 2/3)",
    )


def test_bimatrix_data_degenerate_lists_continua() -> None:
    data = bimatrix_data(DEGENERATE, solve(DEGENERATE))
    assert [[cell.best_response for cell in row] for row in data.cells] == [
        [(True, True), (True, False)],
        [(True, False), (True, True)],
    ]
    assert data.caption == (
        "NE2: P1 plays 1/2 s1 + 1/2 s2; P2 plays s1; payoffs (1, 1/2)",
        "NE3: P1 plays 1/2 s1 + 1/2 s2; P2 plays s2; payoffs (1, 1/2)",
        "Continuum: every convex combination of NE1, NE2 is an equilibrium",
        "Continuum: every convex combination of NE2, NE3 is an equilibrium",
        "Continuum: every convex combination of NE3, NE4 is an equilibrium",
    )


def test_bimatrix_data_pure_solution_says_mixed_not_searched() -> None:
    data = bimatrix_data(PENNIES, solve(PENNIES, method="pure"))
    assert data.caption == (
        "Mixed equilibria were not searched (method: pure).",
        "No equilibrium found.",
    )
    assert all(cell.equilibrium is None for row in data.cells for cell in row)


def test_bimatrix_data_float_game_ties_by_tolerance() -> None:
    game = Game.from_arrays([[0.1 + 0.2, 0.0], [0.3, 1.0]], [[1.0, 0.0], [0.0, 2 / 3]])
    data = bimatrix_data(game, solve(game))
    assert data.cells[0][0].best_response[0] and data.cells[1][0].best_response[0]
    assert data.cells[1][1].texts == ("1", "0.667")


def test_bimatrix_data_rectangular_game() -> None:
    data = bimatrix_data(TRADE, solve(TRADE), status_quo=(2, 1))
    assert len(data.cells) == 3 and all(len(row) == 3 for row in data.cells)
    flags = {
        cell.profile: cell.equilibrium for row in data.cells for cell in row if cell.equilibrium
    }
    assert flags == {(1, 2): "NE1", (2, 2): "NE2"}
    assert data.cells[2][1].status_quo
    # A pure equilibrium is exactly a cell where both payoffs are best responses.
    for row in data.cells:
        for cell in row:
            assert (cell.equilibrium is not None) == all(cell.best_response)
    assert data.caption == ("Continuum: every convex combination of NE1, NE2 is an equilibrium",)


# ----------------------------------------------------------------------- payoff space
def test_payoff_space_data_prisoners_dilemma() -> None:
    data = payoff_space_data(PD, solve(PD), status_quo=(0, 0))
    assert data.axis_labels == ("Row payoff", "Column payoff")
    assert [(o.payoffs, o.label, o.efficient) for o in data.outcomes] == [
        ((3, 3), "(C, C)", True),
        ((0, 5), "(C, D)", True),
        ((5, 0), "(D, C)", True),
        ((1, 1), "(D, D)", False),
    ]
    assert data.hull == points((0, 5), (1, 1), (5, 0), (3, 3))
    assert data.frontier == points((0, 5), (3, 3), (5, 0))
    assert [(m.label, m.position, m.pure) for m in data.equilibria] == [("NE1", (1, 1), True)]
    assert data.continua == ()
    assert data.status_quo == (3, 3)
    assert data.status_quo_label == "status quo (C, C)"


def test_payoff_space_data_battle() -> None:
    data = payoff_space_data(BATTLE, solve(BATTLE))
    assert [o.profiles for o in data.outcomes] == [((0, 0),), ((0, 1), (1, 0)), ((1, 1),)]
    assert data.outcomes[1].label == "(opera, match)\n(match, opera)"
    assert [o.efficient for o in data.outcomes] == [True, False, True]
    assert data.hull == points((0, 0), (2, 1), (1, 2))
    assert data.frontier == points((1, 2), (2, 1))
    assert [(m.label, m.position, m.pure) for m in data.equilibria] == [
        ("NE1", (2, 1), True),
        ("NE2", (F(2, 3), F(2, 3)), False),
        ("NE3", (1, 2), True),
    ]
    assert data.status_quo is None and data.status_quo_label is None


def test_payoff_space_data_pennies_is_a_segment() -> None:
    data = payoff_space_data(PENNIES, solve(PENNIES))
    assert [o.payoffs for o in data.outcomes] == [(1, -1), (-1, 1)]
    assert all(o.efficient for o in data.outcomes)
    assert data.hull == points((-1, 1), (1, -1))
    assert data.frontier == points((-1, 1), (1, -1))
    assert [(m.position, m.pure) for m in data.equilibria] == [((0, 0), False)]


def test_payoff_space_data_degenerate_groups_equal_equilibria() -> None:
    data = payoff_space_data(DEGENERATE, solve(DEGENERATE))
    assert data.hull == points((1, 0), (1, 1))
    assert data.frontier == points((1, 1))
    assert [(m.label, m.position, m.pure) for m in data.equilibria] == [
        ("NE1, NE4", (1, 1), True),
        ("NE2, NE3", (1, F(1, 2)), False),
    ]
    # Three convex sets; two span the same payoff segment and the middle one a single point.
    assert data.continua == (points((1, "1/2"), (1, 1)),)


def test_payoff_space_data_frontier_skips_an_outcome_only_a_mix_beats() -> None:
    game = Game.from_arrays([[2, 6], [1, 0]], [[2, 1], [6, 0]])
    data = payoff_space_data(game, solve(game))
    assert [(o.payoffs, o.efficient) for o in data.outcomes] == [
        ((2, 2), True),  # no pure outcome beats it...
        ((6, 1), True),
        ((1, 6), True),
        ((0, 0), False),
    ]
    assert data.frontier == points((1, 6), (6, 1))  # ...but the mix of the other two does


def test_payoff_space_data_float_game_keeps_floats() -> None:
    game = Game.from_arrays([[1.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    data = payoff_space_data(game, solve(game))
    assert data.continua == (((1.0, 0.5), (1.0, 1.0)),)
    assert all(isinstance(v, float) for corner in data.continua[0] for v in corner)
    assert data.hull == ((1.0, 0.0), (1.0, 1.0))


def test_payoff_space_data_continuum_box_in_trade_game() -> None:
    data = payoff_space_data(TRADE, solve(TRADE))
    assert data.continua == (points((2, 3), (2, 4)),)
    assert data.frontier == points((0, 5), (2, 4), (3, 3), (5, 0))


def inside(hull: Sequence[Sequence[Any]], p: Sequence[Any]) -> bool:
    """Exact test that ``p`` lies in the convex polygon (or segment, or point) ``hull``."""
    if len(hull) == 1:
        return tuple(p) == tuple(hull[0])
    edges = list(zip(hull, list(hull[1:]) + list(hull[:1]), strict=True))
    if len(hull) == 2:
        (a, b) = hull
        between = min(a[0], b[0]) <= p[0] <= max(a[0], b[0])
        return bool(between and min(a[1], b[1]) <= p[1] <= max(a[1], b[1]) and cross(a, b, p) == 0)
    return all(cross(a, b, p) >= 0 for a, b in edges)


@settings(max_examples=40, deadline=None)
@given(st.one_of(integer_games(max_moves=4), tie_heavy_games(max_moves=3)))
def test_datasets_agree_with_the_game_and_solution(game: Game) -> None:
    solution = solve(game)
    table = bimatrix_data(game, solution)
    a, b = game.payoff_matrix(0), game.payoff_matrix(1)
    for row in table.cells:
        for cell in row:
            r, c = cell.profile
            assert cell.payoffs == game.payoff(cell.profile)
            assert cell.best_response == (a[r, c] == a[:, c].max(), b[r, c] == b[r, :].max())
            assert (cell.equilibrium is not None) == all(cell.best_response)
    space = payoff_space_data(game, solution)
    assert sorted(p for o in space.outcomes for p in o.profiles) == sorted(game.profiles())
    for outcome in space.outcomes:
        beaten = any(dominates(other.payoffs, outcome.payoffs) for other in space.outcomes)
        assert outcome.efficient == (not beaten)
    assert all(inside(space.hull, o.payoffs) for o in space.outcomes)
    assert all(inside(space.hull, m.position) for m in space.equilibria)
    labels = [label for m in space.equilibria for label in m.label.split(", ")]
    assert sorted(labels) == sorted(f"NE{k + 1}" for k in range(len(solution.equilibria)))
    for (x0, y0), (x1, y1) in space.continua:
        assert x0 <= x1 and y0 <= y1 and (x0, y0) != (x1, y1)


# --------------------------------------------------------------------- best responses
@pytest.mark.parametrize(
    ("game", "paths", "thresholds"),
    [
        pytest.param(
            PD,
            (points((0, 0), (0, 1)), points((0, 0), (1, 0))),
            (None, None),
            id="prisoners-dilemma",
        ),
        pytest.param(
            BATTLE,
            (
                points((0, 0), (0, "1/3"), (1, "1/3"), (1, 1)),
                points((0, 0), ("2/3", 0), ("2/3", 1), (1, 1)),
            ),
            (F(1, 3), F(2, 3)),
            id="battle",
        ),
        pytest.param(
            PENNIES,
            (
                points((0, 0), (0, "1/2"), (1, "1/2"), (1, 1)),
                points((0, 1), ("1/2", 1), ("1/2", 0), (1, 0)),
            ),
            (F(1, 2), F(1, 2)),
            id="pennies",
        ),
        pytest.param(
            DEGENERATE,
            ((), points((0, 0), ("1/2", 0), ("1/2", 1), (1, 1))),
            (None, F(1, 2)),
            id="player-1-indifferent-everywhere",
        ),
        pytest.param(
            Game.from_arrays([[1, 0], [1, 1]], [[0, 0], [1, 0]]),
            (points((0, 0), (0, 1), (1, 1)), points((0, 1), (1, 1), (1, 0))),
            (F(1), F(1)),
            id="indifferent-at-an-end",
        ),
    ],
)
def test_best_response_paths(
    game: Game, paths: tuple[tuple, tuple], thresholds: tuple[F | None, F | None]
) -> None:
    data = best_response_data(game, solve(game))
    assert tuple(c.path for c in data.curves) == paths
    assert tuple(c.threshold for c in data.curves) == thresholds
    assert tuple(c.indifferent_everywhere for c in data.curves) == tuple(p == () for p in paths)
    assert tuple(c.name for c in data.curves) == game.players


def test_best_response_data_battle_equilibria_and_labels() -> None:
    data = best_response_data(BATTLE, solve(BATTLE))
    assert data.axis_labels == ("P(Ann plays opera)", "P(Bob plays opera)")
    assert data.moves == (("opera", "match"), ("opera", "match"))
    assert [(m.label, m.position, m.pure) for m in data.equilibria] == [
        ("NE1", (1, 1), True),
        ("NE2", (F(2, 3), F(1, 3)), False),
        ("NE3", (0, 0), True),
    ]
    assert data.continua == ()


def test_best_response_data_continua_are_segments_or_the_square() -> None:
    degenerate = best_response_data(DEGENERATE, solve(DEGENERATE))
    assert degenerate.continua == (
        points(("1/2", 1), (1, 1)),
        points(("1/2", 0), ("1/2", 1)),
        points((0, 0), ("1/2", 0)),
    )
    ties = best_response_data(TIES, solve(TIES))
    assert all(c.indifferent_everywhere and c.path == () for c in ties.curves)
    assert ties.continua == (points((0, 0), (1, 1)),)


def test_best_response_data_float_game() -> None:
    game = Game.from_arrays([[0.5, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 0.5]])
    data = best_response_data(game, solve(game))
    x, y = data.equilibria[1].position
    assert isinstance(x, float) and abs(x - 1 / 3) < 1e-12 and abs(y - 2 / 3) < 1e-12
    assert data.curves[0].path[0] == (0.0, 0.0)


def on_path(path: Sequence[Sequence[Any]], point: Sequence[Any]) -> bool:
    """True when the point lies on the polyline (exact arithmetic)."""
    for (x0, y0), (x1, y1) in pairwise(path):
        inside = min(x0, x1) <= point[0] <= max(x0, x1) and min(y0, y1) <= point[1] <= max(y0, y1)
        if inside and (x1 - x0) * (point[1] - y0) == (y1 - y0) * (point[0] - x0):
            return True
    return False


def is_best_response(game: Game, player: int, x: F, y: F) -> bool:
    """Does the player's probability of its first move (x or y) earn its best payoff?"""
    profile = ((x, 1 - x), (y, 1 - y))
    first, second = move_values(game, profile, player).tolist()
    own = x if player == 0 else y
    return own * first + (1 - own) * second == max(first, second)


payoffs_2x2 = st.lists(st.integers(-3, 3), min_size=4, max_size=4).map(
    lambda v: [[v[0], v[1]], [v[2], v[3]]]
)
GRID = [F(k, 6) for k in range(7)]


@settings(max_examples=60, deadline=None)
@given(payoffs_2x2, payoffs_2x2)
def test_best_response_paths_are_the_correspondences(a: list, b: list) -> None:
    game = Game.from_arrays(a, b)
    solution = solve(game)
    data = best_response_data(game, solution)
    for curve in data.curves:
        thresholds = [] if curve.threshold is None else [curve.threshold]
        for other in GRID + thresholds:
            for own in GRID:
                point = (own, other) if curve.player == 0 else (other, own)
                expected = is_best_response(game, curve.player, *point)
                drawn = curve.indifferent_everywhere or on_path(curve.path, point)
                assert drawn == expected, (curve, point)
    for mark in data.equilibria:
        for curve in data.curves:
            assert curve.indifferent_everywhere or on_path(curve.path, mark.position)


# ------------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda: bimatrix_data(THREE, solve(THREE)), "two-player", id="bimatrix-3p"),
        pytest.param(
            lambda: payoff_space_data(THREE, solve(THREE)), "3 players", id="payoff-space-3p"
        ),
        pytest.param(lambda: best_response_data(TRADE, solve(TRADE)), "2×2", id="br-3x3"),
        pytest.param(lambda: best_response_data(THREE, solve(THREE)), "2 × 2 × 2", id="br-3p"),
        pytest.param(lambda: bimatrix_data(PD, solve(BATTLE)), "different game", id="mismatch"),
        pytest.param(
            lambda: payoff_space_data(PD, solve(PD), status_quo=("C", "X")),
            "status quo ['C', 'X']: unknown move 'X'",
            id="bad-status-quo-move",
        ),
        pytest.param(
            lambda: bimatrix_data(PD, solve(PD), status_quo=(0,)),
            "status quo [0]",
            id="short-status-quo",
        ),
        pytest.param(lambda: bimatrix_figure(THREE, solve(THREE)), "two-player", id="figure-3p"),
        pytest.param(lambda: best_response_figure(TRADE, solve(TRADE)), "2×2", id="figure-3x3"),
    ],
)
def test_errors_name_the_problem(call, message: str) -> None:
    with pytest.raises(SimError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call()


def test_same_game_rebuilt_is_accepted() -> None:
    copy = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=PD.players, moves=PD.moves)
    assert bimatrix_data(PD, solve(copy)).cells[1][1].equilibrium == "NE1"


# ----------------------------------------------------------------------------- figures
def gids(figure: Figure, gid: str) -> list:
    return figure.findobj(lambda artist: artist.get_gid() == gid)


def texts(artists: list) -> list[str]:
    return [a.get_text() for a in artists]


def one_profile_a_line(text: str) -> str:
    """Undo the figure's other layouts of an outcome label: one ``(row, column)`` a line."""
    return text.replace(",\n", ", ").replace("), (", ")\n(")


def equilibria_shown(figure: Figure) -> list[str]:
    """Every equilibrium label in the payoff-space figure, one ``NEk`` per entry, sorted."""
    shown = texts(gids(figure, "equilibrium-label"))
    return sorted(name for text in shown for name in text.replace(",\n", ", ").split(", "))


def all_labels(figure: Figure) -> list:
    return gids(figure, "outcome-label") + gids(figure, "equilibrium-label")


def legend_of(ax: Axes) -> Legend:
    legend = ax.get_legend()
    assert legend is not None
    return legend


def render_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


GAMES = [
    pytest.param(PD, (0, 0), id="prisoners-dilemma"),
    pytest.param(BATTLE, (1, 0), id="battle"),
    pytest.param(PENNIES, None, id="pennies"),
    pytest.param(DEGENERATE, (0, 1), id="degenerate"),
    pytest.param(TIES, None, id="ties"),
    pytest.param(TRADE, ("ease", "raise"), id="trade-3x3"),
]


@pytest.mark.parametrize(("game", "status_quo"), GAMES)
def test_all_figures_render_to_png(game: Game, status_quo: tuple | None) -> None:
    figures = all_figures(game, solve(game), status_quo)
    expected = {"bimatrix", "payoff_space"} | ({"best_response"} if game.shape == (2, 2) else set())
    assert set(figures) == expected
    for figure in figures.values():
        assert isinstance(figure, Figure)
        png = render_png(figure)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(png) > 5000
        assert figure.get_suptitle() or figure.axes[0].get_title()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=50)
        assert buffer.getvalue().startswith(b"\x89PNG")


def test_all_figures_of_a_three_player_game_is_empty() -> None:
    assert all_figures(THREE, solve(THREE)) == {}


def test_bimatrix_figure_structure() -> None:
    figure = bimatrix_figure(PD, solve(PD), status_quo=("C", "C"))
    table, notes = figure.axes
    assert figure.get_suptitle() == "Prisoner's dilemma: payoff table"
    assert texts(table.get_xticklabels()) == ["C", "D"]
    assert texts(table.get_yticklabels()) == ["C", "D"]
    assert (table.get_ylabel(), table.get_xlabel()) == ("Row", "Column")
    assert len(gids(figure, "cell")) == 3 and len(gids(figure, "equilibrium-cell")) == 1
    assert texts(gids(figure, "equilibrium-tag")) == ["NE1"]
    assert sorted(texts(gids(figure, "best-response-0"))) == ["1", "5"]
    assert sorted(texts(gids(figure, "best-response-1"))) == ["1", "5"]
    assert sorted(texts(gids(figure, "payoff-0"))) == ["0", "3"]
    assert all(t.get_fontweight() == "bold" for t in gids(figure, "best-response-0"))
    assert len(gids(figure, "status-quo")) == 1
    assert texts(legend_of(notes).get_texts()) == [
        "pure Nash equilibrium",
        "best response of Row",
        "best response of Column",
        "status quo",
    ]
    assert gids(figure, "caption") == []


def test_bimatrix_figure_caption_and_no_status_quo() -> None:
    figure = bimatrix_figure(BATTLE, solve(BATTLE))
    assert gids(figure, "status-quo") == []
    assert len(gids(figure, "equilibrium-cell")) == 2
    (caption,) = texts(gids(figure, "caption"))
    assert caption.startswith("NE2: Ann plays 2/3 opera + 1/3 match")
    assert "payoffs (2/3, 2/3)" in caption
    assert "status quo" not in texts(legend_of(figure.axes[1]).get_texts())


def test_bimatrix_figure_scales_with_the_table() -> None:
    small = bimatrix_figure(PD, solve(PD)).get_size_inches()
    large = Game.from_arrays(
        [[i * j % 5 for j in range(6)] for i in range(6)],
        [[(i + j) % 4 for j in range(6)] for i in range(6)],
    )
    big = bimatrix_figure(large, solve(large))
    assert big.get_size_inches()[0] > small[0] and big.get_size_inches()[1] > small[1]
    assert len(gids(big, "cell")) + len(gids(big, "equilibrium-cell")) == 36
    render_png(big)


def test_payoff_space_figure_structure() -> None:
    figure = payoff_space_figure(BATTLE, solve(BATTLE), status_quo=("match", "opera"))
    (ax,) = figure.axes
    assert ax.get_title() == "Battle of the sexes: payoff space"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Ann payoff", "Bob payoff")
    assert sorted(texts(gids(figure, "outcome-label"))) == [
        "(match, match)",
        "(opera, match)\n(match, opera)",
        "(opera, opera)",
    ]
    assert sorted(texts(gids(figure, "equilibrium-label"))) == ["NE1", "NE2", "NE3"]
    assert len(gids(figure, "pure-equilibrium")[0].get_offsets()) == 2
    assert len(gids(figure, "mixed-equilibrium")[0].get_offsets()) == 1
    assert len(gids(figure, "efficient")[0].get_offsets()) == 2
    assert len(gids(figure, "hull")) == 1 and len(gids(figure, "frontier")) == 1
    assert len(gids(figure, "status-quo")) == 1
    (legend,) = figure.legends
    assert texts(legend.get_texts()) == [
        "feasible payoffs (convex\nhull)",
        "Pareto frontier",
        "Pareto-efficient outcome",
        "other pure outcome",
        "pure Nash equilibrium",
        "mixed Nash equilibrium",
        "status quo (match, opera)",
    ]


def test_payoff_space_figure_labels_do_not_overlap() -> None:
    figure = payoff_space_figure(TRADE, solve(TRADE), status_quo=(0, 0))
    FigureCanvasAgg(figure).draw()
    assert sorted(texts(gids(figure, "equilibrium-label"))) == ["NE1", "NE2"]
    boxes = [Text.get_window_extent(t) for t in all_labels(figure)]
    assert len(boxes) == len(payoff_space_data(TRADE, solve(TRADE)).outcomes) + 2
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not first.overlaps(second)


@pytest.mark.parametrize(("game", "status_quo"), GAMES)
def test_payoff_space_figure_labels_every_outcome_of_small_games(
    game: Game, status_quo: tuple | None
) -> None:
    solution = solve(game)
    figure = payoff_space_figure(game, solution, status_quo)
    outcomes = payoff_space_data(game, solution).outcomes
    shown = [one_profile_a_line(t) for t in texts(gids(figure, "outcome-label"))]
    assert sorted(shown) == sorted(o.label for o in outcomes)
    assert gids(figure, "omitted-labels") == []
    assert equilibria_shown(figure) == sorted(f"NE{k + 1}" for k in range(len(solution.equilibria)))


def test_payoff_space_figure_leaves_out_and_counts_crowded_labels() -> None:
    a = [[6 * i + j for j in range(6)] for i in range(6)]
    b = [[(6 * i + j) * 5 % 7 for j in range(6)] for i in range(6)]
    names = tuple(f"proposal {k}" for k in range(6))
    game = Game.from_arrays(a, b, moves=(names, names), title="Crowded")
    figure = payoff_space_figure(game, solve(game))
    shown = len(gids(figure, "outcome-label"))
    (note,) = texts(gids(figure, "omitted-labels"))
    left_out = int(note.split()[0])
    assert note == f"{left_out} crowded outcome label{'s' if left_out > 1 else ''} left out"
    assert shown + left_out == 36 and 0 < left_out < 36
    assert texts(gids(figure, "equilibrium-label")) == ["NE1"]  # never left out
    FigureCanvasAgg(figure).draw()
    boxes = [Text.get_window_extent(t) for t in all_labels(figure)]
    for i, first in enumerate(boxes):  # labels that are shown are hardly covered
        for second in boxes[i + 1 :]:
            meet = Bbox.intersection(first, second)
            smaller = min(b.width * b.height for b in (first, second))
            assert meet is None or meet.width * meet.height <= CROWDED * smaller


# 27 equilibria, many of them mixed and sharing payoffs, on a few crowded payoff points.
TIE_HEAVY = Game.from_arrays(
    [
        [0, 1, 0, 0, 1, 0],
        [1, 0, 0, 1, 0, 1],
        [1, 0, 1, 0, 0, 0],
        [1, 1, 0, 0, 1, 0],
        [0, 1, 0, 1, 0, 0],
        [0, 0, 0, 1, 1, 0],
    ],
    [
        [1, 1, 1, 0, 1, 1],
        [1, 1, 1, 0, 1, 0],
        [0, 1, 0, 1, 0, 0],
        [1, 1, 0, 1, 0, 0],
        [1, 0, 0, 0, 1, 1],
        [0, 0, 1, 1, 1, 0],
    ],
    title="Tie-heavy 6×6",
)


def check_every_equilibrium_labelled(game: Game, solution: Any, status_quo: Any = None) -> None:
    """Every equilibrium is named (up to MAX_EQUILIBRIUM_LABELS marks and MAX_MARK_NAMES
    equilibria a mark, past which the figure says how many it leaves out)."""
    figure = payoff_space_figure(game, solution, status_quo)
    marks = payoff_space_data(game, solution).equilibria
    if len(marks) <= MAX_EQUILIBRIUM_LABELS and all(
        m.label.count(",") < MAX_MARK_NAMES for m in marks
    ):
        everyone = sorted(f"NE{k + 1}" for k in range(len(solution.equilibria)))
        assert equilibria_shown(figure) == everyone
    else:
        named = [_equilibrium_text(m.label) for m in _labelled_marks(marks)]
        assert sorted(texts(gids(figure, "equilibrium-label"))) == sorted(named)
    outcomes = payoff_space_data(game, solution).outcomes
    shown = len(gids(figure, "outcome-label"))
    notes = texts(gids(figure, "omitted-labels"))
    left_out = int(notes[0].split()[0]) if notes else 0
    assert shown + left_out == len(outcomes)


def test_payoff_space_figure_labels_every_equilibrium_of_a_crowded_game() -> None:
    solution = solve(TIE_HEAVY)
    assert len(solution.equilibria) == 27 and sum(e.is_pure for e in solution.equilibria) == 7
    check_every_equilibrium_labelled(TIE_HEAVY, solution, status_quo=(0, 1))


@settings(max_examples=6, deadline=None)
@given(tie_heavy_games(max_moves=4))
def test_payoff_space_figure_never_leaves_out_an_equilibrium_label(game: Game) -> None:
    check_every_equilibrium_labelled(game, solve(game))


def test_required_labels_move_out_on_a_leader_line_and_others_are_left_out() -> None:
    figure = Figure(figsize=(6, 6), layout="constrained")
    ax = figure.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    style = {"fontsize": 9, "gid": "test-label"}
    labels = [
        Label("optional", (5.0, 5.0), NEAR_PLACES, style, required=False),
        Label("required", (5.0, 5.0), NEAR_PLACES, style, required=True),
    ]
    # A marker of radius 40 points covers every near place and the first leader ring.
    omitted = place_labels(figure, ax, labels, [((5.0, 5.0), 40.0)])
    (shown,) = gids(figure, "test-label")
    assert omitted == 1 and shown.get_text() == "required"
    assert shown.arrow_patch is not None  # joined to its point by a leader line
    assert max(abs(v) for v in shown.xyann) > 40  # clear of the marker


def test_payoff_space_figure_degenerate_draws_the_continuum() -> None:
    figure = payoff_space_figure(DEGENERATE, solve(DEGENERATE))
    assert len(gids(figure, "continuum")) == 1
    assert sorted(texts(gids(figure, "equilibrium-label"))) == ["NE1, NE4", "NE2, NE3"]
    assert gids(figure, "frontier") == []  # one efficient vertex: no frontier line


def test_best_response_figure_structure() -> None:
    figure = best_response_figure(BATTLE, solve(BATTLE))
    (ax,) = figure.axes
    assert ax.get_title() == "Battle of the sexes: best responses"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("P(Ann plays opera)", "P(Bob plays opera)")
    assert texts(ax.get_xticklabels()) == ["0", "2/3", "1"]
    assert texts(ax.get_yticklabels()) == ["0", "1/3", "1"]
    (line0,) = gids(figure, "best-response-0")
    assert list(line0.get_xdata()) == [0, 0, 1, 1]
    assert list(line0.get_ydata()) == pytest.approx([0, 1 / 3, 1 / 3, 1])
    assert len(gids(figure, "best-response-1")) == 1
    assert len(gids(figure, "equilibrium")[0].get_offsets()) == 3
    assert texts(gids(figure, "equilibrium-label")) == [
        "NE1 (1, 1)",
        "NE2 (2/3, 1/3)",
        "NE3 (0, 0)",
    ]
    assert texts(figure.legends[0].get_texts()) == [
        "Ann's best response",
        "Bob's best response",
        "Nash equilibrium",
    ]


def test_best_response_figure_indifference_and_continua() -> None:
    figure = best_response_figure(DEGENERATE, solve(DEGENERATE))
    (everywhere,) = gids(figure, "best-response-0")
    assert everywhere.get_hatch() == "//"
    assert len(gids(figure, "continuum")) == 3
    ties = best_response_figure(TIES, solve(TIES))
    assert len(gids(ties, "continuum")) == 1
    assert "continuum of equilibria" in texts(ties.legends[0].get_texts())


def test_importing_and_drawing_never_touch_pyplot() -> None:
    script = (
        "import sys\n"
        "import sim.plot\n"
        "assert 'matplotlib' not in sys.modules, 'sim.plot imported matplotlib eagerly'\n"
        "from sim import Game, solve\n"
        "game = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])\n"
        "sim.plot.all_figures(game, solve(game), (0, 0))\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_only_the_plot_package_imports_matplotlib() -> None:
    imports = re.compile(r"^\s*(import|from)\s+matplotlib", re.MULTILINE)
    importers = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "sim").rglob("*.py")
        if imports.search(path.read_text(encoding="utf-8"))
    )
    assert importers and all(p.startswith("sim/plot/") for p in importers), importers
    assert "sim/plot/data.py" not in importers  # the tested datasets stay matplotlib-free
