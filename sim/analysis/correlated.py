"""Correlated and coarse correlated equilibria: obedience, the linear program, the vertices.

A *correlated equilibrium* (Aumann 1974, "Subjectivity and correlation in randomized
strategies"; Aumann 1987, "Correlated equilibrium as an expression of Bayesian
rationality") is a distribution ``p`` over pure profiles that a mediator draws from,
telling each player only its own move, such that no player gains by disobeying any
recommendation. A *coarse correlated equilibrium* (Hannan 1957; Moulin & Vial 1978) only
asks that no player gains by opting out *before* hearing its recommendation and playing a
fixed move instead. Every Nash equilibrium (as the product of its mixed strategies) is a
correlated equilibrium, and every correlated equilibrium is a coarse one.

Conventions, stated once for this module:

* A *distribution* is one probability per pure profile, in the order of
  :meth:`sim.game.Game.profiles` (players in game order, the last one's move varying
  fastest). Functions accept it as a mapping from profiles (move names or indices) to
  probabilities (profiles left out have probability 0), as an array of shape
  ``game.shape``, or flat in profile order (as the results here give it).
* The *obedience gain* of player ``i`` told ``a`` who plays ``a'`` instead is
  ``sum over s_-i of p(a, s_-i) * (u_i(a', s_-i) - u_i(a, s_-i))``: the gain in the
  player's unconditional expected payoff (its conditional gain times the probability of
  hearing ``a``). ``p`` is a correlated equilibrium exactly when every gain is ``<= 0``
  (:func:`obedience_gaps`). The *coarse gain* of deviating to ``a'`` is
  ``sum over s of p(s) * (u_i(a', s_-i) - u_i(s))`` (:func:`coarse_gaps`).
* Exact games give exact :class:`~fractions.Fraction` results. Float games are solved on
  their rationalised payoffs (:func:`sim.certificate.rationalised`, as the Nash solvers do),
  reported in floats and certified against the float payoffs within the one tolerance of
  :mod:`sim.certificate`.
* *Welfare* is the sum of the players' expected payoffs.

The linear program (Nisan, Roughgarden, Tardos & Vazirani, *Algorithmic Game Theory*,
2007, ch. 2): maximise ``c . p`` subject to the obedience inequalities, ``sum(p) = 1`` and
``p >= 0``. The exact simplex method of :mod:`sim.solvers.simplex` needs the form ``A z <=
b`` with ``b >= 0`` (the origin feasible). The obedience inequalities are homogeneous
(``A_obey p <= 0``), so only the equality is in the way; it is replaced by ``sum(p) <= 1``
with the objective shifted to ``c + M`` (``M = 1 - min(c)``, so every coefficient is at
least 1). On a feasible ``p != 0`` with ``sum(p) = t < 1``, ``p / t`` is feasible too (the
obedience cone is closed under scaling) and scores ``1 / t`` times as much, a strictly
larger positive value; so every optimum has ``sum(p) = 1``, and there ``(c + M) . p = c .
p + M``. A correlated equilibrium always exists (Hart & Schmeidler 1989), so the program
is feasible and bounded. Ties among optimal distributions are broken lexicographically
(:func:`correlated_equilibrium`), so the distribution returned is unique.

>>> from sim.game import Game
>>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
...                            players=("Ann", "Bob"), moves=(("yield", "dare"),) * 2)
>>> best = correlated_equilibrium(chicken)
>>> [str(p) for p in best.distribution], best.welfare
(['1/2', '1/4', '1/4', '0'], Fraction(21, 2))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd, lcm, prod
from typing import Any

import numpy as np

from sim.analysis.hull import Point, convex_hull
from sim.certificate import TOLERANCE, compare, rationalised
from sim.errors import CertificateError, SimError
from sim.game import Game, Value, as_value, exact_text, value_text
from sim.solvers import Solution, solve
from sim.solvers.simplex import maximise
from sim.wording import listing, profile_text

__all__ = [
    "MAX_VERTEX_PROFILES",
    "MAX_VERTICES",
    "CorrelatedAnalysis",
    "CorrelatedEquilibrium",
    "CorrelatedPolytope",
    "ObedienceGap",
    "coarse_gaps",
    "correlated_analysis",
    "correlated_equilibrium",
    "correlated_vertices",
    "is_correlated_equilibrium",
    "obedience_gaps",
]

MAX_VERTEX_PROFILES = 12
"""Largest number of pure profiles for which :func:`correlated_vertices` enumerates vertices."""
MAX_VERTICES = 200
"""Most vertices :func:`correlated_analysis` lists per polytope: a polytope with more is
counted but left out (a list of hundreds of distributions informs no reader)."""

Profile = tuple[int, ...]


# ------------------------------------------------------------------------- obedience
@dataclass(frozen=True)
class ObedienceGap:
    """What one player gains by one deviation from the mediator's recommendation.

    Attributes
    ----------
    player : int
        The deviating player.
    recommended : int or None
        The move recommended (None for a coarse gap: the player deviates before hearing it).
    deviation : int
        The move played instead.
    gain : Fraction or float
        The gain in the player's unconditional expected payoff (see the module docstring);
        ``<= 0`` for every gap of an equilibrium.
    """

    player: int
    recommended: int | None
    deviation: int
    gain: Value


def _profiles(game: Game) -> tuple[Profile, ...]:
    return tuple(game.profiles())


def _distribution(game: Game, distribution: Any) -> tuple[Value, ...]:
    """A distribution (see the module docstring) as one probability per profile, checked."""
    profiles = _profiles(game)
    if isinstance(distribution, Mapping):
        probabilities: dict[Profile, Value] = {}
        for key, value in distribution.items():
            profile = game.profile_index(key)
            if profile in probabilities:
                raise SimError(f"profile {list(key)} is given twice in the distribution")
            probabilities[profile] = as_value(value)
        zero: Value = Fraction(0)
        values = [probabilities.get(p, zero) for p in profiles]
    else:
        raw = np.asarray(distribution, dtype=object)
        if raw.shape == (len(profiles),):  # flat, in profile order (as this module returns)
            raw = raw.reshape(game.shape)
        if raw.shape != game.shape:
            raise SimError(
                f"a distribution over the pure profiles needs shape {game.shape}, or "
                f"{len(profiles)} probabilities in profile order, got shape {raw.shape}; "
                "or give a mapping from profiles to probabilities"
            )
        values = [as_value(x) for x in raw.flat]
    if not all(isinstance(v, Fraction) for v in values):
        values = [float(v) for v in values]
    negative = [p for p, v in zip(profiles, values, strict=True) if compare(v, 0) < 0]
    if negative:
        names = ", ".join(profile_text(game, p) for p in negative)
        raise SimError(f"the distribution gives negative probability to {names}")
    total = sum(values, Fraction(0))
    if compare(total, 1) != 0:
        raise SimError(f"the distribution's probabilities sum to {value_text(total)}, not 1")
    return tuple(values)


def _deviation_payoffs(game: Game, player: int, deviation: int, profile: Profile) -> Value:
    """Player's payoff when it plays ``deviation`` and the others play as in ``profile``."""
    switched = (*profile[:player], deviation, *profile[player + 1 :])
    return game.payoffs[(*switched, player)]  # type: ignore[no-any-return]


