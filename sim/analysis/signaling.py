"""Signaling games: separating, pooling and semi-separating equilibria, and their beliefs.

A *simple signaling tree* is the tree shape of the textbook signaling game (Fudenberg &
Tirole, *Game Theory*, 1991, ch. 8.2):

1. chance draws the *sender*'s type from a prior (the root is a chance node);
2. the sender, who knows its type, sends a message (one decision node per type, each its
   own information set, with the same messages at each);
3. the *receiver* sees the message but not the type (after each message, its nodes for
   all types form one information set) and responds; the game then ends.

:func:`signaling` recognises that shape and reads every Nash equilibrium of the tree's
strategic form (these are its Bayesian Nash equilibria) as a signaling equilibrium:

* what each type sends (Kuhn's behaviour strategies, :meth:`sim.tree.Tree.mixed_behaviour`);
* its class: *separating* when no message is sent by two types (the message reveals the
  type), *pooling* when every type sends the same messages with the same probabilities
  (the message reveals nothing), *semi-separating* otherwise;
* the receiver's posterior after each message sent, by Bayes' rule;
* whether it is a (weak) *perfect Bayesian equilibrium*: after a message no type sends, the
  receiver's response must be a best response to *some* belief. That is a small linear
  program, solved exactly; an example belief is reported. (After messages that are sent,
  a Nash equilibrium already makes the response a best response to the posterior.)

>>> from fractions import Fraction as F
>>> from sim.tree import Node, Tree
>>> def end(s, r):
...     return Node("end", payoffs=(F(s), F(r)))
>>> tree = Tree.build(
...     ("Sender", "Receiver"),
...     [
...         Node("type", moves=("high", "low"), children=(1, 2), probabilities=(F(1, 2), F(1, 2))),
...         Node("h", player=0, moves=("talk", "quiet"), children=(3, 4)),
...         Node("l", player=0, moves=("talk", "quiet"), children=(5, 6)),
...         Node("h_talk", player=1, moves=("trust", "doubt"), children=(7, 8)),
...         Node("h_quiet", player=1, moves=("trust", "doubt"), children=(9, 10)),
...         Node("l_talk", player=1, moves=("trust", "doubt"), children=(11, 12)),
...         Node("l_quiet", player=1, moves=("trust", "doubt"), children=(13, 14)),
...         end(2, 1), end(0, 0), end(1, 1), end(0, 0),
...         end(-1, -1), end(0, 0), end(1, -1), end(0, 0),
...     ],
...     {"after_talk": [3, 5], "after_quiet": [4, 6]},
... )
>>> result = signaling(tree)
>>> [(e.kind, e.perfect_bayesian) for e in result.equilibria][:2]
[('pooling', True), ('separating', True)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sim.certificate import rationalise
from sim.game import Game, Value, exact_text, value_text
from sim.solvers import Solution, solve
from sim.solvers.simplex import maximise
from sim.tree import Behaviour, Strategy, Tree

__all__ = ["Signaling", "SignalingEquilibrium", "signaling", "signaling_shape"]


@dataclass(frozen=True)
class SignalingShape:
    """Where the parts of a simple signaling tree are (see the module docstring).

    ``types`` are the root's outcomes with their ``prior``; ``senders[t]`` is the sender's
    node for type ``t``; ``receiver_sets[m]`` the receiver's information set after message
    ``m``; ``receiver_nodes[t][m]`` the receiver's node after type ``t`` sent ``m``.
    """

    sender: int
    receiver: int
    types: tuple[str, ...]
    prior: tuple[Value, ...]
    messages: tuple[str, ...]
    responses: tuple[str, ...]
    senders: tuple[int, ...]
    receiver_sets: tuple[int, ...]
    receiver_nodes: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class SignalingEquilibrium:
    """One equilibrium read as a signaling equilibrium.

    ``sends[t][m]`` is the probability type ``t`` sends message ``m``; ``posteriors[m]``
    the receiver's belief over types after ``m`` (``None`` when no type sends it);
    ``responds[m][a]`` the probability of response ``a`` after ``m``; ``beliefs[m]`` for an
    unsent message a belief that justifies the response (``None`` if none does, or the
    message is sent).
    """

    equilibrium: int
    kind: str
    sends: tuple[tuple[Value, ...], ...]
    posteriors: tuple[tuple[Value, ...] | None, ...]
    responds: tuple[tuple[Value, ...], ...]
    beliefs: tuple[tuple[Value, ...] | None, ...]
    perfect_bayesian: bool
    payoffs: tuple[Value, ...]


@dataclass(frozen=True)
class Signaling:
    """The signaling equilibria of a simple signaling tree (one per Nash equilibrium)."""

    tree: Tree
    shape: SignalingShape
    equilibria: tuple[SignalingEquilibrium, ...]

    def sentences(self) -> tuple[str, ...]:
        """Each equilibrium's class, posteriors and belief check, in plain language."""
        tree, shape = self.tree, self.shape
        sender, receiver = tree.players[shape.sender], tree.players[shape.receiver]
        prior = ", ".join(
            f"P({t}) = {value_text(p)}" for t, p in zip(shape.types, shape.prior, strict=True)
        )
        out = [
            f"This is a signaling game: chance picks {sender}'s type ({prior}); {sender} "
            f"knows it and sends one of {', '.join(shape.messages)}; {receiver} sees the "
            "message but not the type. Its Bayesian Nash equilibria are the Nash equilibria "
            "of the strategic form."
        ]
        groups: dict[tuple, list[SignalingEquilibrium]] = {}
        for eq in self.equilibria:
            on_path = tuple(
                eq.responds[m] if eq.posteriors[m] is not None else None
                for m in range(len(shape.messages))
            )
            groups.setdefault((eq.sends, on_path), []).append(eq)
        if len(groups) < len(self.equilibria):
            out.append(
                f"The {len(self.equilibria)} extreme equilibria give {len(groups)} different "
                "patterns of play; within a pattern they differ only in how "
                f"{receiver} would answer messages that are never sent."
            )
        for members in groups.values():
            eq = members[0]
            labels = ", ".join(f"NE{e.equilibrium + 1}" for e in members)
            parts = [
                f"type {shape.types[t]} sends {_mix(shape.messages, row)}"
                for t, row in enumerate(eq.sends)
            ]
            text = (
                f"{labels}: {_article(eq.kind)} {eq.kind} equilibrium. "
                + _capital("; ".join(parts))
                + "."
            )
            unsent = []
            for m, message in enumerate(shape.messages):
                posterior = eq.posteriors[m]
                if posterior is None:
                    unsent.append(message)
                    continue
                belief = ", ".join(
                    f"P({t}) = {value_text(p)}" for t, p in zip(shape.types, posterior, strict=True)
                )
                response = _mix(shape.responses, eq.responds[m])
                text += f" After {message}, {receiver} believes {belief} and plays {response}."
            perfect = sum(1 for e in members if e.perfect_bayesian)
            if unsent:
                text += (
                    f" {' and '.join(unsent)} {'is' if len(unsent) == 1 else 'are'} never sent; "
                )
                if perfect == len(members):
                    example = next(b for b in eq.beliefs if b is not None)
                    belief = ", ".join(
                        f"P({t}) = {value_text(p)}"
                        for t, p in zip(shape.types, example, strict=True)
                    )
                    text += (
                        f"{receiver}'s answers there are justified by beliefs (e.g. {belief}), "
                        "so "
                        + ("it is" if len(members) == 1 else "each is")
                        + " a perfect Bayesian equilibrium."
                    )
                elif perfect:
                    which = (
                        "is a perfect Bayesian equilibrium"
                        if perfect == 1
                        else "are perfect Bayesian equilibria"
                    )
                    text += (
                        f"{perfect} of these {len(members)} {which}; in the others no belief "
                        f"justifies {receiver}'s answer, so they are not perfect Bayesian."
                    )
                else:
                    text += (
                        f"no belief justifies {receiver}'s answer there, so this is a Nash "
                        "equilibrium but not a perfect Bayesian equilibrium."
                    )
            else:
                text += " Every message is sent, so it is a perfect Bayesian equilibrium."
            out.append(text)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the shape and each equilibrium's class, messages and beliefs."""
        shape = self.shape

        def dist(names: Sequence[str], row: Sequence[Value] | None) -> Any:
            if row is None:
                return None
            return {n: float(p) for n, p in zip(names, row, strict=True) if p}

        def exact(names: Sequence[str], row: Sequence[Value] | None) -> Any:
            if row is None:
                return None
            texts = {n: exact_text(p) for n, p in zip(names, row, strict=True) if p}
            return None if None in texts.values() else texts

        return {
            "sender": self.tree.players[shape.sender],
            "receiver": self.tree.players[shape.receiver],
            "types": dict(zip(shape.types, (float(p) for p in shape.prior), strict=True)),
            "messages": list(shape.messages),
            "equilibria": [
                {
                    "equilibrium": eq.equilibrium + 1,
                    "kind": eq.kind,
                    "perfect_bayesian": eq.perfect_bayesian,
                    "sends": {
                        t: dist(shape.messages, row)
                        for t, row in zip(shape.types, eq.sends, strict=True)
                    },
                    "exact_sends": {
                        t: exact(shape.messages, row)
                        for t, row in zip(shape.types, eq.sends, strict=True)
                    },
                    "posteriors": {
                        m: dist(shape.types, eq.posteriors[k]) for k, m in enumerate(shape.messages)
                    },
                    "responds": {
                        m: dist(shape.responses, eq.responds[k])
                        for k, m in enumerate(shape.messages)
                    },
                    "off_path_beliefs": {
                        m: dist(shape.types, eq.beliefs[k])
                        for k, m in enumerate(shape.messages)
                        if eq.posteriors[k] is None
                    },
                    "payoffs": [float(v) for v in eq.payoffs],
                }
                for eq in self.equilibria
            ],
            "sentences": list(self.sentences()),
        }


