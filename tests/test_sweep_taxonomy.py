"""Tests of the ordinal game types in sweeps: the type recorded at each grid point, the JSON,
and the regime map coloured by type (dataset number by number, then the figure rendered
headless with a legend and no crowded text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from figure_checks import crowding
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sim.analysis.sweep import SweepResult, sweep
from sim.analysis.taxonomy import label_text, ordinal_type, type_by_code
from sim.analysis.thresholds import thresholds
from sim.errors import SimError
from sim.plot.sweep import (
    BRANCH_COLOURS,
    DEGENERATE_COLOURS,
    TIES_LABEL,
    TYPE_COLOURS,
    TYPE_LEGEND,
    regime_data,
    regime_figure,
    sweep_figures,
)
from sim.scenario import load, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
LONDON = load(ROOT / "scenarios" / "london_talks.yaml")

THREE_BY_TWO = """
kind: normal_form
title: Three offers
players:
  A: {moves: [low, mid, high]}
  B: {moves: [accept, reject]}
parameters:
  t: {value: 1}
  u: {value: 2}
payoffs:
  low, accept: [t, 1]
  low, reject: [0, 0]
  mid, accept: [u, 2]
  mid, reject: [0, 1]
  high, accept: [3, t]
  high, reject: [1, u]
"""


@pytest.fixture(scope="module")
def plane() -> SweepResult:
    """g_us (US truce bonus) by z_us (US cost of the status quo): four strict types."""
    return sweep(LONDON, [("g_us", 0, 4, 9), ("z_us", 0, 4, 9)])


def test_each_point_records_the_type_of_its_game(plane: SweepResult) -> None:
    names = [a.name for a in plane.axes]
    for point in plane.points:
        game = LONDON.with_parameters(**dict(zip(names, point.values, strict=True))).game
        found = ordinal_type(game)
        assert point.ordinal == found.label
        if found.game_type is not None:  # the coarse family is one the type allows
            assert point.structure.game_type in found.game_type.families


def test_ordinal_types_and_grid(plane: SweepResult) -> None:
    # The US eases against raise iff g_us > c_us = 2, against restrict iff z_us > 3.
    assert plane.ordinal_types() == (
        "Pd",
        "ties (Pd, Ch|Pd)",
        "Ch|Pd",
        "ties (Sh|Pd, Pd)",
        "ties (Nc|Pd, Sh|Pd, Pd, Ch|Pd)",
        "ties (Nc|Pd, Ch|Pd)",
        "Sh|Pd",
        "ties (Nc|Pd, Sh|Pd)",
        "Nc|Pd",
    )
    grid = plane.ordinal_grid()  # [g_us index, z_us index]
    assert grid.shape == (9, 9)
    assert grid[0, 0] == 0 and grid[0, 8] == 2 and grid[8, 0] == 6 and grid[8, 8] == 8
    assert grid[4, 6] == 4  # g_us = 2, z_us = 3: both of the US's comparisons tie
    assert set(grid[4].tolist()) == {3, 4, 5} and set(grid[:, 6].tolist()) == {1, 4, 7}


def test_to_dict_has_the_types(plane: SweepResult) -> None:
    data = json.loads(json.dumps(plane.to_dict()))
    counts = {entry["label"]: entry["points"] for entry in data["ordinal_types"]}
    assert sum(counts.values()) == 81
    assert counts["Pd"] == 4 * 6 and counts["Nc|Pd"] == 4 * 2 and counts["Sh|Pd"] == 4 * 6
    assert data["points"][0]["ordinal_type"] == "Pd"
    assert [p["ordinal_type"] for p in data["points"]].count("Ch|Pd") == counts["Ch|Pd"] == 8


def test_games_that_are_not_2x2_have_no_types() -> None:
    result = sweep(parse_scenario(THREE_BY_TWO), [("t", 0, 2, 3), ("u", 0, 2, 3)])
    assert all(p.ordinal is None for p in result.points)
    assert result.ordinal_types() == ()
    assert result.to_dict()["ordinal_types"] == []
    with pytest.raises(SimError, match=r"no ordinal game types.*shape \(3, 2\)"):
        result.ordinal_grid()
    with pytest.raises(SimError, match="no ordinal game types"):
        regime_data(result, colour_by="type")
    assert regime_data(result).regimes  # colouring by structure still works


def test_regime_data_by_type(plane: SweepResult) -> None:
    data = regime_data(plane, colour_by="type")
    labels = [r.label for r in data.regimes]
    assert labels == [
        "Pd: Prisoner's Dilemma",
        "Ch|Pd: US Chicken, China Prisoner's Dilemma",
        "Sh|Pd: US Stag Hunt, China Prisoner's Dilemma",
        "Nc|Pd: US Concord, China Prisoner's Dilemma",
        TIES_LABEL,
    ]
    assert [r.colour for r in data.regimes] == [*TYPE_COLOURS[:4], DEGENERATE_COLOURS[0]]
    assert [round(r.share * 81) for r in data.regimes] == [24, 8, 24, 8, 17]
    assert sum(r.share for r in data.regimes) == pytest.approx(1.0)
    # grid[r][c]: z_us = y[r], g_us = x[c]; every cell's regime is its point's type.
    codes = [r.label.split(":")[0] for r in data.regimes]
    for k, point in enumerate(plane.points):
        cell = data.grid[k % 9][k // 9]
        assert codes[cell] == (
            point.ordinal if not point.ordinal.startswith("ties") else "tied payoffs"
        )
    # The structure colouring is unchanged by the option.
    assert regime_data(plane) == regime_data(plane, colour_by="structure")
    assert {r.colour for r in regime_data(plane).regimes} <= {*BRANCH_COLOURS, *DEGENERATE_COLOURS}


def test_type_labels_follow_label_text(plane: SweepResult) -> None:
    strict = [label for label in plane.ordinal_types() if not label.startswith("ties")]
    expected = [label_text(label, ("US", "China")) for label in strict]
    assert [r.label for r in regime_data(plane, colour_by="type").regimes][:-1] == expected
    assert all(type_by_code(label) for label in strict)


def test_unknown_colouring_is_refused(plane: SweepResult) -> None:
    with pytest.raises(SimError, match="cannot colour a regime map by 'family'; use one of"):
        regime_data(plane, colour_by="family")
    with pytest.raises(SimError, match="cannot colour"):
        regime_figure(plane, colour_by="types")


def test_regime_figure_by_type_renders_with_a_legend(plane: SweepResult) -> None:
    flips = [thresholds(LONDON, "g_us", 0, 4), thresholds(LONDON, "z_us", 0, 4)]
    figure = regime_figure(plane, flips, colour_by="type")
    (ax,) = figure.axes
    assert [c.get_gid() for c in ax.collections] == ["regimes"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("g_us", "z_us")
    legend = figure.legends[0]
    assert legend.get_title().get_text() == TYPE_LEGEND
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[0] == "Pd: Prisoner's Dilemma (30% of grid)"
    assert texts[-1].startswith("flip threshold")
    assert len(texts) == 5 + 1  # the regimes and the threshold marker
    assert "ordinal game type over g_us and z_us" in figure._suptitle.get_text()
    FigureCanvasAgg(figure).draw()
    assert crowding(figure) == []


def test_sweep_figures_pass_the_colouring_on(plane: SweepResult) -> None:
    (figure,) = sweep_figures(plane, colour_by="type").values()
    assert figure.legends[0].get_title().get_text() == TYPE_LEGEND
    (default,) = sweep_figures(plane).values()
    assert default.legends[0].get_title().get_text() == "equilibrium structure"
    one = sweep(LONDON, [("g_us", 0, 4, 5)])
    assert list(sweep_figures(one, colour_by="type")) == ["bifurcation"]
