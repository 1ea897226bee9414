"""Subgame-perfect flip thresholds (sim.analysis.subgame_thresholds).

Oracle: :func:`sim.analysis.subgame.subgame_perfect` (backward induction on numbers, every
tie-break kept) on the tree evaluated exactly at rational points inside each piece and at
each rational threshold. Textbook cases are worked out by hand from the scenario files.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.analysis.subgame import subgame_perfect
from sim.analysis.subgame_thresholds import (
    SpeFlips,
    spe_flip_thresholds,
    spe_thresholds,
)
from sim.errors import SimError
from sim.scenario import Scenario, load, parse_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LONDON = load(SCENARIOS / "london_snap_back.yaml")


def spe_paths(scenario: Scenario, name: str, value: F) -> tuple[set[tuple[int, ...]], bool]:
    """The oracle: the SPE paths at ``name = value`` and whether some SPE has a tie."""
    assert scenario.tree is not None
    tree = scenario.tree.evaluated({**scenario.parameter_values(), name: value})
    result = subgame_perfect(tree)
    assert result.complete
    return {eq.path for eq in result.equilibria}, any(eq.ties for eq in result.equilibria)


def names(scenario: Scenario, paths: Any) -> set[tuple[str, ...]]:
    assert scenario.tree is not None
    return {tuple(scenario.tree.nodes[n].name for n in path) for path in paths}


def tree_scenario(nodes: str, parameters: str = "{p: {value: 0, range: [0, 3]}}") -> Scenario:
    return parse_scenario(
        f"kind: sequential\ntitle: test\nplayers: [A, B]\nparameters: {parameters}\nnodes:\n{nodes}"
    )


SQ = ("us_opens", "status_quo")
DEAL = ("us_opens", "china_answers", "china_answers/raise_re_exports")


# ----------------------------------------------------------------------------- London
def test_london_snap_back_in_the_audience_cost() -> None:
    # By hand from london_snap_back.yaml at the defaults (v_us 4, c_us 2, s_us 1, z_us 1,
    # k_us 4, phi 1/2, v_cn 5, c_cn 3, g_cn 2, z_cn 2, l_cn 3):
    # after (ease, token): snap_back pays the US phi*v_us - k_us = -2, accept
    #   phi*v_us - c_us - a_us = -a_us: the US snaps back exactly when a_us > 2;
    # after (ease, restrict): snap_back -z_us - k_us = -5, accept -c_us - s_us - a_us =
    #   -3 - a_us: again it snaps back exactly when a_us > 2.
    # China: raise pays 5 - 3 + 2 = 4; token 5 - 3/2 = 7/2 if accepted, -3/2 - 3 = -9/2 if
    #   snapped back; restrict 5 if accepted, -5 if snapped back. So it restricts when
    #   a_us < 2 and raises when a_us > 2.
    # US first: maintain pays -1; ease pays -3 - a_us < -1 after restriction, 3 after the
    #   deal. Status quo below 2, the deal above; at 2 each tie-break after restriction
    #   gives one of them (the tie after token approvals changes nothing).
    result = spe_thresholds(LONDON, "a_us", 0, 6)
    assert result.method == "polynomial" and not result.unchanging
    (threshold,) = result.thresholds
    assert threshold.value == 2 and isinstance(threshold.value, F) and threshold.exact
    assert names(LONDON, [o.path for o in threshold.at or ()]) == {SQ, DEAL}
    ties = {(t.name, t.where, t.player, t.moves, t.decisive) for t in threshold.ties}
    assert ties == {
        (
            "us_after_token",
            "after ease_chip_controls, token_approvals",
            "US",
            ("snap_back", "accept"),
            False,
        ),
        (
            "us_after_restrict",
            "after ease_chip_controls, restrict_re",
            "US",
            ("snap_back", "accept"),
            True,
        ),
    }
    below, above = result.pieces
    assert (below.low, below.high, above.low, above.high) == (0, 2, 2, 6)
    assert [o.moves for o in below.outcomes] == [("maintain_chip_controls",)]
    assert [o.moves for o in above.outcomes] == [("ease_chip_controls", "raise_re_exports")]
    assert below.outcomes[0].formulas == ("-1", "-2") and below.outcomes[0].payoffs == (-1, -2)
    assert above.outcomes[0].formulas == ("3", "4") and above.outcomes[0].payoffs == (3, 4)
    assert names(LONDON, [o.path for o in result.start]) == {SQ}
    assert names(LONDON, [o.path for o in result.end]) == {DEAL}
    assert result.sentences()[:2] == (
        "The subgame-perfect outcome is maintain_chip_controls when a_us < 2, and "
        "ease_chip_controls → raise_re_exports when a_us > 2 (swept range 0 to 6).",
        "At a_us = 2 US is indifferent between snap_back and accept after ease_chip_controls, "
        "restrict_re, and both maintain_chip_controls and ease_chip_controls → "
        "raise_re_exports are subgame perfect.",
    )
    for x, expected in [(F(1), {SQ}), (F(2), {SQ, DEAL}), (F(3), {DEAL})]:
        assert names(LONDON, spe_paths(LONDON, "a_us", x)[0]) == expected


@pytest.mark.parametrize(
    ("parameter", "expected", "below"),
    [
        # snap-back becomes credible at both nodes once c_us > 3 (1 - c_us < -2, -c_us - 2 < -5)
        pytest.param("c_us", ["3"], SQ, id="c_us"),
        # snap-back is credible while k_us < 3 (2 - k_us > -1 and -1 - k_us > -4)
        pytest.param("k_us", ["3"], DEAL, id="k_us"),
        # China raises when 2 + g_cn beats restricting (5)
        pytest.param("g_cn", ["3"], SQ, id="g_cn"),
        # China raises while 7 - c_cn beats restricting (5)
        pytest.param("c_cn", ["2"], DEAL, id="c_cn"),
        # l_cn only matters after a snap-back, which is never credible at the defaults
        pytest.param("l_cn", [], SQ, id="l_cn"),
        # the status quo whatever v_us: accepting beats snapping back at both US nodes
        pytest.param("v_us", [], SQ, id="v_us"),
    ],
)
def test_london_snap_back_thresholds_by_hand(
    parameter: str, expected: list[str], below: tuple[str, ...]
) -> None:
    result = spe_thresholds(LONDON, parameter)
    assert [t.text() for t in result.thresholds] == expected
    assert names(LONDON, result.pieces[0].paths) == {below}
    assert result.unchanging == (not expected)


def test_flip_thresholds_cover_every_ranged_parameter() -> None:
    flips = spe_flip_thresholds(LONDON)
    assert [f.parameter for f in flips] == [p.name for p in LONDON.parameters]
    assert {f.parameter: [t.text() for t in f.thresholds] for f in flips}["a_us"] == ["2"]
    json.dumps([f.to_dict() for f in flips])  # JSON-ready


def test_outcome_at_an_end_of_the_range() -> None:
    # z_us = 4: after restriction accepting (-4) beats snapping back (-8); easing then pays
    # -4, as much as the status quo -z_us: both are subgame perfect exactly there.
    result = spe_thresholds(LONDON, "z_us", 0, 4)
    assert not result.thresholds and not result.unchanging
    assert names(LONDON, [o.path for o in result.end]) == {
        SQ,
        ("us_opens", "china_answers", "us_after_restrict", "us_after_restrict/accept"),
    }
    assert any(s.startswith("At the high end, z_us = 4, both") for s in result.sentences())
    assert result.pieces[0].outcomes[0].formulas == ("-z_us", "-2")


TREES = [
    path
    for path in sorted(SCENARIOS.glob("*.yaml"))
    if (tree := load(path).tree) is not None and tree.perfect_information
]


@pytest.mark.parametrize("path", TREES, ids=[p.stem for p in TREES])
def test_every_scenario_tree_agrees_with_backward_induction(path: Path) -> None:
    scenario = load(path)
    for result in spe_flip_thresholds(scenario):
        check_against_oracle(scenario, result.parameter, result)


# ----------------------------------------------------------------------------- textbook trees
ENTRY = """\
  start:
    player: A
    moves:
      stay_out: [0, 2]
      enter:
        player: B
        moves: {fight: [-1, p], accommodate: [1, 1]}
