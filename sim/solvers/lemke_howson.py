"""One Nash equilibrium of a two-player game per starting label: the Lemke–Howson method.

Labels are numbered once for the whole module: ``0 .. m-1`` are the row player's moves and
``m .. m+n-1`` the column player's, for an ``m x n`` game (the numbering of von Stengel,
QuantEcon and nashpy). Dropping label ``k`` starts the path.

Method (Lemke and Howson, "Equilibrium points of bimatrix games", SIAM J. Appl. Math. 12,
1964; von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory 3,
2002, ch. 45, §3.4–3.6), in steps:

1. Map each player's payoffs to positive numbers by a positive affine map (equilibria do
   not change) and write the best-response polytopes ``P = {x >= 0 : B^T x <= 1}`` and
   ``Q = {y >= 0 : A y <= 1}`` as two tableaux with the slack basis, the artificial
   equilibrium ``(0, 0)`` that carries every label (§3.4).
2. Drop label ``k``: its variable enters the basis of its polytope; the variable that leaves
   carries a label that is now duplicate, so the variable with that label enters the other
   polytope's basis ("complementary pivoting", §3.5). Repeat, alternating sides.
3. Stop when the variable that leaves carries label ``k``: the pair of basic solutions is
   completely labelled, an extreme equilibrium after normalising ``x`` and ``y`` to sum to 1.
4. Degeneracy (§3.6): the right-hand side is perturbed lexicographically,
   ``1 + (eps, eps^2, ...)``, and ratio-test ties are broken by the rows of the basis
   inverse (the slack columns), so every basis along the path is non-degenerate in the
   perturbed polytope, the path never cycles and it ends at an equilibrium of the original
   game, degenerate games (payoff ties) included.

How it is computed, fast and exactly:

5. The path is followed in float64 (numpy pivots, the lexicographic ratio test with a tie
   tolerance). A step whose decision rests on a difference too small to trust in floats
   (a pivot element or a ratio gap between ``1e-11`` and ``1e-7``) or a repeated basis
   marks the path as doubtful.
6. The end point is *snapped*: the final bases give the supports ``S`` and ``T``; the
   indifference equations on ``S x T`` are solved exactly in fraction-free integer
   arithmetic on the exact game (for a float game, its rationalised payoffs,
   :func:`sim.certificate.rationalised`, computed only for the entries used), and the pair
   is checked exactly to be an equilibrium (moves outside the supports are screened in
   floats with a margin 4000 times the largest possible error and checked exactly when
   close).
7. If the path was doubtful or the snap fails, that label's path is followed again in exact
   integer arithmetic (:func:`sim.solvers.polytope.pivot` and
   :func:`~sim.solvers.polytope.lexicographic_ratio_test`), which is the method of steps 1–4
   without rounding.

*Certified* means every equilibrium returned passed :func:`sim.certificate.certify` on the
game as given (regret exactly 0 for exact games, within the tolerance for float games) and
is an extreme equilibrium of the exact game (a basic solution checked exactly), hence one
of those :func:`sim.solvers.solve` lists, whatever rounding did to the float path. The
float path takes the decisions of the exact lexicographic rule as long as rounding stays
below the ``1e-7`` margin of step 5 (the tests compare the two paths on tie-heavy games),
and any decision inside the margin sends the label to the exact path. Only the equilibria
reachable from the starting labels are found (``Solution.complete == "some"``): a game
may have others.

>>> from sim.game import Game
>>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> solution = lemke_howson(battle)
>>> [e.exact_text() for e in solution.equilibria]
[(('1', '0'), ('1', '0')), (('0', '1'), ('0', '1'))]
>>> solution.complete, solution.parameters["labels"]
('some', (0, 1, 2, 3))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from math import lcm
from numbers import Integral
from types import MappingProxyType

import numpy as np

from sim.certificate import (
    TOLERANCE,
    certify_pairs,
    rationalise_array,
    rationalised,
)
from sim.errors import SolverError
from sim.game import Game, Value
from sim.solvers.enumeration import integer_matrix
from sim.solvers.polytope import lexicographic_ratio_test, pivot
from sim.solvers.solution import Equilibrium, Solution

__all__ = ["lemke_howson"]

_PIVOT_TOL = 1e-11
"""Float pivot-column entries at or below this count as zero (entries are about 1)."""

_TIE_TOL = 1e-11
"""Ratios closer than this (relative) are tied in the float ratio test."""

_CLEAR = 1e-7
"""Float decisions resting on a difference below this are doubtful: the label is redone
exactly."""

_SCREEN = 1e-6
"""A move whose float payoff is below the best response by more than this times the payoff
scale is not a best response in the exact game either (the rationalised payoffs differ by
at most ``TOLERANCE / 4`` of the scale): no exact check needed."""

Strategies = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def lemke_howson(
    game: Game, labels: int | Sequence[int] | None = None, *, deadline: float | None = None
) -> Solution:
    """Equilibria of a two-player game found by Lemke–Howson paths from starting labels.

    Parameters
    ----------
    game : Game
        A two-player game, exact or float.
    labels : int, sequence of int, or None
        The label(s) dropped to start a path: ``0 .. m-1`` for the row player's moves and
        ``m .. m+n-1`` for the column player's. None (the default) runs every label.
    deadline : float, optional
        A :func:`time.monotonic` time after which no further label is started (the first
        always runs); ``parameters["labels"]`` then lists the labels that were run.

    Returns
    -------
    Solution
        ``method == "lemke-howson"``, ``complete == "some"``: the distinct certified
        equilibria at the ends of the paths, ordered like :func:`sim.solvers.solve`
        (decreasing probability of the first moves); exact Fractions for exact games,
        floats for float games. ``parameters["labels"]`` records the labels run.

    Raises
    ------
    SolverError
        If the game does not have two players or a label is out of range.

    Examples
    --------
    >>> from sim.game import Game
    >>> game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    >>> [e.exact_text() for e in lemke_howson(game, labels=1).equilibria]
    [(('0', '1/3', '2/3'), ('1/3', '2/3'))]
    >>> [e.exact_text() for e in lemke_howson(game, labels=0).equilibria]
    [(('1', '0', '0'), ('1', '0'))]
    """
    if not isinstance(game, Game):
        raise SolverError(f"lemke_howson() takes a Game, not {type(game).__name__}")
    if game.n_players != 2:
        raise SolverError(
            f"Lemke-Howson needs two players, this game has {game.n_players}; "
            "use sim.solvers.solve(game, 'pure') for pure equilibria of larger games"
        )
    m, n = game.shape
    chosen = _checked_labels(labels, m, n)
    path = _Paths(game)
    snapped: dict[tuple[tuple[int, ...], tuple[int, ...]], Strategies | None] = {}
    redone: list[Strategies] = []
    run: list[int] = []
    for label in chosen:
        if run and deadline is not None and time.monotonic() > deadline:
            break
        run.append(label)
        end = path.floating(label)
        if end is not None:
            if end not in snapped:
                snapped[end] = path.snap(*end)
            if snapped[end] is not None:
                continue
        redone.append(path.exact(label))
    found = {s for s in snapped.values() if s is not None}.union(redone)
    parameters: dict[str, object] = {"labels": tuple(run)}
    if not game.is_exact:
        parameters.update({"tolerance": TOLERANCE, "rationalised": True})
    return Solution(
        game=game,
        method="lemke-howson",
        complete="some",
        exact=game.is_exact,
        degenerate=None,
        equilibria=_equilibria(game, sorted(found, reverse=True)),
        parameters=MappingProxyType(parameters),
    )


def _checked_labels(labels: int | Sequence[int] | None, m: int, n: int) -> tuple[int, ...]:
    total = m + n
    if labels is None:
        return tuple(range(total))
    raw: list[object]
    try:
        raw = list(labels)  # type: ignore[arg-type]
    except TypeError:
        raw = [labels]
    if not raw:
        raise SolverError(f"give at least one starting label (0..{total - 1}), or None for all")
    out: list[int] = []
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, Integral):
            raise SolverError(f"starting label {item!r} is not an integer 0..{total - 1}")
        label = int(item)
        if not 0 <= label < total:
            raise SolverError(
                f"starting label {label} is out of range for a {m}x{n} game: use 0..{m - 1} "
                f"for the row player's moves and {m}..{total - 1} for the column player's"
            )
        if label not in out:
            out.append(label)
    return tuple(out)


def _equilibria(game: Game, found: Sequence[Strategies]) -> tuple[Equilibrium, ...]:
    """As :func:`sim.solvers.solve` builds them: exact, or floats certified on the float game."""
    rows: list[tuple[Value, ...]] = [s[0] for s in found]
    columns: list[tuple[Value, ...]] = [s[1] for s in found]
    if not game.is_exact:
        rows = [tuple(float(p) for p in s) for s in rows]
        columns = [tuple(float(p) for p in s) for s in columns]
    pairs = [(k, k) for k in range(len(found))]
    return tuple(
        Equilibrium((rows[k], columns[k]), payoffs, regret)
        for k, (payoffs, regret) in enumerate(certify_pairs(game, rows, columns, pairs))
    )


class _Paths:
    """The paths of one game: float tableaux, exact entries on demand, exact fallback.

    Tableau layout (both float and exact, as :mod:`sim.solvers.polytope` expects): player 1's
    ``P`` has one row per column-player move and columns ``x_0..x_{m-1}, s_0..s_{n-1}, rhs``,
    so a column index is its label; player 2's ``Q`` has one row per row-player move and
    columns ``y_0..y_{n-1}, r_0..r_{m-1}, rhs`` (label ``m + j`` for ``y_j``, ``i`` for ``r_i``).
    """

    def __init__(self, game: Game) -> None:
        self.game = game
        self.m, self.n = m, n = game.shape
        self.float_a = _float_matrix(game, 0)
        self.float_b = _float_matrix(game, 1)
        # the tolerance scale of a float game; for an exact one only the screening margin
        self.scale = (
            game.scale()
            if not game.is_exact
            else float(max(1.0, np.abs(self.float_a).max(), np.abs(self.float_b).max()))
        )
        self.start = (
            _tableau(_positive(self.float_b).T, m + n),
            _tableau(_positive(self.float_a), m + n),
        )
        self.cache: dict[tuple[int, int, int], Fraction] = {}
        self.integer: tuple[list[list[int]], list[list[int]]] | None = None

    # ---------------------------------------------------------------- exact payoffs
    def entry(self, player: int, i: int, j: int) -> Fraction:
        """Exact payoff (rationalised for a float game) of ``player`` at ``(i, j)``."""
        key = (player, i, j)
        value = self.cache.get(key)
        if value is None:
            self.prepare(player, [(i, j)])
            value = self.cache[key]
        return value

    def prepare(self, player: int, cells: Sequence[tuple[int, int]]) -> None:
        """Put the exact payoffs of ``player`` at ``cells`` in the cache, in one batch."""
        missing = [c for c in cells if (player, *c) not in self.cache]
        if not missing:
            return
        if self.game.is_exact:
            for i, j in missing:
                self.cache[(player, i, j)] = self.game.payoffs[i, j, player]
            return
        matrix = self.float_a if player == 0 else self.float_b
        rows, cols = zip(*missing, strict=True)
        values = rationalise_array(matrix[list(rows), list(cols)], self.scale)
        for (i, j), value in zip(missing, values, strict=True):
            self.cache[(player, i, j)] = value

    # ------------------------------------------------------------------- float path
    def floating(self, label: int) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """Follow the path in floats; the supports ``(S, T)`` at its end, or None if doubtful."""
        m, n = self.m, self.n
        tableaux = [self.start[0].copy(), self.start[1].copy()]
        bases = [list(range(m, m + n)), list(range(n, n + m))]
        slack = (m, n)  # first slack column of P and of Q
        masks = [_mask(bases[0]), _mask(bases[1])]
        seen = {(masks[0], masks[1])}
        side = 0 if label < m else 1
        entering = label
        while True:
            col = entering if side == 0 else _q_column(entering, m, n)
            row = _float_ratio_test(tableaux[side], col, slack[side])
            if row < 0:
                return None
            leaving_col = bases[side][row]
            _float_pivot(tableaux[side], row, col)
            bases[side][row] = col
            masks[side] ^= (1 << leaving_col) ^ (1 << col)
            if (masks[0], masks[1]) in seen:
                return None  # a float cycle: rounding broke a tie
            seen.add((masks[0], masks[1]))
            leaving = leaving_col if side == 0 else _q_label(leaving_col, m, n)
            if leaving == label:
                break
            entering = leaving
            side = 1 - side
        rows = tuple(sorted(c for c in bases[0] if c < m))
        columns = tuple(sorted(c for c in bases[1] if c < n))
        return rows, columns

    # ---------------------------------------------------------------------- snap
    def snap(self, rows: tuple[int, ...], columns: tuple[int, ...]) -> Strategies | None:
        """The exact equilibrium with supports in ``rows x columns``, or None if there is none.

        Solves the indifference equations exactly and checks non-negativity and that every
        move outside the supports is no better.
        """
        if len(rows) != len(columns):
            return None
        block = [(i, j) for i in rows for j in columns]
        self.prepare(0, block)
        self.prepare(1, block)
        y = _indifferent([[self.entry(0, i, j) for j in columns] for i in rows])
        x = _indifferent([[self.entry(1, i, j) for i in rows] for j in columns])
        if x is None or y is None:
            return None
        x_full = _spread(x, rows, self.m)
        y_full = _spread(y, columns, self.n)
        if not self._best(0, y_full, rows, columns):
            return None
        if not self._best(1, x_full, columns, rows):
            return None
        return x_full, y_full

    def _best(
        self,
        player: int,
        other: tuple[Fraction, ...],
        support: tuple[int, ...],
        other_support: tuple[int, ...],
    ) -> bool:
        """True when every move of ``player`` outside ``support`` does no better."""
        if player == 0:
            floats = self.float_a[:, other_support]

            def value(i: int, j: int) -> Fraction:
                return self.entry(0, i, j)
        else:
            floats = self.float_b[other_support, :].T

            def value(i: int, j: int) -> Fraction:
                return self.entry(1, j, i)

        weights = np.array([float(other[j]) for j in other_support])
        payoffs = floats @ weights
        k = support[0]
        exact = _payoff(value, k, other, other_support)
        close = np.flatnonzero(payoffs >= float(exact) - _SCREEN * self.scale)
        inside = set(support)
        cells = [(int(i), j) for i in close if int(i) not in inside for j in other_support]
        self.prepare(player, cells if player == 0 else [(j, i) for i, j in cells])
        return all(
            _payoff(value, int(i), other, other_support) <= exact
            for i in close
            if int(i) not in inside
        )

    # ---------------------------------------------------------------- exact path
    def exact(self, label: int) -> Strategies:
        """Follow the path in exact fraction-free integer arithmetic."""
        m, n = self.m, self.n
        if self.integer is None:
            exact_game = rationalised(self.game)
            self.integer = (
                integer_matrix(np.asarray(exact_game.payoff_matrix(0), dtype=object)),
                integer_matrix(np.asarray(exact_game.payoff_matrix(1), dtype=object)),
            )
        a, b = self.integer
        tableaux = [
            [[b[i][j] for i in range(m)] + [int(j == k) for k in range(n)] + [1] for j in range(n)],
            [list(a[i]) + [int(i == k) for k in range(m)] + [1] for i in range(m)],
        ]
        dets = [1, 1]
        bases = [list(range(m, m + n)), list(range(n, n + m))]
        structural = (m, n)
        side = 0 if label < m else 1
        entering = label
        while True:
            col = entering if side == 0 else _q_column(entering, m, n)
            row = lexicographic_ratio_test(tableaux[side], col, structural[side], m + n)
            leaving_col = bases[side][row]
            tableaux[side], dets[side] = pivot(tableaux[side], dets[side], row, col)
            bases[side][row] = col
            leaving = leaving_col if side == 0 else _q_label(leaving_col, m, n)
            if leaving == label:
                break
            entering = leaving
            side = 1 - side
        rhs = m + n
        x = [0] * m
        y = [0] * n
        for r, c in enumerate(bases[0]):
            if c < m:
                x[c] = tableaux[0][r][rhs]
        for r, c in enumerate(bases[1]):
            if c < n:
                y[c] = tableaux[1][r][rhs]
        return _normalised(x), _normalised(y)


def _float_matrix(game: Game, player: int) -> np.ndarray:
    """The player's payoffs in float64 (for exact games, numerator over denominator)."""
    matrix = game.payoff_matrix(player)
    if matrix.dtype != object:
        return np.asarray(matrix, dtype=np.float64)
    values = matrix.ravel().tolist()
    try:
        numerators = np.array([v.numerator for v in values], dtype=np.float64)
        denominators = np.array([v.denominator for v in values], dtype=np.float64)
    except OverflowError:  # integers beyond the float range: let Fraction round them
        return np.array([float(v) for v in values], dtype=np.float64).reshape(matrix.shape)
    return (numerators / denominators).reshape(matrix.shape)


