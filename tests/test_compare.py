"""Scenarios side by side (sim.analysis.compare).

The "what changed" sentences of each case below were derived by hand from the payoff
formulas of scenarios/london_talks.yaml (US: both concede v - c + g, only US concedes
-c - s, only China concedes v, neither -z; China likewise) and of a parametrised stag hunt.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import integer_games, move_permutations

from sim.analysis.compare import ROWS, Comparison, Row, compare
from sim.errors import SimError
from sim.game import Game
from sim.scenario import Scenario, load, parse_scenario
from sim.solvers import solve

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
TALKS = load(SCENARIOS / "london_talks.yaml")
SQ = "The status quo (maintain_chip_controls, restrict_re) pays"

STAG_HUNT = """
kind: normal_form
title: Stag hunt
players:
  Row: {moves: [stag, hare]}
  Column: {moves: [stag, hare]}
parameters: {s: 4, h: 3}
payoffs:
  stag, stag: [s, s]
  stag, hare: [0, h]
  hare, stag: [h, 0]
  hare, hare: [h, h]
"""
STAG = parse_scenario(STAG_HUNT, "stag.yaml")


def pair(before: Scenario, after: Scenario) -> tuple[str, ...]:
    return compare([before, after], names=["before", "after"]).sentences()


# ------------------------------------------------------------------ hand-derived pairs
@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(
            TALKS,
            TALKS.with_parameters(z_us=4),
            (
                "z_us is 1 in before and 4 in after.",
                "The game family is prisoner's dilemma in before and one-sided dominance in after.",
                "The ordinal type is Pd: Prisoner's Dilemma in before and Ch|Pd: Chicken (row) × "
                "Prisoner's Dilemma (column) in after.",
                "(ease_chip_controls, restrict_re) is an equilibrium in after but not in before.",
                "(maintain_chip_controls, restrict_re) is an equilibrium in before but not in "
                "after.",
                "Both have 1 equilibrium.",
                f"{SQ} US -1, China -2 in before and US -4, China -2 in after.",
            ),
            id="z_us-past-3-swaps-the-equilibrium",
        ),
        pytest.param(
            TALKS,
            TALKS.with_parameters(z_us=2),
            (
                "z_us is 1 in before and 2 in after.",
                "The game family is prisoner's dilemma in both.",
                "At the equilibrium (maintain_chip_controls, restrict_re), the payoffs are "
                "US -1, China -2 in before and US -2, China -2 in after.",
                "Both have 1 equilibrium.",
                f"{SQ} US -1, China -2 in before and US -2, China -2 in after.",
            ),
            id="z_us-below-3-moves-payoffs-only",
        ),
        pytest.param(
            TALKS,
            TALKS.with_parameters(z_cn=5),
            (
                "z_cn is 2 in before and 5 in after.",
                "The game family is prisoner's dilemma in before and one-sided dominance in after.",
                "The ordinal type is Pd: Prisoner's Dilemma in before and Pd|Ch: Prisoner's "
                "Dilemma (row) × Chicken (column) in after.",
                "(maintain_chip_controls, raise_re_exports) is an equilibrium in after but not "
                "in before.",
                "(maintain_chip_controls, restrict_re) is an equilibrium in before but not in "
                "after.",
                "Both have 1 equilibrium.",
                f"{SQ} US -1, China -2 in before and US -1, China -5 in after.",
            ),
            id="z_cn-past-4-china-opens",
        ),
        pytest.param(
            TALKS,
            TALKS.with_parameters(g_us=3),
            (
                "g_us is 1 in before and 3 in after.",
                "The game family is prisoner's dilemma in before and one-sided dominance in after.",
                "The ordinal type is Pd: Prisoner's Dilemma in before and Sh|Pd: Stag Hunt (row) × "
                "Prisoner's Dilemma (column) in after.",
                "The equilibria are the same in both, with the same payoffs: "
                "(maintain_chip_controls, restrict_re).",
                "Both have 1 equilibrium.",
                "(maintain_chip_controls, raise_re_exports) is Pareto-efficient in before but "
                "not in after.",
            ),
            id="g_us-3-the-deal-dominates-us-defection",
        ),
        pytest.param(
            STAG,
            STAG.with_parameters(s=6),
            (
                "s is 4 in before and 6 in after.",
                "The game family is stag hunt in before and coordination in after.",
                "At the equilibrium (stag, stag), the payoffs are Row 4, Column 4 in before and "
                "Row 6, Column 6 in after.",
                "The mixed equilibrium (Row: 3/4 stag + 1/4 hare; Column: 3/4 stag + 1/4 hare) "
                "in before moves to (Row: 1/2 stag + 1/2 hare; Column: 1/2 stag + 1/2 hare) in "
                "after.",
                "Both have 3 equilibria.",
            ),
            id="stag-hunt-mixed-equilibrium-moves",
        ),
        pytest.param(
            TALKS,
            load(SCENARIOS / "london_truce.yaml"),
            (
                "The game family is prisoner's dilemma in both.",
                "The equilibria are the same in both, with the same payoffs: "
                "(maintain_chip_controls, restrict_re).",
                "Both have 1 equilibrium.",
            ),
            id="same-stage-game-nothing-changes",
        ),
    ],
)
def test_what_changed(before: Scenario, after: Scenario, expected: tuple[str, ...]) -> None:
    assert pair(before, after) == expected


def test_status_quo_moves_between_profiles() -> None:
    other = parse_scenario(STAG_HUNT + "status_quo: [hare, hare]\n", "sq.yaml")
    moved = parse_scenario(STAG_HUNT + "status_quo: [stag, hare]\n", "sq.yaml")
    assert "The status quo is (hare, hare) in before and (stag, hare) in after." in pair(
        other, moved
    )
    assert "before has the status quo (hare, hare); after has none." in pair(other, STAG)


def test_three_player_pure_equilibria() -> None:
    def game(all_second: int) -> Scenario:
        """All on s1: 2 each; all on s2: ``all_second`` each; otherwise -3 to a player on
        s1 and -4 to one on s2 (so someone on s2 always gains by switching)."""
        payoffs = {p: [-3 - k for k in p] for p in product((0, 1), repeat=3)}
        payoffs[0, 0, 0] = [2, 2, 2]
        payoffs[1, 1, 1] = [all_second] * 3
        array = [[[payoffs[a, b, c] for c in (0, 1)] for b in (0, 1)] for a in (0, 1)]
        return Scenario.from_game(Game.from_payoffs(array))

    found = compare([game(1), game(-5)], names=["a", "b"])
    assert found.sentences() == (
        "(s2, s2, s2) is an equilibrium in a but not in b.",
        "a has 2 pure equilibria and b has 1 pure equilibrium.",
    )
    assert compare([game(1), game(1)]).sentences()[0] == (
        "The pure equilibria are the same in both, with the same payoffs: (s1, s1, s1), "
        "(s2, s2, s2)."
    )
    cells = {row.label: row.cells for row in found.rows()}
    assert cells["mixed equilibria"] == ("not searched", "not searched")
    assert cells["game family (2×2)"] == ("— (not 2×2)", "— (not 2×2)")
    assert found.to_dict()["scenarios"][1]["complete"] == "pure"


# ------------------------------------------------------------------- mismatched moves
def test_mismatched_moves_compare_payoffs_and_counts_only() -> None:
    tokens = load(SCENARIOS / "london_token_approvals.yaml")
    assert compare([TALKS, tokens]).sentences() == (
        "The game family is prisoner's dilemma in london_talks and not defined (not 2×2) in "
        "london_token_approvals.",
        "london_talks and london_token_approvals do not have the same moves (China has "
        "raise_re_exports and restrict_re in london_talks but raise_re_exports, "
        "token_approvals and restrict_re in london_token_approvals), so equilibria are "
        "compared by their payoffs and number only.",
        "US's equilibrium payoff is -1 in both.",
        "China's equilibrium payoff is -2 in both.",
        "The status quo pays US -1, China -2 in both.",
        "Both have 1 equilibrium.",
    )


def test_mismatched_moves_give_payoff_ranges() -> None:
    found = compare([load(SCENARIOS / "chicken.yaml"), load(SCENARIOS / "stag_hunt.yaml")])
    sentences = found.sentences()
    assert not any("is an equilibrium in" in s for s in sentences)
    assert (
        "Row's equilibrium payoff is between -1 and 1 in chicken and between 2 and 4 in "
        "stag_hunt." in sentences
    )
    assert not found.same_moves


def test_different_players_compare_counts_only() -> None:
    found = compare([load(SCENARIOS / "london_tariffs.yaml"), load(SCENARIOS / "chicken.yaml")])
    assert found.sentences()[1:] == (
        "london_tariffs and chicken have different players (US, China; Row, Column), so only "
        "the counts are compared.",
        "Both have 3 equilibria.",
    )


def reversed_rows(game: Game) -> Game:
    """The same game with the first player's moves listed in reverse order."""
    return Game.from_arrays(
        game.payoff_matrix(0)[::-1],
        game.payoff_matrix(1)[::-1],
        players=game.players,
        moves=(game.moves[0][::-1], game.moves[1]),
    )


