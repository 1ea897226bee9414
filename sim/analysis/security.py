"""Security levels: what each player can guarantee whatever the others do.

A player's *pure maxmin* is the best worst case over its own pure moves, the worst case
being taken over the opponents' pure profiles. Its *mixed maxmin* is the best worst case
over its own mixed strategies. Both are computed here for any number of players.

Why the mixed maxmin needs only the opponents' pure profiles: for a fixed mixed strategy
``x`` of player ``i``, its expected payoff is multilinear in the opponents' independent
mixed strategies, so its minimum over them is attained at a pure profile. The mixed maxmin
is therefore the value, for the row chooser, of the matrix with one row per move of ``i``
and one column per opponents' pure profile (:func:`maxmin`).

:func:`maxmin` computes that value exactly with the project's own solver: the matrix ``M``
becomes the zero-sum game ``(M, -M)``, whose every extreme equilibrium gives the row player
an extreme maxmin strategy and the value (von Neumann's minimax theorem). Before solving,
columns that another column undercuts everywhere and rows that another row beats everywhere
are dropped; neither changes the value or the set of maxmin strategies, and both keep the
exact vertex enumeration small.

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

from sim.certificate import compare
from sim.game import Game, Value, exact_text
from sim.solvers import solve

__all__ = ["Maxmin", "PlayerSecurity", "Security", "maxmin", "own_rows", "security_levels"]


def _strategy_dict(moves: Sequence[str], strategy: Sequence[Value]) -> dict[str, Any]:
    """Probabilities of the moves in the support, as floats and exact strings (or None)."""
    support = [(m, p) for m, p in zip(moves, strategy, strict=True) if p > 0]
    exact = all(isinstance(p, Fraction) for _, p in support)
    return {
        "probabilities": {m: float(p) for m, p in support},
        "exact": {m: str(p) for m, p in support} if exact else None,
    }


def _support_size(strategy: Sequence[Value]) -> int:
    return sum(1 for p in strategy if p > 0)


@dataclass(frozen=True)
class Maxmin:
    """The row chooser's mixed maxmin in a matrix of its payoffs (columns chosen adversely).

    Attributes
    ----------
    value : Fraction or float
        The largest payoff the row chooser can guarantee: ``min`` over columns of
        ``strategy @ matrix``. Exact for a rational matrix.
    strategy : tuple
        A maxmin strategy, one probability per row: among :attr:`extreme_strategies`, the
        first with the fewest rows in its support.
    extreme_strategies : tuple of tuple
        Every extreme point of the set of maxmin strategies; every maxmin strategy is a
        convex combination of these.
    """

    value: Value
    strategy: tuple[Value, ...]
    extreme_strategies: tuple[tuple[Value, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: value and strategies as floats plus exact strings (or None)."""
        exact = isinstance(self.value, Fraction)
        return {
            "value": float(self.value),
            "exact_value": exact_text(self.value),
            "strategy": [float(p) for p in self.strategy],
            "exact_strategy": [str(p) for p in self.strategy] if exact else None,
            "extreme_strategies": [[float(p) for p in s] for s in self.extreme_strategies],
        }


def _guarantee(strategy: Sequence[Value], matrix: np.ndarray) -> Value:
    """``min`` over columns of ``strategy @ matrix`` (exact for Fractions)."""
    if matrix.dtype == object:
        return min(
            sum((p * x for p, x in zip(strategy, column, strict=True)), Fraction(0))
            for column in matrix.T.tolist()
        )
    return float(np.min(np.asarray(strategy, dtype=np.float64) @ matrix))


def _beats_everywhere(a: Sequence[Value], b: Sequence[Value], scale: float) -> bool:
    return all(compare(x, y, scale) > 0 for x, y in zip(a, b, strict=True))


def _useful(matrix: np.ndarray, scale: float) -> tuple[list[int], list[int]]:
    """Rows and columns that can matter for the maxmin, found by repeated pruning.

    A column is dropped when another kept column is nowhere larger (the adversary never
    needs it, so the guarantee of every strategy is unchanged); a row is dropped when another
    kept row is larger in every kept column (no maxmin strategy uses it).
    """
    rows = list(range(matrix.shape[0]))
    columns = list(range(matrix.shape[1]))
    changed = True
    while changed:
        changed = False
        kept: list[int] = []
        for c in columns:
            if not any(
                all(compare(matrix[r, d], matrix[r, c], scale) <= 0 for r in rows) for d in kept
            ):
                kept = [
                    d
                    for d in kept
                    if not all(compare(matrix[r, c], matrix[r, d], scale) <= 0 for r in rows)
                ]
                kept.append(c)
        if len(kept) < len(columns):
            changed = True
        columns = sorted(kept)
        strong = [
            r
            for r in rows
            if not any(
                _beats_everywhere(matrix[s, columns].tolist(), matrix[r, columns].tolist(), scale)
                for s in rows
                if s != r
            )
        ]
        if len(strong) < len(rows):
            changed = True
        rows = strong
    return rows, columns


def maxmin(matrix: Any, *, scale: float | None = None) -> Maxmin:
    """Mixed maxmin value and strategies of the row chooser in a payoff matrix.

    Steps: (1) drop columns undercut by another column and rows beaten everywhere by
    another row; (2) solve the zero-sum game ``(M, -M)`` by exact vertex enumeration
    (:func:`sim.solvers.solve`); (3) the row player's strategies in the extreme equilibria
    are the extreme maxmin strategies; (4) the value is the guarantee ``min_c (x @ M)_c`` of
    the chosen strategy, computed on the full matrix.

    Parameters
    ----------
    matrix : array_like
        Payoffs to the row chooser, shape ``(rows, columns)``. Integers and fractions give
        exact results; any float makes the computation float (solved exactly on the floats'
        binary values, reported as floats).
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
    raw = np.asarray(matrix, dtype=object)
    game = Game.from_arrays(raw, -raw)
    table = game.payoff_matrix(0)
    if scale is None:
        scale = game.scale()
    rows, columns = _useful(table, scale)
    reduced = table[np.ix_(rows, columns)]
    solution = solve(Game.from_arrays(reduced, -reduced), method="vertex-enumeration")
    zero: Value = Fraction(0) if game.is_exact else 0.0
    extremes: list[tuple[Value, ...]] = []
    for equilibrium in solution.equilibria:
        full = [zero] * table.shape[0]
        for r, p in zip(rows, equilibrium.strategies[0], strict=True):
            full[r] = p
        extremes.append(tuple(full))
    extremes = list(dict.fromkeys(extremes))
    strategy = min(extremes, key=_support_size)
    return Maxmin(_guarantee(strategy, table), strategy, tuple(extremes))


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
        Mixed maxmin value and strategies (see :func:`maxmin`).
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
                "extreme_strategies": [
                    _strategy_dict(moves, s) for s in self.mixed.extreme_strategies
                ],
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
