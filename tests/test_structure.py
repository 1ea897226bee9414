"""Equilibrium structure and the 2x2 game types (sim.analysis.structure)."""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import SMALL_INTEGERS, matrix_pairs, n_player_games, positive_affine_maps

from sim.analysis.structure import (
    GAME_TYPES,
    Structure,
    classification_margin,
    classify_2x2,
    game_type,
    structure,
)
from sim.errors import SimError
from sim.game import Game
from sim.scenario import load
from sim.solvers import solve

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LONDON = load(SCENARIOS / "london_talks.yaml")


def both_sides(**values: int) -> dict[str, int]:
    """S1 parameters with the same value for the US and China."""
    return {f"{k}_{side}": v for k, v in values.items() for side in ("us", "cn")}


def fractions(matrix: Any) -> np.ndarray:
    """An object array of Fractions."""
    raw = np.asarray(matrix, dtype=object)
    out = np.empty(raw.shape, dtype=object)
    out.flat[:] = [Fraction(x) for x in raw.flat]
    return out


def classify_one(a: Any, b: Any) -> str:
    return GAME_TYPES[int(classify_2x2(fractions([a]), fractions([b]))[0])]


# --------------------------------------------------------------------- reference
def reference_type(a: list[list[Any]], b: list[list[Any]]) -> str:
    """The module docstring's definitions, written out loop by loop, as an oracle."""
    if any(a[0][j] == a[1][j] for j in range(2)) or any(b[i][0] == b[i][1] for i in range(2)):
        return "degenerate"
    row_dominant = (a[0][0] > a[1][0]) == (a[0][1] > a[1][1])
    column_dominant = (b[0][0] > b[0][1]) == (b[1][0] > b[1][1])
    cells = list(product(range(2), range(2)))
    equilibria = [
        (i, j)
        for i, j in cells
        if a[i][j] >= a[1 - i][j] and b[i][j] >= b[i][1 - j]  # no ties here
    ]
    if row_dominant and column_dominant:
        (e,) = equilibria
        dominated = any(
            a[c[0]][c[1]] >= a[e[0]][e[1]]
            and b[c[0]][c[1]] >= b[e[0]][e[1]]
            and (a[c[0]][c[1]] > a[e[0]][e[1]] or b[c[0]][c[1]] > b[e[0]][e[1]])
            for c in cells
        )
        return "prisoner's dilemma" if dominated else "harmony"
    if row_dominant or column_dominant:
        return "one-sided dominance"
    if not equilibria:
        return "matching pennies"
    e1, e2 = equilibria

    def pay(m: list[list[Any]], c: tuple[int, int]) -> Any:
        return m[c[0]][c[1]]

    def risk(e: tuple[int, int]) -> Any:
        return (pay(a, e) - a[1 - e[0]][e[1]]) * (pay(b, e) - b[e[0]][1 - e[1]])

    row_pref = (pay(a, e1) > pay(a, e2)) - (pay(a, e1) < pay(a, e2))
    column_pref = (pay(b, e1) > pay(b, e2)) - (pay(b, e1) < pay(b, e2))
    if row_pref == 0 and column_pref == 0:
        return "coordination"
    if row_pref * column_pref >= 0:
        best, other = (e1, e2) if row_pref + column_pref > 0 else (e2, e1)
        return "stag hunt" if risk(best) < risk(other) else "coordination"
    row_best, column_best = (e1, e2) if row_pref > 0 else (e2, e1)
    concession = (column_best[0], row_best[1])
    aggression = (row_best[0], column_best[1])
    if pay(a, concession) > pay(a, aggression) and pay(b, concession) > pay(b, aggression):
        return "chicken"
    return "battle of the sexes"


# ------------------------------------------------------------------- strategies
two_by_two = matrix_pairs(SMALL_INTEGERS, min_moves=2, max_moves=2)
wide_two_by_two = matrix_pairs(st.integers(-20, 20), min_moves=2, max_moves=2)
fraction_two_by_two = matrix_pairs(
    st.fractions(min_value=-5, max_value=5, max_denominator=7), min_moves=2, max_moves=2
)


