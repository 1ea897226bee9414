"""Figures of parameter sweeps: the bifurcation plot (one parameter) and the regime map (two).

As in :mod:`sim.plot.figures`, each figure is drawn from a plain frozen dataset computed
first (:func:`bifurcation_data`, :func:`regime_data`; tested value by value), matplotlib is
imported only inside the drawing functions, and every function returns a new
:class:`matplotlib.figure.Figure` (saving it is the caller's job).

Conventions:

* **Bifurcation plot.** One panel per player shows the probability of each of its moves on
  every branch of equilibria (a player with two moves gets one line per branch, the
  probability of its first move: the other is one minus it), and a last panel shows each
  player's expected payoff. Each branch has one colour in every panel; moves are told
  apart by line style in the probability panels, players in the payoff panel. Flip
  thresholds, when given, are vertical grey lines labelled with their values.
* **Regime map.** Grid cells are coloured by equilibrium structure; the legend gives each
  structure's label (:meth:`~sim.analysis.structure.Structure.label`) and its share of the
  grid. Structures that are degenerate games get greys, which keeps the lines where the
  structure changes visible without taking the eye from the regimes. Flip thresholds
  along one parameter, computed with the other at the scenario's own value, are marked
  as crosses on a dashed guide line through that value. With ``colour_by="type"`` the
  cells of a 2x2 game are coloured by its ordinal game type instead
  (:mod:`sim.analysis.taxonomy`: the Robinson–Goforth table with Bruns' codes, e.g.
  ``"Pd: Prisoner's Dilemma"``, ``"Sh|Pd: US Stag Hunt, China Prisoner's Dilemma"``); the
  lines of tied payoffs between types get the greys.
* **Subgame-perfect sweeps** (:func:`sim.analysis.spe_sweep.spe_sweep`) of a game tree get
  the same regime map over two parameters (:func:`spe_regime_figure`), its regimes the
  subgame-perfect outcomes; ties (several outcomes subgame perfect, ``"A or B"``) get the
  greys. Over one parameter (:func:`spe_outcome_figure`) a strip shows the outcome at each
  grid value, in the same colours, above each path's subgame-perfect payoffs (one line
  style per player, one colour per path), with the exact thresholds as vertical lines.

>>> from pathlib import Path
>>> from sim.scenario import load
>>> from sim.analysis.sweep import sweep
>>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
>>> data = bifurcation_data(sweep(london.with_parameters(g_cn=4), [("g_us", 0, 4, 5)]))
>>> for branch in data.branches:
...     print(branch.branch, branch.x, branch.label)
1 (0.0, 1.0, 2.0, 3.0, 4.0) (maintain_chip_controls, restrict_re)
2 (2.0, 3.0, 4.0) (ease_chip_controls, raise_re_exports)
3 (2.0,) mixed: {ease_chip_controls, maintain_chip_controls} × {raise_re_exports}
4 (3.0, 4.0) fully mixed
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import cycle, pairwise
from typing import TYPE_CHECKING, Any, Literal

from sim.analysis.spe_sweep import SpeSweep
from sim.analysis.structure import profile_text
from sim.analysis.subgame_thresholds import SpeFlips
from sim.analysis.sweep import Axis, SweepResult
from sim.analysis.taxonomy import label_text
from sim.analysis.thresholds import Thresholds
from sim.errors import SimError
from sim.game import Value
from sim.plot.figures import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
)
from sim.solvers import Equilibrium

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "COLOUR_BY",
    "TIES_LABEL",
    "TYPE_COLOURS",
    "TYPE_LEGEND",
    "BifurcationData",
    "BranchLine",
    "CrossingMark",
    "PayoffLine",
    "Regime",
    "RegimeData",
    "SpeOutcomeData",
    "ThresholdMark",
    "bifurcation_data",
    "bifurcation_figure",
    "regime_data",
    "regime_figure",
    "spe_outcome_data",
    "spe_outcome_figure",
    "spe_regime_data",
    "spe_regime_figure",
    "spe_sweep_figures",
    "sweep_figures",
]

BRANCH_COLOURS = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK, YELLOW)
"""Colours of branches and regimes, in order (Okabe-Ito)."""
DEGENERATE_COLOURS = ("#BBBBBB", "#999999", "#DDDDDD", "#777777")
"""Greys for the structures of degenerate games on a regime map."""
TYPE_COLOURS = (
    *BRANCH_COLOURS,
    "#CC6677",
    "#332288",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
"""Colours of ordinal game types on a regime map: Okabe-Ito, then Paul Tol's muted."""
COLOUR_BY = ("structure", "type")
"""What a regime map can be coloured by: the equilibrium structure or the ordinal type."""
TYPE_LEGEND = "ordinal game type (Robinson–Goforth; Bruns' codes, row|column)"
"""Legend title of a regime map coloured by ordinal game type."""
TIES_LABEL = "tied payoffs: not one of the 144 strict types (the boundaries between them)"
"""The one regime of all games with ties on a map coloured by ordinal game type."""
MOVE_STYLES: tuple[Literal["-", "--", ":", "-."], ...] = ("-", "--", ":", "-.")
"""Line styles of a player's moves (probability panels) or of the players (payoff panel)."""
LEGEND_WIDTH = 46
"""Characters per line of a legend entry."""


