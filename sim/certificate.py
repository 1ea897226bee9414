"""The one tolerance and the one certificate: regret of a mixed profile.

Every comparison of payoffs in the package goes through :func:`compare`, and every solver
result is checked by :func:`certify` before it is returned.

Tolerance policy (the only place it is written down):

* Exact games (all payoffs rational) are compared exactly: a certified equilibrium has
  regret exactly ``0`` and probabilities that sum exactly to ``1``.
* Float games are compared with an absolute tolerance of ``TOLERANCE * scale`` where
  ``scale = max(1, max |payoff|)`` (:meth:`sim.game.Game.scale`): two payoffs closer than
  that are treated as tied, and a profile is certified when each player's regret is at
  most that and its probabilities are within ``TOLERANCE`` of the simplex.
* Solvers do not compare floats at all: they solve the *rationalised* game
  (:func:`rationalised`), in which each float payoff is replaced by an exact value within
  ``TOLERANCE * scale / 4`` of it (:func:`rationalise`). Floats that stand for decimals or
  simple fractions become exactly those (``0.1 + 0.2`` becomes ``3/10``, tied with
  ``0.3``), so ties written in floats stay ties, and every solver sees the same exact
  game. The equilibria found are then certified against the original float payoffs;
  moving each payoff by at most a quarter of the tolerance changes any regret by at most
  half of it.
* The two windows differ on purpose: the certificate (and :func:`compare`, used by the
  analyses) accepts anything within the tolerance, while the solvers return the extreme
  equilibria of the rationalised game. Payoffs that differ by more than a quarter of the
  tolerance but less than all of it may therefore admit a profile that passes
  :func:`is_equilibrium` without being one of the solver's extreme equilibria. Write such
  payoffs as exact numbers (decimals or fractions in a scenario file) to remove the doubt.

>>> from sim.game import Game
>>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> half = (Fraction(1, 2), Fraction(1, 2))
>>> regret(pennies, (half, half))
Fraction(0, 1)
>>> regret(pennies, ((1, 0), half))
Fraction(1, 1)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from sim.errors import CertificateError, SolverError
from sim.game import Game, Value

__all__ = [
    "SIMPLE_DENOMINATOR",
    "TOLERANCE",
    "certify",
    "certify_pairs",
    "certify_pure",
    "comparable",
    "compare",
    "expected_payoffs",
    "integer_values",
    "is_equilibrium",
    "move_values",
    "rationalise",
    "rationalise_array",
    "rationalised",
    "regret",
    "signs",
]

TOLERANCE = 1e-9
"""Relative tolerance for float games (multiplied by the game's payoff scale)."""

Profile = Sequence[Sequence[Value | int]]


def _simplest_between(low: Fraction, high: Fraction) -> Fraction:
    """The fraction with the smallest denominator in ``[low, high]`` (continued fractions)."""
    if low <= 0 <= high:
        return Fraction(0)
    if high < 0:
        return -_simplest_between(-high, -low)
    whole = low.numerator // low.denominator
    if whole == low or whole + 1 <= high:
        return Fraction(whole if whole == low else whole + 1)
    return whole + 1 / _simplest_between(1 / (high - whole), 1 / (low - whole))


SIMPLE_DENOMINATOR = 1000
"""Largest denominator a float payoff is read as (``0.1`` as 1/10, ``0.333...`` as 1/3)."""


def rationalise(value: Value | int, scale: float = 1.0) -> Fraction:
    """The exact value that solvers use for a payoff (exact values are kept as they are).

    A float becomes the simplest fraction within ``TOLERANCE * scale / 4`` of it (the
    smallest denominator; the nearest such fraction if several) when that fraction's
    denominator is at most :data:`SIMPLE_DENOMINATOR` (so floats written as
    decimals or simple fractions become exactly those); otherwise the nearest multiple of
    ``2**-k``, the coarsest binary grid finer than an eighth of the tolerance. Either way the
    value moves by at most a quarter of the tolerance, and the denominators of a whole game
    stay small enough for fast exact arithmetic.

    >>> rationalise(0.1 + 0.2), rationalise(1 / 3), rationalise(Fraction(7, 9))
    (Fraction(3, 10), Fraction(1, 3), Fraction(7, 9))
    >>> grid = rationalise(0.123456789123)
    >>> 2**33 % grid.denominator, abs(grid - Fraction(0.123456789123)) < 1e-10
    (0, True)
    """
    if isinstance(value, Fraction | int):
        return Fraction(value)
    exact = Fraction(float(value))
    slack = Fraction(TOLERANCE * scale / 4)
    q = _simplest_between(exact - slack, exact + slack).denominator
    if q <= SIMPLE_DENOMINATOR:
        return Fraction(round(exact * q), q)  # of the simplest, the one nearest the float
    step = Fraction(2) ** -math.ceil(math.log2(8 / (TOLERANCE * scale)))
    return round(exact / step) * step


def rationalised(game: Game) -> Game:
    """The exact game every solver solves: the game itself, or its rationalised payoffs."""
    if game.is_exact:
        return game
    scale = game.scale()
    array = np.empty(game.payoffs.shape, dtype=object)
    array.flat[:] = rationalise_array(game.payoffs.ravel(), scale)
    return game.with_payoffs(array)


def rationalise_array(values: np.ndarray, scale: float) -> list[Fraction]:
    """``[rationalise(v, scale) for v in values]`` for a float array, fast.

    Most floats of a generic game are no simple fraction: a float ``x`` is within the slack
    of some ``p / q`` with ``q <= SIMPLE_DENOMINATOR`` only if ``|x q - round(x q)|`` is at
    most ``slack * q``, which numpy checks for every ``q`` at once. The check is loosened
    by far more than its rounding error, so a float it rejects has no simple fraction
    nearby and goes straight to the binary grid (``round(x * 2**k) / 2**k``, exact in
    floats); the rest take :func:`rationalise` itself.
    """
    slack = TOLERANCE * scale / 4
    denominators = np.arange(1, SIMPLE_DENOMINATOR + 1, dtype=np.float64)
    simple = ~np.isfinite(values)
    for start in range(0, len(values), 1024):  # about 8 MB of products at a time
        chunk = values[start : start + 1024]
        with np.errstate(over="ignore", invalid="ignore"):
            products = np.outer(chunk, denominators)
            distance = np.abs(products - np.rint(products))
            near = distance <= slack * denominators * (1 + 1e-6) + 1e-12 * np.abs(products)
        simple[start : start + 1024] |= near.any(axis=1)
    bits = math.ceil(math.log2(8 / (TOLERANCE * scale)))
    out = []
    for x, screened in zip(values.tolist(), simple.tolist(), strict=True):
        if screened:
            out.append(rationalise(x, scale))
        else:
            out.append(
                Fraction(round(math.ldexp(x, bits)), 1 << bits)
                if bits >= 0
                else rationalise(x, scale)
            )
    return out


def compare(a: Value, b: Value, scale: float = 1.0) -> int:
    """Return -1, 0 or 1 as ``a`` is below, tied with, or above ``b``.

    Exact when both are rational; otherwise ties are within ``TOLERANCE * scale``.

    >>> compare(Fraction(1, 3), Fraction(1, 3)), compare(0.1 + 0.2, 0.3), compare(1, 2)
    (0, 0, -1)
    """
    if isinstance(a, Fraction | int) and isinstance(b, Fraction | int):
        return (a > b) - (a < b)
    diff = float(a) - float(b)
    if abs(diff) <= TOLERANCE * scale:
        return 0
    return 1 if diff > 0 else -1


def _as_array(game: Game, strategy: Sequence[Value | int]) -> np.ndarray:
    if game.is_exact and all(isinstance(p, Fraction | int) for p in strategy):
        out = np.empty(len(strategy), dtype=object)
        out[:] = [Fraction(p) for p in strategy]
        return out
    return np.asarray([float(p) for p in strategy], dtype=np.float64)


def _is_exact_profile(game: Game, profile: Profile) -> bool:
    return game.is_exact and all(isinstance(p, Fraction | int) for s in profile for p in s)


def integer_values(values: Sequence[Any]) -> tuple[list[int], int]:
    """Integer numerators over the least common denominator, and that denominator.

    Exact arithmetic on Python integers avoids a gcd per operation, which is most of the
    cost of ``Fraction`` arithmetic. Every value must be exact (``Fraction`` or ``int``).

    >>> integer_values([Fraction(1, 2), Fraction(1, 3), 1])
    ([3, 2, 6], 6)
    """
    denominators = [v.denominator for v in values]
    common = lcm(*denominators)
    return [v.numerator * (common // d) for v, d in zip(values, denominators, strict=True)], common


def comparable(values: np.ndarray) -> np.ndarray:
    """The same values as an array numpy compares and subtracts without changing any order.

    Exact values (``Fraction`` or ``int``, in an object array) become integers over their
    least common denominator: ``int64`` when every difference of two of them fits, Python
    integers in an object array otherwise. Float arrays are returned as ``float64``. The
    shape is kept. Differences of entries of the result are signed by :func:`signs` exactly
    as :func:`compare` signs the original values, so whole tables can be compared at once.

    >>> comparable(np.array([[Fraction(1, 2), 1], [Fraction(-1, 3), 0]], dtype=object))
    array([[ 3,  6],
           [-2,  0]])
    """
    values = np.asarray(values)
    if values.dtype != object:
        return values.astype(np.float64)
    numerators, _ = integer_values(values.ravel().tolist())
    small = not numerators or max(map(abs, numerators)) < 2**62
    out = np.empty(len(numerators), dtype=np.int64 if small else object)
    out[:] = numerators
    return out.reshape(values.shape)


def signs(differences: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """``compare(d, 0, scale)`` for every entry of an array of differences, as ``int8``.

    ``differences`` are differences of entries of one :func:`comparable` array: integers
    are signed exactly, floats with the tolerance ``TOLERANCE * scale``.

    >>> signs(np.array([1e-12, -0.5, 2.0])).tolist(), signs(np.array([0, -3, 7])).tolist()
    ([0, -1, 1], [0, -1, 1])
    """
    if differences.dtype == np.float64:
        tolerance = TOLERANCE * scale
        above, below = differences > tolerance, differences < -tolerance
    else:
        above, below = differences > 0, differences < 0
    return np.asarray(above, dtype=np.int8) - np.asarray(below, dtype=np.int8)


def _integers(values: Sequence[Any]) -> tuple[np.ndarray, int]:
    """:func:`integer_values` as an object array of Python integers (for ``tensordot``)."""
    numerators, denominator = integer_values(values)
    out = np.empty(len(numerators), dtype=object)
    out[:] = numerators
    return out, denominator


def _contract(table: np.ndarray, profile: Sequence[np.ndarray], player: int) -> np.ndarray:
    """The payoff table contracted with every other player's strategy: one value per move."""
    # Contract the opponents' axes from the last to the first so axis numbers stay valid.
    for other in reversed(range(len(profile))):
        if other != player:
            table = np.tensordot(table, profile[other], axes=([other], [0]))
    return table


def _integer_table(game: Game, player: int) -> tuple[np.ndarray, int]:
    """A player's payoff table as integers over one denominator (see :func:`_integers`)."""
    table = game.payoff_matrix(player)
    flat, denominator = _integers(table.ravel().tolist())
    return flat.reshape(table.shape), denominator


def _exact_move_values(
    table: tuple[np.ndarray, int], strategies: Sequence[tuple[np.ndarray, int]], player: int
) -> tuple[list[int], int]:
    """A player's move values as integers over one denominator, against integer strategies.

    ``table`` is the player's :func:`_integer_table` and ``strategies`` each player's
    :func:`_integers`; the denominator is the table's times the opponents' strategies'.
    """
    ints, denominator = table
    for other, (_, d) in enumerate(strategies):
        if other != player:
            denominator *= d
    arrays = [nums for nums, _ in strategies]
    return _contract(ints, arrays, player).tolist(), denominator


def _exact_evaluation(game: Game, profile: Profile) -> list[tuple[int, int, int]]:
    """Per player ``(best, mean, d)``: best move value ``best / d``, payoff ``mean / d``."""
    strategies = [_integers(s) for s in profile]
    out = []
    for i in range(game.n_players):
        values, denominator = _exact_move_values(_integer_table(game, i), strategies, i)
        own, own_denominator = strategies[i]
        mean = sum(v * w for v, w in zip(values, own.tolist(), strict=True))
        out.append((max(values) * own_denominator, mean, denominator * own_denominator))
    return out


def move_values(game: Game, profile: Profile, player: int) -> np.ndarray:
    """Payoff to ``player`` of each of its pure moves against the others' mixed strategies."""
    if _is_exact_profile(game, profile):
        strategies = [_integers(s) for s in profile]
        values, denominator = _exact_move_values(_integer_table(game, player), strategies, player)
        out = np.empty(len(values), dtype=object)
        out[:] = [Fraction(v, denominator) for v in values]
        return out
    table = game.payoff_matrix(player).astype(np.float64)
    return _contract(table, [_as_array(game, s) for s in profile], player)


def expected_payoffs(game: Game, profile: Profile) -> tuple[Value, ...]:
    """Each player's expected payoff under a mixed profile (one strategy per player)."""
    if _is_exact_profile(game, profile):
        return tuple(Fraction(mean, d) for _, mean, d in _exact_evaluation(game, profile))
    return tuple(
        _dot(move_values(game, profile, i), _as_array(game, profile[i]))
        for i in range(game.n_players)
    )


def _dot(values: np.ndarray, strategy: np.ndarray) -> Value:
    total = values.dot(strategy)
    return total if isinstance(total, Fraction) else float(total)


def _player_regrets(game: Game, profile: Profile) -> list[Value]:
    if _is_exact_profile(game, profile):
        return [Fraction(best - mean, d) for best, mean, d in _exact_evaluation(game, profile)]
    out: list[Value] = []
    for i in range(game.n_players):
        values = move_values(game, profile, i)
        best = max(values.tolist())
        out.append(best - _dot(values, _as_array(game, profile[i])))
    return out


def regret(game: Game, profile: Profile) -> Value:
    """The largest gain any player could make by deviating to a pure move (>= 0)."""
    _check_shape(game, profile)
    return max(_player_regrets(game, profile))


def _check_shape(game: Game, profile: Profile) -> None:
    lengths = tuple(len(s) for s in profile)
    if lengths != game.shape:
        raise SolverError(
            f"profile has strategy lengths {lengths}, the game has {game.shape} moves"
        )


def _on_simplex(strategy: Sequence[Value | int]) -> bool:
    if all(isinstance(p, Fraction | int) for p in strategy):
        return all(p >= 0 for p in strategy) and sum(strategy) == 1
    return min(float(p) for p in strategy) >= -TOLERANCE and abs(
        sum(float(p) for p in strategy) - 1.0
    ) <= TOLERANCE * len(strategy)


def is_equilibrium(game: Game, profile: Profile) -> bool:
    """True when the profile is on the simplex and no player gains by deviating.

    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> is_equilibrium(pd, ((0, 1), (0, 1))), is_equilibrium(pd, ((1, 0), (1, 0)))
    (True, False)
    """
    _check_shape(game, profile)
    if not all(_on_simplex(s) for s in profile):
        return False
    value = regret(game, profile)
    return value == 0 if isinstance(value, Fraction) else compare(value, 0, game.scale()) <= 0


def certify_pairs(
    game: Game,
    rows: Sequence[Sequence[Value]],
    columns: Sequence[Sequence[Value]],
    pairs: Sequence[tuple[int, int]],
) -> list[tuple[tuple[Value, ...], Value]]:
    """:func:`certify` and :func:`expected_payoffs` of the profiles ``(rows[i], columns[j])``.

    The same certificate for many profiles of one two-player game, as solvers produce
    them: each strategy's payoffs against the other side (``A y`` and ``x B``) are computed
    once, in integers for exact games, not once per pair.

    Returns
    -------
    list of (payoffs, regret)
        One entry per pair, in order.

    Raises
    ------
    CertificateError
        If some pair is not an equilibrium.

    >>> from sim.game import Game
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> third = (Fraction(2, 3), Fraction(1, 3))
    >>> certify_pairs(battle, [(1, 0), third], [(1, 0), third[::-1]], [(0, 0), (1, 1)])
    [((Fraction(2, 1), Fraction(1, 1)), Fraction(0, 1)), \
((Fraction(2, 3), Fraction(2, 3)), Fraction(0, 1))]
    """
    strategies = (rows, columns)
    exact = game.is_exact and all(
        isinstance(p, Fraction | int) for side in strategies for s in side for p in s
    )
    if not exact or game.n_players != 2:
        out = []
        for i, j in pairs:
            profile = (rows[i], columns[j])
            out.append((expected_payoffs(game, profile), certify(game, profile)))
        return out
    integers = [[integer_values(s) for s in side] for side in strategies]
    for player, side in enumerate(strategies):
        for strategy, (nums, denominator) in zip(side, integers[player], strict=True):
            if len(strategy) != game.shape[player]:
                raise SolverError(
                    f"{game.players[player]}'s strategy has {len(strategy)} moves, the game "
                    f"gives {game.shape[player]}"
                )
            if min(nums) < 0 or sum(nums) != denominator:  # not on the simplex
                raise CertificateError(
                    f"{game.players[player]}'s strategy {list(strategy)} is not a "
                    "probability vector"
                )
    # tables[player]: one row of integer payoffs per own move, over a common denominator.
    m, n = game.shape
    a, a_denominator = integer_values(game.payoff_matrix(0).ravel().tolist())
    b, b_denominator = integer_values(game.payoff_matrix(1).T.ravel().tolist())
    tables = (
        ([a[k : k + n] for k in range(0, m * n, n)], a_denominator),
        ([b[k : k + m] for k in range(0, m * n, m)], b_denominator),
    )
    # values[player][k]: player's move values against the other side's k-th strategy, as
    # integers over the denominator of the table times that strategy's.
    values = [
        [
            ([sum(map(operator.mul, row, nums)) for row in tables[player][0]], d)
            for nums, d in integers[1 - player]
        ]
        for player in (0, 1)
    ]
    out = []
    for i, j in pairs:
        payoffs = []
        regrets = []
        for player, own, against in ((0, i, j), (1, j, i)):
            move_values_, against_denominator = values[player][against]
            nums, own_denominator = integers[player][own]
            mean = sum(map(operator.mul, move_values_, nums))
            total = tables[player][1] * against_denominator * own_denominator
            payoffs.append(Fraction(mean, total))
            regrets.append(Fraction(max(move_values_) * own_denominator - mean, total))
        value = max(regrets)
        if value != 0:
            profile = (rows[i], columns[j])
            raise CertificateError(
                f"profile {profile} is not an equilibrium: a player gains {value}"
            )
        out.append((tuple(payoffs), value))
    return out


def certify_pure(
    game: Game, profiles: Sequence[tuple[int, ...]]
) -> list[tuple[tuple[Value, ...], Value]]:
    """:func:`certify` and :func:`expected_payoffs` of pure profiles, given as move indices.

    A pure profile's payoffs are entries of the table, and each player's regret there is
    its best payoff against the others' moves minus its own: one maximum per player over
    the whole table serves every profile (in integers for exact games), so a thousand pure
    equilibria cost about as much as one.

    Returns
    -------
    list of (payoffs, regret)
        One entry per profile, in order; the same values as ``expected_payoffs`` and
        ``certify`` of the profile's unit strategies.

    Raises
    ------
    CertificateError
        If some profile is not an equilibrium.

    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> certify_pure(pd, [(1, 1)])
    [((Fraction(1, 1), Fraction(1, 1)), Fraction(0, 1))]
    """
    if not profiles:
        return []
    for profile in profiles:
        if len(profile) != game.n_players or not all(
            0 <= j < k for j, k in zip(profile, game.shape, strict=True)
        ):
            raise SolverError(f"{profile} is not a pure profile of a game of shape {game.shape}")
    index = tuple(np.array(axis) for axis in zip(*profiles, strict=True))
    gains: list[list[Value]] = []  # gains[i][k]: player i's regret at the k-th profile
    for i in range(game.n_players):
        table = game.payoff_matrix(i)
        others = index[:i] + index[i + 1 :]
        if game.is_exact:
            numerators, denominator = _integers(table.ravel().tolist())
            ints = numerators.reshape(table.shape)
            differences = (ints.max(axis=i)[others] - ints[index]).tolist()
            gains.append([Fraction(d, denominator) for d in differences])
        else:
            gains.append((table.max(axis=i)[others] - table[index]).tolist())
    scale = game.scale()
    out = []
    for k, profile in enumerate(profiles):
        value = max(own[k] for own in gains)
        if value != 0 if isinstance(value, Fraction) else compare(value, 0, scale) > 0:
            raise CertificateError(
                f"profile {profile} is not an equilibrium: a player gains {value}"
            )
        out.append((tuple(game.payoffs[profile].tolist()), value))
    return out


def certify(game: Game, profile: Profile) -> Value:
    """Return the profile's regret, or raise :class:`SolverError` if it is not an equilibrium.

    Exact profiles of exact games must have regret exactly zero; otherwise regret must be
    within the tolerance (see the module docstring).
    """
    _check_shape(game, profile)
    for name, strategy in zip(game.players, profile, strict=True):
        if not _on_simplex(strategy):
            raise CertificateError(
                f"{name}'s strategy {list(strategy)} is not a probability vector"
            )
    value = regret(game, profile)
    if value != 0 if isinstance(value, Fraction) else compare(value, 0, game.scale()) > 0:
        raise CertificateError(f"profile {profile} is not an equilibrium: a player gains {value}")
    return value
