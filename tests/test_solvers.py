"""Tests of :func:`sim.solvers.solve`: textbook answers, certificates, invariances, agreement.

The independent reference here, :func:`reference_extreme_equilibria`, finds every extreme
equilibrium of a small two-player game by brute force in exact arithmetic: a strategy is a
vertex candidate when ``m`` of its own zero-probability constraints and its opponent's
best-response equalities, together with ``sum x = 1``, determine it uniquely (a vertex of the
best-response polyhedron); every pair of candidates that are best responses to each other is
an extreme equilibrium. It shares no code with the solver's pivoting.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import combinations, product
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    bimatrix_games,
    decimal_float_games,
    dyadic_float_games,
    float_games,
    fraction_games,
    integer_games,
    matrix_pairs,
    move_permutations,
    n_player_games,
    positive_affine_maps,
    rescale_player,
    tie_heavy_games,
)

from sim.certificate import TOLERANCE, expected_payoffs, is_equilibrium, rationalised, regret
from sim.errors import SolverError
from sim.game import Game
from sim.solvers import Solution, solve

F = Fraction
Strategy = tuple[Fraction, ...]
Pair = tuple[Strategy, Strategy]
Payoff = Callable[[tuple[int, ...]], int]

# ------------------------------------------------------------------ reference solver


def _solve_linear(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve a square system exactly by Gauss-Jordan elimination; None when singular."""
    n = len(matrix)
    rows = [[*row, b] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [v / lead for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [v - factor * w for v, w in zip(rows[r], rows[col], strict=True)]
    return [rows[r][n] for r in range(n)]


def _opponent_values(matrix: Sequence[Sequence[Fraction]], strategy: Strategy) -> list[Fraction]:
    """Opponent's payoff of each of its moves (columns of ``matrix``) against ``strategy``."""
    return [
        sum((p * row[j] for p, row in zip(strategy, matrix, strict=True)), F(0))
        for j in range(len(matrix[0]))
    ]


def _best_responses(matrix: Sequence[Sequence[Fraction]], strategy: Strategy) -> set[int]:
    values = _opponent_values(matrix, strategy)
    top = max(values)
    return {j for j, v in enumerate(values) if v == top}


def _support(strategy: Strategy) -> set[int]:
    return {i for i, p in enumerate(strategy) if p != 0}


def vertex_strategies(matrix: Sequence[Sequence[Fraction]]) -> set[Strategy]:
    """Mixed strategies ``x`` fixed by ``m`` labels: zero coordinates or opponent ties.

    ``matrix[i][j]`` is the opponent's payoff when this player plays ``i`` and the opponent
    ``j``. Unknowns are ``x`` and the opponent's best value ``v``.
    """
    m, n = len(matrix), len(matrix[0])
    found = set()
    for k in range(m):
        for zeros in combinations(range(m), k):
            for ties in combinations(range(n), m - k):
                equations = [[F(int(r == i)) for r in range(m)] + [F(0)] for i in zeros]
                equations += [[matrix[r][j] for r in range(m)] + [F(-1)] for j in ties]
                equations.append([F(1)] * m + [F(0)])
                solution = _solve_linear(equations, [F(0)] * (m) + [F(1)])
                if solution is None:
                    continue
                x, value = tuple(solution[:m]), solution[m]
                if min(x) >= 0 and max(_opponent_values(matrix, x)) <= value:
                    found.add(x)
    return found


def _exact(matrix: Sequence[Sequence[object]]) -> list[list[Fraction]]:
    return [[F(v) for v in row] for row in matrix]  # type: ignore[arg-type]


def reference_extreme_equilibria(a: Sequence, b: Sequence) -> set[Pair]:
    """Every extreme equilibrium of the bimatrix game ``(a, b)``, by brute force."""
    a_exact, b_exact = _exact(a), _exact(b)
    a_transposed = [list(col) for col in zip(*a_exact, strict=True)]
    rows, columns = vertex_strategies(b_exact), vertex_strategies(a_transposed)
    return {
        (x, y)
        for x in rows
        for y in columns
        if _support(x) <= _best_responses(a_transposed, y)
        and _support(y) <= _best_responses(b_exact, x)
    }


def reference_degenerate(a: Sequence, b: Sequence) -> bool:
    """True when some mixed strategy with support size ``k`` has more than ``k`` best responses.

    It suffices to look at vertex candidates: a witness ``x`` lies on a face of the
    best-response polyhedron whose vertices keep all its best responses and use no more moves.
    """
    a_exact, b_exact = _exact(a), _exact(b)
    a_transposed = [list(col) for col in zip(*a_exact, strict=True)]
    return any(
        len(_best_responses(matrix, x)) > len(_support(x))
        for matrix in (b_exact, a_transposed)
        for x in vertex_strategies(matrix)
    )


# --------------------------------------------------------------------------- helpers


def pairs(solution: Solution) -> list[Pair]:
    """The solver's equilibria as exact ``(x, y)`` pairs, in the solver's order."""
    return [(tuple(e.strategies[0]), tuple(e.strategies[1])) for e in solution.equilibria]


def matrices(game: Game) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    return game.payoff_matrix(0).tolist(), game.payoff_matrix(1).tolist()


def _vector(values: Sequence[str | int]) -> Strategy:
    return tuple(F(v) for v in values)


def exact_pairs(*items: tuple[Sequence[str | int], Sequence[str | int]]) -> set[Pair]:
    """Equilibria written as ``((x...), (y...))`` with ints or ``"p/q"`` strings."""
    return {(_vector(x), _vector(y)) for x, y in items}


# ---------------------------------------------------------------- textbook answers

TEXTBOOK = [
    pytest.param(
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        exact_pairs(((0, 1), (0, 1))),
        False,
        1,
        id="prisoners-dilemma",
    ),
    pytest.param(
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        exact_pairs((("1/2", "1/2"), ("1/2", "1/2"))),
        False,
        1,
        id="matching-pennies",
    ),
    pytest.param(
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        exact_pairs(((1, 0), (1, 0)), (("2/3", "1/3"), ("1/3", "2/3")), ((0, 1), (0, 1))),
        False,
        3,
        id="battle-of-the-sexes",
    ),
    pytest.param(
        # Swerve / Straight; a crash costs 10.
        [[0, -1], [1, -10]],
        [[0, 1], [-1, -10]],
        exact_pairs(((1, 0), (0, 1)), ((0, 1), (1, 0)), (("9/10", "1/10"), ("9/10", "1/10"))),
        False,
        3,
        id="chicken",
    ),
    pytest.param(
        [[4, 0], [3, 3]],
        [[4, 3], [0, 3]],
        exact_pairs(((1, 0), (1, 0)), ((0, 1), (0, 1)), (("3/4", "1/4"), ("3/4", "1/4"))),
        False,
        3,
        id="stag-hunt",
    ),
    pytest.param(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        exact_pairs((("1/3", "1/3", "1/3"), ("1/3", "1/3", "1/3"))),
        False,
        1,
        id="rock-paper-scissors",
    ),
    pytest.param(
        [[1, 1], [1, 1]],
        [[1, 1], [1, 1]],
        exact_pairs(((1, 0), (1, 0)), ((1, 0), (0, 1)), ((0, 1), (1, 0)), ((0, 1), (0, 1))),
        True,
        1,
        id="all-payoffs-equal",
    ),
    pytest.param(
        # Row 1 strictly dominates; the column player is then indifferent: a segment.
        [[1, 1], [0, 0]],
        [[1, 1], [0, 0]],
        exact_pairs(((1, 0), (1, 0)), ((1, 0), (0, 1))),
        True,
        1,
        id="dominant-row-indifferent-column",
    ),
    pytest.param(
        # The degenerate example of von Stengel (Handbook of Game Theory 3, 2002) and Avis
        # et al. (2010): the segment {(1,0,0)} x [(2/3,1/3), (1,0)] (row 1 leaves the column
        # player indifferent) and the isolated ((0,1/3,2/3), (1/3,2/3)).
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        exact_pairs(
            ((1, 0, 0), (1, 0)),
            ((1, 0, 0), ("2/3", "1/3")),
            ((0, "1/3", "2/3"), ("1/3", "2/3")),
        ),
        True,
        2,
        id="von-stengel-degenerate-3x2",
    ),
    pytest.param(
        # Same A with B[0] = (3, 2): row 1 no longer ties, the game becomes non-degenerate
        # with three isolated equilibria (derived by hand: the row player is indifferent
        # between rows 2 and 3 at q = 1/3 and between rows 1 and 2 at q = 2/3).
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        exact_pairs(
            ((1, 0, 0), (1, 0)),
            (("4/5", "1/5", 0), ("2/3", "1/3")),
            ((0, "1/3", "2/3"), ("1/3", "2/3")),
        ),
        False,
        3,
        id="von-stengel-variant-nondegenerate",
    ),
    pytest.param(
        # Battle of the sexes with a stake of k = 10**12: the mixed equilibrium is
        # x = (k/(k+1), 1/(k+1)), y = (1/(k+1), k/(k+1)). (Gambit 16.7 finds nothing here.)
        [[10**12, 0], [0, 1]],
        [[1, 0], [0, 10**12]],
        exact_pairs(
            ((1, 0), (1, 0)),
            (
                (f"{10**12}/{10**12 + 1}", f"1/{10**12 + 1}"),
                (f"1/{10**12 + 1}", f"{10**12}/{10**12 + 1}"),
            ),
            ((0, 1), (0, 1)),
        ),
        False,
        3,
        id="large-stakes",
    ),
    pytest.param(
        [[5]],
        [[-2]],
        exact_pairs(((1,), (1,))),
        False,
        1,
        id="one-by-one",
    ),
    pytest.param(
        # One row: the column player's ties make a simplex of equilibria.
        [[0, 0, 0]],
        [[2, 2, 1]],
        exact_pairs(((1,), (1, 0, 0)), ((1,), (0, 1, 0))),
        True,
        1,
        id="one-row-tied-columns",
    ),
    pytest.param(
        # Zero-sum 2x3 with a dominated third column: value 1/2 at ((1/2,1/2),(1/2,1/2,0)).
        [[1, 0, 2], [0, 1, 3]],
        [[-1, 0, -2], [0, -1, -3]],
        exact_pairs((("1/2", "1/2"), ("1/2", "1/2", 0))),
        False,
        1,
        id="zero-sum-dominated-column",
    ),
]


@pytest.mark.parametrize(("a", "b", "expected", "degenerate", "n_components"), TEXTBOOK)
def test_textbook_extreme_equilibria(
    a: list, b: list, expected: set[Pair], degenerate: bool, n_components: int
) -> None:
    solution = solve(Game.from_arrays(a, b))
    assert set(pairs(solution)) == expected
    assert len(solution.equilibria) == len(expected)
    assert solution.degenerate is degenerate
    assert len(solution.components) == n_components
    assert solution.method == "vertex-enumeration"
    assert solution.complete == "extreme"
    assert solution.exact is True


@pytest.mark.parametrize(("a", "b", "expected", "degenerate", "n_components"), TEXTBOOK)
def test_textbook_matches_reference(
    a: list, b: list, expected: set[Pair], degenerate: bool, n_components: int
) -> None:
    # Guards the reference itself: it must reproduce every hand-derived answer.
    assert reference_extreme_equilibria(a, b) == expected
    assert reference_degenerate(a, b) is degenerate


def test_all_equal_game_is_one_convex_set() -> None:
    solution = solve(Game.from_arrays([[1, 1], [1, 1]], [[1, 1], [1, 1]]))
    assert len(solution.convex_sets) == 1
    (convex,) = solution.convex_sets
    assert set(convex.vertices[0]) == set(convex.vertices[1]) == {(1, 0), (0, 1)}
    assert convex.equilibria == (0, 1, 2, 3)
    assert solution.components[0].equilibria == (0, 1, 2, 3)
    assert not solution.components[0].is_isolated


def test_von_stengel_structure() -> None:
    solution = solve(Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]))
    segment = {((F(1), F(0), F(0)), (F(1), F(0))), ((F(1), F(0), F(0)), (F(2, 3), F(1, 3)))}
    by_component = [
        {pairs(solution)[k] for k in component.equilibria} for component in solution.components
    ]
    assert sorted(map(len, by_component)) == [1, 2]
    assert segment in by_component
    assert len(solution.convex_sets) == 2
    assert solution.pure_equilibria()[0].pure_profile == (0, 0)


