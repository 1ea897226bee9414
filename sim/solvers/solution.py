"""The one result every solver returns: a frozen, self-describing :class:`Solution`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from sim.game import Game, Value, exact_text

__all__ = ["Component", "ConvexSet", "Equilibrium", "Solution"]


@dataclass(frozen=True)
class Equilibrium:
    """One certified Nash equilibrium (an extreme one, for the enumeration solver).

    ``strategies[i][j]`` is the probability that player ``i`` plays move ``j``;
    ``payoffs[i]`` is player ``i``'s expected payoff. For exact games both are
    ``Fraction``; for float games they are floats. ``regret`` is the certified maximum
    gain from deviating (exactly 0 for exact games).
    """

    strategies: tuple[tuple[Value, ...], ...]
    payoffs: tuple[Value, ...]
    regret: Value

    @property
    def is_exact(self) -> bool:
        """True when probabilities and payoffs are exact fractions."""
        return all(isinstance(p, Fraction) for s in self.strategies for p in s)

    @property
    def probabilities(self) -> tuple[tuple[float, ...], ...]:
        """Probabilities as floats, per player in move order."""
        return tuple(tuple(float(p) for p in s) for s in self.strategies)

    @property
    def float_payoffs(self) -> tuple[float, ...]:
        """Expected payoffs as floats."""
        return tuple(float(v) for v in self.payoffs)

    def support(self, player: int) -> tuple[int, ...]:
        """Indices of the moves the player uses with positive probability."""
        return tuple(j for j, p in enumerate(self.strategies[player]) if p > 0)

    @property
    def is_pure(self) -> bool:
        """True when every player uses a single move."""
        return all(len(self.support(i)) == 1 for i in range(len(self.strategies)))

    @property
    def pure_profile(self) -> tuple[int, ...] | None:
        """The profile of move indices if the equilibrium is pure, else None."""
        if not self.is_pure:
            return None
        return tuple(self.support(i)[0] for i in range(len(self.strategies)))

    def exact_text(self) -> tuple[tuple[str, ...], ...] | None:
        """Probabilities as ``"p/q"`` strings, or None for a float equilibrium."""
        if not self.is_exact:
            return None
        return tuple(tuple(str(Fraction(p)) for p in s) for s in self.strategies)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description: floats, exact strings (or null), payoffs."""
        exact_payoffs = [exact_text(v) for v in self.payoffs] if self.is_exact else None
        return {
            "probabilities": [list(s) for s in self.probabilities],
            "exact": [list(s) for s in t] if (t := self.exact_text()) is not None else None,
            "payoffs": list(self.float_payoffs),
            "exact_payoffs": exact_payoffs,
            "pure": self.is_pure,
            "regret": float(self.regret),
        }


@dataclass(frozen=True)
class ConvexSet:
    """A maximal convex set of equilibria (a *maximal Nash subset*) of a two-player game.

    Every combination of a player-1 strategy in the convex hull of ``vertices[0]`` and a
    player-2 strategy in the hull of ``vertices[1]`` is an equilibrium; ``equilibria``
    lists the indices (into :attr:`Solution.equilibria`) of the extreme equilibria it spans.
    """

    vertices: tuple[tuple[tuple[Value, ...], ...], tuple[tuple[Value, ...], ...]]
    equilibria: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: each player's vertex strategies as floats."""
        return {
            "equilibria": list(self.equilibria),
            "vertices": [[[float(p) for p in s] for s in side] for side in self.vertices],
        }


@dataclass(frozen=True)
class Component:
    """A connected component of the equilibrium set: extreme equilibria and convex sets.

    A component with one equilibrium is an isolated equilibrium; a larger one is a
    continuum, the union of its ``convex_sets`` (indices into :attr:`Solution.convex_sets`).
    """

    equilibria: tuple[int, ...]
    convex_sets: tuple[int, ...]

    @property
    def is_isolated(self) -> bool:
        """True for a single isolated equilibrium."""
        return len(self.equilibria) == 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready indices."""
        return {"equilibria": list(self.equilibria), "convex_sets": list(self.convex_sets)}


@dataclass(frozen=True)
class Solution:
    """Everything a solver found about one game, certified.

    Attributes
    ----------
    game : Game
        The game solved.
    method : str
        ``"vertex-enumeration"`` (all extreme equilibria of a two-player game),
        ``"lemke-howson"`` (equilibria reached from starting labels) or ``"pure"``.
    complete : str
        What the list is complete for: ``"extreme"`` (every extreme equilibrium),
        ``"pure"`` (every pure equilibrium, mixed ones not searched) or ``"some"`` (the
        equilibria found, each certified; the game may have others).
    exact : bool
        True when the game was solved in rational arithmetic.
    degenerate : bool or None
        Whether the game is degenerate (None when the method does not determine it).
    equilibria, convex_sets, components
        The certified equilibria and, for two-player enumeration, their structure.
    parameters : Mapping
        Method parameters (e.g. the tolerance for float games).
    notes : tuple of str
        Sentences on how the result was obtained when that is not what was asked for
        (e.g. exact enumeration ran out of time and Lemke–Howson was run instead).
    """

    game: Game = field(repr=False)
    method: str
    complete: str
    exact: bool
    degenerate: bool | None
    equilibria: tuple[Equilibrium, ...]
    convex_sets: tuple[ConvexSet, ...] = ()
    components: tuple[Component, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    notes: tuple[str, ...] = ()

    def pure_equilibria(self) -> tuple[Equilibrium, ...]:
        """The pure equilibria among :attr:`equilibria`."""
        return tuple(e for e in self.equilibria if e.is_pure)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sim solve --json``."""
        return {
            "title": self.game.title,
            "players": list(self.game.players),
            "moves": [list(m) for m in self.game.moves],
            "method": self.method,
            "complete": self.complete,
            "exact": self.exact,
            "degenerate": self.degenerate,
            "method_parameters": dict(self.parameters),
            "notes": list(self.notes),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "convex_sets": [c.to_dict() for c in self.convex_sets],
            "components": [c.to_dict() for c in self.components],
        }
