"""The figure of a logit QRE branch: each move's probability as the precision λ grows.

As in :mod:`sim.plot.sweep`, the figure is drawn from a plain frozen dataset computed first
(:func:`qre_data`, tested value by value); matplotlib is imported only inside
:func:`qre_figure`, which returns a new :class:`matplotlib.figure.Figure` (saving it is the
caller's job).

Conventions:

* One panel per player, stacked and sharing the x axis; each of the player's moves is a
  line of its own colour (Okabe-Ito, :data:`MOVE_COLOURS`), and a move of the status quo,
  when given, is drawn thicker and labelled "(status quo)".
* A player with more than :data:`MAX_COLOURED_MOVES` moves has only that many coloured
  (with a legend entry): the moves that reach the highest probabilities along the shown
  branch (and the status quo move). The others are thin grey lines under one legend
  entry, and the caption says how high they ever get; so the figure's size and drawing
  time stay bounded whatever the number of moves.
* The x axis is ``λ`` per payoff unit (as in :mod:`sim.analysis.qre`) on a symmetric-log
  scale: linear up to ``1/R`` (``R`` the largest payoff range of a player, so ``λR = 1``)
  and logarithmic beyond, so the start of the branch and its long approach to the Nash
  limit both show.
* A mixed Nash limit (or one inside a continuum) is approached only like ``1/λ``, so the
  trace can run to ``λ`` of ``10^8`` and more while nothing visible happens; the axis then
  stops at :data:`SETTLED_FACTOR` times the ``λ`` from which play stays within
  :data:`sim.analysis.qre.SETTLED` of the limit, and the caption says so.
* The Nash limit is a dashed vertical line (``gid="nash-limit"``) at the right end of the
  shown branch, with the limit's probabilities as diamonds (``gid="limit"``) and its label
  (``"NE1"``) above the first panel; points where the branch bends back in ``λ`` are dotted
  grey lines (``gid="turning-point"``), points where another branch crosses it
  dash-dotted ones (``gid="bifurcation"``). A branch that ends at ``λ = 0`` (uniform play is an
  equilibrium, so it is the logit equilibrium at every ``λ``) is drawn flat up to
  ``λR = 10``.

>>> from sim.game import Game
>>> from sim.analysis.qre import qre_branch
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("US", "China"),
...                       moves=(("ease", "maintain"), ("raise", "restrict")))
>>> data = qre_data(qre_branch(pd), status_quo=("maintain", "restrict"))
>>> data.limit_label, data.status_quo, data.probabilities[0][1][0]
('NE1', (1, 1), 0.5)
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import TYPE_CHECKING

from sim.analysis.qre import QuantalBranch
from sim.errors import SimError
from sim.game import value_text
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
    from matplotlib.figure import Figure

__all__ = [
    "MAX_COLOURED_MOVES",
    "MOVE_COLOURS",
    "SETTLED_FACTOR",
    "QreData",
    "coloured_moves",
    "qre_data",
    "qre_figure",
]

MOVE_COLOURS = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK, YELLOW)
"""Colours of a player's moves, in move order (Okabe-Ito)."""
SETTLED_FACTOR = 20.0
"""How far past the ``λ`` at which play settles the axis goes, when the limit is far off."""
MAX_COLOURED_MOVES = len(MOVE_COLOURS)
"""Most moves of a player drawn in colour, each with a legend entry; past it the others are
grey (see the module docstring)."""
OTHER_MOVES_COLOUR = "#B0B0B0"
"""Colour of the moves left grey."""
FLAT_REACH = 10.0
"""``λR`` up to which a branch that ends at ``λ = 0`` is drawn."""
FONT = 9.0
"""Font size of labels, ticks and legends (points)."""
WIDTH = 9.0
"""Figure width (inches)."""


