"""Figures of a Monte Carlo run: outcome probabilities, histograms, tornado, convergence.

Each figure has a frozen dataset computed from a
:class:`~sim.analysis.montecarlo.MonteCarloResult` by a pure function (``outcome_data``,
``histogram_data``, ``tornado_data``, ``convergence_data``), tested number by number, and a
drawing function that only draws it (``outcome_figure``...). Matplotlib is imported inside
the drawing functions; each returns a new :class:`matplotlib.figure.Figure` built with the
object-oriented API (no pyplot, no ``show()``, no files), so any backend works, Agg
included. :func:`montecarlo_figures` returns all four, keyed by file stem.

Conventions, stated once:

* Probabilities are shares of the run's draws, on a 0 to 1 axis labelled "probability";
  intervals are the run's 95% Wilson intervals.
* Every title names the scenario, the number of draws and the seed, so a figure can be
  remade (``sim montecarlo SCENARIO --draws N --seed S``).
* Long outcome labels are wrapped at their ``" + "`` and ``", "`` separators
  (:func:`wrap_label`), never inside a move name.
* Colours are the Okabe-Ito palette of :mod:`sim.plot.figures`; the first two players are
  blue and vermillion as in every other figure. Artists that carry meaning have a ``gid``.

>>> from sim.scenario import parse_scenario
>>> from sim.analysis.montecarlo import montecarlo
>>> text = '''
... kind: normal_form
... title: Coin
... players: {A: {moves: [x, y]}, B: {moves: [x, y]}}
... parameters:
...   t: {value: 1, distribution: {kind: uniform, low: -1, high: 4}}
... payoffs:
...   x, x: [t, 1]
...   x, y: [0, 0]
...   y, x: [0, 0]
...   y, y: [1, 1]
... '''
>>> result = montecarlo(parse_scenario(text), draws=2_000, seed=1)
>>> sorted(montecarlo_figures(result))
['convergence', 'histograms', 'outcomes', 'tornado']
>>> [(bar.label, round(bar.probability, 1)) for bar in outcome_data(result).profiles][::3]
[('(x, x)', 0.8), ('(y, y)', 1.0)]
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.analysis.montecarlo import Histogram, MonteCarloResult, Outcome, wilson_interval
from sim.analysis.structure import GAME_TYPES
from sim.errors import SimError
from sim.plot.figures import (
    BLACK,
    BLUE,
    CAPTION_FONT,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    add_caption,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

__all__ = [
    "ConvergenceCurve",
    "ConvergenceData",
    "HistogramData",
    "MixedPanel",
    "OutcomeBar",
    "OutcomeData",
    "PayoffPanel",
    "TornadoData",
    "TornadoRow",
    "convergence_data",
    "convergence_figure",
    "histogram_data",
    "histogram_figure",
    "montecarlo_figures",
    "outcome_data",
    "outcome_figure",
    "tornado_data",
    "tornado_figure",
    "wrap_label",
]

TOP = 10
"""Structures shown one by one in the outcome figure; beyond ``TOP + 1`` the rest are
grouped as "other" (grouping a single structure would hide it for nothing)."""
LABEL_WIDTH = 40
"""Characters per line of a wrapped outcome label."""
PLAYER_PALETTE = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, YELLOW)
"""Colours of players 1, 2, 3...: the first two as in :mod:`sim.plot.figures`."""
SERIES_COLOURS = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, YELLOW)
"""Colours of overlaid series: a player's moves, the outcomes of the convergence panels."""
CURVE_STYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
"""Line styles of overlaid move histograms (told apart in greyscale too)."""
LOW_COLOUR, HIGH_COLOUR = BLUE, VERMILLION
"""Tornado: the end of a bar where the parameter is in its lowest / highest decile."""

# The scenario of the function examples (as in the module docstring): for t < 0 the move y
# is dominant for A and (y, y) is the only equilibrium; for t > 0 a coordination game.
_EXAMPLE = """
title: Coin
kind: normal_form
players: {A: {moves: [x, y]}, B: {moves: [x, y]}}
parameters: {t: {value: 1, distribution: {kind: uniform, low: -1, high: 4}}}
payoffs: {"x, x": [t, 1], "x, y": [0, 0], "y, x": [0, 0], "y, y": [1, 1]}
"""


# ----------------------------------------------------------------------------- text
def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """An outcome label broken into lines of about ``width`` characters.

    A game type prefix (``"stag hunt: ..."``) gets a line of its own; the rest is broken
    after a ``" +"`` between equilibria (kept at the end of the line), and a profile longer
    than ``width`` after its commas. Move names are never broken.

    >>> print(wrap_label("stag hunt: (ease, raise) + (maintain, restrict) + 1 mixed", 30))
    stag hunt:
    (ease, raise) +
    (maintain, restrict) + 1 mixed
    >>> print(wrap_label("(maintain_chip_controls, retaliate_tariffs) + 1 mixed", 30))
    (maintain_chip_controls,
    retaliate_tariffs) + 1 mixed
    >>> wrap_label("1 mixed")
    '1 mixed'
    """
    head, body = "", label
    for kind in GAME_TYPES:
        if label.startswith(f"{kind}: "):
            head, body = f"{kind}:", label[len(kind) + 2 :]
            break
    lines: list[str] = [head] if head else []
    current = ""
    parts = body.split(" + ")
    for k, part in enumerate(parts):
        room = width - (2 if k < len(parts) - 1 else 0)  # for a " +" at the end of the line
        pieces = _break_profile(part, room)
        if current and len(current) + 3 + len(pieces[0]) <= room:
            current = f"{current} + {pieces[0]}"
        elif current:
            lines.append(current + " +")
            current = pieces[0]
        else:
            current = pieces[0]
        for piece in pieces[1:]:
            lines.append(current)
            current = piece
    lines.append(current)
    return "\n".join(lines)


