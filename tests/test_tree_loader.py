"""Loading game trees (kind: sequential), repeated and bargaining scenarios: shapes, values
and one test per class of mistake, each checking the reported line:column."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest

from sim.errors import ScenarioError, SimError
from sim.scenario import load, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

TREE = """\
kind: sequential
title: t
players: [US, China]
parameters: {a: 1}
nodes:
  start:
    player: US
    moves:
      ease: reply
      keep: [0, 0]
  reply:
    player: China
    moves:
      raise: [a + 2, 3]
      restrict: [-1, 4]
"""


def problems(text: str, base: Path | None = None) -> list[tuple[int, int, str]]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", base=base)
    return [(p.line, p.column, p.message) for p in info.value.problems]


def only(text: str, base: Path | None = None) -> tuple[int, int, str]:
    found = problems(text, base)
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------- valid trees
def test_tree_loads_with_its_reduced_strategic_form() -> None:
    scenario = parse_scenario(TREE, "s.yaml")
    assert scenario.kind == "sequential"
    assert scenario.tree is not None and scenario.tree.perfect_information
    assert scenario.game.moves == (("ease", "keep"), ("raise", "restrict"))
    assert scenario.game.payoff(("ease", "raise")) == (F(3), F(3))
    assert scenario.game.payoff(("keep", "restrict")) == (F(0), F(0))
    assert scenario.formulas[0] == ("a + 2", "3")


def test_with_parameters_re_evaluates_tree_and_strategic_form() -> None:
    scenario = parse_scenario(TREE, "s.yaml").with_parameters(a=5)
    assert scenario.game.payoff(("ease", "raise")) == (F(7), F(3))
    assert scenario.tree is not None
    raise_node = next(n for n in scenario.tree.nodes if n.name == "reply/raise")
    assert raise_node.payoffs == (F(7), F(3))


def test_chance_node_payoffs_are_expected_values_with_formulas() -> None:
    text = """\
kind: sequential
title: t
players: [A, B]
parameters: {p: 1/4}
nodes:
  nature:
    chance:
      good: {probability: p, then: a_good}
      bad: {probability: 1 - p, then: [0, 0]}
  a_good:
    player: A
    moves:
      go:
        player: B
        moves: {yes: [4, 8], no: [0, 0]}
      stop: [1, 1]
"""
    scenario = parse_scenario(text, "s.yaml")
    assert scenario.game.payoff(("go", "yes")) == (F(1), F(2))
    assert scenario.formulas[0] == ("p * 4", "p * 8")
    assert scenario.with_parameters(p=F(1, 2)).game.payoff(("go", "yes")) == (F(2), F(4))
    with pytest.raises(SimError, match="probabilit"):
        scenario.with_parameters(p=2)


def test_reduced_strategies_merge_unreachable_choices() -> None:
    scenario = load(SCENARIOS / "london_snap_back.yaml")
    us = scenario.game.moves[0]
    assert len(us) == 5  # 2 × 2 after easing, plus one for keeping the controls
    assert us[-1] == "maintain_chip_controls"
    assert (
        "after ease_chip_controls, token_approvals: snap_back" in scenario.move_descriptions[0][0]
    )


def test_information_sets_give_type_contingent_strategies() -> None:
    scenario = load(SCENARIOS / "london_licence_signal.yaml")
    assert scenario.tree is not None and not scenario.tree.perfect_information
    assert scenario.game.shape == (9, 8)  # 3 messages per type; 2 answers per message


def test_terminal_payoffs_by_player_name() -> None:
    text = TREE.replace("keep: [0, 0]", "keep: {payoffs: {China: 2, US: 1}}")
    assert parse_scenario(text, "s.yaml").game.payoff(("keep", "raise")) == (F(1), F(2))


def test_shared_terminal_node_is_copied() -> None:
    text = TREE.replace("keep: [0, 0]", "keep: end") + "  end: {payoffs: [0, 0]}\n"
    text = text.replace("restrict: [-1, 4]", "restrict: end")
    scenario = parse_scenario(text, "s.yaml")
    assert scenario.game.payoff(("ease", "restrict")) == (F(0), F(0))


def test_repeated_scenario_with_stage_file_and_set(tmp_path: Path) -> None:
    stage = (SCENARIOS / "london_talks.yaml").read_text(encoding="utf-8")
    (tmp_path / "stage.yaml").write_text(
        stage.replace("source: ../seeds/", f"source: {ROOT}/seeds/"), encoding="utf-8"
    )
    text = """\
