"""Logit quantal response equilibrium (QRE) and its principal branch.

A *logit QRE* at precision ``λ >= 0`` (McKelvey & Palfrey 1995, "Quantal response
equilibria for normal form games", GEB 10) is a mixed profile ``p`` in which every player
answers the others with logit choice probabilities::

    p_ij = exp(λ u_ij(p)) / sum_k exp(λ u_ik(p))

where ``u_ij(p)`` is player ``i``'s expected payoff from its move ``j`` against the others'
mixed strategies in ``p``. At ``λ = 0`` everyone mixes uniformly (the centroid); as ``λ``
grows, players respond more and more sharply to payoff differences. The logit equilibria
form a curve starting at the centroid, the *principal branch*; for generic games it leads
to a single Nash equilibrium as ``λ -> ∞`` (the *Nash limit*, the logit solution), and the
branch may bend back in ``λ`` on the way (Turocy 2005, "A dynamic homotopy interpretation
of the logit quantal response equilibrium correspondence", GEB 51).

Conventions, stated once for this module:

* **λ is per payoff unit** (it multiplies payoffs), as in Gambit's ``logit_solve``: with ``λ = 1`` a
  payoff advantage of 1 multiplies the odds of the better move by ``e``. Multiplying every
  payoff by ``a > 0`` divides the ``λ`` of each equilibrium by ``a``; adding a constant to
  a player's payoffs changes nothing. ``λ·R``, with ``R`` the largest payoff range of any
  player (:attr:`QuantalBranch.payoff_range`), is free of units: the computation works
  with it, so the numerics do not depend on how payoffs are scaled.
* **The branch** is traced by predictor–corrector continuation (Allgower & Georg 1990,
  *Numerical Continuation Methods*, ch. 2–6) on the equations in log-probability
  coordinates ``x_ij = log p_ij`` (as in Turocy 2005): for each player ``i``,
  ``sum_j exp(x_ij) = 1`` and ``x_ij - x_i0 - λ (u_ij - u_i0) = 0`` for ``j >= 1``. The
  curve is followed by arc length in ``(x, τ)`` with ``τ = log(1 + λR)``, so points where
  it turns back in ``λ`` are passed; each step is an Euler predictor along the tangent
  and Newton corrections orthogonal to it, and the step length adapts to
  how well the corrector converges and how far the probabilities move. Log coordinates
  keep probabilities that fall towards 0 (the moves a Nash limit leaves out) accurate down
  to ``exp(-700)``; ``τ`` keeps a fold at large ``λ`` a fold rather than a hairpin, and
  brings a mixed Nash limit (approached like ``1/λ``) within a bounded arc length.
* **The Nash limit** is reached when the largest gain any player could make by deviating
  is at most ``TOLERANCE * R``, the project tolerance relative to the payoff range ``R``
  (so the verdict does not depend on the units of the payoffs), and the limit then passes
  the project's certificate (:func:`sim.certificate.certify`). The limit is then matched
  to the nearest equilibrium found by :func:`sim.solvers.solve` (exact when the game is
  exact), if one lies within :data:`MATCH_DISTANCE` of it. In degenerate two-player games
  the limit can be inside a continuum rather than at a corner of it: it is then matched
  to the maximal convex set of equilibria that holds it. For games with more players only pure
  equilibria are enumerated, so a mixed limit is reported as an ε-equilibrium with ``ε``
  its regret.
* **At a given λ** (:func:`logit_qre`) the answer is the first point where the principal
  branch reaches that ``λ``; where the branch bends back, some ``λ`` are reached three
  times, and the later two points are not returned.

All probabilities here are floats (a logit equilibrium at ``λ > 0`` is transcendental);
at ``λ = 0`` they are exactly the floats nearest ``1/k``.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                       moves=(("cooperate", "defect"), ("cooperate", "defect")))
>>> [round(p, 4) for p in logit_qre(pd, 1).strategies[0]]
[0.2268, 0.7732]
>>> qre_branch(pd).equilibrium.pure_profile
(1, 1)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from numbers import Real
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from sim.certificate import TOLERANCE, certify, compare, is_equilibrium
from sim.errors import SimError, SolverError
from sim.game import Game, Value, value_text
from sim.solvers import ConvexSet, Equilibrium, Solution, solve
from sim.wording import listing, profile_text, strategy_text

__all__ = [
    "LISTED",
    "MATCH_DISTANCE",
    "MAX_POINTS",
    "SETTLED",
    "TURN",
    "QuantalBranch",
    "QuantalResponse",
    "Stop",
    "logit_qre",
    "qre_branch",
]

MATCH_DISTANCE = 1e-4
"""Largest difference in any probability between the branch's limit and the extreme Nash
equilibrium it is matched to."""

SETTLED = 0.01
"""How close to the limit, in every probability, play counts as settled
(:meth:`QuantalBranch.settles`)."""

MAX_POINTS = 200
"""Most branch points written by :meth:`QuantalBranch.to_dict` (the branch is subsampled)."""

TURN = 0.01
"""A turning point counts only when ``λ`` then moves back by more than this share of its
value at the turn (smaller wiggles are numerical or negligible, as near a continuum of
equilibria)."""

LISTED = 4
"""Most turning points (or bifurcations) a sentence lists; the rest are counted."""

# Continuation controls, in the scale-free coordinates (x, τ), τ = log(1 + λR).
_FIRST_STEP = 0.05  # arc length of the first step
_MAX_ACCEL = 2.0  # the step grows at most by this factor per accepted step
_MIN_STEP = 1e-9  # below this the trace has stalled
_MAX_DISTANCE = 0.05  # largest first Newton correction accepted (see _distance)
_MAX_MOVE = 0.04  # aim: no probability moves more than this in one step (smooth figures)
_MAX_RISE = 0.25  # aim: τ rises by at most this in one step
_MIN_COSINE = 0.8  # smallest cosine of the angle between successive tangents accepted
_MAX_CONTRACTION = 0.5  # largest ratio of successive Newton corrections accepted
_MAX_NEWTON = 10
_NEWTON_TOLERANCE = 1e-11
_NOISE = 64 * np.finfo(float).eps
_MAX_TAU = math.log(1e13)  # λR beyond 1e13: floats cannot resolve payoff differences
_MAX_STEPS = 2000

Stop = Literal["nash", "lam_max", "steps", "stalled", "precision"]
"""Why a trace ended: it reached the Nash limit; it reached ``lam_max``; it took
``max_steps`` accepted steps; its step length fell below its minimum (the corrector failed
again and again, as at a bifurcation or in a degenerate game where the branch is
ill-determined); or ``λR`` passed ``1e13``, beyond which floats cannot tell the payoff
differences apart. Whatever ended the trace, a last point whose regret is within the
tolerance (and that passes the certificate) counts as the Nash limit: ``"nash"``."""

_STOPS = {
    "nash": "it reached a Nash equilibrium",
    "lam_max": "it reached the λ asked for",
    "steps": "it took the most steps allowed",
    "stalled": "its steps became too small to follow it (a bifurcation, or a degenerate "
    "game where the branch is ill-determined)",
    "precision": "λR passed 1e13, where floats cannot tell payoff differences apart",
}


# ------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class QuantalResponse:
    """One logit quantal response equilibrium.

    Attributes
    ----------
    lam : float
        The precision ``λ``, per payoff unit (see the module docstring).
    strategies : tuple of tuple of float
        ``strategies[i][j]`` is the probability that player ``i`` plays move ``j``.
    payoffs : tuple of float
        Each player's expected payoff.
    residual : float
        Fixed-point residual: the largest difference between a probability and the logit
        response to the profile (0 for an exact logit equilibrium). Rounding alone makes
        it about ``1e-16 λR``, which is large for a mixed Nash limit at ``λR ≈ 1e9``.
    regret : float
        The largest gain any player could make by deviating to a pure move (0 at a Nash
        equilibrium).
    """

    game: Game = field(repr=False, compare=False)
    lam: float
    strategies: tuple[tuple[float, ...], ...]
    payoffs: tuple[float, ...]
    residual: float
    regret: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: λ, and per player the probability of each move and the payoff."""
        return {
            "lambda": self.lam,
            "players": [
                {
                    "player": name,
                    "probabilities": dict(zip(moves, strategy, strict=True)),
                    "payoff": payoff,
                }
                for name, moves, strategy, payoff in zip(
                    self.game.players, self.game.moves, self.strategies, self.payoffs, strict=True
                )
            ],
            "residual": self.residual,
            "regret": self.regret,
        }

    def sentences(self) -> tuple[str, ...]:
        """The equilibrium in plain language, naming players and moves.

        >>> from sim.game import Game
        >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
        ...                            players=("Ann", "Bob"))
        >>> print(logit_qre(pennies, 2).sentences()[0])
        At λ = 2, Ann plays s1 with probability 0.5 and s2 0.5; Bob plays s1 0.5 and s2 0.5.
        """
        game = self.game
        parts = []
        for i, (name, strategy) in enumerate(zip(game.players, self.strategies, strict=True)):
            moves = game.moves[i]
            if len(moves) == 1:
                parts.append(f"{name} plays {moves[0]} (its only move)")
                continue
            listed = [f"{m} {value_text(p, 3)}" for m, p in zip(moves, strategy, strict=True)]
            if i == 0:
                listed[0] = f"{moves[0]} with probability {value_text(strategy[0], 3)}"
            parts.append(f"{name} plays {listing(listed)}")
        out = [f"At λ = {value_text(self.lam)}, " + "; ".join(parts) + "."]
        payoffs = ", ".join(
            f"{name} {value_text(v, 3)}" for name, v in zip(game.players, self.payoffs, strict=True)
        )
        out.append(f"Expected payoffs: {payoffs}.")
        out.append(
            f"No player could gain more than {value_text(self.regret, 3)} by switching to a "
            "single move (at a Nash equilibrium no one could gain anything)."
        )
        return tuple(out)