def _positive(matrix: np.ndarray) -> np.ndarray:
    """A positive affine image with entries in ``[1, 2]`` (all ones if constant)."""
    low = matrix.min()
    spread = matrix.max() - low
    if spread <= 0:
        return np.ones_like(matrix)
    return (matrix - low) / spread + 1.0


def _tableau(constraints: np.ndarray, n_vars: int) -> np.ndarray:
    rows, cols = constraints.shape
    out = np.zeros((rows, n_vars + 1))
    out[:, :cols] = constraints
    out[:, cols:n_vars] = np.eye(rows)
    out[:, n_vars] = 1.0
    return out


def _q_column(label: int, m: int, n: int) -> int:
    return label - m if label >= m else label + n


def _q_label(column: int, m: int, n: int) -> int:
    return column - n if column >= n else column + m


def _mask(columns: Sequence[int]) -> int:
    out = 0
    for c in columns:
        out |= 1 << c
    return out


def _float_ratio_test(tableau: np.ndarray, col: int, slack: int) -> int:
    """Lexicographic minimum-ratio row in floats; -1 if a decision is too close to call.

    The usual case, one clear minimum ratio, costs a few numpy calls. Tied ratios are
    compared by the slack columns (the basis inverse) in order, for the few tied rows only.
    """
    column = tableau[:, col]
    positive = column > _PIVOT_TOL
    ratios = np.divide(tableau[:, -1], column, out=np.full(column.shape, np.inf), where=positive)
    row = int(ratios.argmin())
    best = float(ratios[row])
    if best == np.inf:
        return -1
    scale = 1.0 + abs(best)
    close = np.flatnonzero(ratios <= best + _CLEAR * scale)
    if close.size > 1:
        gaps = ratios[close] - best
        if np.any(gaps > _TIE_TOL * scale):
            return -1  # a ratio gap too small to trust in floats
        row = _lexicographic_tie(tableau, col, slack, close.tolist())
    if row < 0 or column[row] < _CLEAR:
        return -1  # no decision, or a tiny pivot element: exact arithmetic must decide
    return row


