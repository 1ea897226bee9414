"""Tests of sim.analysis.correlated: correlated and coarse correlated equilibria.

Every distribution the module returns (linear-program optima and polytope vertices) is
checked against obedience constraints written out again here, independently of the module,
in exact arithmetic. The linear-program values are compared with scipy's ``linprog`` (an
independent float solver), the vertices with a brute-force enumeration of bases on tiny
games and with ``linprog`` optima in random directions, and textbook games with their
known values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction as F
from itertools import combinations, product
from math import prod
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from strategies import (
    any_player_games,
    dyadic_float_games,
    fraction_games,
    integer_games,
    positive_affine_maps,
    rescale_player,
    tie_heavy_games,
)

from sim.analysis.correlated import (
    MAX_VERTEX_PROFILES,
    MAX_VERTICES,
    CorrelatedEquilibrium,
    _double_description,
    _payoff_polygon,
    coarse_gaps,
    correlated_analysis,
    correlated_equilibrium,
    correlated_vertices,
    is_correlated_equilibrium,
    obedience_gaps,
)
from sim.analysis.hull import convex_hull
from sim.errors import SimError
from sim.game import Game
from sim.scenario import load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]

YD = ("yield", "dare")
CHICKEN = Game.from_arrays(
    [[6, 2], [7, 0]], [[6, 7], [2, 0]], players=("Ann", "Bob"), moves=(YD, YD), title="Chicken"
)
PD = Game.from_arrays(
    [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Row", "Column"), moves=(("C", "D"),) * 2
)
BATTLE = Game.from_arrays(
    [[2, 0], [0, 1]], [[1, 0], [0, 2]], players=("Ann", "Bob"), moves=(("opera", "fight"),) * 2
)
PENNIES = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
SHAPLEY = Game.from_arrays(
    [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]], title="Shapley"
)
# Three players, two moves each: each earns 1 when all three agree (two pure equilibria).
MATCH3 = Game.from_payoffs(
    [[[[int(a == b == c)] * 3 for c in range(2)] for b in range(2)] for a in range(2)],
    title="Three-way coordination",
)


# ------------------------------------------------------------ independent constraints
def obedience_rows(game: Game, coarse: bool = False) -> list[list[F]]:
    """The (coarse) obedience inequalities ``row . p <= 0``, written out from the definition."""
    profiles = list(game.profiles())
    rows = []
    for i in range(game.n_players):
        u = game.payoff_matrix(i)
        for b in range(game.shape[i]):
            if coarse:
                rows.append([F(u[(*s[:i], b, *s[i + 1 :])] - u[s]) for s in profiles])
                continue
            for a in range(game.shape[i]):
                if a != b:
                    rows.append(
                        [
                            F(u[(*s[:i], b, *s[i + 1 :])] - u[s]) if s[i] == a else F(0)
                            for s in profiles
                        ]
                    )
    return rows


def check_distribution(game: Game, p: Sequence[F], coarse: bool = False) -> None:
    """Exact: a probability vector satisfying every (coarse) obedience inequality."""
    assert len(p) == prod(game.shape)
    assert all(isinstance(x, F) and x >= 0 for x in p)
    assert sum(p) == 1
    for row in obedience_rows(game, coarse):
        assert sum(r * x for r, x in zip(row, p, strict=True)) <= 0


def rank(rows: Sequence[Sequence[F]]) -> int:
    """Exact rank by Gaussian elimination."""
    matrix = [list(map(F, row)) for row in rows]
    r = 0
    columns = len(matrix[0]) if matrix else 0
    for c in range(columns):
        pivot = next((k for k in range(r, len(matrix)) if matrix[k][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        for k in range(len(matrix)):
            if k != r and matrix[k][c] != 0:
                factor = matrix[k][c] / matrix[r][c]
                matrix[k] = [x - factor * y for x, y in zip(matrix[k], matrix[r], strict=True)]
        r += 1
    return r


def solve_exact(rows: Sequence[Sequence[F]], rhs: Sequence[F]) -> list[F] | None:
    """The unique solution of a square system, or None when it is singular."""
    n = len(rows)
    matrix = [[*map(F, row), F(b)] for row, b in zip(rows, rhs, strict=True)]
    for c in range(n):
        pivot = next((k for k in range(c, n) if matrix[k][c] != 0), None)
        if pivot is None:
            return None
        matrix[c], matrix[pivot] = matrix[pivot], matrix[c]
        for k in range(n):
            if k != c and matrix[k][c] != 0:
                factor = matrix[k][c] / matrix[c][c]
                matrix[k] = [x - factor * y for x, y in zip(matrix[k], matrix[c], strict=True)]
    return [matrix[k][n] / matrix[k][k] for k in range(n)]


def scipy_optimum(game: Game, weights: Sequence[float], coarse: bool = False) -> float:
    """``max weights . p`` over the (coarse) correlated equilibria, by scipy's HiGHS."""
    rows = obedience_rows(game, coarse)
    n = prod(game.shape)
    result = linprog(
        -np.asarray(weights, dtype=float),
        A_ub=np.asarray(rows, dtype=float) if rows else None,
        b_ub=np.zeros(len(rows)) if rows else None,
        A_eq=np.ones((1, n)),
        b_eq=[1.0],
        bounds=[(0, None)] * n,
        method="highs",
    )
    assert result.status == 0
    return float(-result.fun)


