"""The bargaining figure: feasible payoffs, the disagreement point and the solutions.

As in :mod:`sim.plot.figures`, the figure is drawn from a frozen dataset computed first
(:func:`bargaining_data`, tested value by value; its numbers stay exact for exact results),
matplotlib is imported only inside the drawing function, and :func:`bargaining_figure`
returns a new :class:`matplotlib.figure.Figure` (saving it is the caller's job).

Conventions:

* Axes are the two players' payoffs (player 0 across, in blue; player 1 up, in
  vermillion), as in the payoff-space figure.
* The feasible set (lotteries over outcomes) is shaded sky blue, its Pareto frontier is the
  bold green line, and the piece of it that gives both players at least the disagreement
  point ``d`` is underlaid in a wider translucent green. The region ``u >= d`` is hatched.
* Solutions have one marker each, from large to small so coinciding ones stay visible: Nash
  (orange star), Kalai–Smorodinsky (purple diamond, with the dashed line from ``d`` to the
  ideal point ``I``, a hollow diamond), egalitarian (yellow triangle), Rubinstein (blue
  ring; the naive model's agreement a wider dashed ring). Outside options are a grey cross with
  dotted guide lines. The legend, right of the plot, gives every marker's payoffs.
* Outcome labels (the profiles paying each point) are placed where they cover no marker and
  no other label (:func:`sim.plot.figures.place_labels`); a crowded one is left out.
* Artists that carry meaning have a ``gid`` (``"hull"``, ``"frontier"``, ``"disagreement"``,
  ``"solution-nash"``...).

>>> from sim.game import Game
>>> from sim.analysis.bargaining import bargaining
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"), ("C", "D")))
>>> data = bargaining_data(pd, bargaining(pd))
>>> [(mark.key, mark.point) for mark in data.solutions][:1]
[('nash', (Fraction(3, 1), Fraction(3, 1)))]
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.analysis.bargaining import Bargaining
from sim.analysis.structure import profile_text
from sim.errors import SimError
from sim.game import Game, Value, value_text
from sim.plot.figures import (
    BLACK,
    BLUE,
    CAPTION_FONT,
    GREEN,
    GREY,
    NEAR_PLACES,
    ORANGE,
    PLAYER_COLOURS,
    PURPLE,
    SKY,
    YELLOW,
    Label,
    add_caption,
    label_offset,
    place_labels,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "BargainingData",
    "OutcomeMark",
    "SolutionMark",
    "bargaining_data",
    "bargaining_figure",
]

Point = tuple[Value, Value]

SOLUTION_STYLES: dict[str, dict[str, Any]] = {
    "nash": {"marker": "*", "s": 330, "color": ORANGE, "edgecolors": BLACK, "zorder": 6},
    "kalai_smorodinsky": {
        "marker": "D",
        "s": 120,
        "color": PURPLE,
        "edgecolors": BLACK,
        "zorder": 7,
    },
    "egalitarian": {"marker": "^", "s": 60, "color": YELLOW, "edgecolors": BLACK, "zorder": 8},
    "rubinstein": {
        "marker": "o",
        "s": 520,
        "facecolors": "none",
        "edgecolors": BLUE,
        "linewidths": 2.2,
        "zorder": 5.5,
    },
    "rubinstein_naive": {
        "marker": "o",
        "s": 760,
        "facecolors": "none",
        "edgecolors": BLUE,
        "linewidths": 1.4,
        "linestyles": "--",
        "zorder": 5.4,
    },
}
"""Marker styles of the solutions, drawn largest first (coinciding ones stay visible)."""
FONT = 9.0
LEGEND_WIDTH = 30
"""Characters per line of a legend entry."""


# ------------------------------------------------------------------------- dataset
@dataclass(frozen=True)
class OutcomeMark:
    """A distinct outcome payoff point and its label: the profiles paying it, one a line."""

    point: Point
    label: str


@dataclass(frozen=True)
class SolutionMark:
    """One solution's marker: its key (a :data:`SOLUTION_STYLES` key), legend text, point."""

    key: str
    label: str
    point: Point


