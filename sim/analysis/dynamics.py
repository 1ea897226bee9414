"""Learning dynamics of two-player games: replicator dynamics and fictitious play.

Conventions, stated once for the module:

* **Numerical trajectories.** Unlike the solvers, these are numerical approximations:
  trajectories, frequencies and vector fields are floats. Only the rest points of a 2×2
  game (:func:`phase_field`) and the tie-breaks of fictitious play are exact.
* **Replicator dynamics** (two-population, or asymmetric: Taylor 1979; Hofbauer & Sigmund
  1998, ch. 10). Player 0's population plays the mixed strategy ``x`` and player 1's
  ``y``; with payoff matrices ``A`` (row) and ``B`` (column),
  ``dx_i/dt = x_i ((A y)_i - x·A y)`` and ``dy_j/dt = y_j ((x B)_j - x·B y)``. Time is
  measured with payoffs divided by the *payoff unit*, the largest range (max - min) of any
  player's payoffs (1 if every payoff is the same; :func:`payoff_unit`), so multiplying
  every payoff by a positive constant, however small, leaves trajectories, eigenvalues
  and regrets unchanged. Trajectories are integrated with the classical
  fixed-step Runge–Kutta method (RK4) in numpy; each population stays on its simplex
  (faces are invariant, and the step is small enough to keep every share positive; sums
  are renormalised to 1 after each step to remove rounding drift).
* **Starts.** ``start`` is a mixed profile (one probability vector per player), a pure
  profile (one move name or index per player) or None (both populations uniform). A pure
  profile is a rest point of the replicator dynamics, so "from the status quo" means from
  a perturbation of it: weight :data:`PERTURBATION` (0.9) on the status-quo move, the rest
  spread evenly over the player's other moves. Fictitious play uses the same start as the
  players' initial beliefs (one fictitious round of play).
* **Fictitious play** (Brown 1951; simultaneous updating as in Fudenberg & Levine 1998,
  ch. 2): round 0 is the start; in each later round every player plays a best response to
  the opponent's empirical frequencies so far (start included). Ties are broken
  deterministically, towards the lowest-numbered move; best responses are computed
  exactly, in integers, on the rationalised game (:func:`sim.certificate.rationalised`,
  as the solvers do), so a tie is a tie. nashpy's ``fictitious_play`` breaks ties at
  random with numpy's global generator and is used only as a test oracle, like its
  ``asymmetric_replicator_dynamics`` (scipy's ``odeint``, not a runtime dependency).
* **Phase portrait of a 2×2 game** (:func:`phase_field`): ``x`` is the probability of the
  row player's first move and ``y`` of the column player's first move. Rest points are
  classified by the eigenvalues of the Jacobian: *sink* (both negative: asymptotically
  stable), *source* (both positive), *saddle* (opposite signs), *centre* (purely imaginary:
  trajectories cycle around it; in 2×2 bimatrix games this is a true centre, the
  dynamics having a constant of motion), *non-hyperbolic* (a zero eigenvalue: degenerate
  games).
* **Stability of other rest points.** When a trajectory of a larger game comes to rest at
  a Nash equilibrium, that equilibrium is classified the same way, numerically: the
  eigenvalues of the Jacobian of the field at the equilibrium, restricted to the tangent
  space of the product of simplices (the field is tangent to it), with real parts within
  :data:`sim.certificate.TOLERANCE` of zero counted as zero. This is the project's one
  tolerance, applied in the dynamics' own unit: the eigenvalues are growth rates of payoffs
  divided by the payoff unit, so the tolerance is relative to the largest payoff range
  where the certificate's is relative to the largest payoff (:meth:`sim.game.Game.scale`).
  A *saddle* reached from the start means the start lies on its stable manifold (for
  instance by symmetry); nearby starts leave it.
* **Matching** with Nash equilibria: profiles are compared in the largest difference of
  any probability; an end point within :data:`CLOSE` of an equilibrium of
  :func:`sim.solvers.solve` is named after it (``NE1``, ``NE2``... in solver order).

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
...                       moves=(("cooperate", "defect"),) * 2)
>>> path = replicator(pd, ("cooperate", "cooperate"))
>>> [round(p, 3) for p in path.end[0]], path.outcome, path.equilibrium
([0.0, 1.0], 'rest', 0)
>>> play = fictitious_play(pd, ("cooperate", "cooperate"), iterations=50)
>>> play.settled_from, play.plays[0]
(1, (1, 1))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from sim.certificate import TOLERANCE, compare, is_equilibrium, rationalise, rationalised, regret
from sim.errors import SimError
from sim.game import Game, Value, exact_text, value_text
from sim.solvers import Solution, solve
from sim.wording import profile_text, strategy_text

__all__ = [
    "CLOSE",
    "HORIZON",
    "ITERATIONS",
    "NEAR",
    "PERTURBATION",
    "STEPS",
    "FictitiousPlay",
    "LearningDynamics",
    "PhaseField",
    "RestPoint",
    "SimplexField",
    "Trajectory",
    "fictitious_play",
    "is_symmetric",
    "learning_dynamics",
    "payoff_unit",
    "phase_field",
    "replicator",
    "sample_indices",
    "start_profile",
    "symmetric_field",
]

PERTURBATION = 0.9
"""Weight on the given move when a pure profile is used as a start."""
HORIZON = 200.0
"""Default length of a replicator trajectory, in time units of payoffs divided by the scale."""
STEPS = 4000
"""Default number of RK4 steps of a replicator trajectory."""
MAX_STEP = 0.1
"""Largest step allowed: with payoffs divided by the scale every growth rate is at most 2
in absolute value, and a step this small keeps every share positive."""
ITERATIONS = 2000
"""Default number of rounds of fictitious play."""
CLOSE = 0.01
"""An end point this close to an equilibrium (largest probability difference) is at it."""
NEAR = 0.05
"""Fictitious play's empirical frequencies this close to an equilibrium approach it; a
replicator orbit whose time average is this close to a mixed equilibrium cycles around it."""
POINTS = 200
"""Most points per series in ``to_dict()``."""
REGRET = 0.01
"""An end point whose regret is at most this share of the payoff unit is nearly Nash."""

Profile = tuple[tuple[float, ...], ...]
Stability = Literal["sink", "source", "saddle", "centre", "non-hyperbolic"]


# ------------------------------------------------------------------------------ helpers
def _two_players(game: Game, what: str) -> None:
    if not isinstance(game, Game):
        hint = "; for a scenario pass scenario.game" if hasattr(game, "game") else ""
        raise SimError(f"{what} takes a Game, not {type(game).__name__}{hint}")
    if game.n_players != 2:
        raise SimError(
            f"{what} is implemented for two-player games; this game has {game.n_players} "
            f"players ({', '.join(game.players)})"
        )


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def start_profile(
    game: Game, start: Sequence[Any] | None = None
) -> tuple[Profile, tuple[int, ...] | None]:
    """The mixed profile a dynamic starts from, and the pure profile it perturbs (if any).

    Parameters
    ----------
    game : Game
        A two-player game.
    start : sequence, optional
        A pure profile (move names or indices), perturbed as in the module docstring; a
        mixed profile (one probability vector per player); or None for uniform.

    Returns
    -------
    tuple
        ``(profile, origin)``: the probabilities as floats, and the pure profile perturbed
        (None for a mixed or uniform start).

    Examples
    --------
    >>> from sim.game import Game
    >>> g = Game.from_arrays([[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [1, 0, 1]])
    >>> start_profile(g, (1, "s3"))
    (((0.1, 0.9), (0.05, 0.05, 0.9)), (1, 2))
    >>> start_profile(g)[0][1]
    (0.3333333333333333, 0.3333333333333333, 0.3333333333333333)
    """
    _two_players(game, "a learning dynamic")
    if start is None:
        return tuple(tuple(1.0 / k for _ in range(k)) for k in game.shape), None
    items = list(start)
    if len(items) != 2:
        raise SimError(f"a start gives one move or one mixed strategy per player, got {items}")
    if all(isinstance(m, str | int | np.integer) and not isinstance(m, bool) for m in items):
        origin = game.profile_index(items)
        profile = []
        for move, k in zip(origin, game.shape, strict=True):
            rest = float((1 - Fraction(str(PERTURBATION))) / (k - 1)) if k > 1 else 0.0
            profile.append(tuple(PERTURBATION if j == move else rest for j in range(k)))
        if any(k == 1 for k in game.shape):
            profile = [s if len(s) > 1 else (1.0,) for s in profile]
        return tuple(profile), origin
    profile = []
    for name, strategy, k in zip(game.players, items, game.shape, strict=True):
        try:
            values = [float(p) for p in strategy]
        except (TypeError, ValueError) as err:
            raise SimError(
                f"{name}'s start {strategy!r} is neither a move nor a probability vector"
            ) from err
        total = sum(values)
        if (
            len(values) != k
            or not all(math.isfinite(p) and p >= 0 for p in values)
            or compare(total, 1) != 0
        ):
            raise SimError(
                f"{name}'s start {list(strategy)} is not a probability vector over its {k} "
                f"moves ({', '.join(game.moves[game.player_index(name)])}): give {k} "
                "non-negative numbers summing to 1"
            )
        profile.append(tuple(p / total for p in values))
    return tuple(profile), None


def _distance(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> float:
    """The largest difference of any probability between two profiles."""
    return max(
        abs(float(p) - float(q))
        for s, t in zip(a, b, strict=True)
        for p, q in zip(s, t, strict=True)
    )


def _matching(solution: Solution, profile: Profile) -> int | None:
    """Index of the equilibrium equal to a profile (each probability tied by
    :func:`sim.certificate.compare`), or None."""
    for k, eq in enumerate(solution.equilibria):
        if all(
            compare(p, q) == 0
            for s, t in zip(eq.strategies, profile, strict=True)
            for p, q in zip(s, t, strict=True)
        ):
            return k
    return None


def _nearest(solution: Solution, profile: Profile) -> tuple[int | None, float]:
    """Index of the equilibrium nearest a profile and its distance (None, inf if none)."""
    best: tuple[int | None, float] = (None, math.inf)
    for k, eq in enumerate(solution.equilibria):
        d = _distance(eq.probabilities, profile)
        if d < best[1]:
            best = (k, d)
    return best


def sample_indices(n: int, *, log: bool = False, limit: int = POINTS) -> np.ndarray:
    """At most ``limit`` sorted indices of ``range(n)``, first and last included: evenly
    spread or, with ``log``, half of them geometrically spaced (denser at the start, where
    fictitious play moves most). Used by ``to_dict()`` here and by the figures.

    >>> sample_indices(5).tolist(), sample_indices(1001, limit=5).tolist()
    ([0, 1, 2, 3, 4], [0, 250, 500, 750, 1000])
    >>> sample_indices(1001, log=True, limit=6).tolist()
    [0, 30, 500, 1000]
    """
    if n <= limit:
        return np.arange(n)
    if log:
        half = limit // 2
        dense = np.geomspace(1, n, half).astype(int) - 1
        spread = np.linspace(0, n - 1, limit - half).round().astype(int)
        return np.unique(np.concatenate((dense, spread)))
    return np.unique(np.linspace(0, n - 1, limit).round().astype(int))


def _profile_label(game: Game, profile: Sequence[Sequence[float]]) -> str:
    """A mixed profile in words: ``"(maintain, restrict)"`` when nearly pure, else each
    player's probabilities ``"US 0.33 ease + 0.67 maintain; China ..."``."""
    pure = [max(range(len(s)), key=lambda j: s[j]) for s in profile]
    if all(s[j] > 1 - CLOSE for s, j in zip(profile, pure, strict=True)):
        return profile_text(game, pure)
    rounded = [[round(float(p), 3) if p >= 0.0005 else 0.0 for p in s] for s in profile]
    return "; ".join(
        f"{game.players[i]} {strategy_text(game, i, s, 3)}" for i, s in enumerate(rounded)
    )


def _origin_text(
    game: Game, origin: tuple[int, ...] | None, start: Profile, name: str | None
) -> str:
    if origin is None:
        if name is not None:
            return f"From {name}"
        uniform = all(_distance((s,), ((1 / len(s),) * len(s),)) <= 1e-12 for s in start)
        return "From the uniform profile" if uniform else f"From {_profile_label(game, start)}"
    label = f"({', '.join(game.profile_names(origin))})"
    return f"From near {name} {label}" if name else f"From near {label}"


# -------------------------------------------------------------------------- replicator
def payoff_unit(game: Game) -> float:
    """The largest range (max - min) of any player's payoffs, or 1 if none varies: the unit
    in which the dynamics measure payoffs and time (see the module docstring).

    In a float game a range within the project tolerance (:func:`sim.certificate.compare`
    at :meth:`~sim.game.Game.scale`) counts as no variation, as the payoffs tie; an exact
    game's range counts however small it is.

    >>> from sim.game import Game
    >>> payoff_unit(Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 2]]))
    5.0
    >>> payoff_unit(Game.from_arrays([[1.0, 1.0 + 1e-12], [1.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]))
    1.0
    """
    scale = game.scale()
    spans = []
    for i in range(2):
        payoffs = game.payoff_matrix(i)
        low, high = payoffs.min(), payoffs.max()
        varies = game.is_exact or compare(high, low, scale) != 0
        spans.append(float(high - low) if varies else 0.0)
    return max(spans) if max(spans) > 0 else 1.0


def _payoff_matrices(game: Game) -> tuple[np.ndarray, np.ndarray]:
    """Both payoff matrices as floats divided by the payoff unit."""
    scale = payoff_unit(game)
    return (
        game.payoff_matrix(0).astype(np.float64) / scale,
        game.payoff_matrix(1).astype(np.float64) / scale,
    )


def _jacobian_stability(a: np.ndarray, b: np.ndarray, profile: Profile) -> Stability:
    """The stability of a rest point of the field of :func:`_rk4` (see the module
    docstring): the eigenvalues of its Jacobian on the tangent space of the simplices."""
    k0, k1 = a.shape
    size = k0 + k1
    m = np.zeros((size, size))
    m[:k0, k0:], m[k0:, :k0] = a, b.T
    groups = (range(k0), range(k0, size))
    z = np.concatenate([np.asarray(s, dtype=np.float64) for s in profile])
    mz = m @ z
    jacobian = np.zeros((size, size))
    for group in groups:
        rows = list(group)
        average = float(z[rows] @ mz[rows])
        # d/dz_k of the population's average payoff: [k in group] (Mz)_k + sum_l z_l M_lk
        d_average = z[rows] @ m[rows, :]
        d_average[rows] += mz[rows]
        for i in rows:
            jacobian[i] = z[i] * (m[i] - d_average)
            jacobian[i, i] += mz[i] - average
    # An orthonormal basis of {v : each population's entries sum to zero}.
    basis = []
    for group in groups:
        rows = list(group)
        for r in range(1, len(rows)):
            v = np.zeros(size)
            v[rows[:r]] = 1.0
            v[rows[r]] = -float(r)
            basis.append(v / np.linalg.norm(v))
    if not basis:  # one move each: the only profile, with no direction to leave it by
        return "sink"
    tangent = np.array(basis).T
    real = np.linalg.eigvals(tangent.T @ jacobian @ tangent).real
    if np.any(np.abs(real) <= TOLERANCE):
        return "non-hyperbolic"
    if np.all(real < 0):
        return "sink"
    return "source" if np.all(real > 0) else "saddle"


def _rk4(
    a: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray, step: float, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """RK4 on the stacked state ``z = (x, y)``: with ``M = [[0, A], [B^T, 0]]`` and ``Q`` the
    block matrix of ones of each population, the field is ``w - z (Q w)``, ``w = z (M z)``."""
    k0, k1 = a.shape
    size = k0 + k1
    m = np.zeros((size, size))
    m[:k0, k0:], m[k0:, :k0] = a, b.T
    q = np.zeros((size, size))
    q[:k0, :k0], q[k0:, k0:] = 1.0, 1.0

    def velocity(z: np.ndarray) -> np.ndarray:
        w = z * (m @ z)
        return w - z * (q @ w)

    out = np.empty((steps + 1, size))
    z = out[0] = np.concatenate((x, y))
    half = step / 2
    for n in range(steps):
        v1 = velocity(z)
        v2 = velocity(z + half * v1)
        v3 = velocity(z + half * v2)
        v4 = velocity(z + step * v3)
        z = z + step / 6 * (v1 + 2 * v2 + 2 * v3 + v4)
        z /= q @ z  # each population's shares sum to 1 (removes rounding drift)
        out[n + 1] = z
    return out[:, :k0].copy(), out[:, k0:].copy()


@dataclass(frozen=True)
class Trajectory:
    """A replicator trajectory (see the module docstring).

    Attributes
    ----------
    origin : tuple of int or None
        The pure profile the start perturbs (None for a mixed or uniform start).
    times : numpy.ndarray
        ``steps + 1`` times from 0 to ``horizon`` (read-only).
    strategies : tuple of numpy.ndarray
        ``strategies[i][n]`` is player ``i``'s population share of each move at
        ``times[n]`` (read-only, shape ``(steps + 1, k_i)``).
    outcome : {"rest", "cycle", "moving"}
        ``"rest"``: over the last quarter of the time the trajectory stays within
        :data:`CLOSE` of its end; ``"cycle"``: it keeps moving but its time average over
        the second half is within :data:`NEAR` of a mixed equilibrium (or, in a 2×2 game,
        its end is near a centre); ``"moving"``: neither, within the horizon.
    equilibrium : int or None
        The equilibrium (index into ``solve(game).equilibria``) at the end point (within
        :data:`CLOSE`) or, for a cycle, at its centre.
    distance : float
        Distance from the end point to the nearest equilibrium (inf if there is none).
    end_regret : float
        Largest gain of a player deviating from the end point, as a share of the payoff unit.
    stability : str or None
        The stability of the rest point the trajectory comes to: for a 2×2 game that of
        the isolated rest point (:class:`RestPoint`, exact), for larger games that of the
        Nash equilibrium it rests at (numerical, see the module docstring); otherwise None.
    """

    game: Game = field(repr=False, compare=False)
    origin: tuple[int, ...] | None
    start: Profile
    horizon: float
    steps: int
    times: np.ndarray = field(repr=False, compare=False)
    strategies: tuple[np.ndarray, np.ndarray] = field(repr=False, compare=False)
    outcome: Literal["rest", "cycle", "moving"]
    equilibrium: int | None
    distance: float
    end_regret: float
    stability: Stability | None = None

    @property
    def end(self) -> Profile:
        """The profile at the end of the horizon."""
        return tuple(tuple(float(p) for p in s[-1]) for s in self.strategies)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the outcome and at most :data:`POINTS` points of the trajectory."""
        keep = sample_indices(len(self.times))
        return {
            "method": "replicator (two-population, RK4)",
            "origin": list(self.game.profile_names(self.origin)) if self.origin else None,
            "start": [list(s) for s in self.start],
            "horizon": self.horizon,
            "steps": self.steps,
            "outcome": self.outcome,
            "end": [list(s) for s in self.end],
            "equilibrium": None if self.equilibrium is None else f"NE{self.equilibrium + 1}",
            "distance": None if math.isinf(self.distance) else self.distance,
            "end_regret": self.end_regret,
            "stability": self.stability,
            "times": [float(t) for t in self.times[keep]],
            "strategies": [s[keep].tolist() for s in self.strategies],
        }

    def sentences(self, origin_name: str | None = None) -> tuple[str, ...]:
        """The trajectory in plain language.

        Parameters
        ----------
        origin_name : str, optional
            What the start is, e.g. ``"the status quo"``.

        Examples
        --------
        >>> from sim.game import Game
        >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
        ...                            players=("A", "B"), moves=(("h", "t"), ("h", "t")))
        >>> print(replicator(pennies, ("h", "h")).sentences()[0])
        From near (h, h), replicator dynamics cycle around the mixed equilibrium NE1 without converging: A's share of h swings between 0.03 and 0.97.
        """  # noqa: E501
        game = self.game
        opening = _origin_text(game, self.origin, self.start, origin_name)
        end = self.end
        if self.outcome == "cycle":
            centre = f"NE{self.equilibrium + 1}" if self.equilibrium is not None else ""
            half = len(self.times) // 2
            share = self.strategies[0][half:, 0]
            return (
                f"{opening}, replicator dynamics cycle around the mixed equilibrium {centre} "
                f"without converging: {game.players[0]}'s share of {game.moves[0][0]} swings "
                f"between {value_text(round(float(share.min()), 2), 2)} and "
                f"{value_text(round(float(share.max()), 2), 2)}.",
            )
        where = _profile_label(game, end)
        if self.outcome == "moving":
            nearest = (
                ""
                if math.isinf(self.distance)
                else f"; the nearest Nash equilibrium is {self.distance:.2g} away"
            )
            return (
                f"{opening}, replicator dynamics have not settled by time "
                f"{value_text(self.horizon)}: they are at {where}{nearest}.",
            )
        verb = "approach"
        if self.origin is not None and _distance(end, _pure(game, self.origin)) <= CLOSE:
            verb = "return to"
        elif _distance(end, self.start) <= CLOSE:
            verb = "stay at"
        kind = {
            "sink": "a stable rest point",
            "saddle": "a saddle point (reached only along its stable manifold: nearby starts "
            "leave it)",
            "source": "an unstable rest point",
            "centre": "a centre",
            "non-hyperbolic": "a non-hyperbolic rest point",
        }.get(self.stability or "", "a rest point")
        if self.equilibrium is not None:
            what = f"{kind} and the Nash equilibrium NE{self.equilibrium + 1}"
        elif self.end_regret <= REGRET:
            what = f"{kind} and a Nash equilibrium (in a continuum of equilibria)"
        else:
            what = f"{kind} that is not a Nash equilibrium"
        return (f"{opening}, replicator dynamics {verb} {where}, {what}.",)


def _pure(game: Game, profile: Sequence[int]) -> Profile:
    return tuple(
        tuple(float(j == m) for j in range(k)) for m, k in zip(profile, game.shape, strict=True)
    )


def replicator(
    game: Game,
    start: Sequence[Any] | None = None,
    *,
    horizon: float = HORIZON,
    steps: int = STEPS,
    solution: Solution | None = None,
) -> Trajectory:
    """Two-population replicator dynamics from a start, integrated by RK4.

    Steps: (1) read the start (a perturbed pure profile, a mixed profile or uniform;
    :func:`start_profile`); (2) divide the payoffs by the scale and integrate
    ``dx_i/dt = x_i ((A y)_i - x·A y)``, ``dy_j/dt = y_j ((x B)_j - x·B y)`` with ``steps``
    RK4 steps up to ``horizon`` (Taylor 1979; Hofbauer & Sigmund 1998, ch. 10); (3) decide
    whether it comes to rest or cycles and match the end with the Nash equilibria of
    :func:`sim.solvers.solve`.

    Parameters
    ----------
    game : Game
        A two-player game.
    start : sequence, optional
        Pure profile (perturbed), mixed profile, or None (uniform).
    horizon : float
        Length of the trajectory (payoffs divided by the scale).
    steps : int
        Number of RK4 steps; ``horizon / steps`` must be at most :data:`MAX_STEP`.
    solution : Solution, optional
        The game's equilibria (:func:`sim.solvers.solve`); solved when not given.

    Returns
    -------
    Trajectory

    Examples
    --------
    >>> from sim.game import Game
    >>> stag = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...                         moves=(("stag", "hare"), ("stag", "hare")))
    >>> high, low = ((0.7, 0.3), (0.7, 0.3)), ((0.6, 0.4), (0.6, 0.4))
    >>> [round(replicator(stag, s).end[0][0], 3) for s in (high, low)]  # saddle at 2/3
    [1.0, 0.0]
    """
    _two_players(game, "replicator dynamics")
    if not (isinstance(steps, int) and steps >= 1 and horizon > 0):
        raise SimError(f"replicator needs horizon > 0 and steps >= 1, got {horizon}, {steps}")
    if horizon / steps > MAX_STEP:
        raise SimError(
            f"step {horizon / steps:.3g} (horizon {horizon} / {steps} steps) is too coarse; "
            f"use at least {math.ceil(horizon / MAX_STEP)} steps"
        )
    profile, origin = start_profile(game, start)
    a, b = _payoff_matrices(game)
    xs, ys = _rk4(a, b, np.array(profile[0]), np.array(profile[1]), horizon / steps, steps)
    times = np.linspace(0.0, horizon, steps + 1)
    end: Profile = (tuple(xs[-1].tolist()), tuple(ys[-1].tolist()))
    solution = solution if solution is not None else solve(game)
    index, distance = _nearest(solution, end)
    tail = slice(3 * steps // 4, None)
    still = max(np.abs(xs[tail] - xs[-1]).max(), np.abs(ys[tail] - ys[-1]).max()) <= CLOSE
    stability: Stability | None = None
    if game.shape == (2, 2):
        field_ = phase_field(game, grid=2, solution=solution)
        for point in field_.rest_points:
            x, y = float(point.position[0]), float(point.position[1])
            if _distance(((x, 1 - x), (y, 1 - y)), end) <= CLOSE:
                stability = point.stability
    elif index is not None and distance <= CLOSE:
        stability = _jacobian_stability(a, b, solution.equilibria[index].probabilities)
    outcome: Literal["rest", "cycle", "moving"]
    if still:
        outcome = "rest"
        equilibrium = index if distance <= CLOSE else None
    else:
        half = slice(steps // 2, None)
        average = (tuple(xs[half].mean(axis=0)), tuple(ys[half].mean(axis=0)))
        centre, gap = _nearest(solution, average)
        mixed = centre is not None and not solution.equilibria[centre].is_pure
        if stability == "centre" or (mixed and gap <= NEAR):
            outcome, equilibrium = "cycle", centre
        else:
            outcome, equilibrium = "moving", None
    return Trajectory(
        game=game,
        origin=origin,
        start=profile,
        horizon=float(horizon),
        steps=steps,
        times=_readonly(times),
        strategies=(_readonly(xs), _readonly(ys)),
        outcome=outcome,
        equilibrium=equilibrium,
        distance=distance,
        end_regret=float(regret(game, end)) / payoff_unit(game),
        stability=stability if outcome == "rest" else None,
    )


# ---------------------------------------------------------------------- fictitious play
def _integer_matrices(game: Game) -> tuple[list[list[int]], list[list[int]]]:
    """Both payoff matrices of the rationalised game times a common denominator: integers
    with the same best responses (and the same ties) as the game."""
    exact = rationalised(game)
    values = [Fraction(v) for v in exact.payoffs.flat]
    common = math.lcm(*(v.denominator for v in values))
    a = [[int(v * common) for v in row] for row in exact.payoff_matrix(0).tolist()]
    b = [[int(v * common) for v in row] for row in exact.payoff_matrix(1).tolist()]
    return a, b


def _first_best(values: Sequence[int]) -> int:
    """The lowest-numbered move with the largest value (the deterministic tie-break)."""
    best = max(values)
    return next(j for j, v in enumerate(values) if v == best)


@dataclass(frozen=True)
class FictitiousPlay:
    """A run of discrete-time fictitious play (see the module docstring).

    Attributes
    ----------
    origin : tuple of int or None
        The pure profile the start perturbs (None for a mixed or uniform start).
    start : tuple
        The initial beliefs: the round-0 "play", as a mixed profile.
    iterations : int
        Rounds played after round 0.
    plays : tuple of (int, int)
        The pure profile played in each round ``1 .. iterations``.
    frequencies : tuple of numpy.ndarray
        ``frequencies[i][n]`` is player ``i``'s empirical frequency of each move after
        round ``n`` (round 0 is the start), shape ``(iterations + 1, k_i)``, read-only.
    settled_from : int or None
        The round from which the same profile is played in every later round, when that
        covers at least the second half of the run; else None.
    equilibrium : int or None
        When play settles: the equilibrium (index into ``solve(game).equilibria``) that is
        the settled profile, if that profile is one of them. Otherwise: the equilibrium
        within :data:`NEAR` of the final frequencies, if any.
    distance : float
        Distance from the final frequencies to the nearest equilibrium (inf if none).
    settled_nash : bool or None
        Whether the settled profile is a Nash equilibrium
        (:func:`sim.certificate.is_equilibrium`, tested on the profile itself, not on the
        frequencies); None when play does not settle.
    """

    game: Game = field(repr=False, compare=False)
    origin: tuple[int, ...] | None
    start: Profile
    iterations: int
    plays: tuple[tuple[int, int], ...] = field(repr=False)
    frequencies: tuple[np.ndarray, np.ndarray] = field(repr=False, compare=False)
    settled_from: int | None
    equilibrium: int | None
    distance: float
    settled_nash: bool | None = None

    @property
    def end(self) -> Profile:
        """The empirical frequencies after the last round."""
        return tuple(tuple(float(p) for p in s[-1]) for s in self.frequencies)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the outcome and at most about :data:`POINTS` rounds of frequencies
        (denser in the first rounds)."""
        keep = sample_indices(self.iterations + 1, log=True)
        return {
            "method": "fictitious play (simultaneous, lowest-index tie-break)",
            "origin": list(self.game.profile_names(self.origin)) if self.origin else None,
            "start": [list(s) for s in self.start],
            "iterations": self.iterations,
            "end": [list(s) for s in self.end],
            "settled_from": self.settled_from,
            "settled_on": (
                list(self.game.profile_names(self.plays[-1]))
                if self.settled_from is not None
                else None
            ),
            "settled_nash": self.settled_nash,
            "equilibrium": None if self.equilibrium is None else f"NE{self.equilibrium + 1}",
            "distance": None if math.isinf(self.distance) else self.distance,
            "rounds": keep.tolist(),
            "frequencies": [f[keep].tolist() for f in self.frequencies],
        }

    def sentences(self, origin_name: str | None = None) -> tuple[str, ...]:
        """The run in plain language.

        Parameters
        ----------
        origin_name : str, optional
            What the start is, e.g. ``"the status quo"``.

        Examples
        --------
        >>> from sim.game import Game
        >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
        ...                            players=("A", "B"), moves=(("h", "t"), ("h", "t")))
        >>> for line in fictitious_play(pennies, ("h", "h")).sentences():
        ...     print(line)
        From near (h, h), fictitious play keeps switching between profiles; its empirical frequencies approach NE1 (within 0.012 after 2000 rounds).
        """  # noqa: E501
        game = self.game
        opening = _origin_text(game, self.origin, self.start, origin_name)
        rounds = f"after {self.iterations} rounds"
        if self.settled_from is not None:
            profile = f"({', '.join(game.profile_names(self.plays[-1]))})"
            if not self.settled_nash:
                return (
                    f"{opening}, fictitious play settles on {profile} from round "
                    f"{self.settled_from} on, which is not a Nash equilibrium.",
                )
            what = (
                "a Nash equilibrium"
                if self.equilibrium is None
                else f"the Nash equilibrium NE{self.equilibrium + 1}"
            )
            gap = _distance(self.end, _pure(game, self.plays[-1]))
            return (
                f"{opening}, fictitious play settles on {profile}, {what}, from round "
                f"{self.settled_from} on; its empirical frequencies are within {gap:.2g} of "
                f"it {rounds}.",
            )
        if self.equilibrium is not None:
            return (
                f"{opening}, fictitious play keeps switching between profiles; its empirical "
                f"frequencies approach NE{self.equilibrium + 1} (within {self.distance:.2g} "
                f"{rounds}).",
            )
        where = _profile_label(game, self.end)
        nearest = "" if math.isinf(self.distance) else f" (the nearest is {self.distance:.2g} away)"
        return (
            f"{opening}, fictitious play's empirical frequencies do not approach a Nash "
            f"equilibrium {rounds}: they are at {where}{nearest}.",
        )


