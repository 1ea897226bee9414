"""Tests for sim.analysis.explain: plain-language reasons, checked against the payoff arrays.

Every number an explanation states is recomputed here independently (explicit sums over the
payoff array, not :func:`sim.certificate.move_values`), on every scenario file and on random
games, including tie-heavy and float ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise, product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    any_player_games,
    dyadic_float_games,
    float_games,
    integer_games,
    tie_heavy_games,
)

from sim.analysis.best_response import best_responses
from sim.analysis.explain import HEADINGS, MAX_EQUILIBRIA, Explanation, explain
from sim.certificate import compare
from sim.errors import SimError
from sim.expression import FUNCTIONS
from sim.game import Game, Value
from sim.scenario import Scenario, load, parse_scenario
from sim.solvers import solve

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SETTINGS = settings(max_examples=60, deadline=None)
ALL = 10_000  # max_profiles large enough to list every profile of the games tested


# ------------------------------------------------------------- independent recomputation
def cell(game: Game, profile: tuple[int, ...], player: int) -> Value:
    value = game.payoffs[(*profile, player)]
    return value if isinstance(value, Fraction) else float(value)


def move_value(game: Game, strategies, player: int, move: int) -> Value:
    """Expected payoff of a pure move against the others' strategies, by an explicit sum."""
    others = [o for o in range(game.n_players) if o != player]
    total: Value = Fraction(0) if game.is_exact else 0.0
    for rest in product(*(range(game.shape[o]) for o in others)):
        weight: Value = Fraction(1) if game.is_exact else 1.0
        for o, m in zip(others, rest, strict=True):
            weight = weight * strategies[o][m]
        if weight == 0:
            continue
        profile = list(rest)
        profile.insert(player, move)
        total = total + weight * cell(game, tuple(profile), player)
    return total


def same(a: Value, b: Value, game: Game) -> bool:
    """Exactly equal (and exact) for exact games; tied within the tolerance otherwise."""
    if game.is_exact:
        return isinstance(a, Fraction) and isinstance(b, Fraction) and a == b
    return compare(a, b, game.scale()) == 0


def check_numbers(game: Game, result: Explanation) -> None:
    """Every stated number equals its recomputation; the signs are those of the theory."""
    scale = game.scale()
    for entry in result.equilibria:
        strategies = entry.equilibrium.strategies
        weak = False
        for i, player in enumerate(entry.players):
            values = [move_value(game, strategies, i, j) for j in range(game.shape[i])]
            assert all(same(a, b, game) for a, b in zip(player.values, values, strict=True))
            payoff = sum(p * v for p, v in zip(strategies[i], values, strict=True) if p > 0)
            assert same(player.payoff, payoff, game)
            support = [j for j, p in enumerate(strategies[i]) if p > 0]
            assert sorted(d.move for d in player.deviations) == [
                j for j in range(game.shape[i]) if j not in support
            ]
            for d in player.deviations:
                assert same(d.payoff, values[d.move], game)
                assert same(d.cost, payoff - values[d.move], game)
                assert compare(d.cost, 0, scale) >= 0, "a deviation gains at an equilibrium"
                weak |= compare(values[d.move], payoff, scale) == 0
            for j in support:  # indifference among the moves in use
                assert compare(values[j], player.payoff, scale) == 0
            costs = [d.cost for d in player.deviations]
            assert all(compare(a, b, scale) <= 0 for a, b in pairwise(costs))
        assert entry.weak == weak
    for entry in result.non_equilibria:
        assert entry.deviations, "a non-equilibrium profile needs a profitable deviation"
        profile = entry.profile
        for i in range(game.n_players):
            current = cell(game, profile, i)
            profitable = []
            for j in range(game.shape[i]):
                switched = (*profile[:i], j, *profile[i + 1 :])
                if j != profile[i] and compare(cell(game, switched, i), current, scale) > 0:
                    profitable.append(j)
            own = [d for d in entry.deviations if d.player == i]
            assert sorted(d.move for d in own) == profitable
            for d in own:
                switched = (*profile[:i], d.move, *profile[i + 1 :])
                assert same(d.gain, cell(game, switched, i) - current, game)
                assert compare(d.gain, 0, scale) > 0
    for step in result.dominance:
        i = step.step.player
        for opponents, mine, theirs in zip(
            step.against, step.dominator_payoffs, step.move_payoffs, strict=True
        ):
            full = list(opponents)
            full.insert(i, step.step.move)
            assert same(theirs, cell(game, tuple(full), i), game)
            expected = sum(
                p * cell(game, tuple([*full[:i], k, *full[i + 1 :]]), i)
                for k, p in enumerate(step.step.dominator)
                if p > 0
            )
            assert same(mine, expected, game)
            assert compare(mine - theirs, step.step.margin, scale) >= 0
            assert compare(mine - theirs, 0, scale) > 0