def welfare_weights(game: Game) -> list[F]:
    return [sum(game.payoff(s), F(0)) for s in game.profiles()]


def product_distribution(strategies: Sequence[Sequence[F]]) -> list[F]:
    return [
        prod((s[m] for s, m in zip(strategies, profile, strict=True)), start=F(1))
        for profile in product(*(range(len(s)) for s in strategies))
    ]


# ------------------------------------------------------------------------ textbook
@pytest.mark.parametrize(
    ("game", "welfare", "distribution", "nash", "player_best", "vertices"),
    [
        pytest.param(
            CHICKEN, F(21, 2), ("1/2", "1/4", "1/4", "0"), (F(28, 3), F(9)), (7, 7), 5,
            id="chicken-beats-nash",
        ),
        pytest.param(
            PD, F(2), ("0", "0", "0", "1"), (F(2), F(2)), (1, 1), 1, id="pd-only-defection"
        ),
        pytest.param(
            BATTLE, F(3), ("1", "0", "0", "0"), (F(3), F(4, 3)), (2, 2), 5, id="battle-of-sexes"
        ),
        pytest.param(
            PENNIES, F(0), ("1/4", "1/4", "1/4", "1/4"), (F(0), F(0)), (0, 0), 1, id="pennies"
        ),
        pytest.param(
            SHAPLEY, F(1), ("0", "1/6", "1/6", "1/6", "0", "1/6", "1/6", "1/6", "0"),
            (F(2, 3), F(2, 3)), (F(1, 2), F(1, 2)), 8, id="shapley",
        ),
    ],
)  # fmt: skip
def test_textbook_games(
    game: Game,
    welfare: F,
    distribution: tuple[str, ...],
    nash: tuple[F, F],
    player_best: tuple[int, int],
    vertices: int,
) -> None:
    result = correlated_analysis(game)
    best = result.best_welfare
    assert best.welfare == welfare
    assert tuple(str(p) for p in best.distribution) == distribution
    assert result.nash_welfare == nash
    assert tuple(ce.payoffs[i] for i, ce in enumerate(result.best_for_player)) == player_best
    assert result.polytope is not None and len(result.polytope.vertices) == vertices
    check_distribution(game, best.distribution)


def test_chicken_sentence_names_the_mediator_and_nash() -> None:
    first = correlated_analysis(CHICKEN).sentences()[0]
    assert first == (
        "A mediator who recommends (yield, yield) with probability 1/2 and each of "
        "(yield, dare) and (dare, yield) with probability 1/4 gives total payoff 21/2, "
        "more than any Nash equilibrium (best 28/3, worst 9)."
    )


def test_prisoners_dilemma_correlation_does_not_help() -> None:
    result = correlated_analysis(PD)
    assert result.welfare_gain() == 0
    assert result.sentences()[0] == (
        "A mediator who always recommends (D, D) gives total payoff 2, the same as the best "
        "Nash equilibrium: correlation does not raise total payoff here."
    )
    assert result.polytope is not None
    assert result.polytope.vertices == ((F(0), F(0), F(0), F(1)),)


