"""Game trees (extensive form) and their reduced strategic form.

A :class:`Tree` is a finite game tree: *decision* nodes where a player picks a named move,
*chance* nodes where nature picks a named outcome with given probabilities, and *terminal*
nodes with one payoff per player. Decision nodes are grouped into *information sets*: a
player cannot tell apart the nodes of one set, so it picks the same move at all of them.
A tree has perfect information when every information set has one node.

Conventions, for the whole package:

* ``nodes[0]`` is the root and every node comes after its parent (so a reversed loop over
  ``nodes`` visits children before parents).
* Information sets are numbered in the order their first node appears; a player's
  information sets, in that order, are :meth:`Tree.player_sets`.
* Trees need *perfect recall*: a player remembers its own earlier moves, so every node of
  an information set has the same own history (the player's earlier information sets and
  the moves taken there). The loader rejects trees without it.
* A *reduced pure strategy* (:class:`Strategy`) picks a move at each of the player's
  information sets that its own earlier moves do not rule out, and nothing elsewhere.
  Strategies that differ only where the player's own moves never lead are the same
  reduced strategy, as in Gambit's reduced strategic form.
* A *behaviour profile* gives, for every information set, one probability per move, or
  ``None`` where the player's own strategy never reaches the set.

:meth:`Tree.strategic_form` turns a tree into a :class:`~sim.game.Game` whose moves are
the reduced strategies, with expected payoffs over chance. Every equilibrium analysis of
a normal-form game then applies, and Nash equilibria of that game are the Nash (for trees
with chance moves for players' types: Bayesian Nash) equilibria of the tree.

>>> entry = Tree.build(
...     players=("Entrant", "Incumbent"),
...     nodes=[
...         Node("start", player=0, moves=("stay_out", "enter"), children=(1, 2)),
...         Node("stay_out", payoffs=(Fraction(0), Fraction(2))),
...         Node("entered", player=1, moves=("fight", "accommodate"), children=(3, 4)),
...         Node("fight", payoffs=(Fraction(-1), Fraction(-1))),
...         Node("accommodate", payoffs=(Fraction(1), Fraction(1))),
...     ],
... )
>>> game, strategies = entry.strategic_form()
>>> game.moves
(('stay_out', 'enter'), ('fight', 'accommodate'))
>>> game.payoff(("enter", "fight")), entry.perfect_information
((Fraction(-1, 1), Fraction(-1, 1)), True)
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import prod
from types import MappingProxyType
from typing import Any

from sim.errors import ExpressionError, SimError
from sim.expression import Expression, evaluate
from sim.game import Game, Value, value_text

__all__ = [
    "MAX_PROFILES",
    "MAX_STRATEGIES",
    "MAX_WORK",
    "Behaviour",
    "InformationSet",
    "Node",
    "Strategy",
    "Tree",
]

MAX_STRATEGIES = 10_000
"""Most reduced pure strategies per player in a strategic form."""
MAX_PROFILES = 10_000
"""Most strategy profiles (cells) in a strategic form (``SIM_MAX_TREE_PROFILES``)."""
MAX_WORK = 300_000
"""Most profiles times nodes walked to build a strategic form (``SIM_MAX_TREE_WORK``): it
bounds the build time, about 3 µs per profile and node here, so that any tree is built or
refused within about a second (a 31-node tree with a 10×1,024 strategic form, 317,440, took
1.1 s; a 37-node one with 12×4,096, 5.8 s)."""

Behaviour = tuple[tuple[Value, ...] | None, ...]
"""Per information set, one probability per move, or ``None`` where it is not reached."""


@dataclass(frozen=True)
class Node:
    """One node of a tree.

    A decision node has ``player`` (an index) and ``moves``; a chance node has ``moves``
    (its outcomes) and ``probabilities``; a terminal node has ``payoffs``. ``children[k]``
    is the node reached by ``moves[k]``. ``line`` and ``column`` locate the node in its
    file (0 when unknown).
    """

    name: str
    player: int | None = None
    moves: tuple[str, ...] = ()
    children: tuple[int, ...] = ()
    probabilities: tuple[Value, ...] = ()
    payoffs: tuple[Value, ...] = ()
    information_set: int | None = None
    parent: int | None = None
    description: str = ""
    evidence: tuple[str, ...] = ()
    line: int = field(default=0, compare=False, repr=False)
    column: int = field(default=0, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """``"decision"``, ``"chance"`` or ``"terminal"``."""
        if self.player is not None:
            return "decision"
        return "chance" if self.probabilities else "terminal"


@dataclass(frozen=True)
class InformationSet:
    """Decision nodes of one player that it cannot tell apart (same moves at each).

    ``history`` is the player's own history at the set: its earlier information sets and
    the moves it took there, as ``(information set, move index)`` pairs from the root.
    """

    name: str
    player: int
    nodes: tuple[int, ...]
    moves: tuple[str, ...]
    history: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Strategy:
    """A reduced pure strategy of ``player``.

    ``choices[k]`` is the move index at the player's ``k``-th information set
    (:meth:`Tree.player_sets`), or ``None`` where the player's own moves rule it out.
    ``name`` joins the chosen moves with ``/`` in that order; ``description`` says where
    each move is taken.
    """

    player: int
    choices: tuple[int | None, ...]
    name: str
    description: str


@dataclass(frozen=True, eq=False)
class Tree:
    """A finite game tree with perfect recall (see the module docstring).

    Build one with :meth:`Tree.build`, which derives parents, information-set histories
    and checks the structure. ``payoff_expressions`` and ``probability_expressions`` map
    terminal and chance node indices to the parsed formulas they were evaluated from (empty
    for trees built from numbers); :meth:`evaluated` re-evaluates them.
    """

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    information_sets: tuple[InformationSet, ...]
    payoff_expressions: Mapping[int, tuple[Expression, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    probability_expressions: Mapping[int, tuple[Expression, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )

    # ----------------------------------------------------------------- construction
    @classmethod
    def build(
        cls,
        players: Sequence[str],
        nodes: Sequence[Node],
        information_sets: Mapping[str, Sequence[int]] | None = None,
        *,
        payoff_expressions: Mapping[int, tuple[Expression, ...]] | None = None,
        probability_expressions: Mapping[int, tuple[Expression, ...]] | None = None,
    ) -> Tree:
        """A tree from its nodes (root first, parents before children).

        ``information_sets`` maps a set's name to its node indices; decision nodes not in
        any set get a set of their own, named after the node. Parents are set from the
        children lists. Raises :class:`SimError` when the structure is not a tree with
        perfect recall.
        """
        nodes = list(nodes)
        parents: dict[int, int] = {}
        for index, node in enumerate(nodes):
            if len(node.children) != len(node.moves):
                raise SimError(
                    f"node {node.name!r} has {len(node.moves)} moves but "
                    f"{len(node.children)} children"
                )
            for child in node.children:
                if not index < child < len(nodes) or child in parents:
                    raise SimError(f"node {node.name!r}: child {child} is not a new later node")
                parents[child] = index
        if len(parents) != len(nodes) - 1:
            raise SimError("every node but the root must be the child of exactly one node")
        nodes = [replace(n, parent=parents.get(i)) for i, n in enumerate(nodes)]
        groups: dict[str, list[int]] = {k: list(v) for k, v in (information_sets or {}).items()}
        member = {i for group in groups.values() for i in group}
        for i, node in enumerate(nodes):
            if node.player is not None and i not in member:
                groups[node.name if node.name not in groups else f"{node.name}#{i}"] = [i]
        ordered = sorted(groups.items(), key=lambda kv: min(kv[1]))
        sets = []
        for k, (name, group) in enumerate(ordered):
            first = nodes[group[0]]
            for i in group:
                if nodes[i].player != first.player or nodes[i].moves != first.moves:
                    raise SimError(
                        f"information set {name!r}: its nodes need the same player and moves"
                    )
                nodes[i] = replace(nodes[i], information_set=k)
            sets.append(InformationSet(name, first.player or 0, tuple(group), first.moves))
        tree = cls(
            tuple(players),
            tuple(nodes),
            tuple(sets),
            MappingProxyType(dict(payoff_expressions or {})),
            MappingProxyType(dict(probability_expressions or {})),
        )
        histories = []
        for k, info in enumerate(tree.information_sets):
            seen = {tree.own_history(i) for i in info.nodes}
            if len(seen) > 1:
                raise SimError(
                    f"information set {info.name!r}: {tree.players[info.player]} would forget "
                    "its own earlier moves (imperfect recall); split the set so that each "
                    "part follows the same own moves"
                )
            histories.append(replace(tree.information_sets[k], history=seen.pop()))
        return replace(tree, information_sets=tuple(histories))

    # ----------------------------------------------------------------- structure
    @property
    def terminals(self) -> tuple[int, ...]:
        """Indices of the terminal nodes, in order."""
        return tuple(i for i, n in enumerate(self.nodes) if n.kind == "terminal")

    @property
    def perfect_information(self) -> bool:
        """True when every information set has a single node."""
        return all(len(s.nodes) == 1 for s in self.information_sets)

    def player_sets(self, player: int) -> tuple[int, ...]:
        """The player's information sets, in order."""
        return tuple(k for k, s in enumerate(self.information_sets) if s.player == player)

    def path(self, node: int) -> tuple[tuple[int, int], ...]:
        """The ``(node, move index)`` steps from the root to ``node``."""
        steps = []
        while (parent := self.nodes[node].parent) is not None:
            steps.append((parent, self.nodes[parent].children.index(node)))
            node = parent
        return tuple(reversed(steps))

    def own_history(self, node: int) -> tuple[tuple[int, int], ...]:
        """The ``(information set, move index)`` steps of ``node``'s player before it."""
        player = self.nodes[node].player
        return tuple(
            (self.nodes[at].information_set or 0, move)
            for at, move in self.path(node)
            if self.nodes[at].player == player
        )

    def history_text(self, node: int) -> str:
        """The moves leading to ``node``, e.g. ``after ease, token_approvals``."""
        moves = [self.nodes[at].moves[move] for at, move in self.path(node)]
        return f"after {', '.join(moves)}" if moves else "at the start"

    def set_text(self, info: int) -> str:
        """Where an information set is, in words (its single node's history, or its name)."""
        nodes = self.information_sets[info].nodes
        if len(nodes) == 1:
            return self.history_text(nodes[0])
        return f"at {self.information_sets[info].name}"

    # ----------------------------------------------------------------- values
    def evaluated(self, values: Mapping[str, Value]) -> Tree:
        """The tree with payoffs and probabilities re-evaluated at these parameter values.

        Raises :class:`SimError` if a formula cannot be evaluated or the probabilities of a
        chance node are not a distribution (each in [0, 1], summing to 1).
        """
        nodes = list(self.nodes)
        for index, expressions in self.payoff_expressions.items():
            nodes[index] = replace(
                nodes[index], payoffs=self._values(index, expressions, values, "payoff")
            )
        for index, expressions in self.probability_expressions.items():
            probabilities = self._values(index, expressions, values, "probability")
            problem = distribution_problem(probabilities)
            if problem:
                raise SimError(f"chance node {self.nodes[index].name!r}: {problem}")
            nodes[index] = replace(nodes[index], probabilities=probabilities)
        return replace(self, nodes=tuple(nodes))

    def _values(
        self, index: int, expressions: Sequence[Expression], values: Mapping[str, Value], what: str
    ) -> tuple[Value, ...]:
        out = []
        for expression in expressions:
            try:
                out.append(evaluate(expression, values))
            except ExpressionError as err:
                raise SimError(
                    f"{what} at node {self.nodes[index].name!r} ({expression.text}): {err.message}"
                ) from err
        return tuple(out)

    # ----------------------------------------------------------------- strategies
    def strategy_count(self, player: int) -> int:
        """The number of the player's reduced pure strategies, counted without listing them.

        With perfect recall the player's information sets form a forest: a set hangs under
        the last (set, move) of its own history. A set offers, for each move, the product of
        the counts of the sets hanging under that move; the player's count is the product
        over the sets with an empty own history.
        """
        sets = self.player_sets(player)
        below: dict[tuple[int, int], list[int]] = {}
        roots = []
        for info in sets:
            history = self.information_sets[info].history
            if history:
                below.setdefault(history[-1], []).append(info)
            else:
                roots.append(info)
        count: dict[int, int] = {}
        for info in reversed(sets):  # a set comes after the sets of its own history
            count[info] = sum(
                prod(count[c] for c in below.get((info, m), ()))
                for m in range(len(self.information_sets[info].moves))
            )
        return prod(count[r] for r in roots)

    def strategies(self, player: int) -> tuple[Strategy, ...]:
        """The player's reduced pure strategies, in lexicographic order of their moves.

        Raises :class:`SimError` beyond :data:`MAX_STRATEGIES` (counted before listing).
        """
        total = self.strategy_count(player)
        if total > MAX_STRATEGIES:
            raise SimError(
                f"{self.players[player]} has {total} reduced strategies, over the limit of "
                f"{MAX_STRATEGIES}; the strategic form is too large (merge moves or split "
                "the tree)"
            )
        sets = self.player_sets(player)
        position = {info: k for k, info in enumerate(sets)}
        # A set is reached by the player's own moves when the set above it is and the move
        # taken there leads to it (perfect recall makes that one step enough).
        parent = [
            (position[h[-1][0]], h[-1][1]) if (h := self.information_sets[info].history) else None
            for info in sets
        ]
        partial: list[list[int | None]] = [[]]
        for k, info in enumerate(sets):
            up = parent[k]
            moves = range(len(self.information_sets[info].moves))
            grown: list[list[int | None]] = []
            for choices in partial:
                if up is None or choices[up[0]] == up[1]:
                    grown.extend([*choices, m] for m in moves)
                else:
                    grown.append([*choices, None])
            partial = grown
        texts = {info: self.set_text(info) for info in sets}
        return tuple(self._strategy(player, sets, tuple(c), texts) for c in partial)

    def _strategy(
        self,
        player: int,
        sets: Sequence[int],
        choices: tuple[int | None, ...],
        texts: Mapping[int, str],
    ) -> Strategy:
        chosen = [(info, m) for info, m in zip(sets, choices, strict=True) if m is not None]
        name = "/".join(self.information_sets[info].moves[m] for info, m in chosen)
        if len(chosen) <= 1:
            description = name
        else:
            description = "; ".join(
                f"{texts[info]}: {self.information_sets[info].moves[m]}" for info, m in chosen
            )
        return Strategy(player, choices, name or "(no move)", description)

    def behaviour(self, strategies: Sequence[Strategy]) -> Behaviour:
        """The behaviour profile of one reduced strategy per player."""
        out: list[tuple[Value, ...] | None] = [None] * len(self.information_sets)
        for strategy in strategies:
            for info, move in zip(self.player_sets(strategy.player), strategy.choices, strict=True):
                if move is not None:
                    k = len(self.information_sets[info].moves)
                    out[info] = tuple(Fraction(int(j == move)) for j in range(k))
        return tuple(out)

    def mixed_behaviour(
        self, strategies: Sequence[Sequence[Strategy]], mixed: Sequence[Sequence[Value]]
    ) -> Behaviour:
        """The behaviour profile of mixed strategies over reduced strategies.

        ``mixed[i][k]`` is the probability of ``strategies[i][k]``. At each information set
        the move probabilities are conditional on the player's own strategy leading there
        (Kuhn's theorem); ``None`` where it never does.
        """
        out: list[tuple[Value, ...] | None] = [None] * len(self.information_sets)
        for player, own in enumerate(strategies):
            for k, info in enumerate(self.player_sets(player)):
                weights: list[Value] = [Fraction(0)] * len(self.information_sets[info].moves)
                for strategy, p in zip(own, mixed[player], strict=True):
                    choice = strategy.choices[k]
                    if choice is not None and p:
                        weights[choice] += p
                total = sum(weights, Fraction(0))
                if total:
                    out[info] = tuple(w / total for w in weights)
        return tuple(out)

    def reach(self, behaviour: Behaviour) -> tuple[Value, ...]:
        """Probability of reaching each node under a behaviour profile.

        A move at a set where the behaviour is ``None`` is taken with probability 0 (such
        sets are unreachable when the behaviour comes from strategies).
        """
        out: list[Value] = [Fraction(0)] * len(self.nodes)
        out[0] = Fraction(1)
        for index, node in enumerate(self.nodes):
            if node.kind == "terminal" or out[index] == 0:
                continue
            if node.kind == "chance":
                weights = node.probabilities
            else:
                local = behaviour[node.information_set or 0]
                weights = local if local is not None else (Fraction(0),) * len(node.moves)
            for child, weight in zip(node.children, weights, strict=True):
                out[child] = out[index] * weight
        return tuple(out)

    def expected_payoffs(self, behaviour: Behaviour) -> tuple[Value, ...]:
        """Each player's expected payoff under a behaviour profile."""
        reach = self.reach(behaviour)
        totals: list[Value] = [Fraction(0)] * len(self.players)
        for t in self.terminals:
            if reach[t]:
                for i, v in enumerate(self.nodes[t].payoffs):
                    totals[i] += reach[t] * v
        return tuple(totals)

    # ----------------------------------------------------------------- strategic form
    def strategic_form(self, title: str = "") -> tuple[Game, tuple[tuple[Strategy, ...], ...]]:
        """The reduced strategic form: a game whose moves are the reduced strategies.

        Payoffs are expected values over chance, exact when the tree's numbers are. A
        player with no decision node gets the single strategy ``(no move)``. Raises
        :class:`SimError` beyond :data:`MAX_PROFILES` profiles.
        """
        counts = [self.strategy_count(i) for i in range(len(self.players))]
        size = prod(counts)
        if size > MAX_PROFILES or size * len(self.nodes) > MAX_WORK:
            shown = " × ".join(str(c) for c in counts)
            raise SimError(
                f"the strategic form has {shown} = {size} profiles of a {len(self.nodes)}-node "
                f"tree, too large to build (limits: {MAX_PROFILES} profiles, {MAX_WORK} "
                "profile-nodes); simplify or split the tree, or, for a file you trust, raise "
                "the limits with SIM_MAX_TREE_PROFILES and SIM_MAX_TREE_WORK"
            )
        strategies = tuple(self.strategies(i) for i in range(len(self.players)))
        shape = tuple(len(s) for s in strategies)
        table = []
        for profile in itertools.product(*strategies):
            table.append(list(self.expected_payoffs(self.behaviour(profile))))
        payoffs = _reshape(table, shape)
        moves = tuple(tuple(s.name for s in own) for own in strategies)
        game = Game.from_payoffs(payoffs, players=self.players, moves=moves, title=title)
        return game, strategies

    def payoff_formulas(self, strategies: Sequence[Strategy]) -> tuple[str, ...]:
        """Each player's expected payoff at a profile of strategies, as formula text.

        The sum over the terminals the profile reaches of the product of the chance
        probabilities on the way times the terminal's payoff formula.
        """
        behaviour = self.behaviour(strategies)
        reach: dict[int, list[str]] = {0: []}
        for index, node in enumerate(self.nodes):
            if index not in reach or node.kind == "terminal":
                continue
            if node.kind == "chance":
                texts = self._probability_texts(index)
                for child, text in zip(node.children, texts, strict=True):
                    if text not in ("0", "0.0"):
                        reach[child] = [*reach[index], text]
            else:
                local = behaviour[node.information_set or 0]
                for child, weight in zip(node.children, local or (), strict=True):
                    if weight:
                        reach[child] = reach[index]
        out = []
        for player in range(len(self.players)):
            terms = []
            for t in self.terminals:
                if t not in reach:
                    continue
                payoff = self._payoff_text(t, player)
                if reach[t] and payoff in ("0", "0.0"):
                    continue  # a zero payoff adds nothing to the expected value
                factors = [*reach[t], payoff]
                terms.append(" * ".join(_wrapped(f) for f in factors) if reach[t] else payoff)
            out.append(" + ".join(_wrapped(t) if len(terms) > 1 else t for t in terms) or "0")
        return tuple(out)

    def _payoff_text(self, terminal: int, player: int) -> str:
        expressions = self.payoff_expressions.get(terminal)
        if expressions is not None:
            return expressions[player].text
        return _number_text(self.nodes[terminal].payoffs[player])

    def _probability_texts(self, chance: int) -> tuple[str, ...]:
        expressions = self.probability_expressions.get(chance)
        if expressions is not None:
            return tuple(e.text for e in expressions)
        return tuple(_number_text(p) for p in self.nodes[chance].probabilities)

    def to_dict(self) -> dict[str, Any]:
        """The tree as JSON-ready data: nodes with their kind, moves, children and values."""
        return {
            "players": list(self.players),
            "perfect_information": self.perfect_information,
            "nodes": [
                {
                    "name": n.name,
                    "kind": n.kind,
                    **({"player": self.players[n.player]} if n.player is not None else {}),
                    **({"moves": list(n.moves), "children": list(n.children)} if n.moves else {}),
                    **(
                        {"probabilities": [_json_value(p) for p in n.probabilities]}
                        if n.probabilities
                        else {}
                    ),
                    **({"payoffs": [_json_value(v) for v in n.payoffs]} if n.payoffs else {}),
                    **(
                        {"information_set": self.information_sets[n.information_set].name}
                        if n.information_set is not None
                        else {}
                    ),
                }
                for n in self.nodes
            ],
        }