def signaling_shape(tree: Tree) -> SignalingShape | None:
    """The parts of a simple signaling tree, or None if the tree does not have that shape."""
    nodes = tree.nodes
    root = nodes[0]
    if root.kind != "chance" or len(root.children) < 2:
        return None
    senders = root.children
    first = nodes[senders[0]]
    if first.player is None:
        return None
    sender = first.player
    for s in senders:
        node = nodes[s]
        own_set = tree.information_sets[node.information_set or 0]
        if node.player != sender or node.moves != first.moves or len(own_set.nodes) != 1:
            return None
    receiver_nodes = []
    receiver: int | None = None
    responses: tuple[str, ...] | None = None
    for s in senders:
        row = []
        for r in nodes[s].children:
            node = nodes[r]
            if node.player is None or node.player == sender:
                return None
            receiver = node.player if receiver is None else receiver
            responses = node.moves if responses is None else responses
            if node.player != receiver or node.moves != responses:
                return None
            if any(nodes[c].kind != "terminal" for c in node.children):
                return None
            row.append(r)
        receiver_nodes.append(tuple(row))
    sets = []
    for m in range(len(first.moves)):
        group = {nodes[row[m]].information_set for row in receiver_nodes}
        if len(group) != 1:
            return None
        info = group.pop()
        expected = {row[m] for row in receiver_nodes}
        if info is None or set(tree.information_sets[info].nodes) != expected:
            return None
        sets.append(info)
    if receiver is None or responses is None:
        return None
    return SignalingShape(
        sender,
        receiver,
        root.moves,
        root.probabilities,
        first.moves,
        responses,
        senders,
        tuple(sets),
        tuple(receiver_nodes),
    )


