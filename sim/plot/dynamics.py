"""Figures of learning dynamics: the 2×2 phase portrait and the simplex of three moves.

As in :mod:`sim.plot.sweep`, each figure is drawn from a frozen dataset computed first
(:func:`phase_portrait_data`, :func:`simplex_data`; tested value by value) from a
:class:`~sim.analysis.dynamics.LearningDynamics` result; matplotlib (and mpltern, for the
ternary axes) is imported only inside the drawing functions, and every function returns a
new :class:`matplotlib.figure.Figure` (saving it is the caller's job).

Conventions, stated once:

* **Phase portrait (2×2 games).** The unit square, ``x`` the probability of the row
  player's first move and ``y`` the column player's first move. Grey streamlines follow the
  replicator vector field; rest points are marked by stability (filled circle: sink; open
  circle: source; half-filled: saddle; open diamond: centre; grey square: non-hyperbolic),
  lines of rest points of degenerate games are orange; Nash equilibria get a yellow disc
  and an ``NE1``... label. The replicator trajectory from the start is a solid blue line,
  fictitious play's empirical frequencies a dashed vermillion line; the start is an open
  square, each path's end a dot in its colour.
* **Simplex (a player with three moves).** One panel per player: a ternary diagram
  (mpltern; corners are the player's moves, the top corner its first move) with that
  population's replicator trajectory and fictitious-play frequencies, or, for a player
  with two moves, the share of its first move against time. Grey grid lines are every 0.2
  of probability (no tick labels, to keep the corners readable). A symmetric 3×3 game also
  gets the one-population field (arrows of unit length on a lattice of the simplex, as
  both populations then evolve alike) with the trajectory from a symmetric start.
* Colours are the Okabe-Ito palette of :mod:`sim.plot.figures`; artists that carry meaning
  have a ``gid`` (``"field"``, ``"rest-sink"``, ``"equilibrium"``, ``"replicator"``,
  ``"fictitious-play"``, ``"start"``...). The caption (:func:`sim.plot.figures.add_caption`)
  gives the plain-language findings.

>>> from sim.game import Game
>>> from sim.analysis.dynamics import learning_dynamics
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD",
...                       moves=(("cooperate", "defect"),) * 2)
>>> data = phase_portrait_data(learning_dynamics(pd, ("defect", "defect")))
>>> [(m.label, m.stability) for m in data.rest_points]  # doctest: +NORMALIZE_WHITESPACE
[('(cooperate, cooperate)', 'source'), ('(cooperate, defect)', 'saddle'),
 ('(defect, cooperate)', 'saddle'), ('(defect, defect)', 'sink')]
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.analysis.dynamics import (
    LearningDynamics,
    is_symmetric,
    phase_field,
    replicator,
    sample_indices,
    symmetric_field,
)
from sim.certificate import compare
from sim.errors import SimError
from sim.plot.figures import (
    BLACK,
    BLUE,
    GREY,
    ORANGE,
    VERMILLION,
    YELLOW,
    Label,
    add_caption,
    place_labels,
)
from sim.solvers import Solution, solve

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "EquilibriumPoint",
    "PhasePortraitData",
    "PopulationPanel",
    "RestMark",
    "SimplexData",
    "SymmetricPanel",
    "dynamics_figures",
    "phase_portrait_data",
    "phase_portrait_figure",
    "simplex_data",
    "simplex_figure",
]

REPLICATOR_COLOUR, FICTITIOUS_COLOUR = BLUE, VERMILLION
"""Colours of the replicator trajectory and of fictitious play's frequencies."""
STABILITY_STYLES: dict[str, dict[str, Any]] = {
    "sink": {"marker": "o", "markerfacecolor": BLACK, "markeredgecolor": BLACK},
    "source": {"marker": "o", "markerfacecolor": "white", "markeredgecolor": BLACK},
    "saddle": {
        "marker": "o",
        "fillstyle": "left",
        "markerfacecolor": BLACK,
        "markerfacecoloralt": "white",
        "markeredgecolor": BLACK,
    },
    "centre": {"marker": "D", "markerfacecolor": "white", "markeredgecolor": BLACK},
    "non-hyperbolic": {"marker": "s", "markerfacecolor": GREY, "markeredgecolor": BLACK},
}
"""Marker of a rest point by stability (see the module docstring)."""
STABILITY_NAMES = {
    "sink": "sink (stable)",
    "source": "source (unstable)",
    "saddle": "saddle",
    "centre": "centre (cycles around it)",
    "non-hyperbolic": "non-hyperbolic rest point",
}
CAPTION_WIDTH = 110
"""Characters per caption line."""
SHAPES = "2×2 games (unit square) and two-player games whose players have 2 or 3 moves with at \
least one having 3 (simplex)"


