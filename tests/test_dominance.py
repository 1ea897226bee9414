"""Tests for sim.analysis.dominance: iterated elimination, weak and dominant moves."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_player_games, rescale_player

from sim.analysis.dominance import dominant_moves, iterated_elimination, weakly_dominated
from sim.errors import SolverError
from sim.game import Game
from sim.solvers import solve

# ----------------------------------------------------------------------- game generators


def games(max_players: int = 3) -> st.SearchStrategy[Game]:
    """Exact games with small integer payoffs (see ``strategies.any_player_games``)."""
    return any_player_games(max_players, low=-4, high=4)


@st.composite
def rescalings(draw: st.DrawFn) -> tuple[Fraction, Fraction]:
    """A positive affine map ``x -> a x + b`` with rational coefficients."""
    a = draw(st.fractions(min_value=Fraction(1, 5), max_value=5, max_denominator=5))
    b = draw(st.fractions(min_value=-5, max_value=5, max_denominator=3))
    return a, b


SETTINGS = settings(max_examples=60, deadline=None)


def signature(elimination):
    """What must not change under rescaling: round, player, move, dominator."""
    return [(s.round, s.player, s.move, s.dominator) for s in elimination.steps]


# --------------------------------------------------------------------- textbook tables

PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("US", "China"),
    moves=(("cooperate", "defect"), ("cooperate", "defect")),
)
GIBBONS = Game.from_arrays(  # Gibbons (1992), Figure 1.1.1
    [[1, 1, 0], [0, 0, 2]],
    [[0, 2, 1], [3, 1, 0]],
    players=("row", "column"),
    moves=(("Up", "Down"), ("Left", "Middle", "Right")),
)
HALF_HALF = Game.from_arrays(  # B is beaten by T/2 + M/2, by neither T nor M alone
    [[3, 0], [0, 3], [1, 1]],
    [[1, 0], [0, 1], [0, 0]],
    players=("row", "column"),
    moves=(("T", "M", "B"), ("L", "R")),
)
THIRDS = Game.from_arrays(  # dominators p T + (1-p) M for 1/4 < p < 1/2; maxmin p = 1/3
    [[4, 0], [0, 2], [1, 1]],
    [[0, 0], [0, 0], [0, 0]],
    players=("row", "column"),
    moves=(("T", "M", "B"), ("L", "R")),
)
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], moves=(("H", "T"), ("H", "T")))


def public_good() -> Game:
    """Three players give 1 or keep it; each gift returns 2/3 to every player."""
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for profile in product(range(2), repeat=3):
        gifts = [1 - m for m in profile]
        payoffs[profile] = [Fraction(2, 3) * sum(gifts) - g for g in gifts]
    return Game.from_payoffs(payoffs, players=("A", "B", "C"), moves=(("give", "keep"),) * 3)


PUBLIC_GOOD = public_good()
WEAK_THEN_STRICT = Game.from_arrays(  # D weakly dominated by U; then R strictly by L
    [[1, 1], [1, 0]],
    [[2, 1], [0, 1]],
    players=("row", "column"),
    moves=(("U", "D"), ("L", "R")),
)
WEAK_MIXTURE = Game.from_arrays(  # B weakly dominated by T/2 + M/2 only
    [[2, 0, 1], [0, 2, 1], [1, 1, 0]],
    [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
    players=("row", "column"),
    moves=(("T", "M", "B"), ("x", "y", "z")),
)

COPY_THEN_MIXTURE = Game.from_arrays(  # N copies B; each is weakly dominated by T/2 + M/2
    [[1, 1, 1], [2, 0, 1], [0, 2, 2], [1, 1, 1]],
    [[0, 0, 0]] * 4,
    players=("row", "column"),
    moves=(("N", "T", "M", "B"), ("x", "y", "z")),
)


@pytest.mark.parametrize(
    ("game", "options", "steps", "surviving"),
    [
        pytest.param(
            PD,
            {},
            [(1, "US", "cooperate", {"defect": "1"}), (1, "China", "cooperate", {"defect": "1"})],
            {"US": ["defect"], "China": ["defect"]},
            id="prisoners-dilemma",
        ),
        pytest.param(
            GIBBONS,
            {},
            [
                (1, "column", "Right", {"Middle": "1"}),
                (2, "row", "Down", {"Up": "1"}),
                (3, "column", "Left", {"Middle": "1"}),
            ],
            {"row": ["Up"], "column": ["Middle"]},
            id="gibbons-three-rounds",
        ),
        pytest.param(
            HALF_HALF,
            {},
            [(1, "row", "B", {"T": "1/2", "M": "1/2"})],
            {"row": ["T", "M"], "column": ["L", "R"]},
            id="mixture-only-half-half",
        ),
        pytest.param(
            HALF_HALF,
            {"mixed": False},
            [],
            {"row": ["T", "M", "B"], "column": ["L", "R"]},
            id="mixture-only-needs-mixed",
        ),
        pytest.param(
            THIRDS,
            {},
            [(1, "row", "B", {"T": "1/3", "M": "2/3"})],
            {"row": ["T", "M"], "column": ["L", "R"]},
            id="mixture-only-thirds",
        ),
        pytest.param(PENNIES, {}, [], {"P1": ["H", "T"], "P2": ["H", "T"]}, id="matching-pennies"),
        pytest.param(
            PUBLIC_GOOD,
            {},
            [(1, p, "give", {"keep": "1"}) for p in "ABC"],
            {"A": ["keep"], "B": ["keep"], "C": ["keep"]},
            id="three-player-public-good",
        ),
        pytest.param(
            WEAK_THEN_STRICT,
            {},
            [],
            {"row": ["U", "D"], "column": ["L", "R"]},
            id="weak-only-strict-mode",
        ),
        pytest.param(
            WEAK_THEN_STRICT,
            {"strict": False},
            [(1, "row", "D", {"U": "1"}), (2, "column", "R", {"L": "1"})],
            {"row": ["U"], "column": ["L"]},
            id="weak-then-strict",
        ),
        pytest.param(
            WEAK_MIXTURE,
            {},
            [],
            {"row": ["T", "M", "B"], "column": ["x", "y", "z"]},
            id="weak-mixture-strict-mode",
        ),
        pytest.param(
            WEAK_MIXTURE,
            {"strict": False},
            [(1, "row", "B", {"T": "1/2", "M": "1/2"})],
            {"row": ["T", "M"], "column": ["x", "y", "z"]},
            id="weak-mixture",
        ),
        pytest.param(
            WEAK_MIXTURE,
            {"strict": False, "mixed": False},
            [],
            {"row": ["T", "M", "B"], "column": ["x", "y", "z"]},
            id="weak-mixture-needs-mixed",
        ),
        pytest.param(  # for B the first maxmin mixture is the copy N, which is no dominator
            COPY_THEN_MIXTURE,
            {"strict": False},
            [
                (1, "row", "N", {"T": "1/2", "M": "1/2"}),
                (1, "row", "B", {"T": "1/2", "M": "1/2"}),
            ],
            {"row": ["T", "M"], "column": ["x", "y", "z"]},
            id="weak-mixture-behind-a-copy",
        ),
        pytest.param(
            COPY_THEN_MIXTURE,
            {},
            [],
            {"row": ["N", "T", "M", "B"], "column": ["x", "y", "z"]},
            id="weak-mixture-behind-a-copy-strict-mode",
        ),
    ],
)
def test_textbook_eliminations(game, options, steps, surviving):
    result = iterated_elimination(game, **options).to_dict()
    got = [(s["round"], s["player"], s["move"], s["exact_dominator"]) for s in result["steps"]]
    assert got == steps
    assert result["surviving"] == surviving


def test_thirds_margin_is_exact():
    (step,) = iterated_elimination(THIRDS).steps
    assert step.dominator == (Fraction(1, 3), Fraction(2, 3), Fraction(0))
    assert step.margin == Fraction(1, 3)
    assert step.dominator_move is None and not step.is_pure


def test_result_fields_and_reduced_game():
    result = iterated_elimination(GIBBONS)
    assert result.rounds == 3 and result.solved
    assert result.surviving == (("Up",), ("Middle",))
    assert result.surviving_indices == ((0,), (1,))
    assert result.reduced.players == GIBBONS.players
    assert result.reduced.moves == (("Up",), ("Middle",))
    assert result.reduced.payoff((0, 0)) == (Fraction(1), Fraction(2))
    assert result.steps[0].dominator_move == 1 and result.steps[0].margin == 1
    json.dumps(result.to_dict())


def test_float_game_uses_floats_and_no_exact_strings():
    game = HALF_HALF.with_payoffs(HALF_HALF.float_payoffs() / 7)
    (step,) = iterated_elimination(game).steps
    assert step.to_dict()["exact_dominator"] is None
    assert step.to_dict()["dominator"] == pytest.approx({"T": 0.5, "M": 0.5})
    assert isinstance(step.margin, float) and step.margin == pytest.approx(0.5 / 7)


def test_cyclic_weak_dominance_within_tolerance_is_an_error():
    # Scale 1, tolerance 1e-9: each move beats the previous by 1.6e-9 in one column and
    # loses 0.8e-9 (a tie within the tolerance) in the other two, around a cycle.
    t = 1e-9
    rows = [[0.0, 0.0, 0.0], [1.6 * t, -0.8 * t, -0.8 * t], [0.8 * t, 0.8 * t, -1.6 * t]]
    game = Game.from_arrays(rows, [[0.0] * 3] * 3)
    with pytest.raises(SolverError, match="within the tolerance"):
        iterated_elimination(game, strict=False)
    assert iterated_elimination(game).steps == ()


# ---------------------------------------------------------------- independent checkers


def alive_before(result, round_number):
    eliminated = {(s.player, s.move) for s in result.steps if s.round < round_number}
    return [
        [j for j in range(k) if (i, j) not in eliminated] for i, k in enumerate(result.game.shape)
    ]


def advantages(game, player, alive, dominator, move):
    """Dominator's payoff minus the move's against each alive opponents' profile."""
    others = [o for o in range(game.n_players) if o != player]
    out = []
    for opponents in product(*(alive[o] for o in others)):
        profile = list(opponents)
        profile.insert(player, move)
        base = game.payoffs[tuple(profile)][player]
        total = Fraction(0)
        for k, p in enumerate(dominator):
            profile[player] = k
            total += p * game.payoffs[tuple(profile)][player]
        out.append(total - base)
    return out