def _rows(game: Game, coarse: bool) -> list[tuple[ObedienceGap, list[Value]]]:
    """Each deviation (its gain left as 0) and its row of gain coefficients per profile."""
    profiles = _profiles(game)
    rows = []
    for i in range(game.n_players):
        own = [game.payoffs[(*s, i)] for s in profiles]
        zero = own[0] - own[0]
        moves = range(game.shape[i])
        gains = [
            [
                _deviation_payoffs(game, i, deviation, s) - u
                for s, u in zip(profiles, own, strict=True)
            ]
            for deviation in moves
        ]
        if coarse:
            rows += [(ObedienceGap(i, None, b, zero), gains[b]) for b in moves]
            continue
        for a in moves:
            for b in moves:
                if a != b:
                    row = [
                        g if s[i] == a else zero for s, g in zip(profiles, gains[b], strict=True)
                    ]
                    rows.append((ObedienceGap(i, a, b, zero), row))
    return rows


def _integer_rows(exact_game: Game, coarse: bool) -> list[tuple[int, ...]]:
    """The distinct non-zero rows of the (coarse) obedience inequalities ``row . p <= 0`` of
    an exact game, each scaled to integers (the same half-spaces, faster arithmetic)."""
    seen: dict[tuple[int, ...], None] = {}
    for _, values in _rows(exact_game, coarse):
        row = [Fraction(v) for v in values]
        if not any(row):
            continue
        factor = lcm(*(v.denominator for v in row))
        ints = tuple(int(v * factor) for v in row)
        seen.setdefault(ints, None)
    return list(seen)


def _gaps(game: Game, distribution: Sequence[Value], coarse: bool) -> tuple[ObedienceGap, ...]:
    exact = game.is_exact and all(isinstance(p, Fraction) for p in distribution)
    source = game if exact else game.with_payoffs(game.float_payoffs())
    values = distribution if exact else [float(p) for p in distribution]
    gaps = []
    for gap, row in _rows(source, coarse):
        gain = sum((c * p for c, p in zip(row, values, strict=True) if p), Fraction(0))
        gaps.append(ObedienceGap(gap.player, gap.recommended, gap.deviation, gain))
    return tuple(gaps)


def obedience_gaps(game: Game, distribution: Any) -> tuple[ObedienceGap, ...]:
    """Every player's gain from every switch from a recommended move to another move.

    A distribution is a correlated equilibrium exactly when every gain is ``<= 0``
    (compared with :func:`sim.certificate.compare` for float games).

    Parameters
    ----------
    game : Game
        Any finite game.
    distribution : mapping or array_like
        Probabilities of the pure profiles (see the module docstring).

    Returns
    -------
    tuple of ObedienceGap
        One per player ``i``, recommended move ``a`` and other move ``a'``, in that order;
        exact Fractions when the game and the probabilities are exact, floats otherwise.

    Examples
    --------
    In the prisoner's dilemma a player told to cooperate gains by defecting:

    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
    >>> gaps = obedience_gaps(pd, {("C", "C"): 1})
    >>> [(g.player, g.recommended, g.deviation, g.gain) for g in gaps]
    [(0, 0, 1, Fraction(2, 1)), (0, 1, 0, Fraction(0, 1)), (1, 0, 1, Fraction(2, 1)), \
(1, 1, 0, Fraction(0, 1))]
    """
    return _gaps(game, _distribution(game, distribution), coarse=False)


def coarse_gaps(game: Game, distribution: Any) -> tuple[ObedienceGap, ...]:
    """Every player's gain from opting out and playing a fixed move (coarse deviations).

    A distribution is a coarse correlated equilibrium exactly when every gain is ``<= 0``.

    Parameters
    ----------
    game : Game
        Any finite game.
    distribution : mapping or array_like
        Probabilities of the pure profiles (see the module docstring).

    Returns
    -------
    tuple of ObedienceGap
        One per player and move (``recommended`` is None), exact when the inputs are.

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
    >>> from fractions import Fraction as F
    >>> half = F(1, 2)  # (C, D) or (D, C), each half the time: either player gains by D
    >>> [str(g.gain) for g in coarse_gaps(pd, [[0, half], [half, 0]])]
    ['-1', '1/2', '-1', '1/2']
    """
    return _gaps(game, _distribution(game, distribution), coarse=True)


def is_correlated_equilibrium(game: Game, distribution: Any, *, coarse: bool = False) -> bool:
    """True when no obedience (or, with ``coarse``, no coarse) gain is positive.

    Exact for exact inputs; for floats a gain within the tolerance of
    :mod:`sim.certificate` (at the game's payoff scale) counts as zero.

    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
    >>> is_correlated_equilibrium(pd, {("D", "D"): 1}), is_correlated_equilibrium(pd, {(0, 0): 1})
    (True, False)
    """
    probabilities = _distribution(game, distribution)
    scale = game.scale()
    return all(compare(g.gain, 0, scale) <= 0 for g in _gaps(game, probabilities, coarse))