@st.composite
def batches(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    games = draw(st.lists(two_by_two, min_size=1, max_size=12))
    return fractions([g[0] for g in games]), fractions([g[1] for g in games])


# ------------------------------------------------------------------ the S1 family
@pytest.mark.parametrize(
    ("g", "z", "expected_type", "pure", "mixed"),
    [
        pytest.param(3, 0, "stag hunt", [("E", "R"), ("M", "X")], (Fraction(3, 4),) * 2, id="stag"),
        pytest.param(1, 0, "prisoner's dilemma", [("M", "X")], None, id="pd"),
        pytest.param(
            1, 6, "chicken", [("E", "X"), ("M", "R")], (Fraction(3, 4),) * 2, id="chicken"
        ),
    ],
)
def test_s1_design_checks(
    g: int, z: int, expected_type: str, pure: list[tuple[str, str]], mixed: Any
) -> None:
    scenario = LONDON.with_parameters(**both_sides(v=5, c=2, s=1, g=g, z=z))
    solution = solve(scenario.game)
    found = structure(solution)
    assert found.game_type == expected_type
    short = {"E": 0, "M": 1, "R": 0, "X": 1}
    assert found.pure == tuple(sorted((short[r], short[c]) for r, c in pure))
    mixed_equilibria = [e for e in solution.equilibria if not e.is_pure]
    assert found.mixed == len(mixed_equilibria) == (0 if mixed is None else 1)
    if mixed is not None:
        (eq,) = mixed_equilibria
        assert (eq.strategies[0][0], eq.strategies[1][0]) == mixed
        if expected_type == "chicken":
            assert eq.payoffs == (Fraction(9, 4), Fraction(9, 4))


def test_london_defaults_are_a_prisoners_dilemma() -> None:
    found = structure(solve(LONDON.game))
    assert found == Structure(((1, 1),), 0, False, "prisoner's dilemma")
    assert found.label(LONDON.game) == "prisoner's dilemma: (maintain_chip_controls, restrict_re)"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("prisoners_dilemma", "prisoner's dilemma", id="pd"),
        pytest.param("chicken", "chicken", id="chicken"),
        pytest.param("stag_hunt", "stag hunt", id="stag"),
        pytest.param("battle_of_the_sexes", "battle of the sexes", id="bos"),
        pytest.param("matching_pennies", "matching pennies", id="pennies"),
    ],
)
def test_classic_scenarios(name: str, expected: str) -> None:
    scenario = load(SCENARIOS / f"{name}.yaml")
    assert game_type(scenario.game) == expected
    assert structure(solve(scenario.game)).game_type == expected


# ------------------------------------------------------------------- textbook table
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]], "prisoner's dilemma", id="pd"),
        pytest.param([[3, 2], [1, 0]], [[3, 1], [2, 0]], "harmony", id="harmony"),
        pytest.param([[3, 2], [1, 0]], [[1, 0], [0, 1]], "one-sided dominance", id="one-sided"),
        pytest.param([[1, 0], [0, 1]], [[1, 0], [0, 1]], "coordination", id="pure-coordination"),
        pytest.param([[4, 0], [1, 1]], [[4, 1], [0, 1]], "coordination", id="assurance"),
        pytest.param([[4, 0], [3, 2]], [[4, 3], [0, 2]], "stag hunt", id="stag"),
        pytest.param([[2, 0], [0, 1]], [[1, 0], [0, 2]], "battle of the sexes", id="bos"),
        pytest.param([[0, -1], [1, -10]], [[0, 1], [-1, -10]], "chicken", id="chicken"),
        pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], "matching pennies", id="pennies"),
        pytest.param([[1, 0], [1, 2]], [[1, 0], [0, 1]], "degenerate", id="tie-row"),
        pytest.param([[1, 0], [0, 1]], [[2, 2], [0, 1]], "degenerate", id="tie-column"),
        # A column tie at an otherwise PD-like game is degenerate; weak Pareto dominance is PD.
        pytest.param([[1, 0], [2, 1]], [[2, 2], [0, 1]], "degenerate", id="weak-pd-tie"),
        pytest.param([[2, 0], [3, 1]], [[1, 3], [0, 1]], "prisoner's dilemma", id="weak-pd"),
        # Harmony: the dominant outcome is the best for both, ties elsewhere do not matter.
        pytest.param([[5, 1], [0, 0]], [[5, 0], [1, 0]], "harmony", id="harmony-2"),
        # Disagreeing equilibria where concession ties aggression for one player: BoS.
        pytest.param([[3, 0], [0, 1]], [[2, 0], [1, 3]], "battle of the sexes", id="bos-tie"),
    ],
)
def test_textbook_types(a: Any, b: Any, expected: str) -> None:
    assert classify_one(a, b) == expected
    assert reference_type(a, b) == expected


