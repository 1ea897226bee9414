"""Subgame perfection, credibility and the reduced strategic form of game trees.

Oracles: brute force over every full plan of moves (a plan is subgame perfect exactly when
every mover's choice is optimal given the plan below it), the certificate of the strategic
form, and pygambit's reduced strategic form of the same tree (as in tests/test_oracle.py,
skipped without pygambit unless SIM_REQUIRE_ORACLE=1).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import replace
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.subgame import subgame_perfect
from sim.certificate import is_equilibrium
from sim.errors import ScenarioError, SimError
from sim.scenario import load
from sim.tree import Node, Tree

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


# ----------------------------------------------------------------------------- trees
@st.composite
def trees(draw: Any, chance: bool = True, information: bool = False) -> Tree:
    """Small trees with 2 or 3 players, integer payoffs in [-2, 2] (ties are common),
    chance nodes with rational probabilities; with ``information``, decision nodes of a
    player at equal depth and with equal move counts may share an information set."""
    n = draw(st.integers(2, 3))
    budget = [draw(st.integers(2, 7))]  # decision nodes left

    def grow(depth: int) -> Any:
        if depth >= 3 or budget[0] <= 0 or (depth > 0 and draw(st.integers(0, 3)) == 0):
            return ("t", tuple(F(draw(st.integers(-2, 2))) for _ in range(n)))
        if chance and draw(st.integers(0, 5)) == 0:
            weights = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(2, 3)))]
            total = sum(weights)
            return ("c", tuple(F(w, total) for w in weights), [grow(depth + 1) for _ in weights])
        budget[0] -= 1
        player = draw(st.integers(0, n - 1))
        return ("d", player, [grow(depth + 1) for _ in range(draw(st.integers(1, 3)))])

    root = grow(0)
    nodes: list[Node] = []
    queue = [(root, 0)]
    depth_of: list[int] = []
    while queue:
        item, depth = queue.pop(0)
        kind = item[0]
        if kind == "t":
            nodes.append(Node(f"n{len(nodes)}", payoffs=item[1]))
        else:
            first = len(nodes) + len(queue) + 1
            children = tuple(range(first, first + len(item[2])))
            queue.extend((child, depth + 1) for child in item[2])
            moves = tuple(f"m{k}" for k in range(len(item[2])))
            if kind == "c":
                nodes.append(
                    Node(f"n{len(nodes)}", moves=moves, children=children, probabilities=item[1])
                )
            else:
                nodes.append(Node(f"n{len(nodes)}", player=item[1], moves=moves, children=children))
        depth_of.append(depth)
    sets: dict[str, list[int]] = {}
    if information:
        # Join nodes of one player with the same depth and moves and no own move between
        # the root and them (so the set keeps perfect recall).
        groups: dict[tuple[int, int, int], list[int]] = {}
        for i, node in enumerate(nodes):
            if node.player is not None and i > 0:
                groups.setdefault((node.player, depth_of[i], len(node.moves)), []).append(i)
        for key, members in groups.items():
            if len(members) > 1 and draw(st.booleans()):
                sets[f"s{key}"] = members
    players = tuple(f"P{i + 1}" for i in range(n))
    try:
        return Tree.build(players, nodes, sets)
    except SimError:
        return Tree.build(players, nodes)  # the joined set would break perfect recall


def brute_force_spe(tree: Tree) -> set[tuple[int | None, ...]]:
    deciders = [i for i, node in enumerate(tree.nodes) if node.player is not None]
    out = set()
    for plan in itertools.product(*(range(len(tree.nodes[i].moves)) for i in deciders)):
        choices: list[int | None] = [None] * len(tree.nodes)
        for i, move in zip(deciders, plan, strict=True):
            choices[i] = move
        values: list[tuple[F, ...]] = [()] * len(tree.nodes)
        ok = True
        for i in reversed(range(len(tree.nodes))):
            node = tree.nodes[i]
            if node.kind == "terminal":
                values[i] = node.payoffs
            elif node.kind == "chance":
                values[i] = tuple(
                    sum(
                        p * values[c][k]
                        for p, c in zip(node.probabilities, node.children, strict=True)
                    )
                    for k in range(len(tree.players))
                )
            else:
                mover = node.player
                chosen = values[node.children[choices[i]]][mover]
                ok = ok and all(values[c][mover] <= chosen for c in node.children)
                values[i] = values[node.children[choices[i]]]
        if ok:
            out.add(tuple(choices))
    return out


# ----------------------------------------------------------------------------- textbook
def test_entry_deterrence() -> None:
    scenario = load(SCENARIOS / "entry_deterrence.yaml")
    result = subgame_perfect(scenario.tree, scenario.game, scenario.strategies)
    assert len(result.equilibria) == 1
    spe = result.equilibria[0]
    assert scenario.game.profile_names(spe.profile) == ("enter", "accommodate")
    assert spe.payoffs == (F(1), F(1))
    verdicts = {
        scenario.game.profile_names(e.pure_profile): c.subgame_perfect
        for e, c in zip(result.solution.equilibria, result.checks, strict=True)
        if e.pure_profile is not None
    }
    assert verdicts == {("stay_out", "fight"): False, ("enter", "accommodate"): True}
    threat = next(c.threat for c in result.checks if c.subgame_perfect is False)
    assert threat is not None and threat.gain == 2
    assert result.threat_text(threat) == (
        "Incumbent threatens fight after enter, but at that node accommodate pays it 2 more"
    )


def test_london_snap_back_is_not_credible_at_the_defaults() -> None:
    scenario = load(SCENARIOS / "london_snap_back.yaml")
    result = subgame_perfect(scenario.tree, scenario.game, scenario.strategies)
    assert [scenario.game.profile_names(e.profile) for e in result.equilibria] == [
        ("maintain_chip_controls", "restrict_re")
    ]
    assert result.equilibria[0].payoffs == (F(-1), F(-2))
    deal = next(
        c
        for e, c in zip(result.solution.equilibria, result.checks, strict=True)
        if e.pure_profile is not None
        and scenario.game.profile_names(e.pure_profile)
        == ("ease_chip_controls/snap_back/snap_back", "raise_re_exports")
    )
    assert deal.subgame_perfect is False and deal.threat is not None
    assert "US threatens snap_back after ease_chip_controls, token_approvals" in (
        result.threat_text(deal.threat)
    )
    assert "accept pays it 1 more" in result.threat_text(deal.threat)


def test_london_snap_back_becomes_credible_with_a_high_audience_cost() -> None:
    scenario = load(SCENARIOS / "london_snap_back.yaml").with_parameters(a_us=3)
    result = subgame_perfect(scenario.tree, scenario.game, scenario.strategies)
    (spe,) = result.equilibria
    assert scenario.game.profile_names(spe.profile) == (
        "ease_chip_controls/snap_back/snap_back",
        "raise_re_exports",
    )
    assert spe.payoffs == (F(3), F(4))


def test_every_tie_break_is_reported() -> None:
    # The follower is indifferent; each choice changes the leader's best move.
    tree = Tree.build(
        ("L", "F"),
        [
            Node("l", player=0, moves=("in", "out"), children=(1, 2)),
            Node("f", player=1, moves=("kind", "harsh"), children=(3, 4)),
            Node("out", payoffs=(F(1), F(0))),
            Node("kind", payoffs=(F(2), F(1))),
            Node("harsh", payoffs=(F(0), F(1))),
        ],
    )
    result = subgame_perfect(tree)
    plans = {(e.choices[0], e.choices[1]) for e in result.equilibria}
    assert plans == {(0, 0), (1, 1)}
    assert all(1 in e.ties for e in result.equilibria)
    assert "2 subgame-perfect equilibria" in result.sentences()[0]


def test_imperfect_information_is_refused() -> None:
    scenario = load(SCENARIOS / "london_licence_signal.yaml")
    with pytest.raises(SimError, match="perfect information"):
        subgame_perfect(scenario.tree)


def test_chance_nodes_take_expected_values() -> None:
    tree = Tree.build(
        ("A", "B"),
        [
            Node("a", player=0, moves=("gamble", "safe"), children=(1, 2)),
            Node("coin", moves=("h", "t"), children=(3, 4), probabilities=(F(1, 3), F(2, 3))),
            Node("safe", payoffs=(F(1), F(0))),
            Node("h", payoffs=(F(4), F(0))),
            Node("t", payoffs=(F(0), F(3))),
        ],
    )
    (spe,) = subgame_perfect(tree).equilibria
    assert spe.choices[0] == 0 and spe.payoffs == (F(4, 3), F(2))
    assert spe.path == (0, 1, 3, 4)


# ----------------------------------------------------------------------------- properties
@settings(max_examples=150, deadline=None)
@given(trees(information=False))
def test_spe_equals_brute_force_and_is_nash(tree: Tree) -> None:
    result = subgame_perfect(tree)
    assert result.complete
    assert {e.choices for e in result.equilibria} == brute_force_spe(tree)
    game = result.game
    for eq in result.equilibria:
        assert game.payoff(eq.profile) == eq.payoffs
        mixed = [
            [F(int(j == s)) for j in range(k)] for s, k in zip(eq.profile, game.shape, strict=True)
        ]
        assert is_equilibrium(game, mixed)


@settings(max_examples=100, deadline=None)
@given(trees(information=False))
def test_credibility_of_pure_nash_matches_spe_set(tree: Tree) -> None:
    result = subgame_perfect(tree)
    profiles = {e.profile for e in result.equilibria}
    for eq, check in zip(result.solution.equilibria, result.checks, strict=True):
        if eq.pure_profile is not None:
            assert check.subgame_perfect == (eq.pure_profile in profiles)
        if check.subgame_perfect is False:
            threat = check.threat
            assert threat is not None and threat.gain > 0
            behaviour = tree.mixed_behaviour(result.strategies, eq.strategies)
            local = behaviour[tree.nodes[threat.node].information_set]
            assert local is not None and local[threat.move] > 0
            assert tree.reach(behaviour)[threat.node] == 0  # threats are off the path


@settings(max_examples=100, deadline=None)
@given(trees(information=True))
def test_strategic_form_payoffs_are_expected_payoffs(tree: Tree) -> None:
    game, strategies = tree.strategic_form()
    for profile in itertools.product(*(range(len(s)) for s in strategies)):
        chosen = [strategies[i][k] for i, k in enumerate(profile)]
        behaviour = tree.behaviour(chosen)
        reach = tree.reach(behaviour)
        expected = tuple(
            sum(reach[t] * tree.nodes[t].payoffs[i] for t in tree.terminals)
            for i in range(len(tree.players))
        )
        assert game.payoff(profile) == expected
        assert sum(reach[t] for t in tree.terminals) == 1


# ----------------------------------------------------------------------------- pygambit
if os.environ.get("SIM_REQUIRE_ORACLE") == "1":
    import pygambit
else:
    pygambit = None


@pytest.fixture(scope="module")
def gbt() -> Any:
    return pygambit if pygambit is not None else pytest.importorskip("pygambit")


def gambit_reduced_form(gbt: Any, tree: Tree) -> dict[tuple[tuple[int | None, ...], ...], Any]:
    """Gambit's reduced strategic form of the same tree: strategy choices -> payoffs."""
    g = gbt.Game.new_tree(players=list(tree.players))
    handles: dict[int, Any] = {0: g.root}
    infosets: dict[int, Any] = {}
    for i, node in enumerate(tree.nodes):
        here = handles[i]
        if node.kind == "terminal":
            g.set_outcome(here, g.add_outcome(f"o{i}", [F(v) for v in node.payoffs]))
            continue
        if node.kind == "chance":
            g.append_move(here, g.players.chance, list(node.moves))
            g.set_chance_probs(here.infoset, [F(p) for p in node.probabilities])
        elif node.information_set in infosets:
            g.append_infoset(here, infosets[node.information_set])
        else:
            g.append_move(here, tree.players[node.player], list(node.moves))
            infosets[node.information_set] = here.infoset
            here.infoset.label = f"h{node.information_set}"
        for child, action in zip(node.children, here.children, strict=True):
            handles[child] = action
    tables = g.to_arrays(dtype=F)
    labels = [[s.label for s in p.strategies] for p in g.players]
    # Gambit numbers a player's information sets in its own order; put the label's digits
    # in ours (tree.player_sets).
    orders = []
    for i, p in enumerate(g.players):
        theirs = [int(h.label[1:]) for h in p.infosets]
        orders.append([theirs.index(h) for h in tree.player_sets(i)])
    out = {}
    for profile in itertools.product(*(range(len(own)) for own in labels)):
        key = tuple(
            tuple(None if labels[i][k][j] == "*" else int(labels[i][k][j]) - 1 for j in orders[i])
            for i, k in enumerate(profile)
        )
        out[key] = tuple(table[profile] for table in tables)
    return out


