"""Tests of sim.analysis.dynamics: replicator dynamics, fictitious play, the 2×2 phase field.

Replicator trajectories are checked against their invariants (the simplex, rest points,
the constant of motion of zero-sum games), against nashpy's ``asymmetric_replicator_dynamics``
(scipy's ``odeint``) as an independent integrator, and the Jacobian eigenvalues of the 2×2
phase field against finite differences. Fictitious play is checked against the theorems that
say where it converges (dominance-solvable games; zero-sum games, Robinson 1951), against
nashpy's implementation where no tie occurs, and for determinism.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from nashpy.learning.fictitious_play import fictitious_play as nashpy_fictitious_play
from nashpy.learning.replicator_dynamics import asymmetric_replicator_dynamics
from strategies import float_games, integer_games

from sim.analysis.dominance import iterated_elimination
from sim.analysis.dynamics import (
    CLOSE,
    POINTS,
    _jacobian_stability,
    _payoff_matrices,
    fictitious_play,
    is_symmetric,
    learning_dynamics,
    payoff_unit,
    phase_field,
    replicator,
    sample_indices,
    start_profile,
    symmetric_field,
)
from sim.certificate import TOLERANCE, is_equilibrium
from sim.errors import SimError
from sim.game import Game
from sim.scenario import load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PD = Game.from_arrays(
    [[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("cooperate", "defect"), ("cooperate", "defect"))
)
STAG = Game.from_arrays(
    [[4, 0], [3, 2]], [[4, 3], [0, 2]], moves=(("stag", "hare"), ("stag", "hare"))
)
PENNIES = Game.from_arrays(
    [[1, -1], [-1, 1]], [[-1, 1], [1, -1]], moves=(("heads", "tails"), ("heads", "tails"))
)
BATTLE = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
CHICKEN = Game.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
ROCK_PAPER_SCISSORS = Game.from_arrays(RPS, [[-v for v in row] for row in RPS])
ENTRY = Game.from_arrays([[0, 0], [-1, 2]], [[4, 4], [-1, 1]])  # challenger: stay out / enter


def two_player(max_moves: int = 3) -> st.SearchStrategy[Game]:
    """Two-player games without single-move players, exact or float."""
    return st.one_of(integer_games(max_moves), float_games(max_moves)).filter(
        lambda g: min(g.shape) >= 2
    )


def on_simplex(strategies: np.ndarray) -> bool:
    return bool(strategies.min() >= 0 and np.allclose(strategies.sum(axis=1), 1, atol=1e-12))


# -------------------------------------------------------------------------- replicator
@FAST
@given(two_player(), st.data())
def test_replicator_stays_on_the_simplex(game: Game, data: st.DataObject) -> None:
    weights = [data.draw(st.lists(st.integers(1, 9), min_size=k, max_size=k)) for k in game.shape]
    start = tuple(tuple(w / sum(ws) for w in ws) for ws in weights)
    path = replicator(game, start, horizon=30, steps=600)
    assert all(on_simplex(s) for s in path.strategies)
    assert path.times[0] == 0 and path.times[-1] == pytest.approx(30)
    assert all(np.allclose(a, b) for a, b in zip(path.start, start, strict=True))


@FAST
@given(two_player())
def test_pure_profiles_and_equilibria_are_rest_points(game: Game) -> None:
    pure = [
        tuple(tuple(float(j == m) for j in range(k)) for m, k in zip(p, game.shape, strict=True))
        for p in list(game.profiles())[:3]
    ]
    equilibria = [e.probabilities for e in solve(game).equilibria]
    for start in pure + equilibria:
        path = replicator(game, start, horizon=10, steps=200)
        for strategies, s in zip(path.strategies, start, strict=True):
            assert np.abs(strategies - np.array(s)).max() <= 1e-9


@settings(max_examples=15, deadline=None)
@given(two_player(), st.integers(0, 2**31 - 1))
def test_replicator_matches_nashpy_odeint(game: Game, seed: int) -> None:
    """nashpy integrates the same equations with scipy's odeint (LSODA, adaptive)."""
    rng = np.random.default_rng(seed)
    x0, y0 = (rng.dirichlet(np.ones(k)) for k in game.shape)
    path = replicator(game, (x0, y0), horizon=20, steps=1000)
    a, b = (game.payoff_matrix(i).astype(float) / payoff_unit(game) for i in (0, 1))
    xs, ys = asymmetric_replicator_dynamics(a, b, x0=x0, y0=y0, timepoints=path.times)
    assert np.abs(path.strategies[0] - xs).max() <= 1e-5
    assert np.abs(path.strategies[1] - ys).max() <= 1e-5


