"""Subgame-perfect sweeps (sim.analysis.spe_sweep) and their figures (sim.plot.sweep).

The London snap-back grid is checked against the closed form worked out by hand from
scenarios/london_snap_back.yaml; random trees and random London points against
:func:`sim.analysis.subgame.spe_outcomes` of the scenario re-evaluated with
``with_parameters`` and against the payoffs found by walking the tree along each path.
Figures are checked by structure, by rendering with Agg and by measuring that no two drawn
texts overlap (as tests/test_plot_montecarlo.py does).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from figure_checks import crowding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib import pyplot
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sim.analysis.spe_sweep import SPE_COLUMNS, SpeSweep, spe_sweep
from sim.analysis.subgame import spe_outcomes
from sim.analysis.subgame_thresholds import spe_thresholds
from sim.errors import SimError
from sim.plot.sweep import (
    BRANCH_COLOURS,
    DEGENERATE_COLOURS,
    regime_figure,
    spe_outcome_data,
    spe_outcome_figure,
    spe_regime_data,
    spe_regime_figure,
    spe_sweep_figures,
)
from sim.scenario import Scenario, load, parse_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LONDON = load(SCENARIOS / "london_snap_back.yaml")

EASE = "ease_chip_controls → raise_re_exports"
KEEP = "maintain_chip_controls"
TIE = f"{EASE} or {KEEP}"
PAYOFFS = {EASE: (F(3), F(4)), KEEP: (F(-1), F(-2))}


def by_hand(a: F, k: F, c: F = F(2)) -> str:
    """The SPE outcome of london_snap_back.yaml at a_us = a, k_us = k, c_us = c, the other
    parameters at their values (v_us 4, g_us 1, s_us 1, z_us 1, phi 1/2, v_cn 5, c_cn 3,
    g_cn 2, z_cn 2, l_cn 3).

    After token approvals the US gets phi v_us - k = 2 - k by snapping back and 2 - c - a
    by accepting; after restriction -z_us - k = -1 - k and -c - s_us - a = -1 - c - a. Both
    nodes compare k with a + c: snap-back is credible when a + c > k, and the US is
    indifferent at both when a + c = k. If it snaps back, China's best answer is the deal
    (4, against -4.5 and -5), worth 5 - c to the US against -1 for the status quo; if it
    accepts, China restricts (5, against 4 and 3.5), and easing is worth -1 - c - a < -1
    (when a + c > 0).
    At a tie, the US snapping back after restriction still makes China raise; accepting
    there makes China restrict: both outcomes are subgame perfect.
    """
    if a + c < k:
        return KEEP
    deal = {1: EASE, 0: f"{EASE} or {KEEP}", -1: KEEP}[(5 - c > -1) - (5 - c < -1)]
    return deal if a + c > k else " or ".join(sorted({KEEP, *deal.split(" or ")}))


@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    """The figures never go through pyplot (so nothing is left open)."""
    yield
    leaked = pyplot.get_fignums()
    pyplot.close("all")
    assert leaked == []


@pytest.fixture(scope="module")
def plane() -> SpeSweep:
    """The S2 design question: the (a_us, k_us) plane on the integers."""
    return spe_sweep(LONDON, [("a_us", 0, 6, 7), ("k_us", 0, 8, 9)])


@pytest.fixture(scope="module")
def easing_cost() -> SpeSweep:
    return spe_sweep(LONDON, [("c_us", 0, 8, 9)])


# ----------------------------------------------------------------------- the London grid
@pytest.mark.parametrize(
    ("a", "k", "expected"),
    [
        pytest.param(0, 0, EASE, id="no-snap-back-cost"),
        pytest.param(0, 2, TIE, id="tie-a0-k2"),
        pytest.param(0, 3, KEEP, id="snap-back-too-costly"),
        pytest.param(1, 3, TIE, id="tie-a1-k3"),
        pytest.param(1, 4, KEEP, id="scenario-values"),
        pytest.param(2, 4, TIE, id="tie-a2-k4"),
        pytest.param(3, 4, EASE, id="audience-cost-makes-it-credible"),
        pytest.param(4, 8, KEEP, id="a4-k8"),
        pytest.param(6, 7, EASE, id="a6-k7"),
        pytest.param(6, 8, TIE, id="tie-corner"),
    ],
)
def test_london_plane_by_hand(plane: SpeSweep, a: int, k: int, expected: str) -> None:
    point = plane.points[a * 9 + k]
    assert point.values == (F(a), F(k))
    assert point.outcome == expected == by_hand(F(a), F(k))
    assert point.tie == (expected == TIE)
    assert {play.label: play.payoffs for play in point.plays} == {
        label: PAYOFFS[label] for label in expected.split(" or ")
    }


def test_london_plane_grid_and_counts(plane: SpeSweep) -> None:
    assert plane.shape == (7, 9)
    assert plane.outcomes() == (EASE, TIE, KEEP)
    assert plane.ties() == (TIE,)
    a, k = np.meshgrid(np.arange(7), np.arange(9), indexing="ij")
    expected = np.where(a + 2 > k, 0, np.where(a + 2 == k, 1, 2))
    assert plane.outcome_grid().tolist() == expected.tolist()
    assert np.bincount(plane.outcome_grid().ravel()).tolist() == [35, 7, 21]
    assert plane.origin == (F(1), F(4)) and plane.at_origin == KEEP
    assert "a_us" not in plane.fixed and plane.fixed["c_us"] == 2


def test_ties_on_thirds_are_found_exactly() -> None:
    """Grid steps of 1/3: the tie line k = a + 2 passes through 19 grid points."""
    result = spe_sweep(LONDON, [("a_us", 0, 6, 19), ("k_us", 0, 8, 25)])
    grid = result.outcome_grid()
    labels = result.outcomes()
    ties = [(i, j) for i, j in zip(*np.nonzero(grid == labels.index(TIE)), strict=True)]
    assert [(F(i, 3), F(j, 3)) for i, j in ties] == [(F(i, 3), F(i, 3) + 2) for i in range(19)]
    for point in result.points[::37]:
        assert point.outcome == by_hand(*point.values)


def test_one_axis_with_ties_at_both_thresholds(easing_cost: SpeSweep) -> None:
    assert [p.outcome for p in easing_cost.points] == [by_hand(F(1), F(4), F(c)) for c in range(9)]
    assert easing_cost.outcome_grid().tolist() == [0, 0, 0, 1, 2, 2, 1, 0, 0]
    ease = [
        dict((p.label, p.payoffs) for p in point.plays).get(EASE) for point in easing_cost.points
    ]
    assert ease == [None] * 3 + [(5 - F(c), F(4)) for c in (3, 4, 5, 6)] + [None] * 2
    (flips,) = easing_cost.thresholds
    assert [(t.value, t.exact) for t in flips.thresholds] == [(F(3), True), (F(6), True)]
    assert flips.parameter == "c_us" and (flips.low, flips.high) == (0, 8)


def test_two_axes_keep_thresholds_along_each(plane: SpeSweep) -> None:
    along_a, along_k = plane.thresholds
    assert (along_a.parameter, [t.value for t in along_a.thresholds]) == ("a_us", [F(2)])
    assert (along_k.parameter, [t.value for t in along_k.thresholds]) == ("k_us", [F(3)])
    direct = spe_thresholds(LONDON, "k_us", 0, 8)
    assert [t.value for t in direct.thresholds] == [t.value for t in along_k.thresholds]


def test_rows_are_tidy(plane: SpeSweep) -> None:
    rows = list(plane.rows())
    assert plane.columns() == ("a_us", "k_us", *SPE_COLUMNS)
    assert all(tuple(row) == plane.columns() for row in rows)
    assert len(rows) == 2 * (63 + 7)  # a row per player and path; ties have two paths
    at = [r for r in rows if (r["a_us"], r["k_us"]) == (2.0, 4.0)]
    assert [(r["outcome"], r["path"], r["player"], r["payoff"], r["exact_payoff"]) for r in at] == [
        (TIE, EASE, "US", 3.0, "3"),
        (TIE, EASE, "China", 4.0, "4"),
        (TIE, KEEP, "US", -1.0, "-1"),
        (TIE, KEEP, "China", -2.0, "-2"),
    ]


def test_to_dict_is_json(plane: SpeSweep) -> None:
    data = json.loads(json.dumps(plane.to_dict()))
    assert [a["parameter"] for a in data["axes"]] == ["a_us", "k_us"]
    assert data["axes"][1]["exact_scenario_value"] == "4"
    assert [(o["outcome"], o["tie"], o["points"]) for o in data["outcomes"]] == [
        (EASE, False, 35),
        (TIE, True, 7),
        (KEEP, False, 21),
    ]
    assert data["at_origin"] == KEEP
    assert [t["parameter"] for t in data["thresholds"]] == ["a_us", "k_us"]
    tie = data["points"][2 * 9 + 4]
    assert tie["exact_values"] == ["2", "4"] and tie["outcome"] == 1
    assert [p["exact_payoffs"] for p in tie["plays"]] == [["3", "4"], ["-1", "-2"]]
    assert data["sentences"] == list(plane.sentences())


def test_sentences(plane: SpeSweep) -> None:
    first, origin, along_a, along_k = plane.sentences()
    assert first.startswith("Over a 7 × 9 grid of a_us (0 to 6) and k_us (0 to 8)")
    assert f"{TIE} (a tie: each is subgame perfect) at 7 of 63 points" in first
    assert origin == (
        f"At the scenario's own values (a_us = 1, k_us = 4) the subgame-perfect outcome is {KEEP}."
    )
    assert along_a == (
        "Along a_us, with k_us at the scenario's value 4: the subgame-perfect outcome is "
        f"{KEEP} when a_us < 2, and {EASE} when a_us > 2 (swept range 0 to 6)."
    )
    assert along_k.startswith("Along k_us, with a_us at the scenario's value 1:")


def test_a_single_outcome_is_said_once() -> None:
    result = spe_sweep(LONDON, [("l_cn", 0, 8, 3)])
    assert result.outcomes() == (KEEP,)
    assert f"the subgame-perfect outcome is {KEEP} at every point." in result.sentences()[0]


CHANCE = """\
kind: sequential
title: a gamble
players: [A, B]
parameters: {p: {value: 1/2, range: [0, 1]}}
nodes:
  start:
    player: A
    moves:
      safe: [1, 0]
      risky:
        chance:
          win: {probability: p, then: share}
          lose: {probability: 1 - p, then: [-1, 0]}
  share:
    player: B
    moves: {give: [3, 3], keep: [0, 2]}