def _uniform(support: Sequence[int], k: int) -> Strategy:
    return tuple(F(int(j in support), len(support)) for j in range(k))


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
def test_coordination_game_has_one_equilibrium_per_support(k: int) -> None:
    # Identity payoffs: for every non-empty support S, both players uniform on S.
    eye = np.eye(k, dtype=int).tolist()
    solution = solve(Game.from_arrays(eye, eye))
    supports = [s for r in range(1, k + 1) for s in combinations(range(k), r)]
    assert set(pairs(solution)) == {(_uniform(s, k), _uniform(s, k)) for s in supports}
    assert len(solution.equilibria) == 2**k - 1
    assert solution.degenerate is False
    assert all(c.is_isolated for c in solution.components)


@pytest.mark.parametrize("shape", [(1, 1), (1, 3), (3, 1), (2, 3), (4, 4)])
def test_constant_game_is_one_convex_set_of_all_pure_profiles(shape: tuple[int, int]) -> None:
    zeros = np.zeros(shape, dtype=int).tolist()
    solution = solve(Game.from_arrays(zeros, zeros))
    m, n = shape
    assert sorted(e.pure_profile for e in solution.equilibria) == sorted(
        product(range(m), range(n))
    )
    assert len(solution.equilibria) == m * n
    assert len(solution.convex_sets) == len(solution.components) == 1
    assert solution.degenerate is (shape != (1, 1))