@given(games(), st.booleans(), st.booleans())
@SETTINGS
def test_every_step_is_a_valid_dominance(game, strict, mixed):
    result = iterated_elimination(game, strict=strict, mixed=mixed)
    for step in result.steps:
        alive = alive_before(result, step.round)
        assert step.move in alive[step.player]
        assert sum(step.dominator) == 1 and min(step.dominator) >= 0
        support = [k for k, p in enumerate(step.dominator) if p > 0]
        assert set(support) <= set(alive[step.player]) - {step.move}
        if not mixed:
            assert step.is_pure
        gains = advantages(game, step.player, alive, step.dominator, step.move)
        assert min(gains) == step.margin
        if strict:
            assert step.margin > 0
        else:
            assert step.margin >= 0 and max(gains) > 0
    rounds = [s.round for s in result.steps]
    assert rounds == sorted(rounds)
    assert set(rounds) == set(range(1, result.rounds + 1))


@given(games(), st.booleans())
@SETTINGS
def test_survivors_are_not_dominated_by_pure_moves(game, strict):
    result = iterated_elimination(game, strict=strict, mixed=False)
    alive = [list(s) for s in result.surviving_indices]
    assert all(alive)
    for i, own in enumerate(alive):
        for j, k in product(own, own):
            if j == k:
                continue
            unit = [int(m == k) for m in range(game.shape[i])]
            gains = advantages(game, i, alive, unit, j)
            assert not (min(gains) > 0 if strict else min(gains) >= 0 and max(gains) > 0)