"""


def test_chance_payoffs_are_expected_values() -> None:
    """B gives when A wins; A takes the gamble when 3p - (1 - p) > 1, p > 1/2. Labels leave
    chance out; payoffs are exact expected values."""
    result = spe_sweep(parse_scenario(CHANCE), [("p", 0, 1, 5)])
    assert [p.outcome for p in result.points] == [
        "safe",
        "safe",
        "risky → give or safe",
        "risky → give",
        "risky → give",
    ]
    at_half = {play.label: play.payoffs for play in result.points[2].plays}
    assert at_half == {"risky → give": (F(1), F(3, 2)), "safe": (F(1), F(0))}
    assert result.points[3].plays[0].payoffs == (F(2), F(9, 4))
    assert [t.value for t in result.thresholds[0].thresholds] == [F(1, 2)]


# ----------------------------------------------------------------------------- errors
CLASH = """\
kind: sequential
title: clash
players: [A, B]
parameters: {path: 1, q: 2}
nodes:
  start:
    player: A
    moves:
      x: [path, 0]
      y:
        player: B
        moves: {u: [q, 1], v: [0, 0]}
"""
POLE = """\
kind: sequential
title: pole
players: [A, B]
parameters: {p: {value: 1, range: [0, 2]}}
nodes:
  start:
    player: A
    moves:
      x: [1/p, 0]
      y:
        player: B
        moves: {u: [1, 1], v: [0, 0]}