@dataclass(frozen=True)
class ThresholdMark:
    """A flip threshold to draw: where, and its label (``"g_us = 2"``, ``"t ≈ 1.414"``)."""

    value: float
    label: str


@dataclass(frozen=True)
class BranchLine:
    """One branch of equilibria along the swept parameter.

    ``probabilities[i][j][k]`` is the probability of player ``i``'s move ``j`` at the
    branch's ``k``-th point ``x[k]``; ``payoffs[i][k]`` is player ``i``'s expected payoff.
    """

    branch: int
    label: str
    pure: bool
    x: tuple[float, ...]
    probabilities: tuple[tuple[tuple[float, ...], ...], ...]
    payoffs: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class BifurcationData:
    """What the bifurcation figure shows (see the module docstring).

    ``shown_moves[i]`` are the moves of player ``i`` that get a line.
    """

    title: str
    parameter: str
    low: float
    high: float
    players: tuple[str, ...]
    moves: tuple[tuple[str, ...], ...]
    shown_moves: tuple[tuple[int, ...], ...]
    branches: tuple[BranchLine, ...]
    thresholds: tuple[ThresholdMark, ...]


@dataclass(frozen=True)
class Regime:
    """One structure on a regime map: its grid index, label, share of cells and colour."""

    index: int
    label: str
    share: float
    colour: str


@dataclass(frozen=True)
class CrossingMark:
    """A flip threshold on a regime map: the point ``(x, y)`` and its label.

    ``along`` is the parameter the threshold was found along (the other one is at the
    scenario's own value, on a guide line).
    """

    x: float
    y: float
    label: str
    along: str


@dataclass(frozen=True)
class RegimeData:
    """What the regime map shows.

    ``grid[r][c]`` is the regime index of the cell at ``x[c]``, ``y[r]``; ``x_edges`` and
    ``y_edges`` are the cell boundaries (midway between grid values, extended by half a
    step at the ends). ``guides`` are the lines ``("x", value)`` (vertical) or
    ``("y", value)`` (horizontal) along which ``crossings`` were found.
    """

    title: str
    x_parameter: str
    y_parameter: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    x_edges: tuple[float, ...]
    y_edges: tuple[float, ...]
    grid: tuple[tuple[int, ...], ...]
    regimes: tuple[Regime, ...]
    guides: tuple[tuple[str, float], ...] = ()
    crossings: tuple[CrossingMark, ...] = ()


@dataclass(frozen=True)
class PayoffLine:
    """The payoffs of one subgame-perfect path of play over a run of consecutive grid values
    where it is subgame perfect (a path can have several runs).

    ``payoffs[i][k]`` is player ``i``'s payoff at ``x[k]``.
    """

    label: str
    colour: str
    x: tuple[float, ...]
    payoffs: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class SpeOutcomeData:
    """What the subgame-perfect outcome figure of a one-parameter sweep shows.

    ``cells[k]`` is the regime (outcome) index at grid value ``x[k]``; ``edges`` are the
    cell boundaries, as on a regime map. ``lines`` are the paths' payoffs, ``thresholds``
    the exact flip thresholds over the axis.
    """

    title: str
    parameter: str
    low: float
    high: float
    players: tuple[str, ...]
    x: tuple[float, ...]
    edges: tuple[float, ...]
    cells: tuple[int, ...]
    regimes: tuple[Regime, ...]
    lines: tuple[PayoffLine, ...]
    thresholds: tuple[ThresholdMark, ...]


def _threshold_marks(
    parameter: str, found: Thresholds | SpeFlips | None
) -> tuple[ThresholdMark, ...]:
    if found is None:
        return ()
    if found.parameter != parameter:
        raise SimError(
            f"the thresholds are for {found.parameter}, but the sweep is over {parameter}"
        )
    return tuple(
        ThresholdMark(
            float(t.value),
            f"{parameter} = {t.text()}" if t.exact else f"{parameter} {t.text()}",
        )
        for t in found.thresholds
    )


