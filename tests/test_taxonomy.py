"""Tests of sim.analysis.taxonomy: the Robinson–Goforth/Bruns ordinal types of 2x2 games.

The count of 144 is checked independently: every strict ordinal game (576 of them) is put
in its orbit under relabelling the moves by brute force, and the orbits must be exactly the
classes that :func:`ordinal_codes` and :func:`ordinal_type` assign. Then invariances
(relabelling, positive affine and monotone maps of each player's payoffs), the mirror under
swapping the players, the known types of the classic scenarios, the link with the coarse
families of :mod:`sim.analysis.structure` on all 144 types, games with ties, and float games.
"""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import permutations, product
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import bimatrix_games, dyadic_float_games, positive_affine_maps

from sim.analysis.structure import GAME_TYPES, classify_2x2, game_type
from sim.analysis.taxonomy import (
    ALL_TYPES,
    SYMMETRIC_TYPES,
    GameType,
    label_text,
    ordinal_codes,
    ordinal_labels,
    ordinal_type,
    type_by_code,
)
from sim.errors import SimError
from sim.game import Game
from sim.scenario import load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]
CELLS = ((0, 0), (0, 1), (1, 0), (1, 1))
RELABELLINGS = tuple(product((0, 1), (0, 1)))  # (swap rows, swap columns)


def relabel(matrix: list[list[int]] | np.ndarray, rows: int, columns: int) -> list[list]:
    """The matrix with its rows and/or columns swapped."""
    return [[matrix[i ^ rows][j ^ columns] for j in range(2)] for i in range(2)]


def transposed(matrix: list[list]) -> list[list]:
    return [[matrix[j][i] for j in range(2)] for i in range(2)]


def canonical_game(t: GameType) -> Game:
    return Game.from_arrays([list(r) for r in t.row_ranks], [list(r) for r in t.column_ranks])


def all_strict_games() -> list[tuple[list[list[int]], list[list[int]]]]:
    """All 24 x 24 strict ordinal games, ranks 1..4 per player."""
    orders = [[[p[0], p[1]], [p[2], p[3]]] for p in permutations((1, 2, 3, 4))]
    return [(a, b) for a in orders for b in orders]


# ---------------------------------------------------------------------- the 12 and 144
def test_the_twelve_patterns_are_the_orders_with_r_or_t_on_top() -> None:
    orders = {p.ranks for p in SYMMETRIC_TYPES}
    assert len(orders) == 12 == len({p.code for p in SYMMETRIC_TYPES})
    assert all(sorted(p.ranks) == [1, 2, 3, 4] for p in SYMMETRIC_TYPES)
    assert all(4 in (p.ranks[0], p.ranks[2]) for p in SYMMETRIC_TYPES)  # R or T is best
    assert [p.index for p in SYMMETRIC_TYPES] == list(range(12))


@pytest.mark.parametrize(
    ("code", "name", "order"),
    [
        pytest.param("Pd", "Prisoner's Dilemma", "T > R > P > S", id="prisoners-dilemma"),
        pytest.param("Ch", "Chicken", "T > R > S > P", id="chicken"),
        pytest.param("Sh", "Stag Hunt", "R > T > P > S", id="stag-hunt"),
        pytest.param("Dl", "Deadlock", "T > P > R > S", id="deadlock"),
        pytest.param("Ha", "Harmony", "R > S > T > P", id="harmony"),
        pytest.param("As", "Assurance", "R > P > T > S", id="assurance"),
        pytest.param("Co", "Coordination", "R > P > S > T", id="coordination"),
        pytest.param("Pc", "Peace", "R > S > P > T", id="peace"),
        pytest.param("Nc", "Concord", "R > T > S > P", id="concord"),
        pytest.param("Cm", "Compromise", "T > P > S > R", id="compromise"),
        pytest.param("Hr", "Hero", "T > S > P > R", id="hero"),
        pytest.param("Ba", "Battle", "T > S > R > P", id="battle"),
    ],
)
def test_symmetric_names_and_orders(code: str, name: str, order: str) -> None:
    found = type_by_code(code)
    assert found.symmetric and found.name == name and found.row.order == order