@FAST
@given(
    integer_games(3).filter(lambda g: min(g.shape) >= 2),
    st.sampled_from([2, 7, Fraction(1, 1000), Fraction(1, 10**6), Fraction(1, 10**10)]),
)
def test_scaling_all_payoffs_leaves_the_trajectory_unchanged(game: Game, factor: Any) -> None:
    """However small the payoffs: time is measured in the payoff unit, not a floored scale."""
    scaled = game.with_payoffs(game.payoffs * factor)
    first = replicator(game, horizon=10, steps=200)
    second = replicator(scaled, horizon=10, steps=200)
    for a, b in zip(first.strategies, second.strategies, strict=True):
        assert np.abs(a - b).max() <= 1e-12
    assert first.sentences() == second.sentences()


@pytest.mark.parametrize(
    ("game", "start", "end", "equilibrium"),
    [
        pytest.param(PD, ("cooperate", "cooperate"), (0, 0), 0, id="pd-defection"),
        pytest.param(STAG, ((0.7, 0.3), (0.7, 0.3)), (1, 1), 0, id="stag-above-saddle"),
        pytest.param(STAG, ((0.6, 0.4), (0.6, 0.4)), (0, 0), 2, id="stag-below-saddle"),
        pytest.param(BATTLE, (0, 0), (1, 1), 0, id="battle-opera"),
    ],
)
def test_replicator_comes_to_rest_at_a_sink(
    game: Game, start: tuple, end: tuple[int, int], equilibrium: int
) -> None:
    path = replicator(game, start)
    assert path.outcome == "rest"
    assert path.stability == "sink"
    assert path.equilibrium == equilibrium
    assert (path.end[0][0], path.end[1][0]) == pytest.approx(end, abs=CLOSE)


def test_matching_pennies_cycles_and_conserves_the_constant_of_motion() -> None:
    """In a zero-sum game with an interior equilibrium ``(p, q)``, ``sum p_i log x_i +
    sum q_j log y_j`` is constant along trajectories (Hofbauer & Sigmund 1998, ch. 10)."""
    path = replicator(PENNIES, ("heads", "heads"))
    assert path.outcome == "cycle"
    assert path.equilibrium == 0
    x, y = path.strategies
    h = 0.5 * np.log(x).sum(axis=1) + 0.5 * np.log(y).sum(axis=1)
    assert np.abs(h - h[0]).max() <= 1e-5  # RK4's global error over 4000 steps
    assert x[:, 0].min() < 0.1 and x[:, 0].max() > 0.9  # a wide orbit, never converging
    assert "cycle around the mixed equilibrium NE1 without converging" in path.sentences()[0]


def test_rock_paper_scissors_conserves_the_constant_of_motion() -> None:
    path = replicator(ROCK_PAPER_SCISSORS, ((0.5, 0.3, 0.2), (0.2, 0.2, 0.6)))
    x, y = path.strategies
    h = np.log(x).sum(axis=1) / 3 + np.log(y).sum(axis=1) / 3
    assert np.abs(h - h[0]).max() <= 1e-5
    assert path.outcome == "cycle"