def test_equal_preferences_one_indifferent_is_ranked() -> None:
    # e1 = (0, 0), e2 = (1, 1); the row player is indifferent, the column prefers e1; e1 has
    # deviation losses 1*1, e2 has 3*3, so the payoff-dominant e1 is risk-dominated.
    a = [[3, 0], [2, 3]]
    b = [[4, 3], [0, 3]]
    assert classify_one(a, b) == "stag hunt" == reference_type(a, b)


def test_float_and_integer_arrays() -> None:
    a = np.array([[[3.0, 0.0], [5.0, 1.0]], [[4, 0], [3, 2]]], dtype=np.float64)
    b = np.array([[[3.0, 5.0], [0.0, 1.0]], [[4, 3], [0, 2]]], dtype=np.float64)
    assert [GAME_TYPES[k] for k in classify_2x2(a, b)] == ["prisoner's dilemma", "stag hunt"]
    assert classify_2x2(a.astype(int), b.astype(int)).dtype == np.int8
    assert classification_margin(a, b).tolist() == [1.0, 0.5]


def test_empty_batch() -> None:
    empty = np.zeros((0, 2, 2))
    assert classify_2x2(empty, empty).shape == (0,)
    assert classification_margin(empty, empty).shape == (0,)


@pytest.mark.parametrize(
    "shapes", [((2, 2), (2, 2)), ((3, 2, 2), (2, 2, 2)), ((1, 2, 3), (1, 2, 3))]
)
def test_bad_shapes(shapes: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    with pytest.raises(SimError, match="shape"):
        classify_2x2(np.zeros(shapes[0]), np.zeros(shapes[1]))
    with pytest.raises(SimError, match="shape"):
        classification_margin(np.zeros(shapes[0]), np.zeros(shapes[1]))


# ----------------------------------------------------------------- properties
@given(two_by_two)
def test_matches_reference(ab: tuple[list[list[int]], list[list[int]]]) -> None:
    assert classify_one(*ab) == reference_type(*ab)


@given(fraction_two_by_two)
def test_matches_reference_on_fractions(ab: tuple[list[list[Any]], list[list[Any]]]) -> None:
    assert classify_one(*ab) == reference_type(*ab)


@given(batches())
def test_batch_equals_one_at_a_time(batch: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = batch
    codes = classify_2x2(a, b)
    margins = classification_margin(a, b)
    for k in range(a.shape[0]):
        assert codes[k] == classify_2x2(a[k : k + 1], b[k : k + 1])[0]
        assert margins[k] == classification_margin(a[k : k + 1], b[k : k + 1])[0]


@given(fraction_two_by_two)
def test_float_matches_exact_when_margin_is_large(
    ab: tuple[list[list[Any]], list[list[Any]]],
) -> None:
    exact = fractions(ab[0])[None], fractions(ab[1])[None]
    floats = exact[0].astype(np.float64), exact[1].astype(np.float64)
    margin = classification_margin(*exact)[0]
    assert margin == pytest.approx(classification_margin(*floats)[0])
    assume(margin > 1e-9)
    assert classify_2x2(*floats)[0] == classify_2x2(*exact)[0]


@given(wide_two_by_two, st.data())
def test_perturbation_below_a_quarter_margin_keeps_type(
    ab: tuple[list[list[int]], list[list[int]]], data: st.DataObject
) -> None:
    a, b = fractions([ab[0]]), fractions([ab[1]])
    margin = Fraction(classification_margin(a, b)[0]) * Fraction(999_999, 1_000_000)
    assume(margin > 0)
    steps = st.fractions(min_value=-1, max_value=1, max_denominator=50)
    shift_a = fractions([[[data.draw(steps) for _ in range(2)] for _ in range(2)]])
    shift_b = fractions([[[data.draw(steps) for _ in range(2)] for _ in range(2)]])
    moved_a, moved_b = a + shift_a * margin / 4, b + shift_b * margin / 4
    assert classify_2x2(moved_a, moved_b)[0] == classify_2x2(a, b)[0]


@pytest.mark.parametrize(
    ("a", "b", "expected_type", "margin"),
    [
        # The decisive comparison is the Pareto one (opposite outcome 11/10 vs 1).
        pytest.param(
            [["11/10", 0], [5, 1]], [["11/10", 5], [0, 1]], "prisoner's dilemma", 0.1, id="pd"
        ),
        pytest.param([["9/10", 0], [5, 1]], [["9/10", 5], [0, 1]], "harmony", 0.1, id="harmony"),
        # Concession (-19/2) against aggression (-10).
        pytest.param(
            [["-19/2", -1], [1, -10]], [["-19/2", 1], [-1, -10]], "chicken", 0.5, id="chicken"
        ),
        pytest.param(
            [["-21/2", -1], [1, -10]],
            [["-21/2", 1], [-1, -10]],
            "battle of the sexes",
            0.5,
            id="bos",
        ),
        # Payoff difference between the two equilibria (4 vs 39/10 for the column player).
        pytest.param(
            [[4, 1], [0, "39/10"]], [[4, 0], [1, "39/10"]], "coordination", 0.1, id="ranking"
        ),
        pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], "matching pennies", 2.0, id="mp"),
    ],
)
def test_margin_is_the_decisive_comparison(
    a: Any, b: Any, expected_type: str, margin: float
) -> None:
    a_array, b_array = fractions([a]), fractions([b])
    assert classify_one(a_array[0], b_array[0]) == expected_type
    assert classification_margin(a_array, b_array)[0] == pytest.approx(margin)