def fictitious_play(
    game: Game,
    start: Sequence[Any] | None = None,
    iterations: int = ITERATIONS,
    *,
    solution: Solution | None = None,
) -> FictitiousPlay:
    """Discrete-time fictitious play with simultaneous updating and a deterministic tie-break.

    Steps: (1) read the start as initial beliefs (round 0; :func:`start_profile`); (2)
    scale the rationalised payoffs and the beliefs to integers, so best responses and ties
    are exact; (3) each round, each player plays its lowest-numbered best response to the
    opponent's empirical frequencies so far (Brown 1951), and the frequencies are updated;
    (4) report the frequencies after every round and match the last ones with the Nash
    equilibria of :func:`sim.solvers.solve`. In zero-sum games and dominance-solvable games
    the frequencies converge to equilibrium (Robinson 1951); in general they need not
    (Shapley 1964).

    Parameters
    ----------
    game : Game
        A two-player game.
    start : sequence, optional
        Pure profile (perturbed as in the module docstring), mixed profile, or None
        (uniform beliefs).
    iterations : int
        Rounds after round 0.
    solution : Solution, optional
        The game's equilibria (:func:`sim.solvers.solve`); solved when not given.

    Returns
    -------
    FictitiousPlay

    Examples
    --------
    >>> from sim.game import Game
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...                           moves=(("opera", "fight"), ("opera", "fight")))
    >>> run = fictitious_play(battle)  # uniform beliefs: the players miscoordinate...
    >>> run.plays[:4], run.settled_from
    (((0, 1), (1, 0), (0, 1), (0, 1)), None)
    >>> run.equilibrium, [round(p, 3) for p in run.end[0]]  # ...yet approach the mixed NE2
    (1, [0.666, 0.334])
    """
    _two_players(game, "fictitious play")
    if not (isinstance(iterations, int) and iterations >= 1):
        raise SimError(f"fictitious play needs iterations >= 1, got {iterations!r}")
    profile, origin = start_profile(game, start)
    a, b = _integer_matrices(game)
    priors = [[rationalise(p) for p in s] for s in profile]  # 0.9 as 9/10, 1/3 as 1/3
    weight = math.lcm(*(p.denominator for s in priors for p in s))
    beliefs = [[int(p * weight) for p in s] for s in priors]  # counts times `weight`
    rows, columns = game.shape
    row_values = [sum(a[i][j] * beliefs[1][j] for j in range(columns)) for i in range(rows)]
    column_values = [sum(b[i][j] * beliefs[0][i] for i in range(rows)) for j in range(columns)]
    plays: list[tuple[int, int]] = []
    for _ in range(iterations):
        i, j = _first_best(row_values), _first_best(column_values)
        plays.append((i, j))
        for r in range(rows):
            row_values[r] += weight * a[r][j]
        for c in range(columns):
            column_values[c] += weight * b[i][c]
    played = np.array(plays)
    frequencies = []
    for player, k in enumerate(game.shape):
        counts = np.zeros((iterations + 1, k))
        counts[0] = profile[player]
        counts[np.arange(1, iterations + 1), played[:, player]] = 1.0
        totals = np.cumsum(counts, axis=0) / np.arange(1, iterations + 2)[:, None]
        frequencies.append(_readonly(totals))
    changes = [n for n in range(1, iterations) if plays[n] != plays[n - 1]]
    settled = changes[-1] + 1 if changes else 1
    settled_from = settled if settled <= (iterations + 1) // 2 else None
    end: Profile = tuple(tuple(f[-1].tolist()) for f in frequencies)
    solution = solution if solution is not None else solve(game)
    index, distance = _nearest(solution, end)
    equilibrium = index if distance <= NEAR else None
    settled_nash = None
    if settled_from is not None:  # the profile itself decides, not the frequencies
        last = _pure(game, plays[-1])
        settled_nash = is_equilibrium(game, last)
        equilibrium = _matching(solution, last) if settled_nash else None
    return FictitiousPlay(
        game=game,
        origin=origin,
        start=profile,
        iterations=iterations,
        plays=tuple(plays),
        frequencies=(frequencies[0], frequencies[1]),
        settled_from=settled_from,
        equilibrium=equilibrium,
        distance=distance,
        settled_nash=settled_nash,
    )


