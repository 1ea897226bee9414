"""Tests of :class:`sim.game.Game` construction: the fast path for plain numbers must build
exactly the game that reading each entry with :func:`sim.game.as_value` builds."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import SimError
from sim.game import Game, as_value

entries = st.one_of(
    st.integers(-(2**70), 2**70),
    st.integers(-5, 5),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.fractions(max_denominator=50),
)


def _entry_by_entry(a: list, b: list) -> np.ndarray:
    raw = np.stack([np.asarray(a, dtype=object), np.asarray(b, dtype=object)], axis=-1)
    values = [as_value(x) for x in raw.flat]
    if all(isinstance(v, Fraction) for v in values):
        out = np.empty(raw.shape, dtype=object)
        out.flat[:] = values
        return out
    return np.array([float(v) for v in values]).reshape(raw.shape)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_fast_construction_equals_reading_each_entry(m: int, n: int, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from([entries, st.integers(-9, 9), st.floats(-9, 9)]))
    a = [[data.draw(kind) for _ in range(n)] for _ in range(m)]
    b = [[data.draw(kind) for _ in range(n)] for _ in range(m)]
    game = Game.from_arrays(a, b)
    expected = _entry_by_entry(a, b)
    assert game.payoffs.dtype == expected.dtype
    assert game.payoffs.tolist() == expected.tolist()
    assert all(type(x) is type(y) for x, y in zip(game.payoffs.flat, expected.flat, strict=True))


@pytest.mark.parametrize(
    ("a", "exact"),
    [
        pytest.param([[2**63, 1], [0, 0]], True, id="past-int64-stays-exact"),
        pytest.param([[-1, 2**64], [0, 0]], True, id="past-uint64-stays-exact"),
        pytest.param(np.array([[1, 2], [3, 4]]), True, id="numpy-ints"),
        pytest.param(np.array([[1.5, 2], [3, 4]]), False, id="numpy-floats"),
        pytest.param([[1, 2.5], [3, 4]], False, id="ints-and-floats"),
    ],
)
def test_plain_numbers(a: list, exact: bool) -> None:
    game = Game.from_arrays(a, [[0, 0], [0, 0]])
    assert game.is_exact is exact
    assert [float(x) for x in game.payoff_matrix(0).flat] == [float(x) for x in np.ravel(a)]


@pytest.mark.parametrize(
    ("a", "message"),
    [
        pytest.param([[True, 2], [3, 4]], "is a boolean", id="bool-among-ints"),
        pytest.param(np.array([[True, False], [True, True]]), "is a boolean", id="numpy-bools"),
        pytest.param([[float("nan"), 2], [3, 4]], "not a finite number", id="nan"),
        pytest.param([[float("inf"), 2.5], [3, 4]], "not a finite number", id="inf"),
        pytest.param([[1, "a"], [3, 4]], "is not a number", id="text"),
    ],
)
def test_entries_that_are_not_payoffs_are_refused(a: list, message: str) -> None:
    with pytest.raises(SimError, match=message):
        Game.from_arrays(a, [[0, 0], [0, 0]])


def test_more_players_than_numpy_has_axes_is_a_clear_error() -> None:
    from sim.game import MAX_PLAYERS

    ok = [np.zeros((1,) * MAX_PLAYERS, dtype=int)] * MAX_PLAYERS
    assert Game.from_arrays(*ok).n_players == MAX_PLAYERS
    too_many = [np.zeros((1,) * (MAX_PLAYERS + 1), dtype=int)] * (MAX_PLAYERS + 1)
    with pytest.raises(SimError, match="more than the 30 a game may have"):
        Game.from_arrays(*too_many)
    with pytest.raises(SimError, match="at most 30 players"):
        Game.from_payoffs(np.zeros((1,) * 33 + (33,)))