def test_all_types_are_the_12_by_12_pairs() -> None:
    assert len(ALL_TYPES) == 144
    assert [t.index for t in ALL_TYPES] == list(range(144))
    assert len({t.code for t in ALL_TYPES}) == 144
    assert sum(t.symmetric for t in ALL_TYPES) == 12
    assert {(t.row.code, t.column.code) for t in ALL_TYPES} == {
        (p.code, q.code) for p in SYMMETRIC_TYPES for q in SYMMETRIC_TYPES
    }


def test_strict_games_fall_into_exactly_144_classes() -> None:
    games = all_strict_games()
    assert len(games) == 576
    # Orbits under relabelling the moves, by brute force: the least relabelled form.
    orbit = [
        min(
            (tuple(map(tuple, relabel(a, r, c))), tuple(map(tuple, relabel(b, r, c))))
            for r, c in RELABELLINGS
        )
        for a, b in games
    ]
    assert len(set(orbit)) == 144
    codes = ordinal_codes(np.array([a for a, _ in games]), np.array([b for _, b in games]))
    assert codes.min() == 0 and codes.max() == 143
    by_orbit: dict[tuple, set[int]] = {}
    for key, code in zip(orbit, codes, strict=True):
        by_orbit.setdefault(key, set()).add(int(code))
    assert all(len(found) == 1 for found in by_orbit.values())  # constant on each orbit
    assert len({next(iter(found)) for found in by_orbit.values()}) == 144  # one per orbit


@pytest.mark.parametrize("t", ALL_TYPES, ids=lambda t: t.code)
def test_each_type_classifies_as_itself(t: GameType) -> None:
    game = canonical_game(t)
    found = ordinal_type(game)
    assert found.game_type is t and found.strict and found.borders == ()
    assert found.row_order == (0, 1) == found.column_order  # already canonical
    assert found.symmetric == t.symmetric
    pure = {e.pure_profile for e in solve(game).equilibria if e.pure_profile is not None}
    assert set(t.pure_equilibria) == pure == set(found.pure_equilibria)
    assert found.family in t.families


# ------------------------------------------------------------------------ invariances
@st.composite
def strict_games(draw: st.DrawFn) -> Game:
    """Strict 2x2 games with distinct integer payoffs per player in -20..20."""
    values = st.lists(st.integers(-20, 20), min_size=4, max_size=4, unique=True)
    a, b = draw(values), draw(values)
    return Game.from_arrays([a[:2], a[2:]], [b[:2], b[2:]])


def monotone(x: Fraction) -> Fraction:
    """A strictly increasing, non-affine map."""
    return x**3 + 2 * x


def mapped(game: Game, player: int, f: object) -> Game:
    payoffs = np.array(game.payoffs, dtype=object)
    payoffs[..., player] = np.vectorize(f, otypes=[object])(payoffs[..., player])
    return game.with_payoffs(payoffs)


@settings(max_examples=60, deadline=None)
@given(strict_games(), st.sampled_from(RELABELLINGS), positive_affine_maps(), st.booleans())
def test_type_is_invariant_under_relabelling_and_monotone_maps(
    game: Game, swap: tuple[int, int], affine: tuple[Fraction, Fraction], cube: bool
) -> None:
    found = ordinal_type(game)
    a, b = game.payoff_matrix(0), game.payoff_matrix(1)
    moved = Game.from_arrays(relabel(a, *swap), relabel(b, *swap))
    scale, shift = affine
    changed = mapped(moved, 0, lambda x: scale * x + shift)
    changed = mapped(changed, 1, monotone if cube else (lambda x: scale * x - shift))
    again = ordinal_type(changed)
    assert again.game_type is found.game_type is not None
    # The relabelling applied is the one that undoes the swap.
    assert again.row_order == tuple(i ^ swap[0] for i in found.row_order)
    assert again.column_order == tuple(j ^ swap[1] for j in found.column_order)


@settings(max_examples=60, deadline=None)
@given(bimatrix_games(st.integers(-2, 2), min_moves=2, max_moves=2))
def test_swapping_the_players_gives_the_mirror(game: Game) -> None:
    swapped = Game.from_arrays(
        transposed(game.payoff_matrix(1).tolist()), transposed(game.payoff_matrix(0).tolist())
    )
    found, mirror = ordinal_type(game), ordinal_type(swapped)
    if found.strict:
        assert found.game_type is not None and mirror.game_type is found.game_type.mirror
        assert (found.code == mirror.code) == found.symmetric
    else:
        assert {t.mirror for t in found.borders} == set(mirror.borders)
    assert found.symmetric == mirror.symmetric


