"""Explanations in plain language: why each equilibrium holds and why other outcomes do not.

:func:`explain` turns a scenario's equilibria, its pure profiles, its dominance eliminations
and its payoff formulas into short sentences with the numbers that decide each point.

Conventions, stated once:

* A *deviation* is a switch by one player to one of its other pure moves while the others
  keep their strategies. At an equilibrium its *cost* is the player's equilibrium payoff
  minus its payoff after switching (an expected payoff against the others' mixed
  strategies); at a pure profile its *gain* is the payoff after switching minus the payoff
  there. Costs and gains are exact Fractions for exact games.
* A profile is an equilibrium when no deviation gains (Nash 1951). A player that mixes is
  indifferent among the moves it uses: each pays the equilibrium payoff against the others'
  strategies, and no other move pays more (Osborne 2004, *An Introduction to Game Theory*,
  Proposition 116.2). The moves a player uses are therefore reported as its indifference,
  not as deviations; only the moves outside its support are deviations.
* An equilibrium is *weak* when it is not *quasi-strict* (Harsanyi 1973, "Oddness of the
  number of equilibrium points", *International Journal of Game Theory* 2): some move
  outside a player's support pays as much as the equilibrium, so a deviation costs nothing.
  An equilibrium is *strict* when every deviation from it costs something; a mixed
  equilibrium is never strict, since a player that mixes is indifferent among the moves it
  mixes, and the explanation says so.
* A player's *best replies* are the moves that pay its equilibrium payoff against the
  others' strategies: its support and the moves outside it that cost nothing.
* A player's *binding* comparison at an equilibrium is its cheapest deviation (every
  deviation tied for cheapest), or, for a player that mixes, the indifference among the
  moves it uses. The payoffs compared are the player's payoffs at the cells formed by those
  moves and the others' supports, grouped by the player's move. Each cell's payoff has a
  formula (:attr:`sim.scenario.Scenario.formulas`; for game trees the composed expected
  payoff of the reduced strategic form); the parameters the formulas name, and the evidence
  IDs those parameters cite, are what the conclusion rests on. Payoffs given as plain
  numbers (a game from arrays or a ``.nfg`` file) involve no parameter.
* A player that mixes is indifferent because of its own payoffs, but its *probabilities*
  are set by the others' payoffs: its mixture is what makes another player indifferent
  among that player's best replies (the indifference conditions of Osborne's Proposition
  116.2, read for the other player). This is said only when those best replies pay
  differently against some move the mixing player uses (otherwise the other player is
  indifferent whatever the mixture); the mixture then rests on the other player's payoffs
  at the cells formed by the best replies and the others' supports.
* Dominance steps come from :func:`sim.analysis.dominance.iterated_elimination` (strict
  dominance, pure or mixed dominators; Fudenberg and Tirole 1991, *Game Theory*, §2.1),
  compared against every opponents' profile still in play in that round.
* Every comparison goes through :func:`sim.certificate.compare`: exact for exact games,
  within the one tolerance for float games.
* Output is bounded: at most ``max_profiles`` non-equilibrium profiles are listed (the
  status quo first, then profile order) and the rest are counted; a sentence names at most
  :data:`MAX_LISTED` deviations, moves or comparisons and counts the rest.
* When only pure equilibria were searched (games of three or more players, or a game tree
  too large for enumeration: ``Solution.complete == "pure"``) the sentences say "pure
  equilibrium", never "equilibrium".

>>> from sim.game import Game
>>> game = Game.from_arrays([[3, -3], [4, -1]], [[4, 5], [-4, -2]], players=("US", "China"),
...                         moves=(("ease", "maintain"), ("raise", "restrict")))
>>> for line in explain(game).sentences()[:2]:
...     print(line)
NE1 (maintain, restrict): US would lose 2 by switching to ease (-3 instead of -1); China would lose 2 by switching to raise (-4 instead of -2).
(ease, raise) is not an equilibrium: US gains 1 by switching to maintain (4 instead of 3); China gains 1 by switching to restrict (5 instead of 4).
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from itertools import product
from typing import Any

import numpy as np

from sim.analysis.best_response import best_responses
from sim.analysis.dominance import EliminationStep, iterated_elimination
from sim.analysis.overview import Analysis
from sim.certificate import compare, move_values
from sim.errors import SimError
from sim.expression import parse_expression
from sim.game import Game, Value, exact_text, value_text
from sim.scenario import Scenario
from sim.solvers import Equilibrium, Solution, solve_scenario
from sim.wording import equilibrium_text, listing, payoffs_text, profile_text, strategy_text

__all__ = [
    "MAX_EQUILIBRIA",
    "MAX_LISTED",
    "MAX_PROFILES",
    "Basis",
    "Deviation",
    "EquilibriumExplanation",
    "Explanation",
    "PlayerAtEquilibrium",
    "ProfileExplanation",
    "StepExplanation",
    "explain",
]

MAX_PROFILES = 50
"""Default largest number of non-equilibrium profiles listed (the rest are counted)."""

MAX_EQUILIBRIA = 50
"""Default largest number of equilibria explained (the rest are counted). A degenerate game
can have thousands (every profile of a constant 40×40 game is one); each explanation
lists every deviation of every player."""

MAX_LISTED = 4
"""Largest number of deviations or payoff comparisons named in one sentence."""

MAX_FORMULA_CHARS = 40
"""Longest payoff formula quoted in a sentence (longer ones stay in ``to_dict``)."""

HEADINGS = (
    "Why each equilibrium holds",
    "Why other outcomes are not equilibria",
    "Dominance, step by step",
    "What the conclusions rest on",
)
"""The report sections, in order (:meth:`Explanation.sections`)."""


# ------------------------------------------------------------------------ small helpers
def _value(x: Any) -> Value:
    """A payoff read from an array: a Fraction as it is, anything else as a float."""
    return x if isinstance(x, Fraction) else float(x)


def _cell(game: Game, profile: Sequence[int], player: int) -> Value:
    return _value(game.payoffs[(*profile, player)])


def _natural(text: str) -> list[Any]:
    """Sort key that puts ``E2`` before ``E10``."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _strategy_dict(game: Game, player: int, strategy: Sequence[Value]) -> dict[str, Any]:
    used = [(m, p) for m, p in zip(game.moves[player], strategy, strict=True) if p > 0]
    exact = all(isinstance(p, Fraction) for _, p in used)
    return {
        "probabilities": {m: float(p) for m, p in used},
        "exact": {m: str(p) for m, p in used} if exact else None,
    }


def _others(game: Game, player: int) -> list[int]:
    return [o for o in range(game.n_players) if o != player]