"""


def test_entry_deterrence_with_a_price_war_worth_p() -> None:
    # The incumbent fights when p > 1; the challenger then stays out (0 > -1).
    scenario = tree_scenario(ENTRY, "{p: {value: 0, range: [-2, 3]}}")
    result = spe_thresholds(scenario, "p")
    (threshold,) = result.thresholds
    assert threshold.value == 1 and threshold.exact
    assert [(t.player, t.where, t.moves, t.decisive) for t in threshold.ties] == [
        ("B", "after enter", ("fight", "accommodate"), True)
    ]
    assert [[o.moves for o in piece.outcomes] for piece in result.pieces] == [
        [("enter", "accommodate")],
        [("stay_out",)],
    ]
    assert {o.moves for o in threshold.at or ()} == {("enter", "accommodate"), ("stay_out",)}
    check_against_oracle(scenario, "p", result)


CHANCE = """\
  start:
    player: A
    moves:
      safe: [-1/2, 0]
      risky:
        chance:
          win: {probability: P_WIN, then: share}
          lose: {probability: P_LOSE, then: [-1, 0]}
  share:
    player: B
    moves: {give: [3, 3], keep: [0, 2]}
"""


@pytest.mark.parametrize(
    ("win", "lose", "value", "formulas"),
    [
        # risky is worth 3p - (1 - p) = 4p - 1 to A: above -1/2 when p > 1/8
        pytest.param("p", "1 - p", F(1, 8), ("4*p - 1", "3*p"), id="linear"),
        # with probability p**2: 4p**2 - 1 > -1/2 when p > 1/sqrt(8)
        pytest.param("p**2", "1 - p**2", 1 / math.sqrt(8), ("4*p**2 - 1", "3*p**2"), id="square"),
    ],
)
def test_chance_node_with_a_parameterised_probability(
    win: str, lose: str, value: float, formulas: tuple[str, ...]
) -> None:
    nodes = CHANCE.replace("P_WIN", win).replace("P_LOSE", lose)
    scenario = tree_scenario(nodes, "{p: {value: 1/2, range: [0, 1]}}")
    result = spe_thresholds(scenario, "p")
    (threshold,) = result.thresholds
    assert threshold.exact == isinstance(value, F)
    assert abs(threshold.value - value) < 1e-12
    assert [t.moves for t in threshold.ties] == [("safe", "risky")]
    safe, risky = result.pieces
    assert [o.moves for o in safe.outcomes] == [("safe",)]
    assert [o.moves for o in risky.outcomes] == [("risky", "give")]
    assert risky.outcomes[0].formulas == formulas and risky.outcomes[0].chance
    # At p = 1 the lose branch has probability 0: the path leaves it out.
    assert [o.moves for o in result.end] == [("risky", "win", "give")]
    check_against_oracle(scenario, "p", result)


def test_probability_below_zero_in_the_range_is_an_error() -> None:
    nodes = CHANCE.replace("P_WIN", "p").replace("P_LOSE", "1 - p")
    scenario = tree_scenario(nodes, "{p: {value: 1/2, range: [0, 1]}}")
    with pytest.raises(SimError, match=r"'lose' at chance node .* is below 0 at p = .*narrow"):
        spe_thresholds(scenario, "p", 0, 2)


IRRATIONAL = """\
  start:
    player: A
    moves:
      a: [PAYOFF, 0]
      b:
        player: B
        moves: {c: [OTHER, 1], d: [-1, 0]}