@dataclass(frozen=True)
class QuantalBranch:
    """The principal branch of logit equilibria, from the centroid towards a Nash limit.

    Attributes
    ----------
    game : Game
        The game traced.
    points : tuple of QuantalResponse
        The traced points in order along the branch (``λ`` rises except where the branch
        bends back); the first is the centroid at ``λ = 0``, the last the end of the trace.
    converged : bool
        True when the last point is within the tolerance of a Nash equilibrium.
    stopped : str
        Why the trace ended (:data:`Stop`): ``"nash"`` exactly when converged.
    equilibrium : Equilibrium or None
        The Nash equilibrium of :func:`sim.solvers.solve` that the branch ends at (exact for
        exact games), when one matches (see the module docstring).
    equilibrium_index : int or None
        Its index in the solution's equilibria (``NE1`` is index 0).
    convex_set : ConvexSet or None
        When the limit matches no extreme equilibrium but lies in a maximal convex set of
        equilibria of a two-player game (a continuum), that set.
    turning_points : tuple of float
        The ``λ`` (approximate) at which the branch turns back or forward again, counting
        only turns after which ``λ`` moves back by more than :data:`TURN` (1%) of its value.
    bifurcations : tuple of float
        The ``λ`` (approximate) at which another branch of logit equilibria crosses this
        one. That happens only in non-generic games (a symmetry, exact ties); the trace
        continues straight through, but a small change of payoffs can send the branch
        along another arm, to another equilibrium.
    payoff_range : float
        ``R``: the largest ``max - min`` of any player's payoffs (1 if all are constant, or
        in a float game within the project tolerance of constant).
    lam_max : float or None
        The cap on ``λ`` the trace was given.
    tolerance : float
        The regret below which the profile counts as a Nash equilibrium,
        ``TOLERANCE * R`` (``R`` as in :attr:`payoff_range`).
    complete : str
        What :attr:`equilibrium` was matched against: ``"extreme"`` (every extreme
        equilibrium of a two-player game) or ``"pure"`` (pure equilibria only).
    parameters : Mapping
        The continuation controls used.
    """

    game: Game = field(repr=False, compare=False)
    points: tuple[QuantalResponse, ...]
    converged: bool
    stopped: Stop
    equilibrium: Equilibrium | None
    equilibrium_index: int | None
    convex_set: ConvexSet | None
    turning_points: tuple[float, ...]
    bifurcations: tuple[float, ...]
    payoff_range: float
    lam_max: float | None
    tolerance: float
    complete: str
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def limit(self) -> QuantalResponse:
        """The last point traced: the Nash limit when :attr:`converged`."""
        return self.points[-1]

    @property
    def lams(self) -> tuple[float, ...]:
        """``λ`` at every traced point."""
        return tuple(p.lam for p in self.points)

    @property
    def epsilon(self) -> float:
        """The regret of the last point: it is an ε-equilibrium for this ε."""
        return self.limit.regret

    @property
    def max_residual(self) -> float:
        """The largest fixed-point residual along the branch."""
        return max(p.residual for p in self.points)

    def settles(self, distance: float = SETTLED) -> float:
        """The smallest traced ``λ`` from which on every point of the branch is within
        ``distance`` of the limit (in every probability).

        For a pure limit this is soon after the branch turns towards it; a mixed limit is
        approached only like ``1/λ``, so it is far earlier than :attr:`limit`'s ``λ``.

        >>> from sim.game import Game
        >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
        >>> branch = qre_branch(battle)  # ends at the mixed equilibrium
        >>> branch.settles() < 1e3 < 1e6 < branch.limit.lam
        True
        """
        goal = [[float(p) for p in self._limit_strategy(i)] for i in range(len(self.game.shape))]
        found = self.limit.lam
        for point in reversed(self.points):
            gap = max(
                abs(p - q)
                for s, t in zip(point.strategies, goal, strict=True)
                for p, q in zip(s, t, strict=True)
            )
            if gap > distance:
                break
            found = point.lam
        return found

    def equilibrium_label(self) -> str | None:
        """``"NE1"``, ``"NE2"``... as in the report, or None when no equilibrium matched."""
        if self.equilibrium_index is None:
            return None
        return f"NE{self.equilibrium_index + 1}"

    def sample(self, count: int = MAX_POINTS) -> tuple[int, ...]:
        """Indices of at most ``count`` points spread along the branch: the first, the last,
        the turning points, and evenly spaced ones between.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> branch = qre_branch(pd)
        >>> picked = branch.sample(5)
        >>> len(picked), picked[0], picked[-1] == len(branch.points) - 1
        (5, 0, True)
        """
        if count < 2:
            raise SimError(
                f"a sample of the branch keeps its two ends: count must be >= 2, got {count}"
            )
        n = len(self.points)
        if n <= count:
            return tuple(range(n))
        kept = {0, n - 1, *_turn_indices(self.lams)}
        spare = max(0, count - len(kept))
        others = [k for k in range(n) if k not in kept]
        kept.update(others[round(m * (len(others) - 1) / max(1, spare - 1))] for m in range(spare))
        ordered = sorted(kept)
        if len(ordered) > count:  # more turning points than room: keep some of them
            ordered = [ordered[round(m * (len(ordered) - 1) / (count - 1))] for m in range(count)]
        return tuple(ordered)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready and compact: the limit, the match, and at most :data:`MAX_POINTS`
        points of the branch (``points.probabilities[i][j][k]``: player ``i``, move ``j``,
        ``k``-th point)."""
        game = self.game
        picked = self.sample()
        eq = self.equilibrium
        return {
            "method": "logit QRE principal branch (predictor-corrector, arc length)",
            "lambda_units": "per payoff unit (as Gambit's logit_solve)",
            "payoff_range": self.payoff_range,
            "players": list(game.players),
            "moves": [list(m) for m in game.moves],
            "converged": self.converged,
            "stopped": self.stopped,
            "lambda_end": self.limit.lam,
            "lambda_max": self.lam_max,
            "tolerance": self.tolerance,
            "epsilon": self.epsilon,
            "max_residual": self.max_residual,
            "limit": self.limit.to_dict(),
            "equilibrium": None
            if eq is None
            else {
                "label": self.equilibrium_label(),
                "index": self.equilibrium_index,
                "matched_among": self.complete,
                **eq.to_dict(),
            },
            "convex_set": None
            if self.convex_set is None
            else {
                "corners": [f"NE{k + 1}" for k in self.convex_set.equilibria],
                **self.convex_set.to_dict(),
            },
            "turning_points": list(self.turning_points),
            "bifurcations": list(self.bifurcations),
            "points": {
                "count": len(self.points),
                "shown": len(picked),
                "lambda": [self.points[k].lam for k in picked],
                "probabilities": [
                    [[self.points[k].strategies[i][j] for k in picked] for j in range(moves)]
                    for i, moves in enumerate(game.shape)
                ],
            },
            "parameters": dict(self.parameters),
        }

    def sentences(self) -> tuple[str, ...]:
        """The branch in plain language: where it starts, where each player heads, where it
        ends, whether it bends back, and what λ means.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("US", "China"),
        ...                       moves=(("ease", "maintain"), ("raise", "restrict")))
        >>> start, heading, end, *_ = qre_branch(pd).sentences()
        >>> print(start)
        With no precision (λ = 0) each player mixes uniformly over its moves.
        >>> print(heading)  # doctest: +NORMALIZE_WHITESPACE
        As λ grows, US moves towards maintain (probability 1/2 → 1)
        and China towards restrict (1/2 → 1).
        >>> print(end.split(", reached")[0])
        The branch ends at NE1 (maintain, restrict)
        """
        game = self.game
        last = self.limit
        out = ["With no precision (λ = 0) each player mixes uniformly over its moves."]
        headings = self._headings()
        if last.lam == 0 and self.converged:
            out.append(
                "Uniform play is already a Nash equilibrium, so it is the logit equilibrium "
                "for every λ and the branch ends where it starts."
            )
        elif headings and last.lam > 0:
            out.append("As λ grows, " + listing(headings) + ".")
        gain = value_text(self.epsilon, 2)
        reach = f"reached by λ ≈ {value_text(last.lam)}, " if last.lam > 0 else ""
        settled = f"{reach}where no player can gain more than {gain} by deviating."
        if not self.converged:
            why = "" if self.stopped == "lam_max" else f" because {_STOPS[self.stopped]}"
            out.append(
                f"The trace stopped at λ = {value_text(last.lam)}{why}, before reaching a "
                f"Nash equilibrium: a player could still gain {gain} by deviating."
            )
        elif self.equilibrium is not None:
            label = self.equilibrium_label()
            out.append(f"The branch ends at {label} {_describe(game, self.equilibrium)}, {settled}")
            if self.equilibrium.pure_profile is None and last.lam > 0:
                out.append(
                    f"A mixed limit is approached only slowly: every probability is within "
                    f"{value_text(SETTLED)} of it from λ ≈ {value_text(self.settles(), 3)} on."
                )
        elif self.convex_set is not None:
            corners = ", ".join(f"NE{k + 1}" for k in self.convex_set.equilibria)
            out.append(
                "The branch ends inside a continuum of equilibria (the convex set with "
                f"corners {corners}), at {_profile_text(game, last.strategies)}, {settled}"
            )
        else:
            out.append(f"The branch ends at {_profile_text(game, last.strategies)}, {settled}")
            out.append(
                f"It is an ε-equilibrium with ε = {gain}, matching none of the equilibria "
                + (
                    "listed (games with three or more players are searched for pure "
                    "equilibria only)."
                    if self.complete == "pure"
                    else "found."
                )
            )
        if self.bifurcations:
            where = _lams_text(self.bifurcations)
            out.append(
                f"Another branch of logit equilibria crosses this one at {where} (the game "
                "is not generic: a symmetry or exact ties). The trace goes straight through; "
                "a small change of payoffs could send the branch along the other arm, to "
                "another equilibrium."
            )
        if self.turning_points:
            turns = _lams_text(self.turning_points)
            out.append(
                f"The branch bends back in λ ({turns}): there several logit equilibria share "
                "one λ, and the one on this branch depends on the path, not on λ alone."
            )
        out.append(
            "λ is per payoff unit: at λ = 1 a payoff advantage of 1 makes a move e ≈ 2.7 "
            "times as likely as the other."
        )
        return tuple(out)

    def _headings(self) -> list[str]:
        """Where each player's play heads as λ grows, for :meth:`sentences`."""
        game = self.game
        out: list[str] = []
        for i, name in enumerate(game.players):
            k = game.shape[i]
            if k == 1:
                continue
            end = self._limit_strategy(i)
            verb = f"{name} moves" if not out else name
            if all(abs(float(p) - 1 / k) <= MATCH_DISTANCE for p in end):
                out.append(f"{name} keeps mixing uniformly")
                continue
            top = max(range(k), key=lambda j: float(end[j]))
            start = value_text(Fraction(1, k))
            words = "probability " if not out else ""
            out.append(
                f"{verb} towards {game.moves[i][top]} ({words}{start} → {value_text(end[top], 3)})"
            )
        return out

    def _limit_strategy(self, player: int) -> tuple[Value, ...]:
        """The player's strategy at the limit: the matched equilibrium's (exact for exact
        games) if any, else the last point's."""
        if self.equilibrium is not None:
            return self.equilibrium.strategies[player]
        return self.limit.strategies[player]