def check_partition(game: Game, result: Explanation) -> None:
    """Pure profiles: explained as equilibria exactly when best_responses says so."""
    table = best_responses(game)
    pure = {e.equilibrium.pure_profile for e in result.equilibria if e.equilibrium.is_pure}
    listed = {p.profile for p in result.non_equilibria}
    assert not pure & listed
    if result.unexplained:
        assert pure | set(result.borderline) <= set(table.pure_equilibria())
    else:
        assert pure | set(result.borderline) == set(table.pure_equilibria())
    if result.unlisted == 0:
        assert pure | listed | set(result.borderline) == set(game.profiles())
    for entry in result.non_equilibria:
        check = table.check(entry.profile)
        assert not check.is_equilibrium
        assert entry.movers == tuple(i for i, ok in enumerate(check.best_responding) if not ok)
        for i in entry.movers:
            assert same(entry.best(i)[0].gain, check.gains[i], game)


# ------------------------------------------------------------------------- every scenario
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_scenario(path: Path) -> None:
    scenario = load(path)
    result = explain(scenario, max_profiles=ALL)
    check_numbers(scenario.game, result)
    check_partition(scenario.game, result)
    assert len(result.equilibria) == len(solve(scenario.game).equilibria)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert [s["heading"] for s in data["sections"]] == list(HEADINGS)
    assert result.sentences() == explain(scenario, max_profiles=ALL).sentences()
    known = {p.name for p in scenario.parameters}
    for entry in result.equilibria:
        for player in entry.players:
            assert set(player.basis.parameters) <= known
            assert set(player.basis.evidence) <= set(scenario.evidence)
            assert player.basis.parameters == tuple(
                sorted(player.basis.parameters, key=[p.name for p in scenario.parameters].index)
            )


def identifiers(formula: str) -> set[str]:
    """Parameter names in a formula, read with a regular expression (not the parser)."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", formula)) - set(FUNCTIONS)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_basis_parameters_are_those_of_the_binding_formulas(path: Path) -> None:
    """Tree scenarios included: the composed formulas' names, and their evidence."""
    scenario = load(path)
    evidence = {p.name: set(p.evidence) for p in scenario.parameters}
    for entry in explain(scenario).equilibria:
        for player in entry.players:
            basis = player.basis
            assert basis.formulas is not None
            names = set().union(*(identifiers(f) for f in basis.formulas)) if basis.moves else set()
            assert set(basis.parameters) == names
            assert set(basis.evidence) == set().union(*(evidence[n] for n in names))
            # The cells are the compared moves against the others' supports.
            supports = [
                entry.equilibrium.support(o)
                for o in range(scenario.game.n_players)
                if o != player.player
            ]
            assert len(basis.profiles) == len(basis.moves) * len(list(product(*supports)))


# ------------------------------------------------------------- hand-derived evidence table
# Player's binding comparison -> parameters (declaration order), their evidence, and the
# evidence of the moves compared, read off the YAML files by hand.
EVIDENCE_TABLE = [
    pytest.param(
        "london_talks", "NE1", "US",
        ("c_us", "s_us", "z_us"),  # -z_us (maintain, restrict) vs -c_us - s_us (ease, restrict)
        ("E5", "E6", "E8", "E11", "E14"),
        ("E8", "E11"),
        id="talks-NE1-US",
    ),
    pytest.param(
        "london_talks", "NE1", "China",
        ("c_cn", "s_cn", "z_cn"),  # -z_cn vs -c_cn - s_cn (maintain, raise)
        ("E6", "E7", "E9", "E14", "E15", "E16"),
        ("E6", "E7", "E12", "E13", "E14"),
        id="talks-NE1-China",
    ),
    pytest.param(
        "london_tariffs", "NE1", "US",  # binding: ease (cost 2), not raise_tariffs (cost 3)
        ("c_us", "s_us", "z_us", "d_us"),
        ("E5", "E6", "E8", "E11", "E14", "E16"),
        ("E8", "E11"),
        id="tariffs-NE1-US",
    ),
    pytest.param(
        "london_tariffs", "NE1", "China",  # binding: restrict (cost 1)
        ("z_cn", "h_cn"),
        ("E9", "E15", "E16"),
        ("E2", "E6", "E7", "E9", "E14"),
        id="tariffs-NE1-China",
    ),
    pytest.param(
        "london_tariffs", "NE2", "US",  # mixes maintain/raise against restrict/retaliate
        ("z_us", "h_us", "d_us", "w_us"),
        ("E2", "E5", "E6", "E8", "E16"),
        ("E2", "E8", "E11"),
        id="tariffs-NE2-US-mixed",
    ),
    pytest.param(
        "london_tariffs", "NE2", "China",
        ("z_cn", "h_cn", "d_cn", "w_cn"),
        ("E2", "E9", "E15", "E16"),
        ("E2", "E6", "E7", "E9", "E14"),
        id="tariffs-NE2-China-mixed",
    ),
    pytest.param(
        "london_tariffs", "NE3", "China",  # binding: raise_re_exports (cost 2)
        ("c_cn", "s_cn", "z_cn", "d_cn"),
        ("E6", "E7", "E9", "E14", "E15", "E16"),
        ("E6", "E7", "E12", "E13", "E14"),
        id="tariffs-NE3-China",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "label", "player", "parameters", "evidence", "moves"), EVIDENCE_TABLE
)
def test_evidence_by_hand(name, label, player, parameters, evidence, moves) -> None:
    scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    result = explain(scenario)
    entry = next(e for e in result.equilibria if e.label == label)
    basis = entry.players[scenario.game.player_index(player)].basis
    assert (basis.parameters, basis.evidence, basis.move_evidence) == (
        parameters,
        evidence,
        moves,
    )
    data = entry.to_dict()["players"][scenario.game.player_index(player)]["basis"]
    assert (data["parameters"], data["evidence"]) == (list(parameters), list(evidence))