def _whom(game: Game, player: int) -> str:
    """``US`` or ``US and EU``: the player's opponents, for "whatever ... does"."""
    return listing([game.players[o] for o in _others(game, player)])


def _does(game: Game, player: int) -> str:
    return "does" if game.n_players == 2 else "do"


def _tied(deviations: Sequence[Deviation]) -> list[list[Deviation]]:
    """Consecutive deviations of one player tied in cost (exactly, or within the tolerance)."""
    groups: list[list[Deviation]] = []
    for d in deviations:
        if groups and compare(d.cost, groups[-1][0].cost, d.game.scale()) == 0:
            groups[-1].append(d)
        else:
            groups.append([d])
    return groups


def _more_moves(count: int) -> str:
    """``the one other move`` or ``any of the 3 other moves`` (after a capped list)."""
    return "the one other move" if count == 1 else f"any of the {count} other moves"


def _opponents_text(game: Game, player: int, profile: Sequence[int]) -> str:
    """The others' moves in a profile: ``restrict`` or ``(restrict, hold)``."""
    names = [game.moves[o][profile[o]] for o in _others(game, player)]
    return names[0] if len(names) == 1 else f"({', '.join(names)})"


def _pure_only(game: Game) -> str:
    """Why a solution holds pure equilibria only, as a clause."""
    if game.n_players >= 3:
        return "mixed equilibria are not searched for games of three or more players"
    return "mixed equilibria were not searched"