kind: repeated
title: truce
stage: stage.yaml
set: {g_us: 3}
repeated: {target: [ease_chip_controls, raise_re_exports], discount: 9/10}
"""
    scenario = parse_scenario(text, str(tmp_path / "r.yaml"), base=tmp_path)
    assert scenario.kind == "repeated" and scenario.title == "truce"
    assert scenario.repeated is not None and scenario.repeated.target == (0, 0)
    assert scenario.repeated.discount == F(9, 10)
    assert scenario.parameter_values()["g_us"] == 3
    assert scenario.game.payoff((0, 0))[0] == 5


def test_bargaining_terms_follow_parameters() -> None:
    scenario = load(SCENARIOS / "london_package.yaml")
    assert scenario.bargaining is not None
    assert scenario.bargaining.outside_options == (F(-1, 2), F(-3, 2))
    changed = scenario.with_parameters(o_us=0)
    assert changed.bargaining is not None and changed.bargaining.outside_options == (0, F(-3, 2))


# ----------------------------------------------------------------------------- mistakes
@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        pytest.param(
            "      ease: reply\n",
            "      ease: replay\n",
            (9, 13),
            "unknown node 'replay'; did you mean 'reply'?",
            id="unknown-node",
        ),
        pytest.param(
            "    player: China\n",
            "    player: Chine\n",
            (12, 13),
            "unknown player 'Chine'; did you mean 'China'?",
            id="unknown-player",
        ),
        pytest.param(
            "      keep: [0, 0]\n",
            "      keep: [0, 0, 1]\n",
            (10, 13),
            "3 payoff(s) given; give one per player",
            id="payoff-count",
        ),
        pytest.param(
            "      raise: [a + 2, 3]\n",
            "      raise: [a + , 3]\n",
            (14, 15),
            "cannot parse the expression",
            id="bad-formula",
        ),
        pytest.param(
            "      raise: [a + 2, 3]\n",
            "      raise: [b + 2, 3]\n",
            (14, 15),
            "undefined parameter 'b'",
            id="undefined-parameter",
        ),
        pytest.param(
            "    player: China\n    moves:\n",
            "    player: China\n    payoffs: [1, 1]\n    moves:\n",
            (11, 3),
            "a node has exactly one of",
            id="decision-and-terminal",
        ),
        pytest.param(
            "nodes:\n",
            "root: begin\nnodes:\n",
            (5, 7),
            "root 'begin' is not a node",
            id="missing-root",
        ),
        pytest.param(
            "      ease: reply\n",
            "      ease: reply\n      wait: reply\n",
            (10, 13),
            "leads to node 'reply', which is already reached from 'nodes.start.moves.ease'",
            id="two-parents",
        ),
        pytest.param(
            "      raise: [a + 2, 3]\n",
            "      raise: start\n",
            (14, 14),
            "leads back to the root 'start', a cycle",
            id="cycle",
        ),
        pytest.param(
            "      raise: [a + 2, 3]\n      restrict: [-1, 4]\n",
            "      raise: [a + 2, 3]\n      raise: [-1, 4]\n",
            (15, 7),
            "duplicate key 'raise'",
            id="move-name-reused",
        ),
    ],
)
def test_tree_mistake(old: str, new: str, where: tuple[int, int], words: str) -> None:
    assert old in TREE
    line, col, message = only(TREE.replace(old, new, 1))
    assert (line, col) == where, message
    assert words in message


def test_unreachable_node() -> None:
    line, col, message = only(TREE + "  orphan: [1, 1]\n")
    assert (line, col) == (16, 3)
    assert "node 'orphan' is never reached from the root 'start'" in message


def test_player_without_moves() -> None:
    text = TREE.replace("players: [US, China]", "players: [US, China, EU]")
    text = text.replace("[0, 0]", "[0, 0, 0]").replace("3]", "3, 0]").replace("4]", "4, 0]")
    line, col, message = only(text)
    assert (line, col) == (3, 22)
    assert "player 'EU' never moves in the tree" in message


def test_decision_node_without_moves() -> None:
    text = TREE.replace("      raise: [a + 2, 3]\n      restrict: [-1, 4]\n", "") + ""
    text = text.replace("    player: China\n    moves:\n", "    player: China\n    moves: {}\n")
    line, col, message = only(text)
    assert (line, col) == (13, 12)
    assert "decision node 'reply' has no moves" in message


def test_chance_probabilities_must_sum_to_one() -> None:
    text = TREE.replace(
        "      ease: reply\n",
        "      ease:\n        chance:\n          up: {probability: 1/2, then: reply}\n"
        "          down: {probability: 1/4, then: [0, 0]}\n",
    )
    line, col, message = only(text)
    assert (line, col) == (11, 11)
    assert "probabilities sum to 3/4, not 1" in message


def test_negative_probability() -> None:
    text = TREE.replace(
        "      ease: reply\n",
        "      ease:\n        chance:\n          up: {probability: 3/2, then: reply}\n"
        "          down: {probability: -1/2, then: [0, 0]}\n",
    )
    assert "probability 3/2 is outside [0, 1]" in only(text)[2]


def test_information_set_nodes_need_the_same_moves() -> None:
    text = """\
