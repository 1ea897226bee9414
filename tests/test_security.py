"""Tests for sim.analysis.security: pure and mixed maxmin values."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_player_games, rescale_player

from sim.analysis.security import maxmin, maxmin_value, own_rows, security_levels
from sim.errors import SimError
from sim.game import Game
from sim.solvers import solve

# ----------------------------------------------------------------------- game generators


def games(max_players: int = 3) -> st.SearchStrategy[Game]:
    """Exact games with small integer payoffs (see ``strategies.any_player_games``)."""
    return any_player_games(max_players, low=-3, high=3)


@st.composite
def matrices(draw: st.DrawFn) -> list[list[int]]:
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 5))
    row = st.lists(st.integers(-3, 3), min_size=columns, max_size=columns)
    return draw(st.lists(row, min_size=rows, max_size=rows))


SETTINGS = settings(max_examples=60, deadline=None)


def guarantee(strategy, matrix) -> Fraction:
    """Worst case over columns of a mixed row strategy, in exact arithmetic."""
    return min(
        sum((Fraction(p) * Fraction(x) for p, x in zip(strategy, column, strict=True)), Fraction(0))
        for column in zip(*matrix, strict=True)
    )


def lp_value(matrix) -> float:
    """Independent oracle: the row chooser's maxmin value by linear programming."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    m = np.array(matrix, dtype=float)
    rows, columns = m.shape
    result = linprog(
        c=[0.0] * rows + [-1.0],
        A_ub=np.hstack([-m.T, np.ones((columns, 1))]),
        b_ub=np.zeros(columns),
        A_eq=[[1.0] * rows + [0.0]],
        b_eq=[1.0],
        bounds=[(0, None)] * rows + [(None, None)],
    )
    assert result.status == 0
    return -result.fun


# --------------------------------------------------------------------- textbook tables

PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], moves=(("H", "T"), ("H", "T")))
PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("US", "China"),
    moves=(("cooperate", "defect"), ("cooperate", "defect")),
)
BATTLE = Game.from_arrays(
    [[2, 0], [0, 1]], [[1, 0], [0, 2]], moves=(("opera", "fight"), ("opera", "fight"))
)
RPS = Game.from_arrays(
    [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
    moves=(("R", "P", "S"),) * 2,
)
SADDLE = Game.from_arrays(  # pure saddle point at (b, y): value 2 for the row player
    [[1, 0, 4], [3, 2, 5], [0, 1, 6]],
    [[-1, 0, -4], [-3, -2, -5], [0, -1, -6]],
    moves=(("a", "b", "c"), ("x", "y", "z")),
)


def three_player_matching() -> Game:
    """Player 0 wins 1 when both others match its coin, loses 1 when neither does."""
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for a, b, c in product(range(2), repeat=3):
        matches = int(b == a) + int(c == a)
        payoffs[a, b, c] = [Fraction(matches - 1), Fraction(0), Fraction(0)]
    return Game.from_payoffs(payoffs, moves=(("H", "T"),) * 3)


@pytest.mark.parametrize(
    ("game", "player", "pure_moves", "pure_value", "mixed_value", "strategy"),
    [
        pytest.param(PENNIES, 0, ("H", "T"), "-1", "0", ("1/2", "1/2"), id="pennies-row"),
        pytest.param(PENNIES, 1, ("H", "T"), "-1", "0", ("1/2", "1/2"), id="pennies-column"),
        pytest.param(PD, "US", ("defect",), "1", "1", ("0", "1"), id="pd-us"),
        pytest.param(PD, "China", ("defect",), "1", "1", ("0", "1"), id="pd-china"),
        pytest.param(BATTLE, 0, ("opera", "fight"), "0", "2/3", ("1/3", "2/3"), id="battle-row"),
        pytest.param(BATTLE, 1, ("opera", "fight"), "0", "2/3", ("2/3", "1/3"), id="battle-column"),
        pytest.param(
            RPS, 0, ("R", "P", "S"), "-1", "0", ("1/3", "1/3", "1/3"), id="rock-paper-scissors"
        ),
        pytest.param(SADDLE, 0, ("b",), "2", "2", ("0", "1", "0"), id="saddle-row"),
        pytest.param(SADDLE, 1, ("y",), "-2", "-2", ("0", "1", "0"), id="saddle-column"),
        pytest.param(
            three_player_matching(),
            0,
            ("H", "T"),
            "-1",
            "0",
            ("1/2", "1/2"),
            id="three-player-matching",
        ),
    ],
)
def test_textbook_security_levels(game, player, pure_moves, pure_value, mixed_value, strategy):
    data = security_levels(game).level(player).to_dict()
    assert tuple(data["pure_maxmin"]["moves"]) == pure_moves
    assert data["pure_maxmin"]["exact_value"] == pure_value
    assert data["mixed_maxmin"]["exact_value"] == mixed_value
    moves = game.moves[game.player_index(player)]
    exact = data["mixed_maxmin"]["strategy"]["exact"]
    assert tuple(exact.get(m, "0") for m in moves) == strategy
    json.dumps(data)


@pytest.mark.parametrize(
    ("matrix", "value", "strategy"),
    [
        pytest.param([[4, 0], [0, 2]], "4/3", ("1/3", "2/3"), id="two-by-two"),
        pytest.param([[1, 2, 3]], "1", ("1",), id="one-row"),
        pytest.param([[1], [3], [2]], "3", ("0", "1", "0"), id="one-column"),
        pytest.param([[0, 0], [0, 0]], "0", ("1", "0"), id="all-ties"),
        pytest.param([[1, 0], [0, 1], [1, 0]], "1/2", ("1/2", "1/2", "0"), id="duplicate-rows"),
        pytest.param([[3, 1, 3, 5], [1, 3, 3, 5]], "2", ("1/2", "1/2"), id="redundant-columns"),
        pytest.param([[0, 0], [0, 0], [0, 0]], "0", ("1", "0", "0"), id="ties-take-the-first-row"),
        pytest.param(  # maxmin strategies: x_0 + x_2 = x_1 + x_3 = 1/2
            [[1, 0], [0, 1], [1, 0], [0, 1]],
            "1/2",
            ("1/2", "1/2", "0", "0"),
            id="segment-of-maxmin-strategies",
        ),
        pytest.param(  # maxmin strategies (p, 1 - p) for 0 <= p <= 1/2
            [[0, 2, 1], [2, 1, 1]],
            "1",
            ("1/2", "1/2"),
            id="largest-first-probability",
        ),
        pytest.param(
            [[Fraction(1, 2), -1], [-1, Fraction(1, 3)]],
            "-5/17",
            ("8/17", "9/17"),
            id="fractions",
        ),
    ],
)
def test_maxmin_table(matrix, value, strategy):
    result = maxmin(matrix)
    assert str(result.value) == value
    assert tuple(str(p) for p in result.strategy) == strategy
    data = result.to_dict()
    assert data["exact_value"] == value
    json.dumps(data)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        pytest.param([1, 2, 3], "2-dimensional", id="one-dimensional"),
        pytest.param([[]], "non-empty", id="empty"),
        pytest.param([[True, 0]], "boolean", id="boolean"),
        pytest.param([[1, "x"]], "not a number", id="text"),
    ],
)
def test_maxmin_rejects_bad_matrices(matrix, message):
    with pytest.raises(SimError, match=message):
        maxmin(matrix)


def test_maxmin_of_floats_is_float():
    result = maxmin([[0.5, 0.1], [0.2, 0.4]])
    assert isinstance(result.value, float) and result.value == pytest.approx(0.3)
    assert result.strategy == pytest.approx((1 / 3, 2 / 3))
    assert result.to_dict()["exact_value"] is None


def test_float_game_security_levels():
    game = BATTLE.with_payoffs(BATTLE.float_payoffs() * 0.1)
    level = security_levels(game).level(0)
    assert level.mixed_value == pytest.approx(2 / 30)
    assert level.pure_moves == (0, 1)
    data = level.to_dict()
    assert data["exact_worst_cases"] is None and data["mixed_maxmin"]["exact_value"] is None


def test_own_rows_orders_opponent_profiles_lexicographically():
    game = three_player_matching()
    rows = own_rows(game, 1)
    for j, (a, c) in product(range(2), product(range(2), repeat=2)):
        assert rows[j, 2 * a + c] == game.payoffs[a, j, c][1]


# ------------------------------------------------------------------------- properties


@given(games())
@SETTINGS
def test_mixed_maxmin_is_at_least_pure_maxmin(game):
    for level in security_levels(game).levels:
        assert level.mixed_value >= level.pure_value
        assert level.pure_value == max(level.worst_cases)
        assert all(level.worst_cases[j] == level.pure_value for j in level.pure_moves)


@given(games())
@SETTINGS
def test_maxmin_strategies_guarantee_the_value(game):
    for level in security_levels(game).levels:
        matrix = own_rows(game, level.player).tolist()
        assert sum(level.mixed_strategy) == 1 and min(level.mixed_strategy) >= 0
        assert guarantee(level.mixed_strategy, matrix) == level.mixed_value


