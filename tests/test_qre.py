"""Tests for sim.analysis.qre: logit QRE at a given λ and the principal branch.

Checks: uniform play at λ = 0 exactly; the branch ends at a Nash equilibrium of
``sim.solvers.solve`` (textbook games by name, generic random games by property); a small
fixed-point residual along the branch; symmetry, relabelling and payoff-scale invariance;
a branch that bends back in λ; agreement with Gambit's logit tracer (skipped without
pygambit unless ``SIM_REQUIRE_ORACLE=1``, as in ``test_oracle.py``); errors; JSON and
sentences.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import matrix_pairs, move_permutations

from sim.analysis import qre
from sim.analysis.qre import (
    LISTED,
    MAX_POINTS,
    TURN,
    QuantalBranch,
    _turn_indices,
    logit_qre,
    qre_branch,
)
from sim.certificate import TOLERANCE, is_equilibrium, regret
from sim.errors import SimError, SolverError
from sim.game import Game
from sim.scenario import load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=25, deadline=None)

# A 3x3 game whose principal branch bends back twice (found by a search over random
# games; the same turning points come out of Gambit's tracer).
TURNING = Game.from_arrays(
    [[1, 2, -3], [2, 8, -8], [1, -6, 4]],
    [[-1, 6, -1], [-9, 0, 2], [-8, 1, 2]],
    players=("Row", "Column"),
    moves=(("top", "middle", "bottom"), ("left", "centre", "right")),
)


def flat(strategies: tuple[tuple[float, ...], ...]) -> list[float]:
    return [p for s in strategies for p in s]


def gap(a: tuple[tuple[float, ...], ...], b: tuple[tuple[float, ...], ...]) -> float:
    return max(abs(float(p) - float(q)) for p, q in zip(flat(a), flat(b), strict=True))


def check_branch(game: Game, branch: QuantalBranch) -> None:
    """The certificate every traced branch must pass."""
    assert branch.converged
    assert branch.points[0].lam == 0
    assert is_equilibrium(game, branch.limit.strategies)
    assert float(regret(game, branch.limit.strategies)) <= TOLERANCE * game.scale()
    for point in branch.points:  # rounding alone gives about 1e-16 λR
        assert point.residual <= 1e-10 + 1e-14 * point.lam * branch.payoff_range
    for point in branch.points:
        for strategy in point.strategies:
            assert min(strategy) >= 0
            assert math.fsum(strategy) == pytest.approx(1.0, abs=1e-12)


# ------------------------------------------------------------------------------ λ = 0
UNIFORM_CASES = [
    pytest.param(Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]), id="pd"),
    pytest.param(Game.from_arrays([[1, 2, 3]], [[0, 5, 1]]), id="one-row"),
    pytest.param(Game.from_arrays([[0.1, 2.5], [7.0, -3.3]], [[1.0, 0.0], [0.0, 1.0]]), id="float"),
    pytest.param(
        Game.from_payoffs((np.arange(36).reshape(2, 3, 2, 3) % 5).tolist()), id="three-players"
    ),
    pytest.param(TURNING, id="turning"),
]


@pytest.mark.parametrize("game", UNIFORM_CASES)
def test_uniform_at_zero(game: Game) -> None:
    at_zero = logit_qre(game, 0)
    expected = tuple(tuple(1 / k for _ in range(k)) for k in game.shape)
    assert at_zero.strategies == expected  # exactly the floats nearest 1/k
    assert at_zero.lam == 0 and at_zero.residual == 0
    assert qre_branch(game).points[0].strategies == expected
    payoffs = [float(v) for v in _exact_uniform_payoffs(game)]
    assert at_zero.payoffs == pytest.approx(payoffs, abs=1e-12)


def _exact_uniform_payoffs(game: Game) -> tuple:
    from sim.certificate import expected_payoffs

    return expected_payoffs(game, [[Fraction(1, k)] * k for k in game.shape])


# ------------------------------------------------------------------- textbook limits
LIMITS = [
    pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]], ((0, 1), (0, 1)), id="prisoners-dilemma"),
    pytest.param(
        # Stag hunt: the branch picks the risk-dominant (hare, hare), not the payoff-dominant.
        [[4, 0], [3, 3]],
        [[4, 3], [0, 3]],
        ((0, 1), (0, 1)),
        id="stag-hunt",
    ),
    pytest.param(
        # Battle of the sexes, opera worth more to Row than football to Column: the branch
        # ends at (opera, opera), as Gambit's does.
        [[3, 0], [0, 1]],
        [[1, 0], [0, 2]],
        ((1, 0), (1, 0)),
        id="battle-of-the-sexes",
    ),
    pytest.param(
        # The symmetric battle of the sexes: at λ ≈ 1.2 the branches to the pure
        # equilibria split off; the symmetric arm, traced straight through, ends at the
        # mixed one.
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        ((Fraction(2, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3))),
        id="symmetric-battle-of-the-sexes",
    ),
    pytest.param(
        # Asymmetric matching pennies: the unique equilibrium is mixed.
        [[9, 0], [0, 1]],
        [[0, 1], [1, 0]],
        ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 10), Fraction(9, 10))),
        id="asymmetric-pennies",
    ),
    pytest.param(
        # Dominance solvable 3x3: bottom dominates for Row, then right for Column.
        [[1, 0, 0], [2, 1, 1], [3, 2, 2]],
        [[0, 1, 2], [0, 1, 2], [0, 1, 2]],
        ((0, 0, 1), (0, 0, 1)),
        id="dominance-solvable-3x3",
    ),
    pytest.param(
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2))),
        id="matching-pennies",
    ),
    pytest.param(
        # Pure coordination: uniform play is the symmetric mixed equilibrium, and the
        # branch stays there (Gambit's branch too).
        [[1, 0], [0, 1]],
        [[1, 0], [0, 1]],
        ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2))),
        id="symmetric-coordination",
    ),
    pytest.param(
        [[1, 2, -3], [2, 8, -8], [1, -6, 4]],
        [[-1, 6, -1], [-9, 0, 2], [-8, 1, 2]],
        ((0, 0, 1), (0, 0, 1)),
        id="turning-3x3",
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), LIMITS)
def test_textbook_limits(a: list, b: list, expected: tuple) -> None:
    game = Game.from_arrays(a, b)
    solution = solve(game)
    branch = qre_branch(game, solution=solution)
    check_branch(game, branch)
    assert branch.equilibrium is not None
    assert branch.equilibrium is solution.equilibria[branch.equilibrium_index]
    assert branch.equilibrium.strategies == tuple(tuple(Fraction(p) for p in s) for s in expected)
    assert branch.equilibrium.is_exact  # exact game, exact equilibrium
    assert gap(branch.limit.strategies, expected) <= 1e-6


def test_mixed_limit_is_approached_like_one_over_lambda() -> None:
    pennies = Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    branch = qre_branch(pennies)
    assert branch.limit.lam > 1e6  # a mixed limit needs a large λ to be within tolerance
    assert branch.settles(0.01) < 1e3 < branch.limit.lam
    later = [p for p in branch.points if p.lam >= branch.settles(0.01)]
    target = ((0.5, 0.5), (0.1, 0.9))
    assert all(gap(p.strategies, target) <= 0.01 for p in later)
    earlier = [p for p in branch.points if p.lam < branch.settles(0.01)]
    assert gap(earlier[-1].strategies, target) > 0.01


@pytest.mark.parametrize(
    ("a", "b", "where"),
    [
        pytest.param([[2, 0], [0, 1]], [[1, 0], [0, 2]], 1.2, id="symmetric-battle"),
        pytest.param([[0, -1], [1, -10]], [[0, 1], [-1, -10]], 0.54, id="chicken"),
    ],
)
def test_symmetric_games_have_a_bifurcation(a: list, b: list, where: float) -> None:
    branch = qre_branch(Game.from_arrays(a, b))
    (split,) = branch.bifurcations
    assert split == pytest.approx(where, abs=0.05)
    assert branch.equilibrium.pure_profile is None  # the symmetric arm: the mixed one
    assert "crosses this one" in " ".join(branch.sentences())
    assert qre_branch(TURNING).bifurcations == ()  # turning points are not bifurcations


def test_dominance_solvable_branch_is_monotone() -> None:
    pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    defect = [p.strategies[0][1] for p in qre_branch(pd).points]
    assert all(b >= a for a, b in pairwise(defect))
    assert defect[-1] > 1 - 1e-9


# ------------------------------------------------------------------ generic games
def generic_games(shape: tuple[int, ...], seed: int) -> Game:
    """A game with standard normal payoffs from a seeded generator: generic (no ties, so
    nondegenerate) with probability one, and hypothesis cannot shrink it into ties."""
    rng = np.random.default_rng(seed)
    return Game.from_payoffs(rng.normal(size=(*shape, len(shape))))


def generic_bimatrix(max_moves: int = 4) -> st.SearchStrategy[Game]:
    """Generic two-player games of 1..max_moves moves each (float payoffs)."""
    shapes = st.tuples(st.integers(1, max_moves), st.integers(1, max_moves))
    return st.builds(generic_games, shapes, st.integers(0, 2**32 - 1))


def generic_integer_bimatrix(max_moves: int = 4) -> st.SearchStrategy[Game]:
    """Exact two-player games with integer payoffs in -20..20 (degenerate only rarely)."""
    return matrix_pairs(st.integers(-20, 20), min_moves=1, max_moves=max_moves).map(
        lambda ab: Game.from_arrays(*ab)
    )


@SETTINGS
@given(st.one_of(generic_bimatrix(), generic_integer_bimatrix()))
def test_branch_ends_at_a_solver_equilibrium(game: Game) -> None:
    solution = solve(game)
    assume(not solution.degenerate)
    branch = qre_branch(game, solution=solution)
    check_branch(game, branch)
    if game.payoffs.dtype != object:  # normal payoffs: no symmetry, no ties
        assert branch.bifurcations == ()
    assert branch.equilibrium is not None  # a nondegenerate limit is an extreme equilibrium
    assert gap(branch.limit.strategies, branch.equilibrium.strategies) <= 1e-4


@settings(max_examples=25, deadline=None)
@given(
    matrix_pairs(st.integers(0, 2), min_moves=2, max_moves=3).map(lambda ab: Game.from_arrays(*ab))
)
def test_degenerate_games_end_in_the_equilibrium_set(game: Game) -> None:
    """Tie-heavy games: the limit is an equilibrium, matched to a corner or a convex set;
    where ties make the branch ill-determined the trace may stall, close to one."""
    solution = solve(game)
    branch = qre_branch(game, solution=solution)
    if branch.converged:
        check_branch(game, branch)
        assert branch.equilibrium is not None or branch.convex_set is not None
    else:
        assert branch.stopped in ("stalled", "steps")
        assert branch.epsilon <= 1e-4 * game.scale()


@settings(max_examples=12, deadline=None)
@given(
    st.builds(
        generic_games,
        st.lists(st.integers(1, 3), min_size=3, max_size=3).map(tuple),
        st.integers(0, 2**32 - 1),
    )
)
def test_three_player_branch_ends_at_an_epsilon_equilibrium(game: Game) -> None:
    branch = qre_branch(game)
    check_branch(game, branch)
    assert branch.complete == "pure"
    if branch.equilibrium is not None:
        assert branch.equilibrium.is_pure


@SETTINGS
@given(generic_bimatrix(max_moves=3), st.floats(0.01, 5.0))
def test_residual_small_at_any_lambda(game: Game, lam: float) -> None:
    found = logit_qre(game, lam)
    assert found.lam == pytest.approx(lam, rel=1e-12)
    assert found.residual <= 1e-10
    # An independent check of the fixed point: recompute the logit response from scratch.
    values = np.array(game.float_payoffs())
    row, column = np.array(found.strategies[0]), np.array(found.strategies[1])
    for own, v in ((row, values[..., 0] @ column), (column, values[..., 1].T @ row)):
        weights = np.exp(lam * (v - v.max()))
        assert np.max(np.abs(own - weights / weights.sum())) <= 1e-9


def test_logit_qre_agrees_with_the_branch() -> None:
    branch = qre_branch(TURNING)
    for point in branch.points[1:20:3]:  # before the first turning point
        assert gap(logit_qre(TURNING, point.lam).strategies, point.strategies) <= 1e-7


# ----------------------------------------------------------------------- invariance
@pytest.mark.parametrize("lam", [0.1, 1.0, 3.0, 50.0])
def test_matching_pennies_is_uniform_at_every_lambda(lam: float) -> None:
    pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    found = logit_qre(pennies, lam)
    assert gap(found.strategies, ((0.5, 0.5), (0.5, 0.5))) <= 1e-12
    assert found.payoffs == pytest.approx((0.0, 0.0), abs=1e-12)


@SETTINGS
@given(
    st.integers(2, 4).flatmap(
        lambda k: st.lists(st.integers(-9, 9), min_size=k * k, max_size=k * k)
    )
)
def test_symmetric_games_have_symmetric_qre(values: list[int]) -> None:
    k = math.isqrt(len(values))
    a = np.array(values).reshape(k, k)
    game = Game.from_arrays(a.tolist(), a.T.tolist())
    span = max(1, int(a.max() - a.min()))
    found = logit_qre(game, 0.5 / span)  # λR = 1/2: the logit equilibrium is unique
    assert gap((found.strategies[0],), (found.strategies[1],)) <= 1e-10


@SETTINGS
@given(st.data())
def test_relabelling_moves_permutes_the_qre(data: st.DataObject) -> None:
    game = data.draw(generic_bimatrix(max_moves=3))
    orders = data.draw(move_permutations(game.shape))
    payoffs = np.array(game.payoffs, dtype=object)[np.ix_(*orders)]
    permuted = game.with_payoffs(payoffs)
    lam = data.draw(st.sampled_from([0.05, 0.3, 2.0]))
    before, after = logit_qre(game, lam), logit_qre(permuted, lam)
    for i, order in enumerate(orders):
        assert [after.strategies[i][j] for j in range(len(order))] == pytest.approx(
            [before.strategies[i][order[j]] for j in range(len(order))], abs=1e-9
        )
    one, other = qre_branch(game), qre_branch(permuted)
    for i, order in enumerate(orders):
        assert [other.limit.strategies[i][j] for j in range(len(order))] == pytest.approx(
            [one.limit.strategies[i][order[j]] for j in range(len(order))], abs=1e-4
        )


@SETTINGS
@given(
    generic_bimatrix(max_moves=3),
    st.sampled_from([Fraction(1, 10), Fraction(3), Fraction(1000)]),
    st.integers(-50, 50),
    st.floats(0.01, 2.0),
)
def test_lambda_is_per_payoff_unit(game: Game, factor: Fraction, shift: int, lam: float) -> None:
    """Scaling payoffs by ``a`` divides λ by ``a``; shifting a player's payoffs does nothing."""
    payoffs = np.array(game.payoffs, dtype=object) * factor
    payoffs[..., 0] += shift
    scaled = game.with_payoffs(payoffs)
    assert (
        gap(logit_qre(scaled, lam / float(factor)).strategies, logit_qre(game, lam).strategies)
        <= 1e-8
    )


