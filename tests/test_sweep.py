"""Parameter sweeps (sim.analysis.sweep) and their figures (sim.plot.sweep)."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sim.analysis.structure import structure
from sim.analysis.sweep import FIXED_COLUMNS, Axis, axis, exact_value, sweep
from sim.analysis.thresholds import thresholds
from sim.errors import SimError
from sim.game import Game
from sim.plot.sweep import (
    DEGENERATE_COLOURS,
    bifurcation_data,
    bifurcation_figure,
    regime_data,
    regime_figure,
    sweep_figures,
)
from sim.scenario import Scenario, load, parse_scenario
from sim.solvers import solve

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LONDON = load(SCENARIOS / "london_talks.yaml")
STAG_CHINA = LONDON.with_parameters(g_cn=4)  # China a conditional cooperator
E_R, E_X, M_R, M_X = (0, 0), (0, 1), (1, 0), (1, 1)


# ------------------------------------------------------------------------ axes
def test_grid_values_are_exact() -> None:
    result = sweep(LONDON, [("g_us", 0, 1, 4)])
    assert result.axes == (Axis("g_us", Fraction(0), Fraction(1), 4),)
    assert [p.values for p in result.points] == [
        (Fraction(0),),
        (Fraction(1, 3),),
        (Fraction(2, 3),),
        (Fraction(1),),
    ]


def test_two_axes_are_row_major() -> None:
    result = sweep(LONDON, [("g_us", 0, 2, 3), ("z_us", "1/2", "3/2", 2)])
    assert result.shape == (3, 2)
    assert [p.values for p in result.points] == [
        (Fraction(g), Fraction(z, 2)) for g in range(3) for z in (1, 3)
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.1, Fraction(1, 10)), ("2/3", Fraction(2, 3)), (3, Fraction(3)), ("1e-2", Fraction(1, 100))],
)
def test_exact_value(value: Any, expected: Fraction) -> None:
    assert exact_value(value) == expected


@pytest.mark.parametrize(
    ("axes", "message"),
    [
        ([("g", 0, 1, 3)], r"unknown parameter 'g' to sweep; parameters are v_us, c_us, g_us"),
        ([("g_us", 0, 1, 1)], "steps for g_us must be at least 2, got 1"),
        ([("g_us", 1, 1, 3)], "the range of g_us must have low < high, got 1 to 1"),
        ([("g_us", 2, 1, 3)], "low < high, got 2 to 1"),
        ([("g_us", 0, 1, 2.5)], "whole number"),
        ([("g_us", 0, 1, True)], "whole number"),
        ([("g_us", "a", 1, 3)], "low end for g_us: 'a' is not a number"),
        ([("g_us", float("nan"), 1, 3)], "not a finite number"),
        ([("g_us", 0, 1, 3), ("g_us", 0, 2, 3)], "swept twice"),
        ([("g_us", 0, 1, 3)] * 3, "one or two parameters, got 3"),
        ([], "one or two parameters, got 0"),
        ([("g_us", 0, 1)], r"an axis is \(name, low, high, steps\)"),
    ],
)
def test_bad_axes(axes: list[Any], message: str) -> None:
    with pytest.raises(SimError, match=message):
        sweep(LONDON, axes)


def test_scenario_without_parameters() -> None:
    bare = Scenario.from_game(Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    with pytest.raises(SimError, match="this scenario has no parameters"):
        sweep(bare, [("t", 0, 1, 3)])


def test_axis_object_is_checked_too() -> None:
    assert axis(LONDON, Axis("g_us", Fraction(0), Fraction(1), 2)).steps == 2
    with pytest.raises(SimError, match="steps"):
        axis(LONDON, Axis("g_us", Fraction(0), Fraction(1), 1))


def test_too_many_points() -> None:
    with pytest.raises(SimError, match="over the limit"):
        sweep(LONDON, [("g_us", 0, 1, 2000), ("z_us", 0, 1, 2000)])


def test_parameter_named_like_a_column() -> None:
    text = """