"""


@pytest.mark.parametrize(
    ("scenario", "axes", "message"),
    [
        pytest.param(
            load(SCENARIOS / "london_talks.yaml"),
            [("g_us", 0, 4, 3)],
            "normal-form game, not a game tree",
            id="no-tree",
        ),
        pytest.param(
            load(SCENARIOS / "london_licence_signal.yaml"),
            [],
            "need perfect information",
            id="imperfect",
        ),
        pytest.param(
            LONDON, [("nope", 0, 1, 3)], "unknown parameter 'nope' to sweep", id="unknown"
        ),
        pytest.param(LONDON, [("a_us", 0, 1, 1)], "at least 2", id="one-step"),
        pytest.param(LONDON, [("a_us", 2, 1, 3)], "low < high, got 2 to 1", id="empty-range"),
        pytest.param(LONDON, [("a_us", 0, 1, 3)] * 2, "swept twice", id="twice"),
        pytest.param(LONDON, [("a_us", 0, 1, 3)] * 3, "one or two parameters, got 3", id="three"),
        pytest.param(LONDON, [], "one or two parameters, got 0", id="none"),
        pytest.param(
            LONDON, [("a_us", 0, 1, 2000), ("k_us", 0, 1, 2000)], "over the limit", id="too-many"
        ),
        pytest.param(
            parse_scenario(CLASH), [("path", 0, 1, 2)], "name of a result column", id="column"
        ),
        pytest.param(
            parse_scenario(POLE), [("p", 0, 2, 3)], "cannot solve the tree at p = 0", id="pole"
        ),
    ],
)
def test_errors(scenario: Scenario, axes: list[Any], message: str) -> None:
    with pytest.raises(SimError, match=message):
        spe_sweep(scenario, axes)


# ----------------------------------------------------------------------------- properties
def walked_payoffs(scenario: Scenario, values: dict[str, F], label: str) -> tuple[F, ...]:
    """The payoffs at the end of the path with these moves, walking the re-evaluated tree
    (trees without chance nodes: each move names the child to take)."""
    assert scenario.tree is not None
    tree = scenario.with_parameters(**values).tree
    assert tree is not None
    node = tree.nodes[0]
    for move in label.split(" → "):
        node = tree.nodes[node.children[node.moves.index(move)]]
    assert node.kind == "terminal"
    return node.payoffs


def check_points(scenario: Scenario, result: SpeSweep) -> None:
    for point in result.points:
        values = dict(zip([a.name for a in result.axes], point.values, strict=True))
        tree = scenario.with_parameters(**values).tree
        assert tree is not None
        assert point.outcome == spe_outcomes(tree), values
        assert " or ".join(p.label for p in point.plays) == point.outcome
        for play in point.plays:
            assert play.payoffs == walked_payoffs(scenario, values, play.label)


@st.composite
def two_parameter_trees(draw: st.DrawFn) -> Scenario:
    """Small perfect-information trees without chance nodes whose payoffs are
    ``c0 + c1 p + c2 q`` with small integer coefficients (so ties on grid points are
    common); A moves at the root, B right below, a few more nodes at random."""
    budget = [draw(st.integers(1, 3))]
    blocks: list[str] = []
    counter = [0]

    def fresh(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    def payoff() -> str:
        c = [draw(st.integers(-2, 2)) for _ in range(3)]
        return f'"{c[0]} + {c[1]}*p + {c[2]}*q"'

    def child(depth: int) -> str:
        if depth >= 3 or budget[0] <= 0 or draw(st.integers(0, 2)) == 0:
            return f"[{payoff()}, {payoff()}]"
        budget[0] -= 1
        return node(depth, draw(st.sampled_from(["A", "B"])))

    def node(depth: int, player: str) -> str:
        name = fresh("n")
        at = len(blocks)
        blocks.append("")
        lines = [f"  {name}:", f"    player: {player}", "    moves:"]
        for k in range(draw(st.integers(2, 3))):
            below = node(depth + 1, "B") if depth == 0 and k == 0 else child(depth + 1)
            lines.append(f"      {fresh('m')}: {below}")
        blocks[at] = "\n".join(lines) + "\n"
        return name

    node(0, "A")
    return parse_scenario(
        "kind: sequential\ntitle: test\nplayers: [A, B]\n"
        "parameters: {p: {value: 0, range: [-2, 2]}, q: {value: 1, range: [-2, 2]}}\n"
        "nodes:\n" + "".join(blocks)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_parameter_trees(), st.integers(2, 5), st.integers(2, 5))
def test_random_trees_agree_with_spe_outcomes(scenario: Scenario, n: int, m: int) -> None:
    result = spe_sweep(scenario, [("p", -2, 2, n), ("q", -1, 2, m)])
    check_points(scenario, result)
    assert result.outcome_grid().shape == (n, m)


fractions = st.fractions(min_value=-3, max_value=9, max_denominator=4)


@settings(max_examples=25, deadline=None)
@given(fractions, fractions, fractions, fractions, st.sampled_from(["c_us", "phi", "l_cn"]))
def test_random_london_points_agree_with_spe_outcomes(
    a0: F, a1: F, k0: F, k1: F, other: str
) -> None:
    if a0 == a1 or k0 == k1:
        return
    scenario = LONDON.with_parameters(**{other: F(1, 3)})
    axes = [("a_us", min(a0, a1), max(a0, a1), 3), ("k_us", min(k0, k1), max(k0, k1), 4)]
    result = spe_sweep(scenario, axes)
    check_points(scenario, result)
    if other == "c_us" and min(a0, a1) >= 0:  # the closed form needs a_us + c_us > 0
        for point in result.points:
            assert point.outcome == by_hand(*point.values, F(1, 3))


# ----------------------------------------------------------------------------- datasets
def test_spe_regime_data(plane: SpeSweep) -> None:
    data = spe_regime_data(plane)
    assert (data.x_parameter, data.y_parameter) == ("a_us", "k_us")
    assert data.x == tuple(float(v) for v in range(7))
    assert data.y == tuple(float(v) for v in range(9))
    assert data.x_edges[0] == -0.5 and data.y_edges[-1] == 8.5
    assert data.title == LONDON.title
    labels = [r.label for r in data.regimes]
    assert labels == [EASE, TIE, KEEP]
    assert [round(r.share * 63) for r in data.regimes] == [35, 7, 21]
    assert data.regimes[1].colour in DEGENERATE_COLOURS
    assert {data.regimes[0].colour, data.regimes[2].colour} <= set(BRANCH_COLOURS)

    def at(a: int, k: int) -> str:
        return labels[data.grid[data.y.index(k)][data.x.index(a)]]

    assert [at(a, k) for a, k in ((0, 0), (1, 3), (1, 4), (5, 7), (5, 6))] == [
        EASE,
        TIE,
        KEEP,
        TIE,
        EASE,
    ]
    assert data.guides == (("y", 4.0), ("x", 1.0))
    assert [(m.x, m.y, m.label, m.along) for m in data.crossings] == [
        (2.0, 4.0, "a_us = 2", "a_us"),
        (1.0, 3.0, "k_us = 3", "k_us"),
    ]


def test_spe_regime_data_leaves_out_a_guide_outside_the_map() -> None:
    result = spe_sweep(LONDON, [("a_us", 0, 6, 3), ("k_us", 5, 8, 3)])
    data = spe_regime_data(result)
    assert data.guides == (("x", 1.0),) and data.crossings == ()
    assert data.regimes[0].label == KEEP


def test_spe_outcome_data(easing_cost: SpeSweep) -> None:
    data = spe_outcome_data(easing_cost)
    assert (data.parameter, data.low, data.high, data.players) == ("c_us", 0, 8, ("US", "China"))
    assert data.edges == (-0.5, *(k + 0.5 for k in range(9)))
    assert data.cells == (0, 0, 0, 1, 2, 2, 1, 0, 0)
    assert [r.label for r in data.regimes] == [KEEP, TIE, EASE]
    assert data.regimes[1].colour in DEGENERATE_COLOURS
    assert [(m.value, m.label) for m in data.thresholds] == [(3.0, "c_us = 3"), (6.0, "c_us = 6")]
    keep_early, ease, keep_late = data.lines
    assert (keep_early.label, keep_early.x, keep_early.payoffs) == (
        KEEP,
        (0.0, 1.0, 2.0, 3.0),
        ((-1.0,) * 4, (-2.0,) * 4),
    )
    assert (ease.label, ease.x, ease.payoffs) == (
        EASE,
        (3.0, 4.0, 5.0, 6.0),
        ((2.0, 1.0, 0.0, -1.0), (4.0,) * 4),
    )
    assert keep_late.x == (6.0, 7.0, 8.0)
    assert keep_early.colour == keep_late.colour == data.regimes[0].colour
    assert ease.colour == data.regimes[2].colour


def test_datasets_check_the_number_of_axes(plane: SpeSweep, easing_cost: SpeSweep) -> None:
    with pytest.raises(SimError, match="needs a two-parameter sweep; this one has 1"):
        spe_regime_data(easing_cost)
    with pytest.raises(SimError, match="needs a one-parameter sweep; this one has 2"):
        spe_outcome_data(plane)


# ----------------------------------------------------------------------------- figures


def test_spe_regime_figure(plane: SpeSweep) -> None:
    figure = spe_regime_figure(plane)
    (ax,) = figure.axes
    assert [c.get_gid() for c in ax.collections] == ["regimes"]
    gids = [line.get_gid() for line in ax.get_lines()]
    assert gids.count("threshold") == 2 and gids.count("guide") == 2
    assert sorted(t.get_text() for t in ax.texts) == ["a_us = 2", "k_us = 3"]
    (legend,) = figure.legends
    assert legend.get_title().get_text() == "subgame-perfect outcome"
    entries = [" ".join(t.get_text().split()) for t in legend.get_texts()]
    assert entries[:3] == [
        f"{EASE} (56% of grid)",
        f"{TIE} (11% of grid)",
        f"{KEEP} (33% of grid)",
    ]
    assert " ".join(figure.get_suptitle().split()) == f"{LONDON.title}: subgame-perfect outcome"
    assert crowding(figure) == []


def test_spe_regime_figure_on_a_fine_grid() -> None:
    fine = spe_sweep(LONDON, [("a_us", 0, 6, 61), ("k_us", 0, 8, 81)])
    assert crowding(spe_regime_figure(fine)) == []


def test_regime_figure_is_drawn_as_before() -> None:
    """The factored drawing code keeps the normal-form map's titles."""
    from sim.analysis.sweep import sweep

    talks = load(SCENARIOS / "london_talks.yaml")
    figure = regime_figure(sweep(talks, [("g_cn", 0, 4, 3), ("z_cn", 0, 8, 3)]))
    assert figure.legends[0].get_title().get_text() == "equilibrium structure"
    assert (
        figure.get_suptitle()
        .replace("\n", " ")
        .endswith("equilibrium structure over g_cn and z_cn")
    )


