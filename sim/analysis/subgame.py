"""Subgame perfection in game trees: backward induction with every tie-break, and threats.

A *subgame-perfect equilibrium* (SPE; Selten 1965) prescribes optimal play at every node,
on and off the path actually played. In a tree with perfect information (every
information set one node) the pure SPE are exactly what backward induction finds
(Osborne & Rubinstein, *A Course in Game Theory*, 1994, prop. 99.2): from the ends
towards the root, each player picks a move with the highest value, chance nodes take
expected values. When a player is indifferent between moves, each of them starts its own
SPE, and the choice may change what earlier players do, so :func:`subgame_perfect` keeps
every tie-break, not one picked arbitrarily.

Method, in steps:

1. Visit the nodes children first. A terminal has one continuation, its payoffs.
2. A chance node combines one continuation per outcome (every combination) and takes the
   expected payoffs.
3. A decision node combines one continuation per move (every combination), values each
   move by its continuation, and keeps each best move (all of them on ties, compared with
   the project tolerance).
4. The root's continuations are the SPE. Each is mapped to its profile of reduced
   strategies in the strategic form (:meth:`sim.tree.Tree.strategic_form`).

Credibility: every Nash equilibrium of the strategic form is checked for subgame
perfection (:class:`Credibility`). Its behaviour is derived at each information set it
reaches; where a player's own strategy never leads, the behaviour is completed by
backward induction. A node where a move played with positive probability is worth less
to the mover than another move is a *non-credible threat*: the equilibrium relies on
the player doing something there that it would not do if the node were reached. The one
closest to the root is reported.

>>> from fractions import Fraction as F
>>> from sim.tree import Node, Tree
>>> entry = Tree.build(
...     ("Entrant", "Incumbent"),
...     [
...         Node("start", player=0, moves=("stay_out", "enter"), children=(1, 2)),
...         Node("out", payoffs=(F(0), F(2))),
...         Node("entered", player=1, moves=("fight", "accommodate"), children=(3, 4)),
...         Node("fight", payoffs=(F(-1), F(-1))),
...         Node("accommodate", payoffs=(F(1), F(1))),
...     ],
... )
>>> result = subgame_perfect(entry)
>>> [entry.nodes[n].name for n in result.equilibria[0].path]
['start', 'entered', 'accommodate']
>>> [(c.subgame_perfect, c.threat.node if c.threat else None) for c in result.checks]
[(False, 2), (False, 2), (True, None)]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from sim.certificate import compare
from sim.errors import SimError
from sim.game import Game, Value, exact_text, value_text
from sim.solvers import Solution, solve
from sim.solvers.batch import MARGIN
from sim.tree import Behaviour, Strategy, Tree
from sim.wording import strategy_text

__all__ = [
    "MAX_EQUILIBRIA",
    "BatchOutcomes",
    "Credibility",
    "SubgamePerfect",
    "SubgamePerfectEquilibrium",
    "Threat",
    "outcome_label",
    "spe_outcomes",
    "spe_plays",
    "subgame_perfect",
    "subgame_perfect_batch",
    "terminal_text",
]

MAX_EQUILIBRIA = 1_000
"""Most subgame-perfect equilibria listed (ties multiply them); beyond, the list is cut."""


@dataclass(frozen=True)
class SubgamePerfectEquilibrium:
    """One pure subgame-perfect equilibrium.

    ``choices[n]`` is the move index taken at decision node ``n`` (``None`` at chance and
    terminal nodes); ``payoffs`` the expected payoffs; ``profile`` the index of each
    player's reduced strategy in the strategic form; ``path`` the nodes reached with
    positive probability, in order; ``ties`` the decision nodes where the mover had more
    than one best move.
    """

    choices: tuple[int | None, ...]
    payoffs: tuple[Value, ...]
    profile: tuple[int, ...]
    path: tuple[int, ...]
    ties: tuple[int, ...]


@dataclass(frozen=True)
class Threat:
    """A move a player is to make at a node it would not make if the node were reached.

    At ``node`` the ``player`` plays ``move`` with ``probability`` (positive), but
    ``better`` pays it ``gain`` more. ``kind`` says what the move does to the other
    players compared with ``better``: ``"threat"`` (no one better off, someone worse),
    ``"promise"`` (no one worse off, someone better) or ``"plan"`` (mixed or no effect).
    """

    node: int
    player: int
    move: int
    better: int
    gain: Value
    probability: Value = Fraction(1)
    kind: str = "threat"


@dataclass(frozen=True)
class Credibility:
    """Whether Nash equilibrium ``equilibrium`` (its index) of the strategic form is an SPE.

    ``subgame_perfect`` is ``None`` when that depends on how players who are indifferent
    would mix off the path (rare, tie-heavy trees). ``threat`` is the non-credible threat
    closest to the root when it is not subgame perfect.
    """

    equilibrium: int
    subgame_perfect: bool | None
    threat: Threat | None = None


@dataclass(frozen=True)
class SubgamePerfect:
    """Every pure SPE of a perfect-information tree and the credibility of each Nash equilibrium.

    ``complete`` is False when ties produced more than :data:`MAX_EQUILIBRIA` equilibria
    and the list was cut. ``checks`` has one entry per equilibrium of ``solution``.
    """

    tree: Tree
    game: Game
    strategies: tuple[tuple[Strategy, ...], ...]
    equilibria: tuple[SubgamePerfectEquilibrium, ...]
    complete: bool
    solution: Solution
    checks: tuple[Credibility, ...]

    def outcomes(self) -> tuple[tuple[int, ...], ...]:
        """The distinct sets of terminal nodes reached, one per group of equilibria."""
        seen: dict[tuple[int, ...], None] = {}
        for eq in self.equilibria:
            seen.setdefault(tuple(n for n in eq.path if self.tree.nodes[n].kind == "terminal"))
        return tuple(seen)

    def plan_text(self, eq: SubgamePerfectEquilibrium) -> list[str]:
        """What each mover does at each decision node, in words, path first."""
        lines = []
        on_path = set(eq.path)
        for node_index in sorted(
            (n for n, c in enumerate(eq.choices) if c is not None),
            key=lambda n: (n not in on_path, n),
        ):
            node = self.tree.nodes[node_index]
            choice = eq.choices[node_index]
            assert node.player is not None and choice is not None
            where = self.tree.history_text(node_index)
            tie = " (indifferent)" if node_index in eq.ties else ""
            off = "" if node_index in on_path else " [off the path]"
            lines.append(
                f"{where}, {self.tree.players[node.player]} plays {node.moves[choice]}{tie}{off}"
            )
        return lines

    def threat_text(self, threat: Threat) -> str:
        """A non-credible threat (or promise) in words."""
        node = self.tree.nodes[threat.node]
        mover = self.tree.players[threat.player]
        verb = {"threat": "threatens", "promise": "promises"}.get(threat.kind, "plans")
        move = node.moves[threat.move]
        if threat.probability != 1:
            move = f"{move} (with probability {value_text(threat.probability)})"
        return (
            f"{mover} {verb} {move} {self.tree.history_text(threat.node)}, "
            f"but at that node {node.moves[threat.better]} pays it "
            f"{value_text(threat.gain)} more"
        )

    def sentences(self) -> tuple[str, ...]:
        """The subgame-perfect equilibria and the non-credible threats, in plain language."""
        tree = self.tree
        out = []
        count = len(self.equilibria)
        cut = "" if self.complete else f" (listing the first {count}; ties make more)"
        if count == 1:
            out.append(f"Backward induction gives one subgame-perfect equilibrium{cut}.")
        else:
            out.append(
                f"Backward induction gives {count} subgame-perfect equilibria{cut}: players "
                "are indifferent at some nodes and each tie-break is an equilibrium."
            )
        for k, eq in enumerate(self.equilibria[:10]):
            ends = [terminal_text(tree, n) for n in eq.path if tree.nodes[n].kind == "terminal"]
            named = [e for e in ends if e]
            payoffs = ", ".join(value_text(v) for v in eq.payoffs)
            label = f"SPE{k + 1}" if count > 1 else "The SPE"
            path_moves = [
                tree.nodes[n].moves[eq.choices[n] or 0]
                for n in eq.path
                if eq.choices[n] is not None
            ]
            ending = f", ending at {' or '.join(named)}" if len(named) == len(ends) else ""
            expected = "expected payoffs" if len(ends) > 1 else "payoffs"
            out.append(
                f"{label}: play goes {' → '.join(path_moves) or '(chance only)'}{ending}, "
                f"with {expected} ({payoffs}). " + _capital("; ".join(self.plan_text(eq))) + "."
            )
        if count > 10:
            out.append(f"({count - 10} more subgame-perfect equilibria are in results.json.)")
        for check in self.checks:
            nash = self.solution.equilibria[check.equilibrium]
            name = _profile_text(self.game, nash.strategies)
            if check.subgame_perfect is False and check.threat is not None:
                out.append(
                    f"NE{check.equilibrium + 1} {name} is a Nash equilibrium but not subgame "
                    f"perfect: {self.threat_text(check.threat)}. The {check.threat.kind} is "
                    "not credible."
                )
            elif check.subgame_perfect is None:
                out.append(
                    f"NE{check.equilibrium + 1} {name}: subgame perfection depends on how "
                    "indifferent players would mix off the path."
                )
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the equilibria (plan, path, payoffs) and the credibility checks."""
        tree = self.tree

        def plan(eq: SubgamePerfectEquilibrium) -> list[dict[str, Any]]:
            return [
                {
                    "node": tree.nodes[n].name,
                    "after": [tree.nodes[a].moves[m] for a, m in tree.path(n)],
                    "player": tree.players[tree.nodes[n].player or 0],
                    "move": tree.nodes[n].moves[c],
                    "on_path": n in eq.path,
                    "tie": n in eq.ties,
                }
                for n, c in enumerate(eq.choices)
                if c is not None
            ]

        return {
            "complete": self.complete,
            "equilibria": [
                {
                    "strategies": [self.strategies[i][s].name for i, s in enumerate(eq.profile)],
                    "payoffs": [float(v) for v in eq.payoffs],
                    "exact_payoffs": _exact(eq.payoffs),
                    "path": [tree.nodes[n].name for n in eq.path],
                    "plan": plan(eq),
                }
                for eq in self.equilibria
            ],
            "nash_equilibria": [
                {
                    "equilibrium": c.equilibrium + 1,
                    "subgame_perfect": c.subgame_perfect,
                    "threat": None
                    if c.threat is None
                    else {
                        "node": tree.nodes[c.threat.node].name,
                        "after": [tree.nodes[a].moves[m] for a, m in tree.path(c.threat.node)],
                        "player": tree.players[c.threat.player],
                        "move": tree.nodes[c.threat.node].moves[c.threat.move],
                        "better": tree.nodes[c.threat.node].moves[c.threat.better],
                        "gain": float(c.threat.gain),
                        "exact_gain": exact_text(c.threat.gain),
                        "kind": c.threat.kind,
                        "probability": float(c.threat.probability),
                        "text": self.threat_text(c.threat),
                    },
                }
                for c in self.checks
            ],
            "sentences": list(self.sentences()),
        }