@pytest.mark.parametrize(
    ("scenario", "same"),
    [
        pytest.param(TALKS, "(maintain_chip_controls, restrict_re)", id="pure"),
        pytest.param(
            load(SCENARIOS / "battle_of_the_sexes.yaml"),
            "(opera, opera), (Row: 3/5 opera + 2/5 football; Column: 2/5 opera + 3/5 "
            "football), (football, football)",
            id="mixed-battle-of-the-sexes",
        ),
    ],
)
def test_moves_matched_by_name_not_order(scenario: Scenario, same: str) -> None:
    game = scenario.game
    found = compare(
        [Scenario.from_game(game), Scenario.from_game(reversed_rows(game))], names=["a", "b"]
    )
    assert found.same_moves
    assert found.sentences()[1] == (
        f"The equilibria are the same in both, with the same payoffs: {same}."
    )


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_listing_moves_in_another_order_changes_no_equilibrium(data: st.DataObject) -> None:
    game = data.draw(integer_games(max_moves=3))
    orders = data.draw(move_permutations(game.shape))
    rows, columns = orders
    permuted = Game.from_arrays(
        game.payoff_matrix(0)[np.ix_(rows, columns)],
        game.payoff_matrix(1)[np.ix_(rows, columns)],
        players=game.players,
        moves=tuple(tuple(game.moves[i][j] for j in order) for i, order in enumerate(orders)),
    )
    sentences = compare([Scenario.from_game(game), Scenario.from_game(permuted)]).sentences()
    assert not any(" is an equilibrium in " in s for s in sentences), sentences
    assert not any("Pareto-efficient in" in s for s in sentences), sentences