def test_replicator_from_the_status_quo_of_london_talks() -> None:
    london = load(ROOT / "scenarios" / "london_talks.yaml")
    path = replicator(london.game, london.status_quo)
    assert path.origin == (1, 1)
    assert path.start == ((0.1, 0.9), (0.1, 0.9))
    assert path.sentences("the status quo") == (
        "From near the status quo (maintain_chip_controls, restrict_re), replicator dynamics "
        "return to (maintain_chip_controls, restrict_re), a stable rest point and the Nash "
        "equilibrium NE1.",
    )


def test_start_profile_perturbs_pure_profiles() -> None:
    game = Game.from_arrays([[1, 0, 0, 0]] * 3, [[0, 1, 0, 0]] * 3)
    profile, origin = start_profile(game, (2, "s1"))
    assert origin == (2, 0)
    assert profile == ((0.05, 0.05, 0.9), (0.9, 0.1 / 3, 0.1 / 3, 0.1 / 3))
    assert start_profile(game, ((0, 0, 1), (1, 0, 0, 0))) == (((0, 0, 1), (1, 0, 0, 0)), None)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        pytest.param(((0.5, 0.6), (0.5, 0.5)), "not a probability vector", id="sum"),
        pytest.param(((1.5, -0.5), (0.5, 0.5)), "not a probability vector", id="negative"),
        pytest.param(((1.0,), (0.5, 0.5)), "not a probability vector", id="length"),
        pytest.param(("cooperate", "betray"), "unknown move 'betray'", id="move"),
        pytest.param(("cooperate",), "one move or one mixed strategy per player", id="players"),
        pytest.param((None, "defect"), "neither a move nor a probability vector", id="type"),
    ],
)
def test_bad_starts_are_explained(start: tuple, message: str) -> None:
    with pytest.raises(SimError, match=message):
        replicator(PD, start)


def test_bad_arguments_are_explained() -> None:
    with pytest.raises(SimError, match="too coarse; use at least 1000 steps"):
        replicator(PD, horizon=100, steps=10)
    with pytest.raises(SimError, match="3 players"):
        replicator(Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int)))
    with pytest.raises(SimError, match=r"scenario\.game"):
        replicator(load(ROOT / "scenarios" / "london_talks.yaml"))  # type: ignore[arg-type]
    with pytest.raises(SimError, match="iterations >= 1"):
        fictitious_play(PD, iterations=0)
    with pytest.raises(SimError, match="needs a 2×2 game; this one is 3×3"):
        phase_field(ROCK_PAPER_SCISSORS)


def test_trajectory_to_dict_is_compact_json() -> None:
    path = replicator(STAG, ((0.7, 0.3), (0.7, 0.3)))
    data = path.to_dict()
    json.dumps(data)
    assert len(data["times"]) <= POINTS
    assert data["times"][0] == 0 and data["times"][-1] == path.horizon
    assert [len(s) for s in data["strategies"]] == [len(data["times"])] * 2
    assert data["outcome"] == "rest" and data["equilibrium"] == "NE1"
    assert data["stability"] == "sink"


# ---------------------------------------------------------------------- phase field
def classified(game: Game) -> dict[tuple[float, float], str]:
    return {
        (round(float(p.position[0]), 9), round(float(p.position[1]), 9)): p.stability
        for p in phase_field(game).rest_points
    }


