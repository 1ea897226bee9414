"""Many games of one shape at once, with the same answers as :func:`sim.solvers.solve`.

Monte Carlo draws and parameter grids produce thousands to millions of small games. This
module solves them together with numpy and answers, game by game, exactly what the exact
single-game solver answers: every extreme equilibrium of a two-player game (every pure
equilibrium for more players), whether the game is degenerate, and whether its equilibria
form continua.

How (two players, the smaller side at most :data:`FAST_SIDE` moves):

1. Rescale each player's payoffs to ``[0, 1]`` (equilibria do not change).
2. **Certify non-degeneracy.** A game is degenerate only if some mixed strategy on ``k``
   moves has ``k + 1`` pure best responses; then one of the determinants
   ``det [B[I, J'] | 1]`` (``|I| = k``, ``|J'| = k + 1``), or its mirror for the other player,
   is zero. All of them are computed; a game passes when every one is clearly away from
   zero.
3. **Support enumeration.** In a non-degenerate game every equilibrium has supports of equal
   size ``k`` and is the unique solution of the indifference equations on them. For every
   pair of supports, the solution is written with adjugates (no division until the signs
   are known), and the pair is an equilibrium when every probability is clearly positive
   and every unused move is clearly worse.
4. **Send the doubtful games to the exact solver.** A game is answered by steps 2–3 only
   when every quantity it depends on is at least :data:`MARGIN` (times the payoff scale
   over the player's payoff range) away from zero, and its number of equilibria is odd, as
   it must be in a non-degenerate game. Every other game (ties, near-ties, degenerate
   games) is solved one by one by :func:`sim.solvers.solve` on its rationalised payoffs,
   with a cache for repeated games. Because :data:`MARGIN` is thousands of times the
   rationalisation step of :mod:`sim.certificate`, the fast path's answers are the exact
   solver's answers: the same equilibria (supports, counts, degenerate and continuum
   flags).
5. **Probabilities.** The exact solver solves the rationalised game, whose payoffs may
   differ from the floats by up to ``TOLERANCE * scale / 4``. Where an indifference
   determinant is within :data:`REFINE` margins of zero, that difference could move a
   mixture noticeably, so those mixtures are recomputed exactly from the rationalised
   payoffs: the exact solver's own numbers. Elsewhere the fast path's probabilities (those
   of the float game) differ from the exact solver's by at most
   :data:`PROBABILITY_AGREEMENT` times ``max(1, scale / range)``, usually by rounding only.

Larger two-player games are solved one by one. Games with three or more players get their
pure equilibria (as :func:`~sim.solvers.solve` does), vectorised the same way: a profile's
status is decided when every deviation gain is clearly positive or clearly negative, and
the exact solver decides the rest.

>>> import numpy as np
>>> battle = np.array([[[2, 1], [0, 0]], [[0, 0], [1, 2]]], dtype=float)  # (2, 2, players)
>>> pennies = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)
>>> result = solve_batch(np.stack([battle, pennies]))
>>> result.counts.tolist(), result.mixed.tolist()
([3, 1], [1, 1])
>>> [np.round(s, 4).tolist() for s in result.equilibria(1)[0]]
[[0.5, 0.5], [0.5, 0.5]]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import combinations

import numpy as np

from sim.certificate import TOLERANCE, rationalised
from sim.errors import SolverError
from sim.game import Game, payoff_scale
from sim.solvers.solution import Solution

__all__ = ["FAST_SIDE", "MARGIN", "BatchSolution", "solve_batch"]

MARGIN = 1000 * TOLERANCE
"""Smallest normalised quantity the fast path decides on; closer calls go to the exact solver.