def _varies(game: Game, eq: Equilibrium, player: int, moves: Sequence[int], mover: int) -> bool:
    """True when the differences between ``player``'s payoffs from ``moves`` change with
    ``mover``'s move (within its support), the other players' moves held fixed (within
    their supports): then ``mover``'s mixture matters to ``player``'s indifference."""
    if len(moves) < 2:
        return False
    scale = game.scale()
    rest = [o for o in _others(game, player) if o != mover]
    for fixed in product(*(eq.support(o) for o in rest)):
        seen: tuple[Value, ...] | None = None
        for k in eq.support(mover):
            profile = [0] * game.n_players
            for o, m in zip(rest, fixed, strict=True):
                profile[o] = m
            profile[mover] = k
            diffs = []
            for j in moves:
                profile[player] = j
                diffs.append(_cell(game, profile, player))
            now = tuple(d - diffs[0] for d in diffs[1:])
            if seen is None:
                seen = now
            elif any(compare(a, b, scale) != 0 for a, b in zip(now, seen, strict=True)):
                return True
    return False


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Deviation:
    """One player's switch to another pure move, the others' strategies held fixed.

    Attributes
    ----------
    player : int
        The deviating player.
    move : int
        The move it switches to.
    payoff : Fraction or float
        Its (expected) payoff after switching.
    current : Fraction or float
        Its (expected) payoff before switching.
    """

    game: Game = field(repr=False, compare=False)
    player: int
    move: int
    payoff: Value
    current: Value

    @property
    def gain(self) -> Value:
        """Payoff after switching minus payoff before (positive: the switch pays)."""
        return self.payoff - self.current

    @property
    def cost(self) -> Value:
        """Payoff before switching minus payoff after (the negated gain)."""
        return self.current - self.payoff

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: names, floats and exact strings (None for float games)."""
        gain, cost = self.gain, self.cost
        return {
            "player": self.game.players[self.player],
            "move": self.game.moves[self.player][self.move],
            "payoff": float(self.payoff),
            "exact_payoff": exact_text(self.payoff),
            "current": float(self.current),
            "exact_current": exact_text(self.current),
            "gain": float(gain),
            "exact_gain": exact_text(gain),
            "cost": float(cost),
            "exact_cost": exact_text(cost),
        }


@dataclass(frozen=True)
class Basis:
    """What one player's choice at an equilibrium rests on: payoffs, parameters, evidence.

    Attributes
    ----------
    player : int
        The player.
    moves : tuple of int
        The player's moves in the binding comparison (empty for a player with one move).
    profiles : tuple of tuple of int
        The cells whose payoffs (to ``player``) the comparison uses.
    payoffs : tuple
        The player's payoff at each cell.
    formulas : tuple of str or None
        The payoff formula of each cell, or None when the scenario has no formulas.
    parameters : tuple of str
        Parameters the formulas use, in the scenario's declaration order.
    evidence : tuple of str
        Evidence IDs cited by those parameters (natural order: ``E2`` before ``E10``).
    move_evidence : tuple of str
        Evidence IDs cited for the player's moves compared.
    indifference : bool
        True when the moves compared all pay the player the same (the moves it mixes, or a
        player's best replies), False for a comparison with its cheapest deviations.
    """

    game: Game = field(repr=False, compare=False)
    player: int
    moves: tuple[int, ...]
    profiles: tuple[tuple[int, ...], ...]
    payoffs: tuple[Value, ...]
    formulas: tuple[str, ...] | None
    parameters: tuple[str, ...]
    evidence: tuple[str, ...]
    move_evidence: tuple[str, ...]
    indifference: bool = False

    def rests_on(self) -> str:
        """``z_us and h_us (evidence E5, E8)``, or ``payoffs given as plain numbers``."""
        if not self.parameters:
            return "payoffs given as plain numbers"
        cited = (
            f"evidence {', '.join(self.evidence)}"
            if self.evidence
            else "no evidence is cited for them"
        )
        return f"{listing(list(self.parameters))} ({cited})"

    def cells_text(self) -> str | None:
        """The formulas compared, grouped by the player's move, or None when there are more
        than :data:`MAX_LISTED` cells, a formula longer than :data:`MAX_FORMULA_CHARS`, or
        no formulas.

        ``against restrict, maintain pays -z and ease pays -c - s`` when the others play
        one profile; otherwise ``maintain pays -z against restrict and -z - d against
        retaliate; raise pays ...``.
        """
        if (
            self.formulas is None
            or not self.moves
            or len(self.formulas) > MAX_LISTED
            or any(len(f) > MAX_FORMULA_CHARS for f in self.formulas)
        ):
            return None
        game, i = self.game, self.player
        cells = list(zip(self.formulas, self.profiles, strict=True))
        if len(cells) == len(self.moves):  # the others play one pure profile
            against = _opponents_text(game, i, self.profiles[0])
            pays = [f"{game.moves[i][p[i]]} pays {f}" for f, p in cells]
            return f"against {against}, {listing(pays)}"
        groups = []
        for j in self.moves:
            pays = [f"{f} against {_opponents_text(game, i, p)}" for f, p in cells if p[i] == j]
            groups.append(f"{game.moves[i][j]} pays {listing(pays)}")
        return "; ".join(groups)

    def sentence(self, label: str) -> str:
        """The parameters and evidence behind the player's choice (or indifference), the
        formulas compared grouped by the player's move, and the evidence its moves cite."""
        game = self.game
        name = game.players[self.player]
        if not self.moves:
            return f"{label}: {name} has no other move, so no comparison is involved."
        if self.indifference:
            between = listing([game.moves[self.player][j] for j in self.moves])
            subject = f"{name}'s indifference between {between}"
        else:
            subject = f"{name}'s choice"
        text = f"{label}: {subject} rests on {self.rests_on()}"
        if not self.parameters:
            text += "; no parameter is involved."
        else:
            cells = self.cells_text()
            text += f": {cells}." if cells else "."
        if self.move_evidence:
            text += f" The moves compared cite {', '.join(self.move_evidence)}."
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: cells with formulas and payoffs, parameter names and evidence IDs."""
        cells = []
        for k, profile in enumerate(self.profiles):
            cells.append(
                {
                    "profile": list(self.game.profile_names(profile)),
                    "formula": None if self.formulas is None else self.formulas[k],
                    "payoff": float(self.payoffs[k]),
                    "exact_payoff": exact_text(self.payoffs[k]),
                }
            )
        return {
            "player": self.game.players[self.player],
            "moves": [self.game.moves[self.player][m] for m in self.moves],
            "indifference": self.indifference,
            "cells": cells,
            "parameters": list(self.parameters),
            "evidence": list(self.evidence),
            "move_evidence": list(self.move_evidence),
        }


@dataclass(frozen=True)
class PlayerAtEquilibrium:
    """Why one player keeps to its strategy at one equilibrium.

    Attributes
    ----------
    player : int
        The player.
    strategy : tuple
        Its equilibrium probabilities, in move order.
    payoff : Fraction or float
        Its equilibrium (expected) payoff.
    values : tuple
        The (expected) payoff of each of its moves against the others' strategies.
    deviations : tuple of Deviation
        Every move outside its support, cheapest first (ties in move order).
    basis : Basis
        What the binding comparison rests on.
    sets : tuple of Basis
        For a player that mixes: for each other player whose indifference among its best
        replies the mixture sets (they pay differently against some move this player
        uses), that player's payoffs at those best replies, and what they rest on. Empty
        for a pure strategy.
    """

    game: Game = field(repr=False, compare=False)
    player: int
    strategy: tuple[Value, ...]
    payoff: Value
    values: tuple[Value, ...]
    deviations: tuple[Deviation, ...]
    basis: Basis
    sets: tuple[Basis, ...] = ()

    @property
    def support(self) -> tuple[int, ...]:
        """The moves the player uses."""
        return tuple(j for j, p in enumerate(self.strategy) if p > 0)

    @property
    def mixes(self) -> bool:
        """True when the player uses more than one move."""
        return len(self.support) > 1

    @cached_property
    def binding(self) -> tuple[Deviation, ...]:
        """Deviations tied for the cheapest (empty for a player that mixes or has one move)."""
        return () if self.mixes else _cheapest(self.deviations)

    @cached_property
    def free(self) -> tuple[Deviation, ...]:
        """Deviations that cost nothing (they make the equilibrium weak)."""
        scale = self.game.scale()
        return tuple(d for d in self.deviations if compare(d.cost, 0, scale) == 0)

    @property
    def best_replies(self) -> tuple[int, ...]:
        """The moves that pay the equilibrium payoff: the support and the free deviations."""
        return tuple(sorted((*self.support, *(d.move for d in self.free))))

    def mixture_sentences(self, label: str) -> tuple[str, ...]:
        """What the player's probabilities rest on: one sentence per player in :attr:`sets`."""
        game = self.game
        name = game.players[self.player]
        mixture = strategy_text(game, self.player, self.strategy)
        verb = "is what makes" if game.n_players == 2 else "helps make"
        out = []
        for basis in self.sets:
            other = game.players[basis.player]
            between = listing([game.moves[basis.player][j] for j in basis.moves])
            rests = f": {basis.rests_on()}" if basis.parameters else ", given as plain numbers"
            out.append(
                f"{label}: {name}'s mixture ({mixture}) {verb} {other} indifferent between "
                f"{between}, so it rests on {other}'s payoffs{rests}."
            )
        return tuple(out)

    def clause(self) -> str | None:
        """``US would lose 2 by switching to ease (-3 instead of -1)``, or None.

        Deviations tied in cost share one phrase (``nothing by switching to a or b (3 either
        way)``); at most :data:`MAX_LISTED` moves are named and the rest counted.
        """
        name = self.game.players[self.player]
        moves = self.game.moves[self.player]
        if self.game.shape[self.player] == 1:
            return f"{name} has no other move"
        if not self.deviations:
            return None
        scale = self.game.scale()
        parts = []
        for group in _tied(self.deviations[:MAX_LISTED]):
            d = group[0]
            targets = listing([moves[g.move] for g in group], conjunction="or")
            if compare(d.cost, 0, scale) == 0:
                parts.append(
                    f"nothing by switching to {targets} ({value_text(d.payoff)} either way)"
                )
            else:
                parts.append(
                    f"{value_text(d.cost)} by switching to {targets} "
                    f"({value_text(d.payoff)} instead of {value_text(self.payoff)})"
                )
        text = f"{name} would lose " + ", ".join(parts)
        rest = len(self.deviations) - MAX_LISTED
        if rest > 0:  # sorted: the rest cost at least as much as the last one named
            last = self.deviations[MAX_LISTED - 1].cost
            least = (
                "nothing or more"
                if compare(last, 0, scale) == 0
                else f"at least {value_text(last)}"
            )
            text += f", and {least} by switching to {_more_moves(rest)}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: strategy, payoff, each move's value, deviations, binding, basis."""
        moves = self.game.moves[self.player]
        exact = all(isinstance(v, Fraction) for v in self.values)
        return {
            "player": self.game.players[self.player],
            "strategy": _strategy_dict(self.game, self.player, self.strategy),
            "payoff": float(self.payoff),
            "exact_payoff": exact_text(self.payoff),
            "mixes": self.mixes,
            "indifferent_between": [moves[j] for j in self.support] if self.mixes else [],
            "move_values": {m: float(v) for m, v in zip(moves, self.values, strict=True)},
            "exact_move_values": (
                {m: str(v) for m, v in zip(moves, self.values, strict=True)} if exact else None
            ),
            "deviations": [d.to_dict() for d in self.deviations],
            "binding": [moves[d.move] for d in self.binding],
            "best_replies": [moves[j] for j in self.best_replies],
            "weak": bool(self.free),
            "basis": self.basis.to_dict(),
            "mixture_sets": [b.to_dict() for b in self.sets],
        }


@dataclass(frozen=True)
class EquilibriumExplanation:
    """Why one equilibrium holds: each player's deviations and, if it mixes, indifference.

    Attributes
    ----------
    number : int
        The equilibrium's position in the solution, from 1 (its label is ``NE<number>``).
    equilibrium : Equilibrium
        The solver's equilibrium.
    players : tuple of PlayerAtEquilibrium
        One entry per player.
    status_quo : bool
        True when the equilibrium is the scenario's (pure) status quo.
    """

    game: Game = field(repr=False, compare=False)
    number: int
    equilibrium: Equilibrium
    players: tuple[PlayerAtEquilibrium, ...]
    status_quo: bool

    @property
    def label(self) -> str:
        """``NE1``, ``NE2``, ..."""
        return f"NE{self.number}"

    @property
    def weak(self) -> bool:
        """True when some deviation costs nothing (the equilibrium is not quasi-strict)."""
        return any(p.free for p in self.players)

    @property
    def strict(self) -> bool:
        """True when every deviation costs something: a pure equilibrium that is not weak."""
        return self.equilibrium.is_pure and not self.weak

    def profile_text(self) -> str:
        """``(maintain, restrict)`` or ``(US: 1/2 ease + 1/2 maintain; China: restrict)``."""
        return equilibrium_text(self.game, self.equilibrium.strategies)

    def _mixing_sentence(self, player: int) -> str:
        """Why a player is willing to mix, and what the others' mixtures are for."""
        game, entry = self.game, self.players[player]
        used = listing([game.moves[player][j] for j in entry.support])
        text = (
            f"{game.players[player]} is willing to mix "
            f"({strategy_text(game, player, entry.strategy)}): it is indifferent between "
            f"{used}, which each pay {value_text(entry.payoff)} against "
            f"{self._others_text(player)}."
        )
        role = self._role(player)
        return f"{text} {role}" if role else text

    def _others_text(self, player: int) -> str:
        """The others' strategies in words."""
        game = self.game
        parts = []
        for o in _others(game, player):
            entry = self.players[o]
            if entry.mixes:
                parts.append(
                    f"{game.players[o]}'s mixture ({strategy_text(game, o, entry.strategy)})"
                )
            else:
                parts.append(f"{game.players[o]}'s {game.moves[o][entry.support[0]]}")
        return listing(parts)

    def _role(self, player: int) -> str:
        """What the others' mixtures do for a player that mixes ("" when nobody else mixes).

        A mixture makes the player indifferent only when the moves it mixes pay
        differently against some move the mixing opponent uses; otherwise they pay the
        same against each, and the opponents' mixtures do not matter to it.
        """
        game, entry = self.game, self.players[player]
        mixers = [o for o in _others(game, player) if self.players[o].mixes]
        if not mixers:
            return ""
        name = game.players[player]
        movers = [
            game.players[o]
            for o in mixers
            if _varies(game, self.equilibrium, player, entry.support, o)
        ]
        if len(movers) == 1:
            return f"{movers[0]}'s mixture is what makes {name} indifferent."
        if movers:
            return f"The mixtures of {listing(movers)} together make {name} indifferent."
        used = listing([game.moves[player][j] for j in entry.support])
        whom = listing([game.players[o] for o in mixers])
        if game.n_players == 2:
            return (
                f"{name}'s {used} pay the same against each move {whom} uses, so it is "
                f"indifferent whatever mixture {whom} plays."
            )
        return (
            f"{name}'s {used} pay the same against each combination of moves the others "
            f"use, so it is indifferent whatever mixtures {whom} play."
        )

    def sentences(self) -> tuple[str, ...]:
        """Why no player gains by deviating, why mixers mix, whether it is weak (or, for a
        mixed equilibrium that is not weak, that it is still not strict)."""
        clauses = [c for p in self.players if (c := p.clause()) is not None]
        payoffs = payoffs_text(self.game, [p.payoff for p in self.players])
        if clauses:
            out = [f"{self.label} {self.profile_text()}: {'; '.join(clauses)}."]
        else:
            out = [
                f"{self.label} {self.profile_text()} pays {payoffs}; every player uses every "
                "one of its moves, so there is nothing else to switch to."
            ]
        for i, entry in enumerate(self.players):
            if entry.mixes:
                out.append(self._mixing_sentence(i))
        free = []
        for p in self.players:
            if not p.free:
                continue
            moves = [self.game.moves[p.player][d.move] for d in p.free[:MAX_LISTED]]
            if len(p.free) > MAX_LISTED:
                moves.append(_more_moves(len(p.free) - MAX_LISTED))
            free.append(
                f"{self.game.players[p.player]} could switch to {listing(moves, conjunction='or')}"
            )
        if free:
            out.append(f"{self.label} is weak: {listing(free)} at no cost.")
        elif not self.equilibrium.is_pure:
            mixers = [self.game.players[p.player] for p in self.players if p.mixes]
            they = "it mixes" if len(mixers) == 1 else "they mix"
            verb = "is" if len(mixers) == 1 else "are"
            out.append(
                f"{self.label} is not strict (no mixed equilibrium is): {listing(mixers)} "
                f"{verb} indifferent among the moves {they}."
            )
        if self.status_quo:
            out.append(f"{self.label} is the status quo.")
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: label, strategies, payoffs, weak and status-quo flags, players."""
        pure = self.equilibrium.pure_profile
        return {
            "label": self.label,
            "pure": pure is not None,
            "profile": None if pure is None else list(self.game.profile_names(pure)),
            "strategies": {
                self.game.players[i]: _strategy_dict(self.game, i, p.strategy)
                for i, p in enumerate(self.players)
            },
            "payoffs": {self.game.players[i]: float(p.payoff) for i, p in enumerate(self.players)},
            "exact_payoffs": (
                {self.game.players[i]: exact_text(p.payoff) for i, p in enumerate(self.players)}
                if self.game.is_exact
                else None
            ),
            "weak": self.weak,
            "strict": self.strict,
            "status_quo": self.status_quo,
            "players": [p.to_dict() for p in self.players],
            "sentences": list(self.sentences()),
        }


@dataclass(frozen=True)
class ProfileExplanation:
    """Why a pure profile is not an equilibrium: who gains by switching, to what, how much.

    Attributes
    ----------
    profile : tuple of int
        The pure profile.
    payoffs : tuple
        Each player's payoff there.
    deviations : tuple of Deviation
        Every profitable deviation: by player, then largest gain first, then move order.
    status_quo : bool
        True when the profile is the scenario's status quo.
    """

    game: Game = field(repr=False, compare=False)
    profile: tuple[int, ...]
    payoffs: tuple[Value, ...]
    deviations: tuple[Deviation, ...]
    status_quo: bool

    @property
    def movers(self) -> tuple[int, ...]:
        """Players with a profitable deviation."""
        return tuple(dict.fromkeys(d.player for d in self.deviations))

    def best(self, player: int) -> tuple[Deviation, ...]:
        """The player's best deviations (ties kept); empty if it has no profitable one."""
        own = [d for d in self.deviations if d.player == player]
        if not own:
            return ()
        scale = self.game.scale()
        return tuple(d for d in own if compare(d.gain, own[0].gain, scale) == 0)

    def sentence(self) -> str:
        """``(ease, raise) is not an equilibrium: China gains 1 by switching to restrict (...)``."""
        game = self.game
        clauses = []
        for i in self.movers:
            moves = game.moves[i]
            own = [d for d in self.deviations if d.player == i]  # largest gain first
            shown = own[:MAX_LISTED]
            best, *others = _tied(shown)
            targets = listing([moves[d.move] for d in best], conjunction="or")
            text = (
                f"{game.players[i]} gains {value_text(best[0].gain)} by switching to {targets} "
                f"({value_text(best[0].payoff)} instead of {value_text(best[0].current)})"
            )
            also = [
                f"{value_text(group[0].gain)} by switching to "
                + listing([moves[d.move] for d in group], conjunction="or")
                for group in others
            ]
            if len(own) > MAX_LISTED:  # sorted: the rest gain no more than the last named
                most = value_text(shown[-1].gain)
                also.append(f"at most {most} by switching to {_more_moves(len(own) - MAX_LISTED)}")
            if also:
                text += f" (it would also gain {listing(also)})"
            clauses.append(text)
        lead = "The status quo " if self.status_quo else ""
        return (
            f"{lead}{profile_text(game, self.profile)} is not an equilibrium: {'; '.join(clauses)}."
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: profile names, payoffs, each profitable deviation (best flagged)."""
        best = {(d.player, d.move) for i in self.movers for d in self.best(i)}
        return {
            "profile": list(self.game.profile_names(self.profile)),
            "status_quo": self.status_quo,
            "payoffs": [float(v) for v in self.payoffs],
            "exact_payoffs": [exact_text(v) for v in self.payoffs] if self.game.is_exact else None,
            "deviations": [
                {**d.to_dict(), "best": (d.player, d.move) in best} for d in self.deviations
            ],
            "sentence": self.sentence(),
        }


@dataclass(frozen=True)
class StepExplanation:
    """One dominance elimination with the payoffs it compares.

    Attributes
    ----------
    step : EliminationStep
        The elimination (round, player, move, dominator, margin).
    against : tuple of tuple of int
        The opponents' profiles still in play in that round (moves in player order, the
        eliminating player left out).
    dominator_payoffs : tuple
        The dominator's (expected) payoff against each of them.
    move_payoffs : tuple
        The eliminated move's payoff against each of them.
    """

    game: Game = field(repr=False, compare=False)
    step: EliminationStep
    against: tuple[tuple[int, ...], ...]
    dominator_payoffs: tuple[Value, ...]
    move_payoffs: tuple[Value, ...]

    def _opponents_text(self, opponents: tuple[int, ...]) -> str:
        names = [
            self.game.moves[o][m]
            for o, m in zip(_others(self.game, self.step.player), opponents, strict=True)
        ]
        return names[0] if len(names) == 1 else f"({', '.join(names)})"

    def sentence(self) -> str:
        """``Round 1: China's restrict strictly dominates raise: whatever US does, ...``."""
        game, step = self.game, self.step
        i = step.player
        name = game.players[i]
        move = game.moves[i][step.move]
        pure = step.dominator_move
        whom = _whom(game, i)
        does = _does(game, i)
        left = "" if len(self.against) == int(np.prod(game.shape)) // game.shape[i] else " still"
        pairs = [
            f"{value_text(a)} vs {value_text(b)} against {self._opponents_text(s)}"
            for a, b, s in zip(
                self.dominator_payoffs[:MAX_LISTED],
                self.move_payoffs[:MAX_LISTED],
                self.against[:MAX_LISTED],
                strict=True,
            )
        ]
        rest = len(self.against) - MAX_LISTED
        if rest > 0:
            pairs.append(f"and {rest} more")
        if pure is not None:
            head = f"Round {step.round}: {name}'s {game.moves[i][pure]} strictly dominates {move}"
            subject = "it"
        else:
            mixture = strategy_text(game, i, step.dominator)
            head = (
                f"Round {step.round}: {name}'s {move} is strictly dominated by the mixture "
                f"({mixture})"
            )
            subject = "the mixture"
        return (
            f"{head}: whatever {whom}{left} {does}, {subject} pays at least "
            f"{value_text(step.margin)} more ({', '.join(pairs)})."
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the step and its comparison payoffs by opponents' profile."""
        others = _others(self.game, self.step.player)
        return {
            **self.step.to_dict(),
            "comparisons": [
                {
                    "against": {
                        self.game.players[o]: self.game.moves[o][m]
                        for o, m in zip(others, s, strict=True)
                    },
                    "dominator_payoff": float(a),
                    "exact_dominator_payoff": exact_text(a),
                    "move_payoff": float(b),
                    "exact_move_payoff": exact_text(b),
                }
                for a, b, s in zip(
                    self.dominator_payoffs, self.move_payoffs, self.against, strict=True
                )
            ],
            "sentence": self.sentence(),
        }


@dataclass(frozen=True)
class Explanation:
    """The result of :func:`explain`.

    Attributes
    ----------
    equilibria : tuple of EquilibriumExplanation
        One per explained equilibrium of the solution, in its order: the first
        ``max_equilibria`` and the status quo if it is a later one.
    non_equilibria : tuple of ProfileExplanation
        Listed pure profiles that are not equilibria: the status quo first, then profile
        order, at most ``max_profiles`` of them (the status quo always).
    unlisted : int
        Number of further non-equilibrium profiles, counted but not listed.
    dominance : tuple of StepExplanation
        Every strict-dominance elimination, in order.
    surviving : tuple of tuple of int
        Each player's moves that survive the eliminations.
    status_quo : tuple of int or None
        The scenario's status quo.
    complete : str
        What the solution's list is complete for (``"extreme"``, ``"pure"`` or ``"some"``).
    borderline : tuple of tuple of int
        Pure profiles that pass the best-response check within the float tolerance but are
        not among the solver's equilibria (empty for exact games; see
        :mod:`sim.certificate`).
    unexplained : int
        Number of further equilibria of the solution, counted but not explained.
    """

    game: Game = field(repr=False, compare=False)
    equilibria: tuple[EquilibriumExplanation, ...]
    non_equilibria: tuple[ProfileExplanation, ...]
    unlisted: int
    dominance: tuple[StepExplanation, ...]
    surviving: tuple[tuple[int, ...], ...]
    status_quo: tuple[int, ...] | None
    complete: str
    borderline: tuple[tuple[int, ...], ...] = ()
    unexplained: int = 0

    def sections(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``(heading, sentences)`` for the four report sections, in :data:`HEADINGS` order."""
        return tuple(
            zip(
                HEADINGS,
                (
                    self._equilibrium_sentences(),
                    self._profile_sentences(),
                    self._dominance_sentences(),
                    self._basis_sentences(),
                ),
                strict=True,
            )
        )

    def sentences(self) -> tuple[str, ...]:
        """Every sentence of every section, in order.

        Examples
        --------
        >>> from sim.game import Game
        >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]],
        ...     players=("Ann", "Bob"), moves=(("opera", "match"), ("opera", "match")))
        >>> print(explain(battle).sentences()[1])
        NE2 (Ann: 2/3 opera + 1/3 match; Bob: 1/3 opera + 2/3 match) pays Ann 2/3, Bob 2/3; every player uses every one of its moves, so there is nothing else to switch to.
        >>> print(explain(battle).sentences()[2])
        Ann is willing to mix (2/3 opera + 1/3 match): it is indifferent between opera and match, which each pay 2/3 against Bob's mixture (1/3 opera + 2/3 match). Bob's mixture is what makes Ann indifferent.
        """  # noqa: E501
        return tuple(s for _, lines in self.sections() for s in lines)

    def markdown_lines(self) -> list[str]:
        """The four sections as Markdown: ``## heading``, then one bullet per sentence."""
        lines: list[str] = []
        for heading, sentences in self.sections():
            lines += [f"## {heading}", ""]
            lines += [f"- {s}" for s in sentences]
            lines.append("")
        return lines

    def _equilibrium_sentences(self) -> tuple[str, ...]:
        out: list[str] = []
        for e in self.equilibria:
            out += e.sentences()
        if self.unexplained:
            # The first ones in the solution's order, and the status quo if it comes later.
            first = sum(e.number == k for k, e in enumerate(self.equilibria, start=1))
            also = "".join(f" and the status quo, {e.label}," for e in self.equilibria[first:])
            out.append(
                f"{self.unexplained} more equilibri{'um is' if self.unexplained == 1 else 'a are'} "
                f"not explained here; the first {first}{also} are (sim.explain(..., "
                "max_equilibria=N) explains more)."
            )
        if not self.equilibria:
            if self.complete == "pure":
                out.append(f"No pure equilibrium exists; {_pure_only(self.game)}.")
            else:
                out.append("No equilibrium was found.")
        elif self.complete == "pure":
            why = ", as for every game of three or more players" if self.game.n_players > 2 else ""
            out.append(
                f"Only pure equilibria were searched{why}; mixed equilibria are not explained here."
            )
        elif self.complete == "some":
            out.append(
                "These are the equilibria found without enumerating them all (see the notes "
                "on the method); the game may have other mixed equilibria."
            )
        if self.status_quo is not None and not any(e.status_quo for e in self.equilibria):
            out.append(
                f"The status quo {profile_text(self.game, self.status_quo)} is not an "
                "equilibrium (see below)."
            )
        return tuple(out)

    def _profile_sentences(self) -> tuple[str, ...]:
        out = [p.sentence() for p in self.non_equilibria]
        if self.unlisted:
            out.append(self._unlisted_sentence())
        for profile in self.borderline:
            out.append(
                f"{profile_text(self.game, profile)} passes the best-response check within "
                "the float tolerance but is not among the solver's equilibria; write the "
                "payoffs as exact numbers to settle it."
            )
        if not out:
            out.append("Every pure profile is an equilibrium.")
        return tuple(out)

    def _unlisted_sentence(self) -> str:
        """``11 more pure profiles are not equilibria; 50 are listed above (...)``."""
        count, listed = self.unlisted, len(self.non_equilibria)
        what = (
            "pure profile is not an equilibrium"
            if count == 1
            else "pure profiles are not equilibria"
        )
        if not listed:
            return f"{count} {what}; none is listed."
        shown = f"{listed} {'is' if listed == 1 else 'are'} listed above"
        if self.non_equilibria[0].status_quo:
            shown += " (the status quo)" if listed == 1 else " (the status quo first)"
        return f"{count} more {what}; {shown}."

    def _dominance_sentences(self) -> tuple[str, ...]:
        game = self.game
        if not self.dominance:
            return ("No move is strictly dominated, by a pure move or by a mixture.",)
        out = [s.sentence() for s in self.dominance]
        if all(len(own) == 1 for own in self.surviving):
            profile = tuple(own[0] for own in self.surviving)
            out.append(
                f"Only {profile_text(game, profile)} survives: the game is dominance solvable."
            )
        else:
            left = "; ".join(
                f"{game.players[i]}: {', '.join(game.moves[i][m] for m in own)}"
                for i, own in enumerate(self.surviving)
            )
            out.append(f"Moves left after the eliminations: {left}.")
        return tuple(out)

    def _basis_sentences(self) -> tuple[str, ...]:
        players = [(e.label, p) for e in self.equilibria for p in e.players]
        if not players:
            if self.complete == "pure":
                return (
                    "No pure equilibrium exists, so there is nothing to trace; "
                    f"{_pure_only(self.game)}.",
                )
            return ("No equilibrium was found, so there is nothing to trace.",)
        bases = [b for _, p in players for b in (p.basis, *p.sets)]
        if not any(b.parameters or b.move_evidence for b in bases):
            return (
                "No payoff compared at an equilibrium involves a parameter: they are given "
                "as plain numbers.",
            )
        out: list[str] = []
        for label, p in players:
            out.append(p.basis.sentence(label))
            out += p.mixture_sentences(label)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every part with names, floats, exact strings and evidence IDs."""
        game = self.game
        return {
            "equilibria": [e.to_dict() for e in self.equilibria],
            "complete": self.complete,
            "status_quo": (
                None if self.status_quo is None else list(game.profile_names(self.status_quo))
            ),
            "unexplained_equilibria": self.unexplained,
            "non_equilibria": [p.to_dict() for p in self.non_equilibria],
            "unlisted_non_equilibria": self.unlisted,
            "borderline": [list(game.profile_names(p)) for p in self.borderline],
            "dominance": {
                "steps": [s.to_dict() for s in self.dominance],
                "surviving": {
                    name: [game.moves[i][m] for m in own]
                    for i, (name, own) in enumerate(zip(game.players, self.surviving, strict=True))
                },
                "solved": all(len(own) == 1 for own in self.surviving),
            },
            "sections": [
                {"heading": heading, "sentences": list(sentences)}
                for heading, sentences in self.sections()
            ],
        }


# ------------------------------------------------------------------------ computation
class _Formulas:
    """Payoff formulas of a scenario and the parameters each uses (parsed on demand)."""

    def __init__(self, scenario: Scenario) -> None:
        game = scenario.game
        self.game = game
        size = int(np.prod(game.shape))
        self.texts = scenario.formulas if len(scenario.formulas) == size else None
        self.order = {p.name: k for k, p in enumerate(scenario.parameters)}
        self.evidence = {p.name: p.evidence for p in scenario.parameters}
        self.moves = scenario.move_evidence
        self._names: dict[tuple[int, int], frozenset[str]] = {}

    def text(self, profile: tuple[int, ...], player: int) -> str | None:
        if self.texts is None:
            return None
        return self.texts[int(np.ravel_multi_index(profile, self.game.shape))][player]

    def names(self, profile: tuple[int, ...], player: int) -> frozenset[str]:
        key = (int(np.ravel_multi_index(profile, self.game.shape)), player)
        if key not in self._names:
            text = self.text(profile, player)
            self._names[key] = frozenset() if text is None else parse_expression(text).names
        return self._names[key]

    def basis(
        self,
        player: int,
        moves: tuple[int, ...],
        others: Sequence[Sequence[int]],
        indifference: bool = False,
    ) -> Basis:
        """The payoffs, parameters and evidence of ``player`` at ``moves`` x ``others``."""
        game = self.game
        profiles = []
        for j in moves:
            for rest in product(*others):
                full = list(rest)
                full.insert(player, j)
                profiles.append(tuple(full))
        used: set[str] = set()
        for profile in profiles:
            used |= self.names(profile, player)
        parameters = tuple(sorted(used, key=lambda n: (self.order.get(n, len(self.order)), n)))
        evidence = {e for n in parameters for e in self.evidence.get(n, ())}
        cited = (
            {e for j in moves for e in self.moves[player][j]}
            if len(self.moves) == game.n_players
            else set()
        )
        formulas = (
            None if self.texts is None else tuple(self.text(p, player) or "" for p in profiles)
        )
        return Basis(
            game,
            player,
            moves,
            tuple(profiles),
            tuple(_cell(game, p, player) for p in profiles),
            formulas,
            parameters,
            tuple(sorted(evidence, key=_natural)),
            tuple(sorted(cited, key=_natural)),
            indifference,
        )


def _sorted_by_cost(deviations: list[Deviation]) -> tuple[Deviation, ...]:
    """Cheapest first, ties (exact, or within the tolerance) in move order."""
    if not deviations:
        return ()
    game = deviations[0].game
    if game.is_exact:  # a stable sort keeps exact ties in move order
        return tuple(sorted(deviations, key=lambda d: d.cost))
    scale = game.scale()
    ordered: list[Deviation] = []
    for d in deviations:  # insertion sort with the tolerance-aware comparison
        k = len(ordered)
        while k > 0 and compare(d.cost, ordered[k - 1].cost, scale) < 0:
            k -= 1
        ordered.insert(k, d)
    return tuple(ordered)


def _cheapest(deviations: tuple[Deviation, ...]) -> tuple[Deviation, ...]:
    """The deviations tied with the first (cheapest) one of a list sorted by cost."""
    if not deviations:
        return ()
    scale = deviations[0].game.scale()
    return tuple(d for d in deviations if compare(d.cost, deviations[0].cost, scale) == 0)


def _at_equilibrium(
    game: Game, formulas: _Formulas, number: int, eq: Equilibrium, status_quo: Any
) -> EquilibriumExplanation:
    players = []
    for i in range(game.n_players):
        values = tuple(_value(v) for v in move_values(game, eq.strategies, i).tolist())
        strategy = eq.strategies[i]
        payoff = sum((p * v for p, v in zip(strategy, values, strict=True) if p > 0), Fraction(0))
        payoff = _value(payoff)
        support = eq.support(i)
        deviations = _sorted_by_cost(
            [
                Deviation(game, i, j, values[j], payoff)
                for j in range(game.shape[i])
                if j not in support
            ]
        )
        others = [eq.support(o) for o in _others(game, i)]
        if len(support) > 1:
            compared = support
        elif not deviations:
            compared = ()
        else:
            compared = (support[0], *sorted(d.move for d in _cheapest(deviations)))
        players.append(
            PlayerAtEquilibrium(
                game,
                i,
                tuple(strategy),
                payoff,
                values,
                deviations,
                formulas.basis(i, compared, others, indifference=len(support) > 1),
            )
        )
    for i, entry in enumerate(players):
        if entry.mixes:
            players[i] = replace(entry, sets=_sets(game, formulas, eq, players, i))
    pure = eq.pure_profile
    return EquilibriumExplanation(
        game, number, eq, tuple(players), pure is not None and pure == status_quo
    )


def _sets(
    game: Game,
    formulas: _Formulas,
    eq: Equilibrium,
    players: Sequence[PlayerAtEquilibrium],
    mixer: int,
) -> tuple[Basis, ...]:
    """The others' indifferences the mixer's probabilities set: for each other player whose
    best replies pay differently against some move the mixer uses, their basis."""
    out = []
    for o in _others(game, mixer):
        replies = players[o].best_replies
        if _varies(game, eq, o, replies, mixer):
            supports = [eq.support(k) for k in _others(game, o)]
            out.append(formulas.basis(o, replies, supports, indifference=True))
    return tuple(out)


def _not_equilibrium(
    game: Game, profile: tuple[int, ...], best_responding: Sequence[bool], status_quo: bool
) -> ProfileExplanation:
    scale = game.scale()
    payoffs = tuple(_cell(game, profile, i) for i in range(game.n_players))
    deviations: list[Deviation] = []
    for i in range(game.n_players):
        if best_responding[i]:
            continue
        own = []
        for j in range(game.shape[i]):
            if j == profile[i]:
                continue
            switched = (*profile[:i], j, *profile[i + 1 :])
            d = Deviation(game, i, j, _cell(game, switched, i), payoffs[i])
            if compare(d.gain, 0, scale) > 0:
                own.append(d)
        # Largest gain first: the cheapest "cost" is the most negative.
        deviations += _sorted_by_cost(own)
    return ProfileExplanation(game, profile, payoffs, tuple(deviations), status_quo)


def _steps(
    game: Game, analysis: Analysis | None
) -> tuple[tuple[StepExplanation, ...], tuple[tuple[int, ...], ...]]:
    elimination = iterated_elimination(game) if analysis is None else analysis.elimination
    alive = [list(range(k)) for k in game.shape]
    out = []
    for step in elimination.steps:
        earlier = {(s.player, s.move) for s in elimination.steps if s.round < step.round}
        alive = [[j for j in range(k) if (i, j) not in earlier] for i, k in enumerate(game.shape)]
        i = step.player
        against = tuple(product(*(alive[o] for o in _others(game, i))))
        used = [(k, p) for k, p in enumerate(step.dominator) if p > 0]
        mine, theirs = [], []
        for opponents in against:
            full = list(opponents)
            full.insert(i, step.move)
            theirs.append(_cell(game, full, i))
            total: Value = Fraction(0) if game.is_exact else 0.0
            for k, p in used:
                full[i] = k
                total = total + p * _cell(game, full, i)
            mine.append(_value(total))
        out.append(StepExplanation(game, step, against, tuple(mine), tuple(theirs)))
    return tuple(out), elimination.surviving_indices


def explain(
    scenario: Scenario | Game,
    solution: Solution | None = None,
    *,
    max_profiles: int = MAX_PROFILES,
    max_equilibria: int = MAX_EQUILIBRIA,
    analysis: Analysis | None = None,
) -> Explanation:
    """Explain a scenario's equilibria, non-equilibria, dominance steps and evidence.

    Steps: (1) for each equilibrium, each player's payoff from each of its moves against
    the others' strategies, hence the cost of every deviation and, for players that mix,
    their indifference; (2) best responses at every pure profile, and for the non-equilibria
    (status quo first, at most ``max_profiles``) every profitable deviation; (3) iterated
    elimination of strictly dominated moves with the payoffs each step compares; (4) for each
    equilibrium and player, the parameters and evidence behind the binding comparison.

    Parameters
    ----------
    scenario : Scenario or Game
        Any scenario (normal form, game tree via its reduced strategic form, repeated via its
        stage game), or a bare game (its payoffs then involve no parameter).
    solution : Solution, optional
        Equilibria of ``scenario.game``; by default :func:`solve_scenario` (every extreme
        equilibrium; the pure ones of a game tree too large for enumeration).
    max_profiles : int
        Largest number of non-equilibrium profiles listed (the status quo is always listed).
    max_equilibria : int
        Largest number of equilibria explained, the first in the solution's order (an
        equilibrium at the status quo is always explained); the rest are counted.
    analysis : Analysis, optional
        :func:`sim.analysis.overview.analyse` of ``scenario.game``, if already computed: its
        best responses and dominance steps are used instead of being computed again.

    Returns
    -------
    Explanation

    Raises
    ------
    SimError
        If ``solution`` is for another game, or ``max_profiles`` or ``max_equilibria`` is
        negative.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parents[2]
    >>> result = explain(load(root / "scenarios" / "london_talks.yaml"))
    >>> for line in result.sections()[3][1]:
    ...     print(line)
    NE1: US's choice rests on c_us, s_us and z_us (evidence E5, E6, E8, E11, E14): against restrict_re, maintain_chip_controls pays -z_us and ease_chip_controls pays -c_us - s_us. The moves compared cite E8, E11.
    NE1: China's choice rests on c_cn, s_cn and z_cn (evidence E6, E7, E9, E14, E15, E16): against maintain_chip_controls, restrict_re pays -z_cn and raise_re_exports pays -c_cn - s_cn. The moves compared cite E6, E7, E12, E13, E14.
    >>> result.to_dict()["equilibria"][0]["players"][0]["basis"]["parameters"]
    ['c_us', 's_us', 'z_us']
    """  # noqa: E501
    if isinstance(scenario, Game):
        scenario = Scenario.from_game(scenario)
    if not isinstance(scenario, Scenario):
        raise SimError(
            f"explain() takes a Scenario or a Game, not {type(scenario).__name__}; "
            "load one with sim.scenario.load"
        )
    for name, limit in (("max_profiles", max_profiles), ("max_equilibria", max_equilibria)):
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise SimError(f"{name} must be a non-negative integer, got {limit!r}")
    game = scenario.game
    if solution is None:
        solution = solve_scenario(scenario)
    elif (
        solution.game.players != game.players
        or solution.game.moves != game.moves
        or any(tuple(len(s) for s in e.strategies) != game.shape for e in solution.equilibria)
    ):
        raise SimError(
            "the solution is for another game (its players or moves differ); pass "
            "solve(scenario.game) or leave solution out"
        )
    if analysis is not None and analysis.best_responses.game is not game:
        raise SimError(
            "the analysis is of another game; pass analyse(scenario.game) or leave it out"
        )
    formulas = _Formulas(scenario)
    status_quo = scenario.status_quo
    equilibria = tuple(
        _at_equilibrium(game, formulas, k + 1, e, status_quo)
        for k, e in enumerate(solution.equilibria)
        if k < max_equilibria or (e.is_pure and e.pure_profile == status_quo)
    )
    table = best_responses(game) if analysis is None else analysis.best_responses
    solved_pure = {e.pure_profile for e in solution.equilibria if e.is_pure}
    failing = [c for c in table.checks if not c.is_equilibrium]
    borderline = tuple(
        c.profile for c in table.checks if c.is_equilibrium and c.profile not in solved_pure
    )
    first = [c for c in failing if c.profile == status_quo]
    rest = [c for c in failing if c.profile != status_quo]
    listed = first + rest[: max(0, max_profiles - len(first))]
    non_equilibria = tuple(
        _not_equilibrium(game, c.profile, c.best_responding, c.profile == status_quo)
        for c in listed
    )
    steps, surviving = _steps(game, analysis)
    return Explanation(
        game,
        equilibria,
        non_equilibria,
        len(failing) - len(listed),
        steps,
        surviving,
        status_quo,
        solution.complete,
        borderline,
        len(solution.equilibria) - len(equilibria),
    )