kind: sequential
title: t
players: [A, B]
nodes:
  a:
    player: A
    moves:
      left: {player: B, information_set: guess, moves: {up: [1, 1], down: [0, 0]}}
      right: {player: B, information_set: guess, moves: {up: [0, 0], sideways: [1, 1]}}
"""
    line, _, message = only(text)
    assert line == 9
    assert "information set 'guess'" in message and "same moves" in message


def test_imperfect_recall_is_refused() -> None:
    text = """\
kind: sequential
title: t
players: [A, B]
nodes:
  a:
    player: A
    information_set: forgetful
    moves:
      left: {player: A, information_set: forgetful, moves: {left: [1, 1], right: [0, 0]}}
      right: {player: B, moves: {up: [0, 0], down: [1, 1]}}
"""
    line, column, message = only(text)
    assert (line, column) == (7, 22)
    assert "imperfect recall" in message


def test_information_set_on_a_terminal_node() -> None:
    text = TREE.replace(
        "      keep: [0, 0]\n", "      keep: {payoffs: [0, 0], information_set: x}\n"
    )
    assert "only decision nodes have an information_set" in only(text)[2]


def test_unknown_node_key_suggests_fix() -> None:
    text = TREE.replace("    player: China\n", "    playr: China\n")
    found = problems(text)
    assert any("did you mean 'player'" in m for _, _, m in found)


REPEATED = """\
kind: repeated
title: r
players:
  A: {moves: [c, d]}
  B: {moves: [c, d]}
payoffs:
  c, c: [3, 3]
  c, d: [0, 5]
  d, c: [5, 0]
  d, d: [1, 1]
repeated:
  target: [c, c]
