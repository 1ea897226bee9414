"""Security levels: what each player can guarantee whatever the others do.

A player's *pure maxmin* is the best worst case over its own pure moves, the worst case
being taken over the opponents' pure profiles. Its *mixed maxmin* is the best worst case
over its own mixed strategies. Both are computed here for any number of players.

Why the mixed maxmin needs only the opponents' pure profiles: for a fixed mixed strategy
``x`` of player ``i``, its expected payoff is multilinear in the opponents' independent
mixed strategies, so its minimum over them is attained at a pure profile. The mixed maxmin
is therefore the value, for the row chooser, of the matrix with one row per move of ``i``
and one column per opponents' pure profile (:func:`maxmin`).

:func:`maxmin` computes that value exactly by linear programming (von Neumann's minimax
theorem makes it the value of the zero-sum game ``(M, -M)``): with ``M`` shifted to
positive entries, maximise ``v`` over ``x >= 0`` with ``x @ M >= v`` in every column and
``sum(x) <= 1``, by the exact simplex method of :mod:`sim.solvers.simplex`. Among the
maxmin strategies it returns the lexicographically largest (most probability on the first
row, then on the second, ...), so the strategy reported does not depend on how the payoffs
are scaled.

>>> from sim.game import Game
>>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> level = security_levels(pennies).level(0)
>>> level.pure_value, level.mixed_value, level.mixed_strategy
(Fraction(-1, 1), Fraction(0, 1), (Fraction(1, 2), Fraction(1, 2)))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from sim.certificate import comparable, compare, rationalise, signs
from sim.errors import SimError
from sim.game import Game, Value, as_value, exact_text
from sim.solvers.simplex import maximise

__all__ = [
    "Maxmin",
    "PlayerSecurity",
    "Security",
    "maxmin",
    "maxmin_value",
    "own_rows",
    "security_levels",
]


def _strategy_dict(moves: Sequence[str], strategy: Sequence[Value]) -> dict[str, Any]:
    """Probabilities of the moves in the support, as floats and exact strings (or None)."""
    support = [(m, p) for m, p in zip(moves, strategy, strict=True) if p > 0]
    exact = all(isinstance(p, Fraction) for _, p in support)
    return {
        "probabilities": {m: float(p) for m, p in support},
        "exact": {m: str(p) for m, p in support} if exact else None,
    }


@dataclass(frozen=True)
class Maxmin:
    """The row chooser's mixed maxmin in a matrix of its payoffs (columns chosen adversely).

    Attributes
    ----------
    value : Fraction or float
        The largest payoff the row chooser can guarantee: ``min`` over columns of
        ``strategy @ matrix``. Exact for a rational matrix.
    strategy : tuple
        A maxmin strategy, one probability per row: of all maxmin strategies, the
        lexicographically largest (the most probability on the first row, then on the
        second, ...). It is an extreme point of the set of maxmin strategies (for a float
        matrix, of its rationalised values, :func:`sim.certificate.rationalise`).
    """

    value: Value
    strategy: tuple[Value, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: value and strategy as floats plus exact strings (or None)."""
        exact = isinstance(self.value, Fraction)
        return {
            "value": float(self.value),
            "exact_value": exact_text(self.value),
            "strategy": [float(p) for p in self.strategy],
            "exact_strategy": [str(p) for p in self.strategy] if exact else None,
        }


def _guarantee(strategy: Sequence[Value], matrix: np.ndarray) -> Value:
    """``min`` over columns of ``strategy @ matrix`` (exact for Fractions)."""
    if matrix.dtype == object:
        return min(
            sum((p * x for p, x in zip(strategy, column, strict=True)), Fraction(0))
            for column in matrix.T.tolist()
        )
    return float(np.min(np.asarray(strategy, dtype=np.float64) @ matrix))


def _payoff_table(matrix: Any) -> np.ndarray:
    """The matrix as a 2-D array of Fractions (object) or, if any entry is a float, floats."""
    raw = np.asarray(matrix, dtype=object)
    if raw.ndim != 2 or 0 in raw.shape:
        raise SimError(
            f"maxmin needs a non-empty 2-dimensional payoff matrix, got shape {raw.shape}"
        )
    values = [as_value(x) for x in raw.flat]
    if all(isinstance(v, Fraction) for v in values):
        table = np.empty(raw.shape, dtype=object)
        table.flat[:] = values
        return table
    return np.array(values, dtype=np.float64).reshape(raw.shape)


