"""Draw the datasets of :mod:`sim.plot.data` as matplotlib figures.

Every function returns a new :class:`matplotlib.figure.Figure` built with the
object-oriented API: no pyplot, no global state, no ``show()``, no files (the command line
saves figures). Matplotlib is imported inside the functions, so ``import sim`` and
``import sim.plot`` stay fast and any backend works, including headless Agg.

Colours are the Okabe-Ito palette, readable with the common colour-vision deficiencies;
player 1 is blue and player 2 vermillion in every figure. Artists that carry meaning have a
``gid`` (``"equilibrium-cell"``, ``"best-response-0"``, ``"hull"``...) so tests and SVG
readers can find them.

Large games: past a named size a figure draws less and says so in the figure, so that its
size and drawing time stay bounded (about a second at 40 × 40 moves): the payoff table
becomes two colour maps past :data:`MAX_TABLE_MOVES` moves a side; the payoff space labels
no outcome past :data:`MAX_OUTCOME_LABELS` outcomes, only the pure equilibria past
:data:`MAX_EQUILIBRIUM_LABELS` equilibrium marks, and names at most
:data:`MAX_MARK_NAMES` equilibria in one label. What is left out is in the report.

>>> from sim.game import Game
>>> from sim.solvers import solve
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="Prisoner's dilemma")
>>> sorted(all_figures(pd, solve(pd), status_quo=(0, 0)))
['best_response', 'bimatrix', 'payoff_space']
"""

from __future__ import annotations

import contextlib
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.game import Game, Value
from sim.plot.data import (
    BimatrixData,
    Box,
    EquilibriumMark,
    best_response_data,
    bimatrix_data,
    payoff_space_data,
    value_text,
)
from sim.solvers import Solution

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sim.analysis.correlated import CorrelatedAnalysis

__all__ = [
    "CAPTION_FONT",
    "EQUILIBRIUM_PLACES",
    "MAP_COLOURS",
    "MAP_INCHES",
    "MAP_NAME_LENGTH",
    "MAX_EQUILIBRIUM_LABELS",
    "MAX_MARK_NAMES",
    "MAX_OUTCOME_LABELS",
    "MAX_PURE_NAMED",
    "MAX_TABLE_MOVES",
    "MAX_TICK_LABELS",
    "NEAR_PLACES",
    "Label",
    "add_caption",
    "all_figures",
    "best_response_figure",
    "bimatrix_figure",
    "figure_calls",
    "label_offset",
    "payoff_space_figure",
    "place_labels",
]

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
SKY = "#56B4E9"
ORANGE = "#E69F00"
YELLOW = "#F0E442"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"
BLACK = "#000000"
PLAYER_COLOURS = (BLUE, VERMILLION)

MAX_OUTCOME_LABELS = 64
"""Most pure outcomes labelled with their moves in the payoff-space figure."""
MAX_EQUILIBRIUM_LABELS = 16
"""Most equilibrium marks labelled in the payoff-space figure. Past it only the pure
equilibria are labelled (the first this many), a note in the figure counts the marks left
unlabelled, and the report lists every equilibrium with its payoffs. Placing a crowded
label tries up to 32 places (about 2 ms each): this bounds the figure at about a second."""
MAX_TABLE_MOVES = 12
"""Most moves a side for which the payoff table is drawn with numbers in its cells (a
12 × 12 table takes about 0.7 s and is 21 inches wide); past it the payoffs are drawn as
two colour maps, one per player, in a figure of bounded size (:func:`bimatrix_figure`)."""
MAP_INCHES = 4.8
"""Length of the longer side of each colour map of a large payoff table (inches)."""
MAX_TICK_LABELS = 40
"""Most move names along a side of a colour map; past it every second (third...) one."""
MAP_NAME_LENGTH = 24
"""Most characters of a move name along a colour map (a longer one is cut, ending "…")."""
MAX_PURE_NAMED = 6
"""Most pure equilibria named (with their moves) in the caption of the colour maps."""
MAP_COLOURS = ("Blues", "Oranges")
"""Colour maps of the two players' payoffs: their colours (blue, vermillion), darker for
higher payoffs (sequential, one hue: readable with the common colour-vision deficiencies)."""
CELL_WIDTH, CELL_HEIGHT = 1.45, 0.75  # inches, in the payoff table
CROWDED = 0.05  # leave out an outcome label when this fraction of it would be covered
MAX_CAPTION_LINES = 10  # below the payoff table; the rest is in the report
EQUILIBRIUM_FILL = (0.941, 0.894, 0.259, 0.45)  # YELLOW, translucent
REGION_POINT_SIZE = 560.0  # marker area (points²) of a payoff region that is a single point
CAPTION_FONT = 8.5
"""Font size of the captions under the figures (points)."""


def add_caption(notes: Axes, text: str, top: float = 1.0) -> None:
    """The caption in an empty axes sized for it: from the figure's left edge (not the axes',
    which long tick labels push right), its first line at ``top`` (a fraction of the axes'
    height, below a legend say), left out of the layout."""
    from matplotlib.transforms import blended_transform_factory

    notes.set_axis_off()
    notes.text(
        0.012,
        top,
        text,
        transform=blended_transform_factory(notes.figure.transFigure, notes.transAxes),
        ha="left",
        va="top",
        fontsize=CAPTION_FONT,
        color="#333333",
        gid="caption",
    ).set_in_layout(False)


def _title(title: str, kind: str, width: int) -> str:
    """``"<game title>: <kind>"`` wrapped to ``width`` characters (or just the kind)."""
    return _wrap(f"{title}: {kind}", width) if title else kind[:1].upper() + kind[1:]


def _text_inches(text: str, fontsize: float) -> float:
    """A generous estimate of the width of the longest line of a text, in inches."""
    return max(len(line) for line in text.split("\n")) * 0.62 * fontsize / 72


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _caption_line(line: str, width: int) -> str:
    """Break a long caption line at its ``"; "`` separators, then at spaces if still long."""
    if len(line) <= width:
        return line
    pieces: list[str] = []
    for part in line.split("; "):
        if pieces and len(pieces[-1]) + 2 + len(part) <= width:
            pieces[-1] += "; " + part
        else:
            pieces.append(part)
    indent = "    "
    return "\n".join(
        textwrap.fill(piece, width, initial_indent=indent if k else "", subsequent_indent=indent)
        for k, piece in enumerate(pieces)
    )