def test_mirror_is_an_involution_and_fixes_exactly_the_symmetric_types() -> None:
    assert all(t.mirror.mirror is t for t in ALL_TYPES)
    assert {t.code for t in ALL_TYPES if t.mirror is t} == {p.code for p in SYMMETRIC_TYPES}
    assert type_by_code("Pd|Ch").mirror.code == "Ch|Pd"


@settings(max_examples=80, deadline=None)
@given(bimatrix_games(st.integers(-2, 2), min_moves=2, max_moves=2))
def test_ordinal_type_ranks_and_symmetry_match_brute_force(game: Game) -> None:
    found = ordinal_type(game)
    ranks = []
    for p in range(2):
        values = [game.payoffs[i, j, p] for i, j in CELLS]
        own = [
            [1 + sum(w < game.payoffs[i, j, p] for w in values) for j in range(2)] for i in range(2)
        ]
        assert found.ranks[p] == tuple(map(tuple, own))
        ranks.append(own)
    a, b = ranks
    symmetric = any(relabel(b, *s) == transposed(relabel(a, *s)) for s in RELABELLINGS)
    assert found.symmetric == symmetric
    assert found.strict == all(len(set(game.payoff_matrix(p).flat)) == 4 for p in range(2))


# --------------------------------------------------------------------- known games
def scenario_type(name: str):
    return ordinal_type(load(ROOT / "scenarios" / f"{name}.yaml").game)


@pytest.mark.parametrize(
    ("scenario", "code", "family"),
    [
        pytest.param("prisoners_dilemma", "Pd", "prisoner's dilemma", id="prisoners-dilemma"),
        pytest.param("chicken", "Ch", "chicken", id="chicken"),
        pytest.param("stag_hunt", "Sh", "stag hunt", id="stag-hunt"),
        pytest.param("london_talks", "Pd", "prisoner's dilemma", id="london-talks-defaults"),
    ],
)
def test_classic_scenarios(scenario: str, code: str, family: str) -> None:
    found = scenario_type(scenario)
    assert found.code == code and found.symmetric and found.family == family


def test_london_talks_orientation_and_sentences() -> None:
    found = scenario_type("london_talks")
    assert found.ranks == (((3, 1), (4, 2)), ((3, 4), (1, 2)))
    assert found.row_order == (0, 1) and found.column_order == (0, 1)
    text = " ".join(found.sentences())
    assert "Prisoner's Dilemma (Robinson–Goforth/Bruns Pd)" in text
    assert "US plays ease_chip_controls and China plays raise_re_exports" in text
    assert "(maintain_chip_controls, restrict_re) is Pareto-dominated by" in text


def test_battle_of_the_sexes_has_tied_miscoordination() -> None:
    found = scenario_type("battle_of_the_sexes")
    assert not found.strict and found.code is None and found.name is None
    # Both players rank the two ways of failing to meet equally (both pay 0).
    assert found.ties(0) == found.ties(1) == (((0, 1), (1, 0)),)
    assert [t.code for t in found.borders] == ["Hr", "Hr|Ba", "Ba|Hr", "Ba"]
    assert found.symmetric and found.family == "battle of the sexes"
    assert len(found.pure_equilibria) == 2 and all(found.pareto_optimal)
    text = " ".join(found.sentences())
    assert "not one of the 144" in text and "(opera, football) and (football, opera)" in text


def test_matching_pennies_is_a_tied_zero_sum_game_next_to_cyclic_types() -> None:
    found = scenario_type("matching_pennies")
    assert not found.strict and not found.symmetric
    assert found.ties(0) == (((0, 1), (1, 0)), ((0, 0), (1, 1)))
    assert found.ties(1) == (((0, 0), (1, 1)), ((0, 1), (1, 0)))
    codes = [t.code for t in found.borders]
    assert codes == ["Co|Hr", "Co|Ba", "As|Hr", "As|Ba", "Hr|Co", "Hr|As", "Ba|Co", "Ba|As"]
    assert all(t.families == ("matching pennies",) for t in found.borders)
    assert found.pure_equilibria == () and found.label == "ties (8 strict types)"
    assert "no pure equilibrium" in found.sentences()[-1]