def _certify(game: Game, distribution: Sequence[Value], coarse: bool) -> Value:
    """The largest gain of a distribution found by a solver; raise if it is positive."""
    gaps = _gaps(game, distribution, coarse)
    worst = max((g.gain for g in gaps), default=Fraction(0))
    if compare(worst, 0, game.scale()) > 0:
        kind = "coarse correlated" if coarse else "correlated"
        raise CertificateError(
            f"internal error: a {kind} equilibrium found has a deviation gain of "
            f"{value_text(worst)} (tolerance {TOLERANCE:g} x {game.scale():g})"
        )
    return worst


# --------------------------------------------------------------------------- results
def _expected(game: Game, distribution: Sequence[Value]) -> tuple[Value, ...]:
    """Every player's expected payoff under a distribution (exact for exact inputs)."""
    exact = game.is_exact and all(isinstance(p, Fraction) for p in distribution)
    payoffs = game.payoffs if exact else game.float_payoffs()
    start: Value = Fraction(0) if exact else 0.0
    totals = [start] * game.n_players
    for profile, p in zip(_profiles(game), distribution, strict=True):
        if p:
            for i in range(game.n_players):
                totals[i] = totals[i] + p * payoffs[(*profile, i)]
    return tuple(totals)


def _recommendations(game: Game, distribution: Sequence[Value]) -> str:
    """The support in words, profiles of equal probability together.

    >>> from sim.game import Game
    >>> g = Game.from_arrays([[0, 0], [0, 0]], [[0, 0], [0, 0]], moves=(("a", "b"),) * 2)
    >>> _recommendations(g, [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4), 0])
    '(a, a) with probability 1/2 and each of (a, b) and (b, a) with probability 1/4'
    >>> _recommendations(g, [Fraction(1, 4)] * 4)
    'every profile with probability 1/4'
    """
    groups: dict[str, list[str]] = {}
    for profile, p in zip(_profiles(game), distribution, strict=True):
        if p:
            groups.setdefault(value_text(p), []).append(profile_text(game, profile))
    if len(groups) == 1 and len(next(iter(groups.values()))) == len(distribution) > 1:
        return f"every profile with probability {next(iter(groups))}"
    return listing(
        [
            f"{'each of ' if len(names) > 1 else ''}{listing(names)} with probability {p}"
            for p, names in groups.items()
        ]
    )


def _support_dict(game: Game, distribution: Sequence[Value]) -> list[dict[str, Any]]:
    return [
        {
            "profile": list(game.profile_names(profile)),
            "probability": float(p),
            "exact_probability": exact_text(p),
        }
        for profile, p in zip(_profiles(game), distribution, strict=True)
        if p
    ]


def _payoff_dict(game: Game, payoffs: Sequence[Value]) -> dict[str, Any]:
    exact = all(isinstance(v, Fraction) for v in payoffs)
    return {
        "payoffs": {name: float(v) for name, v in zip(game.players, payoffs, strict=True)},
        "exact_payoffs": (
            {name: str(v) for name, v in zip(game.players, payoffs, strict=True)} if exact else None
        ),
    }


@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """One (coarse) correlated equilibrium, best for an objective (:func:`correlated_equilibrium`).

    Attributes
    ----------
    coarse : bool
        True for a coarse correlated equilibrium.
    objective : str
        ``"welfare"`` or the name of the player whose payoff was maximised.
    distribution : tuple
        One probability per pure profile (see the module docstring); exact for exact games.
    payoffs : tuple
        Each player's expected payoff.
    max_gain : Fraction or float
        The largest obedience (or coarse) gain: ``<= 0`` exactly for exact games, within the
        tolerance for float games.
    """

    game: Game = field(repr=False, compare=False)
    coarse: bool
    objective: str
    distribution: tuple[Value, ...]
    payoffs: tuple[Value, ...]
    max_gain: Value

    @property
    def welfare(self) -> Value:
        """The total expected payoff of the players."""
        return sum(self.payoffs, Fraction(0) if self.exact else 0.0)

    @property
    def exact(self) -> bool:
        """True when the probabilities and payoffs are exact fractions."""
        return all(isinstance(p, Fraction) for p in (*self.distribution, *self.payoffs))

    def support(self) -> tuple[tuple[Profile, Value], ...]:
        """The profiles recommended with positive probability, with their probabilities."""
        return tuple(
            (profile, p)
            for profile, p in zip(_profiles(self.game), self.distribution, strict=True)
            if p
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the support with move names, payoffs and welfare (floats, exact strings)."""
        return {
            "kind": "coarse correlated" if self.coarse else "correlated",
            "objective": self.objective,
            "distribution": _support_dict(self.game, self.distribution),
            **_payoff_dict(self.game, self.payoffs),
            "welfare": float(self.welfare),
            "exact_welfare": exact_text(self.welfare),
            "max_gain": float(self.max_gain),
        }

    def recommendation_text(self) -> str:
        """``"(C, C) with probability 1/2 and (C, D) with probability 1/2"``."""
        return _recommendations(self.game, self.distribution)

    def sentences(self) -> tuple[str, ...]:
        """The equilibrium in plain language: what the mediator recommends, who gets what.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Ann", "Bob"),
        ...                       moves=(("C", "D"),) * 2)
        >>> print("\\n".join(correlated_equilibrium(pd).sentences()))
        A mediator who always recommends (D, D) gives Ann 1 and Bob 1 (total 2).
        No player gains by disobeying a recommendation.
        """
        support = self.support()
        if len(support) == 1:
            recommends = f"always recommends {profile_text(self.game, support[0][0])}"
        else:
            recommends = f"recommends {self.recommendation_text()}"
        gets = listing(
            [
                f"{name} {value_text(v)}"
                for name, v in zip(self.game.players, self.payoffs, strict=True)
            ]
        )
        obey = (
            "No player gains by opting out before hearing the recommendation and playing a "
            "fixed move instead."
            if self.coarse
            else "No player gains by disobeying a recommendation."
        )
        return (
            f"A mediator who {recommends} gives {gets} (total {value_text(self.welfare)}).",
            obey,
        )


# -------------------------------------------------------------------- linear program
def _objective_row(
    game: Game, objective: str | int
) -> tuple[str, list[Fraction], list[list[Fraction]]]:
    """The objective's name, its coefficients per profile, and its tie-breakers."""
    profiles = _profiles(game)
    welfare = [sum(game.payoffs[s], Fraction(0)) for s in profiles]
    if objective == "welfare":
        return "welfare", welfare, []
    player = game.player_index(objective)
    own = [Fraction(game.payoffs[(*s, player)]) for s in profiles]
    return game.players[player], own, [welfare]