def scipy_dominance(gains: np.ndarray, strict: bool) -> bool:
    """Independent oracle (scipy's HiGHS): is some mixture of the rows of ``gains``
    (other moves by opponents' profiles) strictly, or weakly, better than zero?"""
    linprog = pytest.importorskip("scipy.optimize").linprog
    n, s = gains.shape
    if strict:  # maximise e subject to x @ gains >= e, sum x = 1, x >= 0
        lp = linprog(
            c=[0.0] * n + [-1.0],
            A_ub=np.hstack([-gains.T, np.ones((s, 1))]),
            b_ub=np.zeros(s),
            A_eq=[[1.0] * n + [0.0]],
            b_eq=[1.0],
            bounds=[(0, None)] * n + [(None, None)],
        )
        assert lp.status == 0
        return -lp.fun > 1e-7
    # maximise sum_s (x @ gains)_s subject to x @ gains >= 0, sum x = 1, x >= 0
    lp = linprog(
        c=-gains.sum(axis=1),
        A_ub=-gains.T,
        b_ub=np.zeros(s),
        A_eq=[[1.0] * n],
        b_eq=[1.0],
        bounds=[(0, None)] * n,
    )
    assert lp.status in (0, 2)  # 2: infeasible, no mixture is never worse
    return lp.status == 0 and -lp.fun > 1e-7


