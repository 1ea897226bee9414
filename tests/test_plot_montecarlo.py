"""Tests of sim.plot.montecarlo: the datasets number by number, then the figures built headless.

Datasets are checked against the Monte Carlo result they come from (and the Wilson interval
of a grouped bar against the formula); figures are checked by structure (axes labels, artists
found by ``gid``, texts), by rendering with Agg, and, for the shipped scenarios, by measuring
that no two drawn texts overlap and none leaves the figure. Runs use few draws to stay fast.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from figure_checks import crowding
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import pyplot
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis.montecarlo import Histogram, MonteCarloResult, montecarlo
from sim.analysis.structure import GAME_TYPES
from sim.errors import SimError
from sim.plot.montecarlo import (
    LABEL_WIDTH,
    convergence_data,
    convergence_figure,
    histogram_data,
    histogram_figure,
    montecarlo_figures,
    outcome_data,
    outcome_figure,
    tornado_data,
    tornado_figure,
    wrap_label,
)
from sim.scenario import load, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 3000
SEED = 11

THREE_PLAYERS = """
kind: normal_form
title: Three-way standards race
players:
  US: {moves: [open, close]}
  EU: {moves: [open, close]}
  China: {moves: [open, close]}
parameters:
  b: {value: 2, distribution: {kind: uniform, low: 0, high: 4}}
  c: {value: 1, distribution: {kind: triangular, low: 0, mode: 1, high: 3}}
  d: {value: 1, distribution: {kind: normal, mean: 1, sd: 1}}
payoffs:
  open, open, open: [b, b, b]
  open, open, close: [b - c, b - c, d]
  open, close, open: [b - c, d, b - c]
  open, close, close: [-c, d, d]
  close, open, open: [d, b - c, b - c]
  close, open, close: [d, -c, d]
  close, close, open: [d, d, -c]
  close, close, close: [0, 0, 0]
"""


def run(name: str) -> MonteCarloResult:
    if name == "three_players":
        scenario = parse_scenario(THREE_PLAYERS)
    else:
        scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    return montecarlo(scenario, draws=DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def london() -> MonteCarloResult:
    return run("london_talks")


@pytest.fixture(scope="module")
def tariffs() -> MonteCarloResult:
    return run("london_tariffs")


@pytest.fixture(scope="module")
def three() -> MonteCarloResult:
    return run("three_players")


@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    """The figures never go through pyplot (so nothing is left open); close any that did."""
    yield
    leaked = pyplot.get_fignums()
    pyplot.close("all")
    assert leaked == []


def wilson(count: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval, written out independently of sim."""
    z = 1.959963984540054
    p = count / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z / (1 + z * z / total) * math.sqrt(p * (1 - p) / total + z * z / (4 * total**2))
    return max(0.0, centre - half), min(1.0, centre + half)


# ---------------------------------------------------------------------------- labels
moves = st.from_regex(r"[a-z][a-z_]{0,24}", fullmatch=True)


@st.composite
def labels(draw: st.DrawFn) -> str:
    """Structure labels as :meth:`Structure.label` writes them."""
    players = draw(st.integers(2, 3))
    profiles = draw(
        st.lists(
            st.lists(moves, min_size=players, max_size=players).map(
                lambda names: "(" + ", ".join(names) + ")"
            ),
            max_size=4,
        )
    )
    parts = list(profiles)
    mixed = draw(st.integers(0, 3))
    if mixed:
        parts.append(f"{mixed} mixed")
    if draw(st.booleans()):
        parts.append("continuum")
    body = " + ".join(parts) or "no equilibrium"
    kind = draw(st.none() | st.sampled_from(GAME_TYPES))
    return f"{kind}: {body}" if kind else body


@given(labels(), st.integers(12, 60))
def test_wrap_label_only_breaks_lines(label: str, width: int) -> None:
    text = wrap_label(label, width)
    assert text.replace("\n", " ") == label
    for line in text.split("\n"):
        # a line longer than the width is one profile piece that cannot be broken further
        assert len(line) <= width or ", " not in line.rstrip(" +").rstrip(",")
        assert not line.startswith((" ", "+")) and not line.endswith(" ")