def _reduced(matrix: Sequence[Sequence[Fraction]]) -> tuple[list[int], list[int]]:
    """The rows and columns the maxmin program needs: rows not strictly dominated by another
    row, and columns no other column lies entrywise below (the first of equal columns).

    Neither removal changes the set of maxmin strategies: moving a dominated row's weight to
    its dominator raises every column's payoff, so no maxmin strategy uses it; and a column
    entrywise above another adds a constraint the other already implies.
    """
    table = comparable(np.array(matrix, dtype=object))
    rows = [j for j in range(table.shape[0]) if not (signs(table - table[j]) > 0).all(axis=1).any()]
    kept = table[rows]
    columns = []
    for c in range(kept.shape[1]):
        sign = signs(kept - kept[:, c : c + 1])  # sign[j, d]: column d against column c
        below, equal = (sign <= 0).all(axis=0), (sign == 0).all(axis=0)
        if not (below & ~equal).any() and not equal[:c].any():
            columns.append(c)
    return rows, columns


def _maxmin_program(
    matrix: Sequence[Sequence[Fraction]],
) -> tuple[Fraction, tuple[Fraction, ...]]:
    """Exact maxmin value and lexicographically largest maxmin strategy of a matrix.

    Variables ``(x_0, ..., x_{m-1}, v)``; with ``M' = M - min(M) + 1 > 0``, maximise ``v``
    subject to ``v - (x @ M')_c <= 0`` for every column ``c`` and ``sum(x) <= 1``, then
    ``x_0``, ``x_1``, ... over the optimal set. As ``M' > 0`` every optimum has
    ``sum(x) = 1``, and ``v = value + 1 - min(M)``. The program is solved on the rows and
    columns :func:`_reduced` keeps, which leaves the optimal set unchanged (the other rows'
    weights are zero).
    """
    rows, columns = _reduced(matrix)
    kept = [[matrix[j][c] for c in columns] for j in rows]
    low = min(min(row) for row in kept)
    shifted = [[x - low + 1 for x in row] for row in kept]
    m = len(shifted)
    constraints = [[-x for x in column] + [Fraction(1)] for column in zip(*shifted, strict=True)]
    constraints.append([Fraction(1)] * m + [Fraction(0)])
    rhs = [0] * (len(constraints) - 1) + [1]
    ties = [[int(k == r) for k in range(m)] + [0] for r in range(m - 1)]
    optimum = maximise([0] * m + [1], constraints, rhs, then=ties)
    strategy = [Fraction(0)] * len(matrix)
    for j, p in zip(rows, optimum.point[:m], strict=True):
        strategy[j] = p
    return optimum.value + low - 1, tuple(strategy)


def maxmin(matrix: Any, *, scale: float | None = None) -> Maxmin:
    """Mixed maxmin value and strategy of the row chooser in a payoff matrix.

    Steps: (1) read the matrix as exact rationals (floats via
    :func:`sim.certificate.rationalise`, as the solvers do); (2) shift it to positive
    entries and solve ``max v`` subject to ``x @ M >= v`` column by column and ``sum(x) <=
    1``, ``x >= 0`` by the exact simplex method (:func:`sim.solvers.simplex.maximise`),
    maximising ``x_0``, ``x_1``, ... in turn among the optimal ``x``; (3) undo the shift
    (exact matrices), or report the strategy in floats with its guarantee ``min_c (x @
    M)_c`` on the float matrix (float matrices).

    Parameters
    ----------
    matrix : array_like
        Payoffs to the row chooser, shape ``(rows, columns)``. Integers and fractions give
        exact results; any float makes the computation float (solved exactly on the
        rationalised values, reported as floats).
    scale : float, optional
        Payoff scale for the float tolerance of :mod:`sim.certificate`; by default
        ``max(1, max |entry|)``.

    Returns
    -------
    Maxmin

    Examples
    --------
    >>> result = maxmin([[4, 0], [0, 2]])
    >>> result.value, result.strategy
    (Fraction(4, 3), (Fraction(1, 3), Fraction(2, 3)))
    """
    table = _payoff_table(matrix)
    if table.dtype == object:
        value, strategy = _maxmin_program(table.tolist())
        return Maxmin(value, strategy)
    if scale is None:
        scale = max(1.0, float(np.max(np.abs(table))))
    exact = [[rationalise(x, scale) for x in row] for row in table.tolist()]
    _, exact_strategy = _maxmin_program(exact)
    floats = tuple(float(p) for p in exact_strategy)
    return Maxmin(_guarantee(floats, table), floats)


def maxmin_value(matrix: Any) -> Fraction:
    """The row chooser's mixed maxmin value of an exact matrix, without its strategy.

    By the minimax theorem (von Neumann 1928) the value is the row player's payoff at any
    Nash equilibrium of the zero-sum game with payoffs ``(M, -M)``; one Lemke–Howson path
    (:func:`sim.solvers.lemke_howson.lemke_howson`, from the first label) finds one,
    certified in exact arithmetic. The value is the same as :func:`maxmin`'s; on large
    matrices it comes many times faster (about 20× at 40×40, 50× at 60×60), because
    :func:`maxmin` also finds the lexicographically largest maxmin strategy with the exact
    simplex method.

    Parameters
    ----------
    matrix : array_like
        Integers or fractions, shape ``(rows, columns)``.

    Examples
    --------
    >>> maxmin_value([[4, 0], [0, 2]]) == maxmin([[4, 0], [0, 2]]).value
    True
    """
    from sim.solvers.lemke_howson import lemke_howson

    table = _payoff_table(matrix)
    if table.dtype != object:
        raise SimError("maxmin_value needs an exact matrix (integers or fractions)")
    game = Game.from_payoffs(np.stack([table, -table], axis=-1))
    (equilibrium, *_) = lemke_howson(game, labels=0).equilibria
    return Fraction(equilibrium.payoffs[0])


