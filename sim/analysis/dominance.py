"""Dominated and dominant moves, and iterated elimination of dominated moves.

Definitions (player ``i``, moves ``j`` and ``k``, ``s`` ranging over the opponents' pure
profiles that are still in play; every comparison goes through
:func:`sim.certificate.compare` or its whole-table form :func:`sim.certificate.signs`, so
float games use the one tolerance):

* ``k`` *strictly dominates* ``j`` when ``u_i(k, s) > u_i(j, s)`` for every ``s``;
* ``k`` *weakly dominates* ``j`` when ``u_i(k, s) >= u_i(j, s)`` for every ``s`` and ``>``
  for at least one;
* a mixed strategy ``x`` over the player's other moves dominates ``j`` in the same way,
  with ``u_i(x, s) = sum_k x_k u_i(k, s)``.

Testing against pure opponents' profiles suffices: payoffs are linear in each opponent's
mixed strategy, so a strategy that beats ``j`` against every pure profile beats it against
every mixed one.

Mixed dominance is decided exactly. Let ``D[k, s] = u_i(k, s) - u_i(j, s)`` over the other
moves ``k``, a mixture ``x`` of them having the advantages ``x @ D``. Then ``j`` is

* strictly dominated by a mixture iff the row chooser's maxmin value of ``D`` is positive
  (decided by :func:`sim.analysis.security.maxmin_value`, one Lemke–Howson path on the
  zero-sum game; the dominator is then named by :func:`sim.analysis.security.maxmin`, one
  linear program);
* weakly dominated by a mixture iff that value is positive, or it is zero and the linear
  program ``max sum_s (x @ D)_s`` subject to ``x @ D >= 0``, ``sum(x) <= 1``, ``x >= 0`` has
  a positive optimum (which forces ``sum(x) = 1``), solved by
  :func:`sim.solvers.simplex.maximise`.

Both programs return the lexicographically largest of their optimal mixtures (the most
weight on the first move, then the second, ...), so the dominator named does not depend on
how the payoffs are scaled. For float games both programs are solved on the rationalised
game (:func:`sim.certificate.rationalised`, as the solvers do), and the dominator found is
then checked against the float payoffs with :func:`sim.certificate.compare`.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                       moves=(("cooperate", "defect"), ("cooperate", "defect")))
>>> iterated_elimination(pd).surviving
(('defect',), ('defect',))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from sim.analysis.security import maxmin, maxmin_value, own_rows
from sim.certificate import comparable, compare, rationalised, signs
from sim.errors import SolverError
from sim.game import Game, Value, exact_text
from sim.solvers.simplex import maximise

__all__ = [
    "Dominance",
    "Dominant",
    "Elimination",
    "EliminationStep",
    "WeakDominance",
    "dominant_moves",
    "iterated_elimination",
    "weakly_dominated",
]


def _strictly(verdicts: Sequence[int]) -> bool:
    return all(s > 0 for s in verdicts)


def _weakly(verdicts: Sequence[int]) -> bool:
    return all(s >= 0 for s in verdicts) and any(s > 0 for s in verdicts)


# --------------------------------------------------------------------- iterated elimination
@dataclass(frozen=True)
class EliminationStep:
    """One eliminated move and the strategy that dominates it.

    Attributes
    ----------
    round : int
        Elimination round, from 1. Every move eliminated in a round is dominated in the game
        left after the previous rounds.
    player : int
        Player index.
    move : int
        Index of the eliminated move in the original game.
    dominator : tuple
        The dominating strategy as probabilities over the player's moves in the original
        game (exact for exact games); a unit vector when a pure move dominates.
    margin : Fraction or float
        The dominator's smallest advantage over the move across the opponents' profiles
        still in play (positive for strict dominance, at least zero for weak).
    """

    game: Game = field(repr=False, compare=False)
    round: int
    player: int
    move: int
    dominator: tuple[Value, ...]
    margin: Value

    @property
    def dominator_move(self) -> int | None:
        """The dominating pure move, or None when the dominator is a proper mixture."""
        support = [k for k, p in enumerate(self.dominator) if p > 0]
        return support[0] if len(support) == 1 else None

    @property
    def is_pure(self) -> bool:
        """True when a single pure move dominates."""
        return self.dominator_move is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the player and move names and the dominator's support."""
        moves = self.game.moves[self.player]
        support = [(moves[k], p) for k, p in enumerate(self.dominator) if p > 0]
        pure = self.dominator_move
        return {
            "round": self.round,
            "player": self.game.players[self.player],
            "move": moves[self.move],
            "dominator_move": None if pure is None else moves[pure],
            "dominator": {m: float(p) for m, p in support},
            "exact_dominator": {m: str(p) for m, p in support} if self.game.is_exact else None,
            "margin": float(self.margin),
            "exact_margin": exact_text(self.margin),
        }