# --------------------------------------------------------------------------- bimatrix
def bimatrix_figure(
    game: Game, solution: Solution, status_quo: Sequence[int | str] | None = None
) -> Figure:
    """The payoff table of a two-player game with equilibria and best responses marked.

    Rows are player 1's moves and columns player 2's; each cell shows ``a, b`` (player 1's
    payoff in blue, player 2's in vermillion), a best-response payoff is bold and boxed,
    pure-equilibrium cells are shaded and tagged ``NE1``..., the status quo is outlined, and
    mixed equilibria and continua are listed below the table (the first few, for games
    with very many).

    A player with more than :data:`MAX_TABLE_MOVES` moves makes the table too large to
    read or draw (each cell holds three texts): the payoffs are then two colour maps side
    by side (stacked when the table is wider than tall), player 1's in blues and player
    2's in oranges, darker for higher, with a colour bar each. A dot marks a best-response
    payoff, a black square a pure equilibrium (in both maps), a dashed purple square the
    status quo; a caption note says what is drawn instead of numbers and where they are.

    Parameters
    ----------
    game : Game
        A two-player game (numbers readable up to about 6 × 6 moves).
    solution : Solution
        The game's solution, e.g. ``solve(game)``.
    status_quo : sequence of int or str, optional
        A pure profile (move indices or names) to outline.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the table and, below it, the legend and caption.

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> figure = bimatrix_figure(battle, solve(battle))
    >>> table = figure.axes[0]
    >>> len(figure.axes), [p.get_gid() for p in table.patches].count("equilibrium-cell")
    (2, 2)
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.transforms import blended_transform_factory

    data = bimatrix_data(game, solution, status_quo)
    rows, columns = len(data.cells), len(data.cells[0])
    size = max(rows, columns)
    if size > MAX_TABLE_MOVES:
        return _payoff_maps(data)
    fontsize = 13 if size <= 3 else 11 if size <= 5 else 9.5
    row_labels = [_wrap(m, 14) for m in data.moves[0]]
    column_labels = [_wrap(m, 14) for m in data.moves[1]]
    label_size = fontsize * 0.85
    cell_width = max(CELL_WIDTH, *(_text_inches(m, label_size) + 0.2 for m in column_labels))
    row_label_width = max(_text_inches(m, label_size) for m in row_labels) + 0.5
    width = max(6.0, row_label_width + cell_width * columns + 0.3)
    shown = list(data.caption)
    if len(shown) > MAX_CAPTION_LINES:
        hidden = len(shown) - (MAX_CAPTION_LINES - 1)
        shown = [*shown[: MAX_CAPTION_LINES - 1], f"… and {hidden} more lines not shown"]
    caption = [_caption_line(line, int((width - 0.3) * 72 / (9 * 0.6))) for line in shown]
    caption_lines = sum(line.count("\n") + 1 for line in caption)
    table_height = 1.3 + CELL_HEIGHT * rows
    has_status_quo = any(cell.status_quo for cell_row in data.cells for cell in cell_row)
    legend_height = 0.3 * 2 + 0.1
    caption_height = legend_height + 0.18 * caption_lines + (0.15 if caption_lines else 0.0)
    figure = Figure(figsize=(width, table_height + caption_height), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=(table_height, caption_height))
    ax = figure.add_subplot(grid[0])
    notes = figure.add_subplot(grid[1])
    notes.set_axis_off()

    ax.set_xlim(0, columns)
    ax.set_ylim(rows, 0)
    ax.set_aspect(CELL_HEIGHT / cell_width)
    for cell_row in data.cells:
        for cell in cell_row:
            r, c = cell.profile
            ax.add_patch(
                Rectangle(
                    (c, r),
                    1,
                    1,
                    facecolor=EQUILIBRIUM_FILL if cell.equilibrium else "white",
                    edgecolor=GREY,
                    linewidth=1.0,
                    clip_on=False,
                    gid="equilibrium-cell" if cell.equilibrium else "cell",
                )
            )
            if cell.equilibrium:
                ax.text(
                    c + 0.06,
                    r + 0.09,
                    cell.equilibrium,
                    ha="left",
                    va="top",
                    fontsize=fontsize * 0.75,
                    color=BLACK,
                    gid="equilibrium-tag",
                )
            if cell.status_quo:
                ax.add_patch(
                    Rectangle(  # just inside the cell, clear of the equilibrium tag
                        (c + 0.015, r + 0.025),
                        0.97,
                        0.95,
                        fill=False,
                        edgecolor=PURPLE,
                        linewidth=2.5,
                        linestyle="--",
                        gid="status-quo",
                    )
                )
            centre_x, centre_y = c + 0.5, r + 0.55
            ax.text(centre_x, centre_y, ",", ha="center", va="center", fontsize=fontsize)
            for player, (text, best) in enumerate(zip(cell.texts, cell.best_response, strict=True)):
                offset = -0.065 if player == 0 else 0.065
                box = (
                    {
                        "boxstyle": "round,pad=0.2",
                        "facecolor": "none",
                        "edgecolor": PLAYER_COLOURS[player],
                        "linewidth": 1.2,
                    }
                    if best
                    else None
                )
                ax.text(
                    centre_x + offset,
                    centre_y,
                    text,
                    ha="right" if player == 0 else "left",
                    va="center",
                    fontsize=fontsize,
                    color=PLAYER_COLOURS[player],
                    fontweight="bold" if best else "normal",
                    bbox=box,
                    gid=f"best-response-{player}" if best else f"payoff-{player}",
                )

    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xticks([c + 0.5 for c in range(columns)], column_labels)
    ax.set_yticks([r + 0.5 for r in range(rows)], row_labels)
    ax.tick_params(length=0, labelsize=label_size)
    ax.set_xlabel(data.players[1], color=PLAYER_COLOURS[1], fontweight="bold", fontsize=fontsize)
    ax.set_ylabel(data.players[0], color=PLAYER_COLOURS[0], fontweight="bold", fontsize=fontsize)
    for spine in ax.spines.values():
        spine.set_visible(False)
    title_size = fontsize * 1.05
    figure.suptitle(
        _title(data.title, "payoff table", int((width - 0.4) * 72 / (title_size * 0.6))),
        fontsize=title_size,
    )

    handles = [Patch(facecolor=EQUILIBRIUM_FILL, edgecolor=GREY, label="pure Nash equilibrium")]
    handles += [
        Patch(facecolor="none", edgecolor=colour, label=f"best response of {name}")
        for name, colour in zip(data.players, PLAYER_COLOURS, strict=True)
    ]
    if has_status_quo:
        handles.append(
            Patch(
                facecolor="none", edgecolor=PURPLE, linestyle="--", linewidth=2, label="status quo"
            )
        )
    # Legend and caption are centred on the figure (not on the axes, which the row labels
    # push right) and left out of the layout: the figure was sized for them above.
    centred = blended_transform_factory(figure.transFigure, notes.transAxes)
    legend = notes.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 1.0),
        bbox_transform=centred,
        ncols=2,
        frameon=False,
        fontsize=9,
        borderaxespad=0.2,
    )
    legend.set_in_layout(False)
    if caption:
        notes.text(
            0.5,
            1 - legend_height / caption_height,
            "\n".join(caption),
            transform=centred,
            ha="center",
            va="top",
            multialignment="left",
            fontsize=9,
            gid="caption",
        ).set_in_layout(False)
    return figure


def _shorten(name: str, width: int) -> str:
    """A move name cut to ``width`` characters, ending with "…" if it was cut.

    >>> _shorten("maintain_chip_controls", 12), _shorten("ease", 12)
    ('maintain_ch…', 'ease')
    """
    return name if len(name) <= width else name[: width - 1] + "…"


def _map_note(data: BimatrixData) -> tuple[str, str]:
    """The first caption lines of the colour maps: what is drawn instead of numbers, and
    where the pure equilibria are."""
    rows, columns = len(data.cells), len(data.cells[0])
    pure = [cell for cell_row in data.cells for cell in cell_row if cell.equilibrium]
    named = ", ".join(
        f"{cell.equilibrium} ({data.moves[0][cell.profile[0]]}, {data.moves[1][cell.profile[1]]})"
        for cell in pure[:MAX_PURE_NAMED]
    )
    if len(pure) > MAX_PURE_NAMED:
        named += f" and {len(pure) - MAX_PURE_NAMED} more"
    return (
        f"{rows} × {columns} moves, more than {MAX_TABLE_MOVES} a side: each payoff is a "
        "coloured cell, darker for higher, instead of a number (the numbers are in "
        "report.md and results.json).",
        "Dots: best responses. "
        + (f"Black squares: the pure equilibria {named}." if pure else "No pure equilibrium."),
    )


def _payoff_maps(data: BimatrixData) -> Figure:
    """The payoff table of a large game as two colour maps (see :func:`bimatrix_figure`)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.patheffects import Normal, Stroke
    from matplotlib.transforms import blended_transform_factory

    rows, columns = len(data.cells), len(data.cells[0])
    cells = [cell for cell_row in data.cells for cell in cell_row]
    stacked = columns > rows
    cell = MAP_INCHES / max(rows, columns)
    fontsize = max(4.5, min(8.0, 0.75 * cell * 72))
    steps = (math.ceil(rows / MAX_TICK_LABELS), math.ceil(columns / MAX_TICK_LABELS))
    names = [[_shorten(m, MAP_NAME_LENGTH) for m in moves] for moves in data.moves]
    label_inches = [_text_inches(max(ms, key=len), fontsize) for ms in names]
    panel = (columns * cell + label_inches[0] + 1.5, rows * cell + label_inches[1] + 0.6)
    width = max(7.0, panel[0] if stacked else 2 * panel[0])
    maps_height = 2 * panel[1] if stacked else panel[1]
    # The note, then the table's caption lines (mixed equilibria...), one printed line
    # each: their supports run over many moves; report.md has them in full.
    chars = int((width - 0.3) * 72 / (CAPTION_FONT * 0.66))  # digits are 0.64 em wide
    shown = [_shorten(line, chars) for line in data.caption]
    if len(shown) > MAX_CAPTION_LINES - 2:
        hidden = len(shown) - (MAX_CAPTION_LINES - 3)
        shown = [*shown[: MAX_CAPTION_LINES - 3], f"… and {hidden} more lines not shown"]
    caption = "\n".join([*(_caption_line(line, chars) for line in _map_note(data)), *shown])
    legend_height = 0.45
    caption_height = legend_height + CAPTION_FONT * 1.25 / 72 * (caption.count("\n") + 1) + 0.15
    figure = Figure(figsize=(width, 0.6 + maps_height + caption_height), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=(maps_height, caption_height))
    pair = grid[0].subgridspec(2, 1) if stacked else grid[0].subgridspec(1, 2)
    for player in range(2):
        ax = figure.add_subplot(pair[player], label=data.players[player])
        values = [[float(c.payoffs[player]) for c in cell_row] for cell_row in data.cells]
        image = ax.imshow(
            values,
            cmap=MAP_COLOURS[player],
            aspect="equal",
            interpolation="nearest",
            extent=(0, columns, rows, 0),
            gid=f"payoffs-{player}",
        )
        bar = figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
        bar.set_label(f"{data.players[player]} payoff", color=PLAYER_COLOURS[player])
        bar.ax.tick_params(labelsize=fontsize)
        best = [c.profile for c in cells if c.best_response[player]]
        ax.scatter(
            [c + 0.5 for _, c in best],
            [r + 0.5 for r, _ in best],
            s=min(30.0, (0.3 * cell * 72) ** 2),
            color=BLACK,
            edgecolors="white",
            linewidths=0.5,
            zorder=3,
            gid=f"best-response-{player}",
        )
        for c in cells:
            r, k = c.profile
            if c.equilibrium:
                ax.add_patch(
                    Rectangle(
                        (k, r),
                        1,
                        1,
                        fill=False,
                        edgecolor=BLACK,
                        linewidth=1.6,
                        zorder=4,
                        gid="equilibrium-cell",
                        path_effects=[Stroke(linewidth=3.4, foreground="white"), Normal()],
                    )
                )
            if c.status_quo:
                ax.add_patch(
                    Rectangle(
                        (k - 0.15, r - 0.15),
                        1.3,
                        1.3,
                        fill=False,
                        edgecolor=PURPLE,
                        linewidth=1.6,
                        linestyle="--",
                        zorder=4,
                        clip_on=False,
                        gid="status-quo",
                    )
                )
        ax.set_xticks(
            [k + 0.5 for k in range(0, columns, steps[1])], names[1][:: steps[1]], rotation=90
        )
        ax.set_yticks([r + 0.5 for r in range(0, rows, steps[0])], names[0][:: steps[0]])
        ax.set_xlim(0, columns)
        ax.set_ylim(rows, 0)
        ax.tick_params(length=0, labelsize=fontsize)
        ax.set_xlabel(data.players[1], color=PLAYER_COLOURS[1], fontweight="bold", fontsize=9)
        ax.set_ylabel(data.players[0], color=PLAYER_COLOURS[0], fontweight="bold", fontsize=9)
        ax.set_title(
            f"{data.players[player]}'s payoffs",
            color=PLAYER_COLOURS[player],
            fontsize=10,
            loc="left",
        )
    figure.suptitle(
        _title(data.title, "payoff table as colours", int((width - 0.4) * 72 / (11 * 0.6))),
        fontsize=11,
    )
    notes = figure.add_subplot(grid[1], label="caption")
    notes.set_axis_off()
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=5,
            color=BLACK,
            markeredgecolor="white",
            label="best response (in that player's map)",
        ),
        Patch(facecolor="none", edgecolor=BLACK, linewidth=1.6, label="pure Nash equilibrium"),
    ]
    if any(c.status_quo for c in cells):
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=PURPLE,
                linestyle="--",
                linewidth=1.6,
                label="status quo",
            )
        )
    centred = blended_transform_factory(figure.transFigure, notes.transAxes)
    notes.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 1.0),
        bbox_transform=centred,
        ncols=len(handles),
        frameon=False,
        fontsize=9,
        borderaxespad=0.2,
    ).set_in_layout(False)
    add_caption(notes, caption, top=1 - legend_height / caption_height)
    return figure