def own_rows(game: Game, player: int) -> np.ndarray:
    """Player's payoffs with one row per own move and one column per opponents' profile.

    Columns follow the opponents' pure profiles in lexicographic order (players in game
    order, the last one varying fastest), as in :meth:`sim.game.Game.profiles`.

    >>> from sim.game import Game
    >>> g = Game.from_arrays([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    >>> own_rows(g, 1).tolist()
    [[Fraction(5, 1), Fraction(7, 1)], [Fraction(6, 1), Fraction(8, 1)]]
    """
    table = np.moveaxis(game.payoff_matrix(player), player, 0)
    return table.reshape(game.shape[player], -1)


@dataclass(frozen=True)
class PlayerSecurity:
    """One player's security levels.

    Attributes
    ----------
    player : int
        Player index.
    worst_cases : tuple
        For each own move, the worst payoff over the opponents' pure profiles.
    pure_value : Fraction or float
        Pure maxmin: the largest worst case.
    pure_moves : tuple of int
        The moves attaining it (ties included).
    mixed : Maxmin
        Mixed maxmin value and strategy (see :func:`maxmin`).
    """

    game: Game = field(repr=False, compare=False)
    player: int
    worst_cases: tuple[Value, ...]
    pure_value: Value
    pure_moves: tuple[int, ...]
    mixed: Maxmin

    @property
    def mixed_value(self) -> Value:
        """The mixed maxmin value."""
        return self.mixed.value

    @property
    def mixed_strategy(self) -> tuple[Value, ...]:
        """A mixed maxmin strategy (see :attr:`Maxmin.strategy`)."""
        return self.mixed.strategy

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with move names, floats and exact strings (or None)."""
        moves = self.game.moves[self.player]
        exact = self.game.is_exact
        return {
            "player": self.game.players[self.player],
            "worst_cases": {m: float(v) for m, v in zip(moves, self.worst_cases, strict=True)},
            "exact_worst_cases": (
                {m: str(v) for m, v in zip(moves, self.worst_cases, strict=True)} if exact else None
            ),
            "pure_maxmin": {
                "moves": [moves[j] for j in self.pure_moves],
                "value": float(self.pure_value),
                "exact_value": exact_text(self.pure_value),
            },
            "mixed_maxmin": {
                "value": float(self.mixed_value),
                "exact_value": exact_text(self.mixed_value),
                "strategy": _strategy_dict(moves, self.mixed_strategy),
            },
        }


@dataclass(frozen=True)
class Security:
    """Security levels of every player (see :func:`security_levels`)."""

    game: Game = field(repr=False, compare=False)
    levels: tuple[PlayerSecurity, ...]

    def level(self, player: int | str) -> PlayerSecurity:
        """The security levels of one player, given by index or name."""
        return self.levels[self.game.player_index(player)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: one entry per player."""
        return {"players": [level.to_dict() for level in self.levels]}


def security_levels(game: Game) -> Security:
    """Pure and mixed maxmin (security) values and moves of every player.

    Steps, for each player: (1) arrange its payoffs as own moves by opponents' pure
    profiles; (2) the worst case of each move is its row minimum, the pure maxmin the
    largest of these (ties by :func:`sim.certificate.compare`); (3) the mixed maxmin is
    :func:`maxmin` of the same matrix, exact for exact games.

    Parameters
    ----------
    game : Game
        Any finite game, any number of players.

    Returns
    -------
    Security

    Examples
    --------
    >>> from sim.game import Game
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...                           moves=(("opera", "fight"), ("opera", "fight")))
    >>> level = security_levels(battle).level(0)
    >>> level.pure_value, level.pure_moves, level.mixed_value, level.mixed_strategy
    (Fraction(0, 1), (0, 1), Fraction(2, 3), (Fraction(1, 3), Fraction(2, 3)))
    """
    scale = game.scale()
    levels = []
    for i in range(game.n_players):
        table = own_rows(game, i)
        worst = tuple(min(row) for row in table.tolist())
        best = max(worst)
        moves = tuple(j for j, w in enumerate(worst) if compare(w, best, scale) == 0)
        levels.append(PlayerSecurity(game, i, worst, best, moves, maxmin(table, scale=scale)))
    return Security(game, tuple(levels))