# ---------------------------------------------------------------------------- helpers
def _profile_text(game: Game, strategies: Sequence[Sequence[float]]) -> str:
    """A float profile for people: each player's moves with probability above 1e-6."""
    return "; ".join(
        f"{name} {strategy_text(game, i, [p if p > 1e-6 else 0.0 for p in s], 3)}"
        for i, (name, s) in enumerate(zip(game.players, strategies, strict=True))
    )


def _describe(game: Game, eq: Equilibrium) -> str:
    """``"(a, b)"`` for a pure equilibrium, else each player's mixture."""
    if eq.pure_profile is not None:
        return profile_text(game, eq.pure_profile)
    mixes = "; ".join(
        f"{name} {strategy_text(game, i, s)}"
        for i, (name, s) in enumerate(zip(game.players, eq.strategies, strict=True))
    )
    return f"(mixed: {mixes})"


def _turn_indices(lams: Sequence[float], share: float = TURN) -> list[int]:
    """Indices of the points where λ stops rising and starts falling, or the reverse,
    counting a turn only when λ then moves back by more than ``share`` of its value there
    (the running extreme is confirmed as a turn by that much of a reversal).

    >>> _turn_indices([0, 1, 2, 3, 2.5, 2, 2.9, 4])
    [3, 5]
    >>> _turn_indices([0, 1, 100, 99.95, 100.2, 200])  # a 0.05% wiggle is not a turn
    []
    """
    out: list[int] = []
    rising, extreme = True, 0
    for k in range(1, len(lams)):
        value, top = lams[k], lams[extreme]
        if (value >= top) if rising else (value <= top):
            extreme = k
        elif abs(value - top) > share * abs(top):
            out.append(extreme)
            rising, extreme = not rising, k
    return out