# ------------------------------------------------------------------------ payoff space
def label_offset(
    point: tuple[float, float], centre: tuple[float, float], low: float, span: float
) -> tuple[float, float, str, str]:
    """Where to put a point's label: above or below, away from the centre of the outcomes,
    and running inwards from the left and right thirds so it stays inside the axes."""
    third = (point[0] - low) / span
    dx, ha = (
        (-3.0, "right") if third > 2 / 3 else (3.0, "left") if third < 1 / 3 else (0.0, "center")
    )
    dy, va = (11.0, "bottom") if point[1] >= centre[1] else (-11.0, "top")
    return dx, dy, ha, va


def _xy(points: Sequence[Sequence[Value]]) -> tuple[list[float], list[float]]:
    """The x and y coordinates of points, as floats for matplotlib."""
    return [float(p[0]) for p in points], [float(p[1]) for p in points]


def _legend(figure: Figure, ax: Axes) -> None:
    """The axes' legend outside the axes, on the right of the figure, labels wrapped."""
    handles, labels = ax.get_legend_handles_labels()
    figure.legend(
        handles,
        [_wrap(label, 28) for label in labels],
        loc="outside right upper",
        frameon=False,
        fontsize=9,
        labelspacing=1.0,
        handlelength=3.0,
    )


Place = tuple[float, float, str, str]
"""Where a label goes relative to its point: ``(dx, dy)`` in points, then the horizontal and
vertical alignment of the text."""