def _break_profile(part: str, width: int) -> list[str]:
    """A profile ``"(a, b, c)"`` longer than ``width`` as pieces ending after a comma.

    >>> _break_profile("(alpha, beta, gamma)", 14)
    ['(alpha, beta,', 'gamma)']
    """
    if len(part) <= width or ", " not in part:
        return [part]
    pieces: list[str] = []
    current = ""
    for word in part.split(", "):
        joined = f"{current}, {word}" if current else word
        if current and len(joined) + 1 > width:
            pieces.append(current + ",")
            current = word
        else:
            current = joined
    pieces.append(current)
    return pieces


def _probability_text(p: float) -> str:
    """A probability for a figure, three significant digits.

    >>> _probability_text(0.36512), _probability_text(0.0006), _probability_text(0.0)
    ('0.365', '0.0006', '0')
    """
    return f"{p:.3g}"


def _number_text(x: float) -> str:
    """A parameter value or a payoff in three significant digits, with a true minus sign.

    >>> _number_text(3.5972998979066158), _number_text(-0.585), _number_text(1234.5)
    ('3.6', '−0.585', '1.23e+03')
    """
    return f"{x:.3g}".replace("-", "\N{MINUS SIGN}")


def _heading(result: MonteCarloResult, kind: str, width: int) -> str:
    """The figure title: the scenario's title, then what is shown and how it was computed."""
    title = result.title or "Monte Carlo run"
    line = f"{kind} — {result.draws:,} draws, seed {result.seed}"
    return "\n".join([*textwrap.wrap(title, width, break_long_words=False), line])


# ------------------------------------------------------------------------- datasets
@dataclass(frozen=True)
class OutcomeBar:
    """One bar: an outcome's probability and 95% interval, and its label as drawn."""

    label: str
    text: str
    count: int
    probability: float
    low: float
    high: float


@dataclass(frozen=True)
class OutcomeData:
    """The bars of :func:`outcome_figure`.

    ``structures`` are the most likely structures, most likely first, and when more than
    ``TOP + 1`` were seen a last bar ``"other (k structures)"`` for the rest (its interval is
    the Wilson interval of their summed count). ``profiles`` are in the game's profile order;
    their probabilities need not add up to 1 (a draw can have several pure equilibria, or
    none). ``game_types`` is empty unless the game is 2x2.
    """

    title: str
    draws: int
    structures: tuple[OutcomeBar, ...]
    grouped: int
    profiles: tuple[OutcomeBar, ...]
    game_types: tuple[OutcomeBar, ...]
    caption: tuple[str, ...]


def _bar(outcome: Outcome, width: int = LABEL_WIDTH) -> OutcomeBar:
    return OutcomeBar(
        outcome.label,
        wrap_label(outcome.label, width),
        outcome.count,
        outcome.probability,
        outcome.low,
        outcome.high,
    )


def outcome_data(result: MonteCarloResult, top: int = TOP) -> OutcomeData:
    """What :func:`outcome_figure` draws: the bars and their labels.

    Parameters
    ----------
    result : MonteCarloResult
        A Monte Carlo run.
    top : int
        Structures shown one by one; the rest are grouped as "other" when they are two or
        more.

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> data = outcome_data(montecarlo(parse_scenario(_EXAMPLE), draws=1_000, seed=3), top=1)
    >>> [bar.label for bar in data.structures], data.grouped
    (['coordination: (x, x) + (y, y) + 1 mixed', 'one-sided dominance: (y, y)'], 0)
    >>> sum(bar.count for bar in data.structures)  # the structures partition the draws
    1000
    """
    if top < 1:
        raise SimError(f"top must be at least 1; got {top}")
    structures = result.structures
    shown = structures if len(structures) <= top + 1 else structures[:top]
    bars = [_bar(o) for o in shown]
    rest = structures[len(shown) :]
    if rest:
        count = sum(o.count for o in rest)
        low, high = wilson_interval(count, result.draws)
        label = f"other ({len(rest)} less likely structures)"
        bars.append(OutcomeBar(label, label, count, count / result.draws, low, high))
    caption = [
        f"Bars: share of the {result.draws:,} draws with each outcome; whiskers: 95% "
        "Wilson intervals.",
        "An equilibrium structure lists the pure equilibria, the number of other extreme "
        "equilibria ('mixed') and any continuum"
        + (", after the game type." if result.game_types else "."),
        "A draw may have several pure equilibria or none, so the pure-profile shares need "
        "not add up to 1.",
    ]
    if result.complete == "pure":
        caption.append(
            f"With {len(result.players)} players only pure equilibria are searched "
            "(mixed equilibria are not counted)."
        )
    if rest:
        caption.append(
            f"'other' groups the {len(rest)} structures less likely than the top {len(shown)}."
        )
    return OutcomeData(
        title=result.title,
        draws=result.draws,
        structures=tuple(bars),
        grouped=len(rest),
        profiles=tuple(_bar(o) for o in result.profiles),
        game_types=tuple(_bar(o) for o in result.game_types),
        caption=tuple(caption),
    )