def bifurcation_data(result: SweepResult, thresholds: Thresholds | None = None) -> BifurcationData:
    """The dataset of :func:`bifurcation_figure` for a one-parameter sweep.

    A pure branch is labelled with its profile, a mixed one ``"fully mixed"`` when every
    player uses all its moves, otherwise with each player's support, e.g.
    ``"mixed: {a, b} × {x, y}"``.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.sweep import sweep
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> data = bifurcation_data(sweep(london.with_parameters(g_cn=4), [("g_us", 0, 4, 5)]))
    >>> mixed = data.branches[3]  # China raises with probability c_us / g_us
    >>> mixed.x, [round(p, 4) for p in mixed.probabilities[1][0]]
    ((3.0, 4.0), [0.6667, 0.5])
    """
    if len(result.axes) != 1:
        raise SimError(
            f"a bifurcation plot needs a one-parameter sweep; this one has {len(result.axes)}"
        )
    game = result.game
    (swept,) = result.axes
    collected: dict[int, list[tuple[float, Equilibrium]]] = {}
    for point in result.points:
        for eq, branch in zip(point.equilibria, point.branches, strict=True):
            collected.setdefault(branch, []).append((float(point.values[0]), eq))
    lines = []
    for branch in sorted(collected):
        entries = collected[branch]
        eqs = [eq for _, eq in entries]
        first = eqs[0]
        supports = [first.support(i) for i in range(game.n_players)]
        pure = all(len(s) == 1 for s in supports)
        if pure:
            label = profile_text(game, tuple(s[0] for s in supports))
        elif all(len(s) == k for s, k in zip(supports, game.shape, strict=True)):
            label = "fully mixed"
        else:
            label = "mixed: " + " × ".join(
                "{" + ", ".join(game.moves[i][j] for j in s) + "}" for i, s in enumerate(supports)
            )
        lines.append(
            BranchLine(
                branch=branch,
                label=label,
                pure=pure,
                x=tuple(x for x, _ in entries),
                probabilities=tuple(
                    tuple(tuple(float(e.strategies[i][j]) for e in eqs) for j in range(k))
                    for i, k in enumerate(game.shape)
                ),
                payoffs=tuple(
                    tuple(float(e.payoffs[i]) for e in eqs) for i in range(game.n_players)
                ),
            )
        )
    shown = tuple((0,) if k == 2 else tuple(range(k)) for k in game.shape)
    return BifurcationData(
        title=game.title,
        parameter=swept.name,
        low=float(swept.low),
        high=float(swept.high),
        players=game.players,
        moves=game.moves,
        shown_moves=shown,
        branches=tuple(lines),
        thresholds=_threshold_marks(swept.name, thresholds),
    )


def _edges(values: tuple[float, ...]) -> tuple[float, ...]:
    middles = [(a + b) / 2 for a, b in pairwise(values)]
    first = values[0] - (middles[0] - values[0])
    last = values[-1] + (values[-1] - middles[-1])
    return (first, *middles, last)


def regime_data(
    result: SweepResult, thresholds: Sequence[Thresholds] = (), *, colour_by: str = "structure"
) -> RegimeData:
    """The dataset of :func:`regime_figure` for a two-parameter sweep.

    The first swept parameter is on the x axis, the second on the y axis. With
    ``colour_by="structure"`` (the default) regimes are the distinct structures in order of
    first appearance; structures of degenerate games get greys, the others the colours of
    :data:`BRANCH_COLOURS` in turn. With ``colour_by="type"`` (2x2 games only) regimes are
    the distinct strict ordinal game types
    (:meth:`~sim.analysis.sweep.SweepResult.ordinal_types`) in order of first appearance,
    labelled by :func:`sim.analysis.taxonomy.label_text` and coloured with
    :data:`TYPE_COLOURS` in turn, then one grey regime, :data:`TIES_LABEL`, for every game
    with tied payoffs (which strict types each borders is in the sweep's ordinal types).
    ``thresholds`` along either parameter (found with the other at the scenario's own
    value) become crossings, when that value is inside the map.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.sweep import sweep
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> result = sweep(london, [("g_cn", 2, 4, 3), ("g_us", 1, 3, 3)])
    >>> data = regime_data(result)
    >>> data.grid[0], data.x_edges
    ((0, 1, 2), (1.5, 2.5, 3.5, 4.5))
    >>> [(r.label.split(":")[0], round(r.share, 3)) for r in data.regimes][-1]
    ('stag hunt', 0.111)
    >>> by_type = regime_data(result, colour_by="type")
    >>> [r.label.split(":")[0] for r in by_type.regimes]
    ['Pd', 'Sh|Pd', 'Pd|Sh', 'Sh', 'tied payoffs']
    >>> by_type.grid  # rows g_us = 1, 2, 3; columns g_cn = 2, 3, 4 (ties at g_us = 2, g_cn = 3)
    ((0, 4, 2), (4, 4, 4), (1, 4, 3))
    """
    if len(result.axes) != 2:
        raise SimError(f"a regime map needs a two-parameter sweep; this one has {len(result.axes)}")
    if colour_by not in COLOUR_BY:
        raise SimError(
            f"cannot colour a regime map by {colour_by!r}; use one of {', '.join(COLOUR_BY)}"
        )
    game = result.game
    regimes = []
    if colour_by == "type":
        labels = result.ordinal_types()
        strict = [k for k, label in enumerate(labels) if not label.startswith("ties")]
        tied = [k for k, label in enumerate(labels) if label.startswith("ties")]
        order = {old: new for new, old in enumerate(strict)}
        order.update({old: len(strict) for old in tied})  # all ties are one regime
        raw = result.ordinal_grid()
        grid = raw.copy()
        for old, new in order.items():
            grid[raw == old] = new
        total = grid.size
        colours = cycle(TYPE_COLOURS)
        for k, old in enumerate(strict):
            share = float((grid == k).sum()) / total
            text = label_text(labels[old], game.players)
            regimes.append(Regime(k, text, share, next(colours)))
        if tied:
            share = float((grid == len(strict)).sum()) / total
            regimes.append(Regime(len(strict), TIES_LABEL, share, DEGENERATE_COLOURS[0]))
    else:
        structures = result.structures()
        grid = result.structure_grid()  # shape (x steps, y steps)
        total = grid.size
        colours = cycle(BRANCH_COLOURS)
        greys = cycle(DEGENERATE_COLOURS)
        for k, found in enumerate(structures):
            colour = next(greys) if found.game_type == "degenerate" else next(colours)
            share = float((grid == k).sum()) / total
            regimes.append(Regime(k, found.label(game), share, colour))
    x_axis, y_axis = result.axes
    x = tuple(float(v) for v in x_axis.values)
    y = tuple(float(v) for v in y_axis.values)
    guides, crossings = _crossings(x_axis, y_axis, result.origin, thresholds)
    return RegimeData(
        title=game.title,
        x_parameter=x_axis.name,
        y_parameter=y_axis.name,
        x=x,
        y=y,
        x_edges=_edges(x),
        y_edges=_edges(y),
        grid=tuple(tuple(int(v) for v in row) for row in grid.T),
        regimes=tuple(regimes),
        guides=guides,
        crossings=crossings,
    )


