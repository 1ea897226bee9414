"""Repeated play of a two-player stage game: how patient must both sides be for a deal to hold?

A *target* pure profile (the deal) is played every round as long as nobody has broken it;
a breach is punished. :func:`repeated` reports, for the target, the critical discount
factor ``δ*`` under several punishments, the folk-theorem region of the stage game, and
what a known end date does.

Conventions, stated once for the module:

* **Discounting.** ``δ`` in ``[0, 1)`` is the weight of the next round relative to this one
  (time preference times the probability that play continues). Payoff streams are
  compared by their discounted sums; normalised by ``1 - δ`` they are in stage-payoff
  units, which is how every payoff here is reported.
* **The target's numbers, per player** ``i``: ``R_i`` its stage payoff at the target;
  its best one-shot *deviation*, the best of its other moves against the target (ties to
  the lowest index), paying ``D_i``; and its *temptation* ``T_i = max(R_i, D_i)``, so the
  gain from a breach ``T_i - R_i`` is never negative. A *punishment* pays it ``P_i`` per
  round.
* **Critical discount factor.** ``δ*`` is the least ``δ`` in ``[0, 1)`` at which the
  strategy sustains the target for ``δ`` *and every more patient* ``δ' > δ``, or ``None``
  when no ``δ < 1`` does ("never"). By the one-shot deviation principle a strategy is
  subgame perfect when no single deviation pays, so only a breach of the target and a
  deviation during the punishment need checking.
* **Grim trigger** (Nash reversion; Friedman, "A non-cooperative equilibrium for
  supergames", *Review of Economic Studies* 38, 1971): after any breach both play a stage
  Nash equilibrium for ever. Player ``i`` keeps the deal when ``R_i >= (1 - δ) T_i + δ
  P_i``, i.e. ``T_i - R_i <= δ / (1 - δ) (R_i - P_i)``, i.e. ``δ (T_i - P_i) >= T_i -
  R_i``. Hence, case by case (the names are the values of :attr:`Reversion.cases`):

  - ``"rewarding punishment"``, ``R_i < P_i``: the punishment pays ``i`` more than the
    deal, so a patient ``i`` would rather trigger it: ``δ* = None``. (When ``i`` has no
    profitable breach, the deal survives only for small ``δ``, where ``i`` is too
    impatient to care about the better future; that is not patience and is not reported.)
  - ``"no temptation"``, ``T_i = R_i`` and ``R_i >= P_i``: no breach pays: ``δ* = 0``.
  - ``"toothless punishment"``, ``T_i > R_i = P_i``: breaking the deal costs ``i``
    nothing later: ``δ* = None``.
  - ``"threshold"``, ``T_i > R_i > P_i``: ``δ*_i = (T_i - R_i) / (T_i - P_i)``, in
    ``(0, 1)``.

  The overall ``δ*`` is the largest of the players' (``None`` if any is). The punishment
  phase is self-enforcing: it repeats a stage equilibrium whatever happens, and no one
  gains by straying from a stage equilibrium in any round. Among several stage
  equilibria (:func:`sim.solvers.solve`; for a mixed one ``P_i`` is the expected payoff)
  the punishment is the one with the lowest overall ``δ*`` (``None`` counts as worst; ties
  to the lowest index).
* **Limited (k-round) punishment**: after a breach both play the punishment equilibrium
  for ``k`` rounds, then return to the target; a deviation during the punishment restarts
  it. Keeping the deal needs ``(R_i - P_i)(δ + δ² + … + δ^k) >= T_i - R_i``. Each round
  of the punishment is a stage equilibrium, so straying from it gains nothing in that
  round and only delays the return to the deal (worth ``R_i >= P_i``): the punishment is
  self-enforcing. The cases are as for grim trigger, with ``c_i = (T_i - R_i) / (R_i -
  P_i)`` when ``T_i > R_i > P_i``: the left side increases from 0 towards ``k`` on ``[0,
  1)``, so ``δ*_i(k)`` is its unique root of ``δ + … + δ^k = c_i`` when ``c_i < k`` and
  ``None`` (case ``"too short"``) when ``c_i >= k``: ``k`` rounds of punishment can never
  cost more than the gain. For ``k = 1``, ``δ* = c_i``; as ``k`` grows ``δ*_i(k)``
  decreases to the grim-trigger ``c_i / (1 + c_i) = (T_i - R_i) / (T_i - P_i)``. The root
  is a :class:`Root`: exact when rational, otherwise bracketed (see there).
* **Minmax punishment** (the harshest): ``P_i`` is replaced by ``i``'s mixed minmax value
  ``v_i``, the least payoff the other player can hold ``i`` to. In a two-player game it
  equals ``i``'s mixed maxmin (von Neumann's minimax theorem;
  :mod:`sim.analysis.security`). No stage equilibrium pays less than ``v_i``, so this
  ``δ*`` is never above the grim-trigger one. Minmaxing is in general not a stage
  equilibrium (it may hurt the punisher too), so it is credible only inside a richer
  strategy that rewards the punisher for carrying it out (Fudenberg & Maskin, "The folk
  theorem in repeated games with discounting or with incomplete information",
  *Econometrica* 54, 1986); :attr:`FolkRegion.mutual_minmax_is_equilibrium` says when it
  happens to be one.
* **Folk region.** Feasible payoffs are the convex hull of the pure outcomes' payoffs
  (joint lotteries; :func:`sim.analysis.hull.convex_hull`); the individually rational
  part is the hull clipped to ``u_i >= v_i`` for both players (exact polygon clipping).
  A target paying each player strictly more than ``v_i`` is, by the folk theorem for two
  players (Fudenberg & Maskin 1986), a subgame-perfect outcome for every ``δ`` close
  enough to 1; the theorem is silent about targets on the boundary.
* **Known end date** (``horizon`` rounds). With a unique stage equilibrium, the last round
  must play it whatever happened before, so the round before is effectively the last, and
  so on: backward induction unravels cooperation, and the only subgame-perfect play is the
  stage equilibrium in every round. With several stage equilibria paying some player
  differently, cooperation before the last round can be sustained by promising a good
  final-round equilibrium ``E`` after cooperation and threatening each deviator ``i`` with
  its worst stage equilibrium, paying ``b_i``, in every remaining round (Benoît & Krishna,
  "Finitely repeated games", *Econometrica* 53, 1985). The same ``E`` follows cooperation
  for both players, so it cannot be each player's favourite at once: ``E`` is the stage
  equilibrium whose smallest margin, over both players and the rounds checked, is the
  largest (the most robust promise, or the one that falls least short; lowest index on
  ties). The check in the round before the last is ``T_i - R_i <= δ (E_i - b_i)``; ``m``
  rounds before the end (``m - 1`` more rounds of the deal, then ``E``, against ``m``
  rounds of the threat) it is ``T_i - R_i <= (R_i - b_i)(δ + … + δ^(m-1)) + δ^m (E_i -
  b_i)``, whose right side changes by ``δ^m ((R_i - b_i) - (1 - δ)(E_i - b_i))`` from
  ``m`` to ``m + 1``, a step of constant sign: it is monotone in ``m``, so checking the
  round before the last and the first round covers every round. ``δ`` is ``discount``
  or, when not given, 1 (no discounting over a short, known horizon).

Exactness: exact games give exact :class:`~fractions.Fraction` results. Float games are
analysed exactly on their rationalised payoffs (:func:`sim.certificate.rationalised`, as
the solvers do) and reported in floats; a float ``discount`` is rationalised the same way
(``0.3`` is ``3/10``). Further reading: Mailath & Samuelson, *Repeated Games and
Reputations* (2006), ch. 2-4.

>>> from sim.game import Game
>>> truce = Game.from_arrays(
...     [[3, 0], [4, 1]], [[3, 5], [0, 1]], players=("US", "China"),
...     moves=(("ease", "maintain"), ("raise", "restrict")))
>>> result = repeated(truce, ("ease", "raise"), punishments=(1, 2))
>>> result.nash.thresholds, result.nash.overall
((Fraction(1, 3), Fraction(1, 2)), Fraction(1, 2))
>>> print(result.sentences(truce)[3])
Grim trigger (return to (maintain, restrict), paying US 1 and China 1, for ever after a breach) sustains (ease, raise) exactly when δ ≥ 1/2: US needs δ ≥ 1/3 and China δ ≥ 1/2.
>>> print(result.sentences(truce)[5])
With a 2-round punishment the deal needs δ ≥ 0.618… (US 0.366…, China 0.618…), and no patience suffices for a 1-round punishment (China gains 2 by a breach, and a 1-round punishment costs it less than 1 × 2).
"""  # noqa: E501

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from sim.analysis.hull import Point, convex_hull
from sim.analysis.security import maxmin, own_rows
from sim.analysis.structure import profile_text
from sim.certificate import compare, expected_payoffs, is_equilibrium, rationalise, rationalised
from sim.certificate import regret as profile_regret
from sim.errors import SimError
from sim.game import Game, Value, as_value, exact_text, value_text
from sim.solvers import Equilibrium, solve