def test_london_talks_sentences() -> None:
    scenario = load(ROOT / "scenarios" / "london_talks.yaml")
    sections = dict(explain(scenario).sections())
    assert sections["Why each equilibrium holds"] == (
        "NE1 (maintain_chip_controls, restrict_re): US would lose 2 by switching to "
        "ease_chip_controls (-3 instead of -1); China would lose 2 by switching to "
        "raise_re_exports (-4 instead of -2).",
        "NE1 is the status quo.",
    )
    assert sections["Why other outcomes are not equilibria"][0] == (
        "(ease_chip_controls, raise_re_exports) is not an equilibrium: US gains 1 by "
        "switching to maintain_chip_controls (4 instead of 3); China gains 1 by switching to "
        "restrict_re (5 instead of 4)."
    )
    assert sections["Dominance, step by step"][1] == (
        "Round 1: China's restrict_re strictly dominates raise_re_exports: whatever US does, "
        "it pays at least 1 more (5 vs 4 against ease_chip_controls, -2 vs -4 against "
        "maintain_chip_controls)."
    )
    assert sections["Dominance, step by step"][-1] == (
        "Only (maintain_chip_controls, restrict_re) survives: the game is dominance solvable."
    )
    assert sections["What the conclusions rest on"][0].startswith(
        "NE1: US's choice rests on c_us, s_us and z_us (evidence E5, E6, E8, E11, E14)"
    )


def test_status_quo_that_is_not_an_equilibrium_comes_first() -> None:
    scenario = load(ROOT / "scenarios" / "london_tariffs.yaml")
    result = explain(scenario, max_profiles=0)
    assert [p.profile for p in result.non_equilibria] == [scenario.status_quo]
    assert (
        result.non_equilibria[0]
        .sentence()
        .startswith(
            "The status quo (maintain_chip_controls, restrict_re) is not an equilibrium: US gains 1"
        )
    )
    assert result.unlisted == 9 - 2 - 1  # nine profiles, two pure equilibria, the status quo
    equilibria = dict(result.sections())["Why each equilibrium holds"]
    assert (
        "The status quo (maintain_chip_controls, restrict_re) is not an equilibrium"
        in (equilibria[-1])
    )


# ------------------------------------------------------------------------ textbook table
PD = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Row", "Column"),
                      moves=(("cooperate", "defect"), ("cooperate", "defect")))  # fmt: skip
ENTRY = Game.from_arrays([[0, 0], [-1, 1]], [[2, 2], [-1, 1]], players=("Entrant", "Firm"),
                         moves=(("out", "in"), ("fight", "yield")))  # fmt: skip
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
HALF_HALF = Game.from_arrays([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]],
                             moves=(("T", "M", "B"), ("L", "R")))  # fmt: skip


@pytest.mark.parametrize(
    ("game", "weak", "sentence"),
    [
        pytest.param(PD, [False], "NE1 (defect, defect): Row would lose 1 by switching to "
                     "cooperate (0 instead of 1); Column would lose 1 by switching to "
                     "cooperate (0 instead of 1).", id="prisoners-dilemma"),
        pytest.param(ENTRY, [True, True, False], "NE1 is weak: Firm could switch to yield at "
                     "no cost.", id="entry-weak"),
        pytest.param(PENNIES, [False], "P1 is willing to mix (1/2 s1 + 1/2 s2): it is "
                     "indifferent between s1 and s2, which each pay 0 against P2's mixture "
                     "(1/2 s1 + 1/2 s2). P2's mixture is what makes P1 indifferent.",
                     id="pennies-mixing"),
        pytest.param(HALF_HALF, [False, False, False], "Round 1: P1's B is strictly "
                     "dominated by the mixture (1/2 T + 1/2 M): whatever P2 does, the mixture "
                     "pays at least 1/2 more (3/2 vs 1 against L, 3/2 vs 1 against R).",
                     id="mixed-dominator"),
    ],
)  # fmt: skip
def test_textbook(game: Game, weak: list[bool], sentence: str) -> None:
    result = explain(game)
    assert [e.weak for e in result.equilibria] == weak
    assert sentence in result.sentences()
    check_numbers(game, result)