def subgame_perfect(
    tree: Tree,
    game: Game | None = None,
    strategies: Sequence[Sequence[Strategy]] | None = None,
    solution: Solution | None = None,
) -> SubgamePerfect:
    """Every pure subgame-perfect equilibrium of a perfect-information tree, by backward induction.

    Parameters
    ----------
    tree : Tree
        A tree with perfect information (each information set a single node).
    game, strategies : optional
        Its reduced strategic form, as :meth:`Tree.strategic_form` returns (computed when
        not given; pass ``scenario.game`` and ``scenario.strategies`` to reuse them).
    solution : Solution, optional
        The strategic form's equilibria (:func:`sim.solvers.solve`), each checked for
        credibility; solved when not given.

    Returns
    -------
    SubgamePerfect

    Raises
    ------
    SimError
        If the tree has imperfect information.
    """
    if not tree.perfect_information:
        names = [s.name for s in tree.information_sets if len(s.nodes) > 1]
        raise SimError(
            "backward induction needs perfect information; information sets "
            f"{', '.join(names)} join several nodes. Use the Nash equilibria of the strategic "
            "form instead (and, for signaling trees, sim.analysis.signaling)"
        )
    if game is None or strategies is None:
        game, strategies = tree.strategic_form()
    strategies = tuple(tuple(s) for s in strategies)
    if solution is None:
        solution = solve(game)
    scale = _scale(tree)
    options, complete = _backward(tree, scale)
    equilibria = tuple(
        _equilibrium(tree, strategies, choices, payoffs, scale) for choices, payoffs in options
    )
    spe_profiles = {eq.profile for eq in equilibria}
    checks = tuple(
        _credibility(tree, strategies, k, eq.strategies, scale, spe_profiles, complete)
        for k, eq in enumerate(solution.equilibria)
    )
    return SubgamePerfect(tree, game, strategies, equilibria, complete, solution, checks)


