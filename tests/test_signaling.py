"""Signaling games: recognising the shape, classifying equilibria, beliefs off the path."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.signaling import signaling, signaling_shape
from sim.scenario import load
from sim.tree import Node, Tree

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def signaling_tree(
    prior: F, sender: list[list[list[int]]], receiver: list[list[list[int]]]
) -> Tree:
    """Two types, messages and responses from the nested payoff lists
    ``sender[t][m][a]`` and ``receiver[t][m][a]``."""
    types, messages, responses = len(sender), len(sender[0]), len(sender[0][0])
    nodes = [
        Node(
            "type",
            moves=tuple(f"t{t}" for t in range(types)),
            children=tuple(range(1, 1 + types)),
            probabilities=(prior, 1 - prior) if types == 2 else tuple([F(1, types)] * types),
        )
    ]
    first_receiver = 1 + types
    for t in range(types):
        start = first_receiver + t * messages
        nodes.append(
            Node(
                f"s{t}",
                player=0,
                moves=tuple(f"m{m}" for m in range(messages)),
                children=tuple(range(start, start + messages)),
            )
        )
    first_end = first_receiver + types * messages
    for t in range(types):
        for m in range(messages):
            start = first_end + (t * messages + m) * responses
            nodes.append(
                Node(
                    f"r{t}{m}",
                    player=1,
                    moves=tuple(f"a{a}" for a in range(responses)),
                    children=tuple(range(start, start + responses)),
                )
            )
    for t in range(types):
        for m in range(messages):
            for a in range(responses):
                nodes.append(Node("end", payoffs=(F(sender[t][m][a]), F(receiver[t][m][a]))))
    sets = {
        f"after_m{m}": [first_receiver + t * messages + m for t in range(types)]
        for m in range(messages)
    }
    return Tree.build(("Sender", "Receiver"), nodes, sets)


def test_london_licence_signal_classes() -> None:
    scenario = load(SCENARIOS / "london_licence_signal.yaml")
    result = signaling(scenario.tree, scenario.game, scenario.strategies)
    assert result is not None
    shape = result.shape
    assert shape.types == ("hard_line", "pragmatic") and shape.prior == (F(2, 5), F(3, 5))
    token = shape.messages.index("token_approvals")
    raise_ = shape.messages.index("raise_re_exports")
    restrict = shape.messages.index("restrict_re")
    pooling_on_token = [
        e for e in result.equilibria if e.kind == "pooling" and e.sends[0][token] == 1
    ]
    assert pooling_on_token and all(e.perfect_bayesian for e in pooling_on_token)
    assert all(e.posteriors[token] == (F(2, 5), F(3, 5)) for e in pooling_on_token)
    separating = [e for e in result.equilibria if e.kind == "separating"]
    assert separating
    for e in separating:
        assert e.sends[0][restrict] == 1 and e.sends[1][raise_] == 1
        assert e.posteriors[raise_] == (F(0), F(1))
        assert e.responds[raise_][0] == 1  # the US eases after broad approvals
    text = " ".join(result.sentences())
    assert "pooling equilibrium" in text and "separating equilibrium" in text


def test_nash_but_not_perfect_bayesian() -> None:
    # Responding a1 is worse for the receiver whatever the type, yet it deters message m1.
    sender = [[[2, 3], [1, 1]], [[2, 3], [1, 1]]]
    receiver = [[[1, 0], [1, 0]], [[1, 0], [1, 0]]]
    tree = signaling_tree(F(1, 2), sender, receiver)
    result = signaling(tree)
    assert result is not None
    bad = [e for e in result.equilibria if not e.perfect_bayesian]
    assert bad, [e.responds for e in result.equilibria]
    for e in bad:
        unsent = [m for m, p in enumerate(e.posteriors) if p is None]
        assert any(e.responds[m][1] > 0 for m in unsent)
    assert "no belief justifies Receiver's answer" in " ".join(result.sentences())


def test_other_trees_are_not_signaling_games() -> None:
    scenario = load(SCENARIOS / "entry_deterrence.yaml")
    assert scenario.tree is not None and signaling_shape(scenario.tree) is None
    assert signaling(scenario.tree) is None


payoff = st.integers(-2, 2)
tables = st.lists(
    st.lists(st.lists(payoff, min_size=2, max_size=2), min_size=2, max_size=2),
    min_size=2,
    max_size=2,
)


def belief_interval(receiver: Any, message: int, played: list[int]) -> bool:
    """Whether some belief mu = P(type 0) in [0, 1] makes every played response optimal."""
    low, high = F(0), F(1)
    for a in played:
        for b in range(2):
            # mu * d0 + (1 - mu) * d1 <= 0 with d_t = u(b, t) - u(a, t)
            d0 = receiver[0][message][b] - receiver[0][message][a]
            d1 = receiver[1][message][b] - receiver[1][message][a]
            slope = d0 - d1
            if slope == 0:
                if d1 > 0:
                    return False
            elif slope > 0:
                high = min(high, F(-d1, slope))
            else:
                low = max(low, F(-d1, slope))
    return low <= high


@settings(max_examples=120, deadline=None)
@given(st.fractions(F(1, 10), F(9, 10)), tables, tables)
def test_classes_posteriors_and_beliefs(prior: F, sender: Any, receiver: Any) -> None:
    tree = signaling_tree(prior, sender, receiver)
    result = signaling(tree)
    assert result is not None
    for e in result.equilibria:
        for m in range(2):
            sent = [p * row[m] for p, row in zip((prior, 1 - prior), e.sends, strict=True)]
            if sum(sent):
                assert e.posteriors[m] == tuple(w / sum(sent) for w in sent)
            else:
                assert e.posteriors[m] is None
        perfect = all(
            belief_interval(receiver, m, [a for a in range(2) if e.responds[m][a]])
            for m in range(2)
            if e.posteriors[m] is None
        )
        assert e.perfect_bayesian == perfect
        supports = [{m for m in range(2) if row[m]} for row in e.sends]
        if e.sends[0] == e.sends[1]:
            assert e.kind == "pooling"
        elif not supports[0] & supports[1]:
            assert e.kind == "separating"
        else:
            assert e.kind == "semi-separating"