def _optimum(
    exact_game: Game,
    coarse: bool,
    objective: Sequence[Fraction],
    then: Sequence[Sequence[Fraction]],
) -> tuple[Fraction, ...]:
    """The lexicographically optimal distribution (see :func:`correlated_equilibrium`)."""
    n = prod(exact_game.shape)
    shift = 1 - min(objective)
    constraints: list[Sequence[int]] = list(_integer_rows(exact_game, coarse))
    constraints.append([1] * n)
    rhs = [0] * (len(constraints) - 1) + [1]
    ties = [[int(k == j) for k in range(n)] for j in range(n - 1)]
    result = maximise([c + shift for c in objective], constraints, rhs, then=[*then, *ties])
    return tuple(result.point)


def correlated_equilibrium(
    game: Game, objective: str | int = "welfare", *, coarse: bool = False
) -> CorrelatedEquilibrium:
    """The (coarse) correlated equilibrium that maximises welfare or one player's payoff.

    Steps: (1) solve the exact game (float payoffs rationalised); (2) write the obedience
    (or coarse) inequalities and ``sum(p) = 1`` in the feasible-origin form of
    :func:`sim.solvers.simplex.maximise` (see the module docstring); (3) maximise the
    objective, then break ties lexicographically: for a player's payoff, welfare next;
    then the probability of the first profile, the second, ... (so the distribution
    returned is unique: the lexicographically largest optimal one, a vertex of the
    polytope); (4) certify the obedience gains on the game as given and report exact
    values (floats for float games).

    Parameters
    ----------
    game : Game
        Any finite game, any number of players.
    objective : str or int
        ``"welfare"`` (the sum of expected payoffs) or a player, by name or index (a player
        named ``"welfare"`` must be given by index).
    coarse : bool
        Find a coarse correlated equilibrium instead.

    Returns
    -------
    CorrelatedEquilibrium

    Examples
    --------
    Chicken (Aumann's example): a mediator can beat every Nash equilibrium's welfare (9 and
    28/3) by never recommending the crash:

    >>> from sim.game import Game
    >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
    ...                            players=("Ann", "Bob"), moves=(("yield", "dare"),) * 2)
    >>> best = correlated_equilibrium(chicken)
    >>> best.recommendation_text()
    '(yield, yield) with probability 1/2 and each of (yield, dare) and (dare, yield) with \
probability 1/4'
    >>> best.payoffs
    (Fraction(21, 4), Fraction(21, 4))
    >>> correlated_equilibrium(chicken, "Ann").payoffs
    (Fraction(7, 1), Fraction(2, 1))

    In the prisoner's dilemma the only correlated equilibrium is mutual defection:

    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
    >>> correlated_equilibrium(pd).distribution
    (Fraction(0, 1), Fraction(0, 1), Fraction(0, 1), Fraction(1, 1))
    """
    if objective != "welfare" and not isinstance(objective, int | str):
        raise SimError(f"objective {objective!r}: use 'welfare' or a player name or index")
    exact_game = rationalised(game)
    name, row, then = _objective_row(exact_game, objective)
    point: tuple[Value, ...] = _optimum(exact_game, coarse, row, then)
    if not game.is_exact:
        point = tuple(float(p) for p in point)
    gain = _certify(game, point, coarse)
    return CorrelatedEquilibrium(game, coarse, name, point, _expected(game, point), gain)


# ------------------------------------------------------------------------- vertices
Ray = tuple[int, ...]
"""An extreme ray of the obedience cone: non-negative integers with greatest common divisor 1
(so each ray has exactly one representation, and the vertex is the ray over its sum)."""