@settings(max_examples=60, deadline=None)
@given(trees(information=True))
def test_reduced_strategic_form_matches_gambit(gbt: Any, tree: Tree) -> None:
    game, strategies = tree.strategic_form()
    movers = [i for i in range(len(tree.players)) if tree.player_sets(i)]
    ours = {}
    for profile in itertools.product(*(range(len(s)) for s in strategies)):
        key = tuple(strategies[i][profile[i]].choices for i in movers)
        ours[key] = game.payoff(profile)
    theirs = {tuple(key[i] for i in movers): v for key, v in gambit_reduced_form(gbt, tree).items()}
    assert theirs == ours


# ----------------------------------------------------------------------------- batches
@settings(max_examples=80, deadline=None)
@given(trees(information=False), st.data())
def test_batch_backward_induction_agrees_with_exact(tree: Tree, data: Any) -> None:
    import numpy as np

    from sim.analysis.subgame import spe_outcomes, subgame_perfect_batch

    draws = data.draw(st.integers(1, 6))
    # Integer payoffs make ties common (exact path); quarter steps keep floats exact.
    payoffs = {
        t: np.array(
            [[data.draw(st.integers(-8, 8)) / 4 for _ in tree.players] for _ in range(draws)]
        )
        for t in tree.terminals
    }
    probabilities = {
        i: np.broadcast_to(
            np.array([float(p) for p in node.probabilities]), (draws, len(node.moves))
        )
        for i, node in enumerate(tree.nodes)
        if node.kind == "chance"
    }
    result = subgame_perfect_batch(tree, payoffs, probabilities)
    for d in range(draws):
        nodes = list(tree.nodes)
        for t, rows in payoffs.items():
            nodes[t] = replace(nodes[t], payoffs=tuple(F(float(v)) for v in rows[d]))
        exact = replace(tree, nodes=tuple(nodes))
        assert result.labels[result.codes[d]] == spe_outcomes(exact)