kind: normal_form
title: clash
players:
  Row: {moves: [a, b]}
  Column: {moves: [x, y]}
parameters: {move: 1}
payoffs:
  Row: [[move, 0], [0, 1]]
  Column: [[1, 0], [0, 1]]
"""
    with pytest.raises(SimError, match="name of a result column"):
        sweep(parse_scenario(text), [("move", 0, 1, 2)])


# -------------------------------------------------------------------- contents
@settings(max_examples=15, deadline=None)
@given(st.integers(0, 8), st.integers(0, 8))
def test_each_point_is_the_solved_structure(i: int, j: int) -> None:
    result = sweep(LONDON, [("g_cn", 0, 4, 9), ("z_cn", 0, 8, 9)])
    point = result.points[i * 9 + j]
    game = LONDON.with_parameters(g_cn=Fraction(i, 2), z_cn=Fraction(j)).game
    solution = solve(game)
    assert point.values == (Fraction(i, 2), Fraction(j))
    assert point.structure == structure(solution)
    assert [e.strategies for e in point.equilibria] == [e.strategies for e in solution.equilibria]


def test_stag_hunt_branch_follows_the_closed_form() -> None:
    # S1: China raises with q* = (c_us + s_us - z_us) / (g_us + s_us - z_us), the US eases
    # with (c_cn + s_cn - z_cn) / (g_cn + s_cn - z_cn) = 2/3.
    result = sweep(STAG_CHINA, [("g_us", 0, 4, 9)])
    mixed_points = 0
    for point in result.points:
        (g,) = point.values
        fully = [
            e
            for e in point.equilibria
            if not e.is_pure and len(e.support(0)) == 2 == len(e.support(1))
        ]
        if g > 2:
            (eq,) = fully
            assert eq.strategies[1][0] == Fraction(2 + 1 - 1, g + 1 - 1)
            assert eq.strategies[0][0] == Fraction(2, 3)
            assert point.structure.game_type == "stag hunt"
            mixed_points += 1
        else:
            assert not fully
    assert mixed_points == 4


def test_branches_in_one_dimension() -> None:
    result = sweep(STAG_CHINA, [("g_us", 0, 4, 9)])
    by_branch: dict[int, list[tuple[int, Any]]] = {}
    for k, point in enumerate(result.points):
        assert len(set(point.branches)) == len(point.branches)  # one per branch per point
        for eq, b in zip(point.equilibria, point.branches, strict=True):
            by_branch.setdefault(b, []).append((k, eq))
    assert sorted(by_branch) == list(range(1, result.branch_count() + 1))
    for members in by_branch.values():
        indices = [k for k, _ in members]
        assert indices == list(range(indices[0], indices[-1] + 1))  # contiguous
        supports = {tuple(eq.support(i) for i in range(2)) for _, eq in members}
        assert len(supports) == 1
    # Branch 1 is the status quo everywhere; the deal and the mixed branch start at g_us = 2.
    assert [k for k, _ in by_branch[1]] == list(range(9))
    assert [k for k, _ in by_branch[2]] == [4, 5, 6, 7, 8]
    assert result.branch_count() == 4  # plus the one-point branch at the degenerate game


def test_neighbours_with_equal_supports_share_a_branch() -> None:
    result = sweep(LONDON, [("g_cn", 0, 4, 5), ("z_cn", 0, 8, 5)])
    index = {p.values: p for p in result.points}
    for point in result.points:
        for other_values in [
            (point.values[0] + 1, point.values[1]),
            (point.values[0], point.values[1] + 2),
        ]:
            other = index.get(other_values)
            if other is None:
                continue
            for eq, b in zip(point.equilibria, point.branches, strict=True):
                same = [
                    b2
                    for e2, b2 in zip(other.equilibria, other.branches, strict=True)
                    if all(e2.support(i) == eq.support(i) for i in range(2))
                ]
                if len(same) == 1:
                    assert same[0] == b


def test_rows_are_tidy() -> None:
    result = sweep(STAG_CHINA, [("g_us", 0, 4, 5)])
    rows = list(result.rows())
    assert result.columns() == ("g_us", *FIXED_COLUMNS)
    assert all(tuple(r) == result.columns() for r in rows)
    assert len(rows) == sum(len(p.equilibria) for p in result.points) * 4
    mixed = [r for r in rows if r["g_us"] == 3.0 and r["structure"].endswith("1 mixed")]
    china_raise = [
        r
        for r in mixed
        if r["player"] == "China" and r["move"] == "raise_re_exports" and r["branch"] == 4
    ]
    assert china_raise == [
        {
            "g_us": 3.0,
            "structure": "stag hunt: (ease_chip_controls, raise_re_exports) + "
            "(maintain_chip_controls, restrict_re) + 1 mixed",
            "game_type": "stag hunt",
            "equilibrium": 2,
            "branch": 4,
            "player": "China",
            "move": "raise_re_exports",
            "probability": pytest.approx(2 / 3),
            "payoff": pytest.approx(8 / 3),
            "exact_probability": "2/3",
            "exact_payoff": "8/3",
        }
    ]


def test_to_dict_is_json() -> None:
    result = sweep(LONDON, [("g_cn", 0, 4, 3), ("z_cn", 0, 8, 3)])
    data = json.loads(json.dumps(result.to_dict()))
    assert [a["parameter"] for a in data["axes"]] == ["g_cn", "z_cn"]
    assert data["axes"][1]["exact_values"] == ["0", "4", "8"]
    assert "g_cn" not in data["fixed"] and data["fixed"]["v_us"] == {"value": 4.0, "exact": "4"}
    assert sum(s["points"] for s in data["structures"]) == 9
    assert len(data["points"]) == 9
    first = data["points"][0]
    assert first["structure"] == 0 and first["equilibria"][0]["number"] == 1
    assert {b["branch"] for b in data["branches"]} == set(range(1, result.branch_count() + 1))


def test_structure_grid() -> None:
    result = sweep(LONDON, [("g_cn", 0, 4, 5), ("z_cn", 0, 8, 3)])
    grid = result.structure_grid()
    assert grid.shape == (5, 3)
    structures = result.structures()
    for k, point in enumerate(result.points):
        assert structures[grid[k // 3, k % 3]] == point.structure


def test_float_payoffs() -> None:
    text = """