# ------------------------------------------------------------------- 2×2 phase portrait
@dataclass(frozen=True)
class RestPoint:
    """An isolated rest point of the replicator dynamics of a 2×2 game.

    Attributes
    ----------
    position : tuple
        ``(x, y)``: probabilities of each player's first move; exact for exact games.
    kind : {"vertex", "interior"}
        A pure profile or the interior point where both players are indifferent.
    stability : str
        ``"sink"``, ``"source"``, ``"saddle"``, ``"centre"`` or ``"non-hyperbolic"``.
    eigenvalues : tuple of complex
        Eigenvalues of the Jacobian (payoffs divided by the scale).
    equilibrium : int or None
        Index into ``solve(game).equilibria`` when the point is a Nash equilibrium.
    """

    position: tuple[Value, Value]
    kind: Literal["vertex", "interior"]
    stability: Stability
    eigenvalues: tuple[complex, complex]
    equilibrium: int | None

    def label(self, game: Game) -> str:
        """``"(ease, raise)"`` for a vertex, ``"(x = 1/3, y = 2/3)"`` for the interior point."""
        x, y = self.position
        if self.kind == "vertex":
            return f"({', '.join(game.profile_names((int(x != 1), int(y != 1))))})"
        return f"(x = {value_text(x)}, y = {value_text(y)})"

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready, with exact coordinates as strings (None for float games)."""
        x, y = self.position
        return {
            "label": self.label(game),
            "kind": self.kind,
            "position": [float(x), float(y)],
            "exact_position": ([exact_text(x), exact_text(y)] if isinstance(x, Fraction) else None),
            "stability": self.stability,
            "eigenvalues": [[v.real, v.imag] for v in self.eigenvalues],
            "equilibrium": None if self.equilibrium is None else f"NE{self.equilibrium + 1}",
        }


@dataclass(frozen=True)
class PhaseField:
    """The replicator vector field of a 2×2 game on the unit square, and its rest points.

    Attributes
    ----------
    x, y : tuple of float
        Grid values of ``x`` (probability of the row player's first move) and ``y`` (the
        column player's first move).
    dx, dy : numpy.ndarray
        ``dx[r, c]`` and ``dy[r, c]`` are the field at ``(x[c], y[r])`` (read-only).
    rest_points : tuple of RestPoint
        The four vertices and, if there is one, the isolated interior rest point.
    segments : tuple
        Segments ``((x0, y0), (x1, y1))`` made entirely of rest points (degenerate games
        only: a player indifferent along a whole edge or line).
    everywhere : bool
        True when every point is a rest point (both players always indifferent).
    """

    game: Game = field(repr=False, compare=False)
    x: tuple[float, ...]
    y: tuple[float, ...]
    dx: np.ndarray = field(repr=False, compare=False)
    dy: np.ndarray = field(repr=False, compare=False)
    rest_points: tuple[RestPoint, ...]
    segments: tuple[tuple[tuple[Value, Value], tuple[Value, Value]], ...] = ()
    everywhere: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: rest points and segments (the grid field is left to the figure)."""
        return {
            "axes": [
                f"P({self.game.players[0]} plays {self.game.moves[0][0]})",
                f"P({self.game.players[1]} plays {self.game.moves[1][0]})",
            ],
            "rest_points": [p.to_dict(self.game) for p in self.rest_points],
            "segments": [[[float(v) for v in end] for end in s] for s in self.segments],
            "everywhere": self.everywhere,
        }

    def sentences(self) -> tuple[str, ...]:
        """The rest points and their stability in plain language.

        Examples
        --------
        >>> from sim.game import Game
        >>> stag = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
        ...                         moves=(("stag", "hare"), ("stag", "hare")))
        >>> for line in phase_field(stag).sentences():
        ...     print(line)
        Replicator dynamics (x = P(P1 plays stag), y = P(P2 plays stag)) have 5 rest points.
        Sinks (stable): (stag, stag) (NE1) and (hare, hare) (NE3).
        Sources (unstable): (stag, hare) and (hare, stag).
        The interior rest point (x = 2/3, y = 2/3), the mixed equilibrium NE2, is a saddle: it separates the basins of the two sinks.
        """  # noqa: E501
        game = self.game
        p0, p1 = game.players
        axes = f"x = P({p0} plays {game.moves[0][0]}), y = P({p1} plays {game.moves[1][0]})"
        if self.everywhere:
            return (
                f"Replicator dynamics ({axes}) stand still: both players are always "
                "indifferent, so every point is a rest point.",
            )
        out = [f"Replicator dynamics ({axes}) have {len(self.rest_points)} rest points."]
        if self.segments:
            out[0] = (
                f"Replicator dynamics ({axes}) have {len(self.rest_points)} isolated rest "
                f"points and {len(self.segments)} segment{'s' * (len(self.segments) > 1)} "
                "of rest points (the game is degenerate)."
            )

        def name(point: RestPoint) -> str:
            tag = f" (NE{point.equilibrium + 1})" if point.equilibrium is not None else ""
            return point.label(game) + tag

        vertices = [p for p in self.rest_points if p.kind == "vertex"]
        for stability, heading in (
            ("sink", "Sinks (stable)"),
            ("source", "Sources (unstable)"),
            ("saddle", "Saddles"),
            ("non-hyperbolic", "Non-hyperbolic (a zero eigenvalue)"),
        ):
            group = [name(p) for p in vertices if p.stability == stability]
            if group:
                listed = group[0] if len(group) == 1 else ", ".join(group[:-1])
                if len(group) > 1:
                    listed += f" and {group[-1]}"
                out.append(f"{heading}: {listed}.")
        sinks = sum(p.stability == "sink" for p in self.rest_points)
        for point in self.rest_points:
            if point.kind != "interior":
                continue
            tag = (
                f", the mixed equilibrium NE{point.equilibrium + 1},"
                if point.equilibrium is not None
                else ""
            )
            text = f"The interior rest point {point.label(game)}{tag} is a {point.stability}"
            if point.stability == "centre":
                text += ": trajectories cycle around it without converging."
            elif point.stability == "saddle" and sinks == 2:
                text += ": it separates the basins of the two sinks."
            else:
                text += "."
            out.append(text)
        for start, stop in self.segments:
            out.append(
                f"Every point from (x = {value_text(start[0])}, y = {value_text(start[1])}) "
                f"to (x = {value_text(stop[0])}, y = {value_text(stop[1])}) is a rest point."
            )
        return tuple(out)


def _stability(first: Fraction, second: Fraction) -> Stability:
    """Stability from the signs of two real eigenvalues (exact)."""
    if first == 0 or second == 0:
        return "non-hyperbolic"
    if first < 0 and second < 0:
        return "sink"
    if first > 0 and second > 0:
        return "source"
    return "saddle"


@dataclass(frozen=True)
class _Advantages:
    """The payoff advantage of each player's first move in a 2×2 game, exact (on the
    rationalised game): ``row(y) = D1(y)`` when the column player plays its first move with
    probability ``y``, ``column(x) = D2(x)`` likewise; each is ``first * p + second * (1 - p)``.
    """

    row_ends: tuple[Fraction, Fraction]  # (a00 - a10, a01 - a11)
    column_ends: tuple[Fraction, Fraction]  # (b00 - b01, b10 - b11)

    @classmethod
    def of(cls, game: Game) -> _Advantages:
        exact = rationalised(game)
        (a00, a01), (a10, a11) = (map(Fraction, r) for r in exact.payoff_matrix(0).tolist())
        (b00, b01), (b10, b11) = (map(Fraction, r) for r in exact.payoff_matrix(1).tolist())
        return cls((a00 - a10, a01 - a11), (b00 - b01, b10 - b11))

    def row(self, y: Fraction) -> Fraction:
        first, second = self.row_ends
        return first * y + second * (1 - y)

    def column(self, x: Fraction) -> Fraction:
        first, second = self.column_ends
        return first * x + second * (1 - x)

    @property
    def slopes(self) -> tuple[Fraction, Fraction]:
        """``D1'`` and ``D2'``: how each advantage changes with the other's mixing."""
        return self.row_ends[0] - self.row_ends[1], self.column_ends[0] - self.column_ends[1]

    @property
    def indifference(self) -> tuple[Fraction | None, Fraction | None]:
        """``(x*, y*)``: the column player is indifferent at ``x = x*``, the row player at
        ``y = y*`` (None where the advantage does not change)."""
        slope1, slope2 = self.slopes
        y_star = -self.row_ends[1] / slope1 if slope1 else None
        x_star = -self.column_ends[1] / slope2 if slope2 else None
        return x_star, y_star


def _shown(game: Game, value: Fraction) -> Value:
    """An exact coordinate as the game reports values: exact, or a float for float games."""
    return value if game.is_exact else float(value)


def _equilibrium_at(game: Game, solution: Solution, x: Fraction, y: Fraction) -> int | None:
    """Index of the equilibrium at ``(x, y)`` of the unit square, or None."""
    for k, eq in enumerate(solution.equilibria):
        ex, ey = eq.strategies[0][0], eq.strategies[1][0]
        if compare(ex, _shown(game, x)) == 0 and compare(ey, _shown(game, y)) == 0:
            return k
    return None


def _vertex_points(
    game: Game, advantages: _Advantages, solution: Solution, scale: float
) -> list[RestPoint]:
    """The four pure profiles: the Jacobian there is diagonal, ``(1 - 2x) D1(y)`` and
    ``(1 - 2y) D2(x)``, so the signs are exact."""
    points = []
    for x0 in (Fraction(1), Fraction(0)):
        for y0 in (Fraction(1), Fraction(0)):
            first = (1 - 2 * x0) * advantages.row(y0)
            second = (1 - 2 * y0) * advantages.column(x0)
            points.append(
                RestPoint(
                    (_shown(game, x0), _shown(game, y0)),
                    "vertex",
                    _stability(first, second),
                    (complex(float(first) / scale), complex(float(second) / scale)),
                    _equilibrium_at(game, solution, x0, y0),
                )
            )
    return points


def _interior_point(
    game: Game, advantages: _Advantages, solution: Solution, scale: float
) -> RestPoint | None:
    """The isolated interior rest point, where both players are indifferent, if any: its
    eigenvalues are ``±sqrt(x(1-x) y(1-y) D1' D2')``, real (a saddle) or imaginary (a
    centre)."""
    x_star, y_star = advantages.indifference
    if x_star is None or y_star is None or not (0 < x_star < 1 and 0 < y_star < 1):
        return None
    slope1, slope2 = advantages.slopes
    product = x_star * (1 - x_star) * y_star * (1 - y_star) * slope1 * slope2
    root = math.sqrt(abs(float(product))) / scale
    pair = (complex(root), complex(-root)) if product > 0 else (1j * root, -1j * root)
    return RestPoint(
        (_shown(game, x_star), _shown(game, y_star)),
        "interior",
        "saddle" if product > 0 else "centre",
        pair,
        _equilibrium_at(game, solution, x_star, y_star),
    )


Segment = tuple[tuple[Value, Value], tuple[Value, Value]]


def _rest_segments(game: Game, advantages: _Advantages) -> tuple[tuple[Segment, ...], bool]:
    """Lines of rest points of a degenerate game (a player indifferent along a whole edge,
    or everywhere on a line through the interior), and whether every point is at rest."""
    zero, one = Fraction(0), Fraction(1)

    def segment(start: tuple[Fraction, Fraction], stop: tuple[Fraction, Fraction]) -> Segment:
        return (
            (_shown(game, start[0]), _shown(game, start[1])),
            (_shown(game, stop[0]), _shown(game, stop[1])),
        )

    segments: list[Segment] = []
    for edge in (zero, one):
        if advantages.column(edge) == 0:  # column indifferent along the edge x = edge
            segments.append(segment((edge, zero), (edge, one)))
        if advantages.row(edge) == 0:
            segments.append(segment((zero, edge), (one, edge)))
    row_idle = advantages.row(zero) == 0 and advantages.row(one) == 0
    column_idle = advantages.column(zero) == 0 and advantages.column(one) == 0
    x_star, y_star = advantages.indifference
    if row_idle and x_star is not None and 0 < x_star < 1:
        segments.append(segment((x_star, zero), (x_star, one)))
    if column_idle and y_star is not None and 0 < y_star < 1:
        segments.append(segment((zero, y_star), (one, y_star)))
    return tuple(dict.fromkeys(segments)), row_idle and column_idle


def _grid_field(
    advantages: _Advantages, scale: float, grid: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid values and the field ``dx = x (1 - x) D1(y)``, ``dy = y (1 - y) D2(x)``
    (payoffs divided by the scale) on the ``grid × grid`` grid."""
    values = np.linspace(0.0, 1.0, grid)
    gx, gy = np.meshgrid(values, values)
    ad, ac = (float(v) / scale for v in advantages.row_ends)
    bd, bc = (float(v) / scale for v in advantages.column_ends)
    dx = gx * (1 - gx) * (ad * gy + ac * (1 - gy))
    dy = gy * (1 - gy) * (bd * gx + bc * (1 - gx))
    return values, dx, dy


def phase_field(game: Game, grid: int = 21, *, solution: Solution | None = None) -> PhaseField:
    """The replicator field of a 2×2 game on the unit square, with classified rest points.

    Steps: (1) on the rationalised game, write ``D1(y)`` for the row player's payoff
    advantage of its first move when the column player plays its first with probability
    ``y`` and ``D2(x)`` for the column player's, so ``dx/dt = x (1 - x) D1(y)`` and
    ``dy/dt = y (1 - y) D2(x)`` (payoffs divided by the scale); (2) at each vertex the
    Jacobian is diagonal with entries ``(1 - 2x) D1(y)`` and ``(1 - 2y) D2(x)``, signs
    exact; (3) the interior rest point, where both are indifferent, has eigenvalues
    ``±sqrt(x(1-x) y(1-y) D1' D2')``: a saddle when the product is positive, a centre when
    negative (Hofbauer & Sigmund 1998, ch. 10); (4) lines of rest points of degenerate
    games are listed as segments; (5) the field is evaluated on a ``grid × grid`` grid.

    Parameters
    ----------
    game : Game
        A game with two players and two moves each.
    grid : int
        Grid values per axis (at least 2).
    solution : Solution, optional
        The game's equilibria (:func:`sim.solvers.solve`); solved when not given.

    Returns
    -------
    PhaseField

    Examples
    --------
    >>> from sim.game import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> centre = phase_field(pennies).rest_points[-1]
    >>> centre.position, centre.stability, [round(v.imag, 3) for v in centre.eigenvalues]
    ((Fraction(1, 2), Fraction(1, 2)), 'centre', [0.5, -0.5])
    """
    _two_players(game, "a phase portrait")
    if game.shape != (2, 2):
        raise SimError(
            f"a unit-square phase portrait needs a 2×2 game; this one is "
            f"{game.shape[0]}×{game.shape[1]}"
        )
    if not (isinstance(grid, int) and grid >= 2):
        raise SimError(f"grid must be an integer >= 2, got {grid!r}")
    advantages = _Advantages.of(game)
    scale = payoff_unit(game)
    solution = solution if solution is not None else solve(game)
    points = _vertex_points(game, advantages, solution, scale)
    interior = _interior_point(game, advantages, solution, scale)
    if interior is not None:
        points.append(interior)
    segments, everywhere = _rest_segments(game, advantages)
    values, dx, dy = _grid_field(advantages, scale, grid)
    return PhaseField(
        game=game,
        x=tuple(values.tolist()),
        y=tuple(values.tolist()),
        dx=_readonly(dx),
        dy=_readonly(dy),
        rest_points=tuple(points),
        segments=segments,
        everywhere=everywhere,
    )


# ------------------------------------------------------------ symmetric 3-move simplex
def is_symmetric(game: Game) -> bool:
    """True for a two-player game with ``B = A`` transposed (same moves for both roles).

    >>> from sim.game import Game
    >>> is_symmetric(Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    True
    """
    if game.n_players != 2 or game.shape[0] != game.shape[1]:
        return False
    a, b = game.payoff_matrix(0), game.payoff_matrix(1)
    scale = game.scale()
    return all(
        compare(a[i, j], b[j, i], scale) == 0
        for i in range(game.shape[0])
        for j in range(game.shape[0])
    )


@dataclass(frozen=True)
class SimplexField:
    """The one-population replicator field of a symmetric game with three moves.

    ``points[n]`` is a population state (shares of the three moves) on a triangular
    lattice and ``velocity[n]`` the field there (payoffs divided by the scale); both
    read-only, shape ``(N, 3)``.
    """

    moves: tuple[str, str, str]
    points: np.ndarray = field(repr=False, compare=False)
    velocity: np.ndarray = field(repr=False, compare=False)


def symmetric_field(game: Game, divisions: int = 10) -> SimplexField:
    """The one-population replicator field ``dx_i/dt = x_i ((A x)_i - x·A x)`` of a
    symmetric two-player game with three moves, on a lattice of the simplex.

    In a symmetric game both populations that start alike stay alike under the
    two-population dynamics, and then follow this field (Taylor & Jonker 1978).

    Parameters
    ----------
    game : Game
        A symmetric (:func:`is_symmetric`) game with three moves per player.
    divisions : int
        The lattice has points ``(i, j, k) / divisions`` with ``i + j + k = divisions``.

    Returns
    -------
    SimplexField

    Examples
    --------
    >>> from sim.game import Game
    >>> rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    >>> game = Game.from_arrays(rps, [list(c) for c in zip(*rps)])
    >>> f = symmetric_field(game, divisions=2)
    >>> f.points.shape, float(abs(f.velocity.sum(axis=1)).max()) < 1e-12
    ((6, 3), True)
    """
    _two_players(game, "a one-population field")
    if game.shape != (3, 3) or not is_symmetric(game):
        raise SimError(
            "a one-population simplex field needs a symmetric game (column payoffs = row "
            f"payoffs transposed) with three moves each; this one is "
            f"{game.shape[0]}×{game.shape[1]}"
            + ("" if game.shape != (3, 3) else " and not symmetric")
        )
    a = game.payoff_matrix(0).astype(np.float64) / payoff_unit(game)
    n = divisions
    lattice = np.array(
        [(i, j, n - i - j) for i in range(n + 1) for j in range(n + 1 - i)], dtype=np.float64
    )
    points = lattice / n
    fitness = points @ a.T
    average = np.einsum("ni,ni->n", points, fitness)
    velocity = points * (fitness - average[:, None])
    moves = game.moves[0]
    return SimplexField((moves[0], moves[1], moves[2]), _readonly(points), _readonly(velocity))


# ---------------------------------------------------------------------------- together
@dataclass(frozen=True)
class LearningDynamics:
    """Replicator dynamics and fictitious play from one start, and the 2×2 phase portrait.

    ``solution`` is the game's equilibria the end points were matched with (kept so that
    the figures of :mod:`sim.plot.dynamics` do not solve the game again).
    """

    replicator: Trajectory
    fictitious_play: FictitiousPlay
    phase: PhaseField | None
    origin_name: str | None = None
    solution: Solution | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``replicator``, ``fictitious_play`` and ``phase`` (None unless 2×2)."""
        return {
            "replicator": self.replicator.to_dict(),
            "fictitious_play": self.fictitious_play.to_dict(),
            "phase": None if self.phase is None else self.phase.to_dict(),
        }

    def sentences(self) -> tuple[str, ...]:
        """Plain-language summary: the trajectory, fictitious play, then the rest points.

        Examples
        --------
        >>> from sim.game import Game
        >>> london = Game.from_arrays([[3, -3], [4, -1]], [[4, 5], [-4, -2]],
        ...     players=("US", "China"), moves=(("ease", "maintain"), ("raise", "restrict")))
        >>> for line in learning_dynamics(london, ("maintain", "restrict")).sentences()[:2]:
        ...     print(line)
        From near the status quo (maintain, restrict), replicator dynamics return to (maintain, restrict), a stable rest point and the Nash equilibrium NE1.
        From near the status quo (maintain, restrict), fictitious play settles on (maintain, restrict), the Nash equilibrium NE1, from round 1 on; its empirical frequencies are within 5e-05 of it after 2000 rounds.
        """  # noqa: E501
        out = self.replicator.sentences(self.origin_name)
        out += self.fictitious_play.sentences(self.origin_name)
        if self.phase is not None:
            out += self.phase.sentences()
        return out


def learning_dynamics(
    game: Game,
    status_quo: Sequence[int | str] | None = None,
    *,
    horizon: float = HORIZON,
    steps: int = STEPS,
    iterations: int = ITERATIONS,
    solution: Solution | None = None,
) -> LearningDynamics:
    """Replicator dynamics and fictitious play from near the status quo (or uniform), and
    for a 2×2 game its phase portrait: what ``sim run`` reports.

    Parameters
    ----------
    game : Game
        A two-player game.
    status_quo : sequence, optional
        The status-quo profile (move names or indices), e.g. ``scenario.status_quo``;
        None starts both dynamics from uniform.
    horizon, steps, iterations
        As in :func:`replicator` and :func:`fictitious_play`.
    solution : Solution, optional
        The game's equilibria (:func:`sim.solvers.solve`), matched with the end points;
        solved when not given (pass it to solve the game once).

    Returns
    -------
    LearningDynamics

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> result = learning_dynamics(pd, (1, 1), iterations=100)
    >>> result.replicator.outcome, result.fictitious_play.settled_from, sorted(result.to_dict())
    ('rest', 1, ['fictitious_play', 'phase', 'replicator'])
    """
    _two_players(game, "learning dynamics")
    solution = solution if solution is not None else solve(game)
    return LearningDynamics(
        replicator=replicator(game, status_quo, horizon=horizon, steps=steps, solution=solution),
        fictitious_play=fictitious_play(game, status_quo, iterations, solution=solution),
        phase=phase_field(game, solution=solution) if game.shape == (2, 2) else None,
        origin_name="the status quo" if status_quo is not None else None,
        solution=solution,
    )
