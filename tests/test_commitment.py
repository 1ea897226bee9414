"""Tests for sim.analysis.commitment: optimal pure and mixed (Stackelberg) commitments."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    dyadic_float_games,
    float_games,
    integer_games,
    n_player_games,
    positive_affine_maps,
    rescale_player,
    tie_heavy_games,
)

from sim.analysis.commitment import Commitment, commitment, commitments
from sim.analysis.security import security_levels
from sim.certificate import compare
from sim.errors import SimError
from sim.game import Game
from sim.solvers import solve

SETTINGS = settings(max_examples=100, deadline=None)


def games() -> st.SearchStrategy[Game]:
    """Exact two-player games up to 4 x 4: integers in -3..3, or tie-heavy 0/1/2 payoffs."""
    return st.one_of(integer_games(max_moves=4), tie_heavy_games(max_moves=4))


def leader_matrices(game: Game, leader: int) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """Leader's and follower's payoffs indexed [leader move][follower move] (test's own copy)."""
    own, other = game.payoff_matrix(leader), game.payoff_matrix(1 - leader)
    if leader == 1:
        own, other = own.T, other.T
    return own.tolist(), other.tolist()


def transpose(game: Game) -> Game:
    """The same game with the players' roles swapped (player 1 becomes the row player)."""
    return Game.from_arrays(
        game.payoff_matrix(1).T,
        game.payoff_matrix(0).T,
        players=game.players[::-1],
        moves=game.moves[::-1],
    )


def scipy_commitment_value(game: Game, leader: int) -> float:
    """Independent oracle: Conitzer & Sandholm's LP per follower response, in scipy's HiGHS.

    For each follower move j: maximise x @ L[:, j] subject to x @ (F[:, k] - F[:, j]) <= 0
    for every k, sum(x) = 1, x >= 0; the best value over the feasible programs.
    """
    linprog = pytest.importorskip("scipy.optimize").linprog
    own, other = (np.array(m, dtype=float) for m in leader_matrices(game, leader))
    m, n = own.shape
    best = -np.inf
    for j in range(n):
        for options in ({}, {"presolve": False}):  # the first definite answer of HiGHS
            lp = linprog(
                c=-own[:, j],
                A_ub=(other - other[:, [j]]).T,
                b_ub=np.zeros(n),
                A_eq=np.ones((1, m)),
                b_eq=[1.0],
                bounds=[(0, None)] * m,
                options=options,
            )
            if lp.status in (0, 2):
                break
        assert lp.status in (0, 2)  # 2: j is a best response to no mixture
        if lp.status == 0:
            best = max(best, -lp.fun)
    return best


def scipy_lexicographic_commitment(game: Game, leader: int) -> tuple[int, list[float]]:
    """Independent oracle for the tie-breaking: the lowest optimal follower move j, then the
    mixture with the most weight on the first leader move, then the second, ... (HiGHS)."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    own, other = (np.array(m, dtype=float) for m in leader_matrices(game, leader))
    m, n = own.shape
    value = scipy_commitment_value(game, leader)
    for j in range(n):
        a_ub = [*(other - other[:, [j]]).T, -own[:, j]]
        b_ub = [*np.zeros(n), -value + 1e-9]
        fixed: list[float] = []
        for r in range(m):
            bounds = [(p - 1e-9, p + 1e-9) for p in fixed] + [(0, None)] * (m - len(fixed))
            lp = linprog(
                c=-np.eye(m)[r],
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=np.ones((1, m)),
                b_eq=[1.0],
                bounds=bounds,
            )
            if lp.status != 0:
                break
            fixed.append(-lp.fun)
        if len(fixed) == m:
            return j, fixed
    raise AssertionError("some follower move is optimal")


def strong_pure_oracle(game: Game, leader: int) -> tuple[int, int, Fraction]:
    """Brute force: every leader move, the follower's best answers, the leader's favourite."""
    own, other = leader_matrices(game, leader)
    results = []
    for i, (leader_row, follower_row) in enumerate(zip(own, other, strict=True)):
        top = max(follower_row)
        answers = [j for j, v in enumerate(follower_row) if v == top]
        j = max(answers, key=lambda k: (leader_row[k], -k))
        results.append((leader_row[j], -i, i, j))
    value, _, i, j = max(results)
    return i, j, value


# --------------------------------------------------------------------- textbook tables

CONITZER_SANDHOLM = Game.from_arrays([[1, 3], [0, 2]], [[1, 0], [0, 1]])
# The same game with the roles swapped: the column player leads with the same payoffs.
CONITZER_SANDHOLM_COLUMN = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [3, 2]])
PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("US", "China"),
    moves=(("cooperate", "defect"), ("cooperate", "defect")),
)
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], moves=(("H", "T"), ("H", "T")))
BATTLE = Game.from_arrays(
    [[2, 0], [0, 1]], [[1, 0], [0, 2]], moves=(("opera", "fight"), ("opera", "fight"))
)
# The column player is indifferent after the top row; the tie decides the leader's payoff.
TIE = Game.from_arrays([[2, 0], [1, 1]], [[0, 0], [1, 0]], moves=(("a", "b"), ("x", "y")))
# Every pure commitment earns the row player 0; the mixture (top 2/3, middle 1/3) keeps the
# column player on "left" and earns it 4/3, 2/3 more than in the unique (mixed) equilibrium.
THREE_BY_TWO = Game.from_arrays(
    [[2, 0], [0, 1], [1, 0]],
    [[0, 1], [2, 0], [0, 1]],
    moves=(("top", "middle", "bottom"), ("left", "right")),
)

# Against "x", every mixture (0, q, 1 - q) with q >= 1/3 earns the row player its best, 2
# (as does "y" against "top"): the lowest follower move, then the lexicographically largest
# mixture, give the pure "middle", whatever order the simplex method visits the segment in.
SEGMENT = Game.from_arrays(
    [[1, 2, 1], [2, 1, 2], [2, 0, 2]],
    [[1, 2, 0], [2, 0, 0], [0, 1, 0]],
    moves=(("top", "middle", "bottom"), ("x", "y", "z")),
)


@pytest.mark.parametrize(
    (
        "game",
        "leader",
        "pure",
        "pure_payoffs",
        "pure_ties",
        "mixed",
        "mixed_response",
        "mixed_payoffs",
        "nash",
        "value",
    ),
    [
        pytest.param(
            CONITZER_SANDHOLM,
            0,
            ("s2", "s2"),
            ("2", "1"),
            False,
            ("1/2", "1/2"),
            "s2",
            ("5/2", "1/2"),
            ("1", "1"),
            "3/2",
            id="conitzer-sandholm",
        ),
        pytest.param(
            CONITZER_SANDHOLM_COLUMN,
            1,
            ("s2", "s2"),
            ("1", "2"),
            False,
            ("1/2", "1/2"),
            "s2",
            ("1/2", "5/2"),
            ("1", "1"),
            "3/2",
            id="conitzer-sandholm-column-leads",
        ),
        pytest.param(
            PD,
            "US",
            ("defect", "defect"),
            ("1", "1"),
            False,
            ("0", "1"),
            "defect",
            ("1", "1"),
            ("1", "1"),
            "0",
            id="prisoners-dilemma",
        ),
        pytest.param(
            PENNIES,
            0,
            ("H", "T"),
            ("-1", "1"),
            False,
            ("1/2", "1/2"),
            "H",
            ("0", "0"),
            ("0", "0"),
            "0",
            id="matching-pennies-row",
        ),
        pytest.param(
            PENNIES,
            1,
            ("H", "H"),
            ("1", "-1"),
            False,
            ("1/2", "1/2"),
            "H",
            ("0", "0"),
            ("0", "0"),
            "0",
            id="matching-pennies-column",
        ),
        pytest.param(
            BATTLE,
            0,
            ("opera", "opera"),
            ("2", "1"),
            False,
            ("1", "0"),
            "opera",
            ("2", "1"),
            ("2/3", "2"),
            "0",
            id="battle-row",
        ),
        pytest.param(
            BATTLE,
            1,
            ("fight", "fight"),
            ("1", "2"),
            False,
            ("0", "1"),
            "fight",
            ("1", "2"),
            ("2/3", "2"),
            "0",
            id="battle-column",
        ),
        pytest.param(
            TIE,
            0,
            ("a", "x"),
            ("2", "0"),
            True,
            ("1", "0"),
            "x",
            ("2", "0"),
            ("1", "2"),
            "0",
            id="follower-indifferent",
        ),
        pytest.param(
            THREE_BY_TWO,
            0,
            ("top", "right"),
            ("0", "1"),
            False,
            ("2/3", "1/3", "0"),
            "left",
            ("4/3", "2/3"),
            ("2/3", "2/3"),
            "2/3",
            id="three-by-two",
        ),
        pytest.param(
            SEGMENT,
            0,
            ("top", "y"),
            ("2", "2"),
            False,
            ("0", "1", "0"),
            "x",
            ("2", "2"),
            ("3/2", "2"),
            "0",
            id="segment-of-optimal-mixtures",
        ),
    ],
)
def test_textbook_commitments(
    game, leader, pure, pure_payoffs, pure_ties, mixed, mixed_response, mixed_payoffs, nash, value
):
    result = commitment(game, leader)
    data = result.to_dict(game)
    assert (data["pure"]["move"], data["pure"]["response"]) == pure
    assert tuple(data["pure"]["exact_payoffs"].values()) == pure_payoffs
    assert data["pure"]["ties"] is pure_ties
    own = game.moves[result.leader]
    assert tuple(str(p) for p in result.mixed_strategy) == mixed
    assert data["mixed"]["strategy"]["exact"] == {
        m: p for m, p in zip(own, mixed, strict=True) if p != "0"
    }
    assert data["mixed"]["response"] == mixed_response
    assert tuple(data["mixed"]["exact_payoffs"].values()) == mixed_payoffs
    assert (
        data["nash_leader_payoffs"]["exact_worst"],
        data["nash_leader_payoffs"]["exact_best"],
    ) == (nash)
    assert data["exact_value_of_commitment"] == value
    assert str(result.value_of_commitment()) == value
    json.dumps(data)


@pytest.mark.parametrize(
    ("game", "leader", "expected"),
    [
        pytest.param(
            CONITZER_SANDHOLM,
            0,
            (
                "If P1 commits first, its best pure commitment is s2; P2 answers s2; "
                "payoffs: P1 2, P2 1.",
                "Committing to a mixture (s1 1/2, s2 1/2) raises P1's payoff to 5/2 "
                "(P2 answers s2 and gets 1/2).",
                "At that mixture P2 is indifferent between s1 and s2; the answer assumes it "
                "breaks the tie in P1's favour.",
                "Without commitment P1 gets 1 in every Nash equilibrium: commitment is worth "
                "3/2 to it.",
            ),
            id="conitzer-sandholm",
        ),
        pytest.param(
            PENNIES,
            0,
            (
                "If P1 commits first, its best pure commitment is H; P2 answers T; "
                "payoffs: P1 -1, P2 1.",
                "Committing to a mixture (H 1/2, T 1/2) raises P1's payoff to 0 "
                "(P2 answers H and gets 0).",
                "At that mixture P2 is indifferent between H and T; the answer assumes it "
                "breaks the tie in P1's favour.",
                "Without commitment P1 gets 0 in every Nash equilibrium: commitment gains it "
                "nothing over its best equilibrium.",
                "A pure commitment alone would leave P1 1 below its best equilibrium payoff.",
            ),
            id="matching-pennies",
        ),
        pytest.param(
            TIE,
            0,
            (
                "If P1 commits first, its best pure commitment is a; P2 answers x; "
                "payoffs: P1 2, P2 0.",
                "At that commitment P2 is indifferent between x and y; the answer assumes it "
                "breaks the tie in P1's favour.",
                "No mixture does better: committing to a mixture gains P1 nothing.",
                "Without commitment P1 gets between 1 and 2 across the Nash equilibria: "
                "commitment gains it nothing over its best equilibrium.",
            ),
            id="follower-indifferent",
        ),
    ],
)
def test_sentences(game, leader, expected):
    assert commitment(game, leader).sentences(game) == expected


def test_commitments_gives_both_leaders_in_order():
    first, second = commitments(BATTLE)
    assert (first.leader, first.follower, second.leader, second.follower) == (0, 1, 1, 0)
    assert first == commitment(BATTLE, 0)
    assert second == commitment(BATTLE, "P2")


def test_float_game_reports_floats():
    game = Game.from_arrays([[1.0, 3.0], [0.0, 2.0]], [[0.1 + 0.2, 0.0], [0.0, 0.3]])
    result = commitment(game, 0)
    assert all(isinstance(p, float) for p in result.mixed_strategy)
    assert result.mixed_strategy == (0.5, 0.5)  # the follower's 0.1 + 0.2 ties with 0.3
    assert result.mixed_response == 1
    assert result.mixed_value == pytest.approx(2.5)
    data = result.to_dict(game)
    assert data["mixed"]["strategy"]["exact"] is None
    assert data["exact_value_of_commitment"] is None
    json.dumps(data)
    assert len(result.sentences(game)) >= 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: commitment(Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int)), 0),
            "two-player game, got 3 players",
            id="three-players",
        ),
        pytest.param(
            lambda: commitments(Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int))),
            "two-player game, got 3 players",
            id="three-players-both",
        ),
        pytest.param(lambda: commitment(PD, "USA"), "unknown player 'USA'", id="unknown-leader"),
        pytest.param(lambda: commitment(PD, 2), "out of range", id="leader-out-of-range"),
        pytest.param(
            lambda: commitment(PD, 0).to_dict(THREE_BY_TWO),
            "pass the game it was computed from",
            id="wrong-game",
        ),
    ],
)
def test_errors(call, message):
    with pytest.raises(SimError, match=message):
        call()


# ------------------------------------------------------------------- property tests


@SETTINGS
@given(games(), st.integers(0, 1))
def test_mixed_beats_pure_beats_maxmin(game, leader):
    result = commitment(game, leader)
    assert result.mixed_value >= result.pure_value
    assert result.pure_value >= security_levels(game).level(leader).pure_value
    assert result.value_of_mixing() >= 0


@SETTINGS
@given(games(), st.integers(0, 1))
def test_commitment_is_worth_at_least_every_equilibrium(game, leader):
    """von Stengel & Zamir (2010): the strong Stackelberg payoff is >= every Nash payoff."""
    result = commitment(game, leader)
    payoffs = [e.payoffs[leader] for e in solve(game).equilibria]
    assert result.nash_leader_payoffs == (min(payoffs), max(payoffs))
    assert all(result.mixed_value >= v for v in payoffs)
    assert result.value_of_commitment() >= 0


@SETTINGS
@given(games(), st.integers(0, 1))
def test_responses_are_strong_best_responses(game, leader):
    result = commitment(game, leader)
    own, other = leader_matrices(game, leader)
    x = result.mixed_strategy
    assert all(isinstance(p, Fraction) and p >= 0 for p in x) and sum(x) == 1
    follower = [
        sum(p * row[k] for p, row in zip(x, other, strict=True)) for k in range(len(own[0]))
    ]
    leader_values = [
        sum(p * row[k] for p, row in zip(x, own, strict=True)) for k in range(len(own[0]))
    ]
    best = tuple(k for k, v in enumerate(follower) if v == max(follower))
    assert result.mixed_best_responses == best
    assert result.mixed_ties == (len(best) > 1)
    assert result.mixed_response in best
    # Ties are broken in the leader's favour, then by the lowest index.
    assert result.mixed_response == max(best, key=lambda k: (leader_values[k], -k))
    assert result.mixed_value == leader_values[result.mixed_response]
    assert result.mixed_payoffs[1 - leader] == follower[result.mixed_response]


@SETTINGS
@given(games(), st.integers(0, 1))
def test_pure_commitment_matches_brute_force(game, leader):
    result = commitment(game, leader)
    move, response, value = strong_pure_oracle(game, leader)
    assert (result.pure_move, result.pure_response, result.pure_value) == (move, response, value)
    _, other = leader_matrices(game, leader)
    row = other[move]
    assert result.pure_best_responses == tuple(k for k, v in enumerate(row) if v == max(row))
    assert result.pure_ties == (len(result.pure_best_responses) > 1)


@SETTINGS
@given(games(), st.integers(0, 1))
def test_mixed_value_agrees_with_scipy(game, leader):
    result = commitment(game, leader)
    assert float(result.mixed_value) == pytest.approx(
        scipy_commitment_value(game, leader), abs=1e-7
    )


@SETTINGS
@given(games(), st.integers(0, 1))
def test_ties_between_optimal_mixtures_agree_with_scipy(game, leader):
    """The lowest optimal follower move, then the lexicographically largest mixture."""
    result = commitment(game, leader)
    response, mixture = scipy_lexicographic_commitment(game, leader)
    assert result.mixed_response == response
    assert [float(p) for p in result.mixed_strategy] == pytest.approx(mixture, abs=1e-6)


@SETTINGS
@given(games(), st.integers(0, 1), st.integers(0, 1), positive_affine_maps())
def test_rescaling_a_player_keeps_the_commitments(game, leader, player, affine):
    a, b = affine
    result = commitment(game, leader)
    scaled = commitment(rescale_player(game, player, a, b), leader)
    keys = ("pure_move", "pure_response", "mixed_strategy", "mixed_response", "mixed_ties")
    assert all(getattr(scaled, k) == getattr(result, k) for k in keys)
    assert scaled.pure_best_responses == result.pure_best_responses
    assert scaled.mixed_best_responses == result.mixed_best_responses
    factor = a if player == leader else 1
    assert scaled.value_of_commitment() == factor * result.value_of_commitment()


@SETTINGS
@given(games())
def test_transposed_game_with_the_other_leader_agrees(game):
    swapped = transpose(game)
    for leader in (0, 1):
        here, there = commitment(game, leader), commitment(swapped, 1 - leader)
        assert there == Commitment(
            leader=here.follower,
            follower=here.leader,
            pure_move=here.pure_move,
            pure_response=here.pure_response,
            pure_best_responses=here.pure_best_responses,
            pure_payoffs=here.pure_payoffs[::-1],
            pure_ties=here.pure_ties,
            mixed_strategy=here.mixed_strategy,
            mixed_response=here.mixed_response,
            mixed_best_responses=here.mixed_best_responses,
            mixed_payoffs=here.mixed_payoffs[::-1],
            mixed_ties=here.mixed_ties,
            nash_leader_payoffs=here.nash_leader_payoffs,
        )


@SETTINGS
@given(integer_games(max_moves=4), st.integers(0, 1))
def test_zero_sum_commitment_is_worth_the_maxmin(game, leader):
    """In a zero-sum game committing to a mixture earns exactly the minimax value."""
    payoffs = np.array(game.payoffs, dtype=object)
    payoffs[..., 1] = -payoffs[..., 0]
    zero_sum = game.with_payoffs(payoffs)
    result = commitment(zero_sum, leader)
    assert result.mixed_value == security_levels(zero_sum).level(leader).mixed_value
    assert result.value_of_commitment() == 0


@settings(max_examples=30, deadline=None)
@given(dyadic_float_games(max_moves=4), st.integers(0, 1))
def test_float_game_matches_its_exact_twin(twins, leader):
    exact, floating = twins
    expected, result = commitment(exact, leader), commitment(floating, leader)
    assert (result.pure_move, result.pure_response) == (expected.pure_move, expected.pure_response)
    assert result.mixed_response == expected.mixed_response
    assert result.mixed_strategy == tuple(float(p) for p in expected.mixed_strategy)
    values = (
        *result.pure_payoffs,
        *result.mixed_payoffs,
        *result.nash_leader_payoffs,
    )
    targets = (
        *expected.pure_payoffs,
        *expected.mixed_payoffs,
        *expected.nash_leader_payoffs,
    )
    assert all(isinstance(v, float) for v in values)
    assert values == pytest.approx([float(t) for t in targets], abs=1e-12)
    assert len(result.sentences(floating)) >= 3


@settings(max_examples=30, deadline=None)
@given(float_games(max_moves=4), st.integers(0, 1))
def test_float_games_keep_the_orderings_within_the_tolerance(game, leader):
    result = commitment(game, leader)
    scale = game.scale()
    assert all(isinstance(p, float) and p >= 0 for p in result.mixed_strategy)
    assert sum(result.mixed_strategy) == pytest.approx(1.0, abs=1e-12)
    assert compare(result.mixed_value, result.pure_value, scale) >= 0
    assert compare(result.value_of_commitment(), 0, scale) >= 0
    assert result.mixed_response in result.mixed_best_responses
    assert float(result.mixed_value) == pytest.approx(
        scipy_commitment_value(game, leader), abs=1e-7 * scale
    )
    json.dumps(result.to_dict(game))


@settings(max_examples=10, deadline=None)
@given(n_player_games(n_players=3, max_moves=2))
def test_more_than_two_players_is_refused(game):
    with pytest.raises(SimError, match="two players only"):
        commitment(game, 0)