def signaling(
    tree: Tree,
    game: Game | None = None,
    strategies: Sequence[Sequence[Strategy]] | None = None,
    solution: Solution | None = None,
) -> Signaling | None:
    """The signaling equilibria of a simple signaling tree, or None for other trees.

    Parameters
    ----------
    tree : Tree
    game, strategies : optional
        Its reduced strategic form (computed when not given).
    solution : Solution, optional
        The strategic form's equilibria (solved when not given).
    """
    shape = signaling_shape(tree)
    if shape is None:
        return None
    if game is None or strategies is None:
        game, strategies = tree.strategic_form()
    if solution is None:
        solution = solve(game)
    out = []
    for k, eq in enumerate(solution.equilibria):
        behaviour = tree.mixed_behaviour(strategies, eq.strategies)
        out.append(_classify(tree, shape, behaviour, k, eq.payoffs))
    return Signaling(tree, shape, tuple(out))


def _classify(
    tree: Tree, shape: SignalingShape, behaviour: Behaviour, index: int, payoffs: tuple[Value, ...]
) -> SignalingEquilibrium:
    n_messages = len(shape.messages)
    zero: Value = Fraction(0)
    sends = tuple(
        behaviour[tree.nodes[s].information_set or 0] or (zero,) * n_messages for s in shape.senders
    )
    responds = tuple(
        behaviour[info] or (zero,) * len(shape.responses) for info in shape.receiver_sets
    )
    posteriors: list[tuple[Value, ...] | None] = []
    beliefs: list[tuple[Value, ...] | None] = []
    perfect = True
    for m in range(n_messages):
        weights = [p * row[m] for p, row in zip(shape.prior, sends, strict=True)]
        total = sum(weights, zero)
        if total:
            posteriors.append(tuple(w / total for w in weights))
            beliefs.append(None)
            continue
        posteriors.append(None)
        belief = _justifying_belief(tree, shape, m, responds[m])
        beliefs.append(belief)
        perfect = perfect and belief is not None
    supports = [frozenset(j for j, p in enumerate(row) if p) for row in sends]
    if all(row == sends[0] for row in sends):
        kind = "pooling"
    elif all(not (a & b) for i, a in enumerate(supports) for b in supports[i + 1 :]):
        kind = "separating"
    else:
        kind = "semi-separating"
    return SignalingEquilibrium(
        index, kind, sends, tuple(posteriors), responds, tuple(beliefs), perfect, payoffs
    )