# -------------------------------------------------------------------- turning points
def test_branch_bends_back_and_is_traced_through() -> None:
    branch = qre_branch(TURNING)
    check_branch(TURNING, branch)
    assert len(branch.turning_points) == 2
    high, low = branch.turning_points
    assert 11.3 < high < 11.5 and 1.2 < low < 1.3  # Gambit's tracer: 11.40 and 1.24
    lams = branch.lams
    assert any(b < a for a, b in pairwise(lams))  # λ falls on the way
    assert branch.equilibrium_label() == "NE1" or branch.equilibrium.pure_profile == (2, 2)
    assert branch.equilibrium.pure_profile == (2, 2)
    # On the first leg, at λ = 5, Row still favours middle; the later crossings of λ = 5
    # (after the first turn) have Row on bottom.
    first = logit_qre(TURNING, 5.0)
    assert first.strategies[0][1] > 0.6
    crossings = [(a, b) for a, b in pairwise(branch.points) if (a.lam - 5) * (b.lam - 5) <= 0]
    assert len(crossings) == 3
    assert gap(first.strategies, crossings[0][0].strategies) < 0.05
    assert all(b.strategies[0][1] < 0.6 for _, b in crossings[1:])


# ---------------------------------------------------------------- lam_max and results
def test_lam_max_stops_the_trace() -> None:
    pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    branch = qre_branch(pd, lam_max=0.5)
    assert not branch.converged and branch.equilibrium is None
    assert branch.limit.lam == pytest.approx(0.5, rel=1e-12)
    assert gap(branch.limit.strategies, logit_qre(pd, 0.5).strategies) <= 1e-12
    assert any("stopped at λ = 0.5" in s for s in branch.sentences())
    start = qre_branch(pd, lam_max=0)
    assert len(start.points) == 1 and start.stopped == "lam_max" and not start.converged
    assert not any("already a Nash equilibrium" in s for s in start.sentences())


