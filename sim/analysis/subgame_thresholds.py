"""Subgame-perfect flip thresholds: where the backward-induction outcome of a tree changes.

For a tree with perfect information and one parameter ``t`` moved over ``[low, high]``
(the other parameters keep their values), :func:`spe_thresholds` splits the range into open
intervals on which the subgame-perfect outcomes stay the same, and finds the values between
them where they change, exactly, in sentences such as "The subgame-perfect outcome is
maintain_chip_controls when a_us < 2, and ease_chip_controls → raise_re_exports when
a_us > 2".

Conventions, for the whole module:

* An *outcome* is the path of play of a pure subgame-perfect equilibrium (SPE; Selten
  1965): the nodes reached with positive probability, as
  :attr:`~sim.analysis.subgame.SubgamePerfectEquilibrium.path`, hence the moves along it.
  Equilibria that differ only off the path have the same outcome. The outcomes at a value of
  ``t`` are those of every tie-break, as :func:`~sim.analysis.subgame.subgame_perfect` keeps
  them.
* *Pieces* are consecutive open intervals of ``t``; *thresholds* are the points between
  them. Ends of the range are not thresholds: the outcomes exactly at ``low`` and ``high``
  are ``start`` and ``end``.
* At a threshold a mover is *indifferent* (a *tie*) when two of its moves are worth the
  same to it there although they are different functions of ``t`` (ties that hold for every
  ``t`` are not listed). A tie is *decisive* when making the mover take one tied move, or
  the other, gives different outcomes.

Method, in steps (``method == "polynomial"``), backward induction (Osborne & Rubinstein,
*A Course in Game Theory*, 1994, prop. 99.2) done once for whole intervals of ``t``:

1. **Polynomials.** When every terminal payoff and chance probability is a polynomial in
   ``t`` (decided from its syntax, :func:`sim.analysis.thresholds._degree`), each is
   interpolated exactly, in rational arithmetic, at ``degree + 1`` values and checked at one
   more.
2. **Backward induction on a partition.** The partition starts from the real roots of the
   probabilities. On each of its open intervals take a rational point ``x`` (the simplest
   fraction well inside) and solve the tree at ``x`` with polynomials, keeping every
   tie-break as :func:`~sim.analysis.subgame.subgame_perfect` does: a node's *continuations*
   are the subgame-perfect plays below it, each a path and polynomial payoffs per player; a
   chance node combines one continuation per outcome (every combination) and sums
   probability times value; a decision node, for every combination of one continuation per
   move, keeps the moves worth most to its mover at ``x`` (all of them on ties).
   Continuations with the same path are the same, so they are listed once. The *critical
   polynomials* are the differences, in the mover's value, between a kept move and any
   other of the same combination.
3. **Refine until nothing is new.** The real roots of the critical polynomials in
   ``[low, high]`` join the partition (exact when rational; otherwise isolated with Sturm
   sequences to within 1e-12, relative to the root beyond 1, as
   :func:`sim.analysis.thresholds._roots` does; equal roots of
   different polynomials merged, :func:`sim.analysis.thresholds._separate`) and step 2 is
   repeated until it finds no new critical polynomial. Then, from the terminals up, every
   node keeps the same continuations on the whole of each interval: its children's are the
   same there and no comparison that decides what it keeps changes sign inside. There are
   finitely many continuations, so this ends (in practice after a round per tree level).
4. **Solve at each root**, exactly: rational roots in rational arithmetic, irrational ones
   by the signs of polynomials at the root (:class:`sim.analysis.thresholds._RealRoot`).
   Roots where the outcomes are the same on both sides and at the root are dropped;
   neighbouring intervals with the same outcomes merge into one piece. A payoff along a
   path is the same polynomial on every interval, so pieces give it as a formula in ``t``.
5. **Ties** at each threshold: the decision nodes whose kept moves there have different
   polynomials; each is *decisive* when solving with the mover held to each tied move gives
   different outcomes.

When some formula is not a polynomial in ``t`` (``t`` in a denominator or an exponent,
``min``, ``max`` or ``abs`` of it), a value is not exact, or the degree is above
:data:`~sim.analysis.thresholds.MAX_DEGREE`, the method is ``"bisection"``: the tree is solved
(with :meth:`sim.tree.Tree.evaluated`) at ``grid`` equally spaced exact values; every change
between neighbours is bisected in exact arithmetic to within 1e-12
(:func:`sim.analysis.thresholds._width`), and the simplest fraction in the final bracket is
solved too, so that a rational threshold with a small denominator is found exactly (with
its outcomes and ties there). Changes closer together than the grid spacing can be missed;
the result and its sentences say so.

>>> from pathlib import Path
>>> from sim.scenario import load
>>> root = Path(__file__).resolve().parents[2]
>>> london = load(root / "scenarios" / "london_snap_back.yaml")
>>> result = spe_thresholds(london, "a_us", 0, 6)
>>> [(t.text(), [tie.where for tie in t.ties if tie.decisive]) for t in result.thresholds]
[('2', ['after ease_chip_controls, restrict_re'])]
>>> [[o.text() for o in piece.outcomes] for piece in result.pieces]
[['maintain_chip_controls'], ['ease_chip_controls → raise_re_exports']]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, Generic, TypeVar

from sim.analysis.subgame import terminal_text
from sim.analysis.sweep import exact_value
from sim.analysis.thresholds import (
    MAX_DEGREE,
    Poly,
    _degree,
    _evaluate,
    _interpolate,
    _monic,
    _multiply,
    _negate,
    _RealRoot,
    _Root,
    _roots,
    _separate,
    _sign,
    _simplest_inside,
    _subtract,
    _trim,
    _width,
)
from sim.certificate import compare
from sim.errors import ExpressionError, SimError, SolverError
from sim.expression import Expression, evaluate
from sim.game import Value, exact_text, value_text
from sim.scenario import Scenario
from sim.tree import Tree
from sim.wording import listing

__all__ = [
    "DEFAULT_GRID",
    "MAX_COMBINATIONS",
    "SpeFlips",
    "SpeOutcome",
    "SpePiece",
    "SpeThreshold",
    "SpeTie",
    "spe_flip_thresholds",
    "spe_thresholds",
]

DEFAULT_GRID = 129
"""Grid values solved by the bisection method."""
MAX_COMBINATIONS = 100_000
"""Most combinations of the children's continuations (tie-breaks below) at one node;
beyond, :class:`~sim.errors.SimError` (ties that multiply that much are not listed)."""
MAX_ROUNDS = 1_000
"""Most refinement rounds of the polynomial method (it needs about one per tree level)."""


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class SpeOutcome:
    """One subgame-perfect outcome: a path of play and its payoffs.

    Attributes
    ----------
    path : tuple of int
        The nodes reached with positive probability, root first (node indices).
    nodes : tuple of str
        Their names.
    moves : tuple of str
        The move taken at each decision node of the path, in node order; also, at a chance
        node some of whose outcomes have probability 0, the others (joined by ``/``).
    ending : str
        Where play ends, in words (the terminal's description or name; ``""`` when the
        terminals reached are unnamed).
    formulas : tuple of str or None
        Each player's payoff as a formula in the parameter (polynomial method, on pieces);
        None elsewhere.
    payoffs : tuple of Fraction or float
        Each player's payoff at the piece's ``point`` (or at the threshold; floats at an
        irrational threshold or when the tree's values are floats).
    chance : bool
        True when the path crosses a chance node (the payoffs are expected values).
    """

    path: tuple[int, ...]
    nodes: tuple[str, ...]
    moves: tuple[str, ...]
    ending: str
    formulas: tuple[str, ...] | None
    payoffs: tuple[Value, ...]
    chance: bool = False

    def text(self) -> str:
        """The moves along the path, e.g. ``"ease_chip_controls → raise_re_exports"``.

        >>> SpeOutcome((0, 2), ("start", "out"), ("stay_out",), "", None, ()).text()
        'stay_out'
        """
        return " → ".join(self.moves) if self.moves else "(no move)"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: path, moves, ending, formulas and payoffs (floats and exact strings)."""
        texts = [exact_text(v) for v in self.payoffs]
        return {
            "path": list(self.nodes),
            "moves": list(self.moves),
            "text": self.text(),
            "ending": self.ending,
            "chance": self.chance,
            "formulas": list(self.formulas) if self.formulas is not None else None,
            "payoffs": [float(v) for v in self.payoffs],
            "exact_payoffs": None if None in texts else texts,
        }


@dataclass(frozen=True)
class SpePiece:
    """An open interval ``(low, high)`` of the parameter and the outcomes on all of it.

    ``low`` and ``high`` are the neighbouring thresholds' values (or the ends of the range);
    ``point`` is the exact value inside where the payoffs of ``outcomes`` are given.
    """

    low: Fraction | float
    high: Fraction | float
    point: Fraction
    outcomes: tuple[SpeOutcome, ...]

    @property
    def paths(self) -> frozenset[tuple[int, ...]]:
        """The outcomes' paths (what identifies the outcomes)."""
        return frozenset(o.path for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the interval, the point and the outcomes."""
        return {
            "low": float(self.low),
            "high": float(self.high),
            "exact_low": _exact_or_none(self.low),
            "exact_high": _exact_or_none(self.high),
            "point": float(self.point),
            "exact_point": exact_text(self.point),
            "outcomes": [o.to_dict() for o in self.outcomes],
        }


@dataclass(frozen=True)
class SpeTie:
    """A decision node where the mover is indifferent between moves at a threshold.

    ``where`` is the history text of the node (:meth:`sim.tree.Tree.history_text`),
    ``moves`` the tied moves; ``decisive`` says whether which of them the mover takes
    changes the outcomes (see the module docstring).
    """

    node: int
    name: str
    where: str
    player: str
    moves: tuple[str, ...]
    decisive: bool

    def text(self) -> str:
        """``"US is indifferent between snap_back and accept after ease, restrict"``."""
        return f"{self.player} is indifferent between {listing(self.moves)} {self.where}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the node, where it is, the player, the tied moves."""
        return {
            "node": self.name,
            "where": self.where,
            "player": self.player,
            "moves": list(self.moves),
            "decisive": self.decisive,
            "text": self.text(),
        }


@dataclass(frozen=True)
class SpeThreshold:
    """A value of the parameter where the subgame-perfect outcomes change.

    Attributes
    ----------
    parameter : str
        The moved parameter.
    value : Fraction or float
        The threshold: a Fraction when exact, else a float within 1e-12 of it.
    exact : bool
        True when ``value`` is the threshold exactly.
    bounds : (Fraction, Fraction)
        An interval that contains the threshold (``(value, value)`` when exact).
    polynomial : str
        For an irrational threshold of the polynomial method, the polynomial in the
        parameter it is the root of in ``bounds`` (``""`` otherwise).
    ties : tuple of SpeTie
        The nodes whose comparison ties there (empty when unknown: approximate thresholds
        of the bisection method).
    at : tuple of SpeOutcome or None
        The outcomes exactly at the threshold (exact also at irrational roots of the
        polynomial method); None when unknown.
    """

    parameter: str
    value: Fraction | float
    exact: bool
    bounds: tuple[Fraction, Fraction]
    polynomial: str
    ties: tuple[SpeTie, ...]
    at: tuple[SpeOutcome, ...] | None

    def text(self) -> str:
        """The value for people: ``"2"``, ``"5/2"`` or ``"≈1.41421356237"``.

        >>> SpeThreshold("t", Fraction(5, 2), True, (Fraction(5, 2),) * 2, "", (), ()).text()
        '5/2'
        """
        return _number_text(self.value, self.exact)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the value (float, and exact string when exact), ties and outcomes."""
        return {
            "parameter": self.parameter,
            "value": float(self.value),
            "exact_value": exact_text(self.value) if self.exact else None,
            "exact": self.exact,
            "text": self.text(),
            "bounds": [float(b) for b in self.bounds],
            "exact_bounds": [exact_text(b) for b in self.bounds],
            "polynomial": self.polynomial,
            "ties": [t.to_dict() for t in self.ties],
            "at": [o.to_dict() for o in self.at] if self.at is not None else None,
        }


@dataclass(frozen=True)
class SpeFlips:
    """The result of :func:`spe_thresholds`: the range split where the SPE outcomes change.

    ``pieces[k]`` is the open interval between ``thresholds[k - 1]`` (or ``low``) and
    ``thresholds[k]`` (or ``high``); neighbouring pieces have different outcomes, or the same
    ones with others exactly at the threshold between them. ``start`` and ``end`` are the
    outcomes exactly at ``low`` and ``high``; ``players`` name the payoffs. ``method`` is
    ``"polynomial"`` (exact) or ``"bisection"`` (then ``reason`` says why, and changes closer
    together than the grid spacing ``(high - low) / (grid - 1)`` can be missed; ``grid`` is
    None for the polynomial method).
    """

    parameter: str
    low: Fraction
    high: Fraction
    method: str
    reason: str
    grid: int | None
    players: tuple[str, ...]
    pieces: tuple[SpePiece, ...]
    thresholds: tuple[SpeThreshold, ...]
    start: tuple[SpeOutcome, ...]
    end: tuple[SpeOutcome, ...]

    @property
    def unchanging(self) -> bool:
        """True when the outcomes are the same at every value of the range.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> root = Path(__file__).resolve().parents[2]
        >>> london = load(root / "scenarios" / "london_snap_back.yaml")
        >>> spe_thresholds(london, "l_cn").unchanging, spe_thresholds(london, "a_us").unchanging
        (True, False)
        """
        paths = self.pieces[0].paths
        return (
            not self.thresholds
            and frozenset(o.path for o in self.start) == paths
            and frozenset(o.path for o in self.end) == paths
        )

    def sentences(self) -> tuple[str, ...]:
        """The thresholds in plain language: the outcome on each piece, what happens at each
        threshold (who is indifferent where, what is subgame perfect there), the payoffs of
        each outcome, and for the bisection method what it could miss.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> root = Path(__file__).resolve().parents[2]
        >>> london = load(root / "scenarios" / "london_snap_back.yaml")
        >>> for sentence in spe_thresholds(london, "a_us", 0, 6).sentences()[:2]:
        ...     print(sentence)
        The subgame-perfect outcome is maintain_chip_controls when a_us < 2, and \
ease_chip_controls → raise_re_exports when a_us > 2 (swept range 0 to 6).
        At a_us = 2 US is indifferent between snap_back and accept after \
ease_chip_controls, restrict_re, and both maintain_chip_controls and ease_chip_controls → \
raise_re_exports are subgame perfect.
        """
        t = self.parameter
        range_text = f"{exact_text(self.low)} to {exact_text(self.high)}"
        out = []
        if len(self.pieces) == 1 and not self.unchanging:
            out.append(
                f"The subgame-perfect outcome is {_outcomes_text(self.pieces[0].outcomes)} for "
                f"every {t} strictly inside the swept range ({range_text})."
            )
        elif self.unchanging:
            outcomes = self.pieces[0].outcomes
            noun = "outcome is" if len(outcomes) == 1 else "outcomes are"
            out.append(
                f"The subgame-perfect {noun} the same for every {t} from {range_text}: "
                f"{_outcomes_text(outcomes)}."
            )
        else:
            groups: dict[frozenset[tuple[int, ...]], list[int]] = {}
            for k, piece in enumerate(self.pieces):
                groups.setdefault(piece.paths, []).append(k)
            parts = [
                f"{_outcomes_text(self.pieces[ks[0]].outcomes)} when "
                + " or ".join(self._interval_text(k) for k in ks)
                for ks in groups.values()
            ]
            joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
            out.append(f"The subgame-perfect outcome is {joined} (swept range {range_text}).")
        for k, threshold in enumerate(self.thresholds):
            out.append(_threshold_sentence(t, threshold, *self.pieces[k : k + 2]))
        for name, value, outcomes, neighbour in (
            ("low", self.low, self.start, self.pieces[0]),
            ("high", self.high, self.end, self.pieces[-1]),
        ):
            if frozenset(o.path for o in outcomes) != neighbour.paths and not self.unchanging:
                out.append(
                    f"At the {name} end, {t} = {value_text(value)}, "
                    f"{_at_text(outcomes, neighbour)}."
                )
        seen: set[tuple[int, ...]] = set()
        for piece in self.pieces:
            for outcome in piece.outcomes:
                if outcome.path not in seen:
                    seen.add(outcome.path)
                    out.append(self._payoff_sentence(outcome, piece))
        if self.method == "bisection":
            step = (self.high - self.low) / ((self.grid or 2) - 1)
            out.append(
                f"The exact polynomial method does not apply ({self.reason}), so the "
                f"thresholds were found by exact bisection between {self.grid} grid values of "
                f"{t}: a region narrower than the grid spacing ({value_text(step)}) could be "
                "missed."
            )
        return tuple(out)

    def _interval_text(self, k: int) -> str:
        t = self.parameter
        if k == 0:
            return f"{t} < {self.thresholds[0].text()}"
        if k == len(self.pieces) - 1:
            return f"{t} > {self.thresholds[-1].text()}"
        return f"{self.thresholds[k - 1].text()} < {t} < {self.thresholds[k].text()}"

    def _payoff_sentence(self, outcome: SpeOutcome, piece: SpePiece) -> str:
        if outcome.formulas is not None:
            values = outcome.formulas
            where = ""
        else:
            values = tuple(value_text(v) for v in outcome.payoffs)
            where = f" at {self.parameter} = {value_text(piece.point)}"
        payoffs = ", ".join(f"{p} {v}" for p, v in zip(self.players, values, strict=True))
        ends = f" ends at {outcome.ending} and" if outcome.ending else ""
        expected = "expected payoffs" if outcome.chance else "payoffs"
        return f"The path {outcome.text()}{ends} gives {expected} {payoffs}{where}."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the range, method, pieces, thresholds, end outcomes and sentences."""
        return {
            "parameter": self.parameter,
            "low": float(self.low),
            "high": float(self.high),
            "exact_low": exact_text(self.low),
            "exact_high": exact_text(self.high),
            "method": self.method,
            "reason": self.reason,
            "grid": self.grid,
            "unchanging": self.unchanging,
            "pieces": [p.to_dict() for p in self.pieces],
            "thresholds": [t.to_dict() for t in self.thresholds],
            "start": [o.to_dict() for o in self.start],
            "end": [o.to_dict() for o in self.end],
            "sentences": list(self.sentences()),
        }


# ---------------------------------------------------------------------- text
def _number_text(value: Value | int, exact: bool) -> str:
    if exact and isinstance(value, int | Fraction):
        return value_text(Fraction(value))
    return f"≈{float(value):.12g}"


def _exact_or_none(value: Value) -> str | None:
    return exact_text(value) if isinstance(value, Fraction) else None


def _outcomes_text(outcomes: Sequence[SpeOutcome]) -> str:
    texts = [o.text() for o in outcomes]
    if len(texts) == 1:
        return texts[0]
    return "either " + " or ".join(texts)


def _at_text(at: Sequence[SpeOutcome], *near: SpePiece) -> str:
    """What is subgame perfect at a point, listing first the outcomes of the pieces next to
    it (in their order)."""
    order = [path for piece in near for path in sorted(piece.paths)]
    ranked = sorted(at, key=lambda o: order.index(o.path) if o.path in order else len(order))
    texts = [o.text() for o in ranked]
    if len(texts) == 1:
        return f"the subgame-perfect outcome there is {texts[0]}"
    if len(texts) == 2:
        return f"both {texts[0]} and {texts[1]} are subgame perfect"
    return f"{listing(texts)} are all subgame perfect"


def _threshold_sentence(t: str, threshold: SpeThreshold, before: SpePiece, after: SpePiece) -> str:
    root = f" (the root of {threshold.polynomial} there)" if threshold.polynomial else ""
    if not threshold.exact and threshold.at is None:
        lo, hi = threshold.bounds
        return (
            f"The subgame-perfect outcome changes at {t} ≈ {float(threshold.value):.12g}{root} "
            f"(bracketed to within {float(hi - lo):.1g}); what holds exactly there is not known."
        )
    value = threshold.text() if threshold.exact else f"{float(threshold.value):.12g}"
    head = f"At {t} {'=' if threshold.exact else '≈'} {value}{root}"
    shown = [tie for tie in threshold.ties if tie.decisive] or list(threshold.ties)
    ties = f" {' and '.join(tie.text() for tie in shown)}, and" if shown else ","
    if threshold.at is None:
        return f"{head}{ties} what is subgame perfect exactly there is not determined."
    return f"{head}{ties} {_at_text(threshold.at, before, after)}."


# ---------------------------------------------------------------------- driver
def spe_thresholds(
    scenario: Scenario,
    parameter: str,
    low: Value | int | str | None = None,
    high: Value | int | str | None = None,
    *,
    grid: int = DEFAULT_GRID,
) -> SpeFlips:
    """Where the subgame-perfect outcome of a tree changes as one parameter moves over a range.

    Parameters
    ----------
    scenario : Scenario
        A sequential scenario whose tree has perfect information; the other parameters keep
        their values.
    parameter : str
        The parameter to move.
    low, high : number or str, optional
        The range (``low < high``), exact numbers, floats read as the decimal they print as,
        or strings such as ``"2/3"``; each defaults to that end of the parameter's declared
        range.
    grid : int
        Number of grid values for the bisection method (at least 3).

    Returns
    -------
    SpeFlips
        The pieces with their outcomes, the thresholds with the ties and outcomes there,
        and :meth:`SpeFlips.sentences`.

    Raises
    ------
    SimError
        If the scenario has no tree, the tree has imperfect information, the parameter is
        unknown, or a range end is missing (no declared range) or not below the other; also
        if the tree cannot be solved somewhere in the range (e.g. a probability below 0).

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> entry = parse_scenario('''
    ... kind: sequential
    ... title: entry with a price war worth f to the incumbent
    ... players: [Entrant, Incumbent]
    ... parameters: {f: {value: 0, range: [-2, 3]}}
    ... nodes:
    ...   start:
    ...     player: Entrant
    ...     moves:
    ...       stay_out: [0, 2]
    ...       enter:
    ...         player: Incumbent
    ...         moves: {fight: [-1, f], accommodate: [1, 1]}
    ... ''')
    >>> result = spe_thresholds(entry, "f")
    >>> [(t.value, [tie.text() for tie in t.ties]) for t in result.thresholds]
    [(Fraction(1, 1), ['Incumbent is indifferent between fight and accommodate after enter'])]
    >>> print(result.sentences()[0])
    The subgame-perfect outcome is enter → accommodate when f < 1, and stay_out when f > 1 \
(swept range -2 to 3).
    """
    tree = _checked_tree(scenario)
    lo, hi = _bounds(scenario, parameter, low, high)
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 3:
        raise SimError(f"grid must be a whole number of at least 3 values, got {grid!r}")
    env = scenario.parameter_values()
    polynomials, reason = _tree_polynomials(tree, env, parameter, lo, hi)
    if polynomials is None:
        return _bisection_method(tree, env, parameter, lo, hi, grid, reason)
    return _polynomial_method(tree, polynomials, parameter, lo, hi)


def spe_flip_thresholds(scenario: Scenario) -> tuple[SpeFlips, ...]:
    """:func:`spe_thresholds` for every parameter with a declared range, the others at their
    values; empty unless the scenario is a tree with perfect information.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parents[2]
    >>> london = load(root / "scenarios" / "london_snap_back.yaml")
    >>> [(f.parameter, [t.text() for t in f.thresholds]) for f in spe_flip_thresholds(london)][-2:]
    [('a_us', ['2']), ('l_cn', [])]
    """
    if scenario.tree is None or not scenario.tree.perfect_information:
        return ()
    return tuple(
        spe_thresholds(scenario, p.name)
        for p in scenario.parameters
        if p.range is not None and p.range[0] < p.range[1]
    )


def _checked_tree(scenario: Scenario) -> Tree:
    tree = scenario.tree
    if tree is None:
        raise SimError(
            f"scenario {scenario.name!r} is a {scenario.kind.replace('_', '-')} game, not a "
            "game tree; subgame-perfect thresholds need a sequential scenario "
            "(kind: sequential)"
        )
    if not tree.perfect_information:
        names = [s.name for s in tree.information_sets if len(s.nodes) > 1]
        raise SimError(
            "subgame-perfect thresholds need perfect information (backward induction); "
            f"information sets {', '.join(names)} join several nodes. Use the flip "
            "thresholds of the strategic form instead (sim.analysis.thresholds)"
        )
    return tree


def _bounds(
    scenario: Scenario,
    parameter: str,
    low: Value | int | str | None,
    high: Value | int | str | None,
) -> tuple[Fraction, Fraction]:
    known = {p.name: p for p in scenario.parameters}
    if not known:
        raise SimError(f"cannot move {parameter!r}: this scenario has no parameters")
    if parameter not in known:
        raise SimError(f"unknown parameter {parameter!r}; parameters are {', '.join(known)}")
    declared = known[parameter].range
    if (low is None or high is None) and declared is None:
        raise SimError(
            f"parameter {parameter} has no declared range; give both ends (low and high) "
            "or add 'range: [low, high]' to the parameter"
        )
    if low is None:
        low = declared[0] if declared is not None else 0
    if high is None:
        high = declared[1] if declared is not None else 0
    lo = exact_value(low, f"low end for {parameter}")
    hi = exact_value(high, f"high end for {parameter}")
    if lo >= hi:
        raise SimError(
            f"the range of {parameter} must have low < high, got {exact_text(lo)} to "
            f"{exact_text(hi)}"
        )
    return lo, hi


# ------------------------------------------------------------ backward induction
V = TypeVar("V")


@dataclass(frozen=True)
class _Arithmetic(Generic[V]):
    """How to add, multiply and compare the values of one induction (numbers or
    polynomials at a point)."""

    zero: V
    add: Callable[[V, V], V]
    multiply: Callable[[V, V], V]
    compare: Callable[[V, V], int]
    """-1, 0 or 1 as the first value is below, equal to or above the second (at the point)."""


@dataclass(frozen=True)
class _Option(Generic[V]):
    """A continuation below a node: the nodes it reaches (sorted) and the payoffs."""

    path: tuple[int, ...]
    values: tuple[V, ...]


@dataclass(frozen=True)
class _Combination(Generic[V]):
    """At a decision node, one continuation per move (``offered[m]``) and the moves the
    mover keeps (worth most to it) given them."""

    offered: tuple[_Option[V], ...]
    kept: tuple[int, ...]


@dataclass(frozen=True)
class _Choice(Generic[V]):
    """At a decision node: every combination of its children's continuations."""

    combinations: tuple[_Combination[V], ...]

    @property
    def tied(self) -> frozenset[tuple[int, ...]]:
        """The sets of kept moves, over the combinations where there are several."""
        return frozenset(c.kept for c in self.combinations if len(c.kept) > 1)

    @property
    def moves(self) -> tuple[int, ...]:
        """The moves in some tie."""
        return tuple(sorted({m for kept in self.tied for m in kept}))


@dataclass(frozen=True)
class _Induction(Generic[V]):
    """Backward induction at one point: the root's continuations and each decision."""

    options: tuple[_Option[V], ...]
    choices: Mapping[int, _Choice[V]]

    @property
    def key(self) -> frozenset[tuple[int, ...]]:
        """The outcomes (paths), which identify what is subgame perfect."""
        return frozenset(o.path for o in self.options)


def _induct(
    tree: Tree,
    payoffs: Mapping[int, tuple[V, ...]],
    probabilities: Mapping[int, tuple[V, ...]],
    arithmetic: _Arithmetic[V],
    forced: Mapping[int, int] | None = None,
    negative: Callable[[int, int], None] | None = None,
) -> _Induction[V]:
    """Backward induction keeping every tie-break (step 2 of the module docstring); the
    continuations of a node are listed once per path.

    ``forced`` holds movers to one move at some nodes; ``negative(node, k)`` is called
    (to raise) when probability ``k`` of a chance node is below 0 at the point.
    """
    zero, add, multiply, cmp = (
        arithmetic.zero,
        arithmetic.add,
        arithmetic.multiply,
        arithmetic.compare,
    )
    n_players = len(tree.players)
    options: dict[int, list[_Option[V]]] = {}
    choices: dict[int, _Choice[V]] = {}
    for index in reversed(range(len(tree.nodes))):
        node = tree.nodes[index]
        if node.kind == "terminal":
            options[index] = [_Option((index,), payoffs[index])]
            continue
        found: dict[tuple[int, ...], _Option[V]] = {}
        if node.kind == "chance":
            weights = probabilities[index]
            signs = [cmp(p, zero) for p in weights]
            for k, s in enumerate(signs):
                if s < 0 and negative is not None:
                    negative(index, k)
            # A branch of probability 0 adds nothing: one of its continuations stands for all.
            lists = [
                options[c] if s > 0 else options[c][:1]
                for c, s in zip(node.children, signs, strict=True)
            ]
            _limit(math.prod(len(x) for x in lists), node.name)
            for combo in itertools.product(*lists):
                reached = {index}
                for option, s in zip(combo, signs, strict=True):
                    if s > 0:
                        reached.update(option.path)
                values = []
                for i in range(n_players):
                    total = zero
                    for p, option in zip(weights, combo, strict=True):
                        total = add(total, multiply(p, option.values[i]))
                    values.append(total)
                path = tuple(sorted(reached))
                found.setdefault(path, _Option(path, tuple(values)))
        elif forced is not None and index in forced:  # held to one move: nothing to compare
            for option in options[node.children[forced[index]]]:
                path = (index, *option.path)
                found.setdefault(path, _Option(path, option.values))
        else:
            # As in sim.analysis.subgame: each combination of the children's continuations
            # (one tie-break per child) is a subgame-perfect play below, and the mover picks
            # its best moves given that combination.
            player = node.player or 0
            lists = [options[c] for c in node.children]
            _limit(math.prod(len(x) for x in lists), node.name)
            combinations = []
            for combo in itertools.product(*lists):
                best = combo[0].values[player]
                for option in combo[1:]:
                    if cmp(option.values[player], best) > 0:
                        best = option.values[player]
                kept = tuple(m for m, o in enumerate(combo) if cmp(o.values[player], best) == 0)
                combinations.append(_Combination(combo, kept))
                for m in kept:
                    path = (index, *combo[m].path)
                    found.setdefault(path, _Option(path, combo[m].values))
            choices[index] = _Choice(tuple(combinations))
        options[index] = list(found.values())
    return _Induction(tuple(options[0]), choices)


def _limit(count: int, name: str) -> None:
    if count > MAX_COMBINATIONS:
        raise SimError(
            f"more than {MAX_COMBINATIONS} combinations of tied continuations at node "
            f"{name!r}; the ties multiply too much to list every subgame-perfect outcome "
            "(break some ties or simplify the tree)"
        )


def _polynomial_arithmetic(compare_at: Callable[[Poly], int]) -> _Arithmetic[Poly]:
    """Polynomials in t, compared by the sign of their difference at a point."""
    return _Arithmetic(
        (),
        lambda p, q: _subtract(p, _negate(q)),
        _multiply,
        lambda p, q: compare_at(_subtract(p, q)),
    )


def _at_rational(x: Fraction) -> Callable[[Poly], int]:
    return lambda p: _sign(_evaluate(p, x))


def _number_arithmetic(scale: float) -> _Arithmetic[Value]:
    """Numbers, exact or float, compared with the project tolerance."""
    return _Arithmetic(
        Fraction(0),
        lambda a, b: a + b,
        lambda a, b: a * b,
        lambda a, b: compare(a, b, scale),
    )


# ------------------------------------------------------------ polynomial method
@dataclass(frozen=True)
class _Polynomials:
    """Each terminal's payoffs and each chance node's probabilities as polynomials in t."""

    payoffs: Mapping[int, tuple[Poly, ...]]
    probabilities: Mapping[int, tuple[Poly, ...]]


def _tree_polynomials(
    tree: Tree, env: Mapping[str, Value], name: str, low: Fraction, high: Fraction
) -> tuple[_Polynomials | None, str]:
    """The tree's formulas as exact polynomials in ``name``, or None and the reason why not."""
    payoffs: dict[int, tuple[Poly, ...]] = {}
    probabilities: dict[int, tuple[Poly, ...]] = {}
    for index, node in enumerate(tree.nodes):
        if node.kind == "decision":
            continue
        terminal = node.kind == "terminal"
        expressions = (tree.payoff_expressions if terminal else tree.probability_expressions).get(
            index
        )
        numbers = node.payoffs if terminal else node.probabilities
        polys = []
        for k, number in enumerate(numbers):
            what = (
                f"the payoff of {tree.players[k]} at {node.name!r}"
                if terminal
                else f"the probability of {node.moves[k]!r} at chance node {node.name!r}"
            )
            if expressions is None:
                if not isinstance(number, Fraction):
                    return None, f"{what} is not an exact number"
                polys.append(_trim((number,)))
                continue
            poly, reason = _formula_polynomial(expressions[k], env, name, low, high, what)
            if poly is None:
                return None, reason
            polys.append(poly)
        (payoffs if terminal else probabilities)[index] = tuple(polys)
    return _Polynomials(payoffs, probabilities), ""


def _formula_polynomial(
    expression: Expression,
    env: Mapping[str, Value],
    name: str,
    low: Fraction,
    high: Fraction,
    what: str,
) -> tuple[Poly | None, str]:
    """One formula as a polynomial in ``name`` (interpolated exactly), or None and why not."""
    text = expression.text.strip()
    degree = _degree(expression.tree, name)
    if degree is None:
        return None, f"{what} ({text}) is not a polynomial in {name}"
    if degree > MAX_DEGREE:
        return None, f"{what} ({text}) has degree {degree} in {name}, above {MAX_DEGREE}"
    xs = [low + (high - low) * k / (degree + 1) for k in range(degree + 2)]
    ys = []
    for x in xs:
        try:
            y = evaluate(expression, {**env, name: x})
        except ExpressionError as err:
            raise SimError(
                f"{what} ({text}) cannot be evaluated at {name} = {exact_text(x)}: {err.message}"
            ) from err
        if not isinstance(y, Fraction):
            return None, f"{what} ({text}) is not exact at {name} = {exact_text(x)}"
        ys.append(y)
    poly = _interpolate(xs[:-1], ys[:-1])
    if _evaluate(poly, xs[-1]) != ys[-1]:  # pragma: no cover - a degree bug
        return None, f"{what} ({text}) did not interpolate as a polynomial in {name}"
    return poly, ""


def _polynomial_method(
    tree: Tree, polys: _Polynomials, name: str, low: Fraction, high: Fraction
) -> SpeFlips:
    """The polynomial method (steps 2 to 5 of the module docstring)."""
    for index, weights in polys.probabilities.items():
        total: Poly = ()
        for p in weights:
            total = _subtract(total, _negate(p))
        if total != (Fraction(1),):
            raise SimError(
                f"the probabilities at chance node {tree.nodes[index].name!r} add up to "
                f"{_poly_text(total, name)}, not 1, for some values of {name}; make them add "
                "up to 1 whatever its value"
            )

    def solve(
        compare_at: Callable[[Poly], int], where: str, forced: Mapping[int, int] | None = None
    ) -> _Induction[Poly]:
        def negative(node: int, k: int) -> None:
            chance = tree.nodes[node]
            raise SimError(
                f"the probability of {chance.moves[k]!r} at chance node {chance.name!r} is "
                f"below 0 at {name} {where}; narrow the range of {name}"
            )

        arithmetic = _polynomial_arithmetic(compare_at)
        return _induct(tree, polys.payoffs, polys.probabilities, arithmetic, forced, negative)

    known = {_monic(p) for weights in polys.probabilities.values() for p in weights if len(p) > 1}
    cache: dict[Poly, list[tuple[Fraction, Fraction, Poly]]] = {}
    for _ in range(MAX_ROUNDS):
        candidates = _candidates(known, cache, low, high)
        points = _interior_points(candidates, low, high)
        between = [solve(_at_rational(x), f"= {exact_text(x)}") for x in points]
        found = {p for induction in between for p in _critical(tree, induction)}
        if found <= known:
            break
        known |= found
    else:  # pragma: no cover - the continuations are finitely many
        raise SolverError(f"the refinement in {name} did not settle after {MAX_ROUNDS} rounds")

    thresholds: list[SpeThreshold] = []
    groups: list[list[int]] = [[0]]
    for k, root in enumerate(candidates):
        at: _Induction[Poly] | None = None
        compare_at: Callable[[Poly], int] | None = None
        where = ""
        if root.exact:
            compare_at, where = _at_rational(root.lo), f"= {exact_text(root.lo)}"
        elif root.poly:
            compare_at = _RealRoot(root.poly, root.lo, root.hi).sign
            where = f"≈ {float(root.lo):.12g}"
        if compare_at is not None:
            at = solve(compare_at, where)
            if between[k].key == between[k + 1].key == at.key:
                groups[-1].append(k + 1)
                continue
        thresholds.append(_polynomial_threshold(tree, name, root, at, compare_at, solve))
        groups.append([k + 1])

    pieces = []
    for g, members in enumerate(groups):
        left = low if g == 0 else thresholds[g - 1].bounds[1]
        right = high if g == len(groups) - 1 else thresholds[g].bounds[0]
        point = _simplest_inside(left, right)
        outcomes = tuple(
            _outcome(
                tree,
                option.path,
                tuple(_poly_text(v, name) for v in option.values),
                tuple(_evaluate(v, point) for v in option.values),
            )
            for option in sorted(between[members[0]].options, key=lambda o: o.path)
        )
        pieces.append(
            SpePiece(
                low if g == 0 else thresholds[g - 1].value,
                high if g == len(groups) - 1 else thresholds[g].value,
                point,
                outcomes,
            )
        )
    ends = []
    for x in (low, high):
        induction = solve(_at_rational(x), f"= {exact_text(x)}")
        ends.append(_point_outcomes(tree, induction, partial(_value_at, x)))
    return SpeFlips(
        name,
        low,
        high,
        "polynomial",
        "",
        None,
        tree.players,
        tuple(pieces),
        tuple(thresholds),
        ends[0],
        ends[1],
    )


def _polynomial_threshold(
    tree: Tree,
    name: str,
    root: _Root,
    at: _Induction[Poly] | None,
    compare_at: Callable[[Poly], int] | None,
    solve: Callable[..., _Induction[Poly]],
) -> SpeThreshold:
    """A kept root: its value, the ties there and the outcomes exactly at it."""
    value: Fraction | float = root.lo if root.exact else float((root.lo + root.hi) / 2)
    polynomial = "" if root.exact or not root.poly else _poly_text(_monic(root.poly), name)
    if at is None or compare_at is None:
        return SpeThreshold(name, value, root.exact, (root.lo, root.hi), polynomial, (), None)
    where = f"= {exact_text(root.lo)}" if root.exact else f"≈ {value:.12g}"

    def is_new(index: int, choice: _Choice[Poly], player: int) -> bool:
        # Tied moves whose values to the mover are different polynomials.
        return any(
            c.offered[a].values[player] != c.offered[b].values[player]
            for c in choice.combinations
            for a in c.kept
            for b in c.kept
        )

    def resolve(forced: Mapping[int, int]) -> frozenset[tuple[int, ...]]:
        return solve(compare_at, where, forced).key

    def value_at(p: Poly) -> Value:
        return _evaluate(p, root.lo) if root.exact else float(_evaluate(p, (root.lo + root.hi) / 2))

    return SpeThreshold(
        name,
        value,
        root.exact,
        (root.lo, root.hi),
        polynomial,
        _ties(tree, at, is_new, resolve),
        _point_outcomes(tree, at, value_at),
    )


def _value_at(x: Fraction, p: Poly) -> Value:
    return _evaluate(p, x)


def _candidates(
    known: set[Poly],
    cache: dict[Poly, list[tuple[Fraction, Fraction, Poly]]],
    low: Fraction,
    high: Fraction,
) -> list[_Root]:
    """The roots of the known critical polynomials inside ``(low, high)``, sorted and
    separated (equal roots of several polynomials are one candidate)."""
    roots: list[_Root] = []
    for p in sorted(known):
        if p not in cache:
            cache[p] = [(r.lo, r.hi, r.poly) for r in _roots(p, low, high)]
        roots.extend(_Root(lo, hi, q) for lo, hi, q in cache[p])
    return _separate(roots, low, high)


def _interior_points(candidates: Sequence[_Root], low: Fraction, high: Fraction) -> list[Fraction]:
    """A simple rational point inside each open interval between the candidates."""
    gaps = [low, *[x for r in candidates for x in (r.lo, r.hi)], high]
    return [_simplest_inside(gaps[2 * k], gaps[2 * k + 1]) for k in range(len(candidates) + 1)]


def _critical(tree: Tree, induction: _Induction[Poly]) -> set[Poly]:
    """The mover's value differences between each kept continuation and each offered one."""
    out = set()
    for index, choice in induction.choices.items():
        player = tree.nodes[index].player or 0
        for combination in choice.combinations:
            for k in combination.kept:
                for other in combination.offered:
                    difference = _subtract(
                        combination.offered[k].values[player], other.values[player]
                    )
                    if len(difference) > 1:
                        out.add(_monic(difference))
    return out


def _poly_text(p: Poly, name: str) -> str:
    """A polynomial as a formula, highest power first but starting with a positive term
    when there is one: ``"-a_us - 3"``, ``"p**2 - 2"``, ``"5 - c_us"``.

    >>> _poly_text((Fraction(-3), Fraction(-1)), "a"), _poly_text((Fraction(5), Fraction(-1)), "c")
    ('-a - 3', '5 - c')
    >>> _poly_text((), "a")
    '0'
    >>> _poly_text((Fraction(1, 2), Fraction(0), Fraction(3, 2)), "p")
    '3/2*p**2 + 1/2'
    """
    terms = []
    for k in reversed(range(len(p))):
        c = p[k]
        if c == 0:
            continue
        power = "" if k == 0 else name if k == 1 else f"{name}**{k}"
        size = abs(c)
        terms.append((c < 0, str(size) if not power else power if size == 1 else f"{size}*{power}"))
    if not terms:
        return "0"
    positive = next((k for k, (negative, _) in enumerate(terms) if not negative), 0)
    terms.insert(0, terms.pop(positive))  # start with a positive term: "5 - c", not "-c + 5"
    out = f"-{terms[0][1]}" if terms[0][0] else terms[0][1]
    for negative, body in terms[1:]:
        out += f" - {body}" if negative else f" + {body}"
    return out


# ------------------------------------------------------------ outcomes and ties
def _outcome(
    tree: Tree, path: tuple[int, ...], formulas: tuple[str, ...] | None, payoffs: tuple[Value, ...]
) -> SpeOutcome:
    on = set(path)
    moves = []
    ends = []
    for n in path:
        node = tree.nodes[n]
        reached = [move for move, c in zip(node.moves, node.children, strict=True) if c in on]
        if node.kind == "decision" or (node.kind == "chance" and len(reached) < len(node.moves)):
            moves.append("/".join(reached))
        elif node.kind == "terminal":
            ends.append(terminal_text(tree, n))
    ending = " or ".join(ends) if all(ends) else ""
    chance = any(tree.nodes[n].kind == "chance" for n in path)
    return SpeOutcome(
        path,
        tuple(tree.nodes[n].name for n in path),
        tuple(moves),
        ending,
        formulas,
        payoffs,
        chance,
    )


def _point_outcomes(
    tree: Tree, induction: _Induction[V], value_at: Callable[[V], Value]
) -> tuple[SpeOutcome, ...]:
    """The outcomes of an induction at a point, with their payoffs there."""
    return tuple(
        _outcome(tree, o.path, None, tuple(value_at(v) for v in o.values))
        for o in sorted(induction.options, key=lambda o: o.path)
    )


def _ties(
    tree: Tree,
    induction: _Induction[V],
    is_new: Callable[[int, _Choice[V], int], bool],
    resolve: Callable[[Mapping[int, int]], frozenset[tuple[int, ...]]],
) -> tuple[SpeTie, ...]:
    """The new ties of an induction at a threshold, each checked for being decisive."""
    out = []
    for index in sorted(induction.choices):
        choice = induction.choices[index]
        node = tree.nodes[index]
        player = node.player or 0
        moves = choice.moves
        if not moves or not is_new(index, choice, player):
            continue
        decisive = len({resolve({index: m}) for m in moves}) > 1
        out.append(
            SpeTie(
                index,
                node.name,
                tree.history_text(index),
                tree.players[player],
                tuple(node.moves[m] for m in moves),
                decisive,
            )
        )
    return tuple(out)


# ------------------------------------------------------------ bisection method
def _bisection_method(
    tree: Tree,
    env: Mapping[str, Value],
    name: str,
    low: Fraction,
    high: Fraction,
    grid: int,
    reason: str,
) -> SpeFlips:
    """The bisection method (see the module docstring)."""
    cache: dict[Fraction, _Induction[Value]] = {}

    def solve(x: Fraction, forced: Mapping[int, int] | None = None) -> _Induction[Value]:
        if forced is None and x in cache:
            return cache[x]
        try:
            evaluated = tree.evaluated({**env, name: x})
        except SimError as err:
            raise SimError(f"cannot solve the tree at {name} = {exact_text(x)}: {err}") from err
        payoffs = {t: evaluated.nodes[t].payoffs for t in evaluated.terminals}
        probabilities = {
            i: n.probabilities for i, n in enumerate(evaluated.nodes) if n.kind == "chance"
        }
        scale = max([1.0, *(abs(float(v)) for vs in payoffs.values() for v in vs)])
        result = _induct(evaluated, payoffs, probabilities, _number_arithmetic(scale), forced)
        if forced is None:
            cache[x] = result
        return result

    step = (high - low) / (grid - 1)
    values = [low + k * step for k in range(grid)]
    keys = [solve(v).key for v in values]
    brackets: list[tuple[Fraction, Fraction]] = []

    def bisect(x: Fraction, y: Fraction) -> None:
        kx, ky = solve(x).key, solve(y).key
        while y - x > _width(x, y):
            mid = _simplest_inside(x + (y - x) / 4, y - (y - x) / 4, closed=True)
            km = solve(mid).key
            if km == kx:
                x = mid
            elif km == ky:
                y = mid
            else:  # a third set of outcomes: a change on each side of mid
                bisect(x, mid)
                x, kx = mid, km
        simplest = _simplest_inside(x, y, closed=True)
        if x < simplest < y:
            seen = solve(simplest).key
            if seen == kx:
                x = simplest
            elif seen == ky:
                y = simplest
            else:
                brackets.append((x, simplest))
                x = simplest
        brackets.append((x, y))

    for k in range(grid - 1):
        if keys[k] != keys[k + 1]:
            bisect(values[k], values[k + 1])
    first = low
    if brackets and brackets[0][0] == low:  # the outcomes at low differ from just above it
        first = brackets.pop(0)[1]
    if brackets and brackets[-1][1] == high:
        brackets.pop()
    chains: list[list[tuple[Fraction, Fraction]]] = []
    for bracket in brackets:
        if chains and chains[-1][-1][1] == bracket[0]:
            chains[-1].append(bracket)
        else:
            chains.append([bracket])

    thresholds = []
    for chain in chains:
        lo, hi = chain[0][0], chain[-1][1]
        if len(chain) != 2:
            value = float((lo + hi) / 2)
            thresholds.append(SpeThreshold(name, value, False, (lo, hi), "", (), None))
            continue
        touch = chain[0][1]
        at = solve(touch)
        below, above = solve(lo).choices, solve(hi).choices

        def is_new(
            index: int,
            choice: _Choice[Value],
            player: int,
            below: Mapping[int, _Choice[Value]] = below,
            above: Mapping[int, _Choice[Value]] = above,
        ) -> bool:
            # New: not tied between the same moves on both sides of the threshold.
            return not below[index].tied == above[index].tied == choice.tied

        def resolve(forced: Mapping[int, int], touch: Fraction = touch) -> frozenset:
            return solve(touch, forced).key

        thresholds.append(
            SpeThreshold(
                name,
                touch,
                True,
                (touch, touch),
                "",
                _ties(tree, at, is_new, resolve),
                _point_outcomes(tree, at, lambda v: v),
            )
        )

    pieces = []
    for k in range(len(thresholds) + 1):
        left = first if k == 0 else chains[k - 1][-1][1]  # where the piece's outcomes hold
        right = high if k == len(thresholds) else chains[k][0][0]
        key = solve(left).key
        point = _simplest_inside(left, right) if left < right else left
        if solve(point).key != key:  # a narrow region the grid missed: take a known point
            middle = (left + right) / 2
            point = min(
                (x for x, found in cache.items() if left <= x <= right and found.key == key),
                key=lambda x: (abs(x - middle), x),
            )
        outcomes = _point_outcomes(tree, solve(point), lambda v: v)
        pieces.append(
            SpePiece(
                low if k == 0 else thresholds[k - 1].value,
                high if k == len(thresholds) else thresholds[k].value,
                point,
                outcomes,
            )
        )
    start = _point_outcomes(tree, solve(low), lambda v: v)
    end = _point_outcomes(tree, solve(high), lambda v: v)
    return SpeFlips(
        name,
        low,
        high,
        "bisection",
        reason,
        grid,
        tree.players,
        tuple(pieces),
        tuple(thresholds),
        start,
        end,
    )