def test_plain_numbers_have_no_parameters() -> None:
    result = explain(PD)
    assert all(not p.basis.parameters for e in result.equilibria for p in e.players)
    assert dict(result.sections())["What the conclusions rest on"] == (
        "No payoff compared at an equilibrium involves a parameter: they are given as plain "
        "numbers.",
    )
    assert explain(Scenario.from_game(PD)).sentences() == result.sentences()


def test_three_players_with_no_pure_equilibrium() -> None:
    # Each player wants to match the next one (0 -> 1 -> 2 -> 0) but be unlike the previous.
    payoffs = [[[[0] * 3 for _ in range(2)] for _ in range(2)] for _ in range(2)]
    for a, b, c in product(range(2), repeat=3):
        payoffs[a][b][c] = [int(a == b), int(b == c), int(c != a)]
    game = Game.from_payoffs(payoffs, players=("A", "B", "C"))
    result = explain(game)
    assert not result.equilibria and len(result.non_equilibria) == 8
    sections = dict(result.sections())
    assert sections["Why each equilibrium holds"] == (
        "No pure equilibrium exists; mixed equilibria are not searched for games of three or "
        "more players.",
    )
    assert sections["What the conclusions rest on"] == (
        "No pure equilibrium exists, so there is nothing to trace; mixed equilibria are not "
        "searched for games of three or more players.",
    )
    check_numbers(game, result)
    check_partition(game, result)


def test_errors() -> None:
    with pytest.raises(SimError, match="another game"):
        explain(PD, solve(PENNIES))
    with pytest.raises(SimError, match="max_profiles"):
        explain(PD, max_profiles=-1)
    with pytest.raises(SimError, match="Scenario or a Game"):
        explain("london_talks.yaml")  # type: ignore[arg-type]


# ------------------------------------------------------------------ properties on games
@SETTINGS
@given(st.one_of(tie_heavy_games(max_moves=4), any_player_games(max_players=3)))
def test_random_games(game: Game) -> None:
    result = explain(game, max_profiles=ALL)
    check_numbers(game, result)
    check_partition(game, result)
    assert not result.borderline  # exact games: the solver and the check agree
    json.dumps(result.to_dict(), allow_nan=False)


@SETTINGS
@given(tie_heavy_games(max_moves=4))
def test_weak_flag_exactly_at_zero_cost_deviations(game: Game) -> None:
    for entry in explain(game).equilibria:
        profile = entry.equilibrium.pure_profile
        if profile is None:
            continue
        tied = any(
            cell(game, (*profile[:i], j, *profile[i + 1 :]), i) == cell(game, profile, i)
            for i in range(game.n_players)
            for j in range(game.shape[i])
            if j != profile[i]
        )
        assert entry.weak == tied
        assert entry.strict == (not tied)  # a pure equilibrium is strict unless weak
        assert (f"{entry.label} is weak:" in " ".join(entry.sentences())) == tied


@SETTINGS
@given(float_games(max_moves=3))
def test_float_games(game: Game) -> None:
    result = explain(game, max_profiles=ALL)
    check_numbers(game, result)
    check_partition(game, result)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    for entry, found in zip(result.equilibria, data["equilibria"], strict=True):
        assert found["exact_payoffs"] is None  # a float game has no exact strings
        assert found["payoffs"] == {
            game.players[i]: float(p.payoff) for i, p in enumerate(entry.players)
        }
    assert [tuple(s["sentences"]) for s in data["sections"]] == [s for _, s in result.sections()]


@SETTINGS
@given(dyadic_float_games(max_moves=3))
def test_float_twin_explained_like_the_exact_game(twins: tuple[Game, Game]) -> None:
    exact, floating = (explain(g, max_profiles=ALL) for g in twins)
    assert [e.weak for e in exact.equilibria] == [e.weak for e in floating.equilibria]
    assert [(p.profile, p.movers) for p in exact.non_equilibria] == [
        (p.profile, p.movers) for p in floating.non_equilibria
    ]
    assert [(s.step.player, s.step.move) for s in exact.dominance] == [
        (s.step.player, s.step.move) for s in floating.dominance
    ]
    for a, b in zip(exact.equilibria, floating.equilibria, strict=True):
        for p, q in zip(a.players, b.players, strict=True):
            assert [d.move for d in p.binding] == [d.move for d in q.binding]
            scale = twins[1].scale()
            assert all(
                compare(float(x), y, scale) == 0 for x, y in zip(p.values, q.values, strict=True)
            )