def _bits(mask: int) -> list[int]:
    """The set bits of a mask, each as a power of two."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low)
        mask ^= low
    return out


def _combine(value_plus: int, r_minus: Ray, value_minus: int, r_plus: Ray) -> Ray:
    """``value_plus * r_minus + value_minus * r_plus`` divided by the gcd of its entries."""
    combined = [value_plus * x + value_minus * y for x, y in zip(r_minus, r_plus, strict=True)]
    divisor = gcd(*combined)
    return tuple(x // divisor for x in combined) if divisor > 1 else tuple(combined)


def _double_description(rows: Sequence[tuple[int, ...]], n: int) -> list[Ray]:
    """Extreme rays of ``{p >= 0 : row . p <= 0 for each row}`` as integer vectors.

    The double description method (Motzkin et al. 1953; Fukuda & Prodon 1996, "Double
    description method revisited"): start from the orthant ``p >= 0``, whose extreme rays
    are the unit vectors, and add the rows one at a time. Rays with ``row . r <= 0`` stay;
    those with ``> 0`` go; every *adjacent* pair ``(r+, r-)`` on either side gives the new
    ray ``(row . r+) r- - (row . r-) r+`` on the hyperplane. Two rays are adjacent when no
    third ray is tight on every constraint on which both are (the combinatorial test,
    valid for pointed cones), which needs at least ``n - 2`` such constraints.

    Representation (all in integers, no fractions): a ray is a tuple of non-negative
    integers divided by their gcd (:data:`Ray`); the constraints a ray is tight on are the
    bits of an integer (bit ``k < n`` for ``p_k >= 0``, bit ``n + j`` for row ``j``), a new
    ray being tight on those of both its parents and on the new row. For the adjacency test
    each constraint also gets the bitmask of the rays tight on it: the rays tight on every
    common constraint of a pair are the AND of those masks, and the pair is adjacent when
    only the pair itself is left.
    """
    rays: list[Ray] = [tuple(int(j == k) for j in range(n)) for k in range(n)]
    zeros = [((1 << n) - 1) & ~(1 << k) for k in range(n)]
    need = n - 2
    for index, row in enumerate(rows, start=n):
        bit = 1 << index
        active = [(j, c) for j, c in enumerate(row) if c]
        values = [sum(c * ray[j] for j, c in active) for ray in rays]
        plus = [k for k, v in enumerate(values) if v > 0 and zeros[k].bit_count() >= need]
        minus = [k for k, v in enumerate(values) if v < 0]
        tight: dict[int, int] = {}  # constraint bit -> mask of the rays tight on it
        if plus and minus:
            for k, z in enumerate(zeros):
                for low in _bits(z):
                    tight[low] = tight.get(low, 0) | (1 << k)
        everyone = (1 << len(rays)) - 1
        new_rays = [r for r, v in zip(rays, values, strict=True) if v <= 0]
        new_zeros = [z | bit if v == 0 else z for z, v in zip(zeros, values, strict=True) if v <= 0]
        for p in plus:
            zp, pair_p = zeros[p], 1 << p
            for m in minus:
                common = zp & zeros[m]
                if common.bit_count() < need:
                    continue
                pair, both = pair_p | (1 << m), everyone
                for low in _bits(common):
                    both &= tight[low]
                    if both == pair:
                        break
                if both == pair:
                    new_rays.append(_combine(values[p], rays[m], -values[m], rays[p]))
                    new_zeros.append(common | bit)
        rays, zeros = new_rays, new_zeros
    return list(dict.fromkeys(rays))


def _vertices(game: Game, coarse: bool) -> list[tuple[Fraction, ...]]:
    """The vertices of the (coarse) correlated-equilibrium polytope of the rationalised game,
    lexicographically largest first, certified exactly (see :func:`correlated_vertices`)."""
    rows = _integer_rows(rationalised(game), coarse)
    rays = _double_description(rows, prod(game.shape))
    for ray in rays:  # the rows are positive multiples of the exact game's gain rows
        if any(sum(c * x for c, x in zip(row, ray, strict=True)) > 0 for row in rows):
            kind = "coarse correlated" if coarse else "correlated"
            raise CertificateError(
                f"internal error: a vertex of the {kind} polytope found, {list(ray)}, has a "
                "positive deviation gain"
            )
    return sorted((tuple(Fraction(x, sum(ray)) for x in ray) for ray in rays), reverse=True)


def _exact_payoffs(
    game: Game, vertices: Sequence[Sequence[Fraction]]
) -> list[tuple[Fraction, ...]]:
    """Every player's expected payoff at each vertex of an exact game, in integer arithmetic."""
    profiles = _profiles(game)
    own = [[Fraction(game.payoffs[(*s, i)]) for s in profiles] for i in range(game.n_players)]
    unit = lcm(*(u.denominator for row in own for u in row))
    scaled = [[int(u * unit) for u in row] for row in own]
    out = []
    for vertex in vertices:
        common = lcm(*(p.denominator for p in vertex))
        counts = [int(p * common) for p in vertex]
        out.append(
            tuple(
                Fraction(sum(c * u for c, u in zip(counts, row, strict=True) if c), common * unit)
                for row in scaled
            )
        )
    return out


def _polytope(
    game: Game, coarse: bool, exact_vertices: Sequence[tuple[Fraction, ...]]
) -> CorrelatedPolytope:
    """The polytope from the exact vertices of :func:`_vertices`: for a float game, the
    vertices as floats certified on the float payoffs; every vertex's payoffs; and, for two
    players, the payoff polygon (found exactly, on the rationalised game, whose corners are
    then given by their payoffs in the game as given)."""
    exact_payoffs = _exact_payoffs(rationalised(game), exact_vertices)
    vertices: Sequence[tuple[Value, ...]] = exact_vertices
    payoffs: Sequence[tuple[Value, ...]] = exact_payoffs
    if not game.is_exact:
        table = np.array(exact_vertices, dtype=np.float64).reshape(len(exact_vertices), -1)
        source = game.with_payoffs(game.float_payoffs())
        gains = np.array([row for _, row in _rows(source, coarse)], dtype=np.float64)
        worst = (table @ gains.T).max(axis=1) if len(gains) else np.zeros(len(table))
        vertices = [tuple(row) for row in table.tolist()]
        for vertex, gain in zip(vertices, worst.tolist(), strict=True):
            if compare(gain, 0, game.scale()) > 0:
                _certify(game, vertex, coarse)  # raises, saying which gain
        utilities = np.array(
            [[float(game.payoffs[(*s, i)]) for s in _profiles(game)] for i in range(game.n_players)]
        )
        payoffs = [tuple(row) for row in (table @ utilities.T).tolist()]
    polygon = None
    if game.n_players == 2:
        corners = _payoff_polygon([(u[0], u[1]) for u in exact_payoffs])
        if game.is_exact:
            polygon = corners
        else:
            where: dict[Point, int] = {(u[0], u[1]): k for k, u in enumerate(exact_payoffs)}
            polygon = tuple((payoffs[where[c]][0], payoffs[where[c]][1]) for c in corners)
    return CorrelatedPolytope(game, coarse, tuple(vertices), tuple(payoffs), polygon)


def _payoff_polygon(points: Sequence[tuple[Fraction, Fraction]]) -> tuple[Point, ...]:
    """:func:`~sim.analysis.hull.convex_hull` of many exact points, after dropping repeats
    and the points well inside the octagon of the extreme points in eight directions
    (Akl & Toussaint 1978), none of which can be a corner (the hull is quadratic in the
    number of points it is given).

    The filter is in floats, and safe: a point is dropped only when it is strictly to the
    left of every edge of the octagon (whose corners are points of the set, so it is then
    inside their hull) by a margin far above rounding; the hull itself is exact.
    """
    distinct = list(dict.fromkeys(points))
    if len(distinct) <= 8:
        return convex_hull(distinct)
    xy = np.array(distinct, dtype=np.float64)
    directions = np.array([(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)])
    octagon = [int(k) for k in np.argmax(xy @ directions.T, axis=0)]  # counterclockwise
    corners = xy[[k for n, k in enumerate(octagon) if k != octagon[n - 1]]]
    size = max(1.0, float(np.abs(xy).max()))
    inside = np.ones(len(xy), dtype=bool)
    for start, stop in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        edge = stop - start
        cross = edge[0] * (xy[:, 1] - start[1]) - edge[1] * (xy[:, 0] - start[0])
        inside &= cross > 1e-9 * size * size
    if len(corners) < 3:
        inside[:] = False
    return convex_hull([q for q, drop in zip(distinct, inside.tolist(), strict=True) if not drop])


@dataclass(frozen=True)
class CorrelatedPolytope:
    """Every vertex of the set of (coarse) correlated equilibria (:func:`correlated_vertices`).

    Attributes
    ----------
    coarse : bool
        True for the coarse correlated equilibria.
    vertices : tuple of tuple
        The vertices, each a distribution over the pure profiles (see the module
        docstring), lexicographically largest first; exact for exact games.
    payoffs : tuple of tuple
        Each vertex's expected payoffs, one per player.
    polygon : tuple of Point or None
        For two players, the corners of the region of equilibrium payoffs (the convex hull
        of the vertices' payoffs, :func:`sim.analysis.hull.convex_hull`), counterclockwise;
        one or two points when it is a point or a segment. None for more players.
    """

    game: Game = field(repr=False, compare=False)
    coarse: bool
    vertices: tuple[tuple[Value, ...], ...]
    payoffs: tuple[tuple[Value, ...], ...]
    polygon: tuple[Point, ...] | None

    @property
    def kind(self) -> str:
        """``"correlated"`` or ``"coarse correlated"``."""
        return "coarse correlated" if self.coarse else "correlated"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: profiles by move names, vertices and payoffs as floats and exact strings."""
        exact = self.game.is_exact
        return {
            "kind": self.kind,
            "method": "double description",
            "profiles": [list(self.game.profile_names(p)) for p in _profiles(self.game)],
            "vertices": [[float(p) for p in v] for v in self.vertices],
            "exact_vertices": [[str(p) for p in v] for v in self.vertices] if exact else None,
            "payoffs": [[float(u) for u in v] for v in self.payoffs],
            "exact_payoffs": [[str(u) for u in v] for v in self.payoffs] if exact else None,
            "polygon": (
                None if self.polygon is None else [[float(x), float(y)] for x, y in self.polygon]
            ),
            "exact_polygon": (
                [[str(x), str(y)] for x, y in self.polygon]
                if exact and self.polygon is not None
                else None
            ),
        }

    def sentences(self) -> tuple[str, ...]:
        """The polytope in plain language: how many vertices and which payoffs they span.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
        >>> correlated_vertices(pd).sentences()
        ('The only correlated equilibrium is (D, D), with payoffs (1, 1).',)
        """
        kind = self.kind
        if len(self.vertices) == 1:
            (vertex,) = self.vertices
            support = [s for s, p in zip(_profiles(self.game), vertex, strict=True) if p]
            what = (
                f"is {profile_text(self.game, support[0])}"
                if len(support) == 1
                else f"recommends {_recommendations(self.game, vertex)}"
            )
            payoffs = ", ".join(value_text(u) for u in self.payoffs[0])
            return (f"The only {kind} equilibrium {what}, with payoffs ({payoffs}).",)
        lines = [
            f"The {kind} equilibria form a polytope with {len(self.vertices)} vertices "
            "(every one found exactly)."
        ]
        if self.polygon is not None:
            corners = [f"({value_text(x)}, {value_text(y)})" for x, y in self.polygon]
            if len(corners) == 1:
                lines.append(f"Their payoffs are all {corners[0]}.")
            elif len(corners) == 2:
                lines.append(f"Their payoffs fill the segment between {listing(corners)}.")
            else:
                lines.append(f"Their payoffs fill the polygon with corners {', '.join(corners)}.")
        return tuple(lines)


def correlated_vertices(game: Game, *, coarse: bool = False) -> CorrelatedPolytope:
    """Every vertex of the polytope of (coarse) correlated equilibria of a small game.

    Steps: (1) solve the exact game (float payoffs rationalised); (2) write the obedience
    (or coarse) inequalities as integer rows, dropping zero and repeated ones; (3) find
    the extreme rays of the cone ``{p >= 0 : obedience}`` by the double description method
    in integer arithmetic; scaled to sum 1 they are exactly the polytope's vertices (the
    polytope is the cone cut by ``sum(p) = 1``); (4) certify each vertex on the game as
    given, compute its payoffs and, for two players, the convex hull of those payoffs (a
    linear image of a polytope is the hull of its vertices' images).

    Random 3×4 games with payoffs from -20 to 20 have up to about 1,000 vertices; they
    are enumerated in well under a second. :func:`correlated_analysis` lists at most
    :data:`MAX_VERTICES` of them.

    Parameters
    ----------
    game : Game
        A game with at most :data:`MAX_VERTEX_PROFILES` pure profiles.
    coarse : bool
        Enumerate the coarse correlated equilibria instead.

    Returns
    -------
    CorrelatedPolytope

    Raises
    ------
    SimError
        If the game has more pure profiles than :data:`MAX_VERTEX_PROFILES`.

    Examples
    --------
    The battle of the sexes: its correlated equilibria have 5 vertices: the two pure
    equilibria, the mixed one, and two that mix both coordinated outcomes with one of the
    miscoordinated ones:

    >>> from sim.game import Game
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...                           moves=(("opera", "fight"),) * 2)
    >>> polytope = correlated_vertices(battle)
    >>> [[str(p) for p in v] for v in polytope.vertices]
    [['1', '0', '0', '0'], ['2/5', '0', '1/5', '2/5'], ['1/4', '1/2', '0', '1/4'], \
['2/9', '4/9', '1/9', '2/9'], ['0', '0', '0', '1']]
    >>> [tuple(str(u) for u in p) for p in polytope.polygon]
    [('2/3', '2/3'), ('2', '1'), ('1', '2')]
    """
    _check_size(game, coarse)
    return _polytope(game, coarse, _vertices(game, coarse))


def _check_size(game: Game, coarse: bool) -> None:
    """Raise unless the game is small enough for :func:`correlated_vertices`."""
    count = prod(game.shape)
    if count > MAX_VERTEX_PROFILES:
        shape = " × ".join(str(k) for k in game.shape)
        raise SimError(
            f"the vertices of the {'coarse ' if coarse else ''}correlated-equilibrium "
            f"polytope are enumerated only for games with at most {MAX_VERTEX_PROFILES} pure "
            f"profiles; {game.title or 'this game'} has {count} ({shape}). Use "
            "correlated_equilibrium(game, objective) for the optimal ones, or remove "
            "strictly dominated moves first (they are never played in a correlated "
            "equilibrium)"
        )


# ---------------------------------------------------------------------- vs Nash
@dataclass(frozen=True)
class CorrelatedAnalysis:
    """Optimal correlated equilibria compared with Nash equilibria (:func:`correlated_analysis`).

    Attributes
    ----------
    best_welfare : CorrelatedEquilibrium
        The welfare-maximising correlated equilibrium.
    best_for_player : tuple of CorrelatedEquilibrium
        For each player, the correlated equilibrium best for it.
    coarse_best_welfare : CorrelatedEquilibrium
        The welfare-maximising coarse correlated equilibrium.
    nash_welfare : tuple or None
        ``(best, worst)`` welfare over the Nash equilibria found (None if none was found).
    nash_best_payoffs : tuple or None
        Each player's best payoff over the Nash equilibria found.
    nash_complete : str
        What the Nash equilibria cover (:attr:`sim.solvers.Solution.complete`):
        ``"extreme"`` (all of them: the best and worst welfare and payoffs over every Nash
        equilibrium are attained at extreme ones) or ``"pure"`` (pure ones only).
    polytope, coarse_polytope : CorrelatedPolytope or None
        The vertices of the two polytopes, for games small enough
        (:data:`MAX_VERTEX_PROFILES`) whose polytope has at most ``max_vertices``
        (:data:`MAX_VERTICES`) vertices, else None.
    vertex_count, coarse_vertex_count : int or None
        How many vertices each polytope has, whenever they were enumerated (also when
        there were too many to keep); None when they were not.
    """

    game: Game = field(repr=False, compare=False)
    best_welfare: CorrelatedEquilibrium
    best_for_player: tuple[CorrelatedEquilibrium, ...]
    coarse_best_welfare: CorrelatedEquilibrium
    nash_welfare: tuple[Value, Value] | None
    nash_best_payoffs: tuple[Value, ...] | None
    nash_complete: str
    polytope: CorrelatedPolytope | None
    coarse_polytope: CorrelatedPolytope | None
    vertex_count: int | None = None
    coarse_vertex_count: int | None = None

    def _above(self, value: Value, nash: Value) -> int:
        return compare(value, nash, self.game.scale())

    def welfare_gain(self) -> Value | None:
        """Best correlated welfare minus best Nash welfare (``>= 0``), or None."""
        if self.nash_welfare is None:
            return None
        return self.best_welfare.welfare - self.nash_welfare[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the optimal equilibria, the Nash values they are compared with, vertices."""
        nash = None
        if self.nash_welfare is not None and self.nash_best_payoffs is not None:
            best, worst = self.nash_welfare
            nash = {
                "complete": self.nash_complete,
                "best_welfare": float(best),
                "exact_best_welfare": exact_text(best),
                "worst_welfare": float(worst),
                "exact_worst_welfare": exact_text(worst),
                "best_payoffs": {
                    n: float(v)
                    for n, v in zip(self.game.players, self.nash_best_payoffs, strict=True)
                },
                "exact_best_payoffs": (
                    {
                        n: str(v)
                        for n, v in zip(self.game.players, self.nash_best_payoffs, strict=True)
                    }
                    if self.game.is_exact
                    else None
                ),
            }
        return {
            "best_welfare": self.best_welfare.to_dict(),
            "best_for_player": {
                name: ce.to_dict()
                for name, ce in zip(self.game.players, self.best_for_player, strict=True)
            },
            "coarse_best_welfare": self.coarse_best_welfare.to_dict(),
            "nash": nash,
            "polytope": None if self.polytope is None else self.polytope.to_dict(),
            "coarse_polytope": (
                None if self.coarse_polytope is None else self.coarse_polytope.to_dict()
            ),
            "vertex_count": self.vertex_count,
            "coarse_vertex_count": self.coarse_vertex_count,
        }

    def sentences(self) -> tuple[str, ...]:
        """The comparison in plain language, for the report.

        >>> from sim.game import Game
        >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
        ...                            players=("Ann", "Bob"), moves=(("yield", "dare"),) * 2)
        >>> lines = correlated_analysis(chicken).sentences()
        >>> print("\\n".join(lines))  # doctest: +NORMALIZE_WHITESPACE
        A mediator who recommends (yield, yield) with probability 1/2 and each of (yield,
        dare) and (dare, yield) with probability 1/4 gives total payoff 21/2, more than any
        Nash equilibrium (best 28/3, worst 9).
        The correlated equilibrium best for Ann gives Ann 7, as much as the best Nash
        equilibrium for Ann.
        The correlated equilibrium best for Bob gives Bob 7, as much as the best Nash
        equilibrium for Bob.
        Coarse correlated equilibria (players commit before hearing the recommendation) reach
        no more total payoff (21/2).
        The correlated equilibria form a polytope with 5 vertices (every one found exactly).
        Their payoffs fill the polygon with corners (2, 7), (18/5, 18/5), (7, 2), (21/4, 21/4).
        """
        best = self.best_welfare
        total = value_text(best.welfare)
        support = best.support()
        if len(support) == 1:
            lead = (
                f"A mediator who always recommends {profile_text(self.game, support[0][0])} "
                f"gives total payoff {total}"
            )
        else:
            recommends = best.recommendation_text()
            lead = f"A mediator who recommends {recommends} gives total payoff {total}"
        which = "Nash equilibrium" if self.nash_complete == "extreme" else "pure Nash equilibrium"
        if self.nash_welfare is None:
            lines = [f"{lead}; no {which} was found to compare it with."]
        else:
            top, bottom = self.nash_welfare
            if self._above(best.welfare, top) > 0:
                spread = (
                    f"best {value_text(top)}"
                    if self._above(top, bottom) == 0
                    else f"best {value_text(top)}, worst {value_text(bottom)}"
                )
                lines = [f"{lead}, more than any {which} ({spread})."]
            else:
                lines = [
                    f"{lead}, the same as the best {which}: correlation does not raise "
                    "total payoff here."
                ]
        for i, ce in enumerate(self.best_for_player):
            name = self.game.players[i]
            value = ce.payoffs[i]
            text = f"The correlated equilibrium best for {name} gives {name} {value_text(value)}"
            if self.nash_best_payoffs is None:
                lines.append(text + ".")
            elif self._above(value, self.nash_best_payoffs[i]) > 0:
                nash = value_text(self.nash_best_payoffs[i])
                lines.append(f"{text}, more than any {which} gives {name} ({nash}).")
            else:
                lines.append(f"{text}, as much as the best {which} for {name}.")
        coarse = self.coarse_best_welfare.welfare
        if self._above(coarse, best.welfare) > 0:
            lines.append(
                "Coarse correlated equilibria (players commit before hearing the "
                f"recommendation) can reach a total of {value_text(coarse)}."
            )
        else:
            lines.append(
                "Coarse correlated equilibria (players commit before hearing the "
                f"recommendation) reach no more total payoff ({value_text(coarse)})."
            )
        if self.polytope is not None:
            lines.extend(self.polytope.sentences())
        elif self.vertex_count is not None:
            lines.append(
                f"The correlated equilibria form a polytope with {self.vertex_count} vertices "
                f"(every one found exactly){_unlisted(self.vertex_count)}"
            )
        larger = self.coarse_polytope
        if larger is not None and self.polytope is not None:
            if larger.vertices != self.polytope.vertices:
                lines.append(
                    f"The coarse correlated equilibria form a larger polytope with "
                    f"{len(larger.vertices)} vertices."
                )
        elif self.coarse_vertex_count is not None:
            count = self.coarse_vertex_count
            lines.append(
                "The coarse correlated equilibria, which include the correlated ones, form a "
                f"polytope with {count} vertices" + (_unlisted(count) if larger is None else ".")
            )
        return tuple(lines)