@dataclass(frozen=True)
class BargainingData:
    """What :func:`bargaining_figure` draws (see the module docstring).

    Points are exact for exact results. ``ks_segment`` is the dashed line from ``d`` to the
    ideal point (None without gains from bargaining); ``x_limits`` and ``y_limits`` frame
    every point drawn with a margin.
    """

    title: str
    axis_labels: tuple[str, str]
    outcomes: tuple[OutcomeMark, ...]
    hull: tuple[Point, ...]
    frontier: tuple[Point, ...]
    bargaining_frontier: tuple[Point, ...]
    disagreement: Point
    disagreement_label: str
    ideal: Point | None
    ks_segment: tuple[Point, Point] | None
    solutions: tuple[SolutionMark, ...]
    outside_options: Point | None
    x_limits: tuple[float, float]
    y_limits: tuple[float, float]
    caption: tuple[str, ...]


def _pair(point: Point) -> str:
    return f"({value_text(point[0])}, {value_text(point[1])})"


def _limits(values: Sequence[float], pad: float) -> tuple[float, float]:
    low, high = min(values), max(values)
    margin = pad * (high - low) or 1.0
    return low - margin, high + margin


def bargaining_data(game: Game, result: Bargaining) -> BargainingData:
    """The points, labels and caption of the bargaining figure.

    Parameters
    ----------
    game : Game
        The two-player game bargained over.
    result : Bargaining
        ``bargaining(game, ...)``.

    Returns
    -------
    BargainingData

    Examples
    --------
    >>> from fractions import Fraction
    >>> from sim.game import Game
    >>> from sim.analysis.bargaining import bargaining
    >>> pie = Game.from_arrays([[1, 0], [0, 0]], [[0, 1], [0, 0]], players=("A", "B"))
    >>> data = bargaining_data(pie, bargaining(pie, disagreement=(0, 0),
    ...                                        discount=(Fraction(1, 2), Fraction(1, 2))))
    >>> [mark.label for mark in data.solutions]
    ['Nash bargaining solution (1/2, 1/2)', 'Kalai–Smorodinsky (1/2, 1/2)', 'egalitarian (1/2, 1/2)', 'Rubinstein, A proposes first (2/3, 1/3)']
    >>> data.ks_segment
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(1, 1)))
    """  # noqa: E501
    try:
        result.check_game(game)
    except SimError as err:
        raise SimError(f"bargaining figure: {err}") from err
    p0, p1 = game.players
    outcomes = tuple(
        OutcomeMark(point, "\n".join(profile_text(game, p) for p in profiles))
        for point, profiles in result.outcomes
    )
    d = result.disagreement
    where = result.disagreement_text(game)
    d_label = f"disagreement point d {_pair(d)}"
    if result.disagreement_rule != "point":
        d_label += f": {where}"
    solutions: list[SolutionMark] = []
    if result.nash is not None:
        name = "Nash bargaining solution"
        if result.weights[0] != result.weights[1]:
            name += f", weights {value_text(result.weights[0])}:{value_text(result.weights[1])}"
        point = result.nash.point
        solutions.append(SolutionMark("nash", f"{name} {_pair(point)}", point))
    if result.kalai_smorodinsky is not None:
        point = result.kalai_smorodinsky.point
        solutions.append(
            SolutionMark("kalai_smorodinsky", f"Kalai–Smorodinsky {_pair(point)}", point)
        )
    if result.egalitarian is not None:
        point = result.egalitarian.point
        kind = "egalitarian" if result.egalitarian_equal else "egalitarian (leximin)"
        solutions.append(SolutionMark("egalitarian", f"{kind} {_pair(point)}", point))
    offers = result.rubinstein
    if offers is not None and offers.agreement is not None:
        point = offers.agreement.point
        model = ", with outside options" if offers.model == "strategic" else ""
        solutions.append(
            SolutionMark(
                "rubinstein",
                f"Rubinstein{model}, {game.players[offers.first]} proposes first {_pair(point)}",
                point,
            )
        )
    naive = result.rubinstein_naive
    if naive is not None and naive.agreement is not None:
        point = naive.agreement.point
        solutions.append(
            SolutionMark(
                "rubinstein_naive", f"Rubinstein, options as d (naive) {_pair(point)}", point
            )
        )
    ks_segment = None if result.ideal is None else (d, result.ideal)
    shown = [o.point for o in outcomes] + [d]
    if result.ideal is not None:
        shown.append(result.ideal)
    if result.outside_options is not None:
        shown.append(result.outside_options)
    x_limits = _limits([float(p[0]) for p in shown], 0.12)
    y_limits = _limits([float(p[1]) for p in shown], 0.15)

    caption = [
        "Shaded: feasible payoffs (lotteries over the outcomes); green line: Pareto frontier, "
        f"widened where both get at least d; hatched: payoffs at least d for both. d is {where}.",
    ]
    if not result.gain:
        caption.append(
            "No feasible agreement gives both players at least d: there is no gain from "
            "bargaining, so no solution is drawn."
        )
    else:
        weights = (
            ""
            if result.weights[0] == result.weights[1]
            else f" with weights {value_text(result.weights[0])} ({p0}) and "
            f"{value_text(result.weights[1])} ({p1})"
        )
        caption.append(
            f"Nash: maximises the product of the gains over d{weights}; Kalai–Smorodinsky: "
            "where the dashed line from d to the ideal point I (each side's best payoff "
            "given d) meets the frontier; egalitarian: "
            + ("equal gains." if result.egalitarian_equal else "the largest smaller gain.")
        )
    if offers is not None:
        factors = (
            f"discount factors {value_text(offers.discount[0])} ({p0}) and "
            f"{value_text(offers.discount[1])} ({p1})"
        )
        if offers.agreement is None:
            text = f"Rubinstein ({factors}): no agreement"
        else:
            text = (
                f"Blue ring: Rubinstein's immediate agreement when "
                f"{game.players[offers.first]} proposes first, {factors}"
            )
        if offers.model == "strategic":
            text += "; a responder may quit for its outside option (strategic model)"
        if naive is not None and naive.agreement is not None:
            text += "; dashed ring: the outside options taken as the disagreement point (naive)"
        caption.append(text + ".")
    if result.outside_options is not None:
        o0, o1 = (value_text(x) for x in result.outside_options)
        caption.append(f"Grey cross and dotted lines: outside options {p0} {o0}, {p1} {o1}.")
    return BargainingData(
        title=game.title,
        axis_labels=(f"{p0} payoff", f"{p1} payoff"),
        outcomes=outcomes,
        hull=result.hull,
        frontier=result.frontier,
        bargaining_frontier=result.bargaining_frontier,
        disagreement=d,
        disagreement_label=d_label,
        ideal=result.ideal,
        ks_segment=ks_segment,
        solutions=tuple(solutions),
        outside_options=result.outside_options,
        x_limits=x_limits,
        y_limits=y_limits,
        caption=tuple(caption),
    )