@dataclass(frozen=True)
class RestMark:
    """A rest point on the unit square: position, stability, profile label, equilibrium."""

    x: float
    y: float
    stability: str
    label: str
    equilibrium: str | None


@dataclass(frozen=True)
class EquilibriumPoint:
    """A Nash equilibrium to mark: its position and its labels (``"NE1"``, or
    ``"NE1, NE2"`` for equilibria at one point)."""

    position: tuple[float, ...]
    label: str


@dataclass(frozen=True)
class PhasePortraitData:
    """What the 2×2 phase portrait shows (see the module docstring).

    ``dx[r][c]`` and ``dy[r][c]`` are the field at ``(grid[c], grid[r])``; paths are at most
    ``~200`` points each; ``segments`` are lines of rest points.
    """

    title: str
    x_label: str
    y_label: str
    grid: tuple[float, ...]
    dx: tuple[tuple[float, ...], ...]
    dy: tuple[tuple[float, ...], ...]
    rest_points: tuple[RestMark, ...]
    segments: tuple[tuple[tuple[float, float], tuple[float, float]], ...]
    equilibria: tuple[EquilibriumPoint, ...]
    replicator: tuple[tuple[float, ...], tuple[float, ...]]
    fictitious: tuple[tuple[float, ...], tuple[float, ...]]
    start: tuple[float, float]
    start_label: str
    caption: tuple[str, ...]


@dataclass(frozen=True)
class PopulationPanel:
    """One player's population in the simplex figure.

    ``replicator[j]`` is the share of move ``j`` at ``times`` and ``fictitious[j]`` its
    empirical frequency at ``rounds``; ``equilibria`` are the player's equilibrium
    strategies (one point per distinct strategy, labelled with every equilibrium using it).
    """

    player: str
    moves: tuple[str, ...]
    times: tuple[float, ...]
    replicator: tuple[tuple[float, ...], ...]
    rounds: tuple[int, ...]
    fictitious: tuple[tuple[float, ...], ...]
    equilibria: tuple[EquilibriumPoint, ...]


@dataclass(frozen=True)
class SymmetricPanel:
    """The one-population field of a symmetric 3×3 game: lattice points and unit arrows
    (``direction``; zero at rest), with ``speed`` the length of the field there, a
    trajectory from a symmetric start and the symmetric equilibria."""

    moves: tuple[str, str, str]
    points: tuple[tuple[float, float, float], ...]
    direction: tuple[tuple[float, float, float], ...]
    speed: tuple[float, ...]
    trajectory: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]
    equilibria: tuple[EquilibriumPoint, ...]


@dataclass(frozen=True)
class SimplexData:
    """What the simplex figure shows: one panel per player, and the one-population panel of
    a symmetric 3×3 game."""

    title: str
    start_label: str
    panels: tuple[PopulationPanel, ...]
    symmetric: SymmetricPanel | None
    caption: tuple[str, ...]


# ---------------------------------------------------------------------------- datasets
def _subsample(values: Any, keep: Sequence[int]) -> tuple[float, ...]:
    """The values (a sequence or 1-D array) at the indices kept, as floats."""
    return tuple(float(values[k]) for k in keep)


