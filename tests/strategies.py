"""Hypothesis strategies that generate only valid games, profiles and transformations.

Shared by the whole test suite. Two-player games are drawn as ``(A, B)`` payoff matrices
(lists of lists, ``A[row][column]`` is the row player's payoff) and turned into a
:class:`~sim.game.Game`; small payoff ranges make ties, and hence degenerate games, frequent.

>>> from hypothesis import find
>>> game = find(bimatrix_games(), lambda g: g.shape == (2, 3))
>>> game.shape, game.is_exact
((2, 3), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from sim.game import Game

__all__ = [
    "any_player_games",
    "bimatrix_games",
    "decimal_float_games",
    "dyadic_float_games",
    "float_games",
    "fraction_games",
    "integer_games",
    "matrix_pairs",
    "mixed_profiles",
    "mixed_strategies",
    "move_permutations",
    "n_player_games",
    "payoff_batches",
    "positive_affine_maps",
    "rescale_player",
    "tie_heavy_games",
]

SMALL_INTEGERS = st.integers(min_value=-3, max_value=3)
"""Payoffs for generic integer games: few values, so ties are common."""

TERNARY = st.integers(min_value=0, max_value=2)
"""Payoffs ``{0, 1, 2}`` for n-player games."""


@st.composite
def matrix_pairs(
    draw: st.DrawFn,
    values: st.SearchStrategy[Any] = SMALL_INTEGERS,
    min_moves: int = 1,
    max_moves: int = 5,
) -> tuple[list[list[Any]], list[list[Any]]]:
    """A pair of ``m x n`` payoff matrices ``(A, B)`` with ``min_moves <= m, n <= max_moves``."""
    m = draw(st.integers(min_moves, max_moves))
    n = draw(st.integers(min_moves, max_moves))
    matrix = st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m)
    return draw(matrix), draw(matrix)


def bimatrix_games(
    values: st.SearchStrategy[Any] = SMALL_INTEGERS, min_moves: int = 1, max_moves: int = 5
) -> st.SearchStrategy[Game]:
    """Two-player games whose payoffs are drawn from ``values``."""
    return matrix_pairs(values, min_moves, max_moves).map(lambda ab: Game.from_arrays(*ab))


def integer_games(max_moves: int = 5) -> st.SearchStrategy[Game]:
    """Exact two-player games with integer payoffs in ``-3..3``."""
    return bimatrix_games(SMALL_INTEGERS, max_moves=max_moves)


def tie_heavy_games(max_moves: int = 5) -> st.SearchStrategy[Game]:
    """Exact two-player games with payoffs in ``{0, 1}`` or ``{0, 1, 2}`` (mostly degenerate)."""
    return st.sampled_from([1, 2]).flatmap(
        lambda top: bimatrix_games(st.integers(0, top), max_moves=max_moves)
    )


def fraction_games(max_moves: int = 4) -> st.SearchStrategy[Game]:
    """Exact two-player games with small fractional payoffs such as ``-5/3`` or ``1/4``."""
    values = st.fractions(min_value=-3, max_value=3, max_denominator=4)
    return bimatrix_games(values, max_moves=max_moves)


def dyadic_float_games(max_moves: int = 4) -> st.SearchStrategy[tuple[Game, Game]]:
    """``(exact, floating)`` twins: payoffs ``k/4`` stored as Fractions and as floats.

    Quarters are exact in binary, so both games have the same payoffs as real numbers.
    """
    quarters = st.integers(-12, 12)
    return matrix_pairs(quarters, max_moves=max_moves).map(
        lambda ab: (
            Game.from_arrays(*([[Fraction(k, 4) for k in row] for row in m] for m in ab)),
            Game.from_arrays(*([[k / 4 for k in row] for row in m] for m in ab)),
        )
    )


def decimal_float_games(max_moves: int = 4) -> st.SearchStrategy[tuple[Game, Game]]:
    """``(exact, floating)`` twins with payoffs ``k/10``: floats that stand for decimals.

    ``0.1`` is not exact in binary, so the float game only has the exact game's ties if the
    solver reads floats as the decimals they stand for.
    """
    tenths = st.integers(-30, 30)
    return matrix_pairs(tenths, max_moves=max_moves).map(
        lambda ab: (
            Game.from_arrays(*([[Fraction(k, 10) for k in row] for row in m] for m in ab)),
            Game.from_arrays(*([[k / 10 for k in row] for row in m] for m in ab)),
        )
    )


def float_games(max_moves: int = 4) -> st.SearchStrategy[Game]:
    """Inexact two-player games with arbitrary finite float payoffs in ``[-10, 10]``."""
    values = st.floats(-10, 10, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return bimatrix_games(values, max_moves=max_moves)


@st.composite
def n_player_games(
    draw: st.DrawFn,
    n_players: int = 3,
    min_moves: int = 2,
    max_moves: int = 3,
    values: st.SearchStrategy[Any] = TERNARY,
) -> Game:
    """Exact games with ``n_players`` players and ``min_moves..max_moves`` moves each."""
    shape = tuple(draw(st.integers(min_moves, max_moves)) for _ in range(n_players))
    size = 1
    for k in shape:
        size *= k
    flat = draw(st.lists(values, min_size=size * n_players, max_size=size * n_players))
    nested: Any = [flat[p * n_players : (p + 1) * n_players] for p in range(size)]
    for k in reversed(shape[1:]):
        nested = [nested[i : i + k] for i in range(0, len(nested), k)]
    return Game.from_payoffs(nested)


@st.composite
def mixed_strategies(draw: st.DrawFn, n_moves: int, max_weight: int = 6) -> tuple[Fraction, ...]:
    """An exact probability vector over ``n_moves`` moves (pure strategies included)."""
    weights = draw(
        st.lists(st.integers(0, max_weight), min_size=n_moves, max_size=n_moves).filter(any)
    )
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


def mixed_profiles(shape: Sequence[int]) -> st.SearchStrategy[tuple[tuple[Fraction, ...], ...]]:
    """One exact mixed strategy per player for a game of the given shape."""
    return st.tuples(*(mixed_strategies(k) for k in shape))


def positive_affine_maps() -> st.SearchStrategy[tuple[Fraction, Fraction]]:
    """``(a, b)`` with ``a > 0``: the payoff map ``u -> a * u + b`` keeps best responses."""
    return st.tuples(
        st.fractions(min_value=Fraction(1, 8), max_value=8, max_denominator=8).filter(
            lambda a: a > 0
        ),
        st.fractions(min_value=-10, max_value=10, max_denominator=6),
    )


def move_permutations(shape: Sequence[int]) -> st.SearchStrategy[tuple[list[int], ...]]:
    """One permutation of ``range(k)`` per player."""
    return st.tuples(*(st.permutations(range(k)) for k in shape))


@st.composite
def any_player_games(draw: st.DrawFn, max_players: int = 3, low: int = -3, high: int = 3) -> Game:
    """Exact games with payoffs in ``low..high``: 2 players up to 4x4, 3 up to 3x3x3."""
    n = draw(st.integers(2, max_players))
    top = 4 if n == 2 else 3
    shape = tuple(draw(st.integers(1, top)) for _ in range(n))
    size = int(np.prod(shape)) * n
    values = draw(st.lists(st.integers(low, high), min_size=size, max_size=size))
    return Game.from_payoffs(np.array(values, dtype=object).reshape(*shape, n))


def rescale_player(game: Game, player: int, a: Fraction, b: Fraction) -> Game:
    """The game with ``player``'s payoffs mapped by ``x -> a x + b``."""
    payoffs = np.array(game.payoffs, dtype=object)
    payoffs[..., player] = payoffs[..., player] * a + b
    return game.with_payoffs(payoffs)