def _spe_colours(result: SpeSweep) -> dict[str, str]:
    """A colour per outcome label (ties grey) and per path label, in order of appearance."""
    tied = set(result.ties())
    colours = cycle(BRANCH_COLOURS)
    greys = cycle(DEGENERATE_COLOURS)
    out = {label: next(greys) if label in tied else next(colours) for label in result.outcomes()}
    for point in result.points:
        for play in point.plays:
            if play.label not in out:
                out[play.label] = next(colours)
    return out


def _spe_regimes(result: SpeSweep, colours: dict[str, str]) -> tuple[Regime, ...]:
    grid = result.outcome_grid()
    return tuple(
        Regime(k, label, float((grid == k).sum()) / grid.size, colours[label])
        for k, label in enumerate(result.outcomes())
    )


def spe_regime_data(result: SpeSweep) -> RegimeData:
    """The dataset of :func:`spe_regime_figure` for a two-parameter subgame-perfect sweep.

    As :func:`regime_data`, with the subgame-perfect outcomes as regimes (in order of first
    appearance; ties greys, the others the colours of :data:`BRANCH_COLOURS` in turn) and
    the sweep's exact thresholds along each parameter as crossings.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.spe_sweep import spe_sweep
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> data = spe_regime_data(spe_sweep(london, [("a_us", 0, 6, 7), ("k_us", 0, 8, 9)]))
    >>> [r.label for r in data.regimes]  # doctest: +NORMALIZE_WHITESPACE
    ['ease_chip_controls → raise_re_exports',
     'ease_chip_controls → raise_re_exports or maintain_chip_controls',
     'maintain_chip_controls']
    >>> data.grid[4]  # k_us = 4: snap-back is credible once a_us > 2 (a tie at 2)
    (2, 2, 1, 0, 0, 0, 0)
    >>> [(m.x, m.y, m.label) for m in data.crossings]
    [(2.0, 4.0, 'a_us = 2'), (1.0, 3.0, 'k_us = 3')]
    """
    if len(result.axes) != 2:
        raise SimError(
            "a subgame-perfect regime map needs a two-parameter sweep; this one has "
            f"{len(result.axes)}"
        )
    regimes = _spe_regimes(result, _spe_colours(result))
    x_axis, y_axis = result.axes
    x = tuple(float(v) for v in x_axis.values)
    y = tuple(float(v) for v in y_axis.values)
    guides, crossings = _crossings(x_axis, y_axis, result.origin, result.thresholds)
    return RegimeData(
        title=result.title,
        x_parameter=x_axis.name,
        y_parameter=y_axis.name,
        x=x,
        y=y,
        x_edges=_edges(x),
        y_edges=_edges(y),
        grid=tuple(tuple(int(v) for v in row) for row in result.outcome_grid().T),
        regimes=regimes,
        guides=guides,
        crossings=crossings,
    )