THREE_PLAYER = [
    pytest.param(
        # Everyone gets 1 when all three choose the same move.
        lambda p: int(p[0] == p[1] == p[2]),
        lambda p: int(p[0] == p[1] == p[2]),
        lambda p: int(p[0] == p[1] == p[2]),
        (2, 2, 2),
        [(0, 0, 0), (1, 1, 1)],
        id="three-player-coordination",
    ),
    pytest.param(
        # 1 matches 2, 2 matches 3, 3 mismatches 1: a cycle with no pure equilibrium.
        lambda p: int(p[0] == p[1]),
        lambda p: int(p[1] == p[2]),
        lambda p: int(p[2] != p[0]),
        (2, 2, 2),
        [],
        id="three-player-pennies",
    ),
    pytest.param(
        # Each player's payoff is the number of others choosing the same of three moves.
        lambda p: (p[1] == p[0]) + (p[2] == p[0]),
        lambda p: (p[0] == p[1]) + (p[2] == p[1]),
        lambda p: (p[0] == p[2]) + (p[1] == p[2]),
        (3, 3, 3),
        [(0, 0, 0), (1, 1, 1), (2, 2, 2)],
        id="three-move-conformity",
    ),
    pytest.param(
        # A three-player prisoner's dilemma: defecting (1) gains 2 and costs each other 1.
        lambda p: 2 * p[0] - p[1] - p[2],
        lambda p: 2 * p[1] - p[0] - p[2],
        lambda p: 2 * p[2] - p[0] - p[1],
        (2, 2, 2),
        [(1, 1, 1)],
        id="three-player-dilemma",
    ),
]