@dataclass(frozen=True)
class MixedPanel:
    """One player's panel of mixed-equilibrium move probabilities.

    ``moves`` and ``histograms`` are the moves shown and their histograms; ``skipped`` are the
    moves no mixed equilibrium ever played (mean probability 0). ``equilibria`` is the number
    of mixed equilibria counted (each gives one value per move). ``note`` says why nothing is
    shown, or is None.
    """

    player: str
    moves: tuple[str, ...]
    histograms: tuple[Histogram, ...]
    skipped: tuple[str, ...]
    equilibria: int
    note: str | None


@dataclass(frozen=True)
class PayoffPanel:
    """One player's histogram of expected equilibrium payoffs and its summary lines.

    ``span`` is the x range drawn: the histogram's bins from the first to the last one
    holding a value, widened by a bin on each side (its full range when it is empty).
    """

    player: str
    histogram: Histogram
    summary: tuple[str, ...]
    span: tuple[float, float]


@dataclass(frozen=True)
class HistogramData:
    """The panels of :func:`histogram_figure`: mixed probabilities and payoffs per player."""

    title: str
    draws: int
    mixed: tuple[MixedPanel, ...]
    payoffs: tuple[PayoffPanel, ...]
    caption: tuple[str, ...]


def histogram_data(result: MonteCarloResult) -> HistogramData:
    """What :func:`histogram_figure` draws: per player, the histograms and their texts.

    ``result.mixed_probabilities`` holds one histogram per player and move, in player then
    move order; a move whose mean probability is 0 (no mixed equilibrium plays it) is
    skipped. Payoff summaries are ``"mean m ± sd s"``, the number of equilibria counted and,
    when some values fell outside the histogram's range, how many below and above.

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> data = histogram_data(montecarlo(parse_scenario(_EXAMPLE), draws=1_000, seed=3))
    >>> data.mixed[0].moves, data.mixed[0].skipped
    (('x', 'y'), ())
    >>> data.payoffs[0].summary[0].startswith("mean ")
    True
    """
    expected = sum(len(m) for m in result.moves)
    if len(result.mixed_probabilities) != expected:
        raise SimError(
            f"the result has {len(result.mixed_probabilities)} mixed-probability histograms; "
            f"its game has {expected} moves (one histogram per player and move expected)"
        )
    mixed = []
    start = 0
    for player, moves in zip(result.players, result.moves, strict=True):
        hists = result.mixed_probabilities[start : start + len(moves)]
        start += len(moves)
        equilibria = hists[0].total if hists else 0
        shown = [(m, h) for m, h in zip(moves, hists, strict=True) if h.total and h.mean > 0]
        skipped = tuple(m for m, h in zip(moves, hists, strict=True) if h.total and h.mean <= 0)
        note = None
        if result.complete == "pure":
            note = "mixed equilibria not searched\n(pure equilibria only for 3+ players)"
        elif equilibria == 0:
            note = "no mixed equilibrium in any draw"
        mixed.append(
            MixedPanel(
                player,
                tuple(m for m, _ in shown),
                tuple(h for _, h in shown),
                skipped,
                equilibria,
                note,
            )
        )
    payoffs = []
    for player, h in zip(result.players, result.payoffs, strict=True):
        if h.total == 0:
            summary: tuple[str, ...] = ("no equilibrium found in any draw",)
        else:
            summary = (
                f"mean {_number_text(h.mean)} ± sd {_number_text(h.sd)}",
                f"n = {h.total:,} equilibria",
            )
            outside = [
                f"{count:,} {where}"
                for count, where in ((h.below, "below"), (h.above, "above"))
                if count
            ]
            if outside:
                summary += (" and ".join(outside) + " the range shown",)
        payoffs.append(PayoffPanel(player, h, summary, _span(h)))
    found = "pure equilibrium" if result.complete == "pure" else "extreme equilibrium"
    top = (
        "Top: games of three or more players are solved for pure equilibria only, so there "
        "are no mixed-equilibrium probabilities."
        if result.complete == "pure"
        else "Top: the probability each mixed (not pure) equilibrium gives each move; moves "
        "no mixed equilibrium plays are left out."
    )
    caption = (
        top,
        f"Bottom: each player's expected payoff in every {found} of every draw "
        "(a draw with k equilibria counts k times); line: mean, shaded band: mean ± sd.",
    )
    return HistogramData(result.title, result.draws, tuple(mixed), tuple(payoffs), caption)