def _keep(n: int) -> list[int]:
    """At most ~200 evenly spread indices of ``range(n)`` (:func:`sample_indices`)."""
    return [int(k) for k in sample_indices(n)]


def _solution(dynamics: LearningDynamics) -> Solution:
    """The equilibria the dynamics were matched with (solved only for results built by hand)."""
    return dynamics.solution if dynamics.solution is not None else solve(dynamics.replicator.game)


def _start_label(dynamics: LearningDynamics) -> str:
    path = dynamics.replicator
    game = path.game
    if path.origin is not None:
        profile = f"({', '.join(game.profile_names(path.origin))})"
        name = f"{dynamics.origin_name} " if dynamics.origin_name else ""
        return f"start: near {name}{profile}"
    return f"start: {dynamics.origin_name}" if dynamics.origin_name else "start: uniform"


def _title(title: str, kind: str) -> str:
    text = f"{title}: {kind}" if title else kind[:1].upper() + kind[1:]
    return "\n".join(textwrap.wrap(text, 80, break_long_words=False))


def _caption(lines: Sequence[str]) -> tuple[str, ...]:
    return tuple(
        "\n".join(
            textwrap.wrap(line, CAPTION_WIDTH, break_long_words=False, subsequent_indent="  ")
        )
        for line in lines
    )


def _grouped(points: Sequence[tuple[tuple[float, ...], str]]) -> tuple[EquilibriumPoint, ...]:
    """Equilibrium points with the labels of those at the same place joined."""
    out: list[tuple[tuple[float, ...], list[str]]] = []
    for position, label in points:
        for seen, labels in out:
            if all(compare(a, b) == 0 for a, b in zip(seen, position, strict=True)):
                labels.append(label)
                break
        else:
            out.append((position, [label]))
    return tuple(EquilibriumPoint(p, ", ".join(labels)) for p, labels in out)


def phase_portrait_data(dynamics: LearningDynamics, grid: int = 21) -> PhasePortraitData:
    """The dataset of :func:`phase_portrait_figure` for a 2×2 game.

    Parameters
    ----------
    dynamics : LearningDynamics
        Learning dynamics of a 2×2 game (:func:`sim.analysis.dynamics.learning_dynamics`).
    grid : int
        Grid values per axis of the vector field.

    Returns
    -------
    PhasePortraitData

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.dynamics import learning_dynamics
    >>> stag = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...                         moves=(("stag", "hare"), ("stag", "hare")))
    >>> data = phase_portrait_data(learning_dynamics(stag, ("stag", "stag")))
    >>> [(e.position, e.label) for e in data.equilibria]  # doctest: +ELLIPSIS
    [((1.0, 1.0), 'NE1'), ((0.666..., 0.666...), 'NE2'), ((0.0, 0.0), 'NE3')]
    >>> data.start, data.replicator[0][-1] > 0.999, data.start_label
    ((0.9, 0.9), True, 'start: near the status quo (stag, stag)')
    """
    game = dynamics.replicator.game
    if game.shape != (2, 2):
        raise SimError(
            f"a phase portrait is drawn for 2×2 games; this game is "
            f"{game.shape[0]}×{game.shape[1]}. Drawn: {SHAPES}"
        )
    solution = _solution(dynamics)
    phase = dynamics.phase
    if phase is None or len(phase.x) != grid:
        phase = phase_field(game, grid, solution=solution)
    rest = tuple(
        RestMark(
            float(p.position[0]),
            float(p.position[1]),
            p.stability,
            p.label(game),
            None if p.equilibrium is None else f"NE{p.equilibrium + 1}",
        )
        for p in phase.rest_points
    )
    equilibria = _grouped(
        [
            ((float(eq.strategies[0][0]), float(eq.strategies[1][0])), f"NE{k + 1}")
            for k, eq in enumerate(solution.equilibria)
        ]
    )
    path = dynamics.replicator
    keep = _keep(len(path.times))
    play = dynamics.fictitious_play
    rounds = _keep(play.iterations + 1)
    p0, p1 = game.players
    lines = [
        *dynamics.replicator.sentences(dynamics.origin_name),
        *dynamics.fictitious_play.sentences(dynamics.origin_name),
        "Grey streamlines: the replicator vector field. Markers: rest points by stability "
        "(eigenvalues of the Jacobian).",
    ]
    lines += [line for line in phase.sentences()[1:] if line.startswith("Every point")]
    return PhasePortraitData(
        title=game.title,
        x_label=f"P({p0} plays {game.moves[0][0]})",
        y_label=f"P({p1} plays {game.moves[1][0]})",
        grid=phase.x,
        dx=tuple(tuple(float(v) for v in row) for row in phase.dx),
        dy=tuple(tuple(float(v) for v in row) for row in phase.dy),
        rest_points=tuple(sorted(rest, key=lambda m: m.label)),
        segments=tuple(
            ((float(a[0]), float(a[1])), (float(b[0]), float(b[1]))) for a, b in phase.segments
        ),
        equilibria=equilibria,
        replicator=(
            _subsample(path.strategies[0][:, 0], keep),
            _subsample(path.strategies[1][:, 0], keep),
        ),
        fictitious=(
            _subsample(play.frequencies[0][:, 0], rounds),
            _subsample(play.frequencies[1][:, 0], rounds),
        ),
        start=(float(path.start[0][0]), float(path.start[1][0])),
        start_label=_start_label(dynamics),
        caption=_caption(lines),
    )


