"""Parameter sweeps: solve a scenario exactly on a grid of one or two parameters.

A sweep answers "how does the equilibrium set move as an assumption changes?". Each axis
is a parameter with a range and a number of grid values; every grid point is solved
exactly (:meth:`sim.scenario.Scenario.with_parameters` then :func:`sim.solvers.solve`), and
the result records, per point, the :class:`~sim.analysis.structure.Structure` and every
extreme equilibrium.

Conventions:

* Grid values are exact: axis ``(name, low, high, steps)`` has the values
  ``low + k * (high - low) / (steps - 1)`` for ``k = 0 .. steps - 1`` (Fractions; a float
  bound is read as the decimal it prints as, ``0.1`` as 1/10).
* Points are in row-major order over the axes: with two axes the second varies fastest.
* Equilibria are numbered ``1, 2, ...`` at each point, in the solver's order.
* *Branches* connect equilibria at neighbouring grid points (one step along one axis) that
  use the same supports (the same moves with positive probability, for every player); at
  each pair of neighbouring points equilibria are paired one to one, nearest first. A
  branch therefore appears or disappears where the supports change. Along one axis a
  branch has at most one equilibrium per point, so it can be drawn as a line. Branches are
  numbered ``1, 2, ...`` in order of first appearance.
* For a two-player 2x2 game each point also records its *ordinal type*
  (:mod:`sim.analysis.taxonomy`): the Robinson–Goforth/Bruns code (``"Pd"``, ``"Pd|Ch"``),
  or ``"ties (...)"`` with the strict types it borders where payoffs tie. Regime maps can
  be coloured by it (:func:`sim.plot.sweep.regime_figure` with ``colour_by="type"``).

>>> from pathlib import Path
>>> from sim.scenario import load
>>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
>>> result = sweep(london, [("g_us", 0, 4, 5)])
>>> [str(v) for v in result.axes[0].values]
['0', '1', '2', '3', '4']
>>> [p.structure.game_type for p in result.points]
["prisoner's dilemma", "prisoner's dilemma", 'degenerate', 'one-sided dominance', \
'one-sided dominance']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from sim.analysis.structure import Structure, structure
from sim.analysis.taxonomy import ordinal_labels
from sim.errors import ExpressionError, SimError
from sim.expression import parse_number
from sim.game import Game, Value, exact_text
from sim.scenario import Scenario
from sim.solvers import Equilibrium, solve

__all__ = [
    "Axis",
    "AxisSpec",
    "SweepPoint",
    "SweepResult",
    "axis",
    "checked_axes",
    "exact_value",
    "sweep",
]

MAX_AXES = 2
"""Largest number of swept parameters."""
MAX_POINTS = 1_000_000
"""Largest number of grid points in one sweep."""
FIXED_COLUMNS = (
    "structure",
    "game_type",
    "equilibrium",
    "branch",
    "player",
    "move",
    "probability",
    "payoff",
    "exact_probability",
    "exact_payoff",
)
"""The columns of :meth:`SweepResult.rows` after one column per swept parameter."""
_ORDINAL_BATCH = 4096
"""Games per call of :func:`sim.analysis.taxonomy.ordinal_labels` during a sweep."""


def exact_value(value: Value | int | str, what: str = "value") -> Fraction:
    """A sweep bound as an exact number: ints and Fractions as they are, a float as the
    decimal it prints as, a string as a number literal (``"2/3"``, ``"2.5"``).

    >>> exact_value(0.1), exact_value("2/3"), exact_value(3)
    (Fraction(1, 10), Fraction(2, 3), Fraction(3, 1))
    """
    if isinstance(value, bool):
        raise SimError(f"{what} {value!r} is not a number; write e.g. 2, 2.5 or 2/3")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            raise SimError(f"{what} {value!r} is not a finite number")
        return Fraction(repr(float(value)))
    try:
        return parse_number(str(value))
    except ExpressionError as err:
        raise SimError(f"{what}: {err.message}") from None


@dataclass(frozen=True)
class Axis:
    """One swept parameter: ``steps`` exact values from ``low`` to ``high`` inclusive."""

    name: str
    low: Fraction
    high: Fraction
    steps: int

    @property
    def values(self) -> tuple[Fraction, ...]:
        """The grid values, ``low`` first and ``high`` last.

        >>> Axis("t", Fraction(0), Fraction(1), 4).values
        (Fraction(0, 1), Fraction(1, 3), Fraction(2, 3), Fraction(1, 1))
        """
        step = (self.high - self.low) / (self.steps - 1)
        return tuple(self.low + k * step for k in range(self.steps))

    def range_text(self) -> str:
        """``"low to high"`` with exact numbers, e.g. ``"0 to 4"``."""
        return f"{exact_text(self.low)} to {exact_text(self.high)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: bounds as floats and exact strings, the grid values."""
        return {
            "parameter": self.name,
            "low": float(self.low),
            "high": float(self.high),
            "exact_low": exact_text(self.low),
            "exact_high": exact_text(self.high),
            "steps": self.steps,
            "values": [float(v) for v in self.values],
            "exact_values": [exact_text(v) for v in self.values],
        }