@pytest.mark.parametrize(
    ("game", "expected"),
    [
        pytest.param(
            PD,
            {(0, 0): "sink", (1, 1): "source", (1, 0): "saddle", (0, 1): "saddle"},
            id="prisoners-dilemma",
        ),
        pytest.param(
            STAG,
            {
                (1, 1): "sink",
                (0, 0): "sink",
                (1, 0): "source",
                (0, 1): "source",
                (2 / 3, 2 / 3): "saddle",
            },
            id="stag-hunt",
        ),
        pytest.param(
            PENNIES,
            {(1, 1): "saddle", (0, 0): "saddle", (1, 0): "saddle", (0, 1): "saddle"}
            | {(0.5, 0.5): "centre"},
            id="matching-pennies",
        ),
        pytest.param(
            CHICKEN,
            {
                (1, 0): "sink",
                (0, 1): "sink",
                (1, 1): "source",
                (0, 0): "source",
                (0.9, 0.9): "saddle",
            },
            id="chicken",
        ),
        pytest.param(
            ENTRY,
            {(0, 0): "sink", (0, 1): "source", (1, 1): "non-hyperbolic", (1, 0): "non-hyperbolic"},
            id="entry-deterrence-degenerate",
        ),
    ],
)
def test_rest_points_of_textbook_games(game: Game, expected: dict) -> None:
    assert classified(game) == {(round(x, 9), round(y, 9)): s for (x, y), s in expected.items()}


def test_rest_points_are_exact_and_named_after_equilibria() -> None:
    points = phase_field(STAG).rest_points
    interior = points[-1]
    assert interior.kind == "interior"
    assert interior.position == (Fraction(2, 3), Fraction(2, 3))
    assert [p.equilibrium for p in points] == [0, None, None, 2, 1]
    assert interior.eigenvalues[0].real > 0 > interior.eigenvalues[1].real


def test_degenerate_segments() -> None:
    field = phase_field(ENTRY)
    # When the challenger stays out (x = 1) the incumbent is indifferent: a line of rest points.
    assert field.segments == (((1, 0), (1, 1)),)
    assert any("Every point from (x = 1, y = 0) to (x = 1, y = 1)" in s for s in field.sentences())
    idle = phase_field(Game.from_arrays([[1, 1], [1, 1]], [[0, 0], [0, 0]]))
    assert idle.everywhere
    assert "every point is a rest point" in idle.sentences()[0]


def finite_difference_jacobian(game: Game, x: float, y: float) -> np.ndarray:
    a, b = (game.payoff_matrix(i).astype(float) / payoff_unit(game) for i in (0, 1))

    def field(p: np.ndarray) -> np.ndarray:
        xs, ys = np.array([p[0], 1 - p[0]]), np.array([p[1], 1 - p[1]])
        row, column = a @ ys, xs @ b
        return np.array(
            [xs[0] * (row[0] - xs @ row), ys[0] * (column[0] - column @ ys)], dtype=float
        )

    h = 1e-6
    point = np.array([x, y])
    columns = [(field(point + h * e) - field(point - h * e)) / (2 * h) for e in np.eye(2)]
    return np.array(columns).T


@FAST
@given(st.one_of(integer_games(2), float_games(2)).filter(lambda g: g.shape == (2, 2)))
def test_eigenvalues_match_a_finite_difference_jacobian(game: Game) -> None:
    for point in phase_field(game, grid=2).rest_points:
        jacobian = finite_difference_jacobian(
            game, float(point.position[0]), float(point.position[1])
        )
        expected = sorted(np.linalg.eigvals(jacobian), key=lambda v: (v.real, v.imag))
        found = sorted(point.eigenvalues, key=lambda v: (v.real, v.imag))
        assert np.allclose(found, expected, atol=1e-6)
        if point.stability == "sink":
            assert max(v.real for v in expected) < 0