def _simplex_shape(shape: tuple[int, ...]) -> bool:
    return len(shape) == 2 and all(k in (2, 3) for k in shape) and 3 in shape


def simplex_data(dynamics: LearningDynamics, divisions: int = 10) -> SimplexData:
    """The dataset of :func:`simplex_figure` for a two-player game with 2 or 3 moves per
    player, at least one player having 3.

    Parameters
    ----------
    dynamics : LearningDynamics
        Learning dynamics of the game (:func:`sim.analysis.dynamics.learning_dynamics`).
    divisions : int
        Lattice of the one-population field of a symmetric 3×3 game (points
        ``(i, j, k) / divisions``).

    Returns
    -------
    SimplexData

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.dynamics import learning_dynamics
    >>> rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    >>> game = Game.from_arrays(rps, [list(c) for c in zip(*rps)],
    ...                         moves=(("rock", "paper", "scissors"),) * 2)
    >>> data = simplex_data(learning_dynamics(game, ("rock", "rock")))
    >>> [p.player for p in data.panels], data.symmetric is not None
    (['P1', 'P2'], True)
    >>> [(e.label, [round(p, 3) for p in e.position]) for e in data.panels[0].equilibria]
    [('NE1', [0.333, 0.333, 0.333])]
    """
    game = dynamics.replicator.game
    if not _simplex_shape(game.shape):
        raise SimError(
            f"a simplex figure is drawn when a player has three moves (and none more); this "
            f"game is {'×'.join(str(k) for k in game.shape)}. Drawn: {SHAPES}"
        )
    path = dynamics.replicator
    play = dynamics.fictitious_play
    keep = _keep(len(path.times))
    rounds = _keep(play.iterations + 1)
    solution = _solution(dynamics)
    panels = []
    for i, player in enumerate(game.players):
        panels.append(
            PopulationPanel(
                player=player,
                moves=game.moves[i],
                times=_subsample(path.times, keep),
                replicator=tuple(
                    _subsample(path.strategies[i][:, j], keep) for j in range(game.shape[i])
                ),
                rounds=tuple(rounds),
                fictitious=tuple(
                    _subsample(play.frequencies[i][:, j], rounds) for j in range(game.shape[i])
                ),
                equilibria=_grouped(
                    [
                        (eq.probabilities[i], f"NE{k + 1}")
                        for k, eq in enumerate(solution.equilibria)
                    ]
                ),
            )
        )
    symmetric = None
    lines = [
        *path.sentences(dynamics.origin_name),
        *play.sentences(dynamics.origin_name),
    ]
    if game.shape == (3, 3) and is_symmetric(game):
        field = symmetric_field(game, divisions)
        speed = [float(sum(v * v for v in row) ** 0.5) for row in field.velocity.tolist()]
        direction = tuple(
            tuple(v / s if s > 1e-12 else 0.0 for v in row)
            for row, s in zip(field.velocity.tolist(), speed, strict=True)
        )
        row_start = path.start[0]
        alike = replicator(
            game,
            (row_start, row_start),
            horizon=path.horizon,
            steps=path.steps,
            solution=solution,
        )
        sym_keep = _keep(len(alike.times))
        symmetric = SymmetricPanel(
            moves=field.moves,
            points=tuple((float(a), float(b), float(c)) for a, b, c in field.points.tolist()),
            direction=tuple((d[0], d[1], d[2]) for d in direction),
            speed=tuple(speed),
            trajectory=(
                _subsample(alike.strategies[0][:, 0], sym_keep),
                _subsample(alike.strategies[0][:, 1], sym_keep),
                _subsample(alike.strategies[0][:, 2], sym_keep),
            ),
            equilibria=_grouped(
                [
                    (eq.probabilities[0], f"NE{k + 1}")
                    for k, eq in enumerate(solution.equilibria)
                    if all(compare(a, b) == 0 for a, b in zip(*eq.probabilities, strict=True))
                ]
            ),
        )
        lines.append(
            "The game is symmetric: the last panel shows the one-population replicator field "
            f"and the trajectory from {game.players[0]}'s start used by both populations."
        )
    return SimplexData(
        title=game.title,
        start_label=_start_label(dynamics),
        panels=tuple(panels),
        symmetric=symmetric,
        caption=_caption(lines),
    )


