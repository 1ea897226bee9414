"""Subgame-perfect sweeps: the backward-induction outcome of a game tree on a parameter grid.

A subgame-perfect sweep answers design questions such as "in which region of the
``(a_us, k_us)`` plane is snap-back credible?", that is, which path of play is subgame
perfect (Selten 1965) at each point. For a tree with perfect information the pure
subgame-perfect equilibria are those backward induction finds (Osborne & Rubinstein, *A
Course in Game Theory*, 1994, prop. 99.2), keeping every tie-break as
:func:`sim.analysis.subgame.subgame_perfect` does. Each grid point is solved exactly: the
tree is re-evaluated there (:meth:`sim.tree.Tree.evaluated`, which is what
:meth:`sim.scenario.Scenario.with_parameters` does to it) and solved by backward induction.
Exact thresholds along each swept parameter, the other parameters at the scenario's values,
come from :func:`sim.analysis.subgame_thresholds.spe_thresholds`.

Conventions:

* Grids are those of :func:`sim.analysis.sweep.sweep` (the same axes, checks and limits):
  exact values, points in row-major order over the axes, the second axis varying fastest.
* A *play* is one subgame-perfect path of play at a point: its label (the moves along it,
  :func:`sim.analysis.subgame.outcome_label`, e.g. ``"ease_chip_controls →
  raise_re_exports"``) and each player's payoff (expected over chance). Equilibria that
  differ only off the path are one play.
* A point's *outcome* is the labels of its plays, sorted and joined by ``" or "``: exactly
  :func:`sim.analysis.subgame.spe_outcomes` of the tree there. An outcome with several plays
  is a *tie*: a mover is indifferent somewhere and each tie-break is subgame perfect.
* ``thresholds[k]`` are the exact flip thresholds along ``axes[k]`` over the axis's range,
  with every other parameter (the other swept one included) at the scenario's value.

>>> from pathlib import Path
>>> from sim.scenario import load
>>> root = Path(__file__).resolve().parents[2]
>>> london = load(root / "scenarios" / "london_snap_back.yaml")
>>> result = spe_sweep(london, [("a_us", 0, 6, 4), ("k_us", 0, 8, 3)])
>>> for label in result.outcomes():
...     print(label)
ease_chip_controls → raise_re_exports
maintain_chip_controls
ease_chip_controls → raise_re_exports or maintain_chip_controls
>>> result.outcome_grid()  # rows: a_us = 0, 2, 4, 6; columns: k_us = 0, 4, 8
array([[0, 1, 1],
       [0, 2, 1],
       [0, 0, 1],
       [0, 0, 2]])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from sim.analysis.subgame import spe_plays
from sim.analysis.subgame_thresholds import SpeFlips, spe_thresholds
from sim.analysis.sweep import Axis, AxisSpec, checked_axes
from sim.errors import SimError
from sim.game import Value, exact_text, value_text
from sim.scenario import Scenario
from sim.tree import Tree

__all__ = [
    "SPE_COLUMNS",
    "SpePlay",
    "SpePoint",
    "SpeSweep",
    "spe_sweep",
]

SPE_COLUMNS = ("outcome", "path", "player", "payoff", "exact_payoff")
"""The columns of :meth:`SpeSweep.rows` after one column per swept parameter."""


@dataclass(frozen=True)
class SpePlay:
    """One subgame-perfect path of play at a point: its moves as a label and its payoffs."""

    label: str
    payoffs: tuple[Value, ...]


@dataclass(frozen=True)
class SpePoint:
    """One grid point: the parameter values, the outcome label and its plays (by label)."""

    values: tuple[Fraction, ...]
    outcome: str
    plays: tuple[SpePlay, ...]

    @property
    def tie(self) -> bool:
        """True when several paths of play are subgame perfect here."""
        return len(self.plays) > 1


@dataclass(frozen=True)
class SpeSweep:
    """The result of :func:`spe_sweep` (conventions in the module docstring).

    Attributes
    ----------
    scenario : str
        The scenario's name.
    title : str
        Its title.
    players : tuple of str
        The players, in payoff order.
    axes : tuple of Axis
        The swept parameters.
    fixed : Mapping
        The values of the parameters that were not swept.
    points : tuple of SpePoint
        Row-major over the axes.
    origin : tuple
        The scenario's own values of the swept parameters (which need not be on the grid).
    at_origin : str
        The outcome at the scenario's own values.
    thresholds : tuple of SpeFlips
        ``thresholds[k]``: exact flip thresholds along ``axes[k]``, over its range, the
        other parameters at the scenario's values.
    """

    scenario: str
    title: str
    players: tuple[str, ...]
    axes: tuple[Axis, ...]
    fixed: Mapping[str, Value]
    points: tuple[SpePoint, ...] = field(repr=False)
    origin: tuple[Value, ...]
    at_origin: str
    thresholds: tuple[SpeFlips, ...] = field(repr=False)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of grid values per axis."""
        return tuple(a.steps for a in self.axes)

    def outcomes(self) -> tuple[str, ...]:
        """The distinct outcome labels, in order of first appearance."""
        return tuple(dict.fromkeys(p.outcome for p in self.points))

    def ties(self) -> tuple[str, ...]:
        """The outcomes that are ties (several paths of play subgame perfect), in order."""
        tied = {p.outcome for p in self.points if p.tie}
        return tuple(o for o in self.outcomes() if o in tied)

    def outcome_grid(self) -> np.ndarray:
        """Indices into :meth:`outcomes`, an int array of shape :attr:`shape`.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> root = Path(__file__).resolve().parents[2]
        >>> london = load(root / "scenarios" / "london_snap_back.yaml")
        >>> spe_sweep(london, [("c_us", 0, 8, 9)]).outcome_grid()  # ties at 3 and 6
        array([0, 0, 0, 1, 2, 2, 1, 0, 0])
        """
        index = {label: k for k, label in enumerate(self.outcomes())}
        flat = np.array([index[p.outcome] for p in self.points], dtype=np.int64)
        return flat.reshape(self.shape)

    def columns(self) -> tuple[str, ...]:
        """Column names of :meth:`rows`: the swept parameters, then :data:`SPE_COLUMNS`."""
        return (*(a.name for a in self.axes), *SPE_COLUMNS)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Tidy rows: one per point, subgame-perfect path of play and player (for a CSV file).

        Each row has the swept parameters' values (floats), the point's outcome label, the
        path's label, the player, and the player's payoff on that path as a float and as an
        exact ``"p/q"`` string (empty for float payoffs).
        """
        for point in self.points:
            values = {a.name: float(v) for a, v in zip(self.axes, point.values, strict=True)}
            for play in point.plays:
                for name, payoff in zip(self.players, play.payoffs, strict=True):
                    yield {
                        **values,
                        "outcome": point.outcome,
                        "path": play.label,
                        "player": name,
                        "payoff": float(payoff),
                        "exact_payoff": exact_text(payoff) or "",
                    }

    def sentences(self) -> tuple[str, ...]:
        """The sweep in plain language: how often each outcome holds on the grid, the outcome
        at the scenario's own values, and where it flips along each parameter.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> root = Path(__file__).resolve().parents[2]
        >>> london = load(root / "scenarios" / "london_snap_back.yaml")
        >>> for sentence in spe_sweep(london, [("a_us", 0, 6, 7)]).sentences()[:3]:
        ...     print(sentence)
        Over 7 values of a_us from 0 to 6 (the other parameters at the scenario's values), \
the subgame-perfect outcome is maintain_chip_controls at 2 of 7 points, \
ease_chip_controls → raise_re_exports or maintain_chip_controls (a tie: each is subgame \
perfect) at 1 of 7 points, and ease_chip_controls → raise_re_exports at 4 of 7 points.
        At the scenario's own value (a_us = 1) the subgame-perfect outcome is \
maintain_chip_controls.
        The subgame-perfect outcome is maintain_chip_controls when a_us < 2, and \
ease_chip_controls → raise_re_exports when a_us > 2 (swept range 0 to 6).
        """
        total = len(self.points)
        counts: dict[str, int] = {}
        for p in self.points:
            counts[p.outcome] = counts.get(p.outcome, 0) + 1
        tied = set(self.ties())
        if len(self.axes) == 1:
            (only,) = self.axes
            where = f"{only.steps} values of {only.name} from {only.range_text()}"
        else:
            where = f"a {' × '.join(str(a.steps) for a in self.axes)} grid of " + " and ".join(
                f"{a.name} ({a.range_text()})" for a in self.axes
            )
        parts = [
            f"{label}{' (a tie: each is subgame perfect)' if label in tied else ''} at "
            f"{n} of {total} points"
            for label, n in counts.items()
        ]
        if len(parts) == 1:
            listed = f"{next(iter(counts))} at every point"
        else:
            listed = ", ".join(parts[:-1]) + ", and " + parts[-1]
        out = [
            f"Over {where} (the other parameters at the scenario's values), the "
            f"subgame-perfect outcome is {listed}."
        ]
        own = ", ".join(
            f"{a.name} = {value_text(v)}" for a, v in zip(self.axes, self.origin, strict=True)
        )
        noun = "value" if len(self.axes) == 1 else "values"
        out.append(
            f"At the scenario's own {noun} ({own}) the subgame-perfect outcome is {self.at_origin}."
        )
        if len(self.axes) == 1:
            out.extend(self.thresholds[0].sentences() if self.thresholds else ())
            return tuple(out)
        for k, flips in enumerate(self.thresholds):
            other = self.axes[1 - k]
            said = flips.sentences()
            first = said[0][:1].lower() + said[0][1:]
            out.append(
                f"Along {self.axes[k].name}, with {other.name} at the scenario's value "
                f"{value_text(self.origin[1 - k])}: {first}"
            )
            if flips.method == "bisection":
                out.append(said[-1])
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: axes, fixed parameters, distinct outcomes, thresholds, points, sentences."""
        outcomes = self.outcomes()
        index = {label: k for k, label in enumerate(outcomes)}
        counts = [0] * len(outcomes)
        for p in self.points:
            counts[index[p.outcome]] += 1
        tied = set(self.ties())
        return {
            "scenario": self.scenario,
            "title": self.title,
            "players": list(self.players),
            "axes": [
                {**a.to_dict(), "scenario_value": float(v), "exact_scenario_value": exact_text(v)}
                for a, v in zip(self.axes, self.origin, strict=True)
            ],
            "fixed": {
                name: {"value": float(v), "exact": exact_text(v)} for name, v in self.fixed.items()
            },
            "at_origin": self.at_origin,
            "outcomes": [
                {
                    "outcome": label,
                    "tie": label in tied,
                    "points": n,
                    "share": n / len(self.points),
                }
                for label, n in zip(outcomes, counts, strict=True)
            ],
            "thresholds": [f.to_dict() for f in self.thresholds],
            "points": [
                {
                    "values": [float(v) for v in p.values],
                    "exact_values": [exact_text(v) for v in p.values],
                    "outcome": index[p.outcome],
                    "plays": [
                        {
                            "path": play.label,
                            "payoffs": [float(v) for v in play.payoffs],
                            "exact_payoffs": _exact(play.payoffs),
                        }
                        for play in p.plays
                    ],
                }
                for p in self.points
            ],
            "sentences": list(self.sentences()),
        }


# ----------------------------------------------------------------------------- sweep
def spe_sweep(scenario: Scenario, axes: Sequence[AxisSpec]) -> SpeSweep:
    """The subgame-perfect outcome of a game tree at every point of a grid of one or two
    parameters, with exact flip thresholds along each.

    Parameters
    ----------
    scenario : Scenario
        A sequential scenario whose tree has perfect information; parameters not swept
        keep their values.
    axes : sequence of Axis or (name, low, high, steps)
        One or two axes with ``steps >= 2`` and ``low < high``, as for
        :func:`sim.analysis.sweep.sweep`.

    Returns
    -------
    SpeSweep
        Per point the outcome and its plays with their payoffs; the distinct outcomes, an
        outcome grid, tidy rows, sentences and a JSON dict.

    Raises
    ------
    SimError
        If the scenario has no game tree or its tree has imperfect information; for the
        axis problems :func:`sim.analysis.sweep.sweep` rejects (an unknown parameter, a
        repeated one, ``steps < 2``, ``low >= high``, more than two axes, too many points);
        or if the tree cannot be evaluated at some grid point.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> result = spe_sweep(london, [("a_us", 0, 6, 4)])
    >>> [(str(p.values[0]), p.outcome) for p in result.points]  # doctest: +NORMALIZE_WHITESPACE
    [('0', 'maintain_chip_controls'),
     ('2', 'ease_chip_controls → raise_re_exports or maintain_chip_controls'),
     ('4', 'ease_chip_controls → raise_re_exports'),
     ('6', 'ease_chip_controls → raise_re_exports')]
    >>> [play.payoffs for play in result.points[2].plays]
    [(Fraction(3, 1), Fraction(4, 1))]
    >>> [t.text() for t in result.thresholds[0].thresholds]
    ['2']
    >>> spe_sweep(load(root / "scenarios" / "london_talks.yaml"), [("g_us", 0, 4, 3)])
    Traceback (most recent call last):
    ...
    sim.errors.SimError: scenario 'london_talks' is a normal-form game, not a game tree; \
subgame-perfect sweeps need a sequential scenario (kind: sequential). Use \
sim.analysis.sweep.sweep for the equilibria of a normal-form game
    """
    tree = _checked_tree(scenario)
    checked = _checked_axes(scenario, axes)
    names = [a.name for a in checked]
    own = scenario.parameter_values()
    points = []
    for values in product(*(a.values for a in checked)):
        at = dict(zip(names, values, strict=True))
        outcome, plays = _solve(tree, {**own, **at}, at)
        points.append(SpePoint(tuple(values), outcome, plays))
    at_origin, _ = _solve(tree, own, {})
    flips = tuple(spe_thresholds(scenario, a.name, a.low, a.high) for a in checked)
    return SpeSweep(
        scenario=scenario.name,
        title=scenario.title,
        players=tree.players,
        axes=checked,
        fixed={name: v for name, v in own.items() if name not in names},
        points=tuple(points),
        origin=tuple(own[name] for name in names),
        at_origin=at_origin,
        thresholds=flips,
    )


def _checked_tree(scenario: Scenario) -> Tree:
    tree = scenario.tree
    if tree is None:
        raise SimError(
            f"scenario {scenario.name!r} is a {scenario.kind.replace('_', '-')} game, not a "
            "game tree; subgame-perfect sweeps need a sequential scenario (kind: sequential). "
            "Use sim.analysis.sweep.sweep for the equilibria of a normal-form game"
        )
    if not tree.perfect_information:
        names = [s.name for s in tree.information_sets if len(s.nodes) > 1]
        raise SimError(
            "subgame-perfect sweeps need perfect information (backward induction); "
            f"information sets {', '.join(names)} join several nodes. Sweep the Nash "
            "equilibria of the strategic form instead (sim.analysis.sweep.sweep)"
        )
    return tree


def _checked_axes(scenario: Scenario, axes: Sequence[AxisSpec]) -> tuple[Axis, ...]:
    """The checks of :func:`sim.analysis.sweep.sweep`, with this module's columns."""
    return checked_axes(scenario, axes, SPE_COLUMNS)


def _solve(
    tree: Tree, env: Mapping[str, Value], at: Mapping[str, Fraction]
) -> tuple[str, tuple[SpePlay, ...]]:
    """Backward induction on the tree at ``env``: the outcome label and its plays."""
    try:
        evaluated = tree.evaluated(env)
    except SimError as err:
        where = ", ".join(f"{k} = {exact_text(v)}" for k, v in at.items())
        raise SimError(f"cannot solve the tree at {where or 'the scenario values'}: {err}") from err
    ordered = spe_plays(evaluated)
    outcome = " or ".join(dict.fromkeys(label for label, _ in ordered))
    return outcome, tuple(SpePlay(label, payoffs) for label, payoffs in ordered)


def _exact(values: Sequence[Value]) -> list[str] | None:
    texts = [exact_text(v) for v in values]
    return None if None in texts else [t for t in texts if t is not None]