def distribution_problem(probabilities: Sequence[Value]) -> str | None:
    """What is wrong with these chance probabilities, or None if they are a distribution.

    Exact probabilities must sum to exactly 1; float ones within the project tolerance.

    >>> distribution_problem([Fraction(1, 3), Fraction(2, 3)]) is None
    True
    >>> distribution_problem([Fraction(1, 2), Fraction(1, 4)])
    'probabilities sum to 3/4, not 1; make them add up to 1'
    """
    from sim.certificate import compare

    for p in probabilities:
        if compare(p, 0) < 0 or compare(p, 1) > 0:
            return f"probability {value_text(p)} is outside [0, 1]"
    total = sum(probabilities, Fraction(0))
    if compare(total, 1) != 0:
        return f"probabilities sum to {value_text(total)}, not 1; make them add up to 1"
    return None


def _json_value(value: Value) -> Any:
    return str(value) if isinstance(value, Fraction) else float(value)


def _number_text(value: Value) -> str:
    return str(value) if isinstance(value, Fraction) else repr(float(value))


def _wrapped(text: str) -> str:
    """``text`` in parentheses unless it is a plain name or number."""
    plain = text.replace("_", "").replace(".", "").replace("/", "").isalnum()
    return text if plain and "/" not in text else f"({text})"


def _reshape(table: list[list[Value]], shape: tuple[int, ...]) -> Any:
    def build(level: int, offset: int) -> Any:
        if level == len(shape):
            return table[offset]
        stride = prod(shape[level + 1 :])
        return [build(level + 1, offset + k * stride) for k in range(shape[level])]

    return build(0, 0)