# ----------------------------------------------------------------------------- drawing
def _caption_height(caption: Sequence[str]) -> float:
    from sim.plot.figures import CAPTION_FONT

    rows = sum(line.count("\n") + 1 for line in caption)
    return 0.15 + rows * CAPTION_FONT * 1.35 / 72


def _marker(ax: Axes, x: float, y: float, stability: str, **extra: Any) -> None:
    ax.plot(
        [x],
        [y],
        linestyle="none",
        markersize=9,
        zorder=6,
        gid=f"rest-{stability}",
        clip_on=False,
        **STABILITY_STYLES[stability],
        **extra,
    )


def _path_handles(start_label: str, equilibrium_label: str, *, large: bool) -> list[Any]:
    """Legend entries shared by both figures: the two paths, the start and the equilibria
    (``large``: the line widths and marker size of the phase portrait)."""
    from matplotlib.lines import Line2D

    return [
        Line2D(
            [],
            [],
            color=REPLICATOR_COLOUR,
            linewidth=2.6 if large else 2.4,
            label="replicator dynamics",
        ),
        Line2D(
            [],
            [],
            color=FICTITIOUS_COLOUR,
            linewidth=1.8 if large else 1.6,
            linestyle="--",
            label="fictitious play (empirical frequencies)",
        ),
        Line2D(
            [],
            [],
            marker="s",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=BLACK,
            label=start_label,
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=13 if large else 11,
            color=YELLOW,
            markeredgecolor="#A89A00",
            label=equilibrium_label,
        ),
    ]