BATCH_SHAPES = (
    (2, 2),
    (2, 3),
    (3, 2),
    (3, 3),
    (2, 4),
    (4, 3),
    (1, 3),
    (4, 4),
    (2, 2, 2),
    (3, 2, 2),
)
"""Shapes for batch tests: the vectorised paths (smaller side <= 3), the per-game path
(4 x 4), and games with three players (pure equilibria)."""

_NEAR_TIE_STEPS = (0.0, 1e-12, 2.4e-10, 3e-7, 9e-7, 1.1e-6, 3e-6, 1e-4)
"""Perturbations around the batch solver's decision margin (1e-6) and the rationalisation
step (2.5e-10): games on either side of both must be answered like the exact solver."""


@st.composite
def payoff_batches(draw: st.DrawFn, max_games: int = 12) -> np.ndarray:
    """A float array ``(games, *moves, players)`` of games of one shape, tie-heavy on purpose.

    Each game is one of: small integers (mostly degenerate); small integers plus a
    perturbation near the batch solver's margin; continuous values; continuous values with
    a large common offset (so the tolerance scale and the payoff range differ).
    """
    shape = draw(st.sampled_from(BATCH_SHAPES))
    players = len(shape)
    size = int(np.prod(shape)) * players
    games = []
    for _ in range(draw(st.integers(1, max_games))):
        kind = draw(st.sampled_from(["ties", "near", "continuous", "offset"]))
        if kind in ("ties", "near"):
            top = draw(st.sampled_from([1, 2, 3]))
            values = np.array(draw(st.lists(st.integers(0, top), min_size=size, max_size=size)))
            values = values.astype(float)
            if kind == "near":
                step = draw(st.sampled_from(_NEAR_TIE_STEPS))
                signs = draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=size, max_size=size))
                values = values + step * np.array(signs)
        else:
            floats = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)
            values = np.array(draw(st.lists(floats, min_size=size, max_size=size)))
            if kind == "offset":
                values = values * 1e3 + 1e6
        games.append(values.reshape(*shape, players))
    return np.stack(games)