def test_one_move_player_is_fine() -> None:
    game = Game.from_arrays([[1, 2, 0]], [[0, 3, 1]], players=("Solo", "Other"))
    branch = qre_branch(game)
    check_branch(game, branch)
    assert branch.equilibrium.pure_profile == (0, 1)
    assert all(p.strategies[0] == (1.0,) for p in branch.points)


def test_float_game_matches_its_exact_twin() -> None:
    exact = Game.from_arrays([[Fraction(1, 4), 2], [3, Fraction(-1, 2)]], [[1, 0], [0, 1]])
    floating = Game.from_arrays([[0.25, 2.0], [3.0, -0.5]], [[1.0, 0.0], [0.0, 1.0]])
    one, two = qre_branch(exact), qre_branch(floating)
    assert one.equilibrium.is_exact and not two.equilibrium.is_exact
    assert gap(one.limit.strategies, two.limit.strategies) <= 1e-9
    assert two.equilibrium_index == one.equilibrium_index


def test_to_dict_is_json_ready_and_compact() -> None:
    branch = qre_branch(Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    data = json.loads(json.dumps(branch.to_dict()))
    assert data["converged"] and data["equilibrium"]["label"] == "NE2"
    assert data["stopped"] == "nash" and len(data["bifurcations"]) == 1
    assert data["equilibrium"]["exact"] == [["2/3", "1/3"], ["1/3", "2/3"]]
    shown = data["points"]
    assert shown["count"] == len(branch.points) and shown["shown"] <= MAX_POINTS
    assert len(shown["lambda"]) == shown["shown"]
    assert shown["lambda"][0] == 0 and shown["lambda"][-1] == branch.limit.lam
    assert len(shown["probabilities"][1][0]) == shown["shown"]
    assert data["limit"]["players"][0]["probabilities"] == pytest.approx(
        {"s1": 2 / 3, "s2": 1 / 3}, abs=1e-6
    )
    json.dumps(logit_qre(TURNING, 2).to_dict())


def test_sample_keeps_ends_and_turning_points() -> None:
    branch = qre_branch(TURNING)
    picked = branch.sample(12)
    assert len(picked) == 12 and picked[0] == 0 and picked[-1] == len(branch.points) - 1
    turns = [k for k, p in enumerate(branch.points) if p.lam in branch.turning_points]
    assert set(turns) <= set(picked)
    assert list(picked) == sorted(set(picked))
    with pytest.raises(SimError, match="count must be >= 2"):
        branch.sample(1)


def test_sentences_name_players_moves_and_limit() -> None:
    london = load(ROOT / "scenarios" / "london_talks.yaml")
    lines = qre_branch(london.game).sentences()
    text = " ".join(lines)
    assert lines[0].startswith("With no precision (λ = 0)")
    assert "US moves towards maintain_chip_controls" in text
    assert "China towards restrict_re" in text
    assert "ends at NE1 (maintain_chip_controls, restrict_re)" in text
    turning = " ".join(qre_branch(TURNING).sentences())
    assert "bends back in λ" in turning
    point = logit_qre(london.game, 1).sentences()
    assert point[0].startswith("At λ = 1, US plays ease_chip_controls with probability")


def test_sentences_for_a_mixed_three_player_limit() -> None:
    # Three-player matching pennies variant whose only equilibrium is mixed.
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    for profile in np.ndindex(2, 2, 2):
        a, b, c = profile
        payoffs[profile] = (int(a == b) * 2 - 1, int(b != c) * 2 - 1, int(c == a) * 2 - 1)
    game = Game.from_payoffs(payoffs, players=("A", "B", "C"))
    branch = qre_branch(game)
    check_branch(game, branch)
    if branch.equilibrium is None:
        text = " ".join(branch.sentences())
        assert "ε-equilibrium" in text and "pure" in text


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_scenario(path: Path) -> None:
    game = load(path).game
    branch = qre_branch(game)
    check_branch(game, branch)
    assert branch.equilibrium is not None or branch.convex_set is not None
    assert len(branch.sentences()) >= 3


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("lam", "message"),
    [
        pytest.param(-1, "λ must be a finite number >= 0", id="negative"),
        pytest.param(float("nan"), "λ must be a finite number >= 0", id="nan"),
        pytest.param(float("inf"), "λ must be a finite number >= 0", id="infinite"),
        pytest.param(True, "λ must be a number", id="bool"),
        pytest.param("2", "λ must be a number", id="string"),
    ],
)
def test_bad_lambda(lam: object, message: str) -> None:
    pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(SimError, match=message):
        logit_qre(pd, lam)  # type: ignore[arg-type]
    with pytest.raises(SimError, match=message):
        qre_branch(pd, lam_max=lam)  # type: ignore[arg-type]