# ----------------------------------------------------------------- backward induction
_Option = tuple[dict[int, int], tuple[Value, ...]]


def _scale(tree: Tree) -> float:
    values = [abs(float(v)) for t in tree.terminals for v in tree.nodes[t].payoffs]
    return max([1.0, *values])


def _backward(tree: Tree, scale: float) -> tuple[list[_Option], bool]:
    """The root's continuations (choices per decision node, payoffs) and whether all are kept."""
    complete = True
    table: dict[int, list[_Option]] = {}
    for index in reversed(range(len(tree.nodes))):
        node = tree.nodes[index]
        if node.kind == "terminal":
            table[index] = [({}, node.payoffs)]
            continue
        out: list[_Option] = []
        for combo in itertools.product(*(table[c] for c in node.children)):
            if node.kind == "chance":
                payoffs = tuple(
                    sum(
                        (p * opt[1][i] for p, opt in zip(node.probabilities, combo, strict=True)),
                        Fraction(0),
                    )
                    for i in range(len(tree.players))
                )
                out.append((_merged(combo), payoffs))
            else:
                player = node.player or 0
                values = [opt[1][player] for opt in combo]
                best = values[0]
                for v in values[1:]:
                    if compare(v, best, scale) > 0:
                        best = v
                for move, opt in enumerate(combo):
                    if compare(values[move], best, scale) == 0:
                        out.append(({**_merged(combo), index: move}, opt[1]))
            if len(out) >= MAX_EQUILIBRIA:
                complete = False
                break
        table[index] = out[:MAX_EQUILIBRIA]
        for child in node.children:
            del table[child]
    return table[0], complete