def test_at_most_max_equilibria_are_explained_the_status_quo_always() -> None:
    import numpy as np

    constant = Game.from_payoffs(np.zeros((8, 8, 2), dtype=int))  # all 64 profiles
    solution = solve(constant, "pure")
    result = explain(constant, solution)
    assert len(result.equilibria) == MAX_EQUILIBRIA == 50 and result.unexplained == 14
    assert [e.label for e in result.equilibria] == [f"NE{k}" for k in range(1, 51)]
    sentences = result.sections()[0][1]
    assert "14 more equilibria are not explained here; the first 50 are" in " ".join(sentences)
    assert result.to_dict()["unexplained_equilibria"] == 14
    # An equilibrium at the status quo is explained wherever it comes in the list.
    last = replace(Scenario.from_game(constant), status_quo=(7, 7))
    few = explain(last, solution, max_equilibria=3)
    assert [e.label for e in few.equilibria] == ["NE1", "NE2", "NE3", "NE64"]
    assert few.equilibria[-1].status_quo and few.unexplained == 60
    assert "60 more equilibria are not explained here; the first 3 and the status quo, NE64, " in (
        " ".join(few.sections()[0][1])
    )
    assert explain(constant, solution, max_equilibria=64).unexplained == 0
    with pytest.raises(SimError, match="max_equilibria must be a non-negative integer"):
        explain(constant, solution, max_equilibria=-1)


@SETTINGS
@given(any_player_games(max_players=3), st.integers(0, 6))
def test_bounded_and_deterministic(game: Game, limit: int) -> None:
    result = explain(game, max_profiles=limit)
    failing = [c.profile for c in best_responses(game).checks if not c.is_equilibrium]
    assert len(result.non_equilibria) == min(limit, len(failing))
    assert len(result.non_equilibria) + result.unlisted == len(failing)
    assert [p.profile for p in result.non_equilibria] == failing[:limit]  # profile order
    sentences = result.sentences()
    assert sentences == explain(game, max_profiles=limit).sentences()
    assert any(re.match(r"\d+ (more )?pure profiles? (is|are) not", s) for s in sentences) == (
        result.unlisted > 0
    )
    for entry in result.non_equilibria:  # sentences name the profile and the movers
        text = entry.sentence()
        assert f"({', '.join(game.profile_names(entry.profile))})" in text
        for i in entry.movers:
            best = entry.best(i)[0]
            assert f"{game.players[i]} gains" in text
            assert game.moves[i][best.move] in text
    for entry in result.equilibria:
        text = " ".join(entry.sentences())
        for i, player in enumerate(entry.players):
            assert game.players[i] in text
            for d in player.deviations[:4]:
                assert game.moves[i][d.move] in text
    assert [h for h, _ in result.sections()] == list(HEADINGS)
    lines = result.markdown_lines()
    assert [line for line in lines if line.startswith("## ")] == [f"## {h}" for h in HEADINGS]


# ------------------------------------------------- what the conclusions rest on, by hand
# london_tariffs at its defaults (payoff tables in the YAML header). NE1 (maintain,
# retaliate): US's cheapest deviation is ease; China's is restrict. NE2: each side mixes
# 3/4 on its passive move and 1/4 on its tariff move; US's indifference is
# -1 - 2q = -6q (q = P(China retaliates) = 1/4), China's is -2 - 3p = -1 - 7p (p = 1/4).
TARIFF_BASIS = [
    pytest.param(
        "london_tariffs", "NE1: US's choice rests on c_us, s_us, z_us and d_us (evidence E5, "
        "E6, E8, E11, E14, E16): against retaliate_tariffs, maintain_chip_controls pays "
        "-z_us - d_us and ease_chip_controls pays -c_us - s_us - d_us. The moves compared "
        "cite E8, E11.",
        id="tariffs-NE1-US-pure",
    ),
    pytest.param(
        "london_tariffs", "NE2: US's indifference between maintain_chip_controls and "
        "raise_tariffs rests on z_us, h_us, d_us and w_us (evidence E2, E5, E6, E8, E16): "
        "maintain_chip_controls pays -z_us against restrict_re and -z_us - d_us against "
        "retaliate_tariffs; raise_tariffs pays -z_us + h_us against restrict_re and "
        "-z_us - w_us against retaliate_tariffs. The moves compared cite E2, E8, E11.",
        id="tariffs-NE2-US-indifference-grouped-by-move",
    ),
    pytest.param(
        "london_tariffs", "NE2: US's mixture (3/4 maintain_chip_controls + 1/4 raise_tariffs) "
        "is what makes China indifferent between restrict_re and retaliate_tariffs, so it "
        "rests on China's payoffs: z_cn, h_cn, d_cn and w_cn (evidence E2, E9, E15, E16).",
        id="tariffs-NE2-US-mixture-rests-on-China",
    ),
    pytest.param(
        "london_tariffs", "NE2: China's mixture (3/4 restrict_re + 1/4 retaliate_tariffs) is "
        "what makes US indifferent between maintain_chip_controls and raise_tariffs, so it "
        "rests on US's payoffs: z_us, h_us, d_us and w_us (evidence E2, E5, E6, E8, E16).",
        id="tariffs-NE2-China-mixture-rests-on-US",
    ),
    # london_snap_back NE2: US mixes two plans that both pay 3 against raise_re_exports;
    # China's raise (4 against either) and restrict (-5, then 5) tie only at US's 1/10, 9/10.
    pytest.param(
        "london_snap_back", "NE2: US's mixture (1/10 ease_chip_controls/snap_back/snap_back "
        "+ 9/10 ease_chip_controls/snap_back/accept) is what makes China indifferent between "
        "raise_re_exports and restrict_re, so it rests on China's payoffs: v_cn, c_cn, g_cn, "
        "z_cn and l_cn (evidence E2, E4, E5, E6, E7, E9, E14, E15, E16).",
        id="snap-back-NE2-mixture-sets-a-pure-players-tie",
    ),
    # NE7: China mixes 3/7 raise + 4/7 restrict; US's maintain pays -1 either way and
    # ease/snap_back/accept pays 3 or -4: 3/7 * 3 + 4/7 * (-4) = -1, a three-way tie.
    pytest.param(
        "london_snap_back", "NE7: China's mixture (3/7 raise_re_exports + 4/7 restrict_re) is "
        "what makes US indifferent between ease_chip_controls/snap_back/accept, "
        "ease_chip_controls/accept/accept and maintain_chip_controls, so it rests on US's "
        "payoffs: v_us, c_us, g_us, s_us, z_us and a_us (evidence E2, E4, E5, E6, E7, E8, "
        "E11, E12, E14, E16).",
        id="snap-back-NE7-mixture-sets-three-best-replies",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "sentence"), TARIFF_BASIS)