def test_spe_outcome_figure(easing_cost: SpeSweep) -> None:
    figure = spe_outcome_figure(easing_cost)
    strip, payoffs = figure.axes
    assert (strip.get_label(), payoffs.get_label()) == ("outcomes", "payoffs")
    assert [c.get_gid() for c in strip.collections] == ["outcomes"]
    assert [t.get_text() for t in strip.texts] == ["c_us = 3", "c_us = 6"]
    for ax in (strip, payoffs):
        assert [line.get_gid() for line in ax.get_lines()].count("threshold") == 2
    ease = [line for line in payoffs.get_lines() if line.get_gid() == "payoff-2"]
    assert [list(line.get_ydata()) for line in ease] == [[2, 1, 0, -1], [4, 4, 4, 4]]
    assert payoffs.get_xlabel() == "c_us"
    entries = [" ".join(t.get_text().split()) for t in figure.legends[0].get_texts()]
    assert entries[-2:] == ["payoff: US", "payoff: China"]
    assert entries[1] == f"{TIE} (22% of grid)"
    title = " ".join(figure.get_suptitle().split())
    assert title == f"{LONDON.title}: subgame-perfect outcome as c_us varies"
    assert crowding(figure) == []


CLOSE = """\
kind: sequential
title: entry with a price war worth f to the incumbent, or a niche
players: [Entrant, Incumbent]
parameters: {f: {value: 0, range: [0, 3]}}
nodes:
  start:
    player: Entrant
    moves:
      stay_out: [0, 2]
      niche: ["3/2 - f", 1]
      enter:
        player: Incumbent
        moves: {fight: [-1, f], accommodate: [1, 1]}
"""