@FAST
@given(st.one_of(integer_games(2), float_games(2)).filter(lambda g: g.shape == (2, 2)))
# Float payoffs that differ by less than the tolerance tie: no field, and no payoff unit
# blown up from their rounding-size range (found by CI).
@example(Game.from_arrays([[0.0, 1e-10], [3e-10, 0.0]], [[2e-10, 0.0], [0.0, 1e-10]]))
def test_the_field_vanishes_at_rest_points_and_matches_the_equations(game: Game) -> None:
    field = phase_field(game, grid=5)
    a, b = (game.payoff_matrix(i).astype(float) / payoff_unit(game) for i in (0, 1))
    for r, y in enumerate(field.y):
        for c, x in enumerate(field.x):
            xs, ys = np.array([x, 1 - x]), np.array([y, 1 - y])
            row, column = a @ ys, xs @ b
            # (the field uses the rationalised payoffs, within 1e-9 of the floats)
            assert field.dx[r, c] == pytest.approx(xs[0] * (row[0] - xs @ row), abs=1e-8)
            assert field.dy[r, c] == pytest.approx(ys[0] * (column[0] - column @ ys), abs=1e-8)
    for eq in solve(game).equilibria:
        assert any(
            (float(p.position[0]), float(p.position[1]))
            == pytest.approx((eq.probabilities[0][0], eq.probabilities[1][0]))
            for p in field.rest_points
        ) or any(
            min(s[0][0], s[1][0]) - 1e-9 <= eq.probabilities[0][0] <= max(s[0][0], s[1][0]) + 1e-9
            for s in ((tuple(map(float, a)), tuple(map(float, b))) for a, b in field.segments)
        )


def test_phase_sentences_of_the_stag_hunt() -> None:
    assert phase_field(STAG).sentences()[1:] == (
        "Sinks (stable): (stag, stag) (NE1) and (hare, hare) (NE3).",
        "Sources (unstable): (stag, hare) and (hare, stag).",
        "The interior rest point (x = 2/3, y = 2/3), the mixed equilibrium NE2, is a saddle: it "
        "separates the basins of the two sinks.",
    )


# ------------------------------------------------------------------ symmetric simplex
def test_symmetric_field_is_the_diagonal_of_the_two_population_field() -> None:
    a = [[0, 2, -1], [-1, 0, 2], [2, -1, 0]]
    game = Game.from_arrays(a, [list(c) for c in zip(*a, strict=True)])
    assert is_symmetric(game)
    field = symmetric_field(game, divisions=4)
    assert field.points.shape == (15, 3)
    assert np.abs(field.velocity.sum(axis=1)).max() <= 1e-12
    for point, velocity in zip(field.points, field.velocity, strict=True):
        path = replicator(game, (point, point), horizon=0.001, steps=1)
        step = (path.strategies[0][1] - path.strategies[0][0]) / 0.001
        assert np.allclose(step, velocity, atol=1e-3)
    with pytest.raises(SimError, match="symmetric game"):
        symmetric_field(BATTLE)
    assert is_symmetric(ROCK_PAPER_SCISSORS)  # B = -A = A transposed
    with pytest.raises(SimError, match="not symmetric"):
        symmetric_field(game.with_payoffs(np.stack([game.payoff_matrix(0)] * 2, axis=-1)))


# --------------------------------------------------------------------- fictitious play
@settings(max_examples=30, deadline=None)
@given(integer_games(4).filter(lambda g: iterated_elimination(g).solved))
def test_fictitious_play_solves_dominance_solvable_games(game: Game) -> None:
    run = fictitious_play(game, iterations=500)
    (only,) = solve(game).equilibria
    assert run.equilibrium == 0
    assert run.distance <= 0.02
    assert _distance(run.end, only.probabilities) <= 0.02


def _distance(a: tuple, b: tuple) -> float:
    return max(abs(p - q) for s, t in zip(a, b, strict=True) for p, q in zip(s, t, strict=True))


@FAST
@given(
    st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=3), min_size=2, max_size=3).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_fictitious_play_converges_in_zero_sum_games(rows: list[list[int]]) -> None:
    """Robinson (1951): the empirical frequencies' exploitability tends to 0."""
    game = Game.from_arrays(rows, [[-v for v in row] for row in rows])
    a = np.array(rows, dtype=float)
    run = fictitious_play(game, iterations=2000)
    x, y = (np.array(s) for s in run.end)
    exploitability = (a @ y).max() - (x @ a).min()
    assert exploitability <= 0.1 * game.scale()