def test_bad_arguments() -> None:
    london = load(ROOT / "scenarios" / "london_talks.yaml")
    with pytest.raises(SimError, match=r"pass scenario\.game"):
        logit_qre(london, 1)  # type: ignore[arg-type]
    pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(SimError, match="another game"):
        qre_branch(pd, solution=solve(london.game))
    with pytest.raises(SimError, match="max_steps"):
        qre_branch(pd, max_steps=0)
    assert logit_qre(pd, Fraction(1, 2)).lam == pytest.approx(0.5)


# A tie-heavy 4×5 game (review 3): the branch runs into a continuum of equilibria
# (λ beyond 1e8), wiggling in λ by less than 1% on the way.
CONTINUUM = Game.from_arrays(
    [[0, 1, 2, 0, 2], [0, 1, 2, 2, 0], [1, 0, 2, 0, 2], [0, 1, 0, 0, 1]],
    [[1, 0, 2, 2, 2], [2, 2, 1, 1, 1], [2, 2, 0, 2, 1], [1, 2, 1, 2, 1]],
)
BATTLE = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])


@pytest.mark.parametrize(
    ("max_steps", "converged"),
    [
        # Point 79 of the battle's branch has regret 1.98e-9: within TOLERANCE·R = 2e-9,
        # above the tracer's own stop (half of it). Point 78 is outside.
        pytest.param(79, True, id="ends-within-the-tolerance"),
        pytest.param(78, False, id="ends-outside-the-tolerance"),
    ],
)
def test_the_verdict_is_the_tolerance_whatever_ends_the_trace(
    max_steps: int, converged: bool
) -> None:
    branch = qre_branch(BATTLE, max_steps=max_steps)
    assert len(branch.points) == max_steps + 1
    assert branch.converged is converged
    assert (branch.stopped == "nash") is converged
    assert (branch.epsilon <= branch.tolerance) is converged
    assert (branch.epsilon > branch.tolerance / 2) is True
    text = " ".join(branch.sentences())
    assert ("before reaching a Nash equilibrium" in text) is not converged
    if converged:
        check_branch(BATTLE, branch)
        assert branch.equilibrium_label() == "NE2"  # the mixed equilibrium