AxisSpec = Axis | tuple[str, Value | int | str, Value | int | str, int]
"""An axis, or ``(name, low, high, steps)``."""


def axis(scenario: Scenario, spec: AxisSpec, *, min_steps: int = 2) -> Axis:
    """Check an axis specification against a scenario and return the :class:`Axis`.

    Raises :class:`SimError` for an unknown parameter (naming the valid ones), fewer than
    ``min_steps`` steps, or ``low >= high``.

    >>> from sim.game import Game
    >>> bare = Scenario.from_game(Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    >>> axis(bare, ("t", 0, 1, 3))
    Traceback (most recent call last):
    ...
    sim.errors.SimError: cannot sweep 't': this scenario has no parameters
    """
    low: Value | int | str
    high: Value | int | str
    if isinstance(spec, Axis):
        name, low, high, steps = spec.name, spec.low, spec.high, spec.steps
    else:
        if len(spec) != 4:
            raise SimError(f"an axis is (name, low, high, steps), got {spec!r}")
        name, low, high, steps = spec
    known = [p.name for p in scenario.parameters]
    if not known:
        raise SimError(f"cannot sweep {name!r}: this scenario has no parameters")
    if name not in known:
        raise SimError(f"unknown parameter {name!r} to sweep; parameters are {', '.join(known)}")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        raise SimError(f"steps for {name} must be a whole number, got {steps!r}")
    if steps < min_steps:
        raise SimError(f"steps for {name} must be at least {min_steps}, got {steps}")
    lo = exact_value(low, f"low end for {name}")
    hi = exact_value(high, f"high end for {name}")
    if lo >= hi:
        raise SimError(
            f"the range of {name} must have low < high, got {exact_text(lo)} to {exact_text(hi)}"
        )
    return Axis(name, lo, hi, int(steps))


@dataclass(frozen=True)
class SweepPoint:
    """One grid point: the parameter values, the structure, the equilibria and branches.

    ``branches[k]`` is the branch number of ``equilibria[k]``. ``ordinal`` is the ordinal
    type of the game at the point (:attr:`sim.analysis.taxonomy.OrdinalType.label`:
    ``"Pd"``, ``"Pd|Ch"`` or ``"ties (...)"``), None unless it is a two-player 2x2 game.
    """

    values: tuple[Fraction, ...]
    structure: Structure
    equilibria: tuple[Equilibrium, ...]
    branches: tuple[int, ...]
    ordinal: str | None = None