@dataclass(frozen=True)
class QreData:
    """What the QRE branch figure shows (see the module docstring).

    ``lam[k]`` is the ``k``-th point's ``λ`` and ``probabilities[i][j][k]`` the probability
    of player ``i``'s move ``j`` there (only points with ``λ <= lam_end`` are kept).
    ``limit[i][j]`` is the limit's probability (the matched equilibrium's if any, else the
    last point's). ``limit_label`` is ``"NE1"``..., ``"continuum"`` (inside a convex set
    of equilibria), ``"ε-equilibrium"``, or None when the trace stopped short of the Nash
    limit. ``truncated`` is True when the axis stops before the trace did (a mixed limit,
    see the module docstring); ``lam_limit`` is the ``λ`` where the trace ended.
    ``status_quo[i]`` is player ``i``'s status quo move, or None. ``linear_width`` is
    ``1/R``, where the x axis turns logarithmic. ``coloured[i]`` are the moves of player
    ``i`` drawn in colour, in move order: all of them, or past :data:`MAX_COLOURED_MOVES`
    moves those that reach the highest probabilities (see :func:`coloured_moves`).
    """

    title: str
    players: tuple[str, ...]
    moves: tuple[tuple[str, ...], ...]
    lam: tuple[float, ...]
    probabilities: tuple[tuple[tuple[float, ...], ...], ...]
    lam_end: float
    lam_limit: float
    truncated: bool
    limit: tuple[tuple[float, ...], ...]
    limit_label: str | None
    turning_points: tuple[float, ...]
    bifurcations: tuple[float, ...]
    status_quo: tuple[int | None, ...]
    linear_width: float
    caption: tuple[str, ...]
    coloured: tuple[tuple[int, ...], ...] = ()


def _status_quo(
    branch: QuantalBranch, status_quo: Sequence[int | str] | None
) -> tuple[int | None, ...]:
    game = branch.game
    if status_quo is None:
        return tuple(None for _ in game.players)
    return game.profile_index(status_quo)


def _limit_label(branch: QuantalBranch) -> str | None:
    if not branch.converged:
        return None
    if branch.equilibrium is not None:
        return branch.equilibrium_label()
    if branch.convex_set is not None:
        return "continuum"
    return "ε-equilibrium"


def qre_data(branch: QuantalBranch, status_quo: Sequence[int | str] | None = None) -> QreData:
    """The dataset of :func:`qre_figure` for a traced branch.

    Parameters
    ----------
    branch : QuantalBranch
        From :func:`sim.analysis.qre.qre_branch`.
    status_quo : sequence of int or str, optional
        One move (index or name) per player: the status quo, whose moves are highlighted.

    Returns
    -------
    QreData

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.qre import qre_branch
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> data = qre_data(qre_branch(battle))  # a mixed limit, approached like 1/λ
    >>> data.limit_label, data.truncated, data.lam_end < 1e3 < data.lam_limit
    ('NE2', True, True)
    """
    if not isinstance(branch, QuantalBranch):
        raise SimError(
            f"qre_data takes a QuantalBranch (qre_branch(game)), not {type(branch).__name__}"
        )
    game = branch.game
    width = 1.0 / branch.payoff_range
    last = branch.limit
    points = branch.points
    truncated = False
    probabilities: tuple[tuple[tuple[float, ...], ...], ...]
    if last.lam == 0:
        lam_end = FLAT_REACH * width
        lams: tuple[float, ...] = (0.0, lam_end)
        probabilities = tuple(tuple((p, p) for p in strategy) for strategy in last.strategies)
    else:
        lam_end = last.lam
        if branch.converged:
            settled = branch.settles()
            if SETTLED_FACTOR * settled < lam_end:
                lam_end, truncated = SETTLED_FACTOR * settled, True
        kept = list(takewhile(lambda p: p.lam <= lam_end, points))
        lams = tuple(p.lam for p in kept)
        probabilities = tuple(
            tuple(tuple(p.strategies[i][j] for p in kept) for j in range(k))
            for i, k in enumerate(game.shape)
        )
    limit = tuple(
        tuple(float(p) for p in (branch.equilibrium.strategies[i] if branch.equilibrium else s))
        for i, s in enumerate(last.strategies)
    )
    caption = list(branch.sentences())
    axis = (
        f"x axis: λ per payoff unit, linear up to 1/R = {value_text(width, 3)} "
        f"(R = {value_text(branch.payoff_range, 3)}, the largest payoff range of a player) "
        "and logarithmic beyond."
    )
    if truncated:
        axis += (
            f" The trace went on to λ ≈ {value_text(last.lam, 3)}; the axis stops at "
            f"{value_text(lam_end, 3)}, where play has long settled."
        )
    caption.append(axis)
    quo = _status_quo(branch, status_quo)
    coloured = tuple(
        coloured_moves(player, limit[i], quo[i]) for i, player in enumerate(probabilities)
    )
    caption += [
        _grey_sentence(
            game.players[i], len(player), coloured[i], probabilities[i], limit[i], quo[i]
        )
        for i, player in enumerate(probabilities)
        if len(coloured[i]) < len(player)
    ]
    return QreData(
        title=game.title,
        players=game.players,
        moves=game.moves,
        lam=lams,
        probabilities=probabilities,
        lam_end=lam_end,
        lam_limit=last.lam,
        truncated=truncated,
        limit=limit,
        limit_label=_limit_label(branch),
        turning_points=tuple(t for t in branch.turning_points if t <= lam_end),
        bifurcations=tuple(t for t in branch.bifurcations if t <= lam_end),
        status_quo=quo,
        linear_width=width,
        caption=tuple(caption),
        coloured=coloured,
    )