@given(matrices())
@SETTINGS
def test_maxmin_agrees_with_linear_programming(matrix):
    result = maxmin(matrix)
    assert float(result.value) == pytest.approx(lp_value(matrix), abs=1e-7)
    assert guarantee(result.strategy, matrix) == result.value


@given(matrices())
@SETTINGS
def test_maxmin_strategy_is_the_lexicographically_largest(matrix):
    """Independent oracle: every extreme maxmin strategy, by vertex enumeration of (M, -M)."""
    game = Game.from_arrays(matrix, [[-x for x in row] for row in matrix])
    extremes = {e.strategies[0] for e in solve(game).equilibria}
    assert maxmin(matrix).strategy == max(extremes)


@pytest.mark.parametrize(
    ("seed", "shape"),
    [
        pytest.param(1, (8, 64), id="eight-by-sixty-four"),
        pytest.param(2, (20, 20), id="twenty-by-twenty"),
        pytest.param(3, (30, 5), id="thirty-by-five"),
    ],
)
def test_large_maxmin_agrees_with_linear_programming(seed, shape):
    # Sizes that enumerating every extreme equilibrium could not handle.
    matrix = np.random.default_rng(seed).integers(-10, 11, size=shape).tolist()
    result = maxmin(matrix)
    assert float(result.value) == pytest.approx(lp_value(matrix), abs=1e-7)
    assert guarantee(result.strategy, matrix) == result.value
    column = maxmin([[-x for x in col] for col in zip(*matrix, strict=True)])
    assert column.value == -result.value  # minimax theorem, exactly


@given(matrices())
@SETTINGS
def test_maxmin_is_the_zero_sum_value(matrix):
    game = Game.from_arrays(matrix, [[-x for x in row] for row in matrix])
    value = maxmin(matrix).value
    assert all(e.payoffs[0] == value for e in solve(game).equilibria)
    column_value = maxmin([[-x for x in column] for column in zip(*matrix, strict=True)]).value
    assert column_value == -value  # minimax theorem


@given(matrices(), st.integers(1, 3))
@SETTINGS
def test_maxmin_value_is_the_value_of_maxmin(matrix, repeat):
    assert maxmin_value(matrix) == maxmin(matrix).value
    tall = [row for row in matrix for _ in range(repeat)]  # repeated rows: ties everywhere
    assert maxmin_value(tall) == maxmin(tall).value


@pytest.mark.parametrize(
    "shape", [pytest.param((40, 3), id="many-rows"), pytest.param((3, 40), id="many-columns")]
)
def test_dropping_dominated_rows_and_implied_columns_changes_nothing(shape, monkeypatch):
    import sim.analysis.security as security

    matrix = np.random.default_rng(5).integers(-4, 5, size=shape).tolist()
    rows, columns = security._reduced(matrix)
    assert len(rows) < shape[0] or len(columns) < shape[1]  # something is dropped
    reduced = maxmin(matrix)
    monkeypatch.setattr(
        security, "_reduced", lambda m: (list(range(len(m))), list(range(len(m[0]))))
    )
    assert maxmin(matrix) == reduced
    assert maxmin_value([[Fraction(x) for x in row] for row in matrix]) == reduced.value


@given(games(max_players=2))
@SETTINGS
def test_equilibrium_payoffs_are_individually_rational(game):
    levels = security_levels(game).levels
    for equilibrium in solve(game).equilibria:
        for i in range(2):
            assert equilibrium.payoffs[i] >= levels[i].mixed_value


@given(
    games(),
    st.data(),
    st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=4),
    st.integers(-5, 5),
)
@SETTINGS
def test_values_follow_positive_affine_rescaling(game, data, a, b):
    player = data.draw(st.integers(0, game.n_players - 1))
    before = security_levels(game).level(player)
    after = security_levels(rescale_player(game, player, a, b)).level(player)
    assert after.pure_value == a * before.pure_value + b
    assert after.mixed_value == a * before.mixed_value + b
    assert after.pure_moves == before.pure_moves
    assert after.mixed_strategy == before.mixed_strategy


@given(games())
@SETTINGS
def test_float_game_agrees_with_exact_game(game):
    floats = game.with_payoffs(game.float_payoffs() / 4)
    for exact, approx in zip(
        security_levels(game).levels, security_levels(floats).levels, strict=True
    ):
        assert approx.pure_moves == exact.pure_moves
        assert approx.pure_value == pytest.approx(float(exact.pure_value) / 4)
        assert approx.mixed_value == pytest.approx(float(exact.mixed_value) / 4, abs=1e-9)
    json.dumps(security_levels(floats).to_dict())