kind: normal_form
title: irrational
players:
  Row: {moves: [a, b]}
  Column: {moves: [x, y]}
parameters: {t: 1}
payoffs:
  Row: [["t * 2 ** 0.5", 0], [1, 1]]
  Column: [[1, 0], [0, 1]]
"""
    result = sweep(parse_scenario(text), [("t", 0, 2, 5)])
    row = next(iter(result.rows()))
    assert row["exact_probability"] == "" and isinstance(row["probability"], float)
    assert [p.structure.game_type for p in result.points][-1] == "coordination"


def test_three_players() -> None:
    text = """
kind: normal_form
title: three
players:
  A: {moves: [a0, a1]}
  B: {moves: [b0, b1]}
  C: {moves: [c0, c1]}
parameters: {t: 0}
payoffs:
  a0, b0, c0: [t, 1, 1]
  a0, b0, c1: [0, 0, 0]
  a0, b1, c0: [0, 0, 0]
  a0, b1, c1: [0, 0, 0]
  a1, b0, c0: [0, 0, 0]
  a1, b0, c1: [0, 0, 0]
  a1, b1, c0: [0, 0, 0]
  a1, b1, c1: [1, 1, 1]
"""
    scenario = parse_scenario(text)
    result = sweep(scenario, [("t", -1, 1, 3)])
    assert [p.structure.mixed for p in result.points] == [None, None, None]
    for point in result.points:
        (t,) = point.values
        assert point.structure == structure(solve(scenario.with_parameters(t=t).game))
    # (a0, b0, c0) is an equilibrium once A stops gaining by leaving it (t >= 0).
    assert [(0, 0, 0) in p.structure.pure for p in result.points] == [False, True, True]
    assert len(next(iter(result.rows()))) == 1 + len(FIXED_COLUMNS)


# ----------------------------------------------------------------------- plots
def test_bifurcation_data() -> None:
    result = sweep(STAG_CHINA, [("g_us", 0, 4, 5)])
    found = thresholds(STAG_CHINA, "g_us", 0, 4)
    data = bifurcation_data(result, found)
    assert data.parameter == "g_us" and (data.low, data.high) == (0.0, 4.0)
    assert data.shown_moves == ((0,), (0,))
    assert [b.label for b in data.branches] == [
        "(maintain_chip_controls, restrict_re)",
        "(ease_chip_controls, raise_re_exports)",
        "mixed: {ease_chip_controls, maintain_chip_controls} × {raise_re_exports}",
        "fully mixed",
    ]
    assert [b.pure for b in data.branches] == [True, True, False, False]
    deal = data.branches[1]
    assert deal.x == (2.0, 3.0, 4.0)
    assert deal.probabilities == (((1.0,) * 3, (0.0,) * 3), ((1.0,) * 3, (0.0,) * 3))
    assert deal.payoffs == ((4.0, 5.0, 6.0), (6.0, 6.0, 6.0))  # v - c + g per side
    assert [(m.value, m.label) for m in data.thresholds] == [(2.0, "g_us = 2")]


def test_bifurcation_data_checks() -> None:
    two = sweep(LONDON, [("g_us", 0, 1, 2), ("z_us", 0, 1, 2)])
    with pytest.raises(SimError, match="one-parameter sweep"):
        bifurcation_data(two)
    with pytest.raises(SimError, match="thresholds are for z_us"):
        bifurcation_data(sweep(LONDON, [("g_us", 0, 4, 3)]), thresholds(LONDON, "z_us", 0, 4))
    with pytest.raises(SimError, match="two-parameter sweep"):
        regime_data(sweep(LONDON, [("g_us", 0, 4, 3)]))


def test_bifurcation_data_with_three_moves() -> None:
    text = """
