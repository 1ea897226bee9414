"""The folk-theorem figure of a repeated game: feasible and individually rational payoffs.

As in :mod:`sim.plot.sweep` and :mod:`sim.plot.montecarlo`, the figure is drawn from a plain
frozen dataset computed first (:func:`folk_data`, tested number by number); matplotlib is
imported only inside :func:`folk_figure`, which returns a new
:class:`matplotlib.figure.Figure` built with the object-oriented API (saving it is the
caller's job).

Conventions, stated once:

* Points are ``(player 1's payoff, player 2's payoff)``, exact for exact games.
* The feasible payoffs (every lottery over the pure outcomes) are shaded light, their
  individually rational part (each player at least its minmax value) darker; dashed lines
  mark the minmax values and a cross the minmax point.
* Stage Nash equilibria are labelled ``NE1, NE2, ...`` in the order of
  :attr:`sim.analysis.repeated.Repeated.equilibria` (rings: pure, diamonds: mixed); the
  caption names the Nash-reversion punishment among them. The target is a star labelled
  with its grim-trigger critical discount factor ``δ*``; the minmax point is a cross
  (named in the legend).
* Colours are the Okabe-Ito palette of :mod:`sim.plot.figures`; the axes are coloured by
  player (blue, vermillion). Artists that carry meaning have a ``gid``.

>>> from sim.game import Game
>>> from sim.analysis.repeated import repeated
>>> truce = Game.from_arrays([[3, 0], [4, 1]], [[3, 5], [0, 1]], players=("US", "China"),
...                          moves=(("ease", "maintain"), ("raise", "restrict")))
>>> data = folk_data(truce, repeated(truce, ("ease", "raise")))
>>> data.target.label, data.minmax
('target (ease, raise): δ* = 1/2', (Fraction(1, 1), Fraction(1, 1)))
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.analysis.hull import Point
from sim.analysis.repeated import Repeated
from sim.analysis.structure import profile_text
from sim.certificate import compare
from sim.errors import SimError
from sim.game import Game, value_text
from sim.plot.figures import (
    BLACK,
    BLUE,
    CAPTION_FONT,
    EQUILIBRIUM_PLACES,
    GREEN,
    GREY,
    NEAR_PLACES,
    ORANGE,
    PLAYER_COLOURS,
    SKY,
    Label,
    add_caption,
    place_labels,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FolkData", "FolkPoint", "folk_data", "folk_figure"]


@dataclass(frozen=True)
class FolkPoint:
    """A labelled point of the figure; ``pure`` tells pure equilibria (and outcomes) from
    mixed equilibria."""

    point: Point
    label: str
    pure: bool = True


@dataclass(frozen=True)
class FolkData:
    """What :func:`folk_figure` draws (see the module docstring).

    ``hull`` and ``individually_rational`` are polygons, counterclockwise (one or two points
    when degenerate). ``equilibria`` are the distinct stage-equilibrium payoff points, pure
    and mixed apart, labelled ``"NE1, NE2"``; ``punishment`` is the Nash-reversion
    punishment's payoff point and ``punishment_label`` its label (``"NE2"``). ``outcomes``
    are the pure outcomes' payoff points other than the target's, labelled with their
    profiles (one per line when several share a point); pure outcomes sharing the target's
    point are listed under the target's label.
    """

    title: str
    axis_labels: tuple[str, str]
    hull: tuple[Point, ...]
    individually_rational: tuple[Point, ...]
    minmax: Point
    pure_minmax: Point
    equilibria: tuple[FolkPoint, ...]
    punishment: Point
    punishment_label: str
    target: FolkPoint
    outcomes: tuple[FolkPoint, ...]
    caption: tuple[str, ...]


def _same(a: Point, b: Point, scale: float) -> bool:
    return compare(a[0], b[0], scale) == 0 and compare(a[1], b[1], scale) == 0


def folk_data(game: Game, result: Repeated) -> FolkData:
    """The dataset of :func:`folk_figure`.

    Parameters
    ----------
    game : Game
        The two-player stage game ``result`` was computed from.
    result : Repeated
        Its repeated-game analysis (:func:`sim.analysis.repeated.repeated`).

    Returns
    -------
    FolkData

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.repeated import repeated
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
    >>> data = folk_data(pd, repeated(pd, ("C", "C")))
    >>> [(o.label, o.point) for o in data.outcomes][0]
    ('(C, D)', (Fraction(0, 1), Fraction(5, 1)))
    >>> [e.label for e in data.equilibria], data.individually_rational[1]
    (['NE1'], (Fraction(13, 3), Fraction(1, 1)))
    """
    if game.n_players != 2:
        raise SimError(
            f"the folk-region figure is drawn for two-player games; {game.title or 'this game'}"
            f" has {game.n_players} players ({', '.join(game.players)})"
        )
    shape = tuple(len(s) for s in result.equilibria[0].strategies)
    if game.shape != shape:
        raise SimError(
            f"this repeated-game result is for a game of shape {shape}, not {game.shape}; pass "
            "the game it was computed from"
        )
    scale = game.scale()
    folk = result.folk

    groups: list[tuple[Point, list[tuple[int, ...]]]] = []
    for profile in game.profiles():
        u = game.payoff(profile)
        point = (u[0], u[1])
        for seen, members in groups:
            if _same(seen, point, scale):
                members.append(profile)
                break
        else:
            groups.append((point, [profile]))
    target_point = folk.target
    outcomes = []
    also: list[str] = []
    for point, members in groups:
        names = [profile_text(game, p) for p in members if p != result.target]
        if _same(point, target_point, scale):
            also = names
        else:
            outcomes.append(FolkPoint(point, "\n".join(names)))

    marks: list[tuple[Point, bool, list[str]]] = []
    punishment = result.nash.equilibrium
    for k, (e, at) in enumerate(zip(result.equilibria, folk.equilibrium_payoffs, strict=True)):
        name = f"NE{k + 1}"
        for point, pure, labels in marks:
            if pure == e.is_pure and _same(point, at, scale):
                labels.append(name)
                break
        else:
            marks.append((at, e.is_pure, [name]))
    assert punishment is not None

    delta = result.nash.overall
    target_text = profile_text(game, result.target)
    if delta is None:
        target_label = f"target {target_text}: no δ < 1 suffices"
    else:
        target_label = f"target {target_text}: δ* = {value_text(delta)}"
    target_label = "\n".join([target_label, *also])

    v, pure_v = folk.minmax, folk.pure_minmax
    caption = [
        "Light: feasible payoffs (every lottery over the pure outcomes). Dark: the "
        "individually rational ones, where each player gets at least its minmax value "
        f"(dashed lines; minmax point ({value_text(v[0])}, {value_text(v[1])})).",
        "Folk theorem: every feasible payoff strictly above both dashed lines is a "
        "subgame-perfect payoff of the repeated game for δ close enough to 1.",
        "δ*: the least discount factor at which grim trigger (return to the punishment "
        f"equilibrium NE{punishment + 1} for ever after a breach) sustains the target.",
    ]
    if not _same(v, pure_v, scale):
        caption.append(
            "The minmax values use mixed punishments; with pure ones they would be "
            f"({value_text(pure_v[0])}, {value_text(pure_v[1])})."
        )
    return FolkData(
        title=game.title,
        axis_labels=(f"{game.players[0]} payoff", f"{game.players[1]} payoff"),
        hull=folk.hull,
        individually_rational=folk.individually_rational,
        minmax=v,
        pure_minmax=pure_v,
        equilibria=tuple(FolkPoint(at, ", ".join(ls), pure) for at, pure, ls in marks),
        punishment=folk.equilibrium_payoffs[punishment],
        punishment_label=f"NE{punishment + 1}",
        target=FolkPoint(target_point, target_label),
        outcomes=tuple(outcomes),
        caption=tuple(caption),
    )


# ---------------------------------------------------------------------------- drawing
def _floats(point: Point) -> tuple[float, float]:
    return float(point[0]), float(point[1])


def _xy(points: Sequence[Point]) -> tuple[list[float], list[float]]:
    return [float(p[0]) for p in points], [float(p[1]) for p in points]


def _region(
    ax: Axes, polygon: Sequence[Point], colour: str, alpha: float, label: str, gid: str
) -> None:
    """A polygon shaded, or a segment or point drawn thick when it is degenerate."""
    from matplotlib.patches import Polygon

    points = [_floats(p) for p in polygon]
    if len(points) >= 3:
        ax.add_patch(
            Polygon(
                points,
                closed=True,
                facecolor=colour,
                alpha=alpha,
                edgecolor=colour,
                label=label,
                gid=gid,
                zorder=1,
            )
        )
    elif points:
        ax.plot(
            *_xy(polygon),
            color=colour,
            alpha=alpha,
            linewidth=8,
            marker="o",
            solid_capstyle="round",
            label=label,
            gid=gid,
            zorder=1,
        )


def folk_figure(game: Game, result: Repeated) -> Figure:
    """The feasible and individually rational payoffs, the minmax point and the target.

    Parameters
    ----------
    game : Game
        The two-player stage game.
    result : Repeated
        Its repeated-game analysis (:func:`sim.analysis.repeated.repeated`).

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"folk"`` and ``"caption"``; the legend is on the right.

    >>> from sim.game import Game
    >>> from sim.analysis.repeated import repeated
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Ann", "Bob"))
    >>> figure = folk_figure(pd, repeated(pd, (0, 0)))
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('Ann payoff', 'Bob payoff')
    """
    from matplotlib.figure import Figure

    data = folk_data(game, result)
    width = 9.0
    chars = int((width - 0.3) * 72 / (CAPTION_FONT * 0.6))
    caption = "\n".join(
        "\n".join(textwrap.wrap(line, chars, break_long_words=False)) for line in data.caption
    )
    notes_height = 0.3 + (caption.count("\n") + 1) * CAPTION_FONT * 1.3 / 72
    figure = Figure(figsize=(width, 5.9 + notes_height), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=(5.2, notes_height))
    ax = figure.add_subplot(grid[0], label="folk")

    _region(ax, data.hull, SKY, 0.25, "feasible payoffs", "feasible")
    _region(ax, data.individually_rational, BLUE, 0.35, "individually rational", "rational")
    vx, vy = _floats(data.minmax)
    ax.axvline(vx, color=GREY, linestyle="--", linewidth=1.0, gid="minmax-line")
    ax.axhline(vy, color=GREY, linestyle="--", linewidth=1.0, gid="minmax-line")
    ax.plot([], [], color=GREY, linestyle="--", linewidth=1.0, label="minmax values")
    ax.scatter(
        [vx], [vy], s=70, marker="X", color=BLACK, zorder=6, label="minmax point", gid="minmax"
    )
    outcome_points = [_floats(o.point) for o in data.outcomes]
    target = _floats(data.target.point)
    everything = [*outcome_points, target]
    ax.scatter(
        *_xy(everything),
        s=30,
        color="white",
        edgecolors=GREY,
        linewidths=1.2,
        zorder=4,
        label="pure outcome",
        gid="outcome",
    )
    pure = [_floats(m.point) for m in data.equilibria if m.pure]
    mixed = [_floats(m.point) for m in data.equilibria if not m.pure]
    if pure:
        ax.scatter(
            *_xy(pure),
            s=200,
            facecolors="none",
            edgecolors=BLACK,
            linewidths=1.8,
            zorder=5,
            label="pure Nash equilibrium",
            gid="pure-equilibrium",
        )
    if mixed:
        ax.scatter(
            *_xy(mixed),
            s=80,
            marker="D",
            color=ORANGE,
            edgecolors=BLACK,
            linewidths=0.8,
            zorder=6,
            label="mixed Nash equilibrium",
            gid="mixed-equilibrium",
        )
    ax.scatter(
        [target[0]],
        [target[1]],
        s=260,
        marker="*",
        color=GREEN,
        edgecolors=BLACK,
        linewidths=0.8,
        zorder=7,
        label="target",
        gid="target",
    )

    xs = [p[0] for p in everything] + [vx, float(data.pure_minmax[0])]
    ys = [p[1] for p in everything] + [vy, float(data.pure_minmax[1])]
    pad_x = 0.15 * (max(xs) - min(xs)) or 1.0
    pad_y = 0.2 * (max(ys) - min(ys)) or 1.0
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_xlabel(data.axis_labels[0], color=PLAYER_COLOURS[0])
    ax.set_ylabel(data.axis_labels[1], color=PLAYER_COLOURS[1])
    ax.grid(True, color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    handles, labels = ax.get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="outside right upper",
        frameon=False,
        fontsize=9,
        labelspacing=1.0,
        handlelength=2.5,
    )
    kind = "feasible and individually rational payoffs (folk theorem)"
    heading = f"{data.title}: {kind}" if data.title else kind[:1].upper() + kind[1:]
    ax.set_title("\n".join(textwrap.wrap(heading, 60, break_long_words=False)), fontsize=11)

    add_caption(figure.add_subplot(grid[1], label="caption"), caption)

    bold = {"fontsize": 9, "fontweight": "bold"}
    box = {"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.7, "edgecolor": "none"}
    labels_to_place = [
        Label(
            mark.label,
            _floats(mark.point),
            EQUILIBRIUM_PLACES,
            {**bold, "gid": "equilibrium-label", "bbox": box},
            required=True,
        )
        for mark in data.equilibria
    ]
    labels_to_place.append(
        Label(
            data.target.label,
            target,
            EQUILIBRIUM_PLACES,
            {**bold, "color": GREEN, "gid": "target-label", "bbox": box},
            required=True,
        )
    )
    labels_to_place += [
        Label(o.label, p, NEAR_PLACES, {"fontsize": 8.5, "gid": "outcome-label"}, required=False)
        for o, p in zip(data.outcomes, outcome_points, strict=True)
    ]
    obstacles = [(p, 6.0) for p in everything]
    obstacles += [(_floats(m.point), 9.0) for m in data.equilibria]
    obstacles += [(target, 10.0), ((vx, vy), 6.0)]
    omitted = place_labels(figure, ax, labels_to_place, obstacles)
    if omitted:
        ax.text(
            0.995,
            0.005,
            f"{omitted} crowded outcome label{'s' if omitted > 1 else ''} left out",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color=GREY,
            gid="omitted-labels",
        )
    return figure