"""


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        pytest.param("  target: [c, c]\n", "  target: [c, x]\n", "unknown move 'x'", id="target"),
        pytest.param(
            "  target: [c, c]\n",
            "  target: [c, c]\n  discount: 1\n",
            "discount factor 1 is outside [0, 1)",
            id="discount",
        ),
        pytest.param(
            "  target: [c, c]\n",
            "  target: [c, c]\n  punishments: [0]\n",
            "",
            id="punishment-length",
        ),
        pytest.param(
            "kind: repeated\n",
            "kind: repeated\nstage: nowhere.yaml\n",
            "stage",
            id="stage-and-players",
        ),
    ],
)
def test_repeated_mistake(old: str, new: str, words: str) -> None:
    assert old in REPEATED
    found = problems(REPEATED.replace(old, new, 1))
    assert found and all(line > 0 for line, _, _ in found)
    assert any(words in m for _, _, m in found), found


def test_repeated_stage_must_be_normal_form() -> None:
    stage = SCENARIOS / "entry_deterrence.yaml"
    text = f"kind: repeated\ntitle: r\nstage: {stage}\nrepeated: {{target: [a, b]}}\n"
    line, col, message = only(text)
    assert (line, col) == (3, 8)
    assert "not a normal_form scenario (kind: sequential)" in message


def test_repeated_set_unknown_parameter() -> None:
    text = (
        f"kind: repeated\ntitle: r\nstage: {SCENARIOS / 'london_talks.yaml'}\n"
        "set: {g_uss: 2}\nrepeated: {target: [ease_chip_controls, raise_re_exports]}\n"
    )
    line, col, message = only(text)
    assert (line, col) == (4, 7)
    assert "did you mean 'g_us'" in message


@pytest.mark.parametrize(
    ("section", "words"),
    [
        pytest.param("{weights: [1]}", "weights needs one value per player", id="weights-count"),
        pytest.param("{weights: [1, 0]}", "weight 0 must be above 0", id="weight-zero"),
        pytest.param("{discount: [1, 1/2]}", "discount factor 1 must be in (0, 1)", id="discount"),
        pytest.param("{first: C}", "unknown player 'C'", id="first"),
        pytest.param("{disagreement: status_quo}", "the scenario has no status_quo", id="no-sq"),
        pytest.param("{disagreement: [1]}", "one payoff per player", id="point"),
        pytest.param("{outside_options: [x, 1]}", "undefined parameter 'x'", id="formula"),
    ],
)
def test_bargaining_mistake(section: str, words: str) -> None:
    text = REPEATED.replace("kind: repeated", "kind: normal_form").replace(
        "repeated:\n  target: [c, c]\n", f"bargaining: {section}\n"
    )
    line, _, message = only(text)
    assert line == 11
    assert words in message


def test_every_shipped_tree_scenario_is_a_tree() -> None:
    for name in ("london_snap_back", "london_licence_signal", "entry_deterrence"):
        scenario = load(SCENARIOS / f"{name}.yaml")
        assert scenario.tree is not None and scenario.kind == "sequential"


def test_repeated_inline_stage_needs_two_players() -> None:
    text = "kind: repeated\ntitle: r\nplayers:\n  A: {moves: [c]}\npayoffs:\n  c: [1]\n"
    line, col, message = only(text + "repeated: {target: [c]}\n")
    assert (line, col) == (4, 3)
    assert "at least 2 players" in message


def test_game_tree_bargaining_has_no_status_quo() -> None:
    line, _, message = only(TREE + "bargaining: {disagreement: status_quo}\n")
    assert line == 16
    assert "a game tree has no status quo profile" in message


def test_deeply_nested_tree_says_how_to_flatten_it() -> None:
    text = "kind: sequential\ntitle: deep\nplayers: [A, B]\nnodes:\n  n0:\n"
    indent = "    "
    for i in range(300):
        player = "A" if i % 2 == 0 else "B"
        text += f"{indent}player: {player}\n{indent}moves:\n{indent}  stop: [1, 1]\n"
        text += f"{indent}  go:\n"
        indent += "    "
    text += f"{indent}payoffs: [0, 0]\n"
    found = problems(text)
    assert found and "in a game tree, name nodes under `nodes:`" in found[0][2]


def test_a_shared_terminal_with_a_bad_formula_is_reported_once() -> None:
    text = TREE.replace("keep: [0, 0]", "keep: end").replace("restrict: [-1, 4]", "restrict: end")
    line, col, message = only(text + "  end: [zz, 0]\n")
    assert (line, col) == (16, 9)
    assert "undefined parameter 'zz'" in message