def _justifying_belief(
    tree: Tree, shape: SignalingShape, message: int, response: Sequence[Value]
) -> tuple[Value, ...] | None:
    """A belief over types making every response played after ``message`` a best response.

    Maximise ``sum(mu)`` over ``mu >= 0`` with ``sum(mu) <= 1`` and, for each response
    ``a`` played and every response ``b``, ``sum_t mu_t (u(b, t) - u(a, t)) <= 0``: the
    constraints are homogeneous, so a belief exists exactly when the optimum is 1.
    """
    utility = [
        [
            rationalise(tree.nodes[c].payoffs[shape.receiver])
            for c in tree.nodes[row[message]].children
        ]
        for row in shape.receiver_nodes
    ]
    played = [a for a, p in enumerate(response) if p]
    rows = []
    for a in played:
        for b in range(len(shape.responses)):
            if b != a:
                rows.append([utility[t][b] - utility[t][a] for t in range(len(shape.types))])
    rows.append([Fraction(1)] * len(shape.types))
    rhs = [Fraction(0)] * (len(rows) - 1) + [Fraction(1)]
    result = maximise([1] * len(shape.types), rows, rhs, then=[[1] + [0] * (len(shape.types) - 1)])
    if result.value != 1:
        return None
    return tuple(result.point)


def _mix(names: Sequence[str], row: Sequence[Value]) -> str:
    support = [(n, p) for n, p in zip(names, row, strict=True) if p]
    if len(support) == 1:
        return support[0][0]
    return " + ".join(f"{value_text(p)} {n}" for n, p in support) or "nothing"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