@dataclass(frozen=True)
class Elimination:
    """The result of :func:`iterated_elimination`.

    Attributes
    ----------
    game : Game
        The original game.
    strict, mixed : bool
        The options used: strict (or weak) dominance; mixed (or only pure) dominators.
    steps : tuple of EliminationStep
        Every elimination, by round, then player, then move.
    surviving : tuple of tuple of str
        Names of each player's surviving moves.
    surviving_indices : tuple of tuple of int
        Their indices in the original game.
    reduced : Game
        The game restricted to the surviving moves.
    """

    game: Game = field(repr=False, compare=False)
    strict: bool
    mixed: bool
    steps: tuple[EliminationStep, ...]
    surviving: tuple[tuple[str, ...], ...]
    surviving_indices: tuple[tuple[int, ...], ...]
    reduced: Game = field(repr=False, compare=False)

    @property
    def rounds(self) -> int:
        """Number of rounds that eliminated something."""
        return max((step.round for step in self.steps), default=0)

    @property
    def solved(self) -> bool:
        """True when a single profile survives (the game is dominance solvable)."""
        return all(len(moves) == 1 for moves in self.surviving)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: options, steps and surviving move names per player."""
        return {
            "strict": self.strict,
            "mixed": self.mixed,
            "rounds": self.rounds,
            "solved": self.solved,
            "steps": [step.to_dict() for step in self.steps],
            "surviving": {
                name: list(moves)
                for name, moves in zip(self.game.players, self.surviving, strict=True)
            },
        }


def _weak_mixture(gains: list[list[Fraction]]) -> tuple[Fraction, ...] | None:
    """A mixture of the rows of ``gains`` never below zero and somewhere above, or None.

    Maximises the total advantage ``sum_s (x @ gains)_s`` subject to ``x @ gains >= 0``,
    ``sum(x) <= 1`` and ``x >= 0``, then ``x_0``, ``x_1``, ... among the optimal ``x``. A
    positive optimum is attained only with ``sum(x) = 1``: scaling ``x`` up would add more.
    """
    n = len(gains)
    constraints = [[-x for x in column] for column in zip(*gains, strict=True)]
    constraints.append([Fraction(1)] * n)
    rhs = [0] * (len(constraints) - 1) + [1]
    ties = [[int(k == r) for k in range(n)] for r in range(n - 1)]
    optimum = maximise([sum(row, Fraction(0)) for row in gains], constraints, rhs, then=ties)
    return optimum.point if optimum.value > 0 else None


def _mixed_dominator(
    gains: np.ndarray, exact_gains: np.ndarray, strict: bool, scale: float
) -> tuple[Value, ...] | None:
    """A mixture of rows of ``gains`` (other move minus the tested move) that dominates.

    ``exact_gains`` are the same advantages in the rationalised game (``gains`` itself for
    an exact game): the linear programs are solved on them.
    """
    exact = exact_gains.tolist()
    value = maxmin_value(exact_gains)  # decides; the linear programs then name the dominator
    weights: tuple[Value, ...] | None = None
    if value > 0:
        weights = maxmin(exact).strategy
    elif not strict and value == 0:
        weights = _weak_mixture(exact)
    if weights is None:
        return None
    if gains.dtype != object:
        weights = tuple(float(p) for p in weights)
    # Exact games pass by construction; float games must also pass within the tolerance.
    totals = np.asarray(weights, dtype=gains.dtype) @ gains
    verdicts = [compare(t, 0, scale) for t in totals.tolist()]
    return weights if (_strictly(verdicts) if strict else _weakly(verdicts)) else None


def _dominator(
    rows: np.ndarray,
    ordered: np.ndarray,
    exact_rows: np.ndarray,
    position: int,
    strict: bool,
    mixed: bool,
    scale: float,
) -> tuple[tuple[Value, ...], Value] | None:
    """Dominating strategy over the rows (and its margin) for row ``position``, or None.

    ``ordered`` holds the same payoffs as ``rows`` made :func:`~sim.certificate.comparable`
    (they decide every comparison at once); ``exact_rows`` the same payoffs in the
    rationalised game (``rows`` for exact games), for the linear programs.
    """
    n_rows = rows.shape[0]
    others = [k for k in range(n_rows) if k != position]
    # sign[k, s]: does other move k do better (1), as well (0) or worse (-1) against s?
    sign = signs(ordered[others] - ordered[position], scale)
    better, worse = sign > 0, sign < 0
    pure = better.all(axis=1) if strict else ~worse.any(axis=1) & better.any(axis=1)
    zero: Value = Fraction(0) if rows.dtype == object else 0.0
    one: Value = Fraction(1) if rows.dtype == object else 1.0
    weights: tuple[Value, ...] | None = None
    if pure.any():
        first = int(np.argmax(pure))
        weights = tuple(one if r == first else zero for r in range(len(others)))
        margin = min((rows[others[first]] - rows[position]).tolist())
    # A column where no other move does better (strict) or every one does worse (weak)
    # rules out every mixture; skipping the linear programs there is only a shortcut.
    elif mixed and len(others) >= 2 and not (~better if strict else worse).all(axis=0).any():
        gains = rows[others] - rows[position]
        exact_gains = exact_rows[others] - exact_rows[position]
        weights = _mixed_dominator(gains, exact_gains, strict, scale)
        if weights is not None:
            margin = min((np.asarray(weights, dtype=gains.dtype) @ gains).tolist())
    if weights is None:
        return None
    full = list(weights)
    full.insert(position, zero)
    return tuple(full), margin


def iterated_elimination(game: Game, *, strict: bool = True, mixed: bool = True) -> Elimination:
    """Iteratively eliminate dominated moves, recording each step.

    Steps: (1) in each round, test every remaining move of every player against the game
    left by the previous rounds, first for a dominating pure move (the first in move
    order), then, if ``mixed``, for a dominating mixture by linear programming (see the
    module docstring);
    (2) remove all moves found dominated in the round at once; (3) repeat until a round
    finds nothing.

    Strict dominance gives the same survivors in any elimination order. Weak dominance
    does not; this function uses the simultaneous order above (every weakly dominated move
    of every player in each round).

    Parameters
    ----------
    game : Game
        Any finite game, any number of players.
    strict : bool
        Eliminate strictly dominated moves (default) or, if False, weakly dominated ones.
    mixed : bool
        Allow mixed strategies as dominators (default) or only pure moves.

    Returns
    -------
    Elimination

    Raises
    ------
    SolverError
        For float games under weak dominance, if payoffs that differ by less than the
        tolerance make every remaining move of a player look dominated.

    Examples
    --------
    Bottom is beaten by an even mixture of Top and Middle but by neither alone:

    >>> from sim.game import Game
    >>> g = Game.from_arrays([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]],
    ...                      moves=(("T", "M", "B"), ("L", "R")))
    >>> step = iterated_elimination(g).steps[0]
    >>> step.to_dict()["move"], step.to_dict()["exact_dominator"]
    ('B', {'T': '1/2', 'M': '1/2'})
    >>> iterated_elimination(g, mixed=False).steps
    ()
    """
    scale = game.scale()
    exact_payoffs = rationalised(game).payoffs  # what the linear programs solve
    ordered = [comparable(game.payoff_matrix(i)) for i in range(game.n_players)]
    alive = [list(range(k)) for k in game.shape]
    steps: list[EliminationStep] = []
    round_number = 0
    while True:
        round_number += 1
        remaining = game.payoffs[np.ix_(*alive)]
        remaining_exact = exact_payoffs[np.ix_(*alive)]
        found: list[EliminationStep] = []
        for i in range(game.n_players):
            rows = np.moveaxis(remaining[..., i], i, 0).reshape(len(alive[i]), -1)
            exact_rows = np.moveaxis(remaining_exact[..., i], i, 0).reshape(len(alive[i]), -1)
            ordered_rows = np.moveaxis(ordered[i][np.ix_(*alive)], i, 0).reshape(len(alive[i]), -1)
            flagged = []
            for position, move in enumerate(alive[i]):
                hit = _dominator(rows, ordered_rows, exact_rows, position, strict, mixed, scale)
                if hit is None:
                    continue
                weights, margin = hit
                dominator = [Fraction(0) if game.is_exact else 0.0] * game.shape[i]
                for k, p in zip(alive[i], weights, strict=True):
                    dominator[k] = p
                flagged.append(
                    EliminationStep(game, round_number, i, move, tuple(dominator), margin)
                )
            if flagged and len(flagged) == len(alive[i]):
                raise SolverError(
                    f"every remaining move of {game.players[i]} is weakly dominated within "
                    f"the tolerance in round {round_number}; payoffs differ by less than the "
                    "tolerance, so make them exact or further apart"
                )
            found.extend(flagged)
        if not found:
            break
        steps.extend(found)
        removed = {(step.player, step.move) for step in found}
        alive = [[j for j in own if (i, j) not in removed] for i, own in enumerate(alive)]
    surviving = tuple(tuple(own) for own in alive)
    names = tuple(tuple(game.moves[i][j] for j in own) for i, own in enumerate(surviving))
    reduced = Game.from_payoffs(
        game.payoffs[np.ix_(*alive)], players=game.players, moves=names, title=game.title
    )
    return Elimination(game, strict, mixed, tuple(steps), names, surviving, reduced)


# -------------------------------------------------------------------- pure-move dominance
def _relations(game: Game, player: int) -> dict[tuple[int, int], str]:
    """``(dominated, dominator) -> "strict" | "weak"`` for every dominated pair of moves."""
    scale = game.scale()
    rows = comparable(own_rows(game, player))
    out = {}
    for j in range(rows.shape[0]):
        sign = signs(rows - rows[j], scale)  # sign[k, s]: move k against move j at s
        better: np.ndarray = sign > 0
        strictly = set(np.flatnonzero(better.all(axis=1)).tolist())
        for k in np.flatnonzero(~(sign < 0).any(axis=1) & better.any(axis=1)).tolist():
            out[(j, k)] = "strict" if k in strictly else "weak"
    return out


@dataclass(frozen=True)
class Dominance:
    """A move weakly dominated by another pure move of the same player.

    ``strict`` is True when the named ``dominator`` is strictly better against every
    opponents' profile.
    """

    game: Game = field(repr=False, compare=False)
    player: int
    move: int
    dominator: int
    strict: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with names."""
        moves = self.game.moves[self.player]
        return {
            "player": self.game.players[self.player],
            "move": moves[self.move],
            "dominator": moves[self.dominator],
            "strict": self.strict,
        }