@pytest.mark.parametrize(("u1", "u2", "u3", "shape", "expected"), THREE_PLAYER)
def test_three_player_pure_equilibria(
    u1: Payoff, u2: Payoff, u3: Payoff, shape: tuple[int, ...], expected: list
) -> None:
    payoffs = np.empty((*shape, 3), dtype=object)
    for profile in np.ndindex(*shape):
        payoffs[profile] = [u(profile) for u in (u1, u2, u3)]
    solution = solve(Game.from_payoffs(payoffs.tolist()))
    assert solution.method == "pure"
    assert solution.complete == "pure"
    assert solution.degenerate is None
    assert [e.pure_profile for e in solution.equilibria] == expected


def test_sim_never_imports_the_oracle() -> None:
    # pygambit (GPL) is a test oracle only and QuantEcon (with numba) a reference for tests
    # and benchmarks: no module of the package may import them.
    package = Path(__file__).resolve().parents[1] / "sim"
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            oracles = {"pygambit", "quantecon", "numba"}
            assert not any(n.split(".")[0] in oracles for n in names), path


def test_vertex_enumeration_needs_two_players() -> None:
    game = Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int).tolist())
    with pytest.raises(SolverError, match="two players"):
        solve(game, method="vertex-enumeration")


def test_unknown_method_is_an_error() -> None:
    with pytest.raises(SolverError, match="unknown method"):
        solve(Game.from_arrays([[1]], [[1]]), method="lemke")  # type: ignore[arg-type]


def test_float_solution_records_tolerance() -> None:
    solution = solve(Game.from_arrays([[1.5, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.5]]))
    assert solution.exact is False
    assert solution.parameters == {"tolerance": TOLERANCE, "rationalised": True}
    assert solve(Game.from_arrays([[1]], [[1]])).parameters == {}


# ---------------------------------------------------------- certificate property

EXACT_GAMES = st.one_of(integer_games(), tie_heavy_games(), fraction_games())


@settings(max_examples=60, deadline=None)
@given(EXACT_GAMES)
def test_equilibria_are_certified_exactly(game: Game) -> None:
    solution = solve(game)
    assert solution.equilibria, "every finite game has an equilibrium"
    assert len(set(pairs(solution))) == len(solution.equilibria), "duplicate equilibria"
    for equilibrium in solution.equilibria:
        for strategy in equilibrium.strategies:
            assert all(isinstance(p, Fraction) and p >= 0 for p in strategy)
            assert sum(strategy) == 1
        assert regret(game, equilibrium.strategies) == 0
        assert equilibrium.regret == 0
        assert equilibrium.payoffs == expected_payoffs(game, equilibrium.strategies)


@settings(max_examples=40, deadline=None)
@given(EXACT_GAMES)
def test_equilibria_are_ordered(game: Game) -> None:
    # Sorted by the row strategy, then the column strategy, each decreasing lexicographically.
    found = pairs(solve(game))
    assert found == sorted(found, reverse=True)


# ------------------------------------------------------------ agreement (reference)


@settings(max_examples=80, deadline=None)
@given(st.one_of(integer_games(max_moves=4), tie_heavy_games(max_moves=4)))
def test_agrees_with_brute_force_reference(game: Game) -> None:
    a, b = matrices(game)
    solution = solve(game)
    assert set(pairs(solution)) == reference_extreme_equilibria(a, b)
    assert solution.degenerate is reference_degenerate(a, b)


@settings(max_examples=15, deadline=None)
@given(tie_heavy_games(max_moves=5).filter(lambda g: min(g.shape) >= 4))
def test_agrees_with_brute_force_reference_large(game: Game) -> None:
    a, b = matrices(game)
    assert set(pairs(solve(game))) == reference_extreme_equilibria(a, b)


@settings(max_examples=40, deadline=None)
@given(EXACT_GAMES)
def test_pure_method_finds_the_pure_extreme_equilibria(game: Game) -> None:
    # Every pure equilibrium is extreme, so both methods must list the same pure profiles.
    enumerated = [e.pure_profile for e in solve(game).pure_equilibria()]
    pure = [e.pure_profile for e in solve(game, method="pure").equilibria]
    assert sorted(enumerated) == pure  # type: ignore[type-var]


def _brute_force_pure(game: Game) -> list[tuple[int, ...]]:
    out = []
    for profile in game.profiles():
        stable = True
        for i, k in enumerate(game.shape):
            own = game.payoff(profile)[i]
            for move in range(k):
                deviation = (*profile[:i], move, *profile[i + 1 :])
                stable = stable and game.payoff(deviation)[i] <= own
        if stable:
            out.append(profile)
    return out