@pytest.mark.parametrize(
    ("game", "equilibrium"),
    [
        pytest.param(PENNIES, ((0.5, 0.5), (0.5, 0.5)), id="matching-pennies"),
        pytest.param(ROCK_PAPER_SCISSORS, ((1 / 3,) * 3, (1 / 3,) * 3), id="rock-paper-scissors"),
        pytest.param(
            Game.from_arrays([[2, -1], [-1, 1]], [[-2, 1], [1, -1]]),
            ((0.4, 0.6), (0.4, 0.6)),
            id="biased-pennies",
        ),
    ],
)
def test_fictitious_play_approaches_the_equilibrium_of_zero_sum_games(
    game: Game, equilibrium: tuple
) -> None:
    run = fictitious_play(game, ("s1", "s1") if game.moves[0][0] == "s1" else (0, 0))
    assert run.settled_from is None  # play keeps switching...
    assert _distance(run.end, equilibrium) <= 0.05  # ...while the frequencies converge
    assert run.equilibrium == 0


def test_fictitious_play_is_deterministic() -> None:
    np.random.seed(1)
    first = fictitious_play(BATTLE, iterations=300)
    np.random.seed(2)
    second = fictitious_play(BATTLE, iterations=300)
    assert first.plays == second.plays
    assert np.array_equal(first.frequencies[0], second.frequencies[0])


def test_ties_go_to_the_lowest_numbered_move() -> None:
    tie = Game.from_arrays([[1, 1], [1, 1]], [[0, 0], [0, 0]])
    run = fictitious_play(tie, iterations=5)
    assert run.plays == ((0, 0),) * 5
    # 0.1 + 0.2 ties 0.3 in the rationalised game, as in the solvers:
    floats = Game.from_arrays([[0.1 + 0.2, 0.0], [0.3, 0.0]], [[1.0, 0.0], [1.0, 0.0]])
    assert fictitious_play(floats, iterations=3).plays == ((0, 0),) * 3


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.integers(0, 2**31 - 1), st.data())
def test_fictitious_play_matches_nashpy_without_ties(
    rows: int, columns: int, seed: int, data: st.DataObject
) -> None:
    """With continuous random payoffs ties have probability zero, so nashpy's random
    tie-break never acts; nashpy's play counts start from our start profile."""
    rng = np.random.default_rng(seed)
    game = Game.from_arrays(*(rng.uniform(-5, 5, (rows, columns)) for _ in range(2)))
    start = tuple(data.draw(st.integers(0, k - 1)) for k in game.shape)
    mixed = tuple(
        tuple(float(j == m) for j in range(k)) for m, k in zip(start, game.shape, strict=True)
    )
    run = fictitious_play(game, mixed, iterations=100)
    a, b = (game.payoff_matrix(i).astype(float) for i in (0, 1))
    counts = [np.array(s) for s in mixed]
    expected = list(nashpy_fictitious_play(a, b, iterations=100, play_counts=counts))
    for n, step in enumerate(expected):
        for player in (0, 1):
            assert np.allclose(run.frequencies[player][n] * (n + 1), step[player])


def test_settling_on_a_pure_equilibrium_says_so() -> None:
    """Review 3: play settles on the pure equilibrium (s2, s1) from round 4 while the
    frequencies after 40 rounds are still 0.06 from it (more than NEAR): the profile
    itself decides whether it is an equilibrium, not the frequencies."""
    game = Game.from_arrays([[-2, 4], [3, -4]], [[-1, 4], [5, -8]])
    run = fictitious_play(game, iterations=40)
    assert run.settled_from == 4 and run.plays[-1] == (1, 0)
    assert run.settled_nash is True and run.distance > 0.05
    equilibria = solve(game).equilibria
    assert equilibria[run.equilibrium].pure_profile == (1, 0)
    assert run.sentences() == (
        f"From the uniform profile, fictitious play settles on (s2, s1), the Nash equilibrium "
        f"NE{run.equilibrium + 1}, from round 4 on; its empirical frequencies are within 0.061 "
        "of it after 40 rounds.",
    )
    assert run.to_dict()["settled_nash"] is True