def test_basis_sentences_by_hand(name: str, sentence: str) -> None:
    result = explain(load(ROOT / "scenarios" / f"{name}.yaml"))
    assert sentence in dict(result.sections())["What the conclusions rest on"]


def formula(scenario: Scenario, profile: tuple[int, ...], player: int) -> str:
    """The payoff formula of one cell, read from the flat list in row-major order."""
    index = 0
    for k, m in zip(scenario.game.shape, profile, strict=True):
        index = index * k + m
    return scenario.formulas[index][player]


def opponents(game: Game, player: int, profile: tuple[int, ...]) -> str:
    names = [game.moves[o][m] for o, m in enumerate(profile) if o != player]
    return names[0] if len(names) == 1 else f"({', '.join(names)})"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_basis_cells_are_grouped_by_the_players_own_move(path: Path) -> None:
    """Each move is followed by its own cells' formulas (never another move's)."""
    scenario = load(path)
    game = scenario.game
    for entry in explain(scenario).equilibria:
        for player in entry.players:
            for basis in (player.basis, *player.sets):
                text = basis.cells_text()
                if text is None:
                    assert (
                        len(basis.profiles) > 4
                        or not basis.moves
                        or any(len(f) > 40 for f in basis.formulas or ())
                    )
                    continue
                i = basis.player
                if len(basis.profiles) == len(basis.moves):  # one profile of the others
                    assert text.startswith(f"against {opponents(game, i, basis.profiles[0])}, ")
                    for q in basis.profiles:
                        assert f"{game.moves[i][q[i]]} pays {formula(scenario, q, i)}" in text
                    continue
                groups = text.split("; ")
                assert len(groups) == len(basis.moves)
                for j, group in zip(basis.moves, groups, strict=True):
                    assert group.startswith(f"{game.moves[i][j]} pays ")
                    own = {
                        f"{formula(scenario, q, i)} against {opponents(game, i, q)}"
                        for q in basis.profiles
                        if q[i] == j
                    }
                    assert all(phrase in group for phrase in own)
                    assert group.count(" against ") == len(own)


def best_replies(game: Game, strategies, player: int) -> list[int]:
    values = [move_value(game, strategies, player, j) for j in range(game.shape[player])]
    best = max(values)
    return [j for j, v in enumerate(values) if v == best]


def tied_against(game: Game, player: int, moves: list[int], other: int, move: int) -> bool:
    """Two-player games: do ``moves`` of ``player`` all pay the same against ``move``?"""
    profile = [0, 0]
    profile[other] = move
    values = []
    for j in moves:
        profile[player] = j
        values.append(cell(game, tuple(profile), player))
    return len(set(values)) == 1


