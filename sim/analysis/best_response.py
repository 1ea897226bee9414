"""Best responses: to every opponents' pure profile, and to a profile of mixed strategies.

A move of player ``i`` is a *best response* to the opponents' strategies when no other
move of ``i`` earns more against them; ties are kept, and judged by
:func:`sim.certificate.compare` (exactly for exact games, within the tolerance for float
games). At a pure profile a player's *deviation gain* is its best-response payoff minus
its payoff there; the profile is a pure Nash equilibrium when every player best-responds.

>>> from sim.game import Game
>>> chicken = Game.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]],
...                            moves=(("swerve", "straight"), ("swerve", "straight")))
>>> table = best_responses(chicken)
>>> table.best_moves(0, ("swerve",)), table.best_moves(0, ("straight",))
((1,), (0,))
>>> table.pure_equilibria()
((0, 1), (1, 0))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from sim.analysis.security import own_rows
from sim.certificate import compare, move_values
from sim.errors import SimError
from sim.game import Game, Value, as_value, exact_text

__all__ = [
    "BestResponses",
    "MixedBestResponse",
    "ProfileCheck",
    "ResponseSet",
    "best_response_to",
    "best_responses",
]


def _others(game: Game, player: int) -> list[int]:
    return [o for o in range(game.n_players) if o != player]


@dataclass(frozen=True)
class ResponseSet:
    """A player's best responses to one pure profile of its opponents.

    Attributes
    ----------
    player : int
        Player index.
    opponents : tuple of int
        The opponents' moves, in player order with ``player`` left out.
    moves : tuple of int
        Every best-response move (ties included), in move order.
    value : Fraction or float
        The best-response payoff.
    """

    game: Game = field(repr=False, compare=False)
    player: int
    opponents: tuple[int, ...]
    moves: tuple[int, ...]
    value: Value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with names."""
        others = _others(self.game, self.player)
        return {
            "player": self.game.players[self.player],
            "opponents": {
                self.game.players[o]: self.game.moves[o][m]
                for o, m in zip(others, self.opponents, strict=True)
            },
            "best": [self.game.moves[self.player][m] for m in self.moves],
            "value": float(self.value),
            "exact_value": exact_text(self.value),
        }


@dataclass(frozen=True)
class ProfileCheck:
    """Whether each player best-responds at one pure profile.

    Attributes
    ----------
    profile : tuple of int
        The pure profile.
    best_responding : tuple of bool
        For each player, whether its move is a best response to the others' moves.
    gains : tuple
        For each player, its best-response payoff minus its payoff at the profile (zero,
        or within the tolerance of zero for float games, when it best-responds).
    """

    game: Game = field(repr=False, compare=False)
    profile: tuple[int, ...]
    best_responding: tuple[bool, ...]
    gains: tuple[Value, ...]

    @property
    def is_equilibrium(self) -> bool:
        """True when every player best-responds: a pure Nash equilibrium."""
        return all(self.best_responding)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with move names."""
        return {
            "profile": list(self.game.profile_names(self.profile)),
            "best_responding": dict(zip(self.game.players, self.best_responding, strict=True)),
            "gains": [float(g) for g in self.gains],
            "exact_gains": [str(g) for g in self.gains] if self.game.is_exact else None,
            "equilibrium": self.is_equilibrium,
        }


@dataclass(frozen=True)
class BestResponses:
    """The result of :func:`best_responses`.

    Attributes
    ----------
    responses : tuple of tuple of ResponseSet
        ``responses[i]`` holds player ``i``'s best responses, one entry per opponents' pure
        profile in lexicographic order.
    checks : tuple of ProfileCheck
        One entry per pure profile, in the order of :meth:`sim.game.Game.profiles`.
    """

    game: Game = field(repr=False, compare=False)
    responses: tuple[tuple[ResponseSet, ...], ...]
    checks: tuple[ProfileCheck, ...]

    def best_moves(self, player: int | str, opponents: Sequence[int | str]) -> tuple[int, ...]:
        """Player's best responses to the opponents' moves (names or indices, in order)."""
        i = self.game.player_index(player)
        others = _others(self.game, i)
        if len(opponents) != len(others):
            raise SimError(
                f"give one move for each opponent of {self.game.players[i]} "
                f"({', '.join(self.game.players[o] for o in others)}), got {list(opponents)}"
            )
        index = tuple(self.game.move_index(o, m) for o, m in zip(others, opponents, strict=True))
        position = int(np.ravel_multi_index(index, [self.game.shape[o] for o in others]))
        return self.responses[i][position].moves

    def check(self, profile: Sequence[int | str]) -> ProfileCheck:
        """The best-response check at one pure profile (names or indices)."""
        index = self.game.profile_index(profile)
        return self.checks[int(np.ravel_multi_index(index, self.game.shape))]

    def pure_equilibria(self) -> tuple[tuple[int, ...], ...]:
        """Every pure Nash equilibrium, in profile order."""
        return tuple(c.profile for c in self.checks if c.is_equilibrium)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: best responses per player and the check at every profile."""
        return {
            "responses": {
                name: [r.to_dict() for r in own]
                for name, own in zip(self.game.players, self.responses, strict=True)
            },
            "profiles": [c.to_dict() for c in self.checks],
        }