__all__ = [
    "BISECTION_WIDTH",
    "Case",
    "FiniteHorizon",
    "FolkRegion",
    "Incentive",
    "LimitedPunishment",
    "Repeated",
    "Reversion",
    "Root",
    "repeated",
]

BISECTION_WIDTH = Fraction(1, 2**40)
"""Width of the bracket around an irrational critical discount factor (below ``1e-12``)."""

Case = Literal[
    "no temptation", "threshold", "toothless punishment", "rewarding punishment", "too short"
]
"""Why a player's critical discount factor is what it is (see the module docstring)."""


# ------------------------------------------------------------------------ exact helpers
def _partial_sum(delta: Fraction, rounds: int) -> Fraction:
    """``δ + δ² + … + δ^rounds``, exactly (closed form, ``rounds`` at ``δ = 1``)."""
    if delta == 1:
        return Fraction(rounds)
    return delta * (1 - delta**rounds) / (1 - delta)


def _grim(t: Fraction, r: Fraction, p: Fraction) -> tuple[Fraction | None, Case]:
    """One player's grim-trigger ``δ*`` and its case, from ``T``, ``R`` and ``P``."""
    if r < p:
        return None, "rewarding punishment"
    if t == r:
        return Fraction(0), "no temptation"
    if r == p:
        return None, "toothless punishment"
    return (t - r) / (t - p), "threshold"


def _bracket(level: Fraction, rounds: int) -> tuple[Fraction, Fraction]:
    """The root of ``δ + … + δ^rounds = level`` in ``(0, 1)``, for ``0 < level < rounds``.

    Returns ``(low, high)``: equal when the root is rational (then exact), otherwise an
    exact bracket ``low < root < high`` no wider than :data:`BISECTION_WIDTH`.

    Bisection in exact arithmetic keeps ``f(low) < 0 < f(high)`` for ``f(δ) = δ + … +
    δ^rounds - level`` (increasing). Completeness for rational roots: with ``level = C /
    A`` in lowest terms, ``A (δ + … + δ^rounds) - C`` has integer coefficients and leading
    coefficient ``A``, so a rational root ``p / q`` has ``q | A`` (rational root theorem)
    and is ``m / A`` for an integer ``m``. The bracket is narrowed below ``1 / A``, where it
    holds at most one such candidate, which is tested exactly.

    >>> _bracket(Fraction(3, 4), 2)  # δ + δ² = 3/4 at δ = 1/2
    (Fraction(1, 2), Fraction(1, 2))
    >>> low, high = _bracket(Fraction(1), 2)  # the golden ratio conjugate, irrational
    >>> float(low) < (5**0.5 - 1) / 2 < float(high), high - low <= BISECTION_WIDTH
    (True, True)
    """
    if rounds == 1:
        return level, level
    low, high = Fraction(0), Fraction(1)
    denominator = level.denominator
    while high - low > BISECTION_WIDTH or (high - low) * denominator >= 1:
        middle = (low + high) / 2
        gap = _partial_sum(middle, rounds) - level
        if gap == 0:
            return middle, middle
        if gap < 0:
            low = middle
        else:
            high = middle
    candidate = Fraction(math.ceil(low * denominator), denominator)
    if low < candidate < high and _partial_sum(candidate, rounds) == level:
        return candidate, candidate
    return low, high


def _limited(t: Fraction, r: Fraction, p: Fraction, rounds: int) -> tuple[_Exact | None, Case]:
    """One player's ``δ*`` under a ``rounds``-round punishment, exactly, with its case."""
    if r < p:
        return None, "rewarding punishment"
    if t == r:
        return _Exact(Fraction(0), Fraction(0), Fraction(0)), "no temptation"
    if r == p:
        return None, "toothless punishment"
    level = (t - r) / (r - p)
    if level >= rounds:
        return None, "too short"
    return _Exact(level, *_bracket(level, rounds)), "threshold"


@dataclass(frozen=True)
class _Exact:
    """An exact root: its level ``c`` and bracket (see :func:`_bracket`)."""

    level: Fraction
    low: Fraction
    high: Fraction


def _clip(polygon: Sequence[Point], axis: int, bound: Fraction) -> list[Point]:
    """The part of a convex polygon (or segment, or point) where ``point[axis] >= bound``.

    One pass of Sutherland-Hodgman clipping, exact for exact points: keep the vertices on
    the inner side, add the crossing point of every edge that crosses the line.
    """
    out: list[Point] = []
    n = len(polygon)
    for k in range(n):
        p, q = polygon[k], polygon[(k + 1) % n]
        inside_p, inside_q = p[axis] >= bound, q[axis] >= bound
        if inside_p:
            out.append(p)
        if inside_p != inside_q:
            t = (bound - p[axis]) / (q[axis] - p[axis])
            other = p[1 - axis] + t * (q[1 - axis] - p[1 - axis])
            out.append((bound, other) if axis == 0 else (other, bound))
    return out


# ---------------------------------------------------------------------------- results
def _value(x: Fraction, exact: bool) -> Value:
    """An exact internal value as reported: itself for exact games, a float otherwise."""
    return x if exact else float(x)


def _maybe(x: Fraction | None, exact: bool) -> Value | None:
    return None if x is None else _value(x, exact)


def _number(x: Value | None) -> dict[str, Any]:
    """JSON-ready: the value as a float and as an exact string (None for floats)."""
    if x is None:
        return {"value": None, "exact": None}
    return {"value": float(x), "exact": exact_text(x)}


def _at_least(delta: Value | int, threshold: Value | None) -> bool:
    """``δ >= threshold`` exactly for exact thresholds (``δ`` rationalised), else within the
    tolerance of :mod:`sim.certificate`; False for a threshold of None."""
    if threshold is None:
        return False
    if isinstance(threshold, Fraction):
        return rationalise(delta) >= threshold
    return compare(float(delta), threshold, 1.0) >= 0


@dataclass(frozen=True)
class Incentive:
    """One player's stake in the target: its payoff and its best one-shot breach.

    Attributes
    ----------
    player : int
        Player index.
    reward : Fraction or float
        ``R``: its stage payoff at the target.
    deviation : int or None
        Its best other move against the target (lowest index on ties); None when it has
        only one move.
    deviation_payoff : Fraction, float or None
        ``D``: that move's payoff (may be below ``R``).
    temptation : Fraction or float
        ``T = max(R, D)``: the most it can get in the round of a breach.
    """

    player: int
    reward: Value
    deviation: int | None
    deviation_payoff: Value | None
    temptation: Value

    @property
    def gain(self) -> Value:
        """``T - R``: what a breach gains in its round (0 when no breach pays)."""
        return self.temptation - self.reward