def test_max_steps_counts_accepted_steps_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every other corrector call fails (the step is halved and tried again): the trace
    still takes ``max_steps`` accepted steps."""
    calls = {"n": 0}
    correct = qre._correct

    def flaky(*args: object) -> object:
        calls["n"] += 1
        return None if calls["n"] % 2 else correct(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(qre, "_correct", flaky)
    branch = qre_branch(BATTLE, max_steps=5)
    assert len(branch.points) == 6 and branch.stopped == "steps"
    assert calls["n"] == 10


def test_wiggles_near_a_continuum_are_not_turning_points() -> None:
    """Review 3: twelve "turning points" between λ ≈ 2.5e6 and 3.4e7, most of them
    sub-0.1% wiggles; only the one that moves back by 5% remains."""
    branch = qre_branch(CONTINUUM)
    check_branch(CONTINUUM, branch)
    assert branch.convex_set is not None
    high, low = branch.turning_points
    assert 3.3e7 < high < 3.4e7 and 3.1e7 < low < 3.2e7
    assert sum("bends back" in s for s in branch.sentences()) == 1


@pytest.mark.parametrize(
    ("lams", "expected"),
    [
        pytest.param([0, 1, 2, 3, 2.5, 2, 2.9, 4], [3, 5], id="back-and-forward"),
        pytest.param([0, 1, 100, 100 * (1 - TURN / 2), 101, 200], [], id="half-a-turn-wiggle"),
        pytest.param([0, 1, 100, 100 * (1 - 2 * TURN), 101, 200], [2, 3], id="two-percent-back"),
        pytest.param([0, 1, 2, 3], [], id="monotone"),
        pytest.param([0, 5, 4, 3], [1], id="ends-going-back"),
    ],
)
def test_turn_indices(lams: list[float], expected: list[int]) -> None:
    assert _turn_indices(lams) == expected


def test_a_sentence_lists_a_few_turning_points_and_counts_the_rest() -> None:
    branch = dataclasses.replace(
        qre_branch(TURNING), turning_points=tuple(float(k) for k in range(1, 11))
    )
    (line,) = [s for s in branch.sentences() if "bends back" in s]
    shown = ", ".join(f"λ ≈ {k}" for k in range(1, LISTED + 1))
    assert f"({shown} and {10 - LISTED} more (all in results.json))" in line


def test_too_few_steps() -> None:
    battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    branch = qre_branch(battle, max_steps=3)
    assert not branch.converged and branch.stopped == "steps" and len(branch.points) == 4
    assert "because it took the most steps allowed" in " ".join(branch.sentences())


def test_logit_qre_says_when_the_branch_cannot_be_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qre, "_MAX_STEPS", 3)
    battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    with pytest.raises(SolverError, match=r"could not be followed to λ = 1e\+06"):
        logit_qre(battle, 1e6)


# --------------------------------------------------------------------------- oracle
@pytest.fixture(scope="module")
def gambit() -> ModuleType:
    """pygambit, as in test_oracle.py: skipped when missing unless SIM_REQUIRE_ORACLE=1."""
    if os.environ.get("SIM_REQUIRE_ORACLE") == "1":
        try:
            import pygambit
        except ImportError as err:  # CI must never skip the oracle silently
            raise ImportError(
                "SIM_REQUIRE_ORACLE=1 but pygambit is not importable; install the dev extra "
                "(pip install -e '.[dev]') or unset SIM_REQUIRE_ORACLE to skip these tests"
            ) from err
        return pygambit
    return pytest.importorskip("pygambit")


def _to_gambit(gambit: ModuleType, game: Game) -> object:
    arrays = [
        np.vectorize(Fraction, otypes=[object])(game.payoff_matrix(i)).tolist()
        for i in range(game.n_players)
    ]
    return gambit.Game.from_arrays(*arrays)


def _gambit_at(gambit: ModuleType, game: Game, lams: list[float]) -> list[list[float]]:
    """Gambit's logit equilibria at each λ (``logit_atlambda`` in older releases)."""
    gambit_game = _to_gambit(gambit, game)
    at_lambda = getattr(gambit.nash, "logit_atlambda", None) or gambit.qre.logit_solve_lambda
    found = at_lambda(gambit_game, lams)
    return [[float(q.profile[s]) for s in gambit_game.strategies] for q in found]