# ------------------------------------------------------------------------- drawing
def _floats(point: Point) -> tuple[float, float]:
    return float(point[0]), float(point[1])


def _xy(points: Sequence[Point]) -> tuple[list[float], list[float]]:
    return [float(p[0]) for p in points], [float(p[1]) for p in points]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _legend_label(label: str, width: int = LEGEND_WIDTH) -> str:
    """A legend entry wrapped at spaces, keeping a final ``"(x, y)"`` in one piece.

    >>> print(_legend_label("Nash bargaining solution (3, 4)", 26))
    Nash bargaining solution
    (3, 4)
    """
    head, sep, pair = label.rpartition(" (")
    if not sep or not pair.endswith(")"):
        return _wrap(label, width)
    lines = _wrap(head, width).split("\n")
    tail = "(" + pair
    if len(lines[-1]) + 1 + len(tail) <= width:
        lines[-1] += " " + tail
    else:
        lines.append(tail)
    return "\n".join(lines)


def _title(title: str, width: int = 70) -> str:
    return _wrap(f"{title}: bargaining", width) if title else "Bargaining"


def _caption_text(caption: Sequence[str], width_inches: float) -> str:
    chars = max(40, int(width_inches * 72 / (CAPTION_FONT * 0.6)))
    return "\n".join(_wrap(line, chars) for line in caption)


