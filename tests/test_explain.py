"""Tests for sim.analysis.explain: plain-language reasons, checked against the payoff arrays.

Every number an explanation states is recomputed here independently (explicit sums over the
payoff array, not :func:`sim.certificate.move_values`), on every scenario file and on random
games, including tie-heavy and float ones.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from itertools import pairwise, product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_player_games, dyadic_float_games, float_games, tie_heavy_games

from sim.analysis.best_response import best_responses
from sim.analysis.explain import HEADINGS, Explanation, explain
from sim.certificate import compare
from sim.errors import SimError
from sim.expression import FUNCTIONS
from sim.game import Game, Value
from sim.scenario import Scenario, load
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
    assert dict(result.sections())["Why each equilibrium holds"][0] == (
        "No pure equilibrium was found."
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
        assert (f"{entry.label} is weak:" in " ".join(entry.sentences())) == tied


@SETTINGS
@given(float_games(max_moves=3))
def test_float_games(game: Game) -> None:
    result = explain(game, max_profiles=ALL)
    check_numbers(game, result)
    check_partition(game, result)
    assert json.dumps(result.to_dict(), allow_nan=False)


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
    assert any("more pure profiles" in s for s in sentences) == (result.unlisted > 0)
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