def _lams_text(lams: Sequence[float]) -> str:
    """``"λ ≈ 11.4 and λ ≈ 1.24"``; past :data:`LISTED` values, the first ones and a count."""
    shown = [f"λ ≈ {value_text(t, 3)}" for t in lams[:LISTED]]
    if len(lams) > LISTED:
        more = len(lams) - LISTED
        return ", ".join(shown) + f" and {more} more (all in results.json)"
    return listing(shown)


def _precision(lam: Any) -> float:
    if isinstance(lam, bool) or not isinstance(lam, Real):
        raise SimError(f"λ must be a number, got {lam!r}")
    value = float(lam)
    if not math.isfinite(value) or value < 0:
        raise SimError(
            f"λ must be a finite number >= 0 (0 is uniform play, larger is more precise), "
            f"got {lam!r}"
        )
    return value


def _check_game(game: Any) -> Game:
    if not isinstance(game, Game):
        hint = "; for a scenario pass scenario.game" if hasattr(game, "game") else ""
        raise SimError(f"logit QRE takes a Game, not {type(game).__name__}{hint}")
    return game


# ------------------------------------------------------------------------------ model
@dataclass(frozen=True)
class _Model:
    """The game in the scale-free form the tracer uses: payoffs ``(u_i - min u_i) / R``."""

    shape: tuple[int, ...]
    tables: tuple[np.ndarray, ...]
    low: tuple[float, ...]
    span: float
    blocks: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, game: Game) -> _Model:
        payoffs = game.float_payoffs()
        raw = [payoffs[..., i] for i in range(game.n_players)]
        low = tuple(float(t.min()) for t in raw)
        span = max(float(t.max()) - lo for t, lo in zip(raw, low, strict=True))
        if span <= 0 or (not game.is_exact and compare(span, 0.0, game.scale()) == 0):
            span = 1.0  # no payoff varies (a float game's tolerance-size range is a tie)
        edges = np.cumsum((0, *game.shape)).tolist()
        return cls(
            shape=game.shape,
            tables=tuple((t - lo) / span for t, lo in zip(raw, low, strict=True)),
            low=low,
            span=span,
            blocks=tuple(pairwise(edges)),
        )

    @property
    def size(self) -> int:
        return self.blocks[-1][1]

    @cached_property
    def reference(self) -> np.ndarray:
        """For each coordinate ``x_ij``, the index of its player's ``x_i0``."""
        return np.concatenate([np.full(b - a, a) for a, b in self.blocks])

    @cached_property
    def template(self) -> np.ndarray:
        """The constant part of the Jacobian: ``∂(x_ij - x_i0)/∂x`` in the difference rows."""
        jac = np.zeros((self.size, self.size + 1))
        for a, b in self.blocks:
            rows = np.arange(a + 1, b)
            jac[rows, rows] = 1.0
            jac[rows, a] = -1.0
        jac.flags.writeable = False
        return jac

    def start(self) -> np.ndarray:
        """The centroid at ``λ = 0``: ``(x, τ)`` with ``x_ij = -log k_i`` and ``τ = 0``."""
        return np.concatenate([np.full(k, -math.log(k)) for k in self.shape] + [np.zeros(1)])

    def tau(self, lam: float) -> float:
        """The continuation variable ``τ = log(1 + λR)`` of a precision ``λ``."""
        return math.log1p(lam * self.span)

    def lam(self, tau: float) -> float:
        """The precision ``λ`` of a continuation variable ``τ``."""
        return math.expm1(tau) / self.span

    def strategies(self, y: np.ndarray) -> list[np.ndarray]:
        with np.errstate(over="ignore"):  # a wild predictor; the corrector rejects it
            return [np.exp(y[a:b]) for a, b in self.blocks]

    def _contract(self, player: int, ps: Sequence[np.ndarray], keep: int) -> np.ndarray:
        """Player's payoff table contracted with every strategy but its own and ``keep``'s:
        a matrix ``[own move, keep's move]`` (or the move values if ``keep == player``)."""
        table = self.tables[player]
        for other in reversed(range(len(ps))):
            if other != player and other != keep:
                table = np.tensordot(table, ps[other], axes=([other], [0]))
        return table.T if keep < player else table

    def values(self, ps: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Each player's (scaled) payoff from each of its moves against the others."""
        out = []
        for i in range(len(ps)):
            other = 1 if i == 0 else 0
            out.append(self._contract(i, ps, other) @ ps[other])
        return out

    def equations(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The residual ``H(y)`` and its Jacobian ``J`` (``N`` rows, ``N + 1`` columns) at
        ``y = (x, τ)``, ``τ = log(1 + λR)``."""
        n = self.size
        mu = math.expm1(y[-1])
        ps = self.strategies(y)
        h = y[:-1] - y[self.reference]  # x_ij - x_i0, overwritten in the sum rows
        jac = self.template.copy()
        for i, (a, b) in enumerate(self.blocks):
            h[a] = ps[i].sum() - 1.0
            jac[a, a:b] = ps[i]
            if b - a == 1:
                continue
            value = None
            for k, (c, d) in enumerate(self.blocks):
                if k == i:
                    continue
                cross = self._contract(i, ps, k)
                if value is None:
                    value = cross @ ps[k]
                jac[a + 1 : b, c:d] = -mu * (cross[1:] - cross[0]) * ps[k]
            assert value is not None
            diff = value[1:] - value[0]
            h[a + 1 : b] -= mu * diff
            jac[a + 1 : b, n] = -(1.0 + mu) * diff
        return h, jac

    def regret(self, y: np.ndarray) -> float:
        """The largest gain from deviating, in the game's payoff units."""
        ps = self.strategies(y)
        values = self.values(ps)
        return self.span * max(float(v.max() - p @ v) for p, v in zip(ps, values, strict=True))

    def response(self, game: Game, y: np.ndarray) -> QuantalResponse:
        """The traced point ``y`` as a result."""
        mu = math.expm1(float(y[-1]))
        ps = [p / p.sum() for p in self.strategies(y)]
        values = self.values(ps)
        residual = 0.0
        for p, v in zip(ps, values, strict=True):
            weights = np.exp(mu * (v - v.max()))
            residual = max(residual, float(np.max(np.abs(p - weights / weights.sum()))))
        gain = max(float(v.max() - p @ v) for p, v in zip(ps, values, strict=True))
        return QuantalResponse(
            game=game,
            lam=self.lam(float(y[-1])),
            strategies=tuple(tuple(float(q) for q in p) for p in ps),
            payoffs=tuple(
                lo + self.span * float(p @ v) for lo, p, v in zip(self.low, ps, values, strict=True)
            ),
            residual=residual,
            regret=self.span * gain,
        )


# ---------------------------------------------------------------------------- tracing
def _tangent(jac: np.ndarray, previous: np.ndarray) -> np.ndarray | None:
    """The unit tangent of the branch: ``J t = 0``, oriented so that ``t · previous > 0``
    (the bordered system ``[J; previous] t = [0; 1]``), or None if it is singular."""
    border = np.vstack([jac, previous])
    right = np.zeros(len(previous))
    right[-1] = 1.0
    try:
        found = np.linalg.solve(border, right)
    except np.linalg.LinAlgError:
        return None
    size = float(np.linalg.norm(found))
    if not math.isfinite(size) or size == 0:
        return None
    return found / size


def _noise(y: np.ndarray) -> float:
    """The rounding noise of the residual at ``y``: its terms are as large as ``|x|`` and
    ``λR`` (scaled payoffs are at most 1), each known to a few units in the last place."""
    return _NOISE * (1.0 + float(np.max(np.abs(y[:-1]))) + math.expm1(abs(float(y[-1]))))


def _distance(y: np.ndarray, z: np.ndarray) -> float:
    """How far apart two profiles are: the largest change of a probability.

    Not the change of ``x``: a move played with negligible probability can have its log
    probability corrected by a lot without moving anything that matters. Not the change of
    ``τ`` either: a correction that slides along the branch is harmless.
    """
    with np.errstate(over="ignore"):
        return float(np.max(np.abs(np.exp(z[:-1]) - np.exp(y[:-1]))))


def _correct(
    model: _Model, y: np.ndarray, tangent: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float, float] | None:
    """Newton's method from the predicted point ``y``, each correction orthogonal to the
    tangent of the predictor (Keller's pseudo-arclength corrector, Allgower & Georg 1990,
    §2.3 and §6.1).

    Converged when a correction is below :data:`_NEWTON_TOLERANCE` (relative to ``|x|``)
    or the residual is down to rounding noise. Returns the corrected point, the Jacobian
    of the last iterate, the size of the first correction (:func:`_distance`) and the
    first contraction ratio, or None when the corrector does not converge well enough (the
    caller then shortens the step).
    """
    first = contraction = previous = 0.0
    zero = np.zeros(1)
    for iteration in range(_MAX_NEWTON):
        h, jac = model.equations(y)
        if not np.all(np.isfinite(h)):
            return None
        if float(np.max(np.abs(h))) <= _noise(y):
            return y, jac, first, contraction
        try:
            step = np.linalg.solve(np.vstack([jac, tangent]), np.concatenate([-h, zero]))
        except np.linalg.LinAlgError:
            return None
        size = float(np.linalg.norm(step))
        if iteration == 0:
            first = _distance(y, y + step)
            if first > _MAX_DISTANCE:
                return None
        else:
            ratio = size / previous if previous > 0 else 0.0
            if iteration == 1:
                contraction = ratio
            if ratio > _MAX_CONTRACTION:
                return None
        y = y + step
        previous = size
        if size <= _NEWTON_TOLERANCE * (1.0 + float(np.max(np.abs(y[:-1])))):
            return y, jac, first, contraction
    return None


def _land(model: _Model, before: np.ndarray, after: np.ndarray, target: float) -> np.ndarray:
    """The point of the branch at ``τ = target`` between two traced points ``before``
    (``τ`` below) and ``after`` (``τ`` at or above): Newton on ``H = 0, τ = target``
    from the linear interpolation."""
    share = (target - before[-1]) / (after[-1] - before[-1])
    y = before + share * (after - before)
    y[-1] = target
    for _ in range(50):
        h, jac = model.equations(y)
        if float(np.max(np.abs(h))) <= _noise(y):
            return y
        try:
            step = -np.linalg.solve(jac[:, :-1], h)
        except np.linalg.LinAlgError:
            break
        y[:-1] += step
        if float(np.max(np.abs(step))) <= _NEWTON_TOLERANCE * (1.0 + float(np.max(np.abs(y)))):
            return y
    raise SolverError(
        f"could not place the logit equilibrium at λ = {model.lam(target):g} on the branch "
        "(a turning point sits exactly there); try a slightly different λ"
    )


@dataclass(frozen=True)
class _Trace:
    """The traced points, why the trace ended, and the indices ``k`` of the points such
    that the branch splits between points ``k - 1`` and ``k``."""

    points: tuple[np.ndarray, ...]
    splits: tuple[int, ...]
    stopped: Stop


def _orientation(jac: np.ndarray, tangent: np.ndarray) -> float:
    """The sign of ``det [J; t]``: constant along a regular stretch of the branch (turning
    points included), it changes where the branch crosses another one (Allgower & Georg
    1990, §8.1)."""
    return float(np.linalg.slogdet(np.vstack([jac, tangent]))[0])


def _trace(
    model: _Model,
    *,
    target: float | None,
    stop_regret: float | None,
    max_steps: int,
) -> _Trace:
    """Follow the branch from the centroid until ``τ = log(1 + λR)`` reaches ``target``
    (first crossing) or, with ``stop_regret``, until the regret is at most that; or until
    it cannot be followed, or after ``max_steps`` accepted steps (see :data:`Stop`).
    Rejected attempts do not count: each halves the step, and the trace stalls once the
    step is below :data:`_MIN_STEP`, so there are at most about 30 between two accepted
    steps."""
    y = model.start()
    points = [y]
    splits: list[int] = []
    if stop_regret is not None and model.regret(y) <= stop_regret:
        return _Trace(tuple(points), tuple(splits), "nash")
    if target is not None and target <= 0:
        return _Trace(tuple(points), tuple(splits), "lam_max")
    _, jac = model.equations(y)
    rising = np.zeros(len(y))
    rising[-1] = 1.0
    tangent = _tangent(jac, rising)  # the branch leaves the centroid with λ rising
    if tangent is None:
        return _Trace(tuple(points), tuple(splits), "stalled")
    step = _FIRST_STEP
    sign = _orientation(jac, tangent)
    while len(points) <= max_steps:  # accepted steps; rejected ones halve the step
        corrected = _correct(model, y + step * tangent, tangent)
        direction = None
        if corrected is not None:
            new, jac, first, contraction = corrected
            direction = _tangent(jac, tangent)
        if (
            corrected is None
            or direction is None
            or float(direction @ tangent) < _MIN_COSINE
            or new[-1] <= 0
        ):
            # The corrector failed, the curve bent too far over the step, or the step left
            # the principal branch (which never returns to λ = 0): shorten the step.
            step /= 2
            if step < _MIN_STEP:
                return _Trace(tuple(points), tuple(splits), "stalled")
            continue
        if target is not None and new[-1] >= target:
            points.append(_land(model, y, new, target))
            return _Trace(tuple(points), tuple(splits), "lam_max")
        points.append(new)
        turned = _orientation(jac, direction)
        if turned * sign < 0:
            splits.append(len(points) - 1)
        sign = turned or sign
        if stop_regret is not None and model.regret(new) <= stop_regret:
            return _Trace(tuple(points), tuple(splits), "nash")
        if new[-1] > _MAX_TAU:
            return _Trace(tuple(points), tuple(splits), "precision")
        slow = max(
            math.sqrt(first / _MAX_DISTANCE),
            math.sqrt(contraction / _MAX_CONTRACTION),
            1.0 / _MAX_ACCEL,
            # keep the points dense enough to draw: each step moves a probability by at
            # most about _MAX_MOVE and multiplies 1 + λR by at most about e ** _MAX_RISE
            _distance(y, new) / _MAX_MOVE,
            abs(float(new[-1] - y[-1])) / _MAX_RISE,
        )
        step = step / min(slow, 2.0)
        y, tangent = new, direction
    return _Trace(tuple(points), tuple(splits), "steps")


def _responses(game: Game, model: _Model, points: Sequence[np.ndarray]) -> list[QuantalResponse]:
    return [model.response(game, y) for y in points]


def _uniform(game: Game, model: _Model) -> QuantalResponse:
    """The centroid, with probabilities exactly the floats nearest ``1/k``."""
    found = _responses(game, model, [model.start()])[0]
    return QuantalResponse(
        game=game,
        lam=0.0,
        strategies=tuple(tuple(1.0 / k for _ in range(k)) for k in game.shape),
        payoffs=found.payoffs,
        residual=0.0,
        regret=found.regret,
    )


# ------------------------------------------------------------------------------- public
def logit_qre(game: Game, lam: float) -> QuantalResponse:
    """The logit quantal response equilibrium at ``λ`` on the principal branch.

    Steps: (1) rescale the payoffs to a range of 1 (``λ`` becomes ``λR``); (2) start at the
    centroid (uniform play, the only logit equilibrium at ``λ = 0``); (3) follow the branch
    by predictor–corrector continuation in log probabilities (see the module docstring)
    until it first reaches ``λ``; (4) place the point at exactly ``λ`` by Newton's method.

    Parameters
    ----------
    game : Game
        Any finite game, any number of players (a player with one move is fine).
    lam : float
        The precision ``λ >= 0``, per payoff unit (as Gambit's ``logit_solve``).

    Returns
    -------
    QuantalResponse

    Raises
    ------
    SimError
        ``λ`` negative, infinite or not a number, or not a game.
    SolverError
        The branch cannot be followed (a bifurcation of a degenerate game).

    Examples
    --------
    >>> from sim.game import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> logit_qre(pennies, 5).strategies
    ((0.5, 0.5), (0.5, 0.5))
    >>> skewed = Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> [round(p, 4) for p in logit_qre(skewed, 1).strategies[1]]  # column plays away from 9
    [0.3128, 0.6872]
    """
    game = _check_game(game)
    value = _precision(lam)
    model = _Model.of(game)
    if value == 0:
        return _uniform(game, model)
    trace = _trace(model, target=model.tau(value), stop_regret=None, max_steps=_MAX_STEPS)
    last = trace.points[-1]
    if trace.stopped != "lam_max":
        raise SolverError(
            f"the logit branch could not be followed to λ = {value:g}: {_STOPS[trace.stopped]} "
            f"at λ ≈ {model.lam(float(last[-1])):.6g}; ask for a smaller λ"
        )
    # The trace lands on target = tau(λ) exactly; report the λ asked for, not the float
    # round trip lam(tau(λ)).
    return dataclasses.replace(_responses(game, model, [last])[0], lam=value)


def _nnls(matrix: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``argmin |matrix @ w - target|`` over ``w >= 0`` (Lawson & Hanson 1974, *Solving
    Least Squares Problems*, ch. 23): add the most promising weight to the free set, solve
    least squares on it, and step back towards the last feasible ``w`` while any is negative.
    """
    n = matrix.shape[1]
    weights = np.zeros(n)
    free = np.zeros(n, dtype=bool)
    for _ in range(3 * n):
        gradient = matrix.T @ (target - matrix @ weights)
        if free.all() or float(np.max(np.where(free, -np.inf, gradient))) <= 1e-12:
            break
        free[int(np.argmax(np.where(free, -np.inf, gradient)))] = True
        while True:
            trial = np.zeros(n)
            trial[free] = np.linalg.lstsq(matrix[:, free], target, rcond=None)[0]
            if float(np.min(trial[free])) > 0:
                weights = trial
                break
            falling = free & (trial <= 0)
            share = float(np.min(weights[falling] / (weights[falling] - trial[falling])))
            weights = weights + share * (trial - weights)
            free &= weights > 1e-15
            weights[~free] = 0.0
    return weights


def _hull_distance(point: Sequence[float], vertices: Sequence[Sequence[Value]]) -> float:
    """How far a probability vector is from the convex hull of some others (max norm of the
    best convex combination's error, the weights' sum counting as one more coordinate)."""
    corners = np.array([[float(q) for q in v] for v in vertices]).T
    matrix = np.vstack([corners, np.ones(corners.shape[1])])
    target = np.append(np.asarray(point, dtype=float), 1.0)
    weights = _nnls(matrix, target)
    return float(np.max(np.abs(matrix @ weights - target)))


@dataclass(frozen=True)
class _Match:
    equilibrium: int | None = None
    convex_set: int | None = None


def _match(limit: QuantalResponse, solution: Solution) -> _Match:
    """The extreme equilibrium nearest the limit if within MATCH_DISTANCE, else the first
    maximal convex set of equilibria that holds the limit (to that distance)."""
    best, where = math.inf, None
    for k, eq in enumerate(solution.equilibria):
        distance = max(
            abs(float(q) - p)
            for s, t in zip(eq.strategies, limit.strategies, strict=True)
            for q, p in zip(s, t, strict=True)
        )
        if distance < best:
            best, where = distance, k
    if where is not None and best <= MATCH_DISTANCE:
        return _Match(equilibrium=where)
    for k, convex in enumerate(solution.convex_sets):
        far = max(
            _hull_distance(point, corners)
            for point, corners in zip(limit.strategies, convex.vertices, strict=True)
        )
        if far <= MATCH_DISTANCE:
            return _Match(convex_set=k)
    return _Match()


def qre_branch(
    game: Game,
    lam_max: float | None = None,
    *,
    solution: Solution | None = None,
    max_steps: int = _MAX_STEPS,
) -> QuantalBranch:
    """The principal branch of logit equilibria, from ``λ = 0`` to its Nash limit.

    Steps: (1) rescale the payoffs to a range of 1; (2) from the centroid, follow the
    branch by predictor–corrector continuation with arc length in log probabilities (see
    the module docstring), passing turning points in ``λ``; (3) stop once no player can
    gain more than ``TOLERANCE * R`` by deviating (the Nash limit), or at
    ``lam_max``; (4) match the limit to an equilibrium of :func:`sim.solvers.solve`.

    Parameters
    ----------
    game : Game
        Any finite game, any number of players.
    lam_max : float, optional
        Stop at this ``λ`` (per payoff unit) if the Nash limit has not been reached before.
    solution : Solution, optional
        ``solve(game)``, if already computed (it is computed otherwise).
    max_steps : int
        Most accepted continuation steps (rejected attempts, which shorten the step, do
        not count). A trace that uses them all ends with ``stopped="steps"`` and, unless
        its last point is already within the tolerance, ``converged=False``; nothing is
        raised.

    Returns
    -------
    QuantalBranch

    Examples
    --------
    >>> from sim.game import Game
    >>> stag = Game.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]],
    ...                         moves=(("stag", "hare"), ("stag", "hare")))
    >>> branch = qre_branch(stag)
    >>> branch.converged, branch.equilibrium_label(), branch.equilibrium.pure_profile
    (True, 'NE3', (1, 1))
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> qre_branch(pennies).limit.strategies  # uniform is already the equilibrium
    ((0.5, 0.5), (0.5, 0.5))
    """
    game = _check_game(game)
    cap = None if lam_max is None else _precision(lam_max)
    if solution is None:
        solution = solve(game)
    elif solution.game is not game:
        raise SimError("the solution given is for another game; pass solve(game) of this game")
    if not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 1:
        raise SimError(f"max_steps must be a positive integer, got {max_steps!r}")
    model = _Model.of(game)
    tolerance = TOLERANCE * model.span
    trace = _trace(
        model,
        target=None if cap is None else model.tau(cap),
        stop_regret=tolerance / 2,
        max_steps=max_steps,
    )
    points = _responses(game, model, trace.points)
    points[0] = _uniform(game, model)
    limit = points[-1]
    stopped = trace.stopped
    if stopped == "nash":
        # The tracer stopped at half the tolerance on scaled payoffs; the certificate
        # checks the limit on the game's own payoffs (a failure is a bug: it raises).
        certify(game, limit.strategies)
    elif limit.regret <= tolerance and is_equilibrium(game, limit.strategies):
        # Ended otherwise (out of steps, say) between half the tolerance and all of it:
        # the verdict is the tolerance's, as in the certificate.
        stopped = "nash"
    converged = stopped == "nash"
    match = _match(limit, solution) if converged else _Match()
    index = match.equilibrium
    lams = [p.lam for p in points]
    return QuantalBranch(
        game=game,
        points=tuple(points),
        converged=converged,
        stopped=stopped,
        equilibrium=None if index is None else solution.equilibria[index],
        equilibrium_index=index,
        convex_set=None if match.convex_set is None else solution.convex_sets[match.convex_set],
        turning_points=tuple(lams[k] for k in _turn_indices(lams)),
        bifurcations=tuple((lams[k - 1] + lams[k]) / 2 for k in trace.splits),
        payoff_range=model.span,
        lam_max=cap,
        tolerance=tolerance,
        complete=solution.complete,
        parameters=MappingProxyType(
            {
                "first_step": _FIRST_STEP,
                "max_accel": _MAX_ACCEL,
                "max_steps": max_steps,
                "tolerance": TOLERANCE,
                "match_distance": MATCH_DISTANCE,
            }
        ),
    )