def bargaining_figure(game: Game, result: Bargaining) -> Figure:
    """The feasible payoffs with the disagreement point and the bargaining solutions.

    Parameters
    ----------
    game : Game
        The two-player game bargained over.
    result : Bargaining
        ``bargaining(game, ...)``.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"bargaining"`` (the plot), ``"legend"`` and ``"caption"``.

    >>> from sim.game import Game
    >>> from sim.analysis.bargaining import bargaining
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Ann", "Bob"))
    >>> figure = bargaining_figure(pd, bargaining(pd))
    >>> [ax.get_label() for ax in figure.axes]
    ['bargaining', 'legend', 'caption']
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon, Rectangle

    data = bargaining_data(game, result)
    width = 10.5
    caption = _caption_text(data.caption, width - 0.3)
    notes = 0.1 + (caption.count("\n") + 1) * CAPTION_FONT * 1.3 / 72
    plot = 5.4
    figure = Figure(figsize=(width, 0.8 + plot + notes), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=(plot, notes), width_ratios=(2.3, 1.0))
    ax = figure.add_subplot(grid[0, 0], label="bargaining")
    handles: list[Any] = []

    hull = [_floats(p) for p in data.hull]
    if len(hull) >= 3:
        ax.add_patch(
            Polygon(
                hull,
                closed=True,
                facecolor=SKY,
                alpha=0.25,
                edgecolor=SKY,
                linewidth=1.0,
                gid="hull",
            )
        )
    elif len(hull) == 2:
        ax.plot(*_xy(data.hull), color=SKY, linewidth=6, alpha=0.4, gid="hull")
    handles.append(Patch(facecolor=SKY, alpha=0.4, label="feasible payoffs (lotteries)"))

    d = _floats(data.disagreement)
    (x0, x1), (y0, y1) = data.x_limits, data.y_limits
    ax.add_patch(
        Rectangle(
            d,
            x1 - d[0],
            y1 - d[1],
            facecolor="none",
            edgecolor="#BBBBBB",
            hatch="///",
            linewidth=0,
            zorder=0.5,
            gid="region",
        )
    )
    handles.append(
        Patch(facecolor="none", edgecolor="#BBBBBB", hatch="///", label="at least d for both")
    )
    if len(data.bargaining_frontier) >= 2:
        ax.plot(
            *_xy(data.bargaining_frontier),
            color=GREEN,
            linewidth=7,
            alpha=0.3,
            solid_capstyle="round",
            zorder=2,
            gid="bargaining-frontier",
        )
    if len(data.frontier) >= 2:
        ax.plot(*_xy(data.frontier), color=GREEN, linewidth=2.5, zorder=2.1, gid="frontier")
    handles.append(Line2D([], [], color=GREEN, linewidth=2.5, label="Pareto frontier"))

    points = [_floats(o.point) for o in data.outcomes]
    ax.scatter(
        [p[0] for p in points],
        [p[1] for p in points],
        s=40,
        color="white",
        edgecolors=GREY,
        linewidths=1.2,
        zorder=4,
        gid="outcome",
    )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=GREY,
            label="pure outcome",
        )
    )
    if data.ks_segment is not None and data.ideal is not None:
        ax.plot(
            *_xy(data.ks_segment),
            color=PURPLE,
            linestyle="--",
            linewidth=1.2,
            zorder=3,
            gid="ks-line",
        )
        ax.scatter(
            *_floats(data.ideal),
            s=90,
            marker="D",
            facecolors="none",
            edgecolors=PURPLE,
            linewidths=1.5,
            zorder=5,
            gid="ideal",
        )
        handles.append(
            Line2D(
                [],
                [],
                color=PURPLE,
                linestyle="--",
                marker="D",
                markerfacecolor="none",
                label=f"ideal point I {_pair(data.ideal)}",
            )
        )
    if data.outside_options is not None:
        o = _floats(data.outside_options)
        ax.axvline(o[0], color=GREY, linestyle=":", linewidth=1.2, gid="outside-option")
        ax.axhline(o[1], color=GREY, linestyle=":", linewidth=1.2, gid="outside-option")
        ax.scatter(*o, s=90, marker="X", color=GREY, zorder=5, gid="outside-options")
        handles.append(
            Line2D(
                [],
                [],
                color=GREY,
                linestyle=":",
                marker="X",
                markersize=9,
                label=f"outside options {_pair(data.outside_options)}",
            )
        )
    ax.scatter(*d, s=80, marker="s", color=BLACK, zorder=5, gid="disagreement")
    handles.append(
        Line2D([], [], marker="s", linestyle="none", color=BLACK, label=data.disagreement_label)
    )
    for mark in data.solutions:
        style = SOLUTION_STYLES[mark.key]
        ax.scatter(*_floats(mark.point), **style, gid=f"solution-{mark.key}")
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=style["marker"],
                markersize=min(style["s"] ** 0.5 * 0.8, 14.0),
                markerfacecolor=style.get("color", style.get("facecolors")),
                markeredgecolor=style["edgecolors"],
                markeredgewidth=style.get("linewidths", 1.0),
                label=mark.label,
            )
        )

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(data.axis_labels[0], color=PLAYER_COLOURS[0], fontsize=FONT + 1)
    ax.set_ylabel(data.axis_labels[1], color=PLAYER_COLOURS[1], fontsize=FONT + 1)
    ax.tick_params(labelsize=FONT)
    ax.grid(True, color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)

    side = figure.add_subplot(grid[0, 1], label="legend")
    side.set_axis_off()
    side.legend(
        handles=handles,
        labels=[_legend_label(h.get_label()) for h in handles],
        loc="upper left",
        frameon=False,
        fontsize=FONT,
        labelspacing=0.9,
        borderaxespad=0.0,
    ).set_gid("legend")
    add_caption(figure.add_subplot(grid[1, :], label="caption"), caption)
    figure.suptitle(_title(data.title), fontsize=11, gid="title")

    centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    span = max(max(p[0] for p in points) - min(p[0] for p in points), 1e-12)
    low = min(p[0] for p in points)
    labels = [
        Label(
            outcome.label,
            point,
            (label_offset(point, centre, low, span), *NEAR_PLACES),
            {"fontsize": FONT, "gid": "outcome-label"},
            required=False,
        )
        for outcome, point in zip(data.outcomes, points, strict=True)
    ]
    obstacles = [(point, 6.0) for point in points]
    obstacles += [(_floats(m.point), 10.0) for m in data.solutions]
    obstacles.append((d, 7.0))
    if data.ideal is not None:
        obstacles.append((_floats(data.ideal), 7.0))
    if data.outside_options is not None:
        obstacles.append((_floats(data.outside_options), 7.0))
    lines = [[_floats(p) for p in data.frontier]]
    if data.ks_segment is not None:
        lines.append([_floats(p) for p in data.ks_segment])
    omitted = place_labels(figure, ax, labels, obstacles, lines)
    if omitted:
        ax.text(
            0.99,
            0.01,
            f"{omitted} crowded outcome label{'s' if omitted > 1 else ''} left out",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=FONT - 1,
            color=GREY,
            gid="omitted-labels",
        )
    return figure