def test_montecarlo_reports_subgame_perfect_outcomes() -> None:
    import numpy as np

    from sim.analysis.montecarlo import montecarlo
    from sim.analysis.subgame import spe_outcomes
    from sim.sampling import sample_parameters

    scenario = load(SCENARIOS / "london_snap_back.yaml")
    result = montecarlo(scenario, draws=300, seed=7)
    counts = {o.label: o.count for o in result.subgame_perfect}
    assert sum(counts.values()) == 300
    values = sample_parameters(scenario, 7, 0, 300)
    expected: dict[str, int] = {}
    for d in range(300):
        at = {name: F(float(column[d])) for name, column in values.items()}
        label = spe_outcomes(scenario.with_parameters(**at).tree)
        expected[label] = expected.get(label, 0) + 1
    assert counts == expected
    assert {r["kind"] for r in result.rows()} >= {"subgame_perfect_outcome"}
    assert np.isclose(sum(o.probability for o in result.subgame_perfect), 1.0)


@settings(max_examples=100, deadline=None)
@given(trees(information=True))
def test_strategy_count_matches_the_listed_strategies(tree: Tree) -> None:
    for player in range(len(tree.players)):
        strategies = tree.strategies(player)
        assert tree.strategy_count(player) == len(strategies)
        assert len({s.choices for s in strategies}) == len(strategies)