def _merged(combo: Sequence[_Option]) -> dict[int, int]:
    out: dict[int, int] = {}
    for choices, _ in combo:
        out.update(choices)
    return out


def _equilibrium(
    tree: Tree,
    strategies: tuple[tuple[Strategy, ...], ...],
    choices: dict[int, int],
    payoffs: tuple[Value, ...],
    scale: float,
) -> SubgamePerfectEquilibrium:
    per_node = tuple(choices.get(n) for n in range(len(tree.nodes)))
    behaviour = _pure_behaviour(tree, per_node)
    reach = tree.reach(behaviour)
    path = tuple(n for n in range(len(tree.nodes)) if reach[n] != 0)
    ties = []
    for n, move in choices.items():
        node = tree.nodes[n]
        value = _values(tree, per_node)
        mine = [value[c][node.player or 0] for c in node.children]
        if sum(1 for v in mine if compare(v, mine[move], scale) == 0) > 1:
            ties.append(n)
    return SubgamePerfectEquilibrium(
        per_node, payoffs, _profile(tree, strategies, per_node), path, tuple(sorted(ties))
    )


def _pure_behaviour(tree: Tree, choices: Sequence[int | None]) -> Behaviour:
    out: list[tuple[Value, ...] | None] = [None] * len(tree.information_sets)
    for n, move in enumerate(choices):
        if move is not None:
            info = tree.nodes[n].information_set or 0
            k = len(tree.nodes[n].moves)
            out[info] = tuple(Fraction(int(j == move)) for j in range(k))
    return tuple(out)