def test_risk_dominance_decides_stag_hunt() -> None:
    # Stag hunt with margin 1/2: moving one payoff per player by 1 flips it.
    a, b = fractions([[[4, 0], [3, 2]]]), fractions([[[4, 3], [0, 2]]])
    assert classify_one(a[0], b[0]) == "stag hunt"
    assert classification_margin(a, b)[0] == 0.5
    # Lower the hare-hare payoff: deviation losses at (hare, hare) shrink to 1 each.
    lowered_a, lowered_b = a.copy(), b.copy()
    lowered_a[0, 1, 1] = lowered_b[0, 1, 1] = Fraction(1)
    assert classify_one(lowered_a[0], lowered_b[0]) == "coordination"


@given(two_by_two, positive_affine_maps(), st.integers(0, 1))
def test_invariant_under_positive_affine_maps(
    ab: tuple[list[list[int]], list[list[int]]],
    affine: tuple[Fraction, Fraction],
    player: int,
) -> None:
    a, b = fractions([ab[0]]), fractions([ab[1]])
    scale, shift = affine
    moved = (a * scale + shift, b) if player == 0 else (a, b * scale + shift)
    assert classify_2x2(*moved)[0] == classify_2x2(a, b)[0]


@given(two_by_two, st.booleans(), st.booleans())
def test_invariant_under_swapping_moves(
    ab: tuple[list[list[int]], list[list[int]]], rows: bool, columns: bool
) -> None:
    a, b = fractions([ab[0]]), fractions([ab[1]])
    order_rows = [1, 0] if rows else [0, 1]
    order_columns = [1, 0] if columns else [0, 1]
    moved = (a[:, order_rows][:, :, order_columns], b[:, order_rows][:, :, order_columns])
    assert classify_2x2(*moved)[0] == classify_2x2(a, b)[0]
    assert classification_margin(*moved)[0] == classification_margin(a, b)[0]