def _span(h: Histogram) -> tuple[float, float]:
    """The occupied bins of a histogram, one empty bin either side, within its edges.

    >>> _span(Histogram("x", (0.0, 1.0, 2.0, 3.0, 4.0), (0, 0, 5, 0), 0, 0, 2.5, 0.1))
    (1.0, 4.0)
    """
    used = [k for k, c in enumerate(h.counts) if c]
    if not used:
        return h.edges[0], h.edges[-1]
    first, last = max(0, used[0] - 1), min(len(h.counts), used[-1] + 2)
    return h.edges[first], h.edges[last]


@dataclass(frozen=True)
class TornadoRow:
    """One parameter's bar: the outcome's probability in its lowest and highest decile.

    ``low`` is P(outcome | parameter ≤ ``low_cut``) over ``low_draws`` draws and ``high``
    is P(outcome | parameter ≥ ``high_cut``) over ``high_draws`` draws; ``distance`` is the
    total variation distance between the two outcome distributions (the ranking key).
    ``low_text`` and ``high_text`` are the annotations at the two ends.
    """

    parameter: str
    low: float
    high: float
    low_cut: float
    high_cut: float
    low_draws: int
    high_draws: int
    distance: float
    low_text: str
    high_text: str


@dataclass(frozen=True)
class TornadoData:
    """The rows of :func:`tornado_figure`, top row first, and the overall probability."""

    title: str
    draws: int
    outcome: str
    overall: float
    rows: tuple[TornadoRow, ...]
    caption: tuple[str, ...]


def tornado_data(result: MonteCarloResult, outcome: str | None = None) -> TornadoData:
    """What :func:`tornado_figure` draws for one outcome (an equilibrium structure).

    Rows follow ``result.sensitivity``: largest total variation distance first (the
    parameter that moves the whole outcome distribution most, which need not be the one that
    moves this outcome most).

    Parameters
    ----------
    result : MonteCarloResult
        A Monte Carlo run.
    outcome : str, optional
        A structure label from ``result.structures``; defaults to the most likely one.

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> data = tornado_data(montecarlo(parse_scenario(_EXAMPLE), draws=1_000, seed=3))
    >>> row = data.rows[0]
    >>> data.outcome, row.parameter, row.low, row.high
    ('coordination: (x, x) + (y, y) + 1 mixed', 't', 0.0, 1.0)
    """
    labels = [o.label for o in result.structures]
    if outcome is None:
        outcome = labels[0]
    if outcome not in labels:
        shown = "; ".join(labels[:8]) + ("; ..." if len(labels) > 8 else "")
        raise SimError(
            f"unknown outcome {outcome!r} for the tornado plot; pass the label of an "
            f"equilibrium structure of this run: {shown}"
        )
    overall = result.structures[labels.index(outcome)].probability
    rows = tuple(
        TornadoRow(
            parameter=s.parameter,
            low=s.low.get(outcome, 0.0),
            high=s.high.get(outcome, 0.0),
            low_cut=s.low_cut,
            high_cut=s.high_cut,
            low_draws=s.low_draws,
            high_draws=s.high_draws,
            distance=s.distance,
            low_text=f"≤ {_number_text(s.low_cut)}",
            high_text=f"≥ {_number_text(s.high_cut)}",
        )
        for s in result.sensitivity
    )
    caption = [
        "Each bar runs from P(outcome | parameter in its lowest decile, ≤ the cut shown) "
        "to P(outcome | parameter in its highest decile, ≥ the cut shown); the dashed line "
        "is the overall probability.",
        "Parameters are ranked by the total variation distance (TV) between the whole "
        "outcome distributions of the two deciles, largest on top; deciles are fixed from "
        "the run's first draws.",
    ]
    missing = sorted(set(result.varied) - {s.parameter for s in result.sensitivity})
    if missing:
        caption.append(
            "Left out (their lowest and highest deciles coincide): " + ", ".join(missing) + "."
        )
    return TornadoData(result.title, result.draws, outcome, overall, rows, tuple(caption))


@dataclass(frozen=True)
class ConvergenceCurve:
    """One outcome's running estimate after each checkpoint, and its final 95% interval."""

    label: str
    text: str
    estimates: tuple[float, ...]
    final: float
    low: float
    high: float


@dataclass(frozen=True)
class ConvergenceData:
    """The curves of :func:`convergence_figure` and the verdict of the split-half check."""

    title: str
    draws: tuple[int, ...]
    total: int
    seed: int
    curves: tuple[ConvergenceCurve, ...]
    stable: bool
    verdict: str
    message: str
    caption: tuple[str, ...]