@pytest.mark.parametrize(
    ("a", "b", "code"),
    [
        pytest.param([[1, 0], [3, 2]], [[1, 3], [0, 2]], "Dl", id="deadlock"),
        pytest.param([[3, 1], [2, 0]], [[3, 2], [1, 0]], "Nc", id="concord"),
        pytest.param([[3, 2], [0, 1]], [[3, 0], [2, 1]], "Pc", id="peace"),
        pytest.param([[1, 2], [3, 0]], [[1, 3], [2, 0]], "Ba", id="battle-leader-layout"),
        pytest.param([[0, 1], [3, 2]], [[0, 3], [1, 2]], "Cm", id="compromise"),
        # Row dominant (Pd), column matches the row (Sh): one-sided dominance.
        pytest.param([[3, 0], [5, 1]], [[4, 3], [0, 2]], "Pd|Sh", id="pd-row-stag-column"),
        pytest.param([[4, 0], [3, 2]], [[3, 5], [0, 1]], "Sh|Pd", id="stag-row-pd-column"),
    ],
)
def test_textbook_layouts(a: list, b: list, code: str) -> None:
    found = ordinal_type(Game.from_arrays(a, b))
    assert found.code == code


# ------------------------------------------------------------------- coarse families
SYMMETRIC_FAMILIES = {
    "Pd": ("prisoner's dilemma",),
    "Dl": ("harmony",),
    "Cm": ("harmony",),
    "Nc": ("harmony",),
    "Ha": ("harmony",),
    "Pc": ("harmony",),
    "Co": ("coordination",),
    "Sh": ("stag hunt", "coordination"),
    "As": ("stag hunt", "coordination"),
    "Ba": ("chicken",),
    "Ch": ("chicken",),
    "Hr": ("battle of the sexes",),
}


def test_families_of_the_symmetric_types() -> None:
    assert {p.code: type_by_code(p.code).families for p in SYMMETRIC_TYPES} == SYMMETRIC_FAMILIES


def test_family_counts_over_the_144() -> None:
    single = [t.families[0] for t in ALL_TYPES if len(t.families) == 1]
    assert {f: single.count(f) for f in set(single)} == {
        "one-sided dominance": 72,  # 6 dominant patterns x 6 others x 2 orders
        "harmony": 35,
        "prisoner's dilemma": 1,
        "matching pennies": 18,  # a matching pattern against a differing one
        "battle of the sexes": 5,
        "chicken": 4,
        "coordination": 1,
    }
    assert all(
        t.families == ("stag hunt", "coordination") for t in ALL_TYPES if len(t.families) > 1
    )
    assert "degenerate" not in {f for t in ALL_TYPES for f in t.families}


GAPS = np.array(list(product((1e-3, 1e3), repeat=3)))
"""Gaps between a player's consecutive payoffs, tiny or huge: every way of making one
difference dominate another, so cardinal comparisons (risk dominance) go both ways."""


def cardinal_realisations(ranks: tuple, player: int) -> np.ndarray:
    """64 payoff matrices with the given ranks: each player's values ``cumsum(gaps)``, the
    row player's gap patterns varying slowest."""
    values = np.cumsum(GAPS, axis=1)  # (8, 3) increasing
    values = np.concatenate([np.zeros((8, 1)), values], axis=1)  # (8, 4)
    chosen = values[np.repeat(np.arange(8), 8)] if player == 0 else values[np.tile(np.arange(8), 8)]
    flat = np.array([ranks[i][j] for i, j in CELLS]) - 1
    return chosen[:, flat].reshape(-1, 2, 2)