@given(two_by_two)
def test_invariant_under_swapping_players(ab: tuple[list[list[int]], list[list[int]]]) -> None:
    a, b = fractions([ab[0]]), fractions([ab[1]])
    swapped = (b.transpose(0, 2, 1), a.transpose(0, 2, 1))
    assert classify_2x2(*swapped)[0] == classify_2x2(a, b)[0]
    assert classification_margin(*swapped)[0] == classification_margin(a, b)[0]


EXPECTED_SHAPE = {
    "prisoner's dilemma": (1, 0),
    "harmony": (1, 0),
    "one-sided dominance": (1, 0),
    "matching pennies": (0, 1),
    "stag hunt": (2, 1),
    "coordination": (2, 1),
    "chicken": (2, 1),
    "battle of the sexes": (2, 1),
}


@settings(max_examples=200)
@given(fraction_two_by_two)
def test_structure_agrees_with_type(ab: tuple[list[list[Any]], list[list[Any]]]) -> None:
    game = Game.from_arrays(*ab)
    found = structure(solve(game))
    assume(found.game_type != "degenerate")
    assert found.game_type is not None
    assert (len(found.pure), found.mixed) == EXPECTED_SHAPE[found.game_type]
    assert not found.continuum


# --------------------------------------------------------------------- Structure
def test_structure_of_a_degenerate_game_has_a_continuum() -> None:
    tie = Game.from_arrays([[1, 1], [0, 0]], [[1, 1], [0, 0]], moves=(("a", "b"), ("x", "y")))
    found = structure(solve(tie))
    assert found == Structure(((0, 0), (0, 1)), 0, True, "degenerate")
    assert found.label(tie) == "degenerate: (a, x) + (a, y) + continuum"


@given(n_player_games(n_players=3, max_moves=2))
def test_structure_of_n_player_games(game: Game) -> None:
    solution = solve(game)
    found = structure(solution)
    assert found.mixed is None
    assert found.game_type is None
    assert not found.continuum
    assert found.pure == tuple(sorted(e.pure_profile for e in solution.equilibria))  # type: ignore[type-var]


def test_structure_of_a_larger_two_player_game() -> None:
    rps = Game.from_arrays(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]
    )
    found = structure(solve(rps))
    assert found == Structure((), 1, False, None)
    assert found.label(rps) == "1 mixed"


def test_float_game_uses_the_rationalised_game() -> None:
    game = Game.from_arrays([[0.1 + 0.2, 0.0], [0.3, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    assert game_type(game) == "degenerate"  # 0.1 + 0.2 ties 0.3 once rationalised


def test_structure_normalises_and_checks() -> None:
    assert Structure(((1, 1), (0, 0)), 1, False, None).pure == ((0, 0), (1, 1))
    assert Structure(((1, 1), (0, 0)), 1, False, None) == Structure(
        ((0, 0), (1, 1)), 1, False, None
    )
    assert (
        len({Structure(((0, 0),), 0, False, "harmony"), Structure(((0, 0),), 0, False, "harmony")})
        == 1
    )
    with pytest.raises(SimError, match="unknown game type"):
        Structure((), 1, False, "snowdrift")


def test_labels_and_dicts() -> None:
    game = LONDON.game
    stag = Structure(((0, 0), (1, 1)), 1, False, "stag hunt")
    assert stag.label(game) == (
        "stag hunt: (ease_chip_controls, raise_re_exports) + "
        "(maintain_chip_controls, restrict_re) + 1 mixed"
    )
    assert stag.to_dict(game) == {
        "pure": [
            ["ease_chip_controls", "raise_re_exports"],
            ["maintain_chip_controls", "restrict_re"],
        ],
        "mixed": 1,
        "continuum": False,
        "game_type": "stag hunt",
        "label": stag.label(game),
    }
    assert Structure((), None, False, None).label(game) == "no pure equilibrium"
    assert Structure((), 0, False, None).label(game) == "no equilibrium"