@dataclass(frozen=True)
class Reversion:
    """Grim trigger with one punishment for ever: each player's ``δ*`` and the overall one.

    Attributes
    ----------
    kind : {"nash", "minmax"}
        Reversion to a stage Nash equilibrium (self-enforcing) or to minmax payoffs (the
        harshest punishment; not self-enforcing in general).
    punishment : tuple
        ``P_i``: each player's payoff per punishment round.
    thresholds : tuple
        Each player's ``δ*`` (Fraction, float, or None for never).
    cases : tuple of Case
        Why, per player (see the module docstring).
    overall : Fraction, float or None
        The largest ``δ*`` (None if any player's is None).
    equilibrium : int or None
        For ``kind == "nash"``, the index of the punishment in :attr:`Repeated.equilibria`.
    """

    kind: Literal["nash", "minmax"]
    punishment: tuple[Value, ...]
    thresholds: tuple[Value | None, ...]
    cases: tuple[Case, ...]
    overall: Value | None
    equilibrium: int | None = None

    def sustained(self, delta: Value | int) -> bool:
        """Whether the target holds at discount factor ``delta``: exactly ``δ >= δ*``.

        >>> Reversion("nash", (1, 1), (Fraction(1, 3), Fraction(1, 2)),
        ...           ("threshold", "threshold"), Fraction(1, 2), 0).sustained(0.5)
        True
        """
        return _at_least(delta, self.overall)

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready, per player by name."""
        return {
            "kind": self.kind,
            "punishment": {
                p: _number(v) for p, v in zip(game.players, self.punishment, strict=True)
            },
            "thresholds": {
                p: {**_number(d), "case": c}
                for p, d, c in zip(game.players, self.thresholds, self.cases, strict=True)
            },
            "overall": _number(self.overall),
            "equilibrium": self.equilibrium,
        }


@dataclass(frozen=True)
class Root:
    """A critical discount factor: the least ``δ`` in ``[0, 1)`` with ``δ + … + δ^k >= level``.

    Rational roots are exact (``low == high == value``, ``exact`` True, for exact games).
    Irrational ones are bracketed by ``low < root < high`` with ``high - low <=``
    :data:`BISECTION_WIDTH`; then ``value`` is the float midpoint and ``exact`` False, and
    :meth:`holds` still decides ``δ >= root`` exactly, from the polynomial. For float games
    every field is a float and ``exact`` is False.

    Attributes
    ----------
    rounds : int
        ``k``, the length of the punishment.
    level : Fraction or float
        ``c = (T - R) / (R - P)`` (0 when no breach pays).
    value, low, high : Fraction or float
        The root and its bracket.
    exact : bool
        Whether ``value`` is the exact root.
    """

    rounds: int
    level: Value
    value: Value
    low: Value
    high: Value
    exact: bool

    def holds(self, delta: Value | int) -> bool:
        """Whether ``δ >= root``: exact for exact games (``δ`` rationalised).

        >>> golden = Root(2, Fraction(1), 0.618034, Fraction(1, 2), Fraction(1), False)
        >>> golden.holds(Fraction(3, 5)), golden.holds(Fraction(5, 8))
        (False, True)
        """
        if isinstance(self.level, Fraction):
            return _partial_sum(rationalise(delta), self.rounds) >= self.level
        return compare(float(delta), self.value, 1.0) >= 0

    def text(self) -> str:
        """``"1/2"`` when exact, else the value with an ellipsis: ``"0.618…"``.

        >>> Root(2, Fraction(1), 0.6180339887, Fraction(1, 2), Fraction(1), False).text()
        '0.618…'
        """
        return value_text(self.value) if self.exact else f"{value_text(self.value)}…"

    def __float__(self) -> float:
        return float(self.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: value, bracket, exactness."""
        return {
            "value": float(self.value),
            "exact_value": exact_text(self.value) if self.exact else None,
            "low": float(self.low),
            "high": float(self.high),
            "exact": self.exact,
        }