def test_close_threshold_labels_do_not_collide() -> None:
    """The entrant prefers the niche while f < 1/2, enters until the incumbent would fight
    (f > 1), takes the niche again while 3/2 - f > 0: thresholds 1/2, 1 and 3/2, close
    together over [0, 30], so their labels are stacked."""
    result = spe_sweep(parse_scenario(CLOSE), [("f", 0, 30, 61)])
    assert [t.text() for t in result.thresholds[0].thresholds] == ["1/2", "1", "3/2"]
    # At f = 1 the incumbent is indifferent: fighting sends the entrant to the niche.
    assert [p.outcome for p in result.points[:5]] == [
        "niche",
        "enter → accommodate or niche",
        "enter → accommodate or niche",
        "niche or stay_out",
        "stay_out",
    ]
    figure = spe_outcome_figure(result)
    assert [t.get_text() for t in figure.axes[0].texts] == ["f = 1/2", "f = 1", "f = 3/2"]
    assert crowding(figure) == []


TANGENT = """\
kind: sequential
title: a middle move that is best only at f = 0
players: [A, B]
parameters: {f: {value: 0, range: [-1, 1]}}
nodes:
  start:
    player: A
    moves:
      up: [f, 0]
      down: [-f, 0]
      middle:
        player: B
        moves: {u: [0, 1], v: [-1, 0]}
"""