@dataclass(frozen=True)
class SweepResult:
    """The result of :func:`sweep` (conventions in the module docstring).

    Attributes
    ----------
    game : Game
        The scenario's game at its own parameter values (for player and move names).
    scenario : str
        The scenario's name.
    axes : tuple of Axis
        The swept parameters.
    fixed : Mapping
        The values of the parameters that were not swept.
    points : tuple of SweepPoint
        Row-major over the axes.
    origin : tuple
        The scenario's own values of the swept parameters (which need not be on the grid).
    """

    game: Game = field(repr=False)
    scenario: str
    axes: tuple[Axis, ...]
    fixed: Mapping[str, Value]
    points: tuple[SweepPoint, ...] = field(repr=False)
    origin: tuple[Value, ...] = ()

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of grid values per axis."""
        return tuple(a.steps for a in self.axes)

    def structures(self) -> tuple[Structure, ...]:
        """The distinct structures met, in order of first appearance."""
        return tuple(dict.fromkeys(p.structure for p in self.points))

    def structure_grid(self) -> np.ndarray:
        """Indices into :meth:`structures`, an int array of shape :attr:`shape`.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
        >>> result = sweep(london, [("g_cn", 2, 4, 3), ("g_us", 1, 3, 3)])
        >>> result.structure_grid()  # 0: prisoner's dilemma ... 5: stag hunt
        array([[0, 1, 2],
               [1, 3, 4],
               [2, 4, 5]])
        """
        index = {s: k for k, s in enumerate(self.structures())}
        flat = np.array([index[p.structure] for p in self.points], dtype=np.int64)
        return flat.reshape(self.shape)

    def ordinal_types(self) -> tuple[str, ...]:
        """The distinct ordinal types met (:attr:`SweepPoint.ordinal`), in order of first
        appearance; empty unless the game is two-player 2x2."""
        return tuple(dict.fromkeys(p.ordinal for p in self.points if p.ordinal is not None))

    def ordinal_grid(self) -> np.ndarray:
        """Indices into :meth:`ordinal_types`, an int array of shape :attr:`shape`.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
        >>> result = sweep(london, [("g_cn", 2, 4, 3), ("g_us", 1, 3, 3)])
        >>> result.ordinal_types()
        ('Pd', 'ties (Sh|Pd, Pd)', 'Sh|Pd', 'ties (Pd|Sh, Pd)', 'ties (Sh, Sh|Pd, Pd|Sh, Pd)', \
'ties (Sh, Sh|Pd)', 'Pd|Sh', 'ties (Sh, Pd|Sh)', 'Sh')
        >>> result.ordinal_grid()
        array([[0, 1, 2],
               [3, 4, 5],
               [6, 7, 8]])

        Raises :class:`SimError` when the sweep has no ordinal types (the game is not 2x2).
        """
        if any(p.ordinal is None for p in self.points):
            raise SimError(
                "this sweep has no ordinal game types: they are defined for two-player 2x2 "
                f"games, and this game has shape {self.game.shape}"
            )
        index: dict[str | None, int] = {label: k for k, label in enumerate(self.ordinal_types())}
        flat = np.array([index[p.ordinal] for p in self.points], dtype=np.int64)
        return flat.reshape(self.shape)

    def branch_count(self) -> int:
        """The number of branches."""
        return max((b for p in self.points for b in p.branches), default=0)

    def columns(self) -> tuple[str, ...]:
        """Column names of :meth:`rows`: the swept parameters, then :data:`FIXED_COLUMNS`."""
        return (*(a.name for a in self.axes), *FIXED_COLUMNS)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Tidy rows: one per point, equilibrium, player and move (for a CSV file).

        Each row has the swept parameters' values (floats), the structure label and game
        type, the equilibrium number at the point and its branch, the player and move, the
        move's probability and the player's expected payoff (floats), and both as exact
        ``"p/q"`` strings (empty for float games).
        """
        game = self.game
        for point in self.points:
            label = point.structure.label(game)
            kind = point.structure.game_type or ""
            values = {a.name: float(v) for a, v in zip(self.axes, point.values, strict=True)}
            for number, (eq, branch) in enumerate(
                zip(point.equilibria, point.branches, strict=True), start=1
            ):
                for player, name in enumerate(game.players):
                    payoff = eq.payoffs[player]
                    for move, probability in zip(
                        game.moves[player], eq.strategies[player], strict=True
                    ):
                        yield {
                            **values,
                            "structure": label,
                            "game_type": kind,
                            "equilibrium": number,
                            "branch": branch,
                            "player": name,
                            "move": move,
                            "probability": float(probability),
                            "payoff": float(payoff),
                            "exact_probability": exact_text(probability) or "",
                            "exact_payoff": exact_text(payoff) or "",
                        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: axes, fixed parameters, distinct structures, branches and points
        (each point with its ordinal type, None for a game that is not 2x2), and the
        distinct ordinal types with their point counts."""
        game = self.game
        structures = self.structures()
        index = {s: k for k, s in enumerate(structures)}
        counts = [0] * len(structures)
        for p in self.points:
            counts[index[p.structure]] += 1
        return {
            "scenario": self.scenario,
            "title": game.title,
            "players": list(game.players),
            "moves": [list(m) for m in game.moves],
            "axes": [
                {**a.to_dict(), "scenario_value": float(v), "exact_scenario_value": exact_text(v)}
                for a, v in zip(self.axes, self.origin, strict=True)
            ],
            "fixed": {
                name: {"value": float(v), "exact": exact_text(v)} for name, v in self.fixed.items()
            },
            "structures": [
                {**s.to_dict(game), "points": n} for s, n in zip(structures, counts, strict=True)
            ],
            "branches": self._branch_dicts(),
            "ordinal_types": [
                {"label": label, "points": n}
                for label, n in Counter(p.ordinal for p in self.points if p.ordinal).items()
            ],
            "points": [
                {
                    "values": [float(v) for v in p.values],
                    "exact_values": [exact_text(v) for v in p.values],
                    "structure": index[p.structure],
                    "ordinal_type": p.ordinal,
                    "equilibria": [
                        {"number": k, "branch": b, **e.to_dict()}
                        for k, (e, b) in enumerate(zip(p.equilibria, p.branches, strict=True), 1)
                    ],
                }
                for p in self.points
            ],
        }

    def _branch_dicts(self) -> list[dict[str, Any]]:
        game = self.game
        seen: dict[int, dict[str, Any]] = {}
        for p in self.points:
            for e, b in zip(p.equilibria, p.branches, strict=True):
                entry = seen.get(b)
                if entry is None:
                    supports = [
                        [game.moves[i][j] for j in e.support(i)] for i in range(game.n_players)
                    ]
                    entry = seen[b] = {
                        "branch": b,
                        "supports": supports,
                        "pure": e.is_pure,
                        "points": 0,
                        "first": [float(v) for v in p.values],
                        "last": [float(v) for v in p.values],
                    }
                entry["points"] += 1
                entry["last"] = [float(v) for v in p.values]
        return [seen[b] for b in sorted(seen)]


# ----------------------------------------------------------------------------- sweep
def checked_axes(
    scenario: Scenario, axes: Sequence[AxisSpec], columns: Sequence[str]
) -> tuple[Axis, ...]:
    """One or two valid, distinct axes whose names are not result ``columns``, within
    :data:`MAX_POINTS` points; a :class:`SimError` saying what to change otherwise."""
    if not 1 <= len(axes) <= MAX_AXES:
        raise SimError(f"sweep one or two parameters, got {len(axes)}")
    checked = tuple(axis(scenario, a) for a in axes)
    names = [a.name for a in checked]
    if len(set(names)) != len(names):
        raise SimError(f"parameter {names[0]!r} is swept twice; sweep two different parameters")
    clash = set(names) & set(columns)
    if clash:
        raise SimError(
            f"parameter {sorted(clash)[0]!r} has the name of a result column; rename it to sweep it"
        )
    total = int(np.prod([a.steps for a in checked]))
    if total > MAX_POINTS:
        raise SimError(f"the sweep has {total} points, over the limit of {MAX_POINTS}; use fewer")
    return checked


def sweep(scenario: Scenario, axes: Sequence[AxisSpec]) -> SweepResult:
    """Solve a scenario exactly at every point of a grid over one or two parameters.

    Parameters
    ----------
    scenario : Scenario
        The scenario; parameters not swept keep their values.
    axes : sequence of Axis or (name, low, high, steps)
        One or two axes with ``steps >= 2`` and ``low < high``.

    Returns
    -------
    SweepResult
        Per point the structure, the equilibria and their branches; tidy rows and a JSON
        dict.

    Raises
    ------
    SimError
        For an unknown parameter (the message lists the valid ones), a repeated parameter,
        ``steps < 2``, ``low >= high``, more than two axes or too many points, or a payoff
        that cannot be evaluated at some grid point.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> result = sweep(london, [("g_cn", 2, 4, 3), ("g_us", 1, 3, 3)])
    >>> result.shape
    (3, 3)
    >>> result.structures()[-1].label(london.game)
    'stag hunt: (ease_chip_controls, raise_re_exports) + (maintain_chip_controls, restrict_re) \
+ 1 mixed'
    >>> sweep(london, [("g", 0, 1, 3)])
    Traceback (most recent call last):
    ...
    sim.errors.SimError: unknown parameter 'g' to sweep; parameters are v_us, c_us, g_us, \
s_us, z_us, v_cn, c_cn, g_cn, s_cn, z_cn
    """
    checked = checked_axes(scenario, axes, FIXED_COLUMNS)
    names = [a.name for a in checked]
    grids = [a.values for a in checked]
    solved: list[tuple[tuple[Fraction, ...], Structure, tuple[Equilibrium, ...]]] = []
    two_by_two = scenario.game.shape == (2, 2)
    ordinal: list[str | None] = []
    pending: list[Game] = []  # 2x2 games whose ordinal types are computed in batches
    for values in product(*grids):
        game = scenario.with_parameters(**dict(zip(names, values, strict=True))).game
        # The complete set of extreme equilibria at every point (never "auto"'s fallback).
        solution = solve(game, "vertex-enumeration" if game.n_players == 2 else "pure")
        solved.append((tuple(values), structure(solution), solution.equilibria))
        if two_by_two:
            pending.append(game)
            if len(pending) >= _ORDINAL_BATCH:
                ordinal.extend(ordinal_labels(pending))
                pending.clear()
    if pending:
        ordinal.extend(ordinal_labels(pending))
    if not two_by_two:
        ordinal = [None] * len(solved)
    branches = _branches([eqs for _, _, eqs in solved], tuple(a.steps for a in checked))
    points = tuple(
        SweepPoint(values, found, eqs, branch, kind)
        for (values, found, eqs), branch, kind in zip(solved, branches, ordinal, strict=True)
    )
    own = scenario.parameter_values()
    fixed = {name: v for name, v in own.items() if name not in names}
    origin = tuple(own[name] for name in names)
    return SweepResult(scenario.game, scenario.name, checked, fixed, points, origin)


# -------------------------------------------------------------------------- branches
def _signature(eq: Equilibrium) -> tuple[tuple[int, ...], ...]:
    return tuple(eq.support(i) for i in range(len(eq.strategies)))


def _distance(a: Equilibrium, b: Equilibrium) -> float:
    return sum(
        abs(float(p) - float(q))
        for s, t in zip(a.strategies, b.strategies, strict=True)
        for p, q in zip(s, t, strict=True)
    )


def _pairs(first: Sequence[Equilibrium], second: Sequence[Equilibrium]) -> list[tuple[int, int]]:
    """One-to-one pairs of equilibria with equal supports, nearest first."""
    candidates = sorted(
        (_distance(a, b), i, j)
        for i, a in enumerate(first)
        for j, b in enumerate(second)
        if _signature(a) == _signature(b)
    )
    used_first: set[int] = set()
    used_second: set[int] = set()
    out = []
    for _, i, j in candidates:
        if i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            out.append((i, j))
    return out


def _branches(
    equilibria: Sequence[Sequence[Equilibrium]], shape: tuple[int, ...]
) -> list[tuple[int, ...]]:
    """Branch numbers per point and equilibrium (see the module docstring)."""
    offsets = [0]
    for eqs in equilibria:
        offsets.append(offsets[-1] + len(eqs))
    parent = list(range(offsets[-1]))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    strides = [int(np.prod(shape[d + 1 :])) for d in range(len(shape))]
    for flat, index in enumerate(np.ndindex(*shape)):
        for d, stride in enumerate(strides):
            if index[d] + 1 < shape[d]:
                other = flat + stride
                for i, j in _pairs(equilibria[flat], equilibria[other]):
                    a, b = find(offsets[flat] + i), find(offsets[other] + j)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    numbers: dict[int, int] = {}
    out = []
    for flat, eqs in enumerate(equilibria):
        row = []
        for k in range(len(eqs)):
            root = find(offsets[flat] + k)
            row.append(numbers.setdefault(root, len(numbers) + 1))
        out.append(tuple(row))
    return out