def _values(tree: Tree, choices: Sequence[int | None]) -> list[tuple[Value, ...]]:
    """Each node's continuation payoffs when every decision node plays ``choices``."""
    values: list[tuple[Value, ...]] = [()] * len(tree.nodes)
    for n in reversed(range(len(tree.nodes))):
        node = tree.nodes[n]
        if node.kind == "terminal":
            values[n] = node.payoffs
        elif node.kind == "chance":
            values[n] = tuple(
                sum(
                    (
                        p * values[c][i]
                        for p, c in zip(node.probabilities, node.children, strict=True)
                    ),
                    Fraction(0),
                )
                for i in range(len(tree.players))
            )
        else:
            values[n] = values[node.children[choices[n] or 0]]
    return values


def _profile(
    tree: Tree, strategies: tuple[tuple[Strategy, ...], ...], choices: Sequence[int | None]
) -> tuple[int, ...]:
    """The reduced strategy of each player that a full plan of choices belongs to."""
    profile = []
    for player, own in enumerate(strategies):
        sets = tree.player_sets(player)
        position = {info: k for k, info in enumerate(sets)}
        reduced: list[int | None] = []
        for info in sets:
            history = tree.information_sets[info].history
            relevant = all(reduced[position[h]] == m for h, m in history)
            node = tree.information_sets[info].nodes[0]
            reduced.append(choices[node] if relevant else None)
        key = tuple(reduced)
        profile.append(next(k for k, s in enumerate(own) if s.choices == key))
    return tuple(profile)


# ----------------------------------------------------------------- credibility
def _credibility(
    tree: Tree,
    strategies: tuple[tuple[Strategy, ...], ...],
    index: int,
    mixed: Sequence[Sequence[Value]],
    scale: float,
    spe_profiles: set[tuple[int, ...]],
    complete: bool,
) -> Credibility:
    behaviour = tree.mixed_behaviour(strategies, mixed)
    values: list[tuple[Value, ...]] = [()] * len(tree.nodes)
    # ambiguous[n]: below n some node the equilibrium leaves open (the player's own moves
    # never lead there) has several best moves, so its completion is not forced.
    ambiguous = [False] * len(tree.nodes)
    threats: list[Threat] = []
    for n in reversed(range(len(tree.nodes))):
        node = tree.nodes[n]
        if node.kind == "terminal":
            values[n] = node.payoffs
            continue
        ambiguous[n] = any(ambiguous[c] for c in node.children)
        if node.kind == "chance":
            weights: Sequence[Value] = node.probabilities
        else:
            player = node.player or 0
            mine = [values[c][player] for c in node.children]
            best = max(range(len(mine)), key=lambda k: (float(mine[k]), -k))
            for k in range(len(mine)):
                if compare(mine[k], mine[best], scale) > 0:
                    best = k
            local = behaviour[node.information_set or 0]
            if local is None:
                ties = sum(1 for v in mine if compare(v, mine[best], scale) == 0)
                ambiguous[n] = ambiguous[n] or ties > 1
                weights = tuple(Fraction(int(k == best)) for k in range(len(mine)))
            else:
                weights = local
                worst = [
                    k for k, w in enumerate(local) if w and compare(mine[k], mine[best], scale) < 0
                ]
                if worst:
                    move = min(worst, key=lambda k: (float(mine[k]), k))
                    others = [
                        compare(
                            values[node.children[move]][i], values[node.children[best]][i], scale
                        )
                        for i in range(len(tree.players))
                        if i != player
                    ]
                    if all(o <= 0 for o in others) and any(o < 0 for o in others):
                        kind = "threat"
                    elif all(o >= 0 for o in others) and any(o > 0 for o in others):
                        kind = "promise"
                    else:
                        kind = "plan"
                    threats.append(
                        Threat(n, player, move, best, mine[best] - mine[move], local[move], kind)
                    )
        values[n] = tuple(
            sum(
                (w * values[c][i] for w, c in zip(weights, node.children, strict=True)), Fraction(0)
            )
            for i in range(len(tree.players))
        )
    if not threats:
        return Credibility(index, True)
    first = min(threats, key=lambda t: t.node)
    # A threat in a subtree whose open nodes all have a single best move holds whatever
    # the completion: the equilibrium is then certainly not subgame perfect.
    definitive = [t for t in threats if not ambiguous[t.node]]
    pure = all(sum(1 for p in s if p) == 1 for s in mixed)
    if pure and complete:
        profile = tuple(next(j for j, p in enumerate(s) if p) for s in mixed)
        if profile in spe_profiles:
            return Credibility(index, True)
        return Credibility(index, False, first)
    if definitive:
        return Credibility(index, False, min(definitive, key=lambda t: t.node))
    return Credibility(index, None, first)