def spe_outcome_data(result: SpeSweep) -> SpeOutcomeData:
    """The dataset of :func:`spe_outcome_figure` for a one-parameter subgame-perfect sweep.

    Regimes and colours are those of :func:`spe_regime_data`. Each path of play gets a
    payoff line per run of consecutive grid values where it is subgame perfect (at a tie
    both paths' lines reach the tied value), in the colour of its outcome; a path that is
    subgame perfect only in ties gets a colour of its own.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.spe_sweep import spe_sweep
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> data = spe_outcome_data(spe_sweep(london, [("c_us", 0, 8, 9)]))
    >>> data.cells, [m.label for m in data.thresholds]
    ((0, 0, 0, 1, 2, 2, 1, 0, 0), ['c_us = 3', 'c_us = 6'])
    >>> for line in data.lines:
    ...     print(line.label, line.x, line.payoffs[0])
    maintain_chip_controls (0.0, 1.0, 2.0, 3.0) (-1.0, -1.0, -1.0, -1.0)
    ease_chip_controls → raise_re_exports (3.0, 4.0, 5.0, 6.0) (2.0, 1.0, 0.0, -1.0)
    maintain_chip_controls (6.0, 7.0, 8.0) (-1.0, -1.0, -1.0)
    """
    if len(result.axes) != 1:
        raise SimError(
            "a subgame-perfect outcome figure needs a one-parameter sweep; this one has "
            f"{len(result.axes)}"
        )
    (swept,) = result.axes
    colours = _spe_colours(result)
    x = tuple(float(v) for v in swept.values)
    open_runs: dict[str, list[tuple[float, tuple[float, ...]]]] = {}
    runs: list[tuple[str, list[tuple[float, tuple[float, ...]]]]] = []
    for value, point in zip(x, result.points, strict=True):
        here: dict[str, tuple[float, ...]] = {}
        for play in point.plays:
            here.setdefault(play.label, tuple(float(v) for v in play.payoffs))
        for label in [k for k in open_runs if k not in here]:
            del open_runs[label]
        for label, payoffs in here.items():
            if label not in open_runs:
                open_runs[label] = []
                runs.append((label, open_runs[label]))
            open_runs[label].append((value, payoffs))
    lines = tuple(
        PayoffLine(
            label,
            colours[label],
            tuple(v for v, _ in entries),
            tuple(tuple(p[i] for _, p in entries) for i in range(len(result.players))),
        )
        for label, entries in runs
    )
    flips = result.thresholds[0] if result.thresholds else None
    return SpeOutcomeData(
        title=result.title,
        parameter=swept.name,
        low=float(swept.low),
        high=float(swept.high),
        players=result.players,
        x=x,
        edges=_edges(x),
        cells=tuple(int(v) for v in result.outcome_grid()),
        regimes=_spe_regimes(result, colours),
        lines=lines,
        thresholds=_threshold_marks(swept.name, flips),
    )


def _crossings(
    x_axis: Axis,
    y_axis: Axis,
    origin: Sequence[Value],
    thresholds: Sequence[Thresholds | SpeFlips],
) -> tuple[tuple[tuple[str, float], ...], tuple[CrossingMark, ...]]:
    """The guide lines and crossings of thresholds along either axis of a regime map (each
    found with the other parameter at the scenario's value ``origin``), when that value is
    inside the map."""
    guides: list[tuple[str, float]] = []
    crossings: list[CrossingMark] = []
    for flip in thresholds:
        if flip.parameter == x_axis.name:
            other, low, high, direction = origin[1], y_axis.low, y_axis.high, "y"
        elif flip.parameter == y_axis.name:
            other, low, high, direction = origin[0], x_axis.low, x_axis.high, "x"
        else:
            raise SimError(
                f"the thresholds are for {flip.parameter}, but the map is over "
                f"{x_axis.name} and {y_axis.name}"
            )
        if not low <= other <= high:
            continue
        guides.append((direction, float(other)))
        for mark in _threshold_marks(flip.parameter, flip):
            point = (mark.value, float(other)) if direction == "y" else (float(other), mark.value)
            crossings.append(CrossingMark(*point, mark.label, flip.parameter))
    return tuple(guides), tuple(crossings)