@pytest.mark.parametrize(
    ("label", "width", "expected"),
    [
        pytest.param("1 mixed", 40, "1 mixed", id="short"),
        pytest.param(
            "stag hunt: (a, b) + (c, d) + 1 mixed",
            40,
            "stag hunt:\n(a, b) + (c, d) + 1 mixed",
            id="game-type-own-line",
        ),
        pytest.param(
            "(ease_chip_controls, raise_re_exports) + (maintain_chip_controls, restrict_re)",
            40,
            "(ease_chip_controls, raise_re_exports) +\n(maintain_chip_controls, restrict_re)",
            id="plus-ends-line",
        ),
        pytest.param(
            "(maintain_chip_controls, retaliate_tariffs)",
            30,
            "(maintain_chip_controls,\nretaliate_tariffs)",
            id="profile-broken-after-comma",
        ),
    ],
)
def test_wrap_label_examples(label: str, width: int, expected: str) -> None:
    assert wrap_label(label, width) == expected


# ---------------------------------------------------------------------------- outcomes
def test_outcome_data_matches_the_result(london: MonteCarloResult) -> None:
    data = outcome_data(london)
    assert data.draws == DRAWS and data.title == london.title
    shown = data.structures[: len(data.structures) - (1 if data.grouped else 0)]
    for bar, outcome in zip(shown, london.structures, strict=False):
        assert (bar.label, bar.count, bar.probability, bar.low, bar.high) == (
            outcome.label,
            outcome.count,
            outcome.probability,
            outcome.low,
            outcome.high,
        )
        assert bar.text == wrap_label(outcome.label, LABEL_WIDTH)
    assert sum(bar.count for bar in data.structures) == DRAWS  # structures partition draws
    assert [(b.label, b.count) for b in data.profiles] == [
        (o.label, o.count) for o in london.profiles
    ]
    assert [(b.label, b.count) for b in data.game_types] == [
        (o.label, o.count) for o in london.game_types
    ]
    assert data.game_types  # 2x2


@pytest.mark.parametrize("top", [1, 3, 5])
def test_outcome_data_groups_the_rest(london: MonteCarloResult, top: int) -> None:
    assert len(london.structures) > top + 1  # something to group
    data = outcome_data(london, top=top)
    other = data.structures[-1]
    rest = london.structures[top:]
    assert len(data.structures) == top + 1 and data.grouped == len(rest)
    assert other.label == f"other ({len(rest)} less likely structures)"
    assert other.count == sum(o.count for o in rest)
    assert other.probability == pytest.approx(other.count / DRAWS, rel=1e-12)
    assert (other.low, other.high) == pytest.approx(wilson(other.count, DRAWS), rel=1e-9)
    assert any("'other' groups" in line for line in data.caption)


def test_outcome_data_does_not_group_a_single_structure(london: MonteCarloResult) -> None:
    data = outcome_data(london, top=len(london.structures) - 1)
    assert data.grouped == 0
    assert [b.label for b in data.structures] == [o.label for o in london.structures]
    with pytest.raises(SimError, match="top must be at least 1"):
        outcome_data(london, top=0)


def test_outcome_data_other_shapes(tariffs: MonteCarloResult, three: MonteCarloResult) -> None:
    assert outcome_data(tariffs).game_types == ()
    assert len(outcome_data(tariffs).profiles) == 9
    data = outcome_data(three)
    assert data.game_types == () and len(data.profiles) == 8
    assert any("only pure equilibria" in line for line in data.caption)


# -------------------------------------------------------------------------- histograms
def test_histogram_data_mixed_panels(london: MonteCarloResult, tariffs: MonteCarloResult) -> None:
    for result in (london, tariffs):
        data = histogram_data(result)
        flat = iter(result.mixed_probabilities)
        for panel, player, player_moves in zip(
            data.mixed, result.players, result.moves, strict=True
        ):
            hists = [next(flat) for _ in player_moves]
            assert panel.player == player and panel.note is None
            played = [(m, h) for m, h in zip(player_moves, hists, strict=True) if h.mean > 0]
            assert panel.moves == tuple(m for m, _ in played)
            assert panel.histograms == tuple(h for _, h in played)
            never = tuple(m for m, h in zip(player_moves, hists, strict=True) if h.mean <= 0)
            assert panel.skipped == never
            assert all(sum(h.counts[1:]) == 0 for h in hists if h.mean <= 0)
            assert panel.equilibria == hists[0].total > 0
    # In the tariff game some move is never played in a mixed equilibrium: it is left out.
    assert any(panel.skipped for panel in histogram_data(tariffs).mixed)


