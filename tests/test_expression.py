"""Safe expression evaluator: exact arithmetic, refusals, and a generated-expression property."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import expression
from sim.errors import ExpressionError
from sim.expression import evaluate, parse_expression, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2/3", Fraction(2, 3), id="fraction"),
        pytest.param("0.1 + 0.2", Fraction(3, 10), id="decimals-exact"),
        pytest.param("1e3", Fraction(1000), id="exponent-literal"),
        pytest.param("-a ** 2", Fraction(-4), id="unary-minus-binds-looser"),
        pytest.param("(a - 3) ** -2", Fraction(1), id="negative-integer-power"),
        pytest.param("min(a, 1/2, 3) + max(a, 5) * abs(-a)", Fraction(21, 2), id="functions"),
        pytest.param("1_000", Fraction(1000), id="underscores"),
    ],
)
def test_exact_values(text: str, expected: Fraction) -> None:
    value = evaluate(parse_expression(text), {"a": Fraction(2)})
    assert isinstance(value, Fraction)
    assert value == expected


def test_irrational_power_is_float() -> None:
    value = evaluate(parse_expression("a ** 0.5"), {"a": Fraction(2)})
    assert isinstance(value, float)
    assert value == pytest.approx(2**0.5)


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        pytest.param("a + b", 4, "undefined parameter 'b'", id="undefined"),
        pytest.param("1 / (a - 2)", 5, "division by zero", id="div-zero"),
        pytest.param("0 ** -1", 0, "division by zero", id="zero-negative-power"),
        pytest.param("(-a) ** 0.5", 0, "not a real number", id="complex"),
        pytest.param("9 ** 9 ** 9", 0, "larger than", id="huge-exponent"),
        pytest.param("10.0 ** 400.5", 0, "too large", id="overflow"),
        pytest.param("a.real", 0, "attribute access", id="attribute"),
        pytest.param("a[0]", 0, "not allowed", id="subscript"),
        pytest.param("a < 1", 0, "not allowed", id="comparison"),
        pytest.param("max", 0, "is a function", id="bare-function"),
        pytest.param("abs(1, 2)", 0, "exactly one argument", id="abs-arity"),
        pytest.param("min(a)", 0, "two or more arguments", id="min-arity"),
        pytest.param("2 * max(a)", 4, "two or more arguments", id="max-arity"),
        pytest.param("min(*a)", 0, "plain arguments", id="starred"),
        pytest.param("max(a, key=abs)", 0, "not allowed", id="keyword"),
        pytest.param("'text'", 0, "not a number", id="string"),
        pytest.param("True", 0, "not a number", id="bool"),
        pytest.param("", 0, "empty expression", id="empty"),
        pytest.param("1 +", 0, "cannot parse", id="syntax"),
    ],
)
def test_refusals_carry_an_offset(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(parse_expression(text), {"a": Fraction(2)})
    assert fragment in info.value.message
    assert info.value.offset == offset


def test_deep_nesting_is_refused_cleanly() -> None:
    with pytest.raises(ExpressionError):
        parse_expression("(" * 5000 + "1" + ")" * 5000)


# An independent evaluator over a tiny generated grammar: nested tuples, not text.
_leaf = st.one_of(
    st.fractions(min_value=-20, max_value=20, max_denominator=9),
    st.sampled_from(["a", "b"]),
)
_tree = st.recursive(
    _leaf,
    lambda inner: st.tuples(
        st.sampled_from(["+", "-", "*", "/", "min", "max", "abs"]), inner, inner
    ),
    max_leaves=12,
)
ENV = {"a": Fraction(3, 2), "b": Fraction(-7, 3)}


def _render(tree: object) -> str:
    if isinstance(tree, Fraction):
        return f"({tree.numerator}/{tree.denominator})"
    if isinstance(tree, str):
        return tree
    op, left, right = tree  # type: ignore[misc]
    if op in ("min", "max"):
        return f"{op}({_render(left)}, {_render(right)})"
    if op == "abs":
        return f"abs({_render(left)})"
    return f"({_render(left)} {op} {_render(right)})"


def _value(tree: object) -> Fraction:
    if isinstance(tree, Fraction):
        return tree
    if isinstance(tree, str):
        return ENV[tree]
    op, left, right = tree  # type: ignore[misc]
    if op == "abs":  # rendered as abs(left): the right child is not part of the expression
        return abs(_value(left))
    a, b = _value(left), _value(right)
    return {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "/": lambda: a / b,
        "min": lambda: min(a, b),
        "max": lambda: max(a, b),
    }[op]()


@settings(max_examples=200, deadline=None)
@given(_tree)
def test_generated_expressions_match_fraction_arithmetic(tree: object) -> None:
    text = _render(tree)
    try:
        expected = _value(tree)
    except ZeroDivisionError:
        with pytest.raises(ExpressionError, match="division by zero"):
            evaluate(parse_expression(text), ENV)
        return
    assert evaluate(parse_expression(text), ENV) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("1e400", "out of range", id="huge-exponent-literal"),
        pytest.param("1e99999999", "out of range", id="enormous-exponent-literal"),
        pytest.param("1" * 500, "too large", id="long-literal"),
        pytest.param("((3**600)**100)**1000", "too large", id="tower"),
        pytest.param("1e300 * 1e300", "too large", id="product"),
        pytest.param("+".join(["1"] * 3000), "too deeply nested", id="long-sum"),
    ],
)
def test_resource_limits_refuse_quickly(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError, match=fragment):
        evaluate(parse_expression(text), {})


def test_integer_literals_in_any_notation_stay_exact() -> None:
    assert evaluate(parse_expression("0x10 + 1_000"), {}) == Fraction(1016)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("3", Fraction(3), id="int"),
        pytest.param(" -2.5 ", Fraction(-5, 2), id="decimal"),
        pytest.param("2/3", Fraction(2, 3), id="fraction"),
        pytest.param("1_000", Fraction(1000), id="underscore"),
    ],
)
def test_parse_number(text: str, expected: Fraction) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["two", "1/0", "1e999", "--1", "0x10", "nan", "inf", ""])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_number(text)


# ------------------------------------------------------------------------------ limits
def test_literal_exponents_follow_the_bit_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """|exponent| <= MAX_BITS * log10(2): 301 by default, 307 at the largest SIM_MAX_BITS."""
    assert parse_number("1e301") == 10**301
    with pytest.raises(
        ExpressionError, match=r"exponent 302 is out of range; use \|exponent\| <= 301"
    ):
        parse_number("1e302")
    monkeypatch.setattr(expression, "MAX_BITS", 1023)
    assert parse_number("1e307") == 10**307
    monkeypatch.setattr(expression, "MAX_BITS", 100)
    with pytest.raises(ExpressionError, match=r"use \|exponent\| <= 30 .*SIM_MAX_BITS"):
        parse_number("1e31")


@pytest.mark.parametrize(
    ("text", "variable"),
    [
        pytest.param("x" * 10_001, "SIM_MAX_EXPRESSION_LENGTH", id="length"),
        pytest.param("1" * 401 + ".5", "SIM_MAX_DIGITS", id="digits"),
        pytest.param("1e400", "SIM_MAX_BITS", id="literal-exponent"),
        pytest.param("2 ** 1001", "SIM_MAX_EXPONENT", id="power-exponent"),
        pytest.param("3 ** 999", "SIM_MAX_BITS", id="power-size"),
        pytest.param("1e300 * 1e300", "SIM_MAX_BITS", id="value-size"),
    ],
)
def test_limit_messages_name_the_variable_that_raises_them(text: str, variable: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(parse_expression(text), {})
    assert variable in info.value.message


def test_no_bit_limit_overflows_a_float(monkeypatch: pytest.MonkeyPatch) -> None:
    """The float bound is compared by binary exponent, so even a MAX_BITS past what a float
    can hold (set through the API, not SIM_MAX_BITS) gives values or refusals, no
    OverflowError."""
    monkeypatch.setattr(expression, "MAX_BITS", 5_000)
    assert evaluate(parse_expression("2 ** 0.5 * 1e300"), {}) == pytest.approx(2**0.5 * 1e300)
    with pytest.raises(ExpressionError, match="too large to represent"):
        evaluate(parse_expression("10.0 ** 400.5"), {})
    monkeypatch.setattr(expression, "MAX_BITS", 500)
    with pytest.raises(ExpressionError, match="too large or not a finite number"):
        evaluate(parse_expression("2 ** 0.5 * 10 ** 140 * 10 ** 20"), {})


def test_raised_digit_limit_still_refuses_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past Python's 4,300-digit conversion limit, and with a 20-digit exponent."""
    monkeypatch.setattr(expression, "MAX_DIGITS", 10**6)
    with pytest.raises(ExpressionError, match="too large"):
        parse_number("1" * 5_000)
    with pytest.raises(ExpressionError, match="out of range"):
        parse_number("1e" + "9" * 20)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        pytest.param("x + " * 500 + "y", 2_000, id="far-into-a-long-sum"),
        pytest.param("é + ü * zz", 8, id="after-non-ascii-names"),
        pytest.param("0.5 + é / (é - é)", 11, id="division-after-non-ascii"),
    ],
)
def test_offsets_are_characters_in_long_and_non_ascii_expressions(text: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(parse_expression(text), {"x": Fraction(1), "é": Fraction(2), "ü": Fraction(3)})
    assert info.value.offset == offset