@settings(max_examples=60, deadline=None)
@given(integer_games(4))
def test_a_settled_profile_is_called_an_equilibrium_exactly_when_it_is_one(game: Game) -> None:
    run = fictitious_play(game, iterations=40)
    if run.settled_from is None:
        assert run.settled_nash is None
        return
    i, j = run.plays[-1]
    pure = tuple(
        tuple(int(k == m) for k in range(n)) for m, n in zip((i, j), game.shape, strict=True)
    )
    assert run.settled_nash == is_equilibrium(game, pure)
    (sentence,) = run.sentences()
    assert ("which is not a Nash equilibrium" in sentence) == (not run.settled_nash)
    if run.settled_nash:  # every pure equilibrium is an extreme one: solve lists it
        assert solve(game).equilibria[run.equilibrium].pure_profile == (i, j)
        assert f"the Nash equilibrium NE{run.equilibrium + 1}" in sentence
    else:
        assert run.equilibrium is None


def test_settling_on_a_profile_that_is_not_an_equilibrium_says_so() -> None:
    """In a short run play can settle on a profile a player would leave once the beliefs
    catch up (review 3, seed 12): (s2, s2), where the row player gains by s3."""
    game = Game.from_arrays([[2, -9], [7, 5], [-7, 6]], [[8, -8], [2, 6], [6, -9]])
    run = fictitious_play(game, iterations=40)
    assert run.settled_from == 4 and run.plays[-1] == (1, 1)
    assert run.settled_nash is False and run.equilibrium is None
    assert run.sentences()[0].endswith("(s2, s2) from round 4 on, which is not a Nash equilibrium.")


def test_battle_of_the_sexes_miscoordinates_yet_approaches_the_mixed_equilibrium() -> None:
    """The classic example of Fudenberg & Levine (1998, ch. 2)."""
    run = fictitious_play(BATTLE)
    assert run.plays[:4] == ((0, 1), (1, 0), (0, 1), (0, 1))
    assert all(i != j for i, j in run.plays[1:])  # they never coordinate
    assert run.equilibrium == 1  # the mixed equilibrium ((2/3, 1/3), (1/3, 2/3))


def test_fictitious_play_to_dict_is_compact_json() -> None:
    run = fictitious_play(PD, ("cooperate", "cooperate"))
    data = run.to_dict()
    json.dumps(data)
    assert len(data["rounds"]) <= POINTS
    assert data["rounds"][0] == 0 and data["rounds"][-1] == run.iterations
    assert data["settled_from"] == 1 and data["settled_on"] == ["defect", "defect"]
    assert data["equilibrium"] == "NE1"


# ---------------------------------------------------------------------------- together
SCENARIOS = sorted(
    path.stem
    for path in (ROOT / "scenarios").glob("*.yaml")
    if (game := load(path).game) is not None and game.n_players == 2 and max(game.shape) <= 3
)


@pytest.mark.parametrize("name", SCENARIOS)
def test_learning_dynamics_of_every_small_scenario(name: str) -> None:
    scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    result = learning_dynamics(scenario.game, scenario.status_quo)
    data = result.to_dict()
    json.dumps(data)
    assert (data["phase"] is None) == (scenario.game.shape != (2, 2))
    sentences = result.sentences()
    assert sentences[0].startswith("From near the status quo" if scenario.status_quo else "From")
    assert all(s.endswith(".") for s in sentences)
    path = result.replicator
    if path.outcome == "rest" and path.equilibrium is not None:
        eq = solve(scenario.game).equilibria[path.equilibrium]
        assert _distance(path.end, eq.probabilities) <= CLOSE
    assert not math.isnan(path.end_regret)