def assert_survivors_undominated(game: Game, result, strict: bool) -> None:
    alive = [list(s) for s in result.surviving_indices]
    for i, own in enumerate(alive):
        for j in own:
            others = [k for k in own if k != j]
            if not others:
                continue
            rows = []
            for k in others:
                unit = [int(m == k) for m in range(game.shape[i])]
                rows.append([float(g) for g in advantages(game, i, alive, unit, j)])
            assert not scipy_dominance(np.array(rows), strict)


@given(games(max_players=2), st.booleans())
@settings(max_examples=40, deadline=None)
def test_survivors_are_not_dominated_by_mixtures_lp_oracle(game, strict):
    result = iterated_elimination(game, strict=strict)
    assert_survivors_undominated(game, result, strict)


def planted_game(seed: int, shape: tuple[int, ...], strict: bool) -> tuple[Game, set]:
    """Random payoffs in which each player's odd-numbered moves are dominated by mixtures.

    Move ``j`` (odd) pays the even mixture of two random even-numbered moves, minus 1
    everywhere (``strict``) or minus a random 0/1 vector that is 1 somewhere (weak).
    Returns the game and the planted ``(player, move)`` pairs.
    """
    rng = np.random.default_rng(seed)
    n = len(shape)
    values = 2 * rng.integers(0, 11, size=(*shape, n))  # even, so halves are integers
    planted = set()
    for i in range(n):
        evens = list(range(0, shape[i], 2))
        for j in range(1, shape[i], 2):
            a, b = rng.choice(evens, size=2, replace=False)
            mixture = (np.take(values[..., i], a, axis=i) + np.take(values[..., i], b, axis=i)) // 2
            if strict:
                penalty = np.ones_like(mixture)
            else:
                penalty = rng.integers(0, 2, size=mixture.shape)
                penalty.flat[rng.integers(penalty.size)] = 1
            index = [slice(None)] * n
            index[i] = j
            values[(*index, i)] = mixture - penalty
            planted.add((i, j))
    return Game.from_payoffs(values.astype(object)), planted