# ----------------------------------------------------------------- numbers and layout
CASES = [
    pytest.param(["london_talks.yaml", "london_tariffs.yaml"], id="talks-tariffs"),
    pytest.param(["london_snap_back.yaml", "entry_deterrence.yaml"], id="trees"),
    pytest.param(["battle_of_the_sexes.yaml", "matching_pennies.yaml"], id="mixed"),
    pytest.param(["london_package.yaml", "london_token_approvals.yaml"], id="package"),
]


@pytest.mark.parametrize("files", CASES)
def test_to_dict_agrees_with_solve(files: list[str]) -> None:
    scenarios = [load(SCENARIOS / f) for f in files]
    data = json.loads(json.dumps(compare(scenarios).to_dict()))
    for scenario, entry in zip(scenarios, data["scenarios"], strict=True):
        game = scenario.game
        solution = solve(game)
        assert entry["count"] == len(solution.equilibria)
        assert entry["players"] == list(game.players)
        for eq, found in zip(solution.equilibria, entry["equilibria"], strict=True):
            assert [Fraction(v) for v in found["exact_payoffs"]] == list(eq.payoffs)
            assert found["payoffs"] == [float(v) for v in eq.payoffs]
            for i, player in enumerate(game.players):
                exact = found["exact_strategies"][player]
                assert {m: Fraction(p) for m, p in exact.items()} == {
                    game.moves[i][j]: eq.strategies[i][j] for j in eq.support(i)
                }
            if eq.pure_profile is not None:
                assert found["profile"] == list(game.profile_names(eq.pure_profile))
        if scenario.status_quo is not None:
            sq = entry["status_quo"]
            assert [Fraction(v) for v in sq["exact_payoffs"]] == list(
                game.payoff(scenario.status_quo)
            )