# ----------------------------------------------------------------- text
def terminal_text(tree: Tree, index: int) -> str:
    """A terminal node's description or given name ('' for an unnamed one)."""
    node = tree.nodes[index]
    named = "/" not in node.name
    if node.description:
        return f"'{node.name}' ({node.description})" if named else node.description
    return f"'{node.name}'" if named else ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _profile_text(game: Game, strategies: Sequence[Sequence[Value]]) -> str:
    parts = [strategy_text(game, player, s) for player, s in enumerate(strategies)]
    return f"({'; '.join(parts)})"


def _exact(values: Sequence[Value]) -> list[str] | None:
    texts = [exact_text(v) for v in values]
    return None if None in texts else [t for t in texts if t is not None]


# ----------------------------------------------------------------- many draws at once
def outcome_label(tree: Tree, choices: Sequence[int | None]) -> str:
    """The moves played on the path of a plan of choices, e.g. ``ease → raise``."""
    behaviour = _pure_behaviour(tree, choices)
    reach = tree.reach(behaviour)
    moves = [
        tree.nodes[n].moves[c] for n, c in enumerate(choices) if c is not None and reach[n] != 0
    ]
    return " → ".join(moves) or "(no move)"


def spe_plays(tree: Tree) -> tuple[tuple[str, tuple[Value, ...]], ...]:
    """Every distinct subgame-perfect play: its path label and payoffs, sorted by label.

    >>> from fractions import Fraction as F
    >>> from sim.tree import Node, Tree
    >>> tree = Tree.build(("A", "B"), [
    ...     Node("a", player=0, moves=("in", "out"), children=(1, 2)),
    ...     Node("in", payoffs=(F(1), F(0))), Node("out", payoffs=(F(1), F(2)))])
    >>> spe_plays(tree)
    (('in', (Fraction(1, 1), Fraction(0, 1))), ('out', (Fraction(1, 1), Fraction(2, 1))))
    """
    options, _ = _backward(tree, _scale(tree))
    plays: dict[tuple[str, tuple[Value, ...]], None] = {}
    for choices, payoffs in options:
        label = outcome_label(tree, tuple(choices.get(n) for n in range(len(tree.nodes))))
        plays.setdefault((label, tuple(payoffs)))
    return tuple(sorted(plays, key=lambda play: play[0]))


def spe_outcomes(tree: Tree) -> str:
    """The subgame-perfect outcome(s) of a tree as one label (several joined by ``or``)."""
    return " or ".join(dict.fromkeys(label for label, _ in spe_plays(tree)))


@dataclass(frozen=True)
class BatchOutcomes:
    """The subgame-perfect outcome of each of ``N`` draws of a tree's numbers.

    ``labels[codes[d]]`` is draw ``d``'s outcome (:func:`outcome_label`; several joined by
    ``or`` when ties make more than one subgame perfect); ``exact[d]`` says the draw had
    a near-tie and was decided in exact arithmetic on its rationalised numbers.
    """

    labels: tuple[str, ...]
    codes: np.ndarray
    exact: np.ndarray