def _gambit_limit(gambit: ModuleType, game: Game) -> list[float]:
    gambit_game = _to_gambit(gambit, game)
    (limit,) = gambit.nash.logit_solve(gambit_game).equilibria
    return [float(limit[s]) for s in gambit_game.strategies]


ORACLE_GAMES = [pytest.param(TURNING, id="turning-3x3")] + [
    pytest.param(Game.from_arrays(*ab), id=name)
    for name, ab in [
        # Not the symmetric battle of the sexes: there Gambit's tracer leaves the
        # symmetric arm at the bifurcation, for one of the pure equilibria.
        ("battle-of-the-sexes", ([[3, 0], [0, 1]], [[1, 0], [0, 2]])),
        ("asymmetric-pennies", ([[9, 0], [0, 1]], [[0, 1], [1, 0]])),
        ("stag-hunt", ([[4, 0], [3, 3]], [[4, 3], [0, 3]])),
        ("rps", ([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]])),
    ]
]


@pytest.mark.oracle
@pytest.mark.parametrize("game", ORACLE_GAMES)
def test_agrees_with_gambit(gambit: ModuleType, game: Game) -> None:
    lams = [0.05, 0.5, 2.0, 5.0, 11.0, 30.0]
    for lam, theirs in zip(lams, _gambit_at(gambit, game, lams), strict=True):
        assert flat(logit_qre(game, lam).strategies) == pytest.approx(theirs, abs=1e-6)
    assert flat(qre_branch(game).limit.strategies) == pytest.approx(
        _gambit_limit(gambit, game), abs=1e-5
    )