@SETTINGS
@given(st.one_of(tie_heavy_games(max_moves=4), integer_games(max_moves=4)))
def test_mixtures_are_said_to_set_an_indifference_only_when_they_do(game: Game) -> None:
    """A mixture "makes Y indifferent" exactly when Y's best replies (or, in the equilibrium
    section, the moves Y mixes) pay differently against some move the mixer uses."""
    for entry in explain(game).equilibria:
        strategies = entry.equilibrium.strategies
        text = " ".join(entry.sentences())
        for i, player in enumerate(entry.players):
            if not player.mixes:
                assert player.sets == ()
                continue
            o = 1 - i
            replies = best_replies(game, strategies, o)
            setting = len(replies) > 1 and not all(
                tied_against(game, o, replies, i, k) for k in player.support
            )
            assert [b.player for b in player.sets] == ([o] if setting else [])
            if setting:
                basis = player.sets[0]
                assert list(basis.moves) == replies and basis.indifference
            # The equilibrium section, about i's own indifference.
            other = entry.players[o]
            if other.mixes:
                moved = not all(
                    tied_against(game, i, list(player.support), o, k) for k in other.support
                )
                claim = f"{game.players[o]}'s mixture is what makes {game.players[i]} indifferent."
                assert (claim in text) == moved
                same = f"pay the same against each move {game.players[o]} uses"
                assert (same in text) == (not moved)


def test_moves_that_pay_the_same_against_every_move_are_not_made_indifferent() -> None:
    game = Game.from_arrays(
        [[1, 1], [1, 1], [2, 0]],  # a and b pay 1 whatever Col does
        [[1, 0], [0, 1], [0, 0]],
        players=("Row", "Col"),
        moves=(("a", "b", "c"), ("x", "y")),
    )
    result = explain(game)
    assert result.equilibria[0].sentences()[1] == (
        "Row is willing to mix (1/2 a + 1/2 b): it is indifferent between a and b, which each "
        "pay 1 against Col's mixture (1/2 x + 1/2 y). Row's a and b pay the same against each "
        "move Col uses, so it is indifferent whatever mixture Col plays."
    )
    # ... but Col's mixture is what makes Row's c (2 or 0) tie with a and b (1 either way).
    row = result.equilibria[0].players[0]
    assert [b.player for b in result.equilibria[0].players[1].sets] == [0]
    assert result.equilibria[0].players[1].sets[0].moves == (0, 1, 2)
    assert row.sets[0].moves == (0, 1)


# --------------------------------------------------------------- weak, strict, bounded
ZEROS = Game.from_arrays([[0] * 7] * 7, [[0] * 7] * 7)


def test_mixed_equilibria_are_never_called_strict() -> None:
    entry = explain(PENNIES).equilibria[0]
    assert not entry.weak and not entry.strict
    assert entry.sentences()[-1] == (
        "NE1 is not strict (no mixed equilibrium is): P1 and P2 are indifferent among the "
        "moves they mix."
    )
    assert entry.to_dict()["strict"] is False
    assert explain(PD).equilibria[0].to_dict()["strict"] is True


def test_weak_sentence_and_zero_cost_clause_are_capped() -> None:
    entry = explain(ZEROS).equilibria[0]
    assert entry.sentences() == (
        "NE1 (s1, s1): P1 would lose nothing by switching to s2, s3, s4 or s5 (0 either way), "
        "and nothing or more by switching to any of the 2 other moves; P2 would lose nothing "
        "by switching to s2, s3, s4 or s5 (0 either way), and nothing or more by switching "
        "to any of the 2 other moves.",
        "NE1 is weak: P1 could switch to s2, s3, s4, s5 or any of the 2 other moves and P2 "
        "could switch to s2, s3, s4, s5 or any of the 2 other moves at no cost.",
    )


def test_costs_after_the_named_deviations_are_bounded_below() -> None:
    against = [5, 0, 1, 2, 3, 4, 4]  # P1's payoffs against c0; P2 always prefers c0
    game = Game.from_arrays([[v, 9] for v in against], [[1, 0]] * 7,
                            moves=(tuple(f"m{k}" for k in range(7)), ("c0", "c1")))  # fmt: skip
    assert explain(game).equilibria[0].sentences()[0] == (
        "NE1 (m0, c0): P1 would lose 1 by switching to m5 or m6 (4 instead of 5), 2 by "
        "switching to m4 (3 instead of 5), 3 by switching to m3 (2 instead of 5), and at "
        "least 3 by switching to any of the 2 other moves; P2 would lose 1 by switching to "
        "c1 (0 instead of 1)."
    )


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        pytest.param([0, 3, 2, 2, 2, 2, 2], "(m0, c0) is not an equilibrium: P1 gains 3 by "
                     "switching to m1 (3 instead of 0) (it would also gain 2 by switching to "
                     "m2, m3 or m4 and at most 2 by switching to any of the 2 other moves).",
                     id="ties-after-the-best"),
        pytest.param([0, 4, 3, 2, 1, 1, 1], "(m0, c0) is not an equilibrium: P1 gains 4 by "
                     "switching to m1 (4 instead of 0) (it would also gain 3 by switching to "
                     "m2, 2 by switching to m3, 1 by switching to m4 and at most 1 by "
                     "switching to any of the 2 other moves).", id="decreasing"),
        pytest.param([0, 1, 1, 1, 1, 1, 0], "(m0, c0) is not an equilibrium: P1 gains 1 by "
                     "switching to m1, m2, m3 or m4 (1 instead of 0) (it would also gain at "
                     "most 1 by switching to the one other move).", id="best-tied-past-the-cap"),
    ],
)  # fmt: skip
def test_gains_after_the_named_deviations_are_bounded_above(column, expected) -> None:
    moves = (tuple(f"m{k}" for k in range(7)), ("c0", "c1"))
    game = Game.from_arrays([[v, 9] for v in column], [[1, 0]] * 7, moves=moves)
    result = explain(game, max_profiles=ALL)
    sentence = next(p.sentence() for p in result.non_equilibria if p.profile == (0, 0))
    assert sentence == expected