def test_every_type_maps_to_its_families_under_classify_2x2() -> None:
    """All 144 types, each under all 4 relabellings, both player orders (through the
    mirror) and 64 extreme cardinal realisations: classify_2x2 gives a family of the type,
    and every family listed occurs."""
    for t in ALL_TYPES:
        a = cardinal_realisations(t.row_ranks, 0)
        b = cardinal_realisations(t.column_ranks, 1)
        seen = set()
        for r, c in RELABELLINGS:
            ra = a[:, [r, 1 - r]][:, :, [c, 1 - c]]
            rb = b[:, [r, 1 - r]][:, :, [c, 1 - c]]
            assert set(ordinal_codes(ra, rb)) == {t.index}
            assert set(ordinal_codes(rb.transpose(0, 2, 1), ra.transpose(0, 2, 1))) == {
                t.mirror.index
            }
            seen |= {GAME_TYPES[k] for k in classify_2x2(ra, rb)}
            mirrored = classify_2x2(rb.transpose(0, 2, 1), ra.transpose(0, 2, 1))
            assert {GAME_TYPES[k] for k in mirrored} <= set(t.mirror.families)
        assert seen == set(t.families), t.code


@settings(max_examples=60, deadline=None)
@given(strict_games())
def test_ordinal_type_family_is_the_structure_family(game: Game) -> None:
    found = ordinal_type(game)
    assert found.family == game_type(game)
    assert found.game_type is not None and found.family in found.game_type.families


# ------------------------------------------------------------- vectorised and floats
@settings(max_examples=80, deadline=None)
@given(st.lists(bimatrix_games(st.integers(-2, 2), min_moves=2, max_moves=2), max_size=8))
def test_ordinal_codes_and_labels_agree_with_ordinal_type(games: list[Game]) -> None:
    expected = [ordinal_type(g) for g in games]
    if games:
        a = np.array([g.payoff_matrix(0) for g in games], dtype=object)
        b = np.array([g.payoff_matrix(1) for g in games], dtype=object)
        codes = ordinal_codes(a, b)
        assert [int(k) for k in codes] == [
            -1 if e.game_type is None else e.game_type.index for e in expected
        ]
    assert ordinal_labels(games) == tuple(e.label for e in expected)


def test_large_integer_arrays_are_compared_exactly() -> None:
    """Review 3: int64 payoffs near 1e10 took the float path, where the tolerance (1e-9
    times the scale, here 10) tied them: -1 from ordinal_codes, 'Pd' from ordinal_type."""
    a = np.array([[[10**10 + 3, 10**10], [10**10 + 5, 10**10 + 1]]], dtype=np.int64)
    b = np.array([[[3, 5], [0, 1]]], dtype=np.int64)
    assert ordinal_type(Game.from_arrays(a[0], b[0])).label == "Pd"
    assert [ALL_TYPES[k].code for k in ordinal_codes(a, b)] == ["Pd"]
    # the float path still ties them, as ordinal_type ties the float game
    assert ordinal_codes(a.astype(float), b).tolist() == [-1]
    assert ordinal_type(Game.from_arrays(a[0].astype(float), b[0])).label.startswith("ties")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-(2**62), 2**62), min_size=8, max_size=8),
    st.sampled_from([np.int64, np.int32, np.uint8, object]),
)
def test_integer_arrays_agree_with_ordinal_type(values: list[int], dtype: type) -> None:
    if dtype in (np.int32, np.uint8):  # fit the values to the dtype, keeping some ties
        values = [v % 7 if dtype is np.uint8 else v % 2**31 - 2**30 for v in values]
    a = np.array(values[:4], dtype=dtype).reshape(1, 2, 2)
    b = np.array(values[4:], dtype=dtype).reshape(1, 2, 2)
    game = Game.from_arrays(a[0].astype(object), b[0].astype(object))
    found = ordinal_type(game).game_type
    assert ordinal_codes(a, b).tolist() == [-1 if found is None else found.index]


@settings(max_examples=60, deadline=None)
@given(dyadic_float_games(max_moves=2).filter(lambda twins: twins[0].shape == (2, 2)))
def test_float_games_are_typed_like_their_exact_twins(twins: tuple[Game, Game]) -> None:
    exact, floating = twins
    assert ordinal_type(floating).label == ordinal_type(exact).label
    a = np.stack([floating.payoff_matrix(0)])
    b = np.stack([floating.payoff_matrix(1)])
    assert (
        ordinal_codes(a, b).tolist()
        == ordinal_codes(
            np.stack([exact.payoff_matrix(0)]), np.stack([exact.payoff_matrix(1)])
        ).tolist()
    )


