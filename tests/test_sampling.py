"""Sampling uncertain parameters and evaluating payoffs vectorised (sim.sampling)."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from scipy import stats

from sim.errors import ExpressionError, SimError
from sim.expression import evaluate, parse_expression
from sim.sampling import (
    BLOCK_SIZE,
    draw_payoffs,
    payoff_arrays,
    sample_parameters,
    uncertain_parameters,
)
from sim.scenario import Scenario, load, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
LONDON = load(ROOT / "scenarios" / "london_talks.yaml")

DISTRIBUTIONS = {
    "u": "{kind: uniform, low: 1, high: 4}",
    "t": "{kind: triangular, low: 2, mode: 4, high: 8}",
    "n": "{kind: normal, mean: 1, sd: 2}",
    "ln": "{kind: lognormal, mu: 0.7, sigma: 0.5}",
    "be": "{kind: beta, alpha: 2, beta: 5, low: 1, high: 3}",
    "ch": "{kind: choice, values: [1, 2, 5], weights: [1, 0, 3]}",
    "eq": "{kind: choice, values: [-1, '1/2', 7]}",
    "fx": "{kind: fixed}",
}


def scenario_with(parameters: dict[str, str], payoffs: tuple[str, str] = ("0", "0")) -> Scenario:
    """A 2x1 game; ``parameters`` maps name -> distribution (or "" for none), value 1."""
    lines = [
        f"  {name}: {{value: 1{', distribution: ' + spec if spec else ''}}}"
        for name, spec in parameters.items()
    ]
    text = (
        "kind: normal_form\ntitle: t\n"
        "players: {A: {moves: [x, y]}, B: {moves: [u]}}\n"
        "parameters:\n" + "\n".join(lines) + "\n"
        f'payoffs: {{"x, u": ["{payoffs[0]}", "{payoffs[1]}"], "y, u": [1, 2]}}\n'
    )
    return parse_scenario(text, "s.yaml")


ALL = scenario_with(DISTRIBUTIONS)


# ------------------------------------------------------------------------------ sampling
def test_uncertain_parameters_skip_fixed_and_plain_ones() -> None:
    assert [p.name for p in uncertain_parameters(ALL)] == ["u", "t", "n", "ln", "be", "ch", "eq"]
    assert {p.name for p in LONDON.parameters} - {p.name for p in uncertain_parameters(LONDON)} == {
        "v_cn",
        "c_cn",
    }


def test_every_parameter_is_returned_as_read_only_float64() -> None:
    values = sample_parameters(LONDON, seed=3, block=0, size=100)
    assert list(values) == [p.name for p in LONDON.parameters]
    for array in values.values():
        assert array.shape == (100,)
        assert array.dtype == np.float64
        assert not array.flags.writeable
    assert values["v_cn"].strides == (0,)
    assert (values["v_cn"] == 5.0).all() and (values["c_cn"] == 3.0).all()


def test_same_seed_and_block_give_identical_draws() -> None:
    first = sample_parameters(ALL, seed=11, block=5)
    again = sample_parameters(ALL, seed=11, block=5)
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])


@pytest.mark.parametrize(("seed", "block"), [(11, 6), (12, 5)], ids=["other-block", "other-seed"])
def test_other_block_or_seed_gives_other_draws(seed: int, block: int) -> None:
    first = sample_parameters(ALL, seed=11, block=5)
    other = sample_parameters(ALL, seed=seed, block=block)
    for p in uncertain_parameters(ALL):
        assert not np.array_equal(first[p.name], other[p.name]), p.name


@pytest.mark.parametrize("name", list(DISTRIBUTIONS))
def test_a_short_block_is_a_prefix_of_the_full_block(name: str) -> None:
    full = sample_parameters(ALL, seed=2, block=1)[name]
    for size in (0, 1, 1000, BLOCK_SIZE - 1):
        np.testing.assert_array_equal(
            sample_parameters(ALL, seed=2, block=1, size=size)[name], full[:size]
        )


def test_adding_or_reordering_parameters_leaves_draws_unchanged() -> None:
    small = scenario_with({"u": DISTRIBUTIONS["u"], "n": DISTRIBUTIONS["n"]})
    bigger = scenario_with(
        {"z": DISTRIBUTIONS["t"], "n": DISTRIBUTIONS["n"], "a": "", "u": DISTRIBUTIONS["u"]}
    )
    before = sample_parameters(small, seed=9, block=2, size=500)
    after = sample_parameters(bigger, seed=9, block=2, size=500)
    for name in ("u", "n"):
        np.testing.assert_array_equal(before[name], after[name])


def test_parameters_with_the_same_distribution_get_different_draws() -> None:
    twins = scenario_with({"a": DISTRIBUTIONS["u"], "b": DISTRIBUTIONS["u"]})
    values = sample_parameters(twins, seed=0, block=0, size=1000)
    assert abs(np.corrcoef(values["a"], values["b"])[0, 1]) < 0.1


# Each continuous distribution against its exact CDF (Kolmogorov-Smirnov, fixed seed), and
# its support.
@pytest.mark.parametrize(
    ("name", "reference", "support"),
    [
        pytest.param("u", stats.uniform(loc=1, scale=3), (1, 4), id="uniform"),
        pytest.param("t", stats.triang(c=1 / 3, loc=2, scale=6), (2, 8), id="triangular"),
        pytest.param("n", stats.norm(loc=1, scale=2), (-np.inf, np.inf), id="normal"),
        pytest.param("ln", stats.lognorm(s=0.5, scale=np.exp(0.7)), (0, np.inf), id="lognormal"),
        pytest.param("be", stats.beta(2, 5, loc=1, scale=2), (1, 3), id="beta-scaled"),
    ],
)
def test_continuous_distribution_matches_its_cdf(
    name: str, reference: stats.rv_continuous, support: tuple[float, float]
) -> None:
    values = sample_parameters(ALL, seed=20250609, block=0)[name]
    assert stats.kstest(values, reference.cdf).pvalue > 1e-3
    assert support[0] <= values.min() and values.max() <= support[1]
    assert values.mean() == pytest.approx(reference.mean(), abs=4 * reference.std() / 256)


def test_weighted_choice_frequencies_and_zero_weight() -> None:
    values = sample_parameters(ALL, seed=20250609, block=0)["ch"]
    assert set(np.unique(values)) == {1.0, 5.0}  # 2 has weight 0
    assert (values == 5.0).mean() == pytest.approx(0.75, abs=0.01)


def test_unweighted_choice_is_uniform_over_exact_values() -> None:
    values = sample_parameters(ALL, seed=20250609, block=0)["eq"]
    levels, counts = np.unique(values, return_counts=True)
    assert levels.tolist() == [-1.0, 0.5, 7.0]
    assert stats.chisquare(counts).pvalue > 1e-3


def test_fixed_and_plain_parameters_take_their_value() -> None:
    scenario = scenario_with({"f": "{kind: fixed}", "p": ""})
    values = sample_parameters(replace(scenario), seed=1, block=0, size=10)
    assert values["f"].tolist() == [1.0] * 10 and values["p"].tolist() == [1.0] * 10


def test_overflowing_lognormal_is_an_error() -> None:
    scenario = scenario_with({"w": "{kind: lognormal, mu: 700, sigma: 10}"})
    with pytest.raises(SimError, match=r"lognormal distribution of w .* too large for a float"):
        sample_parameters(scenario, seed=1, block=0, size=100)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        pytest.param({"seed": -1}, SimError, "seed -1 is negative", id="negative-seed"),
        pytest.param({"seed": 1.5}, SimError, "not a whole number", id="float-seed"),
        pytest.param({"block": -1}, ValueError, "block must be 0 or more", id="negative-block"),
        pytest.param({"size": BLOCK_SIZE + 1}, ValueError, "size must be", id="size-too-big"),
    ],
)
def test_bad_arguments(kwargs: dict, error: type[Exception], fragment: str) -> None:
    arguments = {"seed": 1, "block": 0, "size": 10, **kwargs}
    with pytest.raises(error, match=fragment):
        sample_parameters(ALL, **arguments)


def test_huge_seeds_and_blocks_are_fine() -> None:
    values = sample_parameters(ALL, seed=2**100, block=10**9, size=3)
    assert values["u"].shape == (3,)


# ------------------------------------------------------------------------------- payoffs
def test_london_payoffs_match_the_exact_game_at_sampled_points() -> None:
    values, payoffs = draw_payoffs(LONDON, seed=5, block=2, size=50)
    assert payoffs.shape == (50, 2, 2, 2) and payoffs.dtype == np.float64
    for draw in (0, 17, 49):
        point = {name: Fraction(float(array[draw])) for name, array in values.items()}
        exact = LONDON.with_parameters(**point).game.payoffs.astype(float)
        np.testing.assert_allclose(payoffs[draw], exact, rtol=1e-14, atol=1e-14)


def test_constant_payoffs_are_broadcast() -> None:
    scenario = load(ROOT / "scenarios" / "prisoners_dilemma.yaml")
    _, payoffs = draw_payoffs(scenario, seed=1, block=0, size=4)
    expected = scenario.game.payoffs.astype(float)
    assert payoffs.shape == (4, *expected.shape)
    for draw in payoffs:
        np.testing.assert_array_equal(draw, expected)


def test_broadcast_scalar_and_full_values_agree() -> None:
    scenario = scenario_with({"a": "", "b": ""}, ("a * b - max(a, 2, b)", "abs(a - b) / 2"))
    b = np.linspace(-2, 2, 7)
    full = payoff_arrays(scenario, {"a": np.full(7, 3.0), "b": b})
    assert np.array_equal(full, payoff_arrays(scenario, {"a": 3.0, "b": b}))
    assert np.array_equal(full, payoff_arrays(scenario, {"a": np.broadcast_to(3.0, (7,)), "b": b}))


def test_only_numbers_gives_one_draw() -> None:
    scenario = scenario_with({"a": ""}, ("a / 4", "a"))
    assert payoff_arrays(scenario, {}).tolist() == [[[[0.25, 1.0]], [[1.0, 2.0]]]]
    assert payoff_arrays(scenario, {"a": 2}).tolist() == [[[[0.5, 2.0]], [[1.0, 2.0]]]]


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        pytest.param({"zz": np.ones(3)}, "unknown parameter 'zz'; parameters are: a, b", id="name"),
        pytest.param({"a": np.ones(3), "b": np.ones(4)}, "different lengths", id="lengths"),
        pytest.param({"a": np.ones((3, 2))}, "shape (3, 2)", id="two-dimensional"),
        pytest.param({"a": np.array([1.0, np.inf])}, "a is inf at draw 1", id="infinite"),
        pytest.param({"b": np.nan}, "b is nan", id="nan-scalar"),
    ],
)
def test_bad_values_are_refused(values: dict, fragment: str) -> None:
    scenario = scenario_with({"a": "", "b": ""}, ("a + b", "a"))
    with pytest.raises(SimError, match=re.escape(fragment)):
        payoff_arrays(scenario, values)


# Failing draws: the message names the player, profile, formula, values, draw and a fix.
def test_division_by_zero_names_the_first_failing_draw() -> None:
    scenario = scenario_with(
        {"v": "{kind: uniform, low: 1, high: 2}", "c": "{kind: choice, values: [1, 2, 3]}"},
        ("1", "v / (c - 2)"),
    )
    values = sample_parameters(scenario, seed=4, block=3, size=100)
    first = int(np.flatnonzero(values["c"] == 2)[0])
    with pytest.raises(SimError) as info:
        draw_payoffs(scenario, seed=4, block=3, size=100)
    assert str(info.value) == (
        f"the payoff of B at (x, u), 'v / (c - 2)', cannot be evaluated at draw "
        f"{3 * BLOCK_SIZE + first} (c = 2.0, v = {float(values['v'][first])!r}): division by "
        "zero: (c - 2) is 0 here; narrow the distributions of c, v, or change the formula, so "
        "that it is defined at every value the parameters can take"
    )


@pytest.mark.parametrize(
    ("spec", "formula", "detail"),
    [
        pytest.param(
            "{kind: uniform, low: -1, high: 1}",
            "a ** 0.5",
            "the result is not a real number (negative base, fractional power)",
            id="negative-base-fractional-power",
        ),
        pytest.param(
            "{kind: choice, values: [1, 0]}",
            "min(1 / a, 3)",  # the infinity would vanish in min; it is still an error
            "division by zero: a is 0 here",
            id="hidden-division-by-zero",
        ),
        pytest.param(
            "{kind: choice, values: [1, 0]}",
            "a ** -1",
            "0 to a negative power is undefined (a division by zero)",
            id="zero-to-negative-power",
        ),
        pytest.param(
            "{kind: uniform, low: 10, high: 20}",
            "1 / a ** 400",
            "the result is too large to represent",
            id="intermediate-overflow",
        ),
        pytest.param(
            "{kind: uniform, low: 20, high: 30}",
            "a * 1e300",
            "the result is too large or not a finite number",
            id="beyond-2-to-the-1000",
        ),
    ],
)
def test_failing_payoff_is_explained(spec: str, formula: str, detail: str) -> None:
    scenario = scenario_with({"a": spec}, (formula, "0"))
    values = sample_parameters(scenario, seed=8, block=0, size=64)
    first = next(d for d in range(64) if _fails(formula, {"a": float(values["a"][d])}))
    with pytest.raises(SimError) as info:
        payoff_arrays(scenario, values)
    message = str(info.value)
    assert message.startswith(
        f"the payoff of A at (x, u), {formula!r}, cannot be evaluated at draw {first} "
        f"(a = {float(values['a'][first])!r}): {detail}; narrow the distribution of a"
    ), message


def test_formula_failing_without_parameters_is_explained() -> None:
    scenario = replace(ALL, formulas=(("u + 0 ** -1", "1"), ("1", "1")))
    with pytest.raises(SimError) as info:
        payoff_arrays(scenario, sample_parameters(scenario, seed=1, block=0, size=5))
    assert str(info.value).startswith("the payoff of A at (x, u), 'u + 0 ** -1', cannot be ")
    assert str(info.value).endswith(
        ": 0 to a negative power is undefined (a division by zero); narrow the distribution of "
        "u, or change the formula, so that it is defined at every value the parameters can take"
    )


def _fails(formula: str, point: dict[str, float]) -> bool:
    try:
        evaluate(parse_expression(formula), point)
    except ExpressionError:
        return True
    return False


# The vectorised evaluator against the exact scalar one, on generated formulas.
_NAMES = ("a", "b", "c", "k")  # k has no distribution: a constant
_BASE = scenario_with(
    {
        "a": "{kind: uniform, low: -3, high: 3}",
        "b": "{kind: normal, mean: 1, sd: 2}",
        "c": "{kind: choice, values: [0, 1, 2]}",
        "k": "",
    }
)
_leaf = st.one_of(
    st.sampled_from(_NAMES),
    st.integers(0, 5).map(str),
    st.sampled_from(["0.5", "2.5", "(1/3)", "1e-3"]),
)


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, st.sampled_from(["2", "3", "-1", "0.5", "c", "a"])).map(
            lambda t: f"({t[0]}) ** {t[1]}"
        ),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"abs({e})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
    )


_formulas = st.recursive(_leaf, _grow, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(formulas=st.lists(_formulas, min_size=2, max_size=2), seed=st.integers(0, 2**32))
def test_vectorised_payoffs_equal_exact_evaluation(formulas: list[str], seed: int) -> None:
    scenario = replace(_BASE, formulas=((formulas[0], formulas[1]), ("k", "a - b")))
    size = 40
    values = sample_parameters(scenario, seed=seed, block=0, size=size)
    expected = np.empty((size, 2, 1, 2))
    failures = []  # (draw, cell)
    for draw in range(size):
        point = {name: float(values[name][draw]) for name in _NAMES}
        for cell, text in enumerate((*formulas, "k", "a - b")):
            try:
                expected[draw, cell // 2, 0, cell % 2] = evaluate(parse_expression(text), point)
            except ExpressionError:
                failures.append((draw, cell))
    event(f"failures={bool(failures)} power={any('**' in t for t in formulas)}")
    if failures:
        draw, cell = min(failures)
        with pytest.raises(SimError) as info:
            payoff_arrays(scenario, values)
        player = "AB"[cell % 2]
        assert str(info.value).startswith(f"the payoff of {player} at ")
        assert re.search(rf"cannot be evaluated at draw {draw}\b", str(info.value))
        return
    actual = payoff_arrays(scenario, values)
    # The same operations on the same float64 values, so equal up to rounding: the exact
    # evaluator keeps a Fraction where min or max picks a number, and libm's pow and numpy's
    # power may differ in the last bit.
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-9)


def test_chance_probabilities_are_checked_at_every_draw() -> None:
    from sim.scenario import parse_scenario

    scenario = parse_scenario(
        """