@pytest.mark.oracle
@settings(max_examples=15, deadline=None)
@given(generic_integer_bimatrix(max_moves=4))
def test_agrees_with_gambit_on_random_games(gambit: ModuleType, game: Game) -> None:
    solution = solve(game)
    assume(not solution.degenerate)
    branch = qre_branch(game, solution=solution)
    assume(not branch.bifurcations)  # where the branch splits, tracers may part ways
    lams = [0.1, 1.0, 4.0]
    for lam, theirs in zip(lams, _gambit_at(gambit, game, lams), strict=True):
        assert flat(logit_qre(game, lam).strategies) == pytest.approx(theirs, abs=1e-6)
    assert flat(branch.limit.strategies) == pytest.approx(_gambit_limit(gambit, game), abs=1e-5)


@pytest.mark.parametrize("factor", [Fraction(1, 1000), Fraction(1, 10**6), Fraction(1, 10**10)])
def test_tiny_payoffs_reach_the_same_nash_limit(factor: Fraction) -> None:
    """The stopping rule is relative to the payoff range, not to a scale floored at 1."""
    pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    small = pd.with_payoffs(np.array(pd.payoffs, dtype=object) * factor)
    branch, reference = qre_branch(small), qre_branch(pd)
    assert branch.converged and branch.equilibrium_label() == "NE1"
    assert branch.limit.lam > 0 and branch.epsilon <= TOLERANCE * float(factor) * 5
    assert not any("Uniform play is already" in s for s in branch.sentences())
    assert math.isclose(branch.limit.lam * float(factor), reference.limit.lam, rel_tol=0.05)


def test_float_payoffs_that_tie_within_the_tolerance_leave_uniform_play_an_equilibrium() -> None:
    """The payoff range of a float game counts only beyond the project tolerance, as in
    every other analysis (exact games count any range; see the tiny-payoff test above)."""
    ties = Game.from_arrays([[0.0, 1e-10], [3e-10, 0.0]], [[2e-10, 0.0], [0.0, 1e-10]])
    branch = qre_branch(ties)
    assert branch.converged and branch.limit.lam == 0 and branch.payoff_range == 1.0
    assert "Uniform play is already a Nash equilibrium" in branch.sentences()[1]