# Places near the point, tried in order after the preferred one.
NEAR_PLACES: tuple[Place, ...] = (
    (0.0, 11.0, "center", "bottom"),
    (0.0, -11.0, "center", "top"),
    (10.0, 0.0, "left", "center"),
    (-10.0, 0.0, "right", "center"),
    (7.0, 8.0, "left", "bottom"),
    (-7.0, 8.0, "right", "bottom"),
    (7.0, -8.0, "left", "top"),
    (-7.0, -8.0, "right", "top"),
)
# Places near an equilibrium mark: beside it first (the outcome label prefers above or
# below), clear of the ring drawn around a pure equilibrium.
EQUILIBRIUM_PLACES: tuple[Place, ...] = (
    (13.0, 0.0, "left", "center"),
    (-13.0, 0.0, "right", "center"),
    (10.0, 10.0, "left", "bottom"),
    (-10.0, 10.0, "right", "bottom"),
    (10.0, -10.0, "left", "top"),
    (-10.0, -10.0, "right", "top"),
    (0.0, 14.0, "center", "bottom"),
    (0.0, -14.0, "center", "top"),
)
# Farther places, joined to the point by a leader line, in rings of growing distance
# (diagonal directions first: a slanted leader line is told from the drawn lines best).
# Outcome labels may use the first ring, equilibrium labels (never left out) every ring.
_LEADER_RINGS: tuple[tuple[Place, ...], ...] = tuple(
    tuple(
        (distance * dx, distance * dy, ha, va)
        for dx, dy, ha, va in (
            (0.7, 0.7, "left", "bottom"),
            (-0.7, 0.7, "right", "bottom"),
            (0.7, -0.7, "left", "top"),
            (-0.7, -0.7, "right", "top"),
            (0.0, 1.0, "center", "bottom"),
            (0.0, -1.0, "center", "top"),
            (1.0, 0.0, "left", "center"),
            (-1.0, 0.0, "right", "center"),
        )
    )
    for distance in (30.0, 48.0, 70.0)
)
LABEL_MARGIN = 1.5  # points of free space kept between two labels
LINE_COST = 0.04  # a label crossing a drawn line costs as much as this fraction covered
LEADER_COST = 0.5  # a leader line through another marker: as bad as half the label covered
EQUILIBRIUM_LABELS_PER_LINE = 3  # "NE1, NE2, NE3,\nNE4" for equilibria sharing a point
MAX_MARK_NAMES = 9
"""Most equilibria named in one label of the payoff-space figure (equilibria with equal
payoffs share a mark); past it the label names the first eight and counts the others."""
_REACH = 1e-6  # pixels: a box this far from a leader line's extent may still be said to meet it


@dataclass(frozen=True)
class Label:
    """A point label to place: ``required`` labels are never left out (equilibria)."""

    text: str
    point: tuple[float, float]
    places: tuple[Place, ...]
    style: dict[str, Any]
    required: bool
    alternatives: tuple[str, ...] = ()  # other layouts of the text, tried in turn