def best_responses(game: Game) -> BestResponses:
    """Best responses of every player to every opponents' pure profile, and deviation gains.

    Steps: (1) for each player, arrange its payoffs as own moves by opponents' profiles;
    (2) in each column the best responses are the moves tied with the column maximum;
    (3) at each pure profile, each player's gain is that maximum minus its payoff.

    Parameters
    ----------
    game : Game
        Any finite game, any number of players.

    Returns
    -------
    BestResponses

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> check = best_responses(pd).check((0, 0))
    >>> check.best_responding, check.gains
    ((False, False), (Fraction(2, 1), Fraction(2, 1)))
    """
    scale = game.scale()
    responses = []
    best_values = []
    for i in range(game.n_players):
        others = _others(game, i)
        columns = own_rows(game, i).T.tolist()
        opponent_profiles = product(*(range(game.shape[o]) for o in others))
        own = []
        for opponents, column in zip(opponent_profiles, columns, strict=True):
            best = max(column)
            moves = tuple(j for j, v in enumerate(column) if compare(v, best, scale) == 0)
            own.append(ResponseSet(game, i, opponents, moves, best))
        responses.append(tuple(own))
        best_values.append([r.value for r in own])
    checks = []
    for profile in game.profiles():
        payoffs = game.payoff(profile)
        gains = []
        responding = []
        for i in range(game.n_players):
            others = _others(game, i)
            position = int(
                np.ravel_multi_index([profile[o] for o in others], [game.shape[o] for o in others])
            )
            best = best_values[i][position]
            gains.append(best - payoffs[i])
            responding.append(compare(payoffs[i], best, scale) == 0)
        checks.append(ProfileCheck(game, profile, tuple(responding), tuple(gains)))
    return BestResponses(game, tuple(responses), tuple(checks))


@dataclass(frozen=True)
class MixedBestResponse:
    """A player's best responses to the others' mixed strategies.

    Attributes
    ----------
    player : int
        Player index.
    values : tuple
        Expected payoff of each of the player's moves against the others' strategies.
    moves : tuple of int
        The best-response moves (ties included). Every mixture of them is a best response.
    value : Fraction or float
        The best-response payoff.
    """

    game: Game = field(repr=False, compare=False)
    player: int
    values: tuple[Value, ...]
    moves: tuple[int, ...]
    value: Value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with move names."""
        names = self.game.moves[self.player]
        exact = all(isinstance(v, Fraction) for v in self.values)
        return {
            "player": self.game.players[self.player],
            "values": {m: float(v) for m, v in zip(names, self.values, strict=True)},
            "exact_values": (
                {m: str(v) for m, v in zip(names, self.values, strict=True)} if exact else None
            ),
            "best": [names[m] for m in self.moves],
            "value": float(self.value),
            "exact_value": exact_text(self.value),
        }


def _strategy(game: Game, player: int, strategy: Any) -> tuple[Value, ...]:
    """One player's strategy: a move (name or index) or a probability vector."""
    k = game.shape[player]
    name = game.players[player]
    if isinstance(strategy, str | int | np.integer) and not isinstance(strategy, bool):
        move = game.move_index(player, strategy if isinstance(strategy, str) else int(strategy))
        return tuple(Fraction(int(j == move)) for j in range(k))
    if not isinstance(strategy, Sequence | np.ndarray):
        raise SimError(
            f"{name}'s strategy {strategy!r} is neither a move (name or index) nor a "
            "sequence of probabilities"
        )
    probabilities = tuple(as_value(p) for p in strategy)
    if len(probabilities) != k:
        raise SimError(
            f"{name}'s strategy has {len(probabilities)} probabilities; {name} has {k} moves "
            f"({', '.join(game.moves[player])})"
        )
    total = sum(probabilities)
    if any(compare(p, 0) < 0 for p in probabilities) or compare(total, 1, float(k)) != 0:
        raise SimError(
            f"{name}'s strategy {[float(p) for p in probabilities]} is not a probability "
            "vector; give non-negative probabilities that sum to 1"
        )
    return probabilities


def best_response_to(game: Game, player: int | str, profile: Sequence[Any]) -> MixedBestResponse:
    """A player's best responses to the other players' (mixed) strategies.

    Parameters
    ----------
    game : Game
        Any finite game.
    player : int or str
        The responding player.
    profile : sequence
        One strategy per player (the responder's own entry is ignored) or one per opponent,
        in player order. A strategy is a probability vector over the player's moves or a
        single move given by name or index. Rational probabilities in an exact game give
        exact values.

    Returns
    -------
    MixedBestResponse

    Examples
    --------
    >>> from sim.game import Game
    >>> from fractions import Fraction
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> response = best_response_to(battle, 0, [(Fraction(1, 3), Fraction(2, 3))])
    >>> response.values, response.moves
    ((Fraction(2, 3), Fraction(2, 3)), (0, 1))
    """
    i = game.player_index(player)
    others = _others(game, i)
    if len(profile) == game.n_players:
        given = [profile[o] for o in others]
    elif len(profile) == len(others):
        given = list(profile)
    else:
        raise SimError(
            f"give one strategy per player ({game.n_players}) or per opponent "
            f"({len(others)}), got {len(profile)}"
        )
    chosen = dict(zip(others, given, strict=True))
    placeholder = tuple(Fraction(int(j == 0)) for j in range(game.shape[i]))  # not used
    strategies = [
        placeholder if o == i else _strategy(game, o, chosen[o]) for o in range(game.n_players)
    ]
    values = move_values(game, strategies, i).tolist()
    values = [v if isinstance(v, Fraction) else float(v) for v in values]
    best = max(values)
    scale = game.scale()
    moves = tuple(j for j, v in enumerate(values) if compare(v, best, scale) == 0)
    return MixedBestResponse(game, i, tuple(values), moves, best)