def _peak(path: Sequence[float], limit: float) -> float:
    return max(max(path, default=0.0), limit)


def coloured_moves(
    paths: Sequence[Sequence[float]], limit: Sequence[float], status_quo: int | None = None
) -> tuple[int, ...]:
    """The moves of one player drawn in colour in the QRE figure, in move order.

    ``paths[j]`` is move ``j``'s probability along the shown branch and ``limit[j]`` its
    limit. Every move when there are at most :data:`MAX_COLOURED_MOVES`; otherwise that
    many: the status quo move, then the moves of highest peak probability (along the branch
    or at its limit; the earlier move first on ties).

    >>> paths = [[0.1, 0.05 * j] for j in range(10)]  # move j peaks at max(0.1, 0.05 j)
    >>> coloured_moves(paths, [0.0] * 10)  # moves 0, 1 and 2 tie at 0.1: 0 is kept
    (0, 3, 4, 5, 6, 7, 8, 9)
    >>> coloured_moves(paths, [0.0] * 10, status_quo=1)
    (1, 3, 4, 5, 6, 7, 8, 9)
    """
    if len(paths) <= MAX_COLOURED_MOVES:
        return tuple(range(len(paths)))
    ranked = sorted(range(len(paths)), key=lambda j: (-_peak(paths[j], limit[j]), j))
    if status_quo is not None:
        ranked.remove(status_quo)
        ranked.insert(0, status_quo)
    return tuple(sorted(ranked[:MAX_COLOURED_MOVES]))


def _grey_sentence(
    player: str,
    count: int,
    coloured: Sequence[int],
    paths: Sequence[Sequence[float]],
    limit: Sequence[float],
    status_quo: int | None,
) -> str:
    """The caption's sentence on a player whose moves are not all coloured."""
    grey = [j for j in range(count) if j not in coloured]
    top = max(_peak(paths[j], limit[j]) for j in grey)
    which = (
        f"the {len(coloured)} that reach the highest probabilities"
        if status_quo is None
        else f"the status quo move and the {len(coloured) - 1} others that reach the highest "
        "probabilities"
    )
    return (
        f"{player} has {count} moves: {which} are coloured, the other {len(grey)} are grey "
        f"(none above {value_text(top, 3)})."
    )


def _ticks(linear_width: float, end: float) -> list[float]:
    """0 and the powers of ten from the end of the linear part of the axis to its end (the
    powers inside the linear part would crowd 0)."""
    low = math.ceil(math.log10(linear_width) - 1e-9)
    high = math.floor(math.log10(end) + 1e-9)
    return [0.0] + [10.0**k for k in range(low, high + 1)]


def _caption_text(caption: Sequence[str], width_inches: float) -> str:
    chars = max(40, int(width_inches * 72 / (CAPTION_FONT * 0.6)))
    return "\n".join(
        "\n".join(textwrap.wrap(line, chars, break_long_words=False)) for line in caption
    )


def _title(title: str) -> str:
    kind = "logit QRE branch (each move's probability as precision λ grows)"
    text = f"{title}: {kind}" if title else kind[:1].upper() + kind[1:]
    return "\n".join(textwrap.wrap(text, 90, break_long_words=False))