@dataclass(frozen=True)
class WeakDominance:
    """The result of :func:`weakly_dominated`: ``dominated[i]`` lists player ``i``'s."""

    game: Game = field(repr=False, compare=False)
    dominated: tuple[tuple[Dominance, ...], ...]

    def moves(self, player: int | str) -> tuple[int, ...]:
        """Indices of the player's weakly dominated moves."""
        return tuple(d.move for d in self.dominated[self.game.player_index(player)])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: for each player name, its dominated moves."""
        return {
            name: [d.to_dict() for d in own]
            for name, own in zip(self.game.players, self.dominated, strict=True)
        }


def weakly_dominated(game: Game) -> WeakDominance:
    """Each player's moves weakly dominated by another pure move, with a dominator.

    A move is listed when some other move is never worse and sometimes strictly better
    (strictly dominated moves are included, flagged ``strict``). The named dominator is
    chosen, in this order of preference, among the dominators that are not dominated
    themselves, that dominate strictly, and that come first in move order.

    Examples
    --------
    >>> from sim.game import Game
    >>> g = Game.from_arrays([[1, 1], [1, 0], [0, 0]], [[0, 0], [0, 0], [0, 0]],
    ...                      moves=(("a", "b", "c"), ("x", "y")))
    >>> [(d.move, d.dominator, d.strict) for d in weakly_dominated(g).dominated[0]]
    [(1, 0, False), (2, 0, True)]
    """
    out = []
    for i in range(game.n_players):
        relations = _relations(game, i)
        dominated_moves = {j for j, _ in relations}
        own = []
        for j in range(game.shape[i]):
            dominators = [k for k in range(game.shape[i]) if (j, k) in relations]
            if not dominators:
                continue
            # Prefer a dominator that is undominated itself, then a strict one, then the first.
            ranked = sorted(
                dominators, key=lambda k: (k in dominated_moves, relations[(j, k)] != "strict")
            )
            own.append(Dominance(game, i, j, ranked[0], relations[(j, ranked[0])] == "strict"))
        out.append(tuple(own))
    return WeakDominance(game, tuple(out))


@dataclass(frozen=True)
class Dominant:
    """Each player's dominant moves (None where there is none).

    ``strict[i]`` is the move strictly better than every other move of player ``i`` against
    every opponents' profile; ``weak[i]`` the move that weakly dominates every other move.
    Each is unique when it exists; a strictly dominant move is also weakly dominant, and a
    player with a single move has it as both.
    """

    game: Game = field(repr=False, compare=False)
    strict: tuple[int | None, ...]
    weak: tuple[int | None, ...]

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The dominant-strategy profile when every player has a weakly dominant move."""
        if any(m is None for m in self.weak):
            return None
        return tuple(m for m in self.weak if m is not None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: move names or None per player."""

        def name(i: int, m: int | None) -> str | None:
            return None if m is None else self.game.moves[i][m]

        return {
            player: {"strict": name(i, self.strict[i]), "weak": name(i, self.weak[i])}
            for i, player in enumerate(self.game.players)
        }


def dominant_moves(game: Game) -> Dominant:
    """Each player's strictly and weakly dominant moves, if any.

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> result = dominant_moves(pd)
    >>> result.strict, result.weak, result.profile
    ((1, 1), (1, 1), (1, 1))
    """
    strict: list[int | None] = []
    weak: list[int | None] = []
    for i in range(game.n_players):
        relations = _relations(game, i)
        moves = range(game.shape[i])
        strict.append(
            next(
                (
                    d
                    for d in moves
                    if all(relations.get((j, d)) == "strict" for j in moves if j != d)
                ),
                None,
            )
        )
        weak.append(
            next((d for d in moves if all((j, d) in relations for j in moves if j != d)), None)
        )
    return Dominant(game, tuple(strict), tuple(weak))