def test_a_path_seen_only_in_ties_gets_its_own_colour() -> None:
    result = spe_sweep(parse_scenario(TANGENT), [("f", -1, 1, 5)])
    assert [p.outcome for p in result.points] == [
        "down",
        "down",
        "down or middle → u or up",
        "up",
        "up",
    ]
    data = spe_outcome_data(result)
    assert [r.label for r in data.regimes] == ["down", "down or middle → u or up", "up"]
    colours = {line.label: line.colour for line in data.lines}
    assert [line.x for line in data.lines if line.label == "middle → u"] == [(0.0,)]
    assert colours["middle → u"] not in [r.colour for r in data.regimes]
    figure = spe_outcome_figure(result)
    entries = [" ".join(t.get_text().split()) for t in figure.legends[0].get_texts()]
    assert "middle → u (subgame perfect only in ties)" in entries
    assert crowding(figure) == []


def test_spe_sweep_figures(plane: SpeSweep, easing_cost: SpeSweep) -> None:
    assert list(spe_sweep_figures(easing_cost)) == ["spe_outcomes"]
    figures = spe_sweep_figures(plane)
    assert list(figures) == ["spe_regime_map"]
    buffer = FigureCanvasAgg(figures["spe_regime_map"])
    buffer.draw()
    assert buffer.buffer_rgba().shape[2] == 4
