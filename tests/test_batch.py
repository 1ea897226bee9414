"""The batch solver answers exactly what the single-game solver answers, game by game."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import payoff_batches

from sim.certificate import TOLERANCE, regret
from sim.errors import SolverError
from sim.game import Game
from sim.solvers import batch, solve
from sim.solvers.batch import MARGIN, PROBABILITY_AGREEMENT, solve_batch


def _tolerance(payoffs: np.ndarray) -> float:
    """How far batch and single-game probabilities may differ for one game.

    Both solve within the rationalisation step of the exact solver, whose effect on the
    probabilities grows with the payoff scale over the payoff range.
    """
    flat = payoffs.reshape(-1, payoffs.shape[-1])
    span = np.ptp(flat, axis=0)
    scale = max(1.0, float(np.abs(flat).max()))
    ratio = scale / max(float(span[span > 0].min(initial=1.0)), 1e-300)
    return PROBABILITY_AGREEMENT * max(1.0, ratio) + 1e-12


def _sorted(strategies: list[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
    return sorted((np.concatenate(s) for s in strategies), key=lambda v: tuple(np.round(v, 5)))


def assert_same_as_single(batch: np.ndarray) -> None:
    result = solve_batch(batch)
    assert result.size == len(batch)
    pure_table = result.pure_profiles()
    for g, payoffs in enumerate(batch):
        single = solve(Game.from_payoffs(payoffs))
        expected = [e.probabilities for e in single.equilibria]
        got = result.equilibria(g)
        assert len(got) == len(expected), (g, payoffs.tolist())
        tol = _tolerance(payoffs)
        for a, b in zip(_sorted(got), _sorted(expected), strict=True):
            assert np.max(np.abs(a - b)) <= tol, (g, payoffs.tolist())
        pure = {e.pure_profile for e in single.equilibria if e.is_pure}
        assert set(zip(*np.nonzero(pure_table[g]), strict=True)) == pure
        if single.complete == "extreme":
            assert result.mixed[g] == sum(not e.is_pure for e in single.equilibria)
            assert result.degenerate[g] == single.degenerate
            assert result.continuum[g] == any(not c.is_isolated for c in single.components)
        else:
            assert result.mixed[g] == -1
        for s, v in zip(result.equilibria(g), result.payoffs[result.offsets[g] :], strict=False):
            game = Game.from_payoffs(payoffs)
            assert regret(game, s) <= TOLERANCE * game.scale()
            assert np.allclose(v, [float(x) for x in _expected(game, s)], rtol=1e-9, atol=1e-9)


def _expected(game: Game, strategies: tuple[np.ndarray, ...]) -> list[float]:
    from sim.certificate import expected_payoffs

    return [float(x) for x in expected_payoffs(game, [list(s) for s in strategies])]


@settings(max_examples=150, deadline=None)
@given(payoff_batches())
def test_batch_equals_single_game_solver(batch: np.ndarray) -> None:
    assert_same_as_single(batch)


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (3, 5), (2, 2, 2)])
def test_generic_games_take_the_fast_path_and_agree(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(7)
    batch = rng.normal(size=(300, *shape, len(shape)))
    result = solve_batch(batch)
    assert not result.exact_path.any()  # the vectorised path decided every game itself
    assert_same_as_single(batch)


def test_ties_go_to_the_exact_path() -> None:
    tie = np.zeros((1, 2, 2, 2))
    tie[0, :, :, 0] = [[1, 1], [0, 0]]  # the row player's first move is always best
    tie[0, :, :, 1] = [[1, 1], [0, 0]]  # the column player is indifferent
    result = solve_batch(tie)
    assert result.exact_path.tolist() == [True]
    assert result.degenerate.tolist() == [True] and result.continuum.tolist() == [True]
    assert sorted(map(tuple, result.pure_profiles()[0].nonzero())) == [(0, 0), (0, 1)]


def test_near_ties_within_the_margin_go_to_the_exact_path() -> None:
    base = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)  # prisoner's dilemma
    close, far = base.copy(), base.copy()
    close[0, 0, 0] += MARGIN / 2  # cooperate-cooperate payoff almost equals ...
    close[1, 0, 0] = close[0, 0, 0] - MARGIN / 4  # ... the temptation payoff
    far[1, 0, 0] = far[0, 0, 0] - 10 * MARGIN
    result = solve_batch(np.stack([close, far]))
    assert result.exact_path.tolist() == [True, False]
    assert_same_as_single(np.stack([close, far]))


def test_repeated_games_are_solved_once() -> None:
    tie = np.ones((1000, 2, 2, 2))
    result = solve_batch(tie)  # the same fully degenerate game, 1000 times
    assert result.exact_path.all() and (result.counts == 4).all()


def test_large_two_player_games_use_the_exact_solver() -> None:
    rng = np.random.default_rng(3)
    batch = rng.integers(0, 3, size=(3, 4, 4, 2)).astype(float)
    assert solve_batch(batch).exact_path.all()
    assert_same_as_single(batch)


def test_result_arrays_are_read_only() -> None:
    result = solve_batch(np.random.default_rng(1).normal(size=(5, 2, 2, 2)))
    with pytest.raises(ValueError, match="read-only"):
        result.mixed[0] = 3


@pytest.mark.parametrize(
    ("payoffs", "message"),
    [
        (np.zeros((3, 2, 2)), "shape"),
        (np.zeros((3, 2, 2, 3)), "shape"),
        (np.full((1, 2, 2, 2), np.nan), "finite"),
    ],
)
def test_bad_input_is_refused(payoffs: np.ndarray, message: str) -> None:
    with pytest.raises(SolverError, match=message):
        solve_batch(payoffs)


def test_mixtures_near_a_singular_determinant_are_the_exact_solvers_numbers() -> None:
    # 3/7 + 2.4e-10 rationalises to 3/7, which moves the mixture by about 1e-4 because its
    # determinant is only about 1e-6: the batch must give the exact solver's mixture.
    e = 2.4e-10
    a = [[1.0, 0.0], [0.0, 1.0]]
    b = [[3 / 7 + e, 3 / 7 + e - 1.05e-6], [4 / 7 - e - 1.05e-6, 4 / 7 - e]]
    payoffs = np.stack([a, b], axis=-1)
    single = [e.probabilities for e in solve(Game.from_payoffs(payoffs)).equilibria]
    expected = [s for s in single if min(s[0]) > 0]
    # The closed-form 2x2 kernel and the general support-enumeration kernel.
    for kernel in (solve_batch, batch._two_player):
        result = kernel(payoffs[None])
        assert not result.exact_path[0]
        mixed = [s for s in result.equilibria(0) if s[0].min() > 0]
        assert len(mixed) == len(expected) == 1
        assert np.allclose(mixed[0][0], expected[0][0], atol=1e-15, rtol=0)
        assert np.allclose(mixed[0][1], expected[0][1], atol=1e-15, rtol=0)