def test_histogram_data_three_players(three: MonteCarloResult) -> None:
    data = histogram_data(three)
    assert [p.player for p in data.mixed] == ["US", "EU", "China"]
    for panel in data.mixed:
        assert panel.moves == () and panel.note is not None and "not searched" in panel.note
    assert "pure equilibria only" in data.caption[0]


def test_histogram_data_payoff_panels(london: MonteCarloResult) -> None:
    data = histogram_data(london)
    for panel, h in zip(data.payoffs, london.payoffs, strict=True):
        assert panel.histogram is h
        assert panel.summary[:2] == (
            f"mean {h.mean:.3g} ± sd {h.sd:.3g}".replace("-", "\N{MINUS SIGN}"),
            f"n = {h.total:,} equilibria",
        )
        used = [k for k, c in enumerate(h.counts) if c]
        assert panel.span == (
            h.edges[max(0, used[0] - 1)],
            h.edges[min(len(h.counts), used[-1] + 2)],
        )
        assert h.edges[0] <= panel.span[0] < panel.span[1] <= h.edges[-1]


@pytest.mark.parametrize(
    ("below", "above", "line"),
    [
        pytest.param(0, 0, None, id="inside"),
        pytest.param(3, 0, "3 below the range shown", id="below"),
        pytest.param(0, 1_234, "1,234 above the range shown", id="above"),
        pytest.param(2, 5, "2 below and 5 above the range shown", id="both"),
    ],
)
def test_histogram_data_outside_counts(
    london: MonteCarloResult, below: int, above: int, line: str | None
) -> None:
    payoffs = tuple(replace(h, below=below, above=above) for h in london.payoffs)
    data = histogram_data(replace(london, payoffs=payoffs))
    for panel in data.payoffs:
        assert panel.summary[1] == f"n = {panel.histogram.total:,} equilibria"
        assert panel.summary[2:] == (() if line is None else (line,))


def test_histogram_data_empty_payoffs(london: MonteCarloResult) -> None:
    empty = Histogram("nothing", (0.0, 1.0, 2.0), (0, 0), 0, 0, math.nan, math.nan)
    data = histogram_data(replace(london, payoffs=(empty, empty)))
    assert data.payoffs[0].summary == ("no equilibrium found in any draw",)
    assert data.payoffs[0].span == (0.0, 2.0)


def test_histogram_data_checks_the_shape(london: MonteCarloResult) -> None:
    with pytest.raises(SimError, match="one histogram per player and move"):
        histogram_data(replace(london, mixed_probabilities=london.mixed_probabilities[:-1]))


# ----------------------------------------------------------------------------- tornado
@pytest.mark.parametrize("rank", [0, 2])
def test_tornado_data_matches_the_sensitivity(london: MonteCarloResult, rank: int) -> None:
    outcome = london.structures[rank]
    data = tornado_data(london, None if rank == 0 else outcome.label)
    assert data.outcome == outcome.label and data.overall == outcome.probability
    assert [r.parameter for r in data.rows] == [s.parameter for s in london.sensitivity]
    distances = [r.distance for r in data.rows]
    assert distances == sorted(distances, reverse=True)
    for row, s in zip(data.rows, london.sensitivity, strict=True):
        assert (row.low, row.high) == (s.low[outcome.label], s.high[outcome.label])
        assert (row.low_cut, row.high_cut, row.low_draws, row.high_draws) == (
            s.low_cut,
            s.high_cut,
            s.low_draws,
            s.high_draws,
        )
        assert row.low_text == "≤ " + f"{s.low_cut:.3g}".replace("-", "\N{MINUS SIGN}")
        assert row.high_text == "≥ " + f"{s.high_cut:.3g}".replace("-", "\N{MINUS SIGN}")
        assert 0 < row.low_draws < DRAWS and 0 < row.high_draws < DRAWS