def place_labels(
    figure: Figure,
    ax: Axes,
    labels: Sequence[Label],
    obstacles: Sequence[tuple[tuple[float, float], float]],
    lines: Sequence[Sequence[tuple[float, float]]] = (),
) -> int:
    """Annotate points, each label at the first place that overlaps no marker or label.

    ``obstacles`` are markers as (centre, radius in points); ``lines`` are polylines in data
    coordinates that labels should not cross. Lays the figure out once (as drawing it would,
    without drawing: :func:`_lay_out`) so label extents are measured in the final axes; the
    labels are left out of the layout so it does not move afterwards.

    Steps: (1) take the required labels (equilibria), then the others, each in the given
    order; (2) try the label's places, in its text and then in each alternative layout; a
    place costs the fraction of the label covered by markers, earlier labels or the outside
    of the axes, plus :data:`LINE_COST` per line crossed; stop at the first place of zero
    cost; (3) if no place near the point has at most :data:`CROWDED` of the label covered,
    try the rings of places farther out, joined to the point by a leader line (which costs
    :data:`LEADER_COST` per other marker it runs through, :data:`LINE_COST` per label): an
    outcome label one ring, a required label every ring; (4) keep the cheapest place; a
    label that is not required and still has more than :data:`CROWDED` of it covered is
    left out, a required label is always shown.

    Returns the number of labels left out.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.path import Path
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    if not isinstance(figure.canvas, FigureCanvasAgg):
        # One renderer for the layout and every measurement below, so that text sizes are
        # measured once (without a canvas, each measurement makes a new renderer).
        FigureCanvasAgg(figure)
    _lay_out(figure)
    scale = figure.dpi / 72
    # What is taken so far, as rows (x0, y0, x1, y1) in pixels: the markers, then each
    # label placed. Overlaps with all of them are computed at once (the same arithmetic as
    # Bbox.intersection, summed in the same order), so that many markers stay cheap.
    taken = np.empty((len(obstacles) + len(labels), 4))
    for k, ((x, y), r) in enumerate((ax.transData.transform(c), r) for c, r in obstacles):
        taken[k] = Bbox.from_bounds(
            x - r * scale, y - r * scale, 2 * r * scale, 2 * r * scale
        ).extents
    count = markers = len(obstacles)  # taken[:markers] are markers, the rest labels
    paths = [Path(ax.transData.transform(line)) for line in lines if len(line) >= 2]
    frame = ax.get_window_extent()

    def overlap(box: Bbox, other: Bbox) -> float:
        meet = Bbox.intersection(box, other)
        return 0.0 if meet is None else meet.width * meet.height

    def overlaps(box: Bbox) -> list[float]:
        """The area of ``box`` covered by each taken box, in order."""
        rows = taken[:count]
        x0 = np.maximum(min(box.x0, box.x1), np.minimum(rows[:, 0], rows[:, 2]))
        x1 = np.minimum(max(box.x0, box.x1), np.maximum(rows[:, 0], rows[:, 2]))
        y0 = np.maximum(min(box.y0, box.y1), np.minimum(rows[:, 1], rows[:, 3]))
        y1 = np.minimum(max(box.y0, box.y1), np.maximum(rows[:, 1], rows[:, 3]))
        meets = (x0 <= x1) & (y0 <= y1)
        return [float(a) for a in ((x1 - x0) * (y1 - y0))[meets]]

    def costs(box: Bbox) -> tuple[float, float]:
        area = max(box.width * box.height, 1e-9)
        hidden = sum(overlaps(box)) + area - overlap(box, frame)
        crossed = sum(path.intersects_bbox(box, filled=False) for path in paths)
        return hidden / area, LINE_COST * crossed

    def leader_cost(point: tuple[float, float], offset: tuple[float, float], box: Bbox) -> float:
        """The cost of the leader line from ``point`` to a label at ``offset`` in ``box``:
        :data:`LEADER_COST` per marker it runs through (it would seem to point there), other
        than the point's own, and :data:`LINE_COST` per label."""
        end = (
            min(max(point[0] + offset[0] * scale, box.x0), box.x1),
            min(max(point[1] + offset[1] * scale, box.y0), box.y1),
        )
        leader = Path([point, end])
        # Only the boxes that the leader's extent reaches (with a margin far above rounding)
        # can meet it: the others are not asked.
        rows = taken[:count]
        near = np.flatnonzero(
            (rows[:, 0] <= max(point[0], end[0]) + _REACH)
            & (rows[:, 2] >= min(point[0], end[0]) - _REACH)
            & (rows[:, 1] <= max(point[1], end[1]) + _REACH)
            & (rows[:, 3] >= min(point[1], end[1]) - _REACH)
        )
        total = 0.0
        for k in near.tolist():
            other = Bbox.from_extents(*taken[k])
            if leader.intersects_bbox(other, filled=True) and not other.contains(*point):
                total += LEADER_COST if k < markers else LINE_COST
        return total

    omitted = 0
    ordered = [label for label in labels if label.required]
    ordered += [label for label in labels if not label.required]
    for item in ordered:
        texts = (item.text, *item.alternatives)
        rings = _LEADER_RINGS if item.required else _LEADER_RINGS[:1]
        candidates = [(text, place, False) for text in texts for place in item.places]
        candidates += [(text, place, True) for ring in rings for text in texts for place in ring]
        best = None
        x, y = ax.transData.transform(item.point)
        anchor = (float(x), float(y))
        for text, (dx, dy, ha, va), leader in candidates:
            if leader and best is not None and best[1] <= CROWDED:
                break  # a leader line only when no near place is free enough
            label = ax.annotate(
                text,
                item.point,
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                annotation_clip=False,
                arrowprops=(
                    {
                        "arrowstyle": "-",
                        "color": BLACK,
                        "linewidth": 0.7,
                        "shrinkA": 1,
                        "shrinkB": 6,
                    }
                    if leader
                    else None
                ),
                **item.style,
            )
            label.set_in_layout(False)
            label.get_window_extent()  # places the text, then measure it without the leader
            box = Text.get_window_extent(label)
            hidden, crossing = costs(box)
            if leader:
                crossing += leader_cost(anchor, label.xyann, box)
            cost = hidden + crossing
            if best is None or cost < best[0]:
                if best is not None:
                    best[2].remove()
                best = (cost, hidden, label, box)
            else:
                label.remove()
            if cost <= 0.0:
                break
        assert best is not None
        if best[1] > CROWDED and not item.required:
            best[2].remove()
            omitted += 1
        else:
            taken[count] = best[3].padded(LABEL_MARGIN * scale).extents
            count += 1
    return omitted


def _lay_out(figure: Figure) -> None:
    """Put the axes where drawing the figure would (its layout engine, aspect ratios and
    autoscaled limits, in the order :meth:`matplotlib.figure.Figure.draw` applies them),
    without drawing anything: what :func:`place_labels` measures in."""
    for ax in figure.axes:
        ax.apply_aspect()
    engine = figure.get_layout_engine()
    if engine is not None:
        with contextlib.suppress(ValueError):  # as in Figure.draw: a layout that cannot fit
            engine.execute(figure)
    for ax in figure.axes:
        ax.viewLim  # noqa: B018  (reading it applies pending autoscaling)
        ax.apply_aspect()


def _floats(point: Sequence[Value]) -> tuple[float, float]:
    return float(point[0]), float(point[1])


def _outline(box: Box) -> list[tuple[float, float]]:
    """The drawn outline of a box of :func:`_draw_boxes`: a segment or a closed rectangle."""
    (x0, y0), (x1, y1) = _floats(box[0]), _floats(box[1])
    if box[0][0] == box[1][0] or box[0][1] == box[1][1]:  # exact, as in _draw_boxes
        return [(x0, y0), (x1, y1)]
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def _draw_boxes(ax: Axes, boxes: Sequence[Box], label: str) -> None:
    from matplotlib.patches import Rectangle

    for k, (low, high) in enumerate(boxes):
        (x0, y0), (x1, y1) = _floats(low), _floats(high)
        name = label if k == 0 else "_nolegend_"
        if low[0] == high[0] or low[1] == high[1]:  # exact: the data collapsed tied sides
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=ORANGE,
                linewidth=6,
                alpha=0.7,
                solid_capstyle="round",
                zorder=3,
                label=name,
                gid="continuum",
            )
        else:
            ax.add_patch(
                Rectangle(
                    (x0, y0),
                    x1 - x0,
                    y1 - y0,
                    facecolor=ORANGE,
                    alpha=0.35,
                    edgecolor=ORANGE,
                    hatch="xx",
                    zorder=3,
                    label=name,
                    gid="continuum",
                )
            )


