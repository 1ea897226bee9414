"""Finite games in strategic (normal) form.

Conventions, stated once for the whole package:

* Players are numbered ``0 .. n-1`` in the order given; moves of player ``i`` are numbered
  ``0 .. k_i - 1``. A *profile* is a tuple with one move index per player.
* ``game.payoffs`` has shape ``(k_0, ..., k_{n-1}, n)``: ``payoffs[profile][i]`` is player
  ``i``'s payoff. For two players ``game.payoff_matrix(0)`` is the row player's matrix ``A``
  and ``game.payoff_matrix(1)`` the column player's ``B``; both are indexed ``[row, column]``.
* A game is *exact* when every payoff is rational: integers, decimals and fractions are
  stored as :class:`fractions.Fraction` (object arrays) and solved in rational arithmetic.
  A game with any float payoff (an irrational expression, a numpy float array) is *inexact*:
  its payoffs are stored as ``float64``.

Games are frozen and their arrays read-only; functions take a game and return new values.

>>> g = Game.from_arrays(
...     [[3, 0], [5, 1]],
...     [[3, 5], [0, 1]],
...     players=("US", "China"),
...     moves=(("ease", "maintain"), ("raise", "restrict")),
... )
>>> g.shape, g.is_exact
((2, 2), True)
>>> g.payoff(("maintain", "raise"))
(Fraction(5, 1), Fraction(0, 1))
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import product
from numbers import Rational
from typing import Any

import numpy as np

from sim.errors import SimError

__all__ = ["MAX_PLAYERS", "Game", "Value", "as_value", "exact_text", "payoff_scale", "value_text"]

MAX_PLAYERS = 30
"""Most players a game may have (numpy arrays have at most 32 axes: one per player, one for
the payoffs, and room for a stack of games)."""

Value = Fraction | float
"""A payoff or probability: exact (:class:`~fractions.Fraction`) or a float."""


def as_value(x: Any) -> Value:
    """Convert a number to a :data:`Value`: rationals to ``Fraction``, the rest to ``float``.

    >>> as_value(3), as_value(Fraction(1, 3)), as_value(0.5)
    (Fraction(3, 1), Fraction(1, 3), 0.5)
    """
    if isinstance(x, bool):
        raise SimError(f"payoff {x!r} is a boolean; write a number")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise SimError(f"payoff {x!r} is not a finite number")
        return Fraction(x)
    if isinstance(x, int | np.integer | Rational):
        return Fraction(int(x)) if isinstance(x, int | np.integer) else Fraction(x)
    if isinstance(x, float | np.floating):
        value = float(x)
        if not np.isfinite(value):
            raise SimError(f"payoff {value!r} is not a finite number")
        return value
    raise SimError(f"payoff {x!r} is not a number")


def exact_text(value: Value | int) -> str | None:
    """An exact value as ``"p/q"`` (or ``"n"`` for integers); None for a float.

    >>> exact_text(Fraction(2, 3)), exact_text(Fraction(-4)), exact_text(0.5)
    ('2/3', '-4', None)
    """
    if isinstance(value, Fraction | int):
        return str(Fraction(value))
    return None


def value_text(value: Value | int, digits: int = 4) -> str:
    """A payoff or probability for people: ``p/q`` if exact, else ``digits`` significant digits.

    >>> value_text(Fraction(3, 4)), value_text(0.123456), value_text(0.123456, 3), value_text(-0.0)
    ('3/4', '0.1235', '0.123', '0')
    """
    exact = exact_text(value)
    if exact is not None and len(exact) <= 24:
        return exact
    if exact is not None:  # an exact value too long to read: show its size
        return f"≈{float(value):.{digits}g}"
    text = f"{float(value):.{digits}g}"
    return "0" if text == "-0" else text


def payoff_scale(payoffs: np.ndarray, axis: int | tuple[int, ...] | None = None) -> np.ndarray:
    """The scale of the float tolerance, :meth:`Game.scale`, of a stack of games at once:
    the largest absolute payoff over ``axis`` (all axes by default), at least 1.

    >>> payoff_scale(np.array([[[0.5, -3.0]], [[0.25, 0.5]]]), axis=(1, 2)).tolist()
    [3.0, 1.0]
    """
    return np.maximum(1.0, np.abs(payoffs).max(axis=axis))


def _as_array(values: Any) -> np.ndarray:
    """``values`` as a numeric array when every entry is a Python ``int`` or ``float``
    (not a bool), else as objects for :func:`as_value` to read one by one."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        return values
    objects = np.asarray(values, dtype=object)
    types = set(map(type, objects.ravel().tolist()))
    if types <= {int, float}:
        numeric = np.asarray(objects.tolist())
        # integers alone must stay integers (numpy turns ints past 64 bits into floats)
        kinds = "iu" if float not in types else "iuf"
        if numeric.dtype.kind in kinds and numeric.shape == objects.shape:
            return numeric
    return objects