def _lexicographic_tie(tableau: np.ndarray, col: int, slack: int, rows: list[int]) -> int:
    """Among rows tied on the ratio, the lexicographically smallest by the slack columns."""
    block = (tableau[rows, slack:-1] / tableau[rows, col, None]).T.tolist()
    candidates = list(range(len(rows)))
    for values in block:
        best = min(values[c] for c in candidates)
        scale = 1.0 + abs(best)
        tied = []
        for c in candidates:
            gap = values[c] - best
            if gap <= _TIE_TOL * scale:
                tied.append(c)
            elif gap < _CLEAR * scale:
                return -1
        if len(tied) == 1:
            return rows[tied[0]]
        candidates = tied
    return -1  # rows of the basis inverse are never all tied, unless rounding broke it


def _float_pivot(tableau: np.ndarray, row: int, col: int) -> None:
    pivot_row = tableau[row] / tableau[row, col]
    tableau -= tableau[:, col, None] * pivot_row
    tableau[row] = pivot_row


def _indifferent(matrix: list[list[Fraction]]) -> tuple[Fraction, ...] | None:
    """The probability vector ``p`` with ``matrix @ p`` constant, or None.

    Solved exactly with fraction-free Gauss–Jordan pivots; None when the system is singular
    or ``p`` has a negative entry.
    """
    k = len(matrix)
    system = []
    for equation in matrix:
        common = lcm(*(v.denominator for v in equation))
        system.append([v.numerator * (common // v.denominator) for v in equation] + [-common, 0])
    system.append([1] * k + [0, 1])
    det = 1
    used: list[int] = [-1] * (k + 1)
    free = set(range(k + 1))
    for col in range(k + 1):
        row = next((r for r in sorted(free) if system[r][col] != 0), -1)
        if row < 0:
            return None
        system, det = pivot(system, det, row, col)
        used[col] = row
        free.discard(row)
    values = tuple(Fraction(system[used[c]][k + 1], det) for c in range(k))
    if any(v < 0 for v in values):
        return None
    return values


def _spread(
    values: tuple[Fraction, ...], support: tuple[int, ...], size: int
) -> tuple[Fraction, ...]:
    out = [Fraction(0)] * size
    for i, v in zip(support, values, strict=True):
        out[i] = v
    return tuple(out)


def _payoff(
    value: Callable[[int, int], Fraction],
    move: int,
    other: tuple[Fraction, ...],
    other_support: tuple[int, ...],
) -> Fraction:
    return sum((value(move, j) * other[j] for j in other_support), Fraction(0))


def _normalised(point: list[int]) -> tuple[Fraction, ...]:
    total = sum(point)
    return tuple(Fraction(p, total) for p in point)