def payoff_space_figure(
    game: Game,
    solution: Solution,
    status_quo: Sequence[int | str] | None = None,
    correlated: CorrelatedAnalysis | None = None,
) -> Figure:
    """The payoffs of a two-player game in the plane.

    Pure outcomes are labelled with their moves; the convex hull (payoffs reachable by
    jointly randomising) is shaded, its Pareto frontier drawn in green and Pareto-efficient
    pure outcomes filled green; pure equilibria are ringed and mixed ones are diamonds, each
    labelled ``NE1``... in bold (equilibria with equal payoffs share a label); continua of
    equilibria are orange boxes and the status quo a hollow purple square.

    With ``correlated``, the payoffs of the correlated equilibria are outlined in blue and
    hatched, those of the coarse correlated equilibria (when they differ) shaded yellow
    with a dashed outline, and the welfare-maximising correlated equilibrium is a blue
    star, so they can be compared with the Nash equilibria.

    Labels are placed where they cover no marker and no other label (see
    :func:`place_labels`). Equilibrium labels are placed first and always shown, if need
    be away from their mark on a leader line; an outcome label that finds no free place is
    left out, and a note in the corner counts those left out. Past
    :data:`MAX_OUTCOME_LABELS` outcomes none is labelled; past
    :data:`MAX_EQUILIBRIUM_LABELS` equilibrium marks only the pure equilibria are (a legend
    entry counts the marks left unlabelled); a mark shared by more than
    :data:`MAX_MARK_NAMES` equilibria names the first few and counts the others.

    Parameters
    ----------
    game : Game
        A two-player game.
    solution : Solution
        The game's solution, e.g. ``solve(game)``.
    status_quo : sequence of int or str, optional
        A pure profile (move indices or names) to mark.
    correlated : CorrelatedAnalysis, optional
        :func:`sim.analysis.correlated.correlated_analysis` of the game, to overlay.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; the legend is a figure legend on its right.

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Ann", "Bob"))
    >>> figure = payoff_space_figure(pd, solve(pd))
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('Ann payoff', 'Bob payoff')
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    data = payoff_space_data(game, solution, status_quo, correlated)
    figure = Figure(figsize=(8.0, 5.6), layout="constrained")
    ax = figure.add_subplot()

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
                label="feasible payoffs (convex hull)",
                gid="hull",
            )
        )
    elif len(hull) == 2:
        ax.plot(
            *_xy(hull),
            color=SKY,
            linewidth=6,
            alpha=0.4,
            label="feasible payoffs (convex hull)",
            gid="hull",
        )
    if len(data.frontier) >= 2:
        ax.plot(
            *_xy(data.frontier),
            color=GREEN,
            linewidth=2.5,
            label="Pareto frontier",
            gid="frontier",
            zorder=2,
        )
    _draw_region(ax, data.coarse_region, "coarse correlated equilibria", coarse=True)
    _draw_region(ax, data.correlated_region, "correlated equilibria", coarse=False)

    efficient = [_floats(o.payoffs) for o in data.outcomes if o.efficient]
    other = [_floats(o.payoffs) for o in data.outcomes if not o.efficient]
    if efficient:
        ax.scatter(
            *_xy(efficient),
            s=45,
            color=GREEN,
            edgecolors=BLACK,
            linewidths=0.6,
            zorder=4,
            label="Pareto-efficient outcome",
            gid="efficient",
        )
    if other:
        ax.scatter(
            *_xy(other),
            s=45,
            color="white",
            edgecolors=GREY,
            linewidths=1.2,
            zorder=4,
            label="other pure outcome",
            gid="dominated",
        )

    _draw_boxes(ax, data.continua, "continuum of equilibria")
    pure = [_floats(m.position) for m in data.equilibria if m.pure]
    mixed = [m for m in data.equilibria if not m.pure]
    if pure:
        ax.scatter(
            *_xy(pure),
            s=260,
            facecolors="none",
            edgecolors=BLACK,
            linewidths=2.0,
            zorder=5,
            label="pure Nash equilibrium",
            gid="pure-equilibrium",
        )
    if mixed:
        ax.scatter(
            *_xy([m.position for m in mixed]),
            s=90,
            marker="D",
            color=ORANGE,
            edgecolors=BLACK,
            linewidths=0.8,
            zorder=6,
            label="mixed Nash equilibrium",
            gid="mixed-equilibrium",
        )
    if data.correlated_best is not None:
        ax.scatter(
            *_floats(data.correlated_best),
            s=210,
            marker="*",
            color=BLUE,
            edgecolors=BLACK,
            linewidths=0.7,
            zorder=5.5,
            label=data.correlated_best_label,
            gid="correlated-best",
        )
    if data.status_quo is not None:
        ax.scatter(
            *_floats(data.status_quo),
            s=400,  # around the ring of a pure equilibrium there
            marker="s",
            facecolors="none",
            edgecolors=PURPLE,
            linewidths=2.0,
            zorder=4.5,
            label=data.status_quo_label,
            gid="status-quo",
        )

    points = [_floats(o.payoffs) for o in data.outcomes]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad_x = 0.12 * (max(xs) - min(xs)) or 1.0
    pad_y = 0.2 * (max(ys) - min(ys)) or 1.0
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_xlabel(data.axis_labels[0], color=PLAYER_COLOURS[0])
    ax.set_ylabel(data.axis_labels[1], color=PLAYER_COLOURS[1])
    ax.grid(True, color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(_title(data.title, "payoff space", 60))

    centre = (sum(xs) / len(xs), sum(ys) / len(ys))
    span = max(max(xs) - min(xs), 1e-12)
    named = _labelled_marks(data.equilibria)
    if len(named) < len(data.equilibria):
        ax.plot(  # a legend entry without a handle, below the equilibria's
            [],
            [],
            linestyle="none",
            label=f"{len(data.equilibria) - len(named)} of {len(data.equilibria)} equilibrium "
            f"marks unlabelled (more than {MAX_EQUILIBRIUM_LABELS}; pure ones are labelled "
            "first; the report lists every equilibrium)",
            gid="unlabelled-equilibria",
        )
    _legend(figure, ax)
    labels = [
        Label(
            _equilibrium_text(mark.label),
            _floats(mark.position),
            EQUILIBRIUM_PLACES if mark.pure else (EQUILIBRIUM_PLACES[0], *NEAR_PLACES),
            {
                "fontsize": 9,
                "fontweight": "bold",
                "gid": "equilibrium-label",
                "bbox": {
                    "boxstyle": "round,pad=0.1",
                    "facecolor": "white",
                    "alpha": 0.7,
                    "edgecolor": "none",
                },
            },
            required=True,
        )
        for mark in named
    ]
    # Past MAX_OUTCOME_LABELS outcomes their labels would only crowd one another (and
    # placing them takes a time quadratic in their number): the equilibria are labelled.
    unlabelled = len(points) if len(points) > MAX_OUTCOME_LABELS else 0
    labels += [
        Label(
            outcome.label,
            point,
            (label_offset(point, centre, min(xs), span), *NEAR_PLACES),
            {"fontsize": 9, "gid": "outcome-label"},
            required=False,
            alternatives=_layouts(outcome.label),
        )
        for outcome, point in zip(data.outcomes, points, strict=True)
        if not unlabelled
    ]
    obstacles = [(point, 7.0) for point in points]
    obstacles += [(_floats(m.position), 10.0 if m.pure else 7.0) for m in data.equilibria]
    if data.status_quo is not None:
        obstacles.append((_floats(data.status_quo), 10.0))
    if data.correlated_best is not None:
        obstacles.append((_floats(data.correlated_best), 9.0))
    lines = [[_floats(p) for p in data.frontier]]
    lines += [_outline(box) for box in data.continua]
    regions = [r for r in (data.correlated_region, data.coarse_region) if r]
    lines += [_region_outline(r) for r in regions if len(r) >= 2]
    obstacles += [(_floats(r[0]), REGION_POINT_SIZE**0.5 / 2) for r in regions if len(r) == 1]
    omitted = place_labels(figure, ax, labels, obstacles, lines)
    if omitted or unlabelled:
        left_out = (
            f"{omitted} crowded outcome label{'s' if omitted > 1 else ''} left out"
            if omitted
            else f"outcome labels left out ({unlabelled} outcomes, more than {MAX_OUTCOME_LABELS})"
        )
        figure.text(
            0.995,
            0.005,
            left_out,
            ha="right",
            va="bottom",
            fontsize=8,
            color=GREY,
            gid="omitted-labels",
        )
    return figure


def _labelled_marks(marks: Sequence[EquilibriumMark]) -> tuple[EquilibriumMark, ...]:
    """The equilibrium marks of the payoff-space figure that get a label: all of them, or
    past :data:`MAX_EQUILIBRIUM_LABELS` marks the first that many pure ones.

    >>> from sim.plot.data import EquilibriumMark
    >>> marks = [EquilibriumMark(f"NE{k}", (k, k), k % 5 == 0) for k in range(1, 41)]
    >>> [m.label for m in _labelled_marks(marks)]
    ['NE5', 'NE10', 'NE15', 'NE20', 'NE25', 'NE30', 'NE35', 'NE40']
    >>> len(_labelled_marks(marks[:MAX_EQUILIBRIUM_LABELS]))
    16
    """
    if len(marks) <= MAX_EQUILIBRIUM_LABELS:
        return tuple(marks)
    return tuple(m for m in marks if m.pure)[:MAX_EQUILIBRIUM_LABELS]


def _region_outline(region: Sequence[Sequence[Value]]) -> list[tuple[float, float]]:
    """The drawn outline of a payoff region of :func:`_draw_region`: closed if a polygon."""
    points = [_floats(p) for p in region]
    return [*points, points[0]] if len(points) >= 3 else points


def _draw_region(ax: Axes, region: Sequence[Sequence[Value]], label: str, *, coarse: bool) -> None:
    """A region of equilibrium payoffs: a polygon, a segment or a point (or nothing).

    Correlated equilibria are outlined in blue and hatched; coarse correlated equilibria
    are shaded yellow under a dashed grey outline, below the former (they contain them).
    """
    from matplotlib.patches import Polygon

    if not region:
        return
    gid = "coarse-region" if coarse else "correlated-region"
    colour = GREY if coarse else BLUE
    points = [_floats(p) for p in region]
    if len(points) >= 3:
        ax.add_patch(
            Polygon(
                points,
                closed=True,
                facecolor=YELLOW if coarse else "none",
                alpha=0.45 if coarse else 0.9,
                edgecolor=colour,
                linewidth=1.4 if coarse else 1.8,
                linestyle="--" if coarse else "-",
                hatch=None if coarse else "//",
                zorder=1.5 if coarse else 1.8,
                label=label,
                gid=gid,
            )
        )
    elif len(points) == 2:
        ax.plot(
            *_xy(points),
            color=YELLOW if coarse else BLUE,
            linewidth=5 if coarse else 2.5,
            linestyle="-" if coarse else (0, (4, 2)),
            alpha=0.8,
            zorder=1.5 if coarse else 1.8,
            label=label,
            gid=gid,
        )
    else:
        ax.scatter(  # around the ring of a pure equilibrium or the star there
            *_xy(points),
            s=REGION_POINT_SIZE,
            marker="h",
            facecolors="none",
            edgecolors=colour,
            linewidths=1.6,
            zorder=3.5,
            label=label,
            gid=gid,
        )


def _layouts(label: str, width: int = 24, rows: int = 4) -> tuple[str, ...]:
    """Other layouts of an outcome label (one profile a line), to try where it does not fit.

    A label of more than ``rows`` lines is also laid out two profiles a line; a label
    with a line longer than ``width`` characters is also broken after its commas.

    >>> _layouts("(a, b)\\n(c, d)\\n(e, f)", rows=2)
    ('(a, b), (c, d)\\n(e, f)',)
    >>> _layouts("(maintain_chip_controls, restrict_re)")
    ('(maintain_chip_controls,\\nrestrict_re)',)
    """
    lines = label.split("\n")
    layouts = []
    if len(lines) > rows:
        layouts.append("\n".join(", ".join(lines[k : k + 2]) for k in range(0, len(lines), 2)))
    if any(len(line) > width for line in lines):
        layouts.append(
            "\n".join(line.replace(", ", ",\n") if len(line) > width else line for line in lines)
        )
    return tuple(layouts)


def _equilibrium_text(label: str) -> str:
    """A mark's label ``"NE1, NE2, ..."`` broken into lines of a few equilibria each.

    >>> print(_equilibrium_text("NE1, NE2, NE4, NE5"))
    NE1, NE2, NE4,
    NE5

    Past :data:`MAX_MARK_NAMES` equilibria, the last line counts the others:

    >>> print(_equilibrium_text(", ".join(f"NE{k}" for k in range(1, 14))))
    NE1, NE2, NE3,
    NE4, NE5, NE6,
    NE7, NE8, 5 more
    """
    names = label.split(", ")
    if len(names) > MAX_MARK_NAMES:
        names = [*names[: MAX_MARK_NAMES - 1], f"{len(names) - MAX_MARK_NAMES + 1} more"]
    size = EQUILIBRIUM_LABELS_PER_LINE
    return ",\n".join(", ".join(names[k : k + size]) for k in range(0, len(names), size))


# ---------------------------------------------------------------------- best responses
def best_response_figure(game: Game, solution: Solution) -> Figure:
    """The best-response diagram of a 2×2 game: both correspondences and where they cross.

    ``x`` is the probability that player 1 plays its first move and ``y`` that player 2
    plays its first move. Player 1's correspondence is the solid blue step line, player 2's
    the dashed vermillion one; a player indifferent whatever the other does covers the whole
    square (hatched). Equilibria are black dots labelled with their probabilities, each label
    placed clear of the curves and of the other labels where there is room; continua of
    equilibria are orange segments or boxes. Ticks mark where each player is indifferent.

    Parameters
    ----------
    game : Game
        A game with two players and two moves each.
    solution : Solution
        The game's solution, e.g. ``solve(game)``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; the legend is a figure legend on its right.

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> figure = best_response_figure(pennies, solve(pennies))
    >>> [t.get_text() for t in figure.axes[0].get_xticklabels()]
    ['0', '1/2', '1']
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    data = best_response_data(game, solution)
    figure = Figure(figsize=(7.4, 5.4), layout="constrained")
    ax = figure.add_subplot()
    ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, edgecolor=GREY, linewidth=0.8))
    styles = (("-", 4.0, "//"), ("--", 2.5, "\\\\"))
    for curve, (linestyle, linewidth, hatch) in zip(data.curves, styles, strict=True):
        colour = PLAYER_COLOURS[curve.player]
        if curve.indifferent_everywhere:
            ax.add_patch(
                Rectangle(
                    (0, 0),
                    1,
                    1,
                    facecolor="none",
                    edgecolor=colour,
                    hatch=hatch,
                    linewidth=0,
                    alpha=0.6,
                    label=f"{curve.name}'s best response (indifferent: any mix is best)",
                    gid=f"best-response-{curve.player}",
                )
            )
        else:
            ax.plot(
                *_xy(curve.path),
                color=colour,
                solid_capstyle="butt",
                dash_capstyle="butt",
                label=f"{curve.name}'s best response",
                gid=f"best-response-{curve.player}",
                zorder=3 + curve.player,
                linestyle=linestyle,
                linewidth=linewidth,
            )
    _draw_boxes(ax, data.continua, "continuum of equilibria")
    points = [_floats(m.position) for m in data.equilibria]
    if points:
        ax.scatter(
            *_xy(points),
            s=70,
            color=BLACK,
            zorder=6,
            label="Nash equilibrium",
            gid="equilibrium",
        )

    def ticks(threshold: Value | None) -> tuple[list[float], list[str]]:
        values: list[Value] = [0, 1]
        if threshold is not None and 0 < threshold < 1:
            values.insert(1, threshold)
        return [float(v) for v in values], [value_text(v) for v in values]

    ax.set_xticks(*ticks(data.curves[1].threshold))
    ax.set_yticks(*ticks(data.curves[0].threshold))
    ax.set_xlim(-0.06, 1.06)
    ax.set_ylim(-0.06, 1.06)
    ax.set_xlabel(data.axis_labels[0], color=PLAYER_COLOURS[0])
    ax.set_ylabel(data.axis_labels[1], color=PLAYER_COLOURS[1])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(_title(data.title, "best responses", 52))
    _legend(figure, ax)

    def places(x: float, y: float) -> tuple[Place, ...]:
        inward = (8.0 if x < 0.5 else -8.0, 8.0 if y < 0.5 else -8.0)
        corners = [
            inward,
            (inward[0], -inward[1]),
            (-inward[0], inward[1]),
            (-inward[0], -inward[1]),
        ]
        return tuple(
            (dx, dy, "left" if dx > 0 else "right", "bottom" if dy > 0 else "top")
            for dx, dy in corners
        )

    labels = [
        Label(
            f"{mark.label} ({value_text(mark.position[0])}, {value_text(mark.position[1])})",
            _floats(mark.position),
            places(*_floats(mark.position)),
            {
                "fontsize": 9,
                "zorder": 7,
                "gid": "equilibrium-label",
                "bbox": {
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "alpha": 0.8,
                    "edgecolor": "none",
                },
            },
            required=True,
        )
        for mark in data.equilibria
    ]
    lines = [[_floats(p) for p in curve.path] for curve in data.curves]
    lines += [_outline(box) for box in data.continua]
    place_labels(figure, ax, labels, [(_floats(m.position), 5.0) for m in data.equilibria], lines)
    return figure