kind: sequential
title: t
players: [A, B]
parameters:
  p: {value: 1/2, distribution: {kind: uniform, low: 0, high: 2}}
nodes:
  n:
    chance:
      h: {probability: p, then: a}
      t: {probability: 1 - p, then: [0, 0]}
  a: {player: A, moves: {x: [1, 1], y: {player: B, moves: {u: [2, 0], v: [0, 2]}}}}
""",
        "s.yaml",
    )
    fine = payoff_arrays(scenario, {"p": np.array([0.25, 1.0])})
    assert fine.shape == (2, 2, 2, 2)
    with pytest.raises(SimError, match=r"chance node 'n': at draw 1 \(p = 1.5\)"):
        payoff_arrays(scenario, {"p": np.array([0.25, 1.5])})


def test_the_payoff_magnitude_limit_is_read_when_sampling(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.expression

    scenario = scenario_with({"a": "{kind: uniform, low: 2000, high: 3000}"}, ("a", "0"))
    values = sample_parameters(scenario, seed=8, block=0, size=16)
    payoff_arrays(scenario, values)  # within the default 2**1000
    monkeypatch.setattr(sim.expression, "MAX_BITS", 10)  # as SIM_MAX_BITS=10 sets it
    with pytest.raises(SimError, match="too large or not a finite number"):
        payoff_arrays(scenario, values)