def _numeric_payoffs(payoffs: Any, shape: tuple[int, ...]) -> np.ndarray | None:
    """The payoff array for plain machine numbers, fast; None when :func:`as_value` must look
    at each entry (Fractions, Decimals, big integers, booleans, NaN, mixed objects).

    Integers make an exact game (``Fraction`` entries), finite floats (with or without
    integers among them) a float game: the same result as :func:`as_value` entry by entry.
    """
    numeric = _as_array(payoffs)
    if numeric.shape != shape:
        return None
    if numeric.dtype.kind in "iu":
        ints = numeric.ravel().tolist()
        exact = {k: Fraction(k) for k in set(ints)}  # Fractions are immutable: share them
        out = np.empty(shape, dtype=object)
        out.flat[:] = [exact[k] for k in ints]
        return out
    if numeric.dtype.kind == "f" and np.isfinite(numeric).all():
        return numeric.astype(np.float64)
    return None


def _readonly(array: np.ndarray) -> np.ndarray:
    """A read-only view of a read-only array, so the flag cannot simply be turned back on."""
    array.flags.writeable = False
    view = array.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True, eq=False)
class Game:
    """A finite game in strategic form (see the module docstring for conventions).

    Build one with :meth:`from_arrays` (one payoff array per player) or :meth:`from_payoffs`
    (a single array with the player axis last); the constructor checks consistency.
    """

    players: tuple[str, ...]
    moves: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray = field(repr=False)
    title: str = ""

    def __post_init__(self) -> None:
        n = len(self.players)
        if n < 2:
            raise SimError(f"a game needs at least 2 players, got {n}")
        if len(set(self.players)) != n:
            raise SimError(f"player names must be distinct, got {list(self.players)}")
        if len(self.moves) != n:
            raise SimError(f"{n} players but move lists for {len(self.moves)}")
        for name, own in zip(self.players, self.moves, strict=True):
            if not own:
                raise SimError(f"player {name!r} has no moves; give at least one")
            if len(set(own)) != len(own):
                raise SimError(f"player {name!r} has repeated move names {list(own)}")
        expected = (*self.shape, n)
        if self.payoffs.shape != expected:
            raise SimError(f"payoff array has shape {self.payoffs.shape}, expected {expected}")
        if self.payoffs.flags.writeable:
            raise SimError("Game.payoffs must be read-only; build games with Game.from_arrays")

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_payoffs(
        cls,
        payoffs: Any,
        *,
        players: Sequence[str] | None = None,
        moves: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> Game:
        """Build a game from one array of shape ``(k_0, ..., k_{n-1}, n)``.

        Entries that are all rational (ints, Fractions) make an exact game; otherwise the
        game is stored in float64. Default names are ``P1, P2, ...`` and ``s1, s2, ...``.

        >>> Game.from_payoffs([[[1, 1], [0, 2]], [[2, 0], [1, 1]]]).moves
        (('s1', 's2'), ('s1', 's2'))
        """
        raw = np.asarray(payoffs, dtype=object)
        if raw.ndim > MAX_PLAYERS + 1:
            raise SimError(
                f"payoff array with {raw.ndim - 1} move axes: a game may have at most "
                f"{MAX_PLAYERS} players; merge players or model fewer"
            )
        if raw.ndim < 3:
            raise SimError(
                f"payoff array of shape {raw.shape} has no player axis; expected "
                "(k_0, ..., k_{n-1}, n) with n >= 2"
            )
        array = _numeric_payoffs(payoffs, raw.shape)
        if array is None:  # mixed or exotic entries: convert one by one
            values = [as_value(x) for x in raw.flat]
            if all(isinstance(v, Fraction) for v in values):
                array = np.empty(raw.shape, dtype=object)
                array.flat[:] = values
            else:
                array = np.array([float(v) for v in values], dtype=np.float64).reshape(raw.shape)
        n = raw.shape[-1]
        shape = raw.shape[:-1]
        if len(shape) != n:
            raise SimError(
                f"payoff array of shape {raw.shape}: {len(shape)} move axes but {n} payoffs"
            )
        names = tuple(players) if players is not None else tuple(f"P{i + 1}" for i in range(n))
        if moves is None:
            move_names = tuple(tuple(f"s{j + 1}" for j in range(k)) for k in shape)
        else:
            move_names = tuple(tuple(m) for m in moves)
            lengths = tuple(len(m) for m in move_names)
            if lengths != shape:
                raise SimError(
                    f"move lists have lengths {lengths} but the payoffs have shape {shape}"
                )
        return cls(names, move_names, _readonly(array), title)

    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        players: Sequence[str] | None = None,
        moves: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> Game:
        """Build a game from one payoff array per player, all of the same shape.

        >>> g = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> g.payoff_matrix(1).tolist()
        [[Fraction(-1, 1), Fraction(1, 1)], [Fraction(1, 1), Fraction(-1, 1)]]
        """
        if len(arrays) < 2:
            raise SimError(f"give one payoff array per player (at least 2), got {len(arrays)}")
        if len(arrays) > MAX_PLAYERS:
            raise SimError(
                f"{len(arrays)} players is more than the {MAX_PLAYERS} a game may have (one "
                "array axis per player); merge players or model fewer"
            )
        raws = [_as_array(a) for a in arrays]
        shapes = {r.shape for r in raws}
        if len(shapes) != 1:
            raise SimError(f"payoff arrays have different shapes: {[r.shape for r in raws]}")
        if raws[0].ndim != len(arrays):
            raise SimError(
                f"{len(arrays)} players need {len(arrays)}-dimensional payoff arrays, "
                f"got shape {raws[0].shape}"
            )
        if len({r.dtype.kind in "iuf" for r in raws}) > 1:  # numbers beside objects
            raws = [r.astype(object) for r in raws]
        return cls.from_payoffs(np.stack(raws, axis=-1), players=players, moves=moves, title=title)

    # ------------------------------------------------------------------- properties
    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of moves of each player."""
        return tuple(len(m) for m in self.moves)

    @property
    def is_exact(self) -> bool:
        """True when every payoff is rational and held as a ``Fraction``."""
        return self.payoffs.dtype == object

    def float_payoffs(self) -> np.ndarray:
        """The payoffs as a new float64 array of shape ``(*shape, n_players)``."""
        return self.payoffs.astype(np.float64)

    def payoff_matrix(self, player: int | str) -> np.ndarray:
        """Player's payoff array, indexed by profile (read-only view)."""
        return self.payoffs[..., self.player_index(player)]

    def payoff(self, profile: Sequence[int | str]) -> tuple[Value, ...]:
        """Payoffs of every player at a pure profile given by move indices or names."""
        index = self.profile_index(profile)
        return tuple(self.payoffs[index].tolist())

    def scale(self) -> float:
        """Largest absolute payoff, at least 1: the scale of the float tolerance."""
        cached = self.__dict__.get("_scale")
        if cached is None:  # computed once: analyses ask for it at every comparison
            cached = float(payoff_scale(self.float_payoffs()))
            object.__setattr__(self, "_scale", cached)
        return cached

    # ---------------------------------------------------------------------- lookups
    def player_index(self, player: int | str) -> int:
        """Index of a player given by index or name."""
        if isinstance(player, str):
            try:
                return self.players.index(player)
            except ValueError:
                raise SimError(
                    f"unknown player {player!r}; players are {', '.join(self.players)}"
                ) from None
        if not 0 <= player < self.n_players:
            raise SimError(f"player index {player} out of range 0..{self.n_players - 1}")
        return player

    def move_index(self, player: int | str, move: int | str) -> int:
        """Index of a move of a player, given by index or name."""
        i = self.player_index(player)
        own = self.moves[i]
        if isinstance(move, str):
            try:
                return own.index(move)
            except ValueError:
                raise SimError(
                    f"unknown move {move!r} of {self.players[i]}; moves are {', '.join(own)}"
                ) from None
        if not 0 <= move < len(own):
            raise SimError(f"move index {move} of {self.players[i]} out of range")
        return move

    def profile_index(self, profile: Sequence[int | str]) -> tuple[int, ...]:
        """A profile of move names or indices as a tuple of indices."""
        if len(profile) != self.n_players:
            raise SimError(
                f"a profile names one move per player ({self.n_players}), got {list(profile)}"
            )
        return tuple(self.move_index(i, m) for i, m in enumerate(profile))

    def profile_names(self, profile: Sequence[int]) -> tuple[str, ...]:
        """Move names of a profile of indices."""
        return tuple(self.moves[i][m] for i, m in enumerate(profile))

    def profiles(self) -> Iterator[tuple[int, ...]]:
        """All pure profiles, last player's move varying fastest."""
        return product(*(range(k) for k in self.shape))

    # --------------------------------------------------------------- transformations
    def with_payoffs(self, payoffs: Any) -> Game:
        """A game with the same players and moves and new payoffs."""
        return Game.from_payoffs(payoffs, players=self.players, moves=self.moves, title=self.title)