def test_tornado_data_lists_parameters_left_out(london: MonteCarloResult) -> None:
    data = tornado_data(replace(london, sensitivity=london.sensitivity[1:]))
    assert (
        data.caption[-1] == f"Left out (their lowest and highest deciles coincide): "
        f"{london.sensitivity[0].parameter}."
    )
    assert tornado_data(london).caption[-1].startswith("Parameters are ranked")


def test_tornado_data_unknown_outcome(london: MonteCarloResult) -> None:
    with pytest.raises(SimError, match=r"unknown outcome 'peace' .* prisoner's dilemma"):
        tornado_data(london, "peace")


# ------------------------------------------------------------------------- convergence
def test_convergence_data_matches_the_result(london: MonteCarloResult) -> None:
    data = convergence_data(london)
    conv = london.convergence
    assert data.draws == conv.draws and data.draws[-1] == DRAWS
    assert [c.label for c in data.curves] == list(conv.estimates)
    by_label = {o.label: o for o in london.structures}
    for curve in data.curves:
        assert curve.estimates == conv.estimates[curve.label]
        final = by_label[curve.label]
        assert (curve.final, curve.low, curve.high) == (final.probability, final.low, final.high)
    assert data.stable == conv.stable
    assert data.verdict == ("stable" if conv.stable else "not yet stable")
    assert data.caption[0] == f"Split-half check — {conv.message}."
    assert data.draws == (256, 512, 1024, 2048, 3000)  # doubling from 256, then the end
    assert not any("Only" in line for line in data.caption)


def test_convergence_caption_notes_too_few_checkpoints() -> None:
    data = convergence_data(montecarlo(load(ROOT / "scenarios" / "london_talks.yaml"), 300, 1))
    assert data.draws == (256, 300)
    assert "2 checkpoints" in data.caption[-1]


def test_convergence_data_rejects_unknown_outcomes(london: MonteCarloResult) -> None:
    estimates = MappingProxyType({"nowhere": (0.5,) * len(london.convergence.draws)})
    broken = replace(london, convergence=replace(london.convergence, estimates=estimates))
    with pytest.raises(SimError, match="not among the result's structures"):
        convergence_data(broken)


# ----------------------------------------------------------------------------- figures


SCENARIOS = ["london_talks", "london_tariffs", "three_players"]


@pytest.fixture(scope="module")
def results(
    london: MonteCarloResult, tariffs: MonteCarloResult, three: MonteCarloResult
) -> dict[str, MonteCarloResult]:
    return {"london_talks": london, "london_tariffs": tariffs, "three_players": three}


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_figure_builds_and_reads(results: dict[str, MonteCarloResult], name: str) -> None:
    result = results[name]
    figures = montecarlo_figures(result)
    assert list(figures) == ["outcomes", "histograms", "tornado", "convergence"]
    for key, figure in figures.items():
        assert isinstance(figure, Figure)
        title = figure.get_suptitle()
        assert f"{DRAWS:,} draws, seed {SEED}" in title
        assert title.startswith(result.title.split()[0])
        assert crowding(figure) == [], key


def test_london_figures_at_scale_do_not_crowd() -> None:
    """Enough draws for every structure of the London scenario to appear, and 8 segments."""
    result = montecarlo(load(ROOT / "scenarios" / "london_talks.yaml"), draws=70_000, seed=7)
    assert outcome_data(result).grouped > 0
    for key, figure in montecarlo_figures(result).items():
        assert crowding(figure) == [], key