def test_large_trees_are_refused_before_building_the_strategic_form() -> None:
    from sim.scenario import parse_scenario

    lines = ["kind: sequential", "title: centipede", "players: [A, B]", "nodes:"]
    for i in range(1000):
        player = "A" if i % 2 == 0 else "B"
        after = f"n{i + 1}" if i < 999 else "[9, 9]"
        lines.append(f"  n{i}: {{player: {player}, moves: {{stop: [{i}, 0], go: {after}}}}}")
    with pytest.raises(ScenarioError, match=r"501 × 501 = 251001 profiles .* too large"):
        parse_scenario("\n".join(lines) + "\n", "c.yaml")


def test_non_credible_promises_are_not_called_threats() -> None:
    scenario = load(SCENARIOS / "london_snap_back.yaml")
    result = subgame_perfect(scenario.tree, scenario.game, scenario.strategies)
    kinds = {}
    for eq, check in zip(result.solution.equilibria, result.checks, strict=True):
        if check.threat is not None and eq.pure_profile is not None:
            kinds[scenario.game.profile_names(eq.pure_profile)] = check.threat.kind
    # snapping back hurts China: a threat; token approvals help the US: a promise
    assert kinds[("ease_chip_controls/snap_back/snap_back", "raise_re_exports")] == "threat"
    assert kinds[("maintain_chip_controls", "token_approvals")] == "promise"
    assert "China promises token_approvals after ease_chip_controls" in " ".join(result.sentences())