# -------------------------------------------------------------------------------- all
def all_figures(
    game: Game,
    solution: Solution,
    status_quo: Sequence[int | str] | None = None,
    *,
    correlated: CorrelatedAnalysis | None = None,
) -> dict[str, Figure]:
    """Every figure that applies to the game, keyed by file stem.

    Two-player games get ``"bimatrix"`` and ``"payoff_space"`` (with the correlated
    equilibria of ``correlated`` overlaid, if given); 2×2 games also ``"best_response"``;
    games with more players get none (an empty dict).

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> game = Game.from_arrays([[1, 2, 0]], [[0, 1, 1]])
    >>> sorted(all_figures(game, solve(game)))
    ['bimatrix', 'payoff_space']
    """
    calls = figure_calls(game, solution, status_quo, correlated=correlated)
    return {stem: draw(*args) for stem, (draw, args) in calls.items()}


def figure_calls(
    game: Game,
    solution: Solution,
    status_quo: Sequence[int | str] | None = None,
    *,
    correlated: CorrelatedAnalysis | None = None,
) -> dict[str, tuple[Callable[..., Figure], tuple[Any, ...]]]:
    """The figures of :func:`all_figures` as calls not yet made: file stem ->
    ``(function, arguments)``, so that they can be drawn elsewhere (in another process,
    :mod:`sim.plot.render`).

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> game = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> {stem: draw.__name__ for stem, (draw, _) in figure_calls(game, solve(game)).items()}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'bimatrix': 'bimatrix_figure', 'payoff_space': 'payoff_space_figure',
     'best_response': 'best_response_figure'}
    """
    if game.n_players != 2:
        return {}
    calls: dict[str, tuple[Callable[..., Figure], tuple[Any, ...]]] = {
        "bimatrix": (bimatrix_figure, (game, solution, status_quo)),
        "payoff_space": (payoff_space_figure, (game, solution, status_quo, correlated)),
    }
    if game.shape == (2, 2):
        calls["best_response"] = (best_response_figure, (game, solution))
    return calls