@settings(max_examples=40, deadline=None)
@given(st.one_of(n_player_games(), n_player_games(n_players=4, max_moves=2)))
def test_pure_equilibria_of_n_player_games(game: Game) -> None:
    solution = solve(game)
    assert [e.pure_profile for e in solution.equilibria] == _brute_force_pure(game)
    for equilibrium in solution.equilibria:
        assert is_equilibrium(game, equilibrium.strategies)
        assert equilibrium.regret == 0


# ---------------------------------------------------------------------- invariance


@settings(max_examples=40, deadline=None)
@given(EXACT_GAMES, positive_affine_maps(), st.integers(0, 1))
def test_positive_affine_map_keeps_equilibria(
    game: Game, ab: tuple[Fraction, Fraction], player: int
) -> None:
    original = solve(game)
    mapped = solve(rescale_player(game, player, *ab))
    assert pairs(mapped) == pairs(original)
    assert mapped.degenerate is original.degenerate
    assert mapped.convex_sets == original.convex_sets
    assert mapped.components == original.components


def _permuted(strategy: Strategy, order: Sequence[int]) -> Strategy:
    # New move j is old move order[j].
    return tuple(strategy[o] for o in order)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_permuting_moves_permutes_equilibria(data: st.DataObject) -> None:
    game = data.draw(EXACT_GAMES)
    rows, columns = data.draw(move_permutations(game.shape))
    a, b = matrices(game)
    permuted = Game.from_arrays(
        [[a[i][j] for j in columns] for i in rows], [[b[i][j] for j in columns] for i in rows]
    )
    original, moved = solve(game), solve(permuted)
    expected = {(_permuted(x, rows), _permuted(y, columns)) for x, y in pairs(original)}
    assert set(pairs(moved)) == expected
    assert moved.degenerate is original.degenerate
    assert len(moved.components) == len(original.components)
    assert len(moved.convex_sets) == len(original.convex_sets)


@settings(max_examples=40, deadline=None)
@given(EXACT_GAMES)
def test_swapping_players_swaps_equilibria(game: Game) -> None:
    a, b = matrices(game)
    swapped = Game.from_arrays(np.array(b, dtype=object).T, np.array(a, dtype=object).T)
    original, mirrored = solve(game), solve(swapped)
    assert set(pairs(mirrored)) == {(y, x) for x, y in pairs(original)}
    assert mirrored.degenerate is original.degenerate
    assert len(mirrored.components) == len(original.components)
    assert len(mirrored.convex_sets) == len(original.convex_sets)


@settings(max_examples=30, deadline=None)
@given(n_player_games(), st.data())
def test_pure_solver_invariances(game: Game, data: st.DataObject) -> None:
    orders = data.draw(move_permutations(game.shape))
    player = data.draw(st.integers(0, game.n_players - 1))
    a, b = data.draw(positive_affine_maps())
    expected = {e.pure_profile for e in solve(game).equilibria}
    # Move permutation (new move j of player i is old move orders[i][j]) plus an affine map.
    index = np.ix_(*orders)
    moved = np.array(game.payoffs, dtype=object)[index]
    moved[..., player] = moved[..., player] * a + b
    found = {e.pure_profile for e in solve(game.with_payoffs(moved.tolist())).equilibria}
    assert {tuple(orders[i][m] for i, m in enumerate(p)) for p in found} == expected  # type: ignore[union-attr]


# ------------------------------------------------------- convex sets and components


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(tie_heavy_games(), integer_games()))
def test_convex_sets_are_maximal_sets_of_equilibria(game: Game) -> None:
    solution = solve(game)
    found = pairs(solution)
    covered = set()
    for convex in solution.convex_sets:
        xs, ys = convex.vertices
        assert len(set(xs)) == len(xs) and len(set(ys)) == len(ys)
        members = {found.index((x, y)) for x in xs for y in ys}  # every pair is extreme
        assert set(convex.equilibria) == members
        assert list(convex.equilibria) == sorted(members)
        covered |= members
        # Any convex combination of the vertices is an equilibrium: check the midpoint of
        # every two extreme pairs and the barycentre of the whole set, exactly.
        for (x1, y1), (x2, y2) in combinations([found[k] for k in convex.equilibria], 2):
            mid = (
                tuple((p + q) / 2 for p, q in zip(x1, x2, strict=True)),
                tuple((p + q) / 2 for p, q in zip(y1, y2, strict=True)),
            )
            assert regret(game, mid) == 0
        centre = tuple(
            tuple(sum(c) / len(side) for c in zip(*side, strict=True)) for side in (xs, ys)
        )
        assert regret(game, centre) == 0
        # Maximality: no other extreme strategy pairs with every vertex of the other side.
        for x in {p[0] for p in found} - set(xs):
            assert not all((x, y) in found for y in ys)
        for y in {p[1] for p in found} - set(ys):
            assert not all((x, y) in found for x in xs)
    assert covered == set(range(len(found)))
    as_sets = [set(c.equilibria) for c in solution.convex_sets]
    assert not any(s < t for s in as_sets for t in as_sets), "a convex set is not maximal"