@dataclass(frozen=True)
class LimitedPunishment:
    """A ``rounds``-round punishment with the Nash-reversion equilibrium, then back to the deal.

    ``thresholds[i]`` is player ``i``'s ``δ*`` (a :class:`Root`, or None for never),
    ``cases[i]`` why, and ``overall`` the larger root (None if any player's is None).
    """

    rounds: int
    thresholds: tuple[Root | None, ...]
    cases: tuple[Case, ...]
    overall: Root | None

    def sustained(self, delta: Value | int) -> bool:
        """Whether the target holds at ``delta`` with this punishment (exactly ``δ >= δ*``)."""
        return self.overall is not None and self.overall.holds(delta)

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready, per player by name."""
        return {
            "rounds": self.rounds,
            "thresholds": {
                p: {**(r.to_dict() if r is not None else {"value": None}), "case": c}
                for p, r, c in zip(game.players, self.thresholds, self.cases, strict=True)
            },
            "overall": None if self.overall is None else self.overall.to_dict(),
        }


@dataclass(frozen=True)
class FolkRegion:
    """The feasible and individually rational payoffs of the stage game (folk theorem).

    Attributes
    ----------
    hull : tuple of Point
        Feasible payoffs: the convex hull of the pure outcomes, counterclockwise.
    minmax : Point
        ``v = (v_0, v_1)``: each player's mixed minmax value.
    pure_minmax : Point
        Each player's minmax when the punisher may only use pure moves (never below ``v``).
    minmax_strategies : tuple
        ``minmax_strategies[i]`` is the other player's mixed strategy that holds player
        ``i`` to ``v_i`` (lexicographically largest of them, as :func:`maxmin` picks).
    mutual_minmax_is_equilibrium : bool
        Whether both playing those strategies at once is a stage Nash equilibrium (then
        the harsh punishment is self-enforcing too).
    individually_rational : tuple of Point
        The hull clipped to ``u >= v``, counterclockwise (never empty: it holds every stage
        equilibrium's payoffs).
    equilibrium_payoffs : tuple of Point
        Payoffs of the stage equilibria, in the order of :attr:`Repeated.equilibria`.
    target : Point
        The target's payoffs.
    strictly_individually_rational : bool
        Whether the target pays both players strictly more than ``v``.
    """

    hull: tuple[Point, ...]
    minmax: Point
    pure_minmax: Point
    minmax_strategies: tuple[tuple[Value, ...], tuple[Value, ...]]
    mutual_minmax_is_equilibrium: bool
    individually_rational: tuple[Point, ...]
    equilibrium_payoffs: tuple[Point, ...]
    target: Point
    strictly_individually_rational: bool

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: points as float pairs plus exact string pairs (None for floats)."""
        exact = game.is_exact

        def points(ps: Sequence[Point]) -> dict[str, Any]:
            return {
                "points": [[float(x), float(y)] for x, y in ps],
                "exact": [[str(x), str(y)] for x, y in ps] if exact else None,
            }

        return {
            "hull": points(self.hull),
            "minmax": points([self.minmax]),
            "pure_minmax": points([self.pure_minmax]),
            "minmax_strategies": {
                p: {m: float(x) for m, x in zip(game.moves[1 - i], s, strict=True)}
                for i, (p, s) in enumerate(zip(game.players, self.minmax_strategies, strict=True))
            },
            "mutual_minmax_is_equilibrium": self.mutual_minmax_is_equilibrium,
            "individually_rational": points(self.individually_rational),
            "equilibrium_payoffs": points(self.equilibrium_payoffs),
            "target": points([self.target]),
            "strictly_individually_rational": self.strictly_individually_rational,
        }


@dataclass(frozen=True)
class FiniteHorizon:
    """What a known end date after ``horizon`` rounds does (see the module docstring).

    Attributes
    ----------
    horizon : int
        Number of rounds.
    discount : Fraction or float
        The ``δ`` used in the checks: the given discount, or 1 when none was given.
    assumed_discount : bool
        True when no discount was given and ``δ = 1`` was assumed.
    unique : bool
        Whether the stage game has a unique Nash equilibrium (then cooperation unravels).
    leverage : bool
        Whether some player's payoffs differ across the stage equilibria, so that the last
        round can reward or punish it.
    target_is_equilibrium : bool
        Whether the target is itself a stage equilibrium (then playing it every round is
        subgame perfect).
    reward : int or None
        Index of the final-round equilibrium promised after cooperation (None with a
        unique equilibrium or a horizon of 1).
    punishments : tuple of int
        Per player, the index of its worst stage equilibrium (lowest index on ties).
    reward_payoffs, worst_payoffs : tuple
        Per player, ``E_i`` (payoff in :attr:`reward`; with a unique equilibrium, in it)
        and ``b_i`` (in its worst).
    last_round_checks : tuple of bool
        Per player, ``T_i - R_i <= δ (E_i - b_i)``: the round before the last.
    all_round_checks : tuple of bool
        Per player, whether every round before the last passes (the first round too).
    sustained : bool
        Whether the target can be played in every round but the last (in every round, when
        it is a stage equilibrium).
    final_rounds : int or None
        When the last round alone is not enough: the fewest final rounds of a stage
        equilibrium after which the target can be played in every round before them (each
        breach punished by the breaker's worst equilibrium for the rest of the game);
        ``None`` when no number of final rounds works (or none is needed).
    final_reward : int or None
        The equilibrium played in those final rounds.
    """

    horizon: int
    discount: Value
    assumed_discount: bool
    unique: bool
    leverage: bool
    target_is_equilibrium: bool
    reward: int | None
    punishments: tuple[int, ...]
    reward_payoffs: tuple[Value, ...]
    worst_payoffs: tuple[Value, ...]
    last_round_checks: tuple[bool, ...]
    all_round_checks: tuple[bool, ...]
    sustained: bool
    final_rounds: int | None = None
    final_reward: int | None = None

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready, per player by name."""
        return {
            "horizon": self.horizon,
            "discount": _number(self.discount),
            "assumed_discount": self.assumed_discount,
            "unique_equilibrium": self.unique,
            "leverage": self.leverage,
            "target_is_equilibrium": self.target_is_equilibrium,
            "reward_equilibrium": self.reward,
            "punishment_equilibria": dict(zip(game.players, self.punishments, strict=True)),
            "reward_payoffs": {
                p: _number(v) for p, v in zip(game.players, self.reward_payoffs, strict=True)
            },
            "worst_payoffs": {
                p: _number(v) for p, v in zip(game.players, self.worst_payoffs, strict=True)
            },
            "last_round_checks": dict(zip(game.players, self.last_round_checks, strict=True)),
            "all_round_checks": dict(zip(game.players, self.all_round_checks, strict=True)),
            "sustained": self.sustained,
            "final_rounds": self.final_rounds,
            "final_reward_equilibrium": self.final_reward,
        }


def _equilibrium_text(game: Game, equilibrium: Equilibrium) -> str:
    """A stage equilibrium in words: its profile if pure, else each player's mixture."""
    profile = equilibrium.pure_profile
    if profile is not None:
        return profile_text(game, profile)
    parts = []
    for name, moves, strategy in zip(game.players, game.moves, equilibrium.strategies, strict=True):
        used = [f"{value_text(p)} {m}" for m, p in zip(moves, strategy, strict=True) if p > 0]
        parts.append(f"{name} {' + '.join(used)}")
    return f"the mixed equilibrium ({'; '.join(parts)})"


def _names(names: Sequence[str], word: str = "and") -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def _lengths(rounds: Sequence[int], word: str) -> str:
    """Punishment lengths in words.

    >>> _lengths([1], "or"), _lengths([1, 2, 5], "and")
    ('a 1-round punishment', '1-, 2- and 5-round punishments')
    """
    if len(rounds) == 1:
        return f"a {rounds[0]}-round punishment"
    return f"{_names([f'{k}-' for k in rounds[:-1]] + [f'{rounds[-1]}-round'], word)} punishments"


def _term(value: Value) -> str:
    """A number inside arithmetic: negative numbers in brackets, ``"(-1)"``."""
    text = value_text(value)
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True)
class Repeated:
    """Everything :func:`repeated` found about sustaining a target in repeated play.

    Attributes
    ----------
    target : tuple of int
        The target pure profile.
    incentives : tuple of Incentive
        Per player: ``R``, the best breach and ``T``.
    equilibria : tuple of Equilibrium
        The stage game's extreme Nash equilibria (:func:`sim.solvers.solve`).
    candidates : tuple
        The overall grim-trigger ``δ*`` with each stage equilibrium as the punishment.
    nash : Reversion
        Grim trigger with the best of them (:attr:`Reversion.equilibrium`).
    minmax : Reversion
        Grim trigger with minmax payoffs as the punishment.
    punishments : tuple of LimitedPunishment
        One per punishment length, in increasing order.
    folk : FolkRegion
        Feasible and individually rational payoffs.
    discount : Fraction, float or None
        The discount factor given, if any (rationalised).
    finite : FiniteHorizon or None
        The known-end-date analysis, when a horizon was given.
    """

    target: tuple[int, ...]
    incentives: tuple[Incentive, ...]
    equilibria: tuple[Equilibrium, ...]
    candidates: tuple[Value | None, ...]
    nash: Reversion
    minmax: Reversion
    punishments: tuple[LimitedPunishment, ...]
    folk: FolkRegion
    discount: Value | None
    finite: FiniteHorizon | None

    def sustained(self, delta: Value | int) -> bool:
        """Whether grim trigger sustains the target at ``delta``: exactly ``δ >= δ*``.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> result = repeated(pd, (0, 0))
        >>> result.sustained(Fraction(1, 2)), result.sustained(0.4999)
        (True, False)
        """
        return self.nash.sustained(delta)

    @property
    def sustained_at_discount(self) -> bool | None:
        """Whether grim trigger sustains the target at :attr:`discount` (None if not given)."""
        return None if self.discount is None else self.sustained(self.discount)

    def _check(self, game: Game) -> None:
        shape = tuple(len(s) for s in self.equilibria[0].strategies)
        if game.n_players != 2 or game.shape != shape:
            raise SimError(
                f"this repeated-game result is for a two-player game of shape {shape}, not "
                f"for a game of shape {game.shape}; pass the game it was computed from"
            )

    # ------------------------------------------------------------------- sentences
    def sentences(self, game: Game) -> tuple[str, ...]:
        """The analysis in plain language, naming players and moves.

        Parameters
        ----------
        game : Game
            The game this result was computed from (for names).

        Examples
        --------
        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
        ...                       moves=(("cooperate", "defect"),) * 2)
        >>> for line in repeated(pd, ("cooperate", "cooperate"), punishments=(2,),
        ...                      horizon=10).sentences(pd):
        ...     print(line)
        The target (cooperate, cooperate) pays A 3 and B 3 each round.
        A's best one-shot breach is defect, worth 5 in that round (a gain of 2).
        B's best one-shot breach is defect, worth 5 in that round (a gain of 2).
        Grim trigger (return to (defect, defect), paying A 1 and B 1, for ever after a breach) sustains (cooperate, cooperate) exactly when δ ≥ 1/2: A needs δ ≥ 1/2 and B δ ≥ 1/2.
        The punishment is self-enforcing: it repeats a stage equilibrium, from which no one gains by deviating in any round.
        With a 2-round punishment the deal needs δ ≥ 0.618… (A 0.618…, B 0.618…).
        A limited punishment is self-enforcing too: each of its rounds plays the stage equilibrium, and straying from it only restarts it.
        The harshest punishment, holding each side to its minmax value (A 1, B 1) for ever, is here the same as Nash reversion: mutual minmaxing is a stage equilibrium.
        Feasible payoffs (joint lotteries over the outcomes) form the convex hull of the 4 outcome payoffs; the minmax point is (1, 1) (pure minmax (1, 1)).
        (cooperate, cooperate) pays each side strictly more than its minmax value, so by the folk theorem it is a subgame-perfect outcome of the repeated game for every δ close enough to 1 (Fudenberg & Maskin 1986).
        With a known last round (10 rounds) cooperation unravels: the stage game has a unique Nash equilibrium, (defect, defect), which must be played in the last round whatever happened before, so by backward induction the only subgame-perfect play is (defect, defect) in every round.
        """  # noqa: E501
        self._check(game)
        out = self._target_sentences(game)
        if all(compare(k.gain, 0, game.scale()) == 0 for k in self.incentives):
            out.append(
                f"{profile_text(game, self.target)} is a stage equilibrium, so playing it every "
                "round is subgame perfect for every δ: the deal needs no punishment."
            )
        else:
            out += self._nash_sentences(game)
            out += self._limited_sentences(game)
            out += self._minmax_sentences(game)
        out += self._folk_sentences(game)
        out += self._discount_sentences(game)
        out += self._finite_sentences(game)
        return tuple(out)

    def _target_sentences(self, game: Game) -> list[str]:
        target = profile_text(game, self.target)
        pays = " and ".join(
            f"{game.players[k.player]} {value_text(k.reward)}" for k in self.incentives
        )
        out = [f"The target {target} pays {pays} each round."]
        for k in self.incentives:
            name = game.players[k.player]
            if k.deviation is None or k.deviation_payoff is None:
                out.append(f"{name} has no other move, so it cannot break the deal.")
            elif compare(k.gain, 0, game.scale()) > 0:
                out.append(
                    f"{name}'s best one-shot breach is {game.moves[k.player][k.deviation]}, "
                    f"worth {value_text(k.temptation)} in that round (a gain of "
                    f"{value_text(k.gain)})."
                )
            else:
                out.append(
                    f"{name} gains nothing by breaking the deal: its best other move, "
                    f"{game.moves[k.player][k.deviation]}, pays "
                    f"{value_text(k.deviation_payoff)}."
                )
        return out

    def _failure(
        self, game: Game, player: int, case: Case, punishment: Value, rounds: int | None = None
    ) -> str:
        """Why a punishment cannot hold ``player`` to the deal, in words."""
        name = game.players[player]
        k = self.incentives[player]
        if case == "rewarding punishment":
            return (
                f"the punishment pays {name} {value_text(punishment)}, more than the deal's "
                f"{value_text(k.reward)}, so a patient {name} would rather trigger it"
            )
        if case == "toothless punishment":
            return (
                f"{name} gains {value_text(k.gain)} by a breach and loses nothing afterwards "
                f"(the punishment pays it {value_text(punishment)}, as much as the deal)"
            )
        return (  # "too short": (R - P) k <= T - R
            f"{name} gains {value_text(k.gain)} by a breach, and a {rounds}-round punishment "
            f"costs it less than {rounds} × {value_text(k.reward - punishment)}"
        )

    def _nash_sentences(self, game: Game) -> list[str]:
        target = profile_text(game, self.target)
        nash = self.nash
        assert nash.equilibrium is not None
        punishment = _equilibrium_text(game, self.equilibria[nash.equilibrium])
        pays = " and ".join(
            f"{p} {value_text(v)}" for p, v in zip(game.players, nash.punishment, strict=True)
        )
        lead = f"Grim trigger (return to {punishment}, paying {pays}, for ever after a breach)"
        out = []
        if nash.overall is not None:
            needs = [
                f"{p} {'needs ' if i == 0 else ''}δ ≥ {value_text(d)}"
                for i, (p, d) in enumerate(zip(game.players, nash.thresholds, strict=True))
                if d is not None
            ]
            out.append(
                f"{lead} sustains {target} exactly when δ ≥ {value_text(nash.overall)}: "
                f"{' and '.join(needs)}."
            )
        else:
            reasons = [
                self._failure(game, i, c, nash.punishment[i])
                for i, (d, c) in enumerate(zip(nash.thresholds, nash.cases, strict=True))
                if d is None
            ]
            out.append(f"{lead} cannot sustain {target} for any δ < 1: {'; '.join(reasons)}.")
        if len(self.equilibria) > 1 and nash.overall is not None:
            out.append(
                f"Of the stage game's {len(self.equilibria)} extreme equilibria, this one "
                "needs the least patience as a punishment."
            )
        elif len(self.equilibria) > 1:
            out.append(
                f"None of the stage game's {len(self.equilibria)} extreme equilibria does "
                "better as a punishment."
            )
        out.append(
            "The punishment is self-enforcing: it repeats a stage equilibrium, from which no "
            "one gains by deviating in any round."
        )
        return out

    def _limited_sentences(self, game: Game) -> list[str]:
        if not self.punishments:
            return []
        held, never = [], []
        for limited in self.punishments:
            if limited.overall is None:
                never.append(limited)
                continue
            detail = ", ".join(
                f"{p} {r.text()}"
                for p, r in zip(game.players, limited.thresholds, strict=True)
                if r is not None
            )
            held.append(
                f"With a {limited.rounds}-round punishment the deal needs δ ≥ "
                f"{limited.overall.text()} ({detail})"
            )
        out = [f"{text}." for text in held]
        if never:
            longest = never[-1]
            reasons = [
                self._failure(game, i, case, self.nash.punishment[i], longest.rounds)
                for i, (root, case) in enumerate(
                    zip(longest.thresholds, longest.cases, strict=True)
                )
                if root is None
            ]
            lengths = _lengths([n.rounds for n in never], "or")
            nothing = f"no patience suffices for {lengths} ({'; '.join(reasons)})"
            if out:
                out[-1] = f"{held[-1]}, and {nothing}."
            else:
                out.append(nothing[:1].upper() + nothing[1:] + ".")
        out.append(
            "A limited punishment is self-enforcing too: each of its rounds plays the stage "
            "equilibrium, and straying from it only restarts it."
        )
        return out

    def _minmax_sentences(self, game: Game) -> list[str]:
        target = profile_text(game, self.target)
        harsh = self.minmax
        values = ", ".join(
            f"{p} {value_text(v)}" for p, v in zip(game.players, harsh.punishment, strict=True)
        )
        lead = (
            f"The harshest punishment, holding each side to its minmax value ({values}) for ever,"
        )
        scale = game.scale()
        same = all(
            compare(a, b, scale) == 0
            for a, b in zip(harsh.punishment, self.nash.punishment, strict=True)
        )
        if same and self.folk.mutual_minmax_is_equilibrium:
            return [
                f"{lead} is here the same as Nash reversion: mutual minmaxing is a stage "
                "equilibrium."
            ]
        if harsh.overall is not None:
            needs = ", ".join(
                f"{p} {value_text(d)}"
                for p, d in zip(game.players, harsh.thresholds, strict=True)
                if d is not None
            )
            text = f"{lead} would sustain {target} for δ ≥ {value_text(harsh.overall)} ({needs})"
        else:
            reasons = [
                (
                    f"the deal pays {game.players[i]} {value_text(self.incentives[i].reward)}, "
                    f"less than the {value_text(harsh.punishment[i])} it can guarantee itself"
                )
                if c == "rewarding punishment"
                else self._failure(game, i, c, harsh.punishment[i])
                for i, (d, c) in enumerate(zip(harsh.thresholds, harsh.cases, strict=True))
                if d is None
            ]
            text = f"{lead} cannot sustain {target} either: {'; '.join(reasons)}"
        if self.folk.mutual_minmax_is_equilibrium:
            return [
                f"{text}; mutual minmaxing is a stage equilibrium here, so it is self-enforcing."
            ]
        return [
            f"{text}. But minmaxing is not a stage equilibrium, so a punisher would have to "
            "be given a reason to carry it out (a richer strategy that rewards punishing; "
            "Fudenberg & Maskin 1986)."
        ]

    def _folk_sentences(self, game: Game) -> list[str]:
        folk = self.folk
        target = profile_text(game, self.target)
        outcomes = len(set(game.profiles()))
        out = [
            "Feasible payoffs (joint lotteries over the outcomes) form the convex hull of the "
            f"{outcomes} outcome payoffs; the minmax point is ({value_text(folk.minmax[0])}, "
            f"{value_text(folk.minmax[1])}) (pure minmax ({value_text(folk.pure_minmax[0])}, "
            f"{value_text(folk.pure_minmax[1])}))."
        ]
        if folk.strictly_individually_rational:
            out.append(
                f"{target} pays each side strictly more than its minmax value, so by the folk "
                "theorem it is a subgame-perfect outcome of the repeated game for every δ "
                "close enough to 1 (Fudenberg & Maskin 1986)."
            )
        else:
            short = [
                f"{p} gets {value_text(r)}, not more than its minmax value {value_text(v)}"
                for p, r, v in zip(game.players, folk.target, folk.minmax, strict=True)
                if compare(r, v, game.scale()) <= 0
            ]
            out.append(
                f"{target} is not strictly individually rational ({'; '.join(short)}), so the "
                "folk theorem does not vouch for it."
            )
        return out

    def _discount_sentences(self, game: Game) -> list[str]:
        if self.discount is None:
            return []
        delta = self.discount
        grim = "sustains" if self.sustained(delta) else "does not sustain"
        out = f"At δ = {value_text(delta)}, grim trigger {grim} the deal"
        held = [p.rounds for p in self.punishments if p.sustained(delta)]
        missed = [p.rounds for p in self.punishments if not p.sustained(delta)]
        parts = []
        if held:
            parts.append(
                f"{_lengths(held, 'and')} {'sustains' if len(held) == 1 else 'sustain'} it"
            )
        if missed:
            parts.append(f"{_lengths(missed, 'and')} {'does' if len(missed) == 1 else 'do'} not")
        if parts:
            out += "; " + ", ".join(parts)
        return [out + "."]

    def _finite_sentences(self, game: Game) -> list[str]:
        finite = self.finite
        if finite is None:
            return []
        target = profile_text(game, self.target)
        rounds = f"{finite.horizon} round{'s' if finite.horizon > 1 else ''}"
        if finite.unique:
            only = _equilibrium_text(game, self.equilibria[0])
            if finite.target_is_equilibrium:
                return [
                    f"With a known last round ({rounds}), {target} is the stage game's unique "
                    "Nash equilibrium, and playing it every round is the only subgame-perfect "
                    "play."
                ]
            return [
                f"With a known last round ({rounds}) cooperation unravels: the stage game has a "
                f"unique Nash equilibrium, {only}, which must be played in the last round "
                "whatever happened before, so by backward induction the only subgame-perfect "
                f"play is {only} in every round."
            ]
        if finite.target_is_equilibrium:
            return [
                f"With a known last round ({rounds}), {target} is itself a stage equilibrium, so "
                "playing it every round is subgame perfect."
            ]
        if finite.horizon == 1:
            return [
                f"A single round is a one-shot game: {target} is not a stage equilibrium, so "
                "it cannot be played."
            ]
        if not finite.leverage:
            return [
                f"With a known last round ({rounds}) cooperation unravels: the stage "
                f"game's {len(self.equilibria)} equilibria pay each player the same, so the "
                "last round can neither reward nor punish, and by backward induction only "
                "stage equilibria are played."
            ]
        assert finite.reward is not None
        good = _equilibrium_text(game, self.equilibria[finite.reward])
        delta = value_text(finite.discount)
        assumed = " (no discounting assumed)" if finite.assumed_discount else ""
        checks = []
        for i, k in enumerate(self.incentives):
            e, b = finite.reward_payoffs[i], finite.worst_payoffs[i]
            ok = "holds" if finite.last_round_checks[i] else "fails"
            checks.append(
                f"{game.players[i]}: {value_text(k.gain)} ≤ {delta} × ({value_text(e)} - "
                f"{_term(b)}) {ok}"
            )
        lead = (
            f"With a known last round ({rounds}) and several stage equilibria, cooperation "
            "before the last round can be sustained by promising a good final-round "
            "equilibrium and threatening each deviator with its worst one (Benoît & Krishna "
            "1985)"
        )
        if finite.sustained:
            lead += f": here the promise is {good}."
        elif finite.final_rounds is not None:
            lead += (
                f", but here a promise in the last round alone is not enough; the closest is "
                f"{good}."
            )
        else:
            lead += f", but here no promise is large enough; the closest is {good}."
        out = [
            lead,
            "In the round before the last each player needs gain ≤ δ × (reward - threat), at "
            f"δ = {delta}{assumed}: {'; '.join(checks)}.",
        ]
        if all(finite.last_round_checks) and not all(finite.all_round_checks):
            late = [
                p for p, ok in zip(game.players, finite.all_round_checks, strict=True) if not ok
            ]
            out.append(
                f"Earlier rounds are harder for {_names(late)}: the reward is further away "
                "and the threat worth less there."
            )
        if finite.sustained:
            out.append(
                f"So {target} can be played in rounds 1 to {finite.horizon - 1}, with {good} "
                f"in round {finite.horizon}."
            )
        elif finite.final_rounds is not None and finite.final_reward is not None:
            last = finite.final_rounds
            later = _equilibrium_text(game, self.equilibria[finite.final_reward])
            out.append(
                f"The last round alone is not enough, but {last} final rounds are: {target} "
                f"can be played in rounds 1 to {finite.horizon - last}, with {later} in the "
                f"last {last} rounds and each breach punished by the breaker's worst stage "
                "equilibrium to the end."
            )
        else:
            out.append(
                f"So {target} cannot be sustained by a plan of this kind (the target, then one "
                "stage equilibrium in the final rounds, a breach punished by the breaker's "
                "worst equilibrium): no number of final rounds rewards it enough."
            )
        return out

    # --------------------------------------------------------------------- to_dict
    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: moves by name, numbers as floats plus exact strings (None for floats).

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> data = repeated(pd, (0, 0)).to_dict(pd)
        >>> data["grim_trigger"]["overall"], data["target"]["profile"]
        ({'value': 0.5, 'exact': '1/2'}, ['s1', 's1'])
        """
        self._check(game)
        players = game.players
        return {
            "target": {
                "profile": list(game.profile_names(self.target)),
                "payoffs": {
                    p: _number(k.reward) for p, k in zip(players, self.incentives, strict=True)
                },
            },
            "incentives": {
                p: {
                    "reward": _number(k.reward),
                    "deviation": None if k.deviation is None else game.moves[i][k.deviation],
                    "deviation_payoff": _number(k.deviation_payoff),
                    "temptation": _number(k.temptation),
                    "gain": _number(k.gain),
                }
                for i, (p, k) in enumerate(zip(players, self.incentives, strict=True))
            },
            "equilibria": [e.to_dict() for e in self.equilibria],
            "candidates": [_number(c) for c in self.candidates],
            "grim_trigger": self.nash.to_dict(game),
            "minmax_trigger": self.minmax.to_dict(game),
            "limited_punishments": [p.to_dict(game) for p in self.punishments],
            "folk": self.folk.to_dict(game),
            "discount": _number(self.discount),
            "sustained_at_discount": self.sustained_at_discount,
            "finite_horizon": None if self.finite is None else self.finite.to_dict(game),
        }


# --------------------------------------------------------------------------- analysis
def _check_inputs(game: Game, punishments: Sequence[int], horizon: int | None) -> tuple[int, ...]:
    if not isinstance(game, Game):
        hint = "; for a scenario pass scenario.game" if hasattr(game, "game") else ""
        raise SimError(f"repeated() takes a Game, not {type(game).__name__}{hint}")
    if game.n_players != 2:
        raise SimError(
            f"repeated-game analysis needs a two-player game, got {game.n_players} players "
            f"({', '.join(game.players)}); the minmax point and folk region are computed for "
            "two players"
        )
    for k in punishments:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise SimError(
                f"punishment length {k!r} is not a whole number of rounds; give lengths >= 1, "
                "e.g. punishments=(1, 2, 3, 5)"
            )
    if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int)):
        raise SimError(f"horizon {horizon!r} is not a whole number of rounds; give an int >= 1")
    if horizon is not None and horizon < 1:
        raise SimError(f"horizon {horizon} must be at least 1 round")
    return tuple(sorted(set(punishments)))


def _discount(discount: Value | float | None) -> Fraction | None:
    if discount is None:
        return None
    value = rationalise(as_value(discount))
    if not 0 <= value < 1:
        raise SimError(
            f"discount factor δ = {discount} is outside [0, 1); it is the weight of the next "
            "round (e.g. 0.9), and must be below 1 for an endless game"
        )
    return value


def _root(found: _Exact | None, rounds: int, exact: bool) -> Root | None:
    if found is None:
        return None
    rational = found.low == found.high
    value = found.low if rational else (found.low + found.high) / 2
    return Root(
        rounds=rounds,
        level=_value(found.level, exact),
        value=value if rational and exact else float(value),
        low=_value(found.low, exact),
        high=_value(found.high, exact),
        exact=rational and exact,
    )


def _reversion(
    kind: Literal["nash", "minmax"],
    temptations: Sequence[Fraction],
    rewards: Sequence[Fraction],
    punishment: Sequence[Fraction],
    exact: bool,
    equilibrium: int | None = None,
) -> tuple[Reversion, Fraction | None]:
    found = [_grim(t, r, p) for t, r, p in zip(temptations, rewards, punishment, strict=True)]
    thresholds = [d for d, _ in found]
    overall = (
        None if any(d is None for d in thresholds) else max(d for d in thresholds if d is not None)
    )
    result = Reversion(
        kind=kind,
        punishment=tuple(_value(p, exact) for p in punishment),
        thresholds=tuple(_maybe(d, exact) for d in thresholds),
        cases=tuple(c for _, c in found),
        overall=_maybe(overall, exact),
        equilibrium=equilibrium,
    )
    return result, overall


def _folk(
    exact: Game,
    target: tuple[int, ...],
    equilibria: Sequence[Equilibrium],
    scale: float,
) -> tuple[FolkRegion, tuple[Fraction, Fraction]]:
    """The folk region of the exact game, and the exact minmax point."""
    points: list[Point] = []
    for profile in exact.profiles():
        u = exact.payoff(profile)
        points.append((u[0], u[1]))
    hull = convex_hull(points, scale)
    minmax_values: list[Fraction] = []
    strategies: list[tuple[Value, ...]] = []
    pure: list[Fraction] = []
    for i in range(2):
        table = own_rows(exact, i)  # rows: i's moves; columns: the punisher's moves
        punisher = maxmin((-table).T)  # the punisher maximises -u_i
        value = -punisher.value
        assert isinstance(value, Fraction)
        minmax_values.append(value)
        strategies.append(punisher.strategy)
        pure.append(min(max(column) for column in table.T.tolist()))
    v = (minmax_values[0], minmax_values[1])
    mutual = is_equilibrium(exact, (strategies[1], strategies[0]))
    region: Sequence[Point] = hull
    for axis in range(2):
        region = _clip(region, axis, v[axis])
    ir = convex_hull(region, scale)
    r = exact.payoff(target)
    folk = FolkRegion(
        hull=hull,
        minmax=v,
        pure_minmax=(pure[0], pure[1]),
        minmax_strategies=(strategies[0], strategies[1]),
        mutual_minmax_is_equilibrium=mutual,
        individually_rational=ir,
        equilibrium_payoffs=tuple((e.payoffs[0], e.payoffs[1]) for e in equilibria),
        target=(r[0], r[1]),
        strictly_individually_rational=all(r[i] > v[i] for i in range(2)),
    )
    return folk, v


def _finite(
    horizon: int,
    discount: Fraction | None,
    gains: Sequence[Fraction],
    rewards: Sequence[Fraction],
    equilibria: Sequence[Equilibrium],
    exact: bool,
) -> FiniteHorizon:
    """The known-end-date analysis, exactly (see the module docstring)."""
    delta = Fraction(1) if discount is None else discount
    payoffs = [[Fraction(e.payoffs[i]) for e in equilibria] for i in range(2)]
    worst = [min(row) for row in payoffs]
    punishments = tuple(row.index(w) for row, w in zip(payoffs, worst, strict=True))
    target_equilibrium = all(g == 0 for g in gains)
    unique = len(equilibria) == 1

    def slacks(e: int) -> list[tuple[Fraction, Fraction]]:
        """Per player, the margins of the check in the round before the last and in the
        first round (``horizon - 1`` rounds before the end; see the module docstring)."""
        m = horizon - 1
        out = []
        for i in range(2):
            spread = payoffs[i][e] - worst[i]
            near = delta * spread - gains[i]
            far = (rewards[i] - worst[i]) * _partial_sum(delta, m - 1) + delta**m * spread
            out.append((near, far - gains[i]))
        return out

    reward: int | None = None
    last = every = [target_equilibrium] * 2
    if horizon >= 2:
        # the promise that falls least short for the worse-off player (lowest index on ties)
        options = range(1 if unique else len(equilibria))
        reward = max(options, key=lambda e: (min(min(s) for s in slacks(e)), -e))
        margins = slacks(reward)
        last = [near >= 0 for near, _ in margins]
        every = [near >= 0 and far >= 0 for near, far in margins]
        if unique:
            reward = None
    sustained = target_equilibrium or (not unique and horizon >= 2 and all(every))
    final_rounds, final_reward = None, None
    if not sustained and not unique and not target_equilibrium and horizon >= 3:
        found = _final_rounds(horizon, delta, gains, rewards, payoffs, worst)
        if found is not None:
            final_rounds, final_reward = found
    chosen = 0 if reward is None else reward
    return FiniteHorizon(
        horizon=horizon,
        discount=_value(delta, exact),
        assumed_discount=discount is None,
        unique=unique,
        leverage=any(min(row) < max(row) for row in payoffs),
        target_is_equilibrium=target_equilibrium,
        reward=reward,
        punishments=punishments,
        reward_payoffs=tuple(_value(payoffs[i][chosen], exact) for i in range(2)),
        worst_payoffs=tuple(_value(w, exact) for w in worst),
        last_round_checks=tuple(last),
        all_round_checks=tuple(every),
        sustained=sustained,
        final_rounds=final_rounds,
        final_reward=final_reward,
    )


def _final_rounds(
    horizon: int,
    delta: Fraction,
    gains: Sequence[Fraction],
    rewards: Sequence[Fraction],
    payoffs: Sequence[Sequence[Fraction]],
    worst: Sequence[Fraction],
) -> tuple[int, int] | None:
    """The fewest final rounds ``k >= 2`` of one stage equilibrium ``E`` (and which) after
    which the target holds in every earlier round, or None.

    Plan: the target in rounds ``1 .. horizon - k``, then ``E``; a breach is punished by
    the breaker's worst equilibrium ``b`` to the end. Breaking in a cooperative round with
    ``c`` cooperative rounds still to come loses ``sum_{t=1..c} δ^t (R - b)`` plus
    ``δ^c sum_{t=1..k} δ^t (E - b)`` and gains ``T - R``. The loss changes with ``c`` by
    ``δ^c (δ (R - b) - (1 - δ) S)`` (``S`` the second sum), a factor of fixed sign, so it is
    monotone in ``c``: checking the last cooperative round (``c = 0``) and the first
    (``c = horizon - k - 1``) checks them all.
    """
    for k in range(2, horizon):
        c_first = horizon - k - 1
        for e in range(len(payoffs[0])):
            ok = True
            for i in range(2):
                spread = payoffs[i][e] - worst[i]
                tail = spread * _partial_sum(delta, k)
                near = tail - gains[i]
                far = (
                    (rewards[i] - worst[i]) * _partial_sum(delta, c_first)
                    + delta**c_first * tail
                    - gains[i]
                )
                ok = ok and near >= 0 and far >= 0
            if ok:
                return k, e
    return None


def _reported(game: Game, equilibrium: Equilibrium) -> Equilibrium:
    """A stage equilibrium of the rationalised game as reported for ``game``: itself for
    exact games; for float games in floats, with payoffs and regret on the float payoffs."""
    if game.is_exact:
        return equilibrium
    strategies = tuple(tuple(float(p) for p in s) for s in equilibrium.strategies)
    return Equilibrium(
        strategies, expected_payoffs(game, strategies), profile_regret(game, strategies)
    )


def repeated(
    game: Game,
    target: Sequence[int | str],
    *,
    discount: Value | float | None = None,
    punishments: Sequence[int] = (1, 2, 3, 5),
    horizon: int | None = None,
) -> Repeated:
    """How patient must both players be for a target profile to hold in repeated play?

    Steps (conventions, formulas and cases in the module docstring): (1) read the game
    exactly (float games rationalised); (2) each player's payoff ``R`` at the target, its
    best other move and the temptation ``T``; (3) the stage equilibria
    (:func:`sim.solvers.solve`), grim trigger with each as the punishment, and the one
    needing the least patience; (4) ``k``-round punishments with that equilibrium, each
    root isolated by exact bisection; (5) grim trigger with minmax payoffs; (6) the
    convex hull of the outcomes, the minmax point and the individually rational region;
    (7) with a horizon, backward induction or the Benoît-Krishna check.

    Parameters
    ----------
    game : Game
        A two-player game (the stage game).
    target : sequence of int or str
        The pure profile to sustain (the deal), by move indices or names.
    discount : Fraction or float, optional
        A discount factor ``δ`` in ``[0, 1)`` to check (floats are rationalised).
    punishments : sequence of int
        Lengths (rounds) of limited punishments to check; reported in increasing order.
    horizon : int, optional
        Number of rounds when the end date is known.

    Returns
    -------
    Repeated

    Raises
    ------
    SimError
        If the game does not have two players, the target is not a profile of it, the
        discount is outside ``[0, 1)``, or a punishment length or the horizon is not a
        positive whole number.

    Examples
    --------
    The prisoner's dilemma with R = 3, S = 0, T = 5, P = 1:

    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> result = repeated(pd, (0, 0), punishments=(1, 2, 3))
    >>> result.nash.overall, result.minmax.overall
    (Fraction(1, 2), Fraction(1, 2))
    >>> [None if p.overall is None else p.overall.text() for p in result.punishments]
    [None, '0.618…', '0.5437…']
    >>> result.folk.minmax, result.folk.individually_rational
    ((Fraction(1, 1), Fraction(1, 1)), ((Fraction(1, 1), Fraction(1, 1)), (Fraction(13, 3), Fraction(1, 1)), (Fraction(3, 1), Fraction(3, 1)), (Fraction(1, 1), Fraction(13, 3))))
    """  # noqa: E501
    lengths = _check_inputs(game, punishments, horizon)
    profile = game.profile_index(target)
    delta = _discount(discount)
    exact_game = rationalised(game)
    is_exact = game.is_exact
    scale = game.scale()

    # (2) the target's payoffs and temptations
    rewards: list[Fraction] = []
    temptations: list[Fraction] = []
    incentives = []
    for i in range(2):
        table = exact_game.payoff_matrix(i)
        at = [table[(*profile[:i], m, *profile[i + 1 :])] for m in range(game.shape[i])]
        r = at[profile[i]]
        others = [m for m in range(game.shape[i]) if m != profile[i]]
        move = max(others, key=lambda m: (at[m], -m)) if others else None
        d = None if move is None else at[move]
        t = r if d is None or d <= r else d
        rewards.append(r)
        temptations.append(t)
        incentives.append(
            Incentive(i, _value(r, is_exact), move, _maybe(d, is_exact), _value(t, is_exact))
        )

    # (3) Nash reversion: every stage equilibrium as the punishment, keep the best
    equilibria = solve(exact_game).equilibria
    options = []
    for k, e in enumerate(equilibria):
        punishment = [Fraction(p) for p in e.payoffs]
        options.append(_reversion("nash", temptations, rewards, punishment, is_exact, k))
    candidates = [overall for _, overall in options]
    ranked = min(
        range(len(options)),
        key=lambda k: (candidates[k] is None, candidates[k] or 0, k),
    )
    nash = options[ranked][0]
    punishment = [Fraction(p) for p in equilibria[ranked].payoffs]

    # (4) limited punishments with that equilibrium
    limited = []
    for rounds in lengths:
        found = [
            _limited(t, r, p, rounds)
            for t, r, p in zip(temptations, rewards, punishment, strict=True)
        ]
        roots = [f for f, _ in found]
        overall = None
        if all(f is not None for f in roots):
            overall = max((f for f in roots if f is not None), key=lambda f: f.level)
        limited.append(
            LimitedPunishment(
                rounds=rounds,
                thresholds=tuple(_root(f, rounds, is_exact) for f in roots),
                cases=tuple(c for _, c in found),
                overall=_root(overall, rounds, is_exact),
            )
        )

    # (5)-(6) minmax punishment and the folk region
    folk, v = _folk(exact_game, profile, equilibria, scale)
    harsh, _ = _reversion("minmax", temptations, rewards, v, is_exact)

    # (7) a known end date
    finite = None
    if horizon is not None:
        gains = [t - r for t, r in zip(temptations, rewards, strict=True)]
        finite = _finite(horizon, delta, gains, rewards, equilibria, is_exact)

    if not is_exact:
        folk = _float_folk(folk)
    return Repeated(
        target=profile,
        incentives=tuple(incentives),
        equilibria=tuple(_reported(game, e) for e in equilibria),
        candidates=tuple(_maybe(c, is_exact) for c in candidates),
        nash=nash,
        minmax=harsh,
        punishments=tuple(limited),
        folk=folk,
        discount=_maybe(delta, is_exact),
        finite=finite,
    )


def _float_folk(folk: FolkRegion) -> FolkRegion:
    """The folk region of a float game: every number a float."""

    def point(p: Point) -> Point:
        return float(p[0]), float(p[1])

    return FolkRegion(
        hull=tuple(point(p) for p in folk.hull),
        minmax=point(folk.minmax),
        pure_minmax=point(folk.pure_minmax),
        minmax_strategies=(
            tuple(float(x) for x in folk.minmax_strategies[0]),
            tuple(float(x) for x in folk.minmax_strategies[1]),
        ),
        mutual_minmax_is_equilibrium=folk.mutual_minmax_is_equilibrium,
        individually_rational=tuple(point(p) for p in folk.individually_rational),
        equilibrium_payoffs=tuple(point(p) for p in folk.equilibrium_payoffs),
        target=point(folk.target),
        strictly_individually_rational=folk.strictly_individually_rational,
    )