def test_float_payoffs_within_the_tolerance_tie() -> None:
    near = Game.from_arrays([[3.0, 0.0], [5.0, 3.0 + 1e-12]], [[3, 5], [0, 1]])
    apart = Game.from_arrays([[3, 0], [5, Fraction(3) + Fraction(1, 10**12)]], [[3, 5], [0, 1]])
    assert not ordinal_type(near).strict and ordinal_type(near).ties(0) == (((0, 0), (1, 1)),)
    assert ordinal_type(apart).strict
    a = np.array([[[3.0, 0.0], [5.0, 3.0 + 1e-12]]])
    assert ordinal_codes(a, np.array([[[3.0, 5.0], [0.0, 1.0]]])).tolist() == [-1]


def test_ordinal_codes_of_an_empty_batch() -> None:
    empty = np.zeros((0, 2, 2))
    assert ordinal_codes(empty, empty).shape == (0,)


# ------------------------------------------------------------------ output and errors
def test_to_dict_is_json_and_complete() -> None:
    data = json.loads(json.dumps(scenario_type("london_talks").to_dict()))
    assert data["code"] == "Pd" and data["strict"] and data["symmetric"]
    assert data["row_pattern"] == {
        "code": "Pd",
        "name": "Prisoner's Dilemma",
        "order": "T > R > P > S",
    }
    assert data["mirror"] == "Pd" and data["families"] == ["prisoner's dilemma"]
    assert data["ranks"]["China"] == [[3, 4], [1, 2]]
    assert data["canonical_order"]["US"] == ["ease_chip_controls", "maintain_chip_controls"]
    assert data["pure_equilibria"] == [["maintain_chip_controls", "restrict_re"]]
    assert data["pareto_optimal"] == [False] and data["borders"] == []
    tied = json.loads(json.dumps(scenario_type("battle_of_the_sexes").to_dict()))
    assert tied["code"] is None and tied["label"] == "ties (Hr, Hr|Ba, Ba|Hr, Ba)"
    assert tied["ties"]["Row"] == [[["opera", "football"], ["football", "opera"]]]


def test_asymmetric_sentences_name_each_players_pattern() -> None:
    game = Game.from_arrays(
        [[3, 0], [5, 1]], [[4, 3], [0, 2]], players=("US", "China"), moves=(("e", "m"), ("r", "x"))
    )
    first, second, third = ordinal_type(game).sentences()
    assert "Pd|Sh" in first and "US has Prisoner's Dilemma preferences" in first
    assert "China has Stag Hunt preferences" in first and "gives Sh|Pd" in first
    assert "US plays e and China plays r" in second
    assert third == "The pure equilibrium (m, x) is Pareto-dominated by (e, r)."


@pytest.mark.parametrize(
    ("label", "text"),
    [
        pytest.param("Sh", "Sh: Stag Hunt", id="symmetric"),
        pytest.param("Ch|Pd", "Ch|Pd: US Chicken, China Prisoner's Dilemma", id="asymmetric"),
        pytest.param(
            "ties (Pd, Sh)", "ties (Pd, Sh): tied payoffs, on the border of these types", id="ties"
        ),
    ],
)
def test_label_text(label: str, text: str) -> None:
    assert label_text(label, ("US", "China")) == text


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: ordinal_type(Game.from_arrays([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]])),
            "2 players with 2 and 3 moves",
            id="not-2x2",
        ),
        pytest.param(
            lambda: ordinal_type(Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int))),
            "3 players with 2 and 2 and 2 moves",
            id="three-players",
        ),
        pytest.param(
            lambda: ordinal_codes(np.zeros((3, 2, 2)), np.zeros((3, 2, 3))),
            "shape (N, 2, 2)",
            id="codes-shape",
        ),
        pytest.param(lambda: type_by_code("PD"), "unknown game type code 'PD'", id="bad-code"),
    ],
)
def test_errors_say_what_is_wrong(call, message: str) -> None:
    with pytest.raises(SimError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_a_game_of_equal_payoffs_borders_every_type_but_its_sentence_stays_short() -> None:
    found = ordinal_type(Game.from_arrays([[0, 0], [0, 0]], [[0, 0], [0, 0]]))
    assert len(found.borders) == 144 and len(found.to_dict()["borders"]) == 144
    (sentence,) = [s for s in found.sentences() if s.startswith("Breaking the ties")]
    assert sentence.count(",") < 12 and "and 136 more (listed in results.json)" in sentence