@settings(max_examples=60, deadline=None)
@given(st.one_of(tie_heavy_games(), integer_games()))
def test_components_partition_the_equilibria(game: Game) -> None:
    solution = solve(game)
    found = pairs(solution)
    # Independent components: extreme equilibria sharing a strategy lie on a common segment.
    label = list(range(len(found)))
    for i, j in combinations(range(len(found)), 2):
        if found[i][0] == found[j][0] or found[i][1] == found[j][1]:
            old, new = label[j], label[i]
            label = [new if v == old else v for v in label]
    expected = sorted(
        tuple(k for k in range(len(found)) if label[k] == v) for v in sorted(set(label))
    )
    assert sorted(c.equilibria for c in solution.components) == expected
    members = [k for c in solution.components for k in c.equilibria]
    assert sorted(members) == list(range(len(found))), "each equilibrium in one component"
    owners = [
        [c for c, component in enumerate(solution.components) if k in component.convex_sets]
        for k in range(len(solution.convex_sets))
    ]
    assert all(len(o) == 1 for o in owners), "each convex set in exactly one component"
    for component in solution.components:
        union = {k for s in component.convex_sets for k in solution.convex_sets[s].equilibria}
        assert union == set(component.equilibria)
        assert component.is_isolated == (len(component.equilibria) == 1)


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        bimatrix_games(st.integers(0, 2), min_moves=2, max_moves=2),
        bimatrix_games(st.integers(-3, 3), min_moves=2, max_moves=2),
    )
)
def test_every_equilibrium_of_a_2x2_game_lies_in_a_convex_set(game: Game) -> None:
    # With two moves each, conv(X) and conv(Y) are intervals of the first probability, so
    # membership is a comparison: scan a grid of profiles for equilibria outside every set.
    sets = [
        (min(x[0] for x in xs), max(x[0] for x in xs), min(y[0] for y in ys), max(y[0] for y in ys))
        for xs, ys in (c.vertices for c in solve(game).convex_sets)
    ]
    grid = [F(k, 12) for k in range(13)]
    for p, q in product(grid, grid):
        if regret(game, ((p, 1 - p), (q, 1 - q))) == 0:
            assert any(lo <= p <= hi and bottom <= q <= top for lo, hi, bottom, top in sets)


# ---------------------------------------------------------------------- degeneracy


@settings(max_examples=60, deadline=None)
@given(st.one_of(integer_games(max_moves=4), tie_heavy_games(max_moves=4), fraction_games()))
def test_degenerate_flag_matches_definition(game: Game) -> None:
    a, b = matrices(game)
    solution = solve(game)
    assert solution.degenerate is reference_degenerate(a, b)
    # A pure strategy with two best responses is the simplest witness.
    b_columns_tie = any(row.count(max(row)) > 1 for row in b)
    a_rows_tie = any(col.count(max(col)) > 1 for col in map(list, zip(*a, strict=True)))
    if b_columns_tie or a_rows_tie:
        assert solution.degenerate


@settings(max_examples=60, deadline=None)
@given(matrix_pairs(st.integers(-50, 50), max_moves=4).map(lambda ab: Game.from_arrays(*ab)))
def test_nondegenerate_games_have_an_odd_number_of_isolated_equilibria(game: Game) -> None:
    solution = solve(game)
    assume(not solution.degenerate)
    assert len(solution.equilibria) % 2 == 1
    assert all(c.is_isolated for c in solution.components)
    for equilibrium in solution.equilibria:
        assert len(equilibrium.support(0)) == len(equilibrium.support(1))


# --------------------------------------------------------------------- float games


@settings(max_examples=60, deadline=None)
@given(st.one_of(dyadic_float_games(), decimal_float_games()))
def test_float_game_matches_its_exact_twin(twins: tuple[Game, Game]) -> None:
    exact, floating = twins
    expected, found = solve(exact), solve(floating)
    assert found.exact is False
    assert len(found.equilibria) == len(expected.equilibria)
    for e, f in zip(expected.equilibria, found.equilibria, strict=True):
        assert all(isinstance(p, float) for s in f.strategies for p in s)
        # Both are solved on the same exact game, so probabilities agree to the last bit.
        assert f.probabilities == e.probabilities
        assert np.allclose(f.float_payoffs, e.float_payoffs, rtol=0, atol=1e-12)
        assert f.regret <= TOLERANCE * floating.scale()
    assert found.degenerate is expected.degenerate
    assert len(found.convex_sets) == len(expected.convex_sets)
    assert [c.equilibria for c in found.components] == [c.equilibria for c in expected.components]


@settings(max_examples=40, deadline=None)
@given(float_games())
def test_arbitrary_float_games_are_certified(game: Game) -> None:
    solution = solve(game)
    assert solution.equilibria
    # A float game is solved exactly on its rationalised payoffs and certified in floats.
    exact = rationalised(game)
    assert exact.is_exact
    assert all(
        abs(q - F(x)) <= F(TOLERANCE * game.scale() / 4)
        for q, x in zip(exact.payoffs.flat, game.payoffs.flat, strict=True)
    )
    expected = solve(exact)
    assert solution.degenerate is expected.degenerate
    assert len(solution.equilibria) == len(expected.equilibria)
    for e, f in zip(expected.equilibria, solution.equilibria, strict=True):
        assert f.probabilities == e.probabilities
        assert is_equilibrium(game, f.strategies)
        assert 0 <= f.regret <= TOLERANCE * game.scale()