def test_shapley_coarse_equilibria_are_strictly_more() -> None:
    ce = correlated_vertices(SHAPLEY)
    cce = correlated_vertices(SHAPLEY, coarse=True)
    assert len(cce.vertices) > len(ce.vertices)
    assert all(is_correlated_equilibrium(SHAPLEY, v, coarse=True) for v in _arrays(ce))
    assert not all(is_correlated_equilibrium(SHAPLEY, v) for v in _arrays(cce))
    # CE payoffs: the segment from the mixed equilibrium (1/3, 1/3) to (1/2, 1/2).
    assert ce.polygon == ((F(1, 3), F(1, 3)), (F(1, 2), F(1, 2)))


def test_ties_are_broken_lexicographically() -> None:
    # Welfare 2 at (s2, s2) and at (s3, s1), and on the segment between: the first profile
    # in profile order gets all the probability it can.
    game = Game.from_arrays([[1, 0, 0], [1, 1, 1], [1, 1, 1]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    best = correlated_equilibrium(game)
    assert best.support() == (((1, 1), F(1)),)
    optimal = [v for v, u in zip(*_vertices_and_payoffs(game), strict=True) if sum(u) == 2]
    assert len(optimal) == 2 and best.distribution == max(optimal)


def _vertices_and_payoffs(game: Game) -> tuple[tuple[tuple[F, ...], ...], tuple[object, ...]]:
    polytope = correlated_vertices(game)
    return polytope.vertices, polytope.payoffs  # type: ignore[return-value]


def test_two_move_players_have_equal_correlated_and_coarse_sets() -> None:
    for game in (CHICKEN, BATTLE, MATCH3):
        assert correlated_vertices(game).vertices == correlated_vertices(game, coarse=True).vertices


def test_three_player_game() -> None:
    result = correlated_analysis(MATCH3)
    assert result.nash_complete == "pure"
    assert result.best_welfare.welfare == 3
    assert result.polytope is not None and result.polytope.polygon is None
    assert any("pure Nash equilibrium" in line for line in result.sentences())
    for vertex in result.polytope.vertices:
        check_distribution(MATCH3, vertex)


def _arrays(polytope: object) -> list[np.ndarray]:
    game = polytope.game  # type: ignore[attr-defined]
    out = []
    for vertex in polytope.vertices:  # type: ignore[attr-defined]
        array = np.empty(game.shape, dtype=object)
        array.flat[:] = list(vertex)
        out.append(array)
    return out


@pytest.mark.parametrize("name", ["chicken", "prisoners_dilemma", "battle_of_the_sexes",
                                  "stag_hunt", "london_talks", "matching_pennies"])  # fmt: skip
def test_scenarios(name: str) -> None:
    game = load(ROOT / "scenarios" / f"{name}.yaml").game
    result = correlated_analysis(game)
    assert result.nash_welfare is not None
    gain = result.welfare_gain()
    assert gain is not None and gain >= 0
    json.dumps(result.to_dict())
    assert all(isinstance(line, str) and line for line in result.sentences())


# ------------------------------------------------------------------------- gaps
def test_obedience_gaps_by_hand() -> None:
    # Aumann's mediator in chicken: 1/3 on each outcome but the crash.
    third = F(1, 3)
    gaps = obedience_gaps(CHICKEN, {("yield", "yield"): third, (0, 1): third, (1, 0): third})
    # Told yield: yield earns 6/3 + 2/3, dare 7/3 + 0; told dare: dare earns 7/3, yield 6/3.
    assert [(g.player, g.recommended, g.deviation, g.gain) for g in gaps] == [
        (0, 0, 1, F(-1, 3)),
        (0, 1, 0, F(-1, 3)),
        (1, 0, 1, F(-1, 3)),
        (1, 1, 0, F(-1, 3)),
    ]
    coarse = coarse_gaps(CHICKEN, [[third, third], [third, 0]])
    assert [g.recommended for g in coarse] == [None] * 4
    assert [g.gain for g in coarse] == [F(-1, 3), F(-1, 3), F(-1, 3), F(-1, 3)]


def test_gaps_are_floats_for_float_inputs() -> None:
    gaps = obedience_gaps(PD, [[0.25, 0.25], [0.25, 0.25]])
    assert all(isinstance(g.gain, float) for g in gaps)
    assert is_correlated_equilibrium(PD, [[0, 0], [0, 1.0]])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda: obedience_gaps(PD, [1, 0, 0]), "shape (2, 2)", id="flat-short"),
        pytest.param(
            lambda: obedience_gaps(PD, [[F(3, 2), F(-1, 2)], [0, 0]]), "negative", id="negative"
        ),
        pytest.param(lambda: obedience_gaps(PD, {("C", "C"): F(1, 2)}), "sum to 1/2", id="sum"),
        pytest.param(lambda: obedience_gaps(PD, {("C", "X"): 1}), "unknown move 'X'", id="move"),
        pytest.param(lambda: correlated_equilibrium(PD, "Nobody"), "unknown player", id="player"),
        pytest.param(
            lambda: correlated_vertices(Game.from_arrays([[0] * 5] * 3, [[0] * 5] * 3)),
            f"at most {MAX_VERTEX_PROFILES} pure profiles; this game has 15 (3 × 5)",
            id="too-large",
        ),
        pytest.param(
            lambda: correlated_analysis(Game.from_arrays([[0] * 5] * 3, [[0] * 5] * 3),
                                        vertices=True),
            "strictly dominated",
            id="too-large-insisted",
        ),
    ],
)  # fmt: skip
def test_errors_say_what_is_wrong(call: object, message: str) -> None:
    with pytest.raises(SimError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()  # type: ignore[operator]


def test_large_games_skip_vertices_by_default() -> None:
    game = Game.from_arrays([[k % 3 for k in range(5)]] * 3, [[k % 2 for k in range(5)]] * 3)
    result = correlated_analysis(game)
    assert result.polytope is None and result.coarse_polytope is None
    check_distribution(game, result.best_welfare.distribution)


# --------------------------------------------------------------- linear program
def check_optima(game: Game) -> list[CorrelatedEquilibrium]:
    """Every optimum is exact, obedient, and as good as scipy's; return them."""
    found = []
    for coarse in (False, True):
        objectives: list[str | int] = ["welfare", *range(game.n_players)]
        for objective in objectives:
            ce = correlated_equilibrium(game, objective, coarse=coarse)
            check_distribution(game, ce.distribution, coarse)
            assert ce.max_gain <= 0 and ce.exact
            if objective == "welfare":
                weights = welfare_weights(game)
                value = ce.welfare
            else:
                i = int(objective)
                weights = [F(game.payoff(s)[i]) for s in game.profiles()]
                value = ce.payoffs[i]
            assert sum(w * p for w, p in zip(weights, ce.distribution, strict=True)) == value
            assert float(value) == pytest.approx(scipy_optimum(game, weights, coarse), abs=1e-7)
            found.append(ce)
    return found


def check_nash_inside(game: Game) -> None:
    """Every Nash equilibrium is a CE; every CE found is a CCE; the optima beat Nash."""
    solution = solve(game)
    result = correlated_analysis(game, solution, vertices=False)
    for e in solution.equilibria:
        p = product_distribution(e.strategies)
        check_distribution(game, p)
        assert sum(p[k] * w for k, w in enumerate(welfare_weights(game))) <= (
            result.best_welfare.welfare
        )
        for i in range(game.n_players):
            assert e.payoffs[i] <= result.best_for_player[i].payoffs[i]
    assert result.coarse_best_welfare.welfare >= result.best_welfare.welfare


@settings(max_examples=40, deadline=None)
@given(st.one_of(integer_games(max_moves=4), tie_heavy_games(max_moves=4), fraction_games(3)))
def test_two_player_optima_are_obedient_and_optimal(game: Game) -> None:
    for ce in check_optima(game):
        if not ce.coarse:  # every correlated equilibrium is a coarse one
            check_distribution(game, ce.distribution, coarse=True)
    check_nash_inside(game)


@settings(max_examples=15, deadline=None)
@given(any_player_games(max_players=3))
def test_any_player_optima_are_obedient_and_optimal(game: Game) -> None:
    check_optima(game)
    check_nash_inside(game)


@settings(max_examples=15, deadline=None)
@given(integer_games(max_moves=4), st.data())
def test_optimum_ignores_a_constant_added_to_a_payoff(game: Game, data: st.DataObject) -> None:
    """Tie-breaking makes the optimum depend on the feasible set and the objective's
    optimal set only: adding a constant to a player's payoffs changes neither (obedience
    gains are differences; welfare moves by the constant)."""
    player = data.draw(st.integers(0, game.n_players - 1))
    shifted = rescale_player(game, player, F(1), F(data.draw(st.integers(-5, 5))))
    assert correlated_equilibrium(shifted).distribution == correlated_equilibrium(game).distribution


@settings(max_examples=20, deadline=None)
@given(dyadic_float_games(max_moves=3))
def test_float_games_agree_with_their_exact_twins(twins: tuple[Game, Game]) -> None:
    exact, floating = twins
    for coarse in (False, True):
        a = correlated_equilibrium(exact, coarse=coarse)
        b = correlated_equilibrium(floating, coarse=coarse)
        assert all(isinstance(p, float) for p in b.distribution)
        assert [float(p) for p in a.distribution] == pytest.approx(list(b.distribution))
        assert float(a.welfare) == pytest.approx(b.welfare)
        assert is_correlated_equilibrium(floating, _shaped(floating, b.distribution), coarse=coarse)
    result = correlated_analysis(floating)
    assert result.to_dict()["best_welfare"]["exact_welfare"] is None
    json.dumps(result.to_dict())


def _shaped(game: Game, distribution: Sequence[object]) -> np.ndarray:
    array = np.empty(game.shape, dtype=object)
    array.flat[:] = list(distribution)
    return array


# ------------------------------------------------------------------------ vertices
def small_games() -> st.SearchStrategy[Game]:
    return st.one_of(
        integer_games(max_moves=3), tie_heavy_games(max_moves=3), fraction_games(max_moves=3)
    ).filter(lambda g: prod(g.shape) <= 9)


def active_rank(game: Game, vertex: Sequence[F], coarse: bool) -> int:
    n = len(vertex)
    active: list[list[F]] = [[F(1)] * n]
    active += [[F(int(j == k)) for j in range(n)] for k in range(n) if vertex[k] == 0]
    active += [
        row
        for row in obedience_rows(game, coarse)
        if sum(r * x for r, x in zip(row, vertex, strict=True)) == 0
    ]
    return rank(active)


@settings(max_examples=30, deadline=None)
@given(small_games(), st.booleans(), st.data())
def test_vertices_are_vertices_and_attain_every_optimum(
    game: Game, coarse: bool, data: st.DataObject
) -> None:
    polytope = correlated_vertices(game, coarse=coarse)
    n = prod(game.shape)
    assert len(set(polytope.vertices)) == len(polytope.vertices) >= 1
    for vertex in polytope.vertices:
        check_distribution(game, vertex, coarse)
        assert active_rank(game, vertex, coarse) == n  # a vertex: n independent tight constraints
    for _ in range(3):  # the optimum in a random direction is attained at a vertex
        weights = data.draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
        best = max(sum(w * p for w, p in zip(weights, v, strict=True)) for v in polytope.vertices)
        assert float(best) == pytest.approx(scipy_optimum(game, weights, coarse), abs=1e-7)
    # The optima are the vertices that the objectives, then the tie-breakers, pick: the
    # largest welfare (for a player: its payoff, then welfare), then the lexicographically
    # largest distribution.
    welfare = welfare_weights(game)
    for objective in ["welfare", *range(game.n_players)]:

        def key(v: tuple[F, ...], objective: str | int = objective) -> tuple[object, ...]:
            total = sum(w * p for w, p in zip(welfare, v, strict=True))
            if objective == "welfare":
                return (total, v)
            payoffs = [F(game.payoff(s)[int(objective)]) for s in game.profiles()]
            own = sum(u * p for u, p in zip(payoffs, v, strict=True))
            return (own, total, v)

        chosen = correlated_equilibrium(game, objective, coarse=coarse).distribution
        assert chosen == max(polytope.vertices, key=key)
    if game.n_players == 2:
        assert polytope.polygon is not None
        top = max(x + y for x, y in polytope.polygon)
        assert top == correlated_equilibrium(game, coarse=coarse).welfare


def brute_force_vertices(game: Game) -> set[tuple[F, ...]]:
    """Every basic feasible solution: ``n - 1`` tight inequalities plus ``sum(p) = 1``."""
    n = prod(game.shape)
    rows = [[F(int(j == k)) * -1 for j in range(n)] for k in range(n)]  # -p_k <= 0
    rows += [row for row in obedience_rows(game) if any(row)]
    found = set()
    for chosen in combinations(rows, n - 1):
        point = solve_exact([*chosen, [F(1)] * n], [F(0)] * (n - 1) + [F(1)])
        if point is not None and all(
            sum(r * x for r, x in zip(row, point, strict=True)) <= 0 for row in rows
        ):
            found.add(tuple(point))
    return found


@settings(max_examples=12, deadline=None)
@given(st.one_of(integer_games(max_moves=3), tie_heavy_games(max_moves=3)).filter(
    lambda g: prod(g.shape) <= 6))  # fmt: skip
def test_vertices_match_brute_force_enumeration(game: Game) -> None:
    assert set(correlated_vertices(game).vertices) == brute_force_vertices(game)


@settings(max_examples=10, deadline=None)
@given(small_games(), st.data())
def test_vertices_invariant_under_positive_affine_maps(game: Game, data: st.DataObject) -> None:
    player = data.draw(st.integers(0, game.n_players - 1))
    a, b = data.draw(positive_affine_maps())
    mapped = rescale_player(game, player, a, b)
    assert correlated_vertices(mapped).vertices == correlated_vertices(game).vertices


def test_every_ce_vertex_is_a_cce() -> None:
    for game in (CHICKEN, BATTLE, SHAPLEY, PD):
        for vertex in correlated_vertices(game).vertices:
            check_distribution(game, vertex, coarse=True)


# ------------------------------------------------------------------------- output
def test_to_dict_is_json_with_names_and_exact_strings() -> None:
    data = correlated_analysis(CHICKEN).to_dict()
    text = json.dumps(data)
    assert json.loads(text) == data
    best = data["best_welfare"]
    assert best["distribution"][0] == {
        "profile": ["yield", "yield"],
        "probability": 0.5,
        "exact_probability": "1/2",
    }
    assert best["exact_payoffs"] == {"Ann": "21/4", "Bob": "21/4"}
    assert best["exact_welfare"] == "21/2"
    assert data["nash"]["exact_best_welfare"] == "28/3"
    assert data["nash"]["exact_worst_welfare"] == "9"
    assert data["polytope"]["profiles"][1] == ["yield", "dare"]
    assert len(data["polytope"]["exact_vertices"]) == 5
    assert data["polytope"]["exact_polygon"][0] == ["2", "7"]


def test_sentences_of_one_equilibrium() -> None:
    ce = correlated_equilibrium(BATTLE, "Bob")
    assert ce.sentences() == (
        "A mediator who always recommends (fight, fight) gives Ann 1 and Bob 2 (total 3).",
        "No player gains by disobeying a recommendation.",
    )
    coarse = correlated_equilibrium(SHAPLEY, coarse=True).sentences()
    assert coarse[1].startswith("No player gains by opting out before hearing")


def test_a_result_distribution_is_accepted_back_as_it_is_given() -> None:
    game = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    found = correlated_equilibrium(game)
    assert is_correlated_equilibrium(game, found.distribution)
    assert is_correlated_equilibrium(game, found.distribution, coarse=True)


# ------------------------------------------------------------------- many vertices
# A random 3×4 game (payoffs -20..20, numpy seed 1, draw 8): its correlated equilibria have
# 290 vertices and its coarse ones 797. Enumerating both took 4-7 s with rays of Fractions
# in dictionaries (review 3); with integer rays and bitmask zero sets, well under a second.
MANY = Game.from_arrays(
    [[5, -6, 11, -19], [0, -14, 16, -8], [-17, -10, 19, 15]],
    [[-16, 5, -5, 9], [6, -3, 15, 5], [13, -6, 2, -12]],
    title="Many vertices",
)


def test_a_polytope_with_hundreds_of_vertices_is_enumerated_exactly() -> None:
    polytope = correlated_vertices(MANY)
    assert len(polytope.vertices) == len(set(polytope.vertices)) == 290
    assert list(polytope.vertices) == sorted(polytope.vertices, reverse=True)
    for vertex in polytope.vertices[::29]:
        check_distribution(MANY, vertex)
        assert active_rank(MANY, vertex, False) == 12
    rng = np.random.default_rng(0)
    for _ in range(5):  # the optimum in a random direction is attained at a vertex
        weights = rng.integers(-9, 10, 12).tolist()
        best = max(sum(w * p for w, p in zip(weights, v, strict=True)) for v in polytope.vertices)
        assert float(best) == pytest.approx(scipy_optimum(MANY, weights), abs=1e-7)
    assert len(correlated_vertices(MANY, coarse=True).vertices) == 797


def test_rays_are_integer_vectors_in_lowest_terms() -> None:
    rows = [(1, -2, 0), (-3, 1, 1)]  # p0 <= 2 p1 and p1 + p2 <= 3 p0
    rays = _double_description(rows, 3)
    assert all(isinstance(x, int) for ray in rays for x in ray)
    # p2 = 0: p1 <= 3 p0 <= 6 p1, ends (1, 3, 0) and (2, 1, 0); both rows tight: (2, 1, 5)
    assert sorted(rays) == [(1, 3, 0), (2, 1, 0), (2, 1, 5)]


def test_too_many_vertices_are_counted_not_listed() -> None:
    result = correlated_analysis(MANY)
    assert result.polytope is None and result.coarse_polytope is None
    assert (result.vertex_count, result.coarse_vertex_count) == (290, 797)
    lines = result.sentences()
    assert (
        "The correlated equilibria form a polytope with 290 vertices (every one found "
        f"exactly): too many to list (the analysis lists at most {MAX_VERTICES} per "
        "polytope); correlated_vertices(game) gives them all." in lines
    )
    assert lines[-1].startswith(
        "The coarse correlated equilibria, which include the correlated ones, form a "
        "polytope with 797 vertices: too many to list"
    )
    data = result.to_dict()
    assert data["polytope"] is None and data["coarse_polytope"] is None
    assert (data["vertex_count"], data["coarse_vertex_count"]) == (290, 797)
    assert len(json.dumps(data)) < 5000  # no list of hundreds of distributions


def test_max_vertices_is_a_keyword() -> None:
    small = correlated_analysis(CHICKEN, max_vertices=4)  # chicken's polytope has 5
    assert small.polytope is None and small.vertex_count == 5
    assert small.coarse_polytope is None and small.coarse_vertex_count == 5
    listed = correlated_analysis(CHICKEN)
    assert listed.polytope is not None and listed.vertex_count == 5
    assert correlated_analysis(CHICKEN, vertices=False).vertex_count is None


@pytest.mark.parametrize("seed", [6, 9, 11])
def test_float_payoff_polygon_is_the_exact_twins(seed: int) -> None:
    """Vertex payoffs of a float game equal up to rounding used to confuse the tolerant
    hull, which then dropped true corners (missing points by up to 0.02 for seed 9): the
    polygon is now found on the exact payoffs and matches the exact twin's."""
    values = np.random.default_rng(seed).normal(size=(3, 3, 2)).round(3)
    floating = Game.from_payoffs(values)
    exact = Game.from_payoffs(np.vectorize(lambda v: F(str(v)))(values).astype(object))
    for coarse in (False, True):
        a = correlated_vertices(exact, coarse=coarse)
        b = correlated_vertices(floating, coarse=coarse)
        assert a.polygon is not None and b.polygon is not None
        assert np.array(b.polygon) == pytest.approx(np.array(a.polygon, dtype=float), abs=1e-9)
        assert all(isinstance(x, float) for corner in b.polygon for x in corner)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.fractions(-3, 3, max_denominator=7), st.fractions(-3, 3, max_denominator=7)),
        min_size=1,
        max_size=60,
    )
)
def test_the_octagon_filter_keeps_the_hull(points: list[tuple[F, F]]) -> None:
    """Dropping repeats and the points inside the octagon of extreme points before the hull
    (to keep the hull of ~1,000 vertex payoffs fast) leaves the hull unchanged."""
    assert _payoff_polygon(points) == convex_hull(points)