def _wrap(text: str, width: int = LEGEND_WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _share_text(share: float) -> str:
    """A share of the grid as a percentage; ``"<1%"`` rather than ``"0%"`` for a few cells."""
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _title(title: str, kind: str) -> str:
    return _wrap(f"{title}: {kind}" if title else kind[:1].upper() + kind[1:], 80)


# ---------------------------------------------------------------------------- drawing
def bifurcation_figure(result: SweepResult, thresholds: Thresholds | None = None) -> Figure:
    """Equilibrium probabilities and payoffs along a one-parameter sweep, branch by branch.

    Parameters
    ----------
    result : SweepResult
        A sweep over one parameter (:func:`sim.analysis.sweep.sweep`).
    thresholds : Thresholds, optional
        Flip thresholds over the same parameter (:func:`sim.analysis.thresholds.thresholds`),
        drawn as vertical lines.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per player (probabilities) and one for expected payoffs, sharing the x
        axis; the legend is below them.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.sweep import sweep
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> figure = bifurcation_figure(sweep(london, [("g_us", 0, 4, 9)]))
    >>> [" ".join(ax.get_ylabel().split()) for ax in figure.axes]
    ['US: P(ease_chip_controls)', 'China: P(raise_re_exports)', 'expected payoff']
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    data = bifurcation_data(result, thresholds)
    panels = len(data.players) + 1
    figure = Figure(figsize=(9.0, 2.4 * panels + 1.2), layout="constrained")
    axes = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    handles: list[Line2D] = []
    for n, line in enumerate(data.branches):
        colour = BRANCH_COLOURS[n % len(BRANCH_COLOURS)]
        marker = "o" if len(line.x) == 1 else None
        width = 3.0 if line.pure else 2.0
        for i, moves in enumerate(data.shown_moves):
            for m, j in enumerate(moves):
                axes[i].plot(
                    line.x,
                    line.probabilities[i][j],
                    color=colour,
                    linestyle=MOVE_STYLES[m % len(MOVE_STYLES)],
                    linewidth=width,
                    alpha=0.85,
                    marker=marker,
                    gid=f"branch-{line.branch}",
                )
        for i in range(len(data.players)):
            axes[-1].plot(
                line.x,
                line.payoffs[i],
                color=colour,
                linestyle=MOVE_STYLES[i % len(MOVE_STYLES)],
                linewidth=width,
                alpha=0.85,
                marker=marker,
                gid=f"payoff-{line.branch}",
            )
        handles.append(
            Line2D([], [], color=colour, linewidth=width, label=_wrap(line.label, LEGEND_WIDTH))
        )
    for i, (player, moves) in enumerate(zip(data.players, data.shown_moves, strict=True)):
        ax = axes[i]
        ax.set_ylim(-0.05, 1.05)
        if len(moves) == 1:
            ax.set_ylabel(f"{player}:\nP({data.moves[i][moves[0]]})", fontsize=9)
        else:
            ax.set_ylabel(f"{player}:\nP(move)", fontsize=9)
            for m, j in enumerate(moves):
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=GREY,
                        linestyle=MOVE_STYLES[m % len(MOVE_STYLES)],
                        label=f"{player}: {data.moves[i][j]}",
                    )
                )
    axes[-1].set_ylabel("expected payoff")
    axes[-1].set_xlabel(data.parameter)
    for i, player in enumerate(data.players):
        handles.append(
            Line2D(
                [],
                [],
                color=GREY,
                linestyle=MOVE_STYLES[i % len(MOVE_STYLES)],
                label=f"payoff: {player}",
            )
        )
    for ax in axes:
        ax.set_xlim(data.low, data.high)
        ax.grid(True, alpha=0.3)
        for mark in data.thresholds:
            ax.axvline(mark.value, color=GREY, linestyle="--", linewidth=1.0, gid="threshold")
    for mark in data.thresholds:
        axes[0].annotate(
            mark.label,
            (mark.value, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=GREY,
        )
    figure.suptitle(_title(data.title, f"equilibria as {data.parameter} varies"))
    figure.legend(handles=handles, loc="outside lower center", frameon=False, fontsize=9, ncols=2)
    return figure


def regime_figure(
    result: SweepResult, thresholds: Sequence[Thresholds] = (), *, colour_by: str = "structure"
) -> Figure:
    """A map of the equilibrium structure (or ordinal game type) over two parameters.

    Parameters
    ----------
    result : SweepResult
        A sweep over two parameters; the first is on the x axis.
    thresholds : sequence of Thresholds, optional
        Flip thresholds along either parameter, drawn as crosses on a guide line through
        the scenario's value of the other parameter.
    colour_by : {"structure", "type"}, optional
        Colour the cells by equilibrium structure (default) or, for a 2x2 game, by ordinal
        game type (Robinson–Goforth/Bruns, :mod:`sim.analysis.taxonomy`).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the coloured grid; the legend (one entry per structure or type, with
        its share of the grid) is below it.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.sweep import sweep
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> figure = regime_figure(sweep(london, [("g_cn", 0, 4, 5), ("z_cn", 0, 8, 5)]))
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('g_cn', 'z_cn')
    """
    data = regime_data(result, thresholds, colour_by=colour_by)
    if colour_by == "type":
        kind = f"ordinal game type over {data.x_parameter} and {data.y_parameter}"
        return _regime_map(data, TYPE_LEGEND, kind)
    kind = f"equilibrium structure over {data.x_parameter} and {data.y_parameter}"
    return _regime_map(data, "equilibrium structure", kind)


def _regime_map(data: RegimeData, legend_title: str, kind: str) -> Figure:
    """Draw a regime map: the coloured grid, guides, crossings, legend and title."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = len(data.regimes)
    figure = Figure(figsize=(8.0, 6.0 + 0.32 * rows), layout="constrained")
    ax = figure.add_subplot()
    colours = ListedColormap([r.colour for r in data.regimes])
    ax.pcolormesh(
        data.x_edges,
        data.y_edges,
        np.array(data.grid),
        cmap=colours,
        vmin=-0.5,
        vmax=rows - 0.5,
        shading="flat",
        gid="regimes",
    )
    for direction, value in data.guides:
        draw = ax.axhline if direction == "y" else ax.axvline
        draw(value, color=BLACK, linestyle="--", linewidth=0.8, alpha=0.7, gid="guide")
    for mark in data.crossings:
        ax.plot(
            mark.x,
            mark.y,
            marker="X",
            markersize=9,
            color=BLACK,
            markeredgecolor="white",
            linestyle="none",
            gid="threshold",
        )
        ax.annotate(
            mark.label,
            (mark.x, mark.y),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "lw": 0},
        )
    ax.set_xlabel(data.x_parameter)
    ax.set_ylabel(data.y_parameter)
    ax.set_xlim(data.x_edges[0], data.x_edges[-1])
    ax.set_ylim(data.y_edges[0], data.y_edges[-1])
    handles: list[Any] = [
        Patch(
            facecolor=r.colour,
            edgecolor="#444444",
            linewidth=0.5,
            label=f"{_wrap(r.label, 70)} ({_share_text(r.share)} of grid)",
        )
        for r in data.regimes
    ]
    if data.crossings:
        handles.append(
            Line2D(
                [],
                [],
                marker="X",
                color=BLACK,
                markeredgecolor="white",
                markersize=9,
                linestyle="--",
                linewidth=0.8,
                label="flip threshold along one parameter, the other at the scenario's value",
            )
        )
    figure.legend(
        handles=handles,
        loc="outside lower center",
        frameon=False,
        fontsize=9,
        ncols=1,
        title=legend_title,
    )
    figure.suptitle(_title(data.title, kind))
    return figure