DECIMAL_TWINS = [
    pytest.param(
        # Exact twin: x = (1/2, 1/2) makes all three columns tie (3/20 each): a segment of
        # equilibria with vertices y = (1/3, 2/3, 0) and (0, 1/2, 1/2). In binary floats
        # 0.3 / 2 != (0.1 + 0.2) / 2; solved on binary values the tie and a vertex were lost.
        [[0.3, 0.1, 0.2], [0.1, 0.2, 0.1]],
        [[0.0, 0.2, 0.1], [0.3, 0.1, 0.2]],
        id="decimal-continuum",
    ),
    pytest.param(
        # Exact twin has 2 extreme equilibria; solved on binary values the float game gave 3,
        # two equal within the tolerance: ((1/2, 1/2), (0, 0, 1)) and ((0.4999...94, ...), ...).
        [[0.0, 0.0, 0.3], [0.1, 0.1, 0.3]],
        [[0.0, 0.2, 0.1], [0.3, 0.1, 0.2]],
        id="decimal-near-duplicates",
    ),
    pytest.param(
        # 0.1 + 0.2 and 0.3 are tied within the tolerance but not in binary: the column
        # player's indifference must survive.
        [[0.0, 0.0]],
        [[0.1 + 0.2, 0.3]],
        id="sum-versus-literal",
    ),
]


@pytest.mark.parametrize(("a", "b"), DECIMAL_TWINS)
def test_decimal_float_game_matches_exact_decimal_game(a: list, b: list) -> None:
    """Floats that stand for decimals are solved as those decimals (regression tests)."""
    exact = Game.from_arrays(
        *([[F(v).limit_denominator(1000) for v in row] for row in m] for m in (a, b))
    )
    expected, found = solve(exact), solve(Game.from_arrays(a, b))
    assert found.degenerate is expected.degenerate
    assert len(found.equilibria) == len(expected.equilibria)
    for e, f in zip(expected.equilibria, found.equilibria, strict=True):
        assert np.allclose(np.concatenate(f.probabilities), np.concatenate(e.probabilities))


def test_float_pure_equilibria_agree_between_methods() -> None:
    # Regression: solved on binary values, vertex enumeration missed (0, 1).
    game = Game.from_arrays([[0.0, 0.0]], [[0.1 + 0.2, 0.3]])
    pure = [e.pure_profile for e in solve(game, method="pure").equilibria]
    assert pure == [(0, 0), (0, 1)]
    assert all(is_equilibrium(game, e.strategies) for e in solve(game, "pure").equilibria)
    assert [e.pure_profile for e in solve(game).pure_equilibria()] == pure


# ------------------------------------------------------------------------- nashpy


def _nashpy_equilibria(a: np.ndarray, b: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    import nashpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return list(nashpy.Game(a, b).support_enumeration(non_degenerate=True, tol=1e-12))


def _close(x: Sequence[float], y: Sequence[float]) -> bool:
    return bool(np.allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), atol=1e-9))


@settings(max_examples=60, deadline=None)
@given(matrix_pairs(st.integers(-9, 9), max_moves=4))
def test_agrees_with_nashpy_on_nondegenerate_games(ab: tuple[list, list]) -> None:
    """nashpy's support enumeration is reliable only on non-degenerate games.

    Its float indifference step rejects some equilibria whose zero probabilities come out
    as ``-1e-17``; every equilibrium nashpy returns must be ours, and every one of ours
    must be returned by nashpy unless nashpy's own indifference step rejects its supports.
    """
    from nashpy.algorithms.support_enumeration import obey_support, solve_indifference

    game = Game.from_arrays(*ab)
    assume(not reference_degenerate(*ab))
    ours = solve(game).equilibria
    a, b = (np.array(m, dtype=float) for m in ab)
    theirs = _nashpy_equilibria(a, b)
    for x, y in theirs:
        assert any(_close(x, e.probabilities[0]) and _close(y, e.probabilities[1]) for e in ours)
    for e in ours:
        rows, columns = e.support(0), e.support(1)
        x_hat = solve_indifference(b.T, columns, rows)
        y_hat = solve_indifference(a, rows, columns)
        if obey_support(x_hat, rows, tol=0) and obey_support(y_hat, columns, tol=0):
            assert any(
                _close(x, e.probabilities[0]) and _close(y, e.probabilities[1]) for x, y in theirs
            )
        else:  # nashpy's rounding, not a disagreement: its vector is ours up to 1e-9
            assert x_hat is False or _close(x_hat, e.probabilities[0])
            assert y_hat is False or _close(y_hat, e.probabilities[1])


# ------------------------------------------------------------------ time limit and fallback
def _random_game(n: int, seed: int) -> Game:
    rng = np.random.default_rng(seed)
    return Game.from_arrays(
        rng.integers(0, 9, (n, n)).tolist(), rng.integers(0, 9, (n, n)).tolist()
    )