"""


def test_irrational_threshold_is_isolated_and_solved_exactly() -> None:
    # a pays p**2 - 2 and b pays 0 to A: b below sqrt(2), a above, both at sqrt(2).
    nodes = IRRATIONAL.replace("PAYOFF", "p**2 - 2").replace("OTHER", "0")
    scenario = tree_scenario(nodes)
    result = spe_thresholds(scenario, "p")
    (threshold,) = result.thresholds
    assert not threshold.exact and isinstance(threshold.value, float)
    assert abs(threshold.value - math.sqrt(2)) < 1e-12
    lo, hi = threshold.bounds
    assert lo * lo < 2 < hi * hi and hi - lo <= F(1, 10**12) * hi  # relative width
    assert threshold.polynomial == "p**2 - 2" and threshold.text() == "≈1.41421356237"
    assert {o.moves for o in threshold.at or ()} == {("a",), ("b", "c")}
    assert [(t.player, t.moves, t.decisive) for t in threshold.ties] == [("A", ("a", "b"), True)]
    assert (
        "At p ≈ 1.41421356237 (the root of p**2 - 2 there) A is indifferent"
        in (result.sentences()[1])
    )
    check_against_oracle(scenario, "p", result)


def test_a_touching_root_is_a_threshold_with_the_same_outcome_around_it() -> None:
    # a pays (p - 1)**2 >= 0 = b: a everywhere, and b too exactly at p = 1.
    nodes = IRRATIONAL.replace("PAYOFF", "(p - 1)**2").replace("OTHER", "0")
    scenario = tree_scenario(nodes)
    result = spe_thresholds(scenario, "p")
    (threshold,) = result.thresholds
    assert threshold.value == 1
    assert result.pieces[0].paths == result.pieces[1].paths
    assert {o.moves for o in threshold.at or ()} == {("a",), ("b", "c")}
    check_against_oracle(scenario, "p", result)


def test_a_tie_for_every_value_is_no_threshold() -> None:
    # A is indifferent whatever p (1 either way); only B's payoff moves.
    scenario = tree_scenario(IRRATIONAL.replace("PAYOFF, 0", "1, p").replace("OTHER", "1"))
    result = spe_thresholds(scenario, "p")
    assert result.unchanging and not result.thresholds
    assert {o.moves for o in result.pieces[0].outcomes} == {("a",), ("b", "c")}
    assert result.sentences()[0] == (
        "The subgame-perfect outcomes are the same for every p from 0 to 3: either a or b → c."
    )


# ----------------------------------------------------------------------------- bisection
def test_non_polynomial_payoff_falls_back_to_bisection_and_finds_a_rational_threshold() -> None:
    # a pays 2/p and b pays 1 to A: a below 2, b above.
    nodes = IRRATIONAL.replace("PAYOFF", "2/p").replace("OTHER", "1")
    scenario = tree_scenario(nodes, "{p: {value: 1, range: [1, 4]}}")
    result = spe_thresholds(scenario, "p")
    assert result.method == "bisection" and result.grid == 129
    assert "(2/p) is not a polynomial in p" in result.reason
    (threshold,) = result.thresholds
    assert threshold.value == 2 and threshold.exact
    assert {o.moves for o in threshold.at or ()} == {("a",), ("b", "c")}
    assert [(t.player, t.moves, t.decisive) for t in threshold.ties] == [("A", ("a", "b"), True)]
    assert [[o.moves for o in piece.outcomes] for piece in result.pieces] == [
        [("a",)],
        [("b", "c")],
    ]
    assert result.pieces[0].outcomes[0].formulas is None
    assert "narrower than the grid spacing (3/128) could be missed" in result.sentences()[-1]
    check_against_oracle(scenario, "p", result)


def test_bisection_brackets_an_irrational_threshold() -> None:
    # a pays 2/p and b pays p: a below sqrt(2), b above.
    nodes = IRRATIONAL.replace("PAYOFF", "2/p").replace("OTHER", "p")
    scenario = tree_scenario(nodes, "{p: {value: 1, range: [1, 4]}}")
    result = spe_thresholds(scenario, "p")
    (threshold,) = result.thresholds
    assert result.method == "bisection" and not threshold.exact and threshold.at is None
    assert abs(threshold.value - math.sqrt(2)) < 1e-12
    lo, hi = threshold.bounds
    assert lo * lo < 2 < hi * hi
    assert "what holds exactly there is not known" in result.sentences()[1]
    check_against_oracle(scenario, "p", result)


def test_bisection_misses_what_falls_between_grid_values() -> None:
    # b is better only for |p - 1/1000| < 1/10**6, far inside one grid step: the caveat.
    nodes = IRRATIONAL.replace("PAYOFF", "abs(p - 1/1000)").replace("OTHER", "1/10**6")
    scenario = tree_scenario(nodes, "{p: {value: 0, range: [-1, 1]}}")
    result = spe_thresholds(scenario, "p")
    assert result.method == "bisection" and result.unchanging
    assert "could be missed" in result.sentences()[-1]
    assert spe_thresholds(scenario, "p", 0, F(1, 500), grid=5).thresholds  # a finer grid


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("scenario", "parameter", "bounds", "match"),
    [
        pytest.param(
            load(SCENARIOS / "london_talks.yaml"), "g_us", (0, 4), "not a game tree", id="no-tree"
        ),
        pytest.param(
            load(SCENARIOS / "london_licence_signal.yaml"),
            None,
            (0, 1),
            "perfect information",
            id="imperfect",
        ),
        pytest.param(LONDON, "nope", (0, 1), "unknown parameter 'nope'", id="unknown"),
        pytest.param(LONDON, "a_us", (3, 3), "low < high", id="empty-range"),
        pytest.param(
            tree_scenario(ENTRY, "{p: 0}"), "p", (None, None), "no declared range", id="no-range"
        ),
    ],
)
def test_errors(scenario: Scenario, parameter: str | None, bounds: tuple, match: str) -> None:
    name = parameter or (scenario.parameters[0].name if scenario.parameters else "x")
    with pytest.raises(SimError, match=match):
        spe_thresholds(scenario, name, *bounds)


def test_flip_thresholds_are_empty_without_a_perfect_information_tree() -> None:
    assert spe_flip_thresholds(load(SCENARIOS / "london_talks.yaml")) == ()
    assert spe_flip_thresholds(load(SCENARIOS / "london_licence_signal.yaml")) == ()


def test_explicit_bounds_override_the_declared_range() -> None:
    scenario = tree_scenario(ENTRY, "{p: 0}")
    assert [t.value for t in spe_thresholds(scenario, "p", "-1/2", 2.5).thresholds] == [1]


# ----------------------------------------------------------------------------- the oracle
def check_against_oracle(scenario: Scenario, name: str, result: SpeFlips) -> None:
    """Every piece at three rational points, every rational threshold, both ends."""
    for k, piece in enumerate(result.pieces):
        left = result.low if k == 0 else result.thresholds[k - 1].bounds[1]
        right = result.high if k == len(result.pieces) - 1 else result.thresholds[k].bounds[0]
        for x in (left + (right - left) * F(j, 4) for j in (1, 2, 3)):
            assert spe_paths(scenario, name, x)[0] == set(piece.paths), x
        assert spe_paths(scenario, name, piece.point)[0] == set(piece.paths)
    for k, threshold in enumerate(result.thresholds):
        assert threshold.at is None or {o.path for o in threshold.at} >= (
            result.pieces[k].paths | result.pieces[k + 1].paths
        )
        if threshold.exact:
            assert isinstance(threshold.value, F)
            paths, tie = spe_paths(scenario, name, threshold.value)
            assert paths == {o.path for o in threshold.at or ()} and tie
    assert spe_paths(scenario, name, result.low)[0] == {o.path for o in result.start}
    assert spe_paths(scenario, name, result.high)[0] == {o.path for o in result.end}
    json.dumps(result.to_dict())  # JSON-ready


@st.composite
def polynomial_trees(draw: Any) -> Scenario:
    """Small perfect-information trees (A moves at the root, B right below) whose payoffs
    are polynomials in p of degree at most 2 with coefficients in [-2, 2] (so ties and
    touching roots are common), sometimes with a chance node of probability (p + 2)/4."""
    budget = [draw(st.integers(1, 3))]  # further decision nodes
    blocks: list[str] = []
    counter = [0]

    def fresh(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    def payoff() -> str:
        c = [draw(st.integers(-2, 2)) for _ in range(3)]
        return f'"{c[2]}*p**2 + {c[1]}*p + {c[0]}"'

    def child(depth: int) -> str:
        """A terminal's payoff list, or the name of a new node (written to ``blocks``)."""
        if depth >= 3 or budget[0] <= 0 or draw(st.integers(0, 2)) == 0:
            return f"[{payoff()}, {payoff()}]"
        budget[0] -= 1
        if draw(st.integers(0, 4)) == 0:
            return node(depth, None)
        return node(depth, draw(st.sampled_from(["A", "B"])))

    def node(depth: int, player: str | None) -> str:
        name = fresh("n")
        at = len(blocks)
        blocks.append("")
        if player is None:
            lines = [f"  {name}:", "    chance:"]
            for probability in ("(p + 2)/4", "(2 - p)/4"):
                then = child(depth + 1)
                lines.append(f"      {fresh('o')}: {{probability: {probability}, then: {then}}}")
        else:
            lines = [f"  {name}:", f"    player: {player}", "    moves:"]
            for k in range(draw(st.integers(2, 3))):
                below = node(depth + 1, "B") if depth == 0 and k == 0 else child(depth + 1)
                lines.append(f"      {fresh('m')}: {below}")
        blocks[at] = "\n".join(lines) + "\n"
        return name

    node(0, "A")
    return tree_scenario("".join(blocks), "{p: {value: 0, range: [-2, 2]}}")


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(polynomial_trees())
def test_pieces_and_thresholds_agree_with_backward_induction_at_points(
    scenario: Scenario,
) -> None:
    result = spe_thresholds(scenario, "p")
    assert result.method == "polynomial"
    for k, threshold in enumerate(result.thresholds):  # every threshold changes something
        at = {o.path for o in threshold.at or ()}
        assert not result.pieces[k].paths == result.pieces[k + 1].paths == at
    check_against_oracle(scenario, "p", result)