Payoffs are rescaled to ``[0, 1]`` per player; the margin is then multiplied by
``max(1, scale / range)`` so that it stays thousands of times larger than the exact solver's
rationalisation step (``TOLERANCE * scale / 4``) whatever the payoffs' magnitude.
"""
REFINE = 1000
"""Mixtures whose indifference determinant is within ``REFINE`` margins of zero are
recomputed exactly from the rationalised payoffs (the exact solver's numbers)."""
PROBABILITY_AGREEMENT = 16 * TOLERANCE / (4 * REFINE * MARGIN)
"""Bound on the difference between fast-path and exact-solver probabilities (4e-6), times
``max(1, scale / range)``: 16 bounds how much rationalisation moves the adjugate entries and
determinant (supports of at most 3 moves, payoffs rescaled to [0, 1])."""
FAST_SIDE = 3
"""Largest number of moves of the smaller side handled by the vectorised two-player path."""


@dataclass(frozen=True, eq=False)
class BatchSolution:
    """The equilibria of ``size`` games of one shape, in flat arrays.

    The equilibria of game ``g`` are rows ``offsets[g]:offsets[g + 1]`` of ``strategies[i]``
    (player ``i``'s probabilities, one column per move) and ``payoffs`` (expected payoff
    per player). All arrays are read-only.

    Attributes
    ----------
    shape : tuple of int
        Moves per player.
    complete : str
        ``"extreme"`` (every extreme equilibrium, two players) or ``"pure"``.
    offsets : ndarray, shape (size + 1,)
        Start of each game's equilibria.
    strategies : tuple of ndarray
        Per player, shape (total equilibria, moves).
    payoffs : ndarray, shape (total equilibria, players)
        Expected payoffs.
    is_pure : ndarray of bool, shape (total equilibria,)
        Whether each equilibrium is pure.
    mixed : ndarray of int, shape (size,)
        Extreme equilibria per game that are not pure (``-1`` when not searched).
    continuum : ndarray of bool, shape (size,)
        Games whose equilibrium set has a component with more than one extreme point.
    degenerate : ndarray of bool, shape (size,)
        Degenerate games (always False when ``complete == "pure"``: not determined).
    exact_path : ndarray of bool, shape (size,)
        Games answered by the exact single-game solver rather than the vectorised path.
    """

    shape: tuple[int, ...]
    complete: str
    offsets: np.ndarray
    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    is_pure: np.ndarray
    mixed: np.ndarray
    continuum: np.ndarray
    degenerate: np.ndarray
    exact_path: np.ndarray

    @property
    def size(self) -> int:
        """Number of games."""
        return len(self.offsets) - 1

    @property
    def counts(self) -> np.ndarray:
        """Number of equilibria found per game."""
        return np.diff(self.offsets)

    def equilibria(self, game: int) -> list[tuple[np.ndarray, ...]]:
        """Game ``game``'s equilibria, each as one probability vector per player."""
        rows = range(self.offsets[game], self.offsets[game + 1])
        return [tuple(s[r] for s in self.strategies) for r in rows]

    def pure_profiles(self) -> np.ndarray:
        """Boolean array of shape ``(size, *shape)``: which pure profiles are equilibria."""
        out = np.zeros((self.size, *self.shape), dtype=bool)
        rows = np.flatnonzero(self.is_pure)
        games = np.searchsorted(self.offsets, rows, side="right") - 1
        moves = tuple(np.argmax(s[rows], axis=1) for s in self.strategies)
        out[(games, *moves)] = True
        return out


def solve_batch(payoffs: np.ndarray) -> BatchSolution:
    """Solve many games of one shape; the answers of :func:`sim.solvers.solve`, game by game.

    Parameters
    ----------
    payoffs : array_like, shape (size, *moves, players)
        ``payoffs[g, ..., i]`` is player ``i``'s payoff in game ``g`` (the layout of
        :attr:`sim.game.Game.payoffs`, stacked). Must be finite.

    Returns
    -------
    BatchSolution
        Every extreme equilibrium of each two-player game (pure equilibria for more
        players), with the degenerate and continuum flags.

    Examples
    --------
    >>> import numpy as np
    >>> tie = np.array([[[1, 1], [1, 1]], [[0, 0], [0, 0]]], dtype=float)  # column indifferent
    >>> result = solve_batch(tie[None])
    >>> result.counts.tolist(), result.degenerate.tolist(), result.continuum.tolist()
    ([2], [True], [True])
    """
    array = np.asarray(payoffs, dtype=np.float64)
    if array.ndim < 3 or array.shape[-1] != array.ndim - 2:
        raise SolverError(
            "payoffs must have shape (games, moves of player 1, ..., moves of player n, n); "
            f"got {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise SolverError("payoffs must be finite numbers")
    shape = array.shape[1:-1]
    if shape == (2, 2):
        return _two_by_two(array)
    if len(shape) == 2 and min(shape) <= FAST_SIDE:
        return _two_player(array)
    if len(shape) == 2:
        return _assemble(shape, "extreme", [_exact(g) for g in array])
    return _n_player(array)


# ---------------------------------------------------------------------- the fast path
# Arrays here put the game axis last, so every operation runs over long contiguous rows.
def _margins(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Payoffs rescaled to [0, 1], shape ``(*moves, players, games)``, and the margins.

    The margin has shape ``(players, games)``. A player whose payoff is constant gets margin
    ``inf``: nothing about it is decided, so the game goes to the exact path.
    """
    size, players = array.shape[0], array.shape[-1]
    moved = np.ascontiguousarray(np.moveaxis(array, 0, -1))  # (*moves, players, games)
    flat = moved.reshape(-1, players, size)
    low = flat.min(axis=0)
    span = flat.max(axis=0) - low
    scale = payoff_scale(flat, axis=(0, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = MARGIN * np.maximum(1.0, scale / span)
        unit = (moved - low) / span
    margin[span == 0] = np.inf
    unit[~np.isfinite(unit)] = 0.0
    return unit, margin


@cache
def _supports(m: int, n: int, k: int) -> tuple[np.ndarray, ...]:
    """Index arrays for every pair of supports of size k: rows, columns, unused rows/columns."""
    pairs = [(r, c) for r in combinations(range(m), k) for c in combinations(range(n), k)]
    rs = np.array([p[0] for p in pairs], dtype=np.intp).reshape(len(pairs), k)
    cs = np.array([p[1] for p in pairs], dtype=np.intp).reshape(len(pairs), k)
    rest_r = np.array([[i for i in range(m) if i not in p[0]] for p in pairs], dtype=np.intp)
    rest_c = np.array([[j for j in range(n) if j not in p[1]] for p in pairs], dtype=np.intp)
    return rs, cs, rest_r.reshape(len(pairs), m - k), rest_c.reshape(len(pairs), n - k)


def _adjugate(d: np.ndarray, k: int) -> np.ndarray:
    """Vectors c with ``d @ c = 0`` and ``sum(c) = det [d; 1]``.

    ``d`` has shape ``(pairs, k - 1, k, games)``; the result ``(pairs, k, games)``.
    """
    if k == 1:
        return np.ones((d.shape[0], 1, d.shape[-1]))
    if k == 2:
        return np.stack([-d[:, 0, 1], d[:, 0, 0]], axis=1)
    u, v = d[:, 0], d[:, 1]
    return np.stack(
        [
            u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1],
            u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2],
            u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0],
        ],
        axis=1,
    )


def _side(
    inside: np.ndarray, outside: np.ndarray, eps: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One player's indifference on each support pair, solved for the opponent's mixture.

    ``inside[p, r, s, g]`` is the player's payoff from its r-th support move against the
    opponent's s-th support move; ``outside[p, o, s, g]`` the same for its unused moves.
    Returns the opponent's probabilities ``(pairs, k, games)`` and the masks ``valid``
    (clearly an equilibrium side), ``invalid`` (clearly not) and ``refine`` (determinant
    within ``REFINE`` margins of zero: probabilities to be recomputed exactly), each
    ``(pairs, games)``.
    """
    first = inside[:, 0]
    c = _adjugate(inside[:, 1:] - first[:, None], k)
    det = c.sum(axis=1)
    sign = np.where(det < 0, -1.0, 1.0)
    clear = np.abs(det) > eps
    lowest = c.min(axis=1) * sign if k > 1 else np.ones_like(det)
    highest = c.max(axis=1) * sign if k > 1 else lowest
    low = np.minimum(lowest, highest)  # the smallest of sign * c
    positive = low > eps
    if outside.shape[1]:
        gains = ((outside - first[:, None]) * c[:, None]).sum(axis=2) * sign[:, None]
        best_gain = gains.max(axis=1)
    else:
        best_gain = np.full_like(det, -np.inf)
    valid = clear & positive & (best_gain < -eps)
    invalid = clear & ((low < -eps) | (positive & (best_gain > eps)))
    if k > 1:
        invalid |= ~clear & (np.abs(c).max(axis=1) > (k + 1) * eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        probabilities = c / np.where(clear, det, 1.0)[:, None]
    return probabilities, valid, invalid, np.abs(det) <= REFINE * eps


def _generic(own: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """True where no opponent mixture on k moves leaves k + 1 of the player's moves tied.

    ``own[i, j, g]``: the player's payoff from its move i against opponent move j. Checks
    every ``det [own[I', J] | 1]`` with ``|J| = k`` and ``|I'| = k + 1``.
    """
    m, n, size = own.shape
    ok = np.ones(size, dtype=bool)
    for k in range(1, min(n, m - 1) + 1):
        rows = np.array(list(combinations(range(m), k + 1)), dtype=np.intp)
        cols = np.array(list(combinations(range(n), k)), dtype=np.intp)
        block = own[rows[:, None, :, None], cols[None, :, None, :]]  # (R, C, k+1, k, games)
        d = block[:, :, 1:] - block[:, :, :1]
        if k == 1:
            det = d[:, :, 0, 0]
        elif k == 2:
            det = d[:, :, 0, 0] * d[:, :, 1, 1] - d[:, :, 0, 1] * d[:, :, 1, 0]
        else:
            u, v, w = d[:, :, 0], d[:, :, 1], d[:, :, 2]
            det = (
                u[:, :, 0] * (v[:, :, 1] * w[:, :, 2] - v[:, :, 2] * w[:, :, 1])
                - u[:, :, 1] * (v[:, :, 0] * w[:, :, 2] - v[:, :, 2] * w[:, :, 0])
                + u[:, :, 2] * (v[:, :, 0] * w[:, :, 1] - v[:, :, 1] * w[:, :, 0])
            )
        ok &= (np.abs(det) > eps).all(axis=(0, 1))
    return ok


CHUNK = 1 << 14
"""Games processed together by the vectorised paths (sized for the CPU cache)."""


def _two_player(array: np.ndarray) -> BatchSolution:
    size, m, n = array.shape[:3]
    parts = [_two_player_chunk(array[s : s + CHUNK], s) for s in range(0, size, CHUNK)]
    fast = _Part(
        games=np.concatenate([p[0].games for p in parts]),
        strategies=tuple(np.concatenate([p[0].strategies[i] for p in parts]) for i in (0, 1)),
        payoffs=np.concatenate([p[0].payoffs for p in parts]),
        is_pure=np.concatenate([p[0].is_pure for p in parts]),
    )
    mixed = np.concatenate([p[1] for p in parts])
    decided = np.concatenate([p[2] for p in parts])
    slow = np.flatnonzero(~decided)
    return _merge((m, n), "extreme", size, fast, mixed, slow, _exact_many(array[slow]))


def _two_player_chunk(array: np.ndarray, offset: int) -> tuple[_Part, np.ndarray, np.ndarray]:
    size, m, n = array.shape[:3]
    unit, margin = _margins(array)
    a, b = unit[:, :, 0], unit[:, :, 1]  # (m, n, games)
    b_t = np.ascontiguousarray(np.swapaxes(b, 0, 1))  # column player's moves first
    decided = _generic(a, margin[0]) & _generic(b_t, margin[1])
    count = np.zeros(size, dtype=np.int64)
    mixed = np.zeros(size, dtype=np.int64)
    found = []
    for k in range(1, min(m, n) + 1):
        rs, cs, rest_r, rest_c = _supports(m, n, k)
        # The row player is indifferent on rows rs against the column mixture on cs ...
        y, valid_y, invalid_y, refine_y = _side(
            a[rs[:, :, None], cs[:, None, :]], a[rest_r[:, :, None], cs[:, None, :]], margin[0], k
        )
        # ... and the column player on columns cs against the row mixture on rs.
        x, valid_x, invalid_x, refine_x = _side(
            b_t[cs[:, :, None], rs[:, None, :]],
            b_t[rest_c[:, :, None], rs[:, None, :]],
            margin[1],
            k,
        )
        decided &= np.all((valid_x & valid_y) | invalid_x | invalid_y, axis=0)
        hit = valid_x & valid_y
        per_game = hit.sum(axis=0)
        count += per_game
        if k > 1:
            mixed += per_game
        pairs, games = np.nonzero(hit)
        xs = np.zeros((len(games), m))
        ys = np.zeros((len(games), n))
        xs[np.arange(len(games))[:, None], rs[pairs]] = x[pairs, :, games]
        ys[np.arange(len(games))[:, None], cs[pairs]] = y[pairs, :, games]
        for e in np.flatnonzero((refine_x | refine_y)[pairs, games]):
            xs[e], ys[e] = _exact_mixtures(array[games[e]], rs[pairs[e]], cs[pairs[e]])
        found.append((games, xs, ys, np.full(len(games), k == 1)))
    decided &= count % 2 == 1  # a non-degenerate game has an odd number of equilibria
    games, xs, ys, pure = (np.concatenate([f[i] for f in found]) for i in range(4))
    keep = np.flatnonzero(decided[games])
    keep = keep[np.argsort(games[keep], kind="stable")]
    games, xs, ys, pure = games[keep], xs[keep], ys[keep], pure[keep]
    # Expected payoffs from the original payoffs, not the rescaled ones.
    u = np.einsum("ei,eij,ej->e", xs, array[games, :, :, 0], ys)
    v = np.einsum("ei,eij,ej->e", xs, array[games, :, :, 1], ys)
    part = _Part(games + offset, (xs, ys), np.stack([u, v], axis=1), pure)
    return part, np.where(decided, mixed, 0), decided


def _two_by_two(array: np.ndarray) -> BatchSolution:
    """2x2 games in closed form: the same tests as :func:`_two_player`, written out.

    With ``da[j] = a[0, j] - a[1, j]`` and ``db[i] = b[i, 0] - b[i, 1]``, the game is
    non-degenerate when all four differences are non-zero (the determinants of step 2);
    ``(i, j)`` is a pure equilibrium when row i is best against column j and column j
    against row i; the mixed equilibrium exists when both players' differences change sign,
    with ``P(row 0) = db[1] / (db[1] - db[0])`` and ``P(column 0) = da[1] / (da[1] - da[0])``.
    """
    size = array.shape[0]
    unit, margin = _margins(array)  # (2, 2, players, games)
    da = unit[0, :, 0] - unit[1, :, 0]  # (column, games)
    db = unit[:, 0, 1] - unit[:, 1, 1]  # (row, games)
    decided = (np.abs(da) > margin[0]).all(axis=0) & (np.abs(db) > margin[1]).all(axis=0)
    row_best = da > 0  # row 0 is the best reply to column j
    col_best = db > 0  # column 0 is the best reply to row i
    slots = np.zeros((size, 5), dtype=bool)  # (0,0), (0,1), (1,0), (1,1), mixed
    for i in (0, 1):
        for j in (0, 1):
            slots[:, 2 * i + j] = (row_best[j] == (i == 0)) & (col_best[i] == (j == 0))
    mixed = (row_best[0] != row_best[1]) & (col_best[0] != col_best[1])
    slots[:, 4] = mixed
    slots &= decided[:, None]
    games, slot = np.nonzero(slots)  # game-major: sorted by game
    with np.errstate(divide="ignore", invalid="ignore"):
        x_mixed = db[1] / (db[1] - db[0])
        y_mixed = da[1] / (da[1] - da[0])
    near = (np.abs(db[1] - db[0]) <= REFINE * margin[1]) | (
        np.abs(da[1] - da[0]) <= REFINE * margin[0]
    )
    for g in np.flatnonzero(near & mixed & decided):
        both = np.array([0, 1])
        (x_mixed[g], _), (y_mixed[g], _) = _exact_mixtures(array[g], both, both)
    x0 = np.where(slot == 4, x_mixed[games], (slot < 2).astype(float))
    y0 = np.where(slot == 4, y_mixed[games], (slot % 2 == 0).astype(float))
    xs = np.stack([x0, 1.0 - x0], axis=1)
    ys = np.stack([y0, 1.0 - y0], axis=1)
    # Expected payoffs per slot for every game (the four cells, then the mixed value), from
    # the original payoffs; then one gather.
    values = []
    for p in (0, 1):
        cells = array[..., p].reshape(size, 4)
        with np.errstate(invalid="ignore"):
            mixed_value = x_mixed * (y_mixed * cells[:, 0] + (1 - y_mixed) * cells[:, 1]) + (
                1 - x_mixed
            ) * (y_mixed * cells[:, 2] + (1 - y_mixed) * cells[:, 3])
        values.append(np.concatenate([cells, mixed_value[:, None]], axis=1)[games, slot])
    fast = _Part(games, (xs, ys), np.stack(values, axis=1), slot < 4)
    slow = np.flatnonzero(~decided)
    counts = np.where(decided & mixed, 1, 0)
    return _merge((2, 2), "extreme", size, fast, counts, slow, _exact_many(array[slow]))


# ------------------------------------------------------------- more players: pure only
def _n_player(array: np.ndarray) -> BatchSolution:
    size = array.shape[0]
    shape = array.shape[1:-1]
    unit, margin = _margins(array)  # (*shape, players, games)
    is_eq = np.ones((*shape, size), dtype=bool)
    doubt = np.zeros(size, dtype=bool)
    for i in range(len(shape)):
        own = unit[..., i, :]
        gap = own.max(axis=i, keepdims=True) - own  # 0 at a best response
        is_eq &= gap == 0
        # Doubt: a deviation only just worse, or two best responses tied.
        near = (gap > 0) & (gap <= margin[i])
        tied = (gap == 0).sum(axis=i) > 1
        doubt |= near.reshape(-1, size).any(axis=0) | tied.reshape(-1, size).any(axis=0)
    *moves, games = np.nonzero(is_eq & ~doubt)
    order = np.argsort(games, kind="stable")
    games = games[order]
    moves = [mv[order] for mv in moves]
    strategies = []
    for i, k in enumerate(shape):
        s = np.zeros((len(games), k))
        s[np.arange(len(games)), moves[i]] = 1.0
        strategies.append(s)
    fast = _Part(games, tuple(strategies), array[(games, *moves)], np.ones(len(games), bool))
    slow = np.flatnonzero(doubt)
    solutions = _exact_many(array[slow], method="pure")
    return _merge(shape, "pure", size, fast, np.full(size, -1), slow, solutions)


# ------------------------------------------------------------------ the exact path
def _exact_mixtures(
    payoffs: np.ndarray, rows: np.ndarray, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The equilibrium on supports ``rows`` x ``columns``, solved on the rationalised game.

    The exact solver's own numbers, for mixtures whose determinant is small enough that
    rationalising the payoffs could move them noticeably.
    """
    exact = rationalised(Game.from_payoffs(payoffs)).payoffs
    m, n = payoffs.shape[:2]
    # Column mixture y on `columns` making the row player indifferent on `rows`, and back.
    y = _indifference([[exact[i, j, 0] for j in columns] for i in rows])
    x = _indifference([[exact[i, j, 1] for i in rows] for j in columns])
    xs, ys = np.zeros(m), np.zeros(n)
    xs[rows] = [float(v) for v in x]
    ys[columns] = [float(v) for v in y]
    return xs, ys


def _indifference(values: list[list[Fraction]]) -> list[Fraction]:
    """Probabilities p with ``values[r] . p`` equal for every row r and ``sum(p) = 1``."""
    k = len(values[0])
    # Unknowns p_1..p_k and the common value w: values[r] . p - w = 0, sum p = 1.
    matrix = [[*row, Fraction(-1), Fraction(0)] for row in values]
    matrix.append([Fraction(1)] * k + [Fraction(0), Fraction(1)])
    size = k + 1
    for col in range(size):  # Gauss-Jordan elimination in exact arithmetic
        pivot = next(r for r in range(col, size) if matrix[r][col] != 0)
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        lead = matrix[col][col]
        matrix[col] = [v / lead for v in matrix[col]]
        for r in range(size):
            if r != col and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[col], strict=True)]
    return [matrix[r][size] for r in range(k)]


@dataclass(frozen=True)
class _Part:
    games: np.ndarray
    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    is_pure: np.ndarray


def _exact(payoffs: np.ndarray, method: str = "vertex-enumeration") -> Solution:
    # Every extreme equilibrium, as ``complete == "extreme"`` promises: never the size or
    # time fallback of method "auto".
    from sim.solvers import solve  # late: sim.solvers imports this module

    return solve(Game.from_payoffs(payoffs), method)  # type: ignore[arg-type]


def _exact_many(arrays: np.ndarray, method: str = "vertex-enumeration") -> list[Solution]:
    """Solve games one by one, once per distinct payoff array."""
    seen: dict[bytes, Solution] = {}
    out = []
    for payoffs in arrays:
        key = payoffs.tobytes()
        if key not in seen:
            seen[key] = _exact(payoffs, method)
        out.append(seen[key])
    return out


def _assemble(shape: tuple[int, ...], complete: str, solutions: list[Solution]) -> BatchSolution:
    empty = _Part(
        np.zeros(0, dtype=np.intp),
        tuple(np.zeros((0, k)) for k in shape),
        np.zeros((0, len(shape))),
        np.zeros(0, dtype=bool),
    )
    size = len(solutions)
    mixed = np.zeros(size, dtype=np.int64) if complete == "extreme" else np.full(size, -1)
    return _merge(shape, complete, size, empty, mixed, np.arange(size), solutions)


def _merge(
    shape: tuple[int, ...],
    complete: str,
    size: int,
    fast: _Part,
    mixed: np.ndarray,
    slow: np.ndarray,
    solutions: list[Solution],
) -> BatchSolution:
    """Combine the fast path's equilibria (sorted by game) with the exact solver's."""
    mixed = np.array(mixed, dtype=np.int64)
    continuum = np.zeros(size, dtype=bool)
    degenerate = np.zeros(size, dtype=bool)
    exact_path = np.zeros(size, dtype=bool)
    exact_path[slow] = True
    counts = np.bincount(fast.games, minlength=size)
    for g, solution in zip(slow, solutions, strict=True):
        counts[g] = len(solution.equilibria)
        if complete == "extreme":
            mixed[g] = sum(not e.is_pure for e in solution.equilibria)
            continuum[g] = any(not c.is_isolated for c in solution.components)
            degenerate[g] = bool(solution.degenerate)
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    # The exact path's equilibria are inserted among the fast ones, which are sorted by game.
    eqs = [(g, e) for g, solution in zip(slow, solutions, strict=True) for e in solution.equilibria]
    if not eqs:
        return _result(shape, complete, offsets, fast, mixed, continuum, degenerate, exact_path)
    where = np.searchsorted(fast.games, np.array([g for g, _ in eqs], dtype=np.intp))
    strategies = [
        np.insert(s, where, np.array([e.probabilities[i] for _, e in eqs]).reshape(-1, k), axis=0)
        for i, (s, k) in enumerate(zip(fast.strategies, shape, strict=True))
    ]
    values = np.array([e.float_payoffs for _, e in eqs]).reshape(-1, len(shape))
    payoffs = np.insert(fast.payoffs, where, values, axis=0)
    is_pure = np.insert(fast.is_pure, where, np.array([e.is_pure for _, e in eqs], dtype=bool))
    merged = _Part(fast.games, tuple(strategies), payoffs, is_pure)
    return _result(shape, complete, offsets, merged, mixed, continuum, degenerate, exact_path)


def _result(
    shape: tuple[int, ...],
    complete: str,
    offsets: np.ndarray,
    part: _Part,
    mixed: np.ndarray,
    continuum: np.ndarray,
    degenerate: np.ndarray,
    exact_path: np.ndarray,
) -> BatchSolution:
    return BatchSolution(
        shape=tuple(shape),
        complete=complete,
        offsets=_frozen(offsets),
        strategies=tuple(_frozen(s) for s in part.strategies),
        payoffs=_frozen(part.payoffs),
        is_pure=_frozen(part.is_pure),
        mixed=_frozen(mixed),
        continuum=_frozen(continuum),
        degenerate=_frozen(degenerate),
        exact_path=_frozen(exact_path),
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