def _unlisted(count: int) -> str:
    """The end of a sentence saying why a polytope's vertices are not listed."""
    return (
        f": too many to list (the analysis lists at most {MAX_VERTICES} per polytope); "
        "correlated_vertices(game) gives them all."
    )


def correlated_analysis(
    game: Game,
    solution: Solution | None = None,
    *,
    vertices: bool | None = None,
    max_vertices: int = MAX_VERTICES,
) -> CorrelatedAnalysis:
    """Optimal correlated equilibria of a game, compared with its Nash equilibria.

    Steps: (1) the welfare-maximising correlated and coarse correlated equilibria and, for
    each player, the correlated equilibrium best for it (:func:`correlated_equilibrium`);
    (2) the best and worst welfare and each player's best payoff over the Nash equilibria
    of ``solution`` (by default ``solve(game)``); (3) for small games, the vertices of both
    polytopes (:func:`correlated_vertices`), kept when there are at most ``max_vertices``
    of them and otherwise only counted.

    Parameters
    ----------
    game : Game
        Any finite game.
    solution : Solution, optional
        The game's Nash equilibria; ``solve(game)`` by default.
    vertices : bool, optional
        Enumerate the vertices: by default when the game has at most
        :data:`MAX_VERTEX_PROFILES` pure profiles; True insists (and raises for larger
        games), False skips.
    max_vertices : int
        Most vertices kept per polytope; a polytope with more is left out (None) and
        only its vertex count kept (:attr:`CorrelatedAnalysis.vertex_count`).

    Returns
    -------
    CorrelatedAnalysis

    Examples
    --------
    >>> from sim.game import Game
    >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> result = correlated_analysis(chicken)
    >>> result.best_welfare.welfare, result.nash_welfare, result.welfare_gain()
    (Fraction(21, 2), (Fraction(28, 3), Fraction(9, 1)), Fraction(7, 6))
    """
    if solution is None:
        solution = solve(game)
    scale = game.scale()
    nash_welfare: tuple[Value, Value] | None = None
    nash_best: tuple[Value, ...] | None = None
    if solution.equilibria:
        totals = [sum(e.payoffs, Fraction(0)) for e in solution.equilibria]
        best = totals[0]
        worst = totals[0]
        for t in totals[1:]:
            best = t if compare(t, best, scale) > 0 else best
            worst = t if compare(t, worst, scale) < 0 else worst
        nash_welfare = (best, worst)
        nash_best = tuple(
            max(e.payoffs[i] for e in solution.equilibria) for i in range(game.n_players)
        )
    small = prod(game.shape) <= MAX_VERTEX_PROFILES
    polytopes: list[CorrelatedPolytope | None] = [None, None]
    counts: list[int | None] = [None, None]
    if small if vertices is None else vertices:
        for coarse in (False, True):
            _check_size(game, coarse)
            found = _vertices(game, coarse)
            counts[coarse] = len(found)
            if len(found) <= max_vertices:
                polytopes[coarse] = _polytope(game, coarse, found)
    return CorrelatedAnalysis(
        game,
        correlated_equilibrium(game),
        tuple(correlated_equilibrium(game, i) for i in range(game.n_players)),
        correlated_equilibrium(game, coarse=True),
        nash_welfare,
        nash_best,
        solution.complete,
        polytopes[0],
        polytopes[1],
        counts[0],
        counts[1],
    )