def phase_portrait_figure(dynamics: LearningDynamics) -> Figure:
    """The phase portrait of a 2×2 game: field, rest points, equilibria and both paths.

    Parameters
    ----------
    dynamics : LearningDynamics
        Learning dynamics of a 2×2 game (:func:`sim.analysis.dynamics.learning_dynamics`).

    Returns
    -------
    matplotlib.figure.Figure
        Axes ``"phase"`` (the unit square; legend on the right) and ``"caption"``.

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.dynamics import learning_dynamics
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> figure = phase_portrait_figure(learning_dynamics(pennies, (0, 0)))
    >>> ax = figure.axes[0]
    >>> ax.get_xlabel(), sorted({line.get_gid() for line in ax.lines} - {None})
    ... # doctest: +NORMALIZE_WHITESPACE
    ('P(P1 plays s1)',
     ['equilibrium', 'fictitious-play', 'replicator', 'rest-centre', 'rest-saddle', 'start'])
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    data = phase_portrait_data(dynamics)
    notes = _caption_height(data.caption)
    figure = Figure(figsize=(9.6, 6.6 + notes), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=(6.6, notes))
    ax = figure.add_subplot(grid[0], label="phase")
    ax.set_aspect("equal")
    x = np.array(data.grid)
    u, v = np.array(data.dx), np.array(data.dy)
    if np.abs(u).max() + np.abs(v).max() > 0:
        stream = ax.streamplot(
            x, x, u, v, density=1.0, color="#AAAAAA", linewidth=0.8, arrowsize=0.9, zorder=1
        )
        stream.lines.set_gid("field")
    for (x0, y0), (x1, y1) in data.segments:
        ax.plot([x0, x1], [y0, y1], color=ORANGE, linewidth=5, alpha=0.8, zorder=2, gid="segment")
    for mark in data.equilibria:
        ax.plot(
            [mark.position[0]],
            [mark.position[1]],
            "o",
            markersize=19,
            color=YELLOW,
            markeredgecolor="#A89A00",
            zorder=3,
            gid="equilibrium",
            clip_on=False,
        )
    ax.plot(*data.replicator, color=REPLICATOR_COLOUR, linewidth=2.6, zorder=4, gid="replicator")
    ax.plot(
        *data.fictitious,
        color=FICTITIOUS_COLOUR,
        linewidth=1.8,
        linestyle="--",
        zorder=4,
        gid="fictitious-play",
    )
    for series, colour in (
        (data.replicator, REPLICATOR_COLOUR),
        (data.fictitious, FICTITIOUS_COLOUR),
    ):
        ax.plot(
            [series[0][-1]],
            [series[1][-1]],
            "o",
            color=colour,
            markersize=5,
            zorder=7,
            clip_on=False,
        )
    ax.plot(
        [data.start[0]],
        [data.start[1]],
        "s",
        markersize=8,
        markerfacecolor="white",
        markeredgecolor=BLACK,
        zorder=8,
        gid="start",
    )
    for rest in data.rest_points:
        _marker(ax, rest.x, rest.y, rest.stability)
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_xlabel(data.x_label, color=BLUE)
    ax.set_ylabel(data.y_label, color=VERMILLION)
    ax.set_title(_title(data.title, "learning dynamics"), fontsize=11)
    shown = dict.fromkeys(r.stability for r in data.rest_points)
    handles = _path_handles(data.start_label, "Nash equilibrium", large=True)
    handles += [
        Line2D(
            [], [], linestyle="none", markersize=9, label=STABILITY_NAMES[s], **STABILITY_STYLES[s]
        )
        for s in shown
    ]
    if data.segments:
        handles.append(Line2D([], [], color=ORANGE, linewidth=5, label="line of rest points"))
    if data.dx and np.abs(u).max() + np.abs(v).max() > 0:
        handles.append(Line2D([], [], color="#AAAAAA", linewidth=0.8, label="replicator field"))
    figure.legend(
        handles=handles,
        labels=["\n".join(textwrap.wrap(h.get_label(), 30)) for h in handles],
        loc="outside right upper",
        frameon=False,
        fontsize=9,
        labelspacing=1.0,
    )
    labels = [
        Label(
            mark.label,
            (mark.position[0], mark.position[1]),
            _inward_places(mark.position[0], mark.position[1]),
            {
                "fontsize": 9,
                "zorder": 9,
                "gid": "equilibrium-label",
                "bbox": {
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "alpha": 0.85,
                    "edgecolor": "none",
                },
            },
            required=True,
        )
        for mark in data.equilibria
    ]
    obstacles = [((m.position[0], m.position[1]), 9.5) for m in data.equilibria]
    obstacles += [((r.x, r.y), 5.0) for r in data.rest_points]
    obstacles.append((data.start, 5.0))
    lines = [list(zip(*data.replicator, strict=True)), list(zip(*data.fictitious, strict=True))]
    place_labels(figure, ax, labels, obstacles, lines)
    add_caption(figure.add_subplot(grid[1], label="caption"), "\n".join(data.caption))
    return figure


def _inward_places(x: float, y: float) -> tuple[tuple[float, float, str, str], ...]:
    """Label places beside a point, towards the inside of the unit square first."""
    sx = 1.0 if x < 0.5 else -1.0
    sy = 1.0 if y < 0.5 else -1.0
    out = []
    for dx, dy in ((sx, sy), (sx, -sy), (-sx, sy), (sx, 0.0), (0.0, sy), (-sx, -sy)):
        out.append(
            (
                13.0 * dx,
                13.0 * dy,
                "left" if dx > 0 else "right" if dx < 0 else "center",
                "bottom" if dy > 0 else "top" if dy < 0 else "center",
            )
        )
    return tuple(out)


def _ternary(figure: Figure, spec: Any, moves: Sequence[str], label: str) -> Any:
    """A ternary axes with the moves at the corners (top: first move)."""
    import mpltern  # noqa: F401  (registers the "ternary" projection)

    ax: Any = figure.add_subplot(spec, projection="ternary", label=label)
    wrapped = ["\n".join(textwrap.wrap(m.replace("_", " "), 14)) for m in moves]
    ax.set_tlabel(wrapped[0], fontsize=9)
    ax.set_llabel(wrapped[1], fontsize=9)
    ax.set_rlabel(wrapped[2], fontsize=9)
    for axis in (ax.taxis, ax.laxis, ax.raxis):
        axis.set_ticks([0.2, 0.4, 0.6, 0.8])
        axis.set_tick_params(label1On=False)  # grid lines only: mpltern's labels draw slowly
        axis.set_label_rotation_mode("horizontal")
    ax.grid(True, color="#DDDDDD", linewidth=0.6)
    return ax


def _equilibrium_marks(ax: Any, marks: Sequence[Any], ternary: bool) -> None:
    for mark in marks:
        if ternary:
            ax.scatter(
                [mark.position[0]],
                [mark.position[1]],
                [mark.position[2]],
                s=150,
                color=YELLOW,
                edgecolors="#A89A00",
                zorder=3,
                gid="equilibrium",
                clip_on=False,
            )
        else:
            ax.axhline(
                mark.position[0], color="#A89A00", linestyle=":", linewidth=1.2, gid="equilibrium"
            )


def simplex_figure(dynamics: LearningDynamics) -> Figure:
    """Each population's trajectory on its simplex (mpltern ternary axes), and the
    one-population field of a symmetric 3×3 game.

    Parameters
    ----------
    dynamics : LearningDynamics
        Learning dynamics of a two-player game with 2 or 3 moves per player, at least one
        player having 3.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per player (labelled with the player's name; ternary for three moves), a
        ``"one population"`` ternary axes for a symmetric 3×3 game, and ``"caption"``.

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.analysis.dynamics import learning_dynamics
    >>> game = Game.from_arrays([[2, 0, 1], [0, 1, 0]], [[1, 0, 3], [0, 2, 1]],
    ...                         players=("A", "B"))
    >>> figure = simplex_figure(learning_dynamics(game))
    >>> [ax.get_label() for ax in figure.axes], figure.axes[1].name
    (['A', 'B', 'legend', 'caption'], 'ternary')
    """
    from matplotlib.figure import Figure

    data = simplex_data(dynamics)
    panels = len(data.panels) + (data.symmetric is not None)
    notes = _caption_height(data.caption)
    width = 4.6 * panels + 0.6
    figure = Figure(figsize=(width, 6.4 + notes), layout="constrained")
    grid = figure.add_gridspec(3, panels, height_ratios=(4.8, 0.8, notes))
    for n, panel in enumerate(data.panels):
        if len(panel.moves) == 3:
            ax = _ternary(figure, grid[0, n], panel.moves, panel.player)
            _equilibrium_marks(ax, panel.equilibria, ternary=True)
            ax.plot(*panel.replicator, color=REPLICATOR_COLOUR, linewidth=2.4, gid="replicator")
            ax.plot(
                *panel.fictitious,
                color=FICTITIOUS_COLOUR,
                linewidth=1.6,
                linestyle="--",
                gid="fictitious-play",
            )
            start = [s[0] for s in panel.replicator]
            ax.plot(
                *[[v] for v in start],
                "s",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=BLACK,
                gid="start",
                clip_on=False,
            )
            for series, colour in (
                (panel.replicator, REPLICATOR_COLOUR),
                (panel.fictitious, FICTITIOUS_COLOUR),
            ):
                ax.plot(*[[s[-1]] for s in series], "o", color=colour, markersize=5, clip_on=False)
            ax.set_title(panel.player, fontsize=10, pad=28)
        else:
            ax = figure.add_subplot(grid[0, n], label=panel.player)
            _equilibrium_marks(ax, panel.equilibria, ternary=False)
            ax.plot(
                panel.times,
                panel.replicator[0],
                color=REPLICATOR_COLOUR,
                linewidth=2.4,
                gid="replicator",
            )
            ax.plot(
                [panel.times[0]],
                [panel.replicator[0][0]],
                "s",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=BLACK,
                gid="start",
                clip_on=False,
            )
            ax.set_ylim(-0.04, 1.04)
            ax.set_xlabel("time (replicator dynamics)", fontsize=9)
            ax.set_ylabel(f"P({panel.moves[0]})", fontsize=9)
            ax.set_title(panel.player, fontsize=10)
            ax.grid(True, alpha=0.3)
    if data.symmetric is not None:
        sym = data.symmetric
        ax = _ternary(figure, grid[0, panels - 1], sym.moves, "one population")
        _equilibrium_marks(ax, sym.equilibria, ternary=True)
        t, left, r = zip(*sym.points, strict=True)
        dt, dl, dr = zip(*sym.direction, strict=True)
        ax.quiver(t, left, r, dt, dl, dr, color="#999999", scale=16, width=0.005, gid="field")
        ax.plot(*sym.trajectory, color=REPLICATOR_COLOUR, linewidth=2.4, gid="replicator")
        ax.set_title("one population (symmetric game)", fontsize=10, pad=28)
    handles = _path_handles(data.start_label, "Nash equilibrium strategy", large=False)
    legend = figure.add_subplot(grid[1, :], label="legend")
    legend.set_axis_off()
    legend.legend(handles=handles, loc="center", ncols=2, frameon=False, fontsize=9)
    figure.suptitle(_title(data.title, "learning dynamics"), fontsize=11)
    add_caption(figure.add_subplot(grid[2, :], label="caption"), "\n".join(data.caption))
    return figure


def dynamics_figures(dynamics: LearningDynamics) -> dict[str, Figure]:
    """The figures that apply to the game, keyed by file stem: ``"phase_portrait"`` for a
    2×2 game, ``"simplex"`` when a player has three moves (and none more), else none.

    >>> from sim.game import Game
    >>> from sim.analysis.dynamics import learning_dynamics
    >>> game = Game.from_arrays([[1, 0, 0, 0]], [[0, 1, 0, 0]])
    >>> dynamics_figures(learning_dynamics(game, iterations=10))
    {}
    """
    shape = dynamics.replicator.game.shape
    if shape == (2, 2):
        return {"phase_portrait": phase_portrait_figure(dynamics)}
    if _simplex_shape(shape):
        return {"simplex": simplex_figure(dynamics)}
    return {}