kind: normal_form
title: rps
players:
  Row: {moves: [rock, paper, scissors]}
  Column: {moves: [rock, paper, scissors]}
parameters: {w: 1}
payoffs:
  Row: [[0, -1, w], [1, 0, -1], [-1, 1, 0]]
  Column: [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]
"""
    data = bifurcation_data(sweep(parse_scenario(text), [("w", 1, 2, 3)]))
    assert data.shown_moves == ((0, 1, 2), (0, 1, 2))
    (branch,) = data.branches
    assert branch.label == "fully mixed"
    assert branch.probabilities[0][0][0] == pytest.approx(1 / 3)


def test_regime_data() -> None:
    us_conditional = LONDON.with_parameters(g_us=3, z_us=0)
    result = sweep(us_conditional, [("g_cn", 0, 4, 5), ("z_cn", 0, 8, 5)])
    data = regime_data(result)
    assert (data.x_parameter, data.y_parameter) == ("g_cn", "z_cn")
    assert data.x == (0.0, 1.0, 2.0, 3.0, 4.0) and data.y == (0.0, 2.0, 4.0, 6.0, 8.0)
    assert data.x_edges == (-0.5, 0.5, 1.5, 2.5, 3.5, 4.5)
    assert data.y_edges == (-1.0, 1.0, 3.0, 5.0, 7.0, 9.0)
    labels = [r.label for r in data.regimes]

    def at(g: int, z: int) -> str:
        return labels[data.grid[data.y.index(z)][data.x.index(g)]]

    assert at(4, 0).startswith("stag hunt")  # both conditional cooperators
    assert at(0, 8) == "matching pennies: 1 mixed"  # US conditional, China chicken-type
    assert at(0, 0) == "one-sided dominance: (maintain_chip_controls, restrict_re)"
    assert at(3, 0).startswith("degenerate")
    assert sum(r.share for r in data.regimes) == pytest.approx(1.0)
    for regime in data.regimes:
        assert (regime.colour in DEGENERATE_COLOURS) == regime.label.startswith("degenerate")


def render(figure: Any) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def test_bifurcation_figure() -> None:
    result = sweep(STAG_CHINA, [("g_us", 0, 4, 17)])
    figure = bifurcation_figure(result, thresholds(STAG_CHINA, "g_us", 0, 4))
    assert len(figure.axes) == 3
    for ax in figure.axes:
        assert [line.get_gid() for line in ax.get_lines()].count("threshold") == 1
    branch_lines = [line for line in figure.axes[0].get_lines() if line.get_gid() == "branch-4"]
    assert len(branch_lines) == 1 and list(branch_lines[0].get_ydata()) == [2 / 3] * 8
    texts = [t.get_text() for legend in figure.legends for t in legend.get_texts()]
    assert "fully mixed" in texts and "payoff: China" in texts
    assert "g_us = 2" in [t.get_text() for t in figure.axes[0].texts]
    assert render(figure).startswith(b"\x89PNG")


def test_regime_figure() -> None:
    result = sweep(LONDON, [("g_cn", 0, 4, 9), ("z_cn", 0, 8, 9)])
    figure = regime_figure(result)
    (ax,) = figure.axes
    assert [c.get_gid() for c in ax.collections] == ["regimes"]
    (legend,) = figure.legends
    entries = [" ".join(t.get_text().split()) for t in legend.get_texts()]
    assert len(entries) == len(result.structures())
    assert entries[0].startswith("prisoner's dilemma: (maintain_chip_controls, restrict_re) (")
    assert entries[0].endswith("of grid)")
    assert render(figure).startswith(b"\x89PNG")


def test_regime_crossings() -> None:
    scenario = LONDON.with_parameters(g_us=3, z_us=0, g_cn="7/2", z_cn=2)
    result = sweep(scenario, [("g_cn", 0, 4, 5), ("z_cn", 0, 8, 5)])
    assert result.origin == (Fraction(7, 2), Fraction(2))
    flips = [thresholds(scenario, "g_cn", 0, 4), thresholds(scenario, "z_cn", 0, 8)]
    data = regime_data(result, flips)
    assert data.guides == (("y", 2.0), ("x", 3.5))
    # Along z_cn at g_cn = 7/2: stag hunt until the status quo risk-dominates no longer
    # (0.5 = 3 (4 - z_cn), z_cn = 23/6), then coordination, then China raises regardless.
    assert [(m.x, m.y, m.label, m.along) for m in data.crossings] == [
        (3.0, 2.0, "g_cn = 3", "g_cn"),
        (3.5, 23 / 6, "z_cn = 23/6", "z_cn"),
        (3.5, 4.0, "z_cn = 4", "z_cn"),
    ]
    with pytest.raises(SimError, match="the map is over g_cn and z_cn"):
        regime_data(result, [thresholds(scenario, "v_us", 2, 8)])
    # A threshold line outside the map is left out.
    outside = sweep(scenario, [("g_cn", 0, 4, 3), ("z_cn", 3, 8, 3)])
    assert regime_data(outside, flips[:1]).crossings == ()
    figure = regime_figure(result, flips)
    lines = figure.axes[0].get_lines()
    assert [line.get_gid() for line in lines].count("threshold") == len(data.crossings)
    assert [line.get_gid() for line in lines].count("guide") == 2


def test_sweep_figures() -> None:
    one = sweep(STAG_CHINA, [("g_us", 0, 4, 5)])
    figures = sweep_figures(one, [thresholds(STAG_CHINA, "g_us", 0, 4)])
    assert list(figures) == ["bifurcation"]
    (ax, *_) = figures["bifurcation"].axes
    assert [line.get_gid() for line in ax.get_lines()].count("threshold") == 1
    two = sweep(LONDON, [("g_cn", 0, 4, 3), ("z_cn", 0, 8, 3)])
    assert list(sweep_figures(two)) == ["regime_map"]