def subgame_perfect_batch(
    tree: Tree,
    payoffs: Mapping[int, np.ndarray],
    probabilities: Mapping[int, np.ndarray],
) -> BatchOutcomes:
    """Backward induction on many draws at once (a perfect-information tree).

    ``payoffs[t]`` is terminal ``t``'s payoffs, shape ``(N, players)``; ``probabilities[c]``
    chance node ``c``'s probabilities, ``(N, outcomes)`` (as
    :func:`sim.sampling.tree_arrays` gives). Each decision node picks the mover's best
    child in float arithmetic; a draw where the two best moves of any node are within
    :data:`sim.solvers.batch.MARGIN` (times the payoff scale) of each other is instead
    solved exactly on its rationalised numbers
    (:func:`spe_outcomes`), so ties are never broken arbitrarily.
    """
    if not tree.perfect_information:
        raise SimError("backward induction needs perfect information")
    first = next(iter(payoffs.values()))
    n = first.shape[0]
    scale = max([1.0, *(float(np.abs(v).max(initial=0.0)) for v in payoffs.values())])
    values: dict[int, np.ndarray] = {}
    choice: dict[int, np.ndarray] = {}
    near = np.zeros(n, dtype=bool)
    for index in reversed(range(len(tree.nodes))):
        node = tree.nodes[index]
        if node.kind == "terminal":
            values[index] = np.asarray(payoffs[index], dtype=float)
            continue
        stacked = np.stack([values[c] for c in node.children], axis=1)  # (N, k, players)
        if node.kind == "chance":
            weights = np.asarray(probabilities[index], dtype=float)[:, :, None]
            values[index] = (weights * stacked).sum(axis=1)
            continue
        mine = stacked[:, :, node.player or 0]
        best = np.argmax(mine, axis=1)
        choice[index] = best
        if len(node.children) > 1:
            top = np.sort(mine, axis=1)[:, -2:]
            near |= top[:, 1] - top[:, 0] <= MARGIN * scale
        values[index] = stacked[np.arange(n), best]
    # Path moves of every draw, as one code row per draw.
    reach = {0: np.ones(n, dtype=bool)}
    columns = []
    deciders = []
    for index, node in enumerate(tree.nodes):
        here = reach.get(index)
        if here is None or node.kind == "terminal":
            continue
        for k, child in enumerate(node.children):
            if node.kind == "chance":
                reach[child] = here & (np.asarray(probabilities[index])[:, k] > 0)
            else:
                reach[child] = here & (choice[index] == k)
        if node.kind == "decision":
            deciders.append(index)
            columns.append(np.where(here, choice[index] + 1, 0))
    table = np.stack(columns, axis=1) if columns else np.zeros((n, 0), dtype=int)
    rows, inverse = np.unique(table, axis=0, return_inverse=True)
    labels = []
    for row in rows:
        choices: list[int | None] = [None] * len(tree.nodes)
        for node_index, code in zip(deciders, row, strict=True):
            choices[node_index] = int(code) - 1 if code else None
        moves = [tree.nodes[d].moves[c] for d, c in enumerate(choices) if c is not None]
        labels.append(" → ".join(moves) or "(no move)")
    codes = np.asarray(inverse).reshape(-1)
    if near.any():
        from sim.certificate import rationalise

        extra: dict[str, int] = {label: k for k, label in enumerate(labels)}
        for d in np.flatnonzero(near):
            exact_tree = _tree_at(tree, payoffs, probabilities, int(d), rationalise)
            label = spe_outcomes(exact_tree)
            if label not in extra:
                extra[label] = len(labels)
                labels.append(label)
            codes[d] = extra[label]
    return BatchOutcomes(tuple(labels), codes, near)


def _tree_at(
    tree: Tree,
    payoffs: Mapping[int, np.ndarray],
    probabilities: Mapping[int, np.ndarray],
    draw: int,
    rationalise: Any,
) -> Tree:
    """The tree with draw ``draw``'s numbers, rationalised (chance rows renormalised)."""
    from dataclasses import replace

    nodes = list(tree.nodes)
    for t, rows in payoffs.items():
        nodes[t] = replace(nodes[t], payoffs=tuple(rationalise(float(v)) for v in rows[draw]))
    for c, rows in probabilities.items():
        raw = [rationalise(float(p)) for p in rows[draw]]
        total = sum(raw, Fraction(0))
        nodes[c] = replace(nodes[c], probabilities=tuple(p / total for p in raw))
    return replace(tree, nodes=tuple(nodes))