def test_outcome_figure(london: MonteCarloResult, tariffs: MonteCarloResult) -> None:
    figure = outcome_figure(london)
    data = outcome_data(london)
    axes = {ax.get_label(): ax for ax in figure.axes}
    assert list(axes) == ["structures", "profiles", "game types", "caption"]
    bars = [p for p in axes["structures"].patches if p.get_gid() == "structure"]
    assert [b.get_width() for b in bars] == [bar.probability for bar in data.structures]
    values = [t.get_text() for t in axes["structures"].texts]
    assert values == [f"{bar.probability:.3g}" for bar in data.structures]
    labels = [t.get_text() for t in axes["structures"].get_yticklabels()]
    assert labels == [bar.text for bar in data.structures]
    assert axes["profiles"].get_xlabel() == "probability (share of draws)"
    assert len([p for p in axes["game types"].patches if p.get_gid() == "game-type"]) == len(
        london.game_types
    )
    assert "game types" not in [ax.get_label() for ax in outcome_figure(tariffs).axes]


def test_histogram_figure(london: MonteCarloResult, three: MonteCarloResult) -> None:
    figure = histogram_figure(london)
    axes = {ax.get_label(): ax for ax in figure.axes}
    assert list(axes) == ["mixed US", "mixed China", "payoff US", "payoff China", "caption"]
    data = histogram_data(london)
    lines = [a for a in axes["mixed US"].patches if a.get_gid() == "mixed-histogram"]
    assert len(lines) == len(data.mixed[0].moves)
    legend = axes["mixed US"].get_legend()
    assert legend is not None
    assert legend.get_title().get_text().startswith(f"{data.mixed[0].equilibria:,} mixed")
    summary = [t.get_text() for t in axes["payoff China"].texts]
    assert summary == ["\n".join(data.payoffs[1].summary)]
    assert axes["payoff US"].get_xlim() == pytest.approx(data.payoffs[0].span)

    three_axes = {ax.get_label(): ax for ax in histogram_figure(three).axes}
    notes = [t.get_gid() for t in three_axes["mixed EU"].texts]
    assert notes == ["mixed-note"] and not three_axes["mixed EU"].axison


def test_tornado_figure(london: MonteCarloResult) -> None:
    outcome = london.structures[1].label
    figure = tornado_figure(london, outcome)
    data = tornado_data(london, outcome)
    ax = figure.axes[0]
    assert ax.get_label() == "tornado"
    assert outcome in figure.get_suptitle().replace("\n", " ")
    low = [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "low-decile"]
    high = [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "high-decile"]
    assert low == [row.low for row in data.rows] and high == [row.high for row in data.rows]
    overall = [line for line in ax.lines if line.get_gid() == "overall"]
    assert list(overall[0].get_xdata()) == [data.overall, data.overall]
    cuts = sorted(t.get_text() for t in ax.texts)
    assert cuts == sorted(t for row in data.rows for t in (row.low_text, row.high_text))
    ticks = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert ticks == [row.parameter for row in data.rows]  # largest distance on top
    assert ax.yaxis_inverted()
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        "lowest decile",
        "highest decile",
        "overall probability",
    ]


def test_tornado_figure_without_sensitivity(london: MonteCarloResult) -> None:
    figure = tornado_figure(replace(london, sensitivity=()))
    assert [t.get_gid() for t in figure.axes[0].texts] == ["tornado-note"]
    FigureCanvasAgg(figure).draw()


def test_convergence_figure(london: MonteCarloResult) -> None:
    figure = convergence_figure(london)
    panels = [ax for ax in figure.axes if ax.get_label().startswith("convergence")]
    data = convergence_data(london)
    assert len(panels) == len(data.curves)
    for ax, curve in zip(panels, data.curves, strict=True):
        assert ax.get_xscale() == "log"
        (line,) = [line for line in ax.lines if line.get_gid() == "running-estimate"]
        assert tuple(line.get_ydata()) == curve.estimates
        assert tuple(line.get_xdata()) == data.draws
        assert ax.get_title(loc="left") == curve.text
    assert f"convergence: {data.verdict}" in figure.get_suptitle()


def test_convergence_figure_not_yet_stable(london: MonteCarloResult) -> None:
    unstable = replace(
        london,
        convergence=replace(london.convergence, stable=False, message="not yet stable: more"),
    )
    figure = convergence_figure(unstable)
    assert "convergence: not yet stable" in figure.get_suptitle()
    (title,) = [t for t in figure.texts if t.get_gid() == "title"]
    assert title.get_color() != "#000000"  # the verdict is shown in colour