def test_float_game_has_no_exact_strings() -> None:
    irrational = parse_scenario(
        STAG_HUNT.replace("{s: 4, h: 3}", "{s: 4, h: 3, r: 2}").replace(
            "[s, s]", "[s + r ** 0.5, s]"
        ),
        "f.yaml",
    )
    data = compare([STAG, irrational]).to_dict()
    assert data["scenarios"][1]["equilibria"][0]["exact_payoffs"] is None
    assert data["scenarios"][0]["equilibria"][0]["exact_payoffs"] == ["4", "4"]
    assert any("1.414" in s or "5.414" in s for s in compare([STAG, irrational]).sentences())


def three() -> Comparison:
    return compare([TALKS, TALKS.with_parameters(z_us=2), TALKS.with_parameters(z_us=4)])


def test_three_scenarios_chain_pairs() -> None:
    found = three()
    assert found.names == ("london_talks", "london_talks (2)", "london_talks (3)")
    assert [(c.before, c.after) for c in found.changes] == [
        ("london_talks", "london_talks (2)"),
        ("london_talks (2)", "london_talks (3)"),
    ]
    alone = compare(
        [TALKS.with_parameters(z_us=2), TALKS.with_parameters(z_us=4)],
        names=["london_talks (2)", "london_talks (3)"],
    )
    assert found.changes[1].sentences == alone.changes[0].sentences
    assert [(d.name, d.values) for d in found.parameter_differences] == [
        ("z_us", (Fraction(1), Fraction(2), Fraction(4)))
    ]


def test_markdown_table_has_one_column_per_scenario() -> None:
    found = three()
    extra = Row("game family (other module)", ("x", "y", "z"))
    lines = found.markdown_lines(extra_rows=[extra])
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| | london_talks | london_talks (2) | london_talks (3) |"
    assert len(table) == 2 + len(ROWS) + 1 + 1  # header, rule, rows, z_us, extra
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 5 for line in table)
    assert table[-1] == "| game family (other module) | x | y | z |"
    assert "| parameter `z_us` | 1 | 2 | 4 |" in table
    bullets = [line for line in lines if line.startswith("  - ")]
    assert [b[4:] for b in bullets] == list(found.sentences())
    with pytest.raises(SimError, match="one per scenario"):
        found.markdown_lines(extra_rows=[Row("bad", ("x",))])


def test_pipes_in_titles_are_escaped() -> None:
    piped = parse_scenario(STAG_HUNT.replace("title: Stag hunt", "title: a | b"), "p.yaml")
    lines = compare([STAG, piped]).markdown_lines()
    assert "| title | Stag hunt | a \\| b |" in lines


# ----------------------------------------------------------------------------- names
def test_default_names_are_file_stems_made_unique() -> None:
    assert compare([TALKS, TALKS, TALKS]).names == (
        "london_talks",
        "london_talks (2)",
        "london_talks (3)",
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "a (2)", "a (3)", "b", ""]), min_size=2, max_size=5))
def test_names_are_unique(names: list[str]) -> None:
    labels = compare([STAG] * len(names), names=names).names
    assert len(set(labels)) == len(labels) == len(names)
    assert all(label for label in labels)
    if len(set(names)) == len(names) and all(names):
        assert labels == tuple(names)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"scenarios": [TALKS]}, "at least 2", id="one-scenario"),
        pytest.param({"scenarios": [TALKS, TALKS], "names": ["a"]}, "1 names", id="names"),
        pytest.param(
            {"scenarios": [TALKS, TALKS], "solutions": [solve(TALKS.game)]},
            "1 solutions",
            id="solutions",
        ),
        pytest.param(
            {
                "scenarios": [TALKS, load(SCENARIOS / "london_tariffs.yaml")],
                "solutions": [solve(TALKS.game), solve(TALKS.game)],
            },
            "own solution",
            id="wrong-solution",
        ),
    ],
)
def test_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SimError, match=message):
        compare(**kwargs)


def test_given_solutions_are_used() -> None:
    tariffs = load(SCENARIOS / "london_tariffs.yaml")
    pure = solve(tariffs.game, "pure")
    found = compare([TALKS, tariffs], solutions=[solve(TALKS.game), pure])
    assert found.entries[1].solution is pure
    assert found.rows()[6].cells[1] == "2 (pure only)"