def convergence_data(result: MonteCarloResult) -> ConvergenceData:
    """What :func:`convergence_figure` draws: the running estimates of the shown outcomes.

    The outcomes are those of ``result.convergence.estimates`` (the most likely structures),
    each with its final probability and 95% interval from ``result.structures``.

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> data = convergence_data(montecarlo(parse_scenario(_EXAMPLE), draws=1_000, seed=3))
    >>> data.draws, len(data.curves), data.verdict
    ((256, 512, 1000), 2, 'stable')
    """
    convergence = result.convergence
    by_label = {o.label: o for o in result.structures}
    curves = []
    for label, estimates in convergence.estimates.items():
        final = by_label.get(label)
        if final is None:
            raise SimError(f"convergence outcome {label!r} is not among the result's structures")
        if len(estimates) != len(convergence.draws):
            raise SimError(
                f"convergence outcome {label!r} has {len(estimates)} estimates for "
                f"{len(convergence.draws)} checkpoints"
            )
        curves.append(
            ConvergenceCurve(
                label,
                wrap_label(label, 60),
                tuple(estimates),
                final.probability,
                final.low,
                final.high,
            )
        )
    caption = [
        f"Split-half check — {convergence.message}.",
        "Lines: share of the draws so far with each outcome; shaded band: its final 95% "
        "Wilson interval; dotted line: the final estimate.",
    ]
    if len(convergence.draws) < 3:
        caption.append(
            f"Only {len(convergence.draws)} checkpoint{'s' if len(convergence.draws) > 1 else ''}"
            f" in {result.draws:,} draws: run more draws to see the estimates settle."
        )
    return ConvergenceData(
        title=result.title,
        draws=tuple(convergence.draws),
        total=result.draws,
        seed=result.seed,
        curves=tuple(curves),
        stable=convergence.stable,
        verdict="stable" if convergence.stable else "not yet stable",
        message=convergence.message,
        caption=tuple(caption),
    )


# ------------------------------------------------------------------------- drawing
FONT = 9.0
"""Font size of tick labels, axis labels and annotations (points)."""
LINE = FONT * 1.3 / 72
"""Inches per line of text at :data:`FONT`."""


def _caption_text(caption: Sequence[str], width_inches: float) -> str:
    """Caption lines wrapped to the figure width."""
    chars = max(40, int(width_inches * 72 / (CAPTION_FONT * 0.6)))
    return "\n".join(
        "\n".join(textwrap.wrap(line, chars, break_long_words=False)) for line in caption
    )


def _caption_height(text: str) -> float:
    return 0.08 + (text.count("\n") + 1) * CAPTION_FONT * 1.3 / 72


def _fit_x(figure: Figure, fits: Sequence[tuple[Axes, Sequence[Annotation]]]) -> None:
    """Widen each axes' x limits until its annotations lie inside it (texts keep their size).

    An annotation reaching ``e`` pixels beyond its anchor on one side of an axes ``W``
    pixels wide needs its anchor at least ``e / W`` of the x range from that side. Each
    round lays the figure out once and solves this for the right limit, then for the left;
    only tick labels change the layout afterwards, so a round or two suffices.
    """
    for _ in range(4):
        figure.draw_without_rendering()
        moved = False
        for ax, texts in fits:
            frame = ax.get_window_extent()
            width = max(frame.width, 1.0)
            reach = []  # (anchor x in data, fraction needed on the left, on the right)
            for t in texts:
                box = t.get_window_extent()
                anchor = float(ax.transData.transform(t.xy)[0])
                reach.append(
                    (float(t.xy[0]), (anchor - box.x0 + 6) / width, (box.x1 - anchor + 6) / width)
                )
            x0, x1 = ax.get_xlim()
            new1 = max([x1] + [x0 + (a - x0) / max(1 - right, 0.2) for a, _, right in reach])
            new0 = min([x0] + [new1 - (new1 - a) / max(1 - left, 0.2) for a, left, _ in reach])
            if new1 - x1 > 1e-3 * (x1 - x0) or x0 - new0 > 1e-3 * (x1 - x0):
                ax.set_xlim(new0, new1)
                moved = True
        if not moved:
            return


def _rows(texts: Sequence[str]) -> tuple[list[float], float]:
    """Centres of bar rows whose labels have these texts, in lines from the top, and the
    total: each row is as tall as its label plus a gap (at least two lines)."""
    centres, top = [], 0.0
    for text in texts:
        height = max(2.0, text.count("\n") + 1.0) + 0.8
        centres.append(top + height / 2)
        top += height
    return centres, top