@pytest.mark.parametrize(
    ("seed", "shape", "strict"),
    [
        pytest.param(1, (16, 16), True, id="sixteen-by-sixteen"),
        pytest.param(2, (20, 20), True, id="twenty-by-twenty"),
        pytest.param(3, (20, 20), False, id="twenty-by-twenty-weak"),
        pytest.param(4, (5, 5, 5), True, id="three-players"),
        pytest.param(5, (5, 5, 5), False, id="three-players-weak"),
    ],
)
def test_large_games_against_the_lp_oracle(seed, shape, strict):
    # Sizes that enumerating every extreme maxmin strategy could not handle.
    game, planted = planted_game(seed, shape, strict)
    result = iterated_elimination(game, strict=strict)
    assert planted <= {(s.player, s.move) for s in result.steps if s.round == 1}
    for step in result.steps:
        alive = alive_before(result, step.round)
        gains = advantages(game, step.player, alive, step.dominator, step.move)
        assert min(gains) == step.margin
        assert step.margin > 0 if strict else step.margin >= 0 and max(gains) > 0
    assert_survivors_undominated(game, result, strict)


@given(games(max_players=2))
@SETTINGS
def test_strictly_dominated_moves_are_never_played_in_equilibrium(game):
    eliminated = {(s.player, s.move) for s in iterated_elimination(game).steps}
    for equilibrium in solve(game).equilibria:
        for i, j in eliminated:
            assert equilibrium.strategies[i][j] == 0


@given(games())
@SETTINGS
def test_pure_equilibria_survive_strict_elimination(game):
    result = iterated_elimination(game)
    for equilibrium in solve(game, method="pure").equilibria:
        profile = equilibrium.pure_profile
        assert all(m in own for m, own in zip(profile, result.surviving_indices, strict=True))


@given(games(), st.data())
@SETTINGS
def test_invariant_under_positive_affine_rescaling(game, data):
    player = data.draw(st.integers(0, game.n_players - 1))
    a, b = data.draw(rescalings())
    other = rescale_player(game, player, a, b)
    for strict in (True, False):
        before = iterated_elimination(game, strict=strict)
        after = iterated_elimination(other, strict=strict)
        assert signature(before) == signature(after)
        for s, t in zip(before.steps, after.steps, strict=True):
            assert t.margin == (a * s.margin if s.player == player else s.margin)


@given(games())
@SETTINGS
def test_mixed_dominators_eliminate_at_least_as_much(game):
    pure_only = iterated_elimination(game, mixed=False).surviving_indices
    with_mixed = iterated_elimination(game).surviving_indices
    for small, large in zip(with_mixed, pure_only, strict=True):
        assert set(small) <= set(large)


@given(games())
@SETTINGS
def test_float_game_agrees_with_exact_game(game):
    floats = game.with_payoffs(game.float_payoffs() / 8)
    for strict in (True, False):
        exact = iterated_elimination(game, strict=strict)
        approx = iterated_elimination(floats, strict=strict)
        assert [(s.round, s.player, s.move) for s in approx.steps] == [
            (s.round, s.player, s.move) for s in exact.steps
        ]
        for s, t in zip(exact.steps, approx.steps, strict=True):
            assert t.margin == pytest.approx(float(s.margin) / 8, abs=1e-9)
        assert approx.surviving == exact.surviving


@given(games())
@SETTINGS
def test_reduced_game_is_the_surviving_subgame(game):
    result = iterated_elimination(game)
    index = np.ix_(*result.surviving_indices)
    assert np.array_equal(result.reduced.payoffs, game.payoffs[index])
    assert result.reduced.is_exact
    json.dumps(result.to_dict())


# ------------------------------------------------------------ weak and dominant moves