def spe_regime_figure(result: SpeSweep) -> Figure:
    """A map of the subgame-perfect outcome of a game tree over two parameters.

    Parameters
    ----------
    result : SpeSweep
        A subgame-perfect sweep over two parameters (:func:`sim.analysis.spe_sweep.spe_sweep`);
        the first is on the x axis.

    Returns
    -------
    matplotlib.figure.Figure
        The look of :func:`regime_figure`: one axes with the coloured grid, the exact
        thresholds along each parameter (the other at the scenario's value) as crosses on
        guide lines, and the legend (one entry per outcome, with its share of the grid)
        below.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.spe_sweep import spe_sweep
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> figure = spe_regime_figure(spe_sweep(london, [("a_us", 0, 6, 4), ("k_us", 0, 8, 5)]))
    >>> figure.axes[0].get_xlabel(), figure.legends[0].get_title().get_text()
    ('a_us', 'subgame-perfect outcome')
    """
    return _regime_map(
        spe_regime_data(result), "subgame-perfect outcome", "subgame-perfect outcome"
    )


THRESHOLD_LABEL_GAP = 0.12
"""Threshold labels closer than this share of the axis are stacked, not side by side."""


def _label_levels(values: Sequence[float], span: float) -> list[int]:
    """A stacking level per threshold label (0, 1, 2) so that close labels do not collide."""
    levels: list[int] = []
    for k, value in enumerate(values):
        level = 0
        while any(
            levels[j] == level and abs(values[j] - value) < THRESHOLD_LABEL_GAP * span
            for j in range(k)
        ):
            level += 1
        levels.append(level)
    return levels