def _bars(ax: Axes, bars: Sequence[OutcomeBar], colour: str, gid: str) -> list[Annotation]:
    """Horizontal bars from the top, whiskers for the 95% intervals, the value at each end.

    The y axis is in lines of label text (see :func:`_rows`), so a row is as tall as its
    label; returns the value annotations.
    """
    centres, total = _rows([b.text for b in bars])
    colours = [GREY if b.label.startswith("other (") else colour for b in bars]
    ax.barh(
        centres,
        [b.probability for b in bars],
        height=1.5,
        color=colours,
        edgecolor="none",
        xerr=[
            [max(0.0, b.probability - b.low) for b in bars],
            [max(0.0, b.high - b.probability) for b in bars],
        ],
        error_kw={"ecolor": BLACK, "elinewidth": 0.9, "capsize": 2.5, "capthick": 0.9},
        gid=gid,
    )
    texts = [
        ax.annotate(
            _probability_text(b.probability),
            (b.high, y),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=FONT - 0.5,
            gid=f"{gid}-value",
        )
        for y, b in zip(centres, bars, strict=True)
    ]
    ax.set_yticks(centres, [b.text for b in bars], fontsize=FONT)
    ax.set_ylim(total, 0.0)
    ax.set_xlim(0.0, max(0.05, max((b.high for b in bars), default=0.0)))
    ax.set_xlabel("probability (share of draws)", fontsize=FONT)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.grid(True, axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return texts


def outcome_figure(result: MonteCarloResult) -> Figure:
    """How likely each outcome is: structures, pure equilibria and (2x2) game types.

    The top panel shows the most likely equilibrium structures (the rest grouped as
    "other"), each bar with its 95% interval and value; below, the probability that each
    pure profile is an equilibrium and, for 2x2 games, the probability of each game type.

    Parameters
    ----------
    result : MonteCarloResult
        A Monte Carlo run.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"structures"``, ``"profiles"`` and, for 2x2 games,
        ``"game types"``, then ``"caption"``.

    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> result = montecarlo(parse_scenario(_EXAMPLE), draws=500, seed=3)
    >>> [ax.get_label() for ax in outcome_figure(result).axes]
    ['structures', 'profiles', 'game types', 'caption']
    """
    from matplotlib.figure import Figure

    data = outcome_data(result)
    width = 11.0
    caption = _caption_text(data.caption, width - 0.3)
    lower = [data.profiles, data.game_types] if data.game_types else [data.profiles]
    top = _rows([b.text for b in data.structures])[1] * LINE
    bottom = max(_rows([b.text for b in bars])[1] for bars in lower) * LINE
    notes = _caption_height(caption)
    figure = Figure(figsize=(width, 2.4 + top + bottom + notes), layout="constrained")
    grid = figure.add_gridspec(3, len(lower), height_ratios=(top, bottom, notes))
    structures = figure.add_subplot(grid[0, :], label="structures")
    fits = [(structures, _bars(structures, data.structures, BLUE, "structure"))]
    structures.set_title("Equilibrium structure", fontsize=10, loc="left")
    profiles = figure.add_subplot(grid[1, 0], label="profiles")
    fits.append((profiles, _bars(profiles, data.profiles, SKY, "profile")))
    profiles.set_title("P(pure profile is a Nash equilibrium)", fontsize=10, loc="left")
    if data.game_types:
        types = figure.add_subplot(grid[1, 1], label="game types")
        fits.append((types, _bars(types, data.game_types, ORANGE, "game-type")))
        types.set_title("Game type (2×2 game)", fontsize=10, loc="left")
    add_caption(figure.add_subplot(grid[2, :], label="caption"), caption)
    figure.suptitle(
        _heading(result, "Monte Carlo outcome probabilities", 100), fontsize=11, gid="title"
    )
    _fit_x(figure, fits)
    return figure


def _mixed_panel(ax: Axes, panel: MixedPanel) -> None:
    from matplotlib.ticker import StrMethodFormatter

    ax.set_title(f"{panel.player}: move probabilities", fontsize=10, loc="left")
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("probability of the move in a mixed equilibrium", fontsize=FONT)
    ax.set_ylabel("mixed equilibria (count)", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.grid(True, color="#EEEEEE", linewidth=0.6)
    ax.set_axisbelow(True)
    if panel.note is not None or not panel.histograms:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            panel.note or "no move mixed",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=FONT,
            color=GREY,
            gid="mixed-note",
        )
        return
    peak = 1
    for k, (move, h) in enumerate(zip(panel.moves, panel.histograms, strict=True)):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        ax.stairs(h.counts, h.edges, fill=True, color=colour, alpha=0.18, gid="mixed-fill")
        ax.stairs(
            h.counts,
            h.edges,
            color=colour,
            linewidth=1.6,
            linestyle=CURVE_STYLES[k % len(CURVE_STYLES)],
            label=f"{move}: mean {_number_text(h.mean)} ± sd {_number_text(h.sd)}",
            gid="mixed-histogram",
        )
        peak = max(peak, *h.counts)
    lines = len(panel.moves) + 1
    ax.set_ylim(0, peak * (1.08 + 0.13 * lines))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    title = f"{panel.equilibria:,} mixed equilibria"
    if panel.skipped:
        title += "; never played: " + ", ".join(panel.skipped)
    ax.legend(
        loc="upper center",
        fontsize=FONT - 1,
        frameon=True,
        framealpha=0.85,
        edgecolor="none",
        handlelength=2.4,
        title=title,
        title_fontsize=FONT - 1,
    ).set_gid("mixed-legend")


def _payoff_panel(ax: Axes, panel: PayoffPanel, colour: str) -> None:
    from matplotlib.ticker import StrMethodFormatter

    h = panel.histogram
    ax.set_title(f"{panel.player}: expected payoff in equilibrium", fontsize=10, loc="left")
    ax.set_xlabel(f"{panel.player}'s expected payoff (payoff units)", fontsize=FONT)
    ax.set_ylabel("equilibria (count)", fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    ax.grid(True, color="#EEEEEE", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlim(*panel.span)
    if h.total:
        ax.stairs(h.counts, h.edges, fill=True, color=colour, alpha=0.6, gid="payoff-histogram")
        if math.isfinite(h.mean):
            ax.axvspan(
                h.mean - h.sd, h.mean + h.sd, color=GREY, alpha=0.15, linewidth=0, gid="payoff-sd"
            )
            ax.axvline(h.mean, color=BLACK, linewidth=1.2, gid="payoff-mean")
    peak = max(1, *h.counts)
    ax.set_ylim(0, peak * (1.1 + 0.12 * len(panel.summary)))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.text(
        0.02,
        0.97,
        "\n".join(panel.summary),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=FONT - 0.5,
        bbox={
            "boxstyle": "round,pad=0.25",
            "facecolor": "white",
            "alpha": 0.85,
            "edgecolor": "none",
        },
        gid="payoff-summary",
    )


def histogram_figure(result: MonteCarloResult) -> Figure:
    """Histograms: move probabilities in mixed equilibria, and expected payoffs, per player.

    The top row has one panel per player with the probability each mixed equilibrium gives
    each move (moves overlaid, moves never played in a mixed equilibrium left out); the
    bottom row each player's expected payoff over all equilibria found, with the mean (line)
    and mean ± sd (band), and how many values fell outside the range shown.

    Parameters
    ----------
    result : MonteCarloResult
        A Monte Carlo run.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"mixed <player>"`` for each player, then ``"payoff <player>"``,
        then ``"caption"``.

    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> result = montecarlo(parse_scenario(_EXAMPLE), draws=500, seed=3)
    >>> [ax.get_label() for ax in histogram_figure(result).axes]
    ['mixed A', 'mixed B', 'payoff A', 'payoff B', 'caption']
    """
    from matplotlib.figure import Figure

    data = histogram_data(result)
    players = len(data.mixed)
    width = max(9.5, 4.6 * players)
    caption = _caption_text(data.caption, width - 0.3)
    notes = _caption_height(caption)
    panel = 3.2
    drawn = any(m.note is None and m.histograms for m in data.mixed)
    top = panel if drawn else 0.5  # a row of notes only ("mixed equilibria not searched")
    figure = Figure(figsize=(width, 1.2 + top + panel + notes), layout="constrained")
    grid = figure.add_gridspec(3, players, height_ratios=(top, panel, notes))
    for i, mixed in enumerate(data.mixed):
        _mixed_panel(figure.add_subplot(grid[0, i], label=f"mixed {mixed.player}"), mixed)
    for i, payoff in enumerate(data.payoffs):
        ax = figure.add_subplot(grid[1, i], label=f"payoff {payoff.player}")
        _payoff_panel(ax, payoff, PLAYER_PALETTE[i % len(PLAYER_PALETTE)])
    add_caption(figure.add_subplot(grid[2, :], label="caption"), caption)
    figure.suptitle(
        _heading(result, "Monte Carlo distributions", int(width * 72 / (11 * 0.6))),
        fontsize=11,
        gid="title",
    )
    return figure


def tornado_figure(result: MonteCarloResult, outcome: str | None = None) -> Figure:
    """Sensitivity of one outcome's probability to each uncertain parameter (tornado plot).

    One row per parameter, ranked as in ``result.sensitivity`` (largest total variation
    distance on top): a grey bar from P(outcome | lowest decile), a blue dot, to
    P(outcome | highest decile), a vermillion triangle, each end annotated with its decile
    cut; the dashed vertical line is the overall probability.

    Parameters
    ----------
    result : MonteCarloResult
        A Monte Carlo run.
    outcome : str, optional
        The label of an equilibrium structure of the run (``result.structures``); defaults to
        the most likely.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"tornado"`` and ``"caption"``.

    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> result = montecarlo(parse_scenario(_EXAMPLE), draws=500, seed=3)
    >>> [t.get_text()[0] for t in tornado_figure(result).axes[0].texts]  # the decile cuts
    ['≤', '≥']
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    data = tornado_data(result, outcome)
    width = 10.0
    caption = _caption_text(data.caption, width - 0.3)
    notes = _caption_height(caption)
    rows = max(1, len(data.rows))
    body = 0.6 + 0.45 * rows
    figure = Figure(figsize=(width, 2.4 + body + notes), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=(body, notes))
    ax = figure.add_subplot(grid[0], label="tornado")
    texts = []
    for k, row in enumerate(data.rows):
        left, right = min(row.low, row.high), max(row.low, row.high)
        ax.barh(k, right - left, left=left, height=0.5, color="#C9C9C9", gid="tornado-bar")
        ax.plot([row.low], [k], "o", color=LOW_COLOUR, markersize=7, gid="low-decile", zorder=3)
        ax.plot([row.high], [k], "^", color=HIGH_COLOUR, markersize=8, gid="high-decile", zorder=3)
        low_first = row.low <= row.high
        for value, text, colour, before in (
            (row.low, row.low_text, LOW_COLOUR, low_first),
            (row.high, row.high_text, HIGH_COLOUR, not low_first),
        ):
            texts.append(
                ax.annotate(
                    text,
                    (value, k),
                    xytext=(-8 if before else 8, 0),
                    textcoords="offset points",
                    ha="right" if before else "left",
                    va="center",
                    fontsize=FONT - 0.5,
                    color=colour,
                    gid="decile-cut",
                )
            )
    ax.axvline(data.overall, color=BLACK, linestyle="--", linewidth=1.1, gid="overall")
    ax.set_yticks(
        list(range(len(data.rows))),
        [f"{row.parameter}\nTV {row.distance:.2f}" for row in data.rows],
        fontsize=FONT,
    )
    ax.set_ylim(rows - 0.5, -0.5)
    values = [v for row in data.rows for v in (row.low, row.high)] + [data.overall]
    pad = max(0.02, 0.05 * (max(values) - min(values)))
    ax.set_xlim(min(values) - pad, max(values) + pad)
    ax.set_xlabel("probability of the outcome, given the parameter's decile", fontsize=FONT)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.grid(True, axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not data.rows:
        ax.text(
            0.5,
            0.5,
            "no parameter has distinct lowest and highest deciles",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=GREY,
            gid="tornado-note",
        )
    handles = [
        Line2D([], [], marker="o", linestyle="none", color=LOW_COLOUR, label="lowest decile"),
        Line2D([], [], marker="^", linestyle="none", color=HIGH_COLOUR, label="highest decile"),
        Line2D([], [], color=BLACK, linestyle="--", label="overall probability"),
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=3,
        frameon=False,
        fontsize=FONT,
    ).set_gid("tornado-legend")
    add_caption(figure.add_subplot(grid[1], label="caption"), caption)
    outcome_line = f"outcome: {data.outcome} (overall {_probability_text(data.overall)})"
    figure.suptitle(
        _heading(result, "sensitivity (tornado)", 90)
        + "\n"
        + "\n".join(textwrap.wrap(outcome_line, 100, break_long_words=False)),
        fontsize=11,
        gid="title",
    )
    _fit_x(figure, [(ax, texts)])
    return figure


def convergence_figure(result: MonteCarloResult) -> Figure:
    """Running estimates of the most likely outcomes against the number of draws.

    One small panel per outcome (the most likely structures), sharing a log x axis: the
    share of the draws so far with that outcome at each checkpoint, and its final 95%
    interval as a shaded band. The title carries the verdict of the split-half check
    (stable / not yet stable, in vermillion) and the caption its full message.

    Parameters
    ----------
    result : MonteCarloResult
        A Monte Carlo run.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"convergence <k>"`` (one per outcome) and ``"caption"``.

    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> figure = convergence_figure(montecarlo(parse_scenario(_EXAMPLE), draws=500, seed=3))
    >>> figure.axes[0].get_xscale(), "stable" in figure.get_suptitle()
    ('log', True)
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    data = convergence_data(result)
    width = 10.0
    caption = _caption_text(data.caption, width - 0.3)
    notes = _caption_height(caption)
    columns = 1 if len(data.curves) <= 1 else 2
    panel_rows = max(1, math.ceil(len(data.curves) / columns))
    titles = [c.text.count("\n") + 1 for c in data.curves]
    panel = 1.9 + LINE * max(titles, default=1)
    figure = Figure(figsize=(width, 1.2 + panel_rows * (panel + 0.5) + notes), layout="constrained")
    grid = figure.add_gridspec(
        panel_rows + 1, columns, height_ratios=(*[panel] * panel_rows, notes)
    )
    first, last = data.draws[0], data.draws[-1]
    few = len(data.draws) <= 24
    for k, curve in enumerate(data.curves):
        ax = figure.add_subplot(grid[k // columns, k % columns], label=f"convergence {k}")
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        ax.axhspan(curve.low, curve.high, color=colour, alpha=0.2, linewidth=0, gid="final-ci")
        ax.axhline(curve.final, color=colour, linestyle=":", linewidth=1.0, gid="final")
        ax.plot(
            data.draws,
            curve.estimates,
            color=colour,
            linewidth=1.6,
            marker="o" if few else None,
            markersize=3.5,
            gid="running-estimate",
        )
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # labels on decades only: no crowding
        ax.set_xlim(first / 1.6, last * 1.6)
        values = [*curve.estimates, curve.low, curve.high]
        pad = max(0.002, 0.25 * (max(values) - min(values)))
        ax.set_ylim(max(0.0, min(values) - pad), min(1.0, max(values) + pad))
        ax.set_title(curve.text, fontsize=FONT, loc="left")
        ax.tick_params(labelsize=FONT - 0.5)
        ax.grid(True, which="major", color="#E5E5E5", linewidth=0.6)
        ax.set_axisbelow(True)
        if k % columns == 0:
            ax.set_ylabel("probability (share so far)", fontsize=FONT)
        if k + columns >= len(data.curves):
            ax.set_xlabel("draws (log scale)", fontsize=FONT)
    add_caption(figure.add_subplot(grid[panel_rows, :], label="caption"), caption)
    figure.suptitle(
        _heading(result, f"convergence: {data.verdict}", 90),
        fontsize=11,
        color=BLACK if data.stable else VERMILLION,
        gid="title",
    )
    return figure


def montecarlo_figures(result: MonteCarloResult) -> dict[str, Figure]:
    """Every Monte Carlo figure, keyed by file stem (``outcomes``, ``histograms``...).

    >>> from sim.scenario import parse_scenario
    >>> from sim.analysis.montecarlo import montecarlo
    >>> result = montecarlo(parse_scenario(_EXAMPLE), draws=500, seed=3)
    >>> list(montecarlo_figures(result))
    ['outcomes', 'histograms', 'tornado', 'convergence']
    """
    return {
        "outcomes": outcome_figure(result),
        "histograms": histogram_figure(result),
        "tornado": tornado_figure(result),
        "convergence": convergence_figure(result),
    }