def test_auto_falls_back_to_lemke_howson_at_the_time_limit_and_says_so() -> None:
    game = _random_game(8, seed=1)
    complete = solve(game)
    fallback = solve(game, time_limit=1e-9)
    assert complete.method == "vertex-enumeration" and complete.notes == ()
    assert fallback.method == "lemke-howson" and fallback.complete == "some"
    (note,) = fallback.notes
    assert "8×8" in note and "time limit of 1e-09 s" in note and "Lemke–Howson" in note
    assert f"instead: {len(fallback.equilibria)} equilibri" in note
    # Lemke-Howson gets the same (tiny) time again: it starts one path, and says so.
    assert "from 1 of the 16 starting labels (then its own 1e-09 s ran out)" in note
    assert fallback.parameters["labels"] == (0,)
    extreme = {e.strategies for e in complete.equilibria}
    assert fallback.equilibria and all(e.strategies in extreme for e in fallback.equilibria)
    # every pure equilibrium is listed, in the enumeration's order
    pure = [e for e in complete.equilibria if e.is_pure]
    assert [e for e in fallback.equilibria if e.is_pure] == pure
    order = [complete.equilibria.index(e) for e in fallback.equilibria]
    assert order == sorted(order)
    assert all(e.regret == 0 for e in fallback.equilibria)
    assert fallback.to_dict()["notes"] == [note]


def test_auto_does_not_try_exact_enumeration_past_the_size_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sim.solvers

    game = _random_game(5, seed=6)
    complete = solve(game)
    assert complete.method == "vertex-enumeration"
    monkeypatch.setattr(sim.solvers, "MAX_ENUMERATION_PROFILES", 24)
    fallback = solve(game, time_limit=60)
    assert fallback.method == "lemke-howson" and fallback.complete == "some"
    (note,) = fallback.notes
    assert note.startswith("Exact enumeration of this 5×5 game was not tried: with more than 24")
    assert "every starting label" in note and "--method vertex-enumeration" in note
    extreme = {e.strategies for e in complete.equilibria}
    assert fallback.equilibria and {e.strategies for e in fallback.equilibria} <= extreme
    # Only "auto" is cut short: asked for, exact enumeration runs at any size.
    assert solve(game, "vertex-enumeration").equilibria == complete.equilibria
    # The number of profiles decides: 4×6 is enumerated, 24 profiles being the limit.
    rng = np.random.default_rng(3)
    wide = Game.from_arrays(
        rng.integers(0, 9, (4, 6)).tolist(), rng.integers(0, 9, (4, 6)).tolist()
    )
    assert solve(wide).method == "vertex-enumeration"


def test_a_16x16_game_is_not_enumerated_by_default() -> None:
    # Its enumeration would take more than 40 s (MAX_ENUMERATION_PROFILES' docstring).
    solution = solve(_random_game(16, seed=1), time_limit=60)
    assert solution.method == "lemke-howson"
    assert solution.notes[0].startswith("Exact enumeration of this 16×16 game was not tried")


def test_vertex_enumeration_past_the_time_limit_says_what_to_do() -> None:
    with pytest.raises(SolverError) as err:
        solve(_random_game(8, seed=2), "vertex-enumeration", time_limit=1e-9)
    message = str(err.value)
    assert "8×8 game did not finish within the time limit" in message
    assert "--method lemke-howson" in message and "--time-limit" in message


def test_a_generous_time_limit_changes_nothing() -> None:
    game = _random_game(5, seed=3)
    assert solve(game, time_limit=60).equilibria == solve(game).equilibria


@pytest.mark.parametrize("bad", [0, -1.0, float("nan")])
def test_time_limit_must_be_positive(bad: float) -> None:
    with pytest.raises(SolverError, match="positive number of seconds"):
        solve(_random_game(2, seed=0), time_limit=bad)


def test_memory_budget_stops_enumeration(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.solvers.polytope as polytope

    monkeypatch.setattr(polytope, "MEMORY_BUDGET", 2000)
    game = _random_game(6, seed=4)
    with pytest.raises(SolverError, match="exceeded its memory budget"):
        solve(game, "vertex-enumeration")
    fallback = solve(game)
    assert fallback.method == "lemke-howson"
    (note,) = fallback.notes
    assert "exceeded its memory budget" in note and "every starting label" in note
    assert "needs more memory" in note and "--time-limit" not in note


def test_lemke_howson_method_is_offered() -> None:
    battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    solution = solve(battle, "lemke-howson")
    assert solution.method == "lemke-howson" and solution.complete == "some"
    assert {e.strategies for e in solution.equilibria} <= {
        e.strategies for e in solve(battle).equilibria
    }


def test_a_tree_too_large_to_enumerate_gets_its_pure_equilibria_with_a_note() -> None:
    from sim.scenario import load
    from sim.solvers import solve_scenario

    scenario = load(Path(__file__).parents[1] / "scenarios" / "london_licence_signal.yaml")
    solution = solve_scenario(scenario, time_limit=1e-9)
    assert solution.complete == "pure"
    (note,) = solution.notes
    assert "9×8 plans" in note and "time limit" in note and "backward induction" in note
    assert solution.equilibria == solve(scenario.game, "pure").equilibria
    assert solve_scenario(scenario).complete == "extreme"