# ------------------------------------------------- stability of rest points beyond 2×2
two_by_two = st.lists(st.integers(-4, 4), min_size=8, max_size=8).map(
    lambda v: Game.from_arrays([v[0:2], v[2:4]], [v[4:6], v[6:8]])
)


@given(two_by_two)
@settings(max_examples=80, deadline=None)
def test_numerical_stability_agrees_with_the_exact_2x2_classification(game: Game) -> None:
    """The tangent-space Jacobian used for larger games, applied to 2×2 games, gives the
    exact classification of :func:`phase_field` at every isolated equilibrium."""
    a, b = _payoff_matrices(game)
    exact = {
        (float(p.position[0]), float(p.position[1])): p.stability
        for p in phase_field(game, grid=2).rest_points
        if p.equilibrium is not None
    }
    for (x, y), stability in exact.items():
        numeric = _jacobian_stability(a, b, ((x, 1 - x), (y, 1 - y)))
        if stability == "centre":  # purely imaginary eigenvalues: real parts zero
            assert numeric == "non-hyperbolic"
        else:
            assert numeric == stability, (game.payoffs.tolist(), x, y)


def test_a_symmetric_start_reaching_a_3x3_saddle_says_so() -> None:
    tariffs = load(ROOT / "scenarios" / "london_tariffs.yaml")
    path = replicator(tariffs.game, tariffs.status_quo)
    assert path.outcome == "rest" and path.stability == "saddle"
    assert not solve(tariffs.game).equilibria[path.equilibrium].is_pure
    assert "a saddle point (reached only along its stable manifold" in path.sentences()[0]


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        pytest.param(TOLERANCE / 2, "non-hyperbolic", id="within-the-tolerance"),
        pytest.param(TOLERANCE * 2, "sink", id="beyond-the-tolerance"),
    ],
)
def test_zero_eigenvalues_use_the_one_tolerance(gap: float, expected: str) -> None:
    """At the pure profile (s1, s1) of a 3×3 game whose row player loses ``gap`` (in payoff
    units) by switching to s2, that eigenvalue is ``-gap``: zero within
    :data:`sim.certificate.TOLERANCE`, not within a second tolerance of the module's own."""
    a = np.array([[1.0, 0.0, 0.0], [1.0 - gap, 0.0, 0.0], [0.0, 0.0, 0.0]])
    pure = ((1.0, 0.0, 0.0), (1.0, 0.0, 0.0))
    assert _jacobian_stability(a, a.T.copy(), pure) == expected


def test_a_strict_3x3_equilibrium_is_a_sink() -> None:
    game = Game.from_arrays([[3, 0, 0], [0, 2, 0], [0, 0, 1]], [[3, 0, 0], [0, 2, 0], [0, 0, 1]])
    path = replicator(game, ((0.8, 0.1, 0.1), (0.8, 0.1, 0.1)))
    assert path.outcome == "rest" and path.stability == "sink"
    assert solve(game).equilibria[path.equilibrium].pure_profile == (0, 0)


# ---------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("n", [1, 2, POINTS, POINTS + 1, 4001])
def test_sample_indices_keep_the_ends_and_at_most_the_limit(n: int, log: bool) -> None:
    keep = sample_indices(n, log=log)
    assert keep[0] == 0 and keep[-1] == n - 1
    assert len(keep) <= POINTS and list(keep) == sorted(set(keep.tolist()))
    if n <= POINTS:
        assert keep.tolist() == list(range(n))


def test_log_sampling_is_denser_at_the_start() -> None:
    even, log = sample_indices(4001), sample_indices(4001, log=True)
    assert (log < 100).sum() > (even < 100).sum() >= 1


def test_learning_dynamics_keep_the_solution_they_matched_with() -> None:
    solution = solve(STAG)
    result = learning_dynamics(STAG, (0, 0), iterations=50, solution=solution)
    assert result.solution is solution
    assert learning_dynamics(STAG, iterations=50).solution == solution