def spe_outcome_figure(result: SpeSweep) -> Figure:
    """Which outcome of a game tree is subgame perfect along one parameter, and its payoffs.

    Parameters
    ----------
    result : SpeSweep
        A subgame-perfect sweep over one parameter (:func:`sim.analysis.spe_sweep.spe_sweep`).

    Returns
    -------
    matplotlib.figure.Figure
        A strip (axes labelled ``"outcomes"``) coloured by the outcome at each grid value,
        above the payoffs of each subgame-perfect path (axes ``"payoffs"``), sharing the x
        axis; the exact thresholds are vertical lines labelled above the strip
        (``"c_us = 3"``), the legend is below.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.spe_sweep import spe_sweep
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> figure = spe_outcome_figure(spe_sweep(london, [("c_us", 0, 8, 17)]))
    >>> [ax.get_label() for ax in figure.axes], [t.get_text() for t in figure.axes[0].texts]
    (['outcomes', 'payoffs'], ['c_us = 3', 'c_us = 6'])
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    data = spe_outcome_data(result)
    shown = {r.label for r in data.regimes}
    extra = list(dict.fromkeys(line.label for line in data.lines if line.label not in shown))
    entries = len(data.regimes) + len(extra) + len(data.players)
    figure = Figure(figsize=(9.0, 5.6 + 0.3 * entries), layout="constrained")
    strip, payoffs = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": (1, 5)}, squeeze=True
    )
    strip.set_label("outcomes")
    payoffs.set_label("payoffs")
    rows = len(data.regimes)
    strip.pcolormesh(
        data.edges,
        (0.0, 1.0),
        np.array([data.cells]),
        cmap=ListedColormap([r.colour for r in data.regimes]),
        vmin=-0.5,
        vmax=rows - 0.5,
        shading="flat",
        gid="outcomes",
    )
    strip.set_yticks([])
    strip.set_ylabel("outcome", fontsize=9)
    for n, line in enumerate(data.lines):
        marker = "o" if len(line.x) == 1 else None
        for i in range(len(data.players)):
            payoffs.plot(
                line.x,
                line.payoffs[i],
                color=line.colour,
                linestyle=MOVE_STYLES[i % len(MOVE_STYLES)],
                linewidth=2.5,
                alpha=0.9,
                marker=marker,
                gid=f"payoff-{n + 1}",
            )
    payoffs.set_ylabel("payoff on the subgame-perfect path")
    payoffs.set_xlabel(data.parameter)
    payoffs.grid(True, alpha=0.3)
    for ax in (strip, payoffs):
        ax.set_xlim(data.edges[0], data.edges[-1])
        for mark in data.thresholds:
            ax.axvline(mark.value, color=BLACK, linestyle="--", linewidth=1.0, gid="threshold")
    levels = _label_levels([m.value for m in data.thresholds], data.edges[-1] - data.edges[0])
    for mark, level in zip(data.thresholds, levels, strict=True):
        strip.annotate(
            mark.label,
            (mark.value, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3 + 12 * level),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            gid="threshold-label",
        )
    handles: list[Any] = [
        Patch(
            facecolor=r.colour,
            edgecolor="#444444",
            linewidth=0.5,
            label=f"{_wrap(r.label, 70)} ({_share_text(r.share)} of grid)",
        )
        for r in data.regimes
    ]
    colour = {line.label: line.colour for line in data.lines}
    handles.extend(
        Line2D(
            [],
            [],
            color=colour[label],
            linewidth=2.5,
            label=f"{_wrap(label, 70)} (subgame perfect only in ties)",
        )
        for label in extra
    )
    handles.extend(
        Line2D(
            [],
            [],
            color=GREY,
            linestyle=MOVE_STYLES[i % len(MOVE_STYLES)],
            label=f"payoff: {player}",
        )
        for i, player in enumerate(data.players)
    )
    figure.legend(
        handles=handles,
        loc="outside lower center",
        frameon=False,
        fontsize=9,
        ncols=1,
        title="subgame-perfect outcome",
    )
    figure.suptitle(_title(data.title, f"subgame-perfect outcome as {data.parameter} varies"))
    return figure


def spe_sweep_figures(result: SpeSweep) -> dict[str, Figure]:
    """The figures of a subgame-perfect sweep, keyed by file stem.

    A one-parameter sweep gets ``"spe_outcomes"`` (:func:`spe_outcome_figure`), a
    two-parameter sweep ``"spe_regime_map"`` (:func:`spe_regime_figure`).

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.spe_sweep import spe_sweep
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> sorted(spe_sweep_figures(spe_sweep(london, [("a_us", 0, 6, 3)])))
    ['spe_outcomes']
    """
    if len(result.axes) == 1:
        return {"spe_outcomes": spe_outcome_figure(result)}
    return {"spe_regime_map": spe_regime_figure(result)}


def sweep_figures(
    result: SweepResult, thresholds: Sequence[Thresholds] = (), *, colour_by: str = "structure"
) -> dict[str, Figure]:
    """The figures of a sweep, keyed by file stem.

    A one-parameter sweep gets ``"bifurcation"`` (with the thresholds over its parameter,
    if given), a two-parameter sweep ``"regime_map"`` (with thresholds along either axis,
    coloured by ``colour_by``, see :func:`regime_figure`; a one-parameter sweep ignores it).

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> from sim.analysis.sweep import sweep
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> sorted(sweep_figures(sweep(london, [("g_us", 0, 4, 3)])))
    ['bifurcation']
    """
    if len(result.axes) == 1:
        name = result.axes[0].name
        matching = [t for t in thresholds if t.parameter == name]
        return {"bifurcation": bifurcation_figure(result, matching[0] if matching else None)}
    return {"regime_map": regime_figure(result, thresholds, colour_by=colour_by)}
