"""Every concept runs from one YAML file: the shipped scenarios' exact answers, one table."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.analysis.concepts import (
    MAX_CORRELATED_FLOAT_PROFILES,
    MAX_CORRELATED_PROFILES,
    MAX_DYNAMICS_MOVES,
    MAX_QRE_MOVES,
    MAX_QRE_TERMS,
    concepts,
)
from sim.scenario import Scenario, load

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def found(name: str):
    return concepts(load(SCENARIOS / f"{name}.yaml"))


NORMAL_FORM = {"correlated", "qre"}  # every normal-form game
TWO_PLAYER = NORMAL_FORM | {"stackelberg", "learning_dynamics"}  # two-player normal form
TWO_BY_TWO = TWO_PLAYER | {"ordinal_type"}


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        pytest.param("london_talks", TWO_BY_TWO | {"bargaining"}, id="normal-form+status-quo"),
        pytest.param("matching_pennies", TWO_BY_TWO, id="normal-form"),
        pytest.param("london_snap_back", {"subgame_perfect"}, id="sequential"),
        pytest.param("london_licence_signal", {"signaling"}, id="signaling"),
        pytest.param("london_truce", TWO_BY_TWO | {"repeated", "bargaining"}, id="repeated"),
        pytest.param("london_package", TWO_PLAYER | {"bargaining"}, id="bargaining"),
        pytest.param("london_tariffs", TWO_PLAYER | {"bargaining"}, id="3x3"),
    ],
)
def test_which_concepts_apply(name: str, keys: set[str]) -> None:
    result = found(name)
    assert set(result.to_dict()) == keys
    headings = [h for h, _ in result.sections()]
    assert len(headings) == len(keys)
    assert all(sentences for _, sentences in result.sections())


def test_three_players_get_the_concepts_for_any_number_of_players() -> None:
    game = sim.Game.from_arrays(*(np.arange(8).reshape(2, 2, 2) % k for k in (2, 3, 5)))
    result = concepts(Scenario.from_game(game))
    assert set(result.to_dict()) == NORMAL_FORM


def test_large_games_skip_the_correlated_lps_and_say_so() -> None:
    side = 9  # 81 profiles > MAX_CORRELATED_PROFILES
    rng = np.random.default_rng(5)
    game = sim.Game.from_arrays(
        rng.integers(-3, 4, (side, side)), rng.integers(-3, 4, (side, side))
    )
    result = concepts(Scenario.from_game(game), sim.solve(game, "pure"))
    assert side * side > MAX_CORRELATED_PROFILES and result.correlated is None
    assert "81 pure profiles" in result.to_dict()["skipped"]["correlated"]
    assert dict(result.sections())["Not computed"]


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param((2, MAX_QRE_MOVES - 1), id="one-move-too-many"),
        pytest.param((2, MAX_QRE_MOVES - 2), id="at-the-limit"),
        pytest.param((2,) * 8, id="8-players"),
        pytest.param((3,) * 6, id="6-players"),
    ],
)
def test_qre_and_dynamics_are_skipped_past_their_size_and_say_so(shape: tuple[int, ...]) -> None:
    moves, terms = sum(shape), int(np.prod(shape)) * len(shape) ** 2
    skipped = {"qre"} if moves > MAX_QRE_MOVES or terms > MAX_QRE_TERMS else set()
    if len(shape) == 2 and moves > MAX_DYNAMICS_MOVES:
        skipped.add("learning_dynamics")
    payoffs = np.random.default_rng(1).integers(0, 5, (*shape, len(shape)))
    game = sim.Game.from_payoffs(payoffs.astype(object))
    result = concepts(Scenario.from_game(game), sim.solve(game, "pure"))
    data = result.to_dict()
    assert set(data.get("skipped", {})) - {"stackelberg", "correlated"} == skipped
    for key in skipped:
        assert key not in data and "call sim.analysis." in data["skipped"][key]
    if len(shape) == 2:
        assert ("learning_dynamics" in data) == ("learning_dynamics" not in skipped)
    assert ("qre" in data) == ("qre" not in skipped)


def test_qre_at_a_given_precision() -> None:
    result = concepts(load(SCENARIOS / "matching_pennies.yaml"), lam=2.0)
    assert result.qre_at is not None and result.qre_at.lam == 2.0
    assert "qre_at" in result.to_dict()


def test_entry_deterrence_answer() -> None:
    result = found("entry_deterrence").subgame_perfect
    assert result is not None
    (spe,) = result.equilibria
    assert result.game.profile_names(spe.profile) == ("enter", "accommodate")


def test_commitment_answer() -> None:
    leader, follower = found("commitment").stackelberg
    assert leader.mixed_strategy == (F(1, 2), F(1, 2)) and leader.mixed_payoffs[0] == F(5, 2)
    assert leader.pure_payoffs[0] == 2 and leader.value_of_commitment() == F(3, 2)
    assert follower.value_of_commitment() == 0


def test_repeated_prisoners_dilemma_answer() -> None:
    result = found("repeated_prisoners_dilemma").repeated
    assert result is not None
    assert result.nash.overall == F(1, 2)
    assert result.sustained(F(1, 2)) and not result.sustained(F(49, 100))
    assert result.finite is not None
    text = " ".join(result.sentences(load(SCENARIOS / "repeated_prisoners_dilemma.yaml").game))
    assert "cooperation unravels" in text


def test_london_truce_answer() -> None:
    result = found("london_truce").repeated
    assert result is not None
    assert result.nash.overall == F(1, 5)
    assert result.nash.thresholds == (F(1, 5), F(1, 7))


def test_nash_demand_answer() -> None:
    result = found("nash_demand").bargaining
    assert result is not None
    assert result.nash.point == result.kalai_smorodinsky.point == (F(1, 2), F(1, 2))
    assert result.rubinstein is not None
    assert result.rubinstein.agreement.point == (F(10, 19), F(9, 19))


def test_london_package_bargaining_is_exact() -> None:
    result = found("london_package").bargaining
    assert result is not None
    assert result.nash.point == (F(13, 15), F(-3, 5))
    assert result.rubinstein is not None
    assert all(isinstance(v, F) for v in result.rubinstein.agreement.point)


def test_parameters_move_every_concept() -> None:
    snap = load(SCENARIOS / "london_snap_back.yaml")
    before = concepts(snap).subgame_perfect
    after = concepts(snap.with_parameters(a_us=3)).subgame_perfect
    assert before is not None and after is not None
    assert before.equilibria[0].payoffs == (-1, -2) and after.equilibria[0].payoffs == (3, 4)
    package = load(SCENARIOS / "london_package.yaml")
    shifted = concepts(package.with_parameters(o_us=F(1, 2))).bargaining
    assert shifted is not None and shifted.outside_options == (F(1, 2), F(-3, 2))


def test_top_level_api() -> None:
    london = sim.load(SCENARIOS / "london_talks.yaml")
    assert sim.commitments(london.game)[0].leader == 0
    assert sim.concepts(london).bargaining is not None


def test_float_games_have_a_lower_correlated_limit() -> None:
    rng = np.random.default_rng(7)
    side = 6  # 36 profiles: within the exact limit, over the float one
    game = sim.Game.from_arrays(rng.normal(size=(side, side)), rng.normal(size=(side, side)))
    assert MAX_CORRELATED_FLOAT_PROFILES < side * side <= MAX_CORRELATED_PROFILES
    result = concepts(Scenario.from_game(game), sim.solve(game, "pure"))
    assert result.correlated is None
    assert "float game has 36 pure profiles" in result.to_dict()["skipped"]["correlated"]