def qre_figure(branch: QuantalBranch, status_quo: Sequence[int | str] | None = None) -> Figure:
    """Each move's probability along the principal logit QRE branch, one panel per player.

    Parameters
    ----------
    branch : QuantalBranch
        From :func:`sim.analysis.qre.qre_branch`.
    status_quo : sequence of int or str, optional
        One move per player: the status quo, drawn thicker.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled with the players' names (probabilities against ``λ``), then
        ``"caption"``; each panel's legend is at its right.

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.qre import qre_branch
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("US", "China"))
    >>> figure = qre_figure(qre_branch(pd))
    >>> [ax.get_label() for ax in figure.axes], figure.axes[0].get_xscale()
    (['US', 'China', 'caption'], 'symlog')
    """
    from matplotlib.figure import Figure

    data = qre_data(branch, status_quo)
    caption = _caption_text(data.caption, WIDTH - 0.3)
    notes = 0.1 + (caption.count("\n") + 1) * CAPTION_FONT * 1.3 / 72
    coloured = data.coloured or tuple(tuple(range(len(moves))) for moves in data.moves)
    entries = [len(c) + (len(c) < len(m)) for c, m in zip(coloured, data.moves, strict=True)]
    heights = [max(1.9, 0.3 * k + 0.6) for k in entries]
    figure = Figure(figsize=(WIDTH, 1.2 + sum(heights) + notes), layout="constrained")
    grid = figure.add_gridspec(len(heights) + 1, 1, height_ratios=(*heights, notes))
    first = None
    for i, (player, moves) in enumerate(zip(data.players, data.moves, strict=True)):
        ax = figure.add_subplot(grid[i, 0], label=player, sharex=first)
        first = first or ax
        colour_of = {j: MOVE_COLOURS[k] for k, j in enumerate(coloured[i])}
        grey = [j for j in range(len(moves)) if j not in colour_of]
        for j in grey:
            ax.plot(
                data.lam,
                data.probabilities[i][j],
                color=OTHER_MOVES_COLOUR,
                linewidth=0.8,
                label=f"the other {len(grey)} moves" if j == grey[0] else "_nolegend_",
                gid=f"move-{i}-{j}",
            )
        for j, colour in colour_of.items():
            quo = data.status_quo[i] == j
            ax.plot(
                data.lam,
                data.probabilities[i][j],
                color=colour,
                linestyle="-",
                linewidth=3.2 if quo else 1.8,
                alpha=0.9,
                label=f"{moves[j]} (status quo)" if quo else moves[j],
                gid=f"move-{i}-{j}",
            )
        if data.limit_label is not None:
            ax.axvline(data.lam_end, color=GREY, linestyle="--", linewidth=1.0, gid="nash-limit")
            for j, colour in colour_of.items():
                ax.plot(
                    data.lam_end,
                    data.limit[i][j],
                    marker="D",
                    markersize=6,
                    color=colour,
                    markeredgecolor=BLACK,
                    markeredgewidth=0.6,
                    linestyle="none",
                    clip_on=False,
                    gid="limit",
                )
        for turn in data.turning_points:
            ax.axvline(turn, color=GREY, linestyle=":", linewidth=1.0, gid="turning-point")
        for split in data.bifurcations:
            ax.axvline(split, color=GREY, linestyle="-.", linewidth=1.0, gid="bifurcation")
        ax.set_xscale("symlog", linthresh=data.linear_width, linscale=0.5)
        ax.set_xlim(0.0, data.lam_end)
        ax.set_xticks(_ticks(data.linear_width, data.lam_end))
        ax.set_ylim(-0.03, 1.03)
        ax.set_ylabel(f"{player}:\nP(move)", fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        ax.grid(True, alpha=0.3)
        order = {}
        if grey:  # the grey moves' entry last, though they are drawn first (underneath)
            handles, texts = ax.get_legend_handles_labels()
            order = {"handles": handles[1:] + handles[:1], "labels": texts[1:] + texts[:1]}
        ax.legend(
            **order,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=FONT,
            title=player,
            title_fontsize=FONT,
        )
        if i < len(data.players) - 1:
            ax.tick_params(labelbottom=False)
        else:
            ax.set_xlabel("precision λ (per payoff unit, symmetric-log scale)", fontsize=FONT)
    if data.limit_label is not None and first is not None:
        text = f"→ {data.limit_label} as λ → ∞" if data.truncated else data.limit_label
        first.annotate(
            text,
            (data.lam_end, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=FONT,
            gid="limit-label",
        )
    add_caption(figure.add_subplot(grid[-1, 0], label="caption"), caption)
    figure.suptitle(_title(data.title), fontsize=11, gid="title")
    return figure