@pytest.mark.parametrize(
    ("game", "dominated", "strict", "weak"),
    [
        pytest.param(
            PD,
            {"US": [("cooperate", "defect", True)], "China": [("cooperate", "defect", True)]},
            {"US": "defect", "China": "defect"},
            {"US": "defect", "China": "defect"},
            id="prisoners-dilemma",
        ),
        pytest.param(
            WEAK_THEN_STRICT,
            {"row": [("D", "U", False)], "column": []},
            {"row": None, "column": None},
            {"row": "U", "column": None},
            id="weak-only",
        ),
        pytest.param(
            PENNIES,
            {"P1": [], "P2": []},
            {"P1": None, "P2": None},
            {"P1": None, "P2": None},
            id="matching-pennies",
        ),
        pytest.param(
            Game.from_arrays(  # a duplicated best move is dominant in neither sense
                [[1, 1], [1, 1], [0, 0]],
                [[0, 1], [0, 1], [0, 1]],
                players=("row", "column"),
                moves=(("a", "b", "c"), ("x", "y")),
            ),
            {"row": [("c", "a", True)], "column": [("x", "y", True)]},
            {"row": None, "column": "y"},
            {"row": None, "column": "y"},
            id="duplicated-best-move",
        ),
        pytest.param(
            Game.from_arrays(  # c is weakly dominated by b and a, b by a: name a for c
                [[2, 1], [2, 2], [2, 0]],
                [[0, 0], [0, 0], [0, 0]],
                players=("row", "column"),
                moves=(("b", "a", "c"), ("x", "y")),
            ),
            {"row": [("b", "a", False), ("c", "a", False)], "column": []},
            {"row": None, "column": None},
            {"row": "a", "column": None},
            id="undominated-dominator-preferred",
        ),
        pytest.param(
            Game.from_arrays([[5]], [[1]], players=("row", "column")),
            {"row": [], "column": []},
            {"row": "s1", "column": "s1"},
            {"row": "s1", "column": "s1"},
            id="single-moves",
        ),
        pytest.param(
            PUBLIC_GOOD,
            {p: [("give", "keep", True)] for p in "ABC"},
            {p: "keep" for p in "ABC"},
            {p: "keep" for p in "ABC"},
            id="three-player-public-good",
        ),
    ],
)
def test_textbook_weak_and_dominant_moves(game, dominated, strict, weak):
    result = weakly_dominated(game).to_dict()
    listed = {p: [(d["move"], d["dominator"], d["strict"]) for d in ds] for p, ds in result.items()}
    assert listed == dominated
    dominant = dominant_moves(game).to_dict()
    assert {p: d["strict"] for p, d in dominant.items()} == strict
    assert {p: d["weak"] for p, d in dominant.items()} == weak
    json.dumps(result)


def test_weak_dominance_lookup_by_name():
    result = weakly_dominated(PD)
    assert result.moves("US") == (0,) and result.moves(1) == (0,)
    assert dominant_moves(PD).profile == (1, 1)
    assert dominant_moves(PENNIES).profile is None


@given(games())
@SETTINGS
def test_weakly_dominated_is_exactly_the_pure_weak_dominance(game):
    result = weakly_dominated(game)
    everything = [list(range(k)) for k in game.shape]
    for i in range(game.n_players):
        listed = {d.move: d for d in result.dominated[i]}
        for j in range(game.shape[i]):
            dominators = []
            for k in range(game.shape[i]):
                if k == j:
                    continue
                unit = [int(m == k) for m in range(game.shape[i])]
                gains = advantages(game, i, everything, unit, j)
                if min(gains) >= 0 and max(gains) > 0:
                    dominators.append((k, min(gains) > 0))
            if not dominators:
                assert j not in listed
            else:
                assert (listed[j].dominator, listed[j].strict) in dominators


@given(games())
@SETTINGS
def test_dominant_moves_are_consistent(game):
    dominant = dominant_moves(game)
    dominated = weakly_dominated(game)
    for i in range(game.n_players):
        d = dominant.strict[i]
        if d is not None:
            assert dominant.weak[i] == d
            assert {x.move for x in dominated.dominated[i]} == set(range(game.shape[i])) - {d}
            assert all(x.dominator == d and x.strict for x in dominated.dominated[i])
        w = dominant.weak[i]
        if w is not None:
            assert {x.move for x in dominated.dominated[i]} == set(range(game.shape[i])) - {w}
    if dominant.profile is not None:
        pure = [e.pure_profile for e in solve(game, method="pure").equilibria]
        assert dominant.profile in pure