def test_a_parameter_name_with_two_meanings_is_not_compared() -> None:
    tariffs, package = (
        load(SCENARIOS / "london_tariffs.yaml"),
        load(SCENARIOS / "london_package.yaml"),
    )
    meanings = {p.description for s in (tariffs, package) for p in s.parameters if p.name == "d_us"}
    assert len(meanings) == 2  # tariff damage in one, a discount factor in the other
    found = compare([tariffs, package])
    assert "d_us" not in {d.name for d in found.parameter_differences}
    assert not any("d_us" in s for s in found.sentences())
    same = compare([tariffs, tariffs.with_parameters(d_us=5)])
    assert [d.name for d in same.parameter_differences] == ["d_us"]


# ------------------------------------------------------ pure-only solutions and scales
def cyclic() -> Scenario:
    """Three players, each wanting to match the next and differ from the previous: no pure
    equilibrium."""
    payoffs = [[[[0] * 3 for _ in range(2)] for _ in range(2)] for _ in range(2)]
    for a, b, c in product(range(2), repeat=3):
        payoffs[a][b][c] = [int(a == b), int(b == c), int(c != a)]
    return Scenario.from_game(Game.from_payoffs(payoffs, players=("A", "B", "C")))


def test_games_solved_for_pure_equilibria_say_pure() -> None:
    assert compare([cyclic(), cyclic()], names=["x", "y"]).sentences() == (
        "Neither has a pure equilibrium; mixed equilibria are not searched for games of three "
        "or more players.",
    )
    ones = Game.from_payoffs([[[[1, 1, 1]] * 2] * 2] * 2, players=("A", "B", "C"),
                             moves=(("p", "q"), ("r", "s"), ("t", "u")))  # fmt: skip
    sentences = compare([cyclic(), Scenario.from_game(ones)], names=["x", "h"]).sentences()
    assert sentences[1:] == (
        "A's pure-equilibrium payoff is undefined (no pure equilibrium) in x and 1 in h.",
        "B's pure-equilibrium payoff is undefined (no pure equilibrium) in x and 1 in h.",
        "C's pure-equilibrium payoff is undefined (no pure equilibrium) in x and 1 in h.",
        "x has no pure equilibrium and h has 8 pure equilibria; mixed equilibria are not "
        "searched for games of three or more players.",
    )


def test_a_mixed_equilibrium_is_not_lost_to_a_pure_only_solution() -> None:
    battle = load(SCENARIOS / "battle_of_the_sexes.yaml")
    found = compare([battle, battle], solutions=[solve(battle.game), solve(battle.game, "pure")])
    assert found.sentences()[1:] == (
        "(Row: 3/5 opera + 2/5 football; Column: 2/5 opera + 3/5 football) is an equilibrium "
        "in battle_of_the_sexes; battle_of_the_sexes (2) was searched for pure equilibria only.",
        "battle_of_the_sexes has 3 equilibria and battle_of_the_sexes (2) has 2 pure equilibria.",
    )


def test_float_parameters_differ_only_beyond_the_tolerance_at_their_scale() -> None:
    big = STAG.with_parameters(s=1e10, h=3)
    nudged = STAG.with_parameters(s=1e10 + 1e-3, h=3)  # 1e-13 relative: a tie
    found = compare([big, nudged], names=["a", "b"])
    assert found.parameter_differences == ()
    assert not any(s.startswith("s is") for s in found.sentences())
    moved = compare([big, STAG.with_parameters(s=1.1e10, h=3)], names=["a", "b"])
    assert [d.name for d in moved.parameter_differences] == ["s"]


def test_equilibrium_payoffs_tied_at_the_games_scale_read_as_one_number() -> None:
    # P1 gets 1e-3 or 0 at the equilibria: tied at the game's scale (P2's 1e10 payoffs).
    a = Game.from_arrays([[1e-3, 0.0], [1e-3, 0.0]], [[1e10, 0.0], [0.0, 1e10]])
    b = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], moves=(("x", "y"), ("z", "w")))
    sentences = compare([Scenario.from_game(a), Scenario.from_game(b)], names=["a", "b"])
    assert "P1's equilibrium payoff is 0 in a and between 1/2 and 1 in b." in (
        sentences.sentences()
    )