TARIFFS = load(ROOT / "scenarios" / "london_tariffs.yaml")  # 7 non-equilibrium profiles


@pytest.mark.parametrize(
    ("scenario", "limit", "expected"),
    [
        pytest.param(TARIFFS, 0, "6 more pure profiles are not equilibria; 1 is listed above "
                     "(the status quo).", id="status-quo-only"),
        pytest.param(TARIFFS, 6, "1 more pure profile is not an equilibrium; 6 are listed "
                     "above (the status quo first).", id="one-unlisted"),
        pytest.param(Scenario.from_game(TARIFFS.game), 2, "5 more pure profiles are not "
                     "equilibria; 2 are listed above.", id="no-status-quo"),
        pytest.param(Scenario.from_game(TARIFFS.game), 0, "7 pure profiles are not "
                     "equilibria; none is listed.", id="none-listed"),
    ],
)  # fmt: skip
def test_unlisted_profiles_are_counted_in_words(scenario, limit, expected) -> None:
    result = explain(scenario, max_profiles=limit)
    assert dict(result.sections())["Why other outcomes are not equilibria"][-1] == expected
    assert result.unlisted + len(result.non_equilibria) == 7


# ------------------------------------------------------ evidence without parameters
def test_move_evidence_is_kept_when_payoffs_are_plain_numbers() -> None:
    text = (ROOT / "scenarios" / "london_talks.yaml").read_text(encoding="utf-8")
    start, end = text.index("payoffs:\n"), text.index("status_quo:")
    numbers = (
        "payoffs:\n"
        "  ease_chip_controls, raise_re_exports: [3, 4]\n"
        "  ease_chip_controls, restrict_re: [-3, 5]\n"
        "  maintain_chip_controls, raise_re_exports: [4, -4]\n"
        "  maintain_chip_controls, restrict_re: [-1, -2]\n"
    )
    scenario = parse_scenario(text[:start] + numbers + text[end:], "n.yaml", ROOT / "scenarios")
    assert dict(explain(scenario).sections())["What the conclusions rest on"] == (
        "NE1: US's choice rests on payoffs given as plain numbers; no parameter is involved. "
        "The moves compared cite E8, E11.",
        "NE1: China's choice rests on payoffs given as plain numbers; no parameter is "
        "involved. The moves compared cite E6, E7, E12, E13, E14.",
    )


# ------------------------------------------------------------- solving a large tree
def test_a_tree_too_large_to_enumerate_is_explained_by_its_pure_equilibria(monkeypatch) -> None:
    import sim.solvers as module
    import sim.solvers.polytope as polytope

    monkeypatch.setattr(polytope, "MEMORY_BUDGET", 1)  # every enumeration stops at once
    tree = load(ROOT / "scenarios" / "entry_deterrence.yaml")
    result = explain(tree)
    assert result.complete == "pure" and result.equilibria
    assert all(e.equilibrium.is_pure for e in result.equilibria)
    assert (
        "Only pure equilibria were searched; mixed equilibria are not explained here."
        in result.sentences()
    )
    # A normal-form game gets Lemke–Howson and every pure equilibrium, and says so.
    flat = module.solve_scenario(load(ROOT / "scenarios" / "prisoners_dilemma.yaml"))
    assert flat.complete == "some" and "memory budget" in flat.notes[0]
    sentences = explain(load(ROOT / "scenarios" / "prisoners_dilemma.yaml")).sentences()
    assert any("the game may have other mixed equilibria" in s for s in sentences)


def test_a_given_analysis_is_used_and_gives_the_same_explanation() -> None:
    from sim.analysis.overview import analyse

    scenario = load(ROOT / "scenarios" / "london_tariffs.yaml")
    analysis = analyse(scenario.game)
    assert explain(scenario, analysis=analysis).to_dict() == explain(scenario).to_dict()
    other = analyse(load(ROOT / "scenarios" / "prisoners_dilemma.yaml").game)
    with pytest.raises(SimError, match="analysis is of another game"):
        explain(scenario, analysis=other)
