"""Safe arithmetic expressions over named parameters, evaluated exactly where possible.

Grammar: numbers (``3``, ``2.5``, ``1e3``; all exact), parameter names, ``+ - * / **``,
unary ``-``/``+``, parentheses and the functions ``min``, ``max`` and ``abs``. Nothing else
is accepted: no attribute access, subscripts, comparisons, other calls or keywords. The
text is parsed with :mod:`ast` (never ``eval``) and the tree is walked by hand.

Values are :class:`~fractions.Fraction` as long as every step is rational; a power with a
non-integer exponent gives a float, and anything combined with a float is a float.

>>> e = parse_expression("v_us - c_us + max(g_us, 1/2)")
>>> sorted(e.names)
['c_us', 'g_us', 'v_us']
>>> evaluate(e, {"v_us": Fraction(5), "c_us": Fraction(2), "g_us": Fraction(0)})
Fraction(7, 2)
>>> evaluate(parse_expression("2 ** 0.5"), {})
1.4142135623730951
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from sim.errors import ExpressionError
from sim.game import Value

__all__ = ["FUNCTIONS", "Expression", "evaluate", "parse_expression", "parse_number"]

MAX_LENGTH = 10_000
"""Longest expression text accepted, in characters."""
MAX_EXPONENT = 1_000
"""Largest integer exponent evaluated exactly (larger ones are refused)."""
MAX_BITS = 1_000
"""Largest numerator or denominator size, in bits, of an exact value (about 10**301)."""
MAX_DIGITS = 400
"""Longest number literal accepted, in characters."""
_NUMBER = re.compile(
    r"^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE](?P<exp>[+-]?\d+))?$"
    r"|^[+-]?\d[\d_]*\s*/\s*[+-]?\d[\d_]*$"
)

_NON_FINITE = re.compile(r"^[+-]?\.(?:nan|inf)$", re.IGNORECASE)
"""YAML's spellings of NaN and infinity (``.nan``, ``-.inf``)."""
_NOT_FINITE = "'{}' is not a finite number; values must be finite: use a large finite number"

FUNCTIONS: Mapping[str, Callable[..., Value]] = {"min": min, "max": max, "abs": abs}
_ALLOWED = "numbers, parameter names, + - * / **, parentheses, min, max and abs"
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_TOO_DEEP = "expression is too deeply nested; split it using parameters"


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, syntax tree, and the parameter names it uses."""

    text: str
    tree: ast.expr
    names: frozenset[str]


def parse_number(text: str) -> Fraction:
    """Read a number literal exactly: ``3``, ``-2.5``, ``1e3``, ``2/3``.

    Raises :class:`ExpressionError` for anything else, and for literals too long or too
    large to handle (see :data:`MAX_DIGITS` and :data:`MAX_BITS`).

    >>> parse_number("2.5"), parse_number("2/3"), parse_number("1e-3")
    (Fraction(5, 2), Fraction(2, 3), Fraction(1, 1000))
    """
    literal = text.strip()
    match = _NUMBER.match(literal)
    if match is None and _NON_FINITE.match(literal):
        raise ExpressionError(_NOT_FINITE.format(literal))
    if match is None:
        raise ExpressionError(f"'{text}' is not a number; write e.g. 2, 2.5 or 2/3")
    if len(literal) > MAX_DIGITS:
        raise ExpressionError(f"number has more than {MAX_DIGITS} characters; round it")
    exponent = match.group("exp")
    if exponent is not None and abs(int(exponent)) > 300:
        raise ExpressionError(f"exponent {exponent} is out of range; use |exponent| <= 300")
    try:
        value = Fraction(literal.replace("_", "").replace(" ", ""))
    except ZeroDivisionError:
        raise ExpressionError(f"'{text}' divides by zero") from None
    return _bounded(value, 0)


def _bounded(value: Fraction, where: int) -> Fraction:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
        raise ExpressionError(
            "the value is too large (or too finely divided) to handle exactly; use smaller numbers",
            where,
        )
    return value


def _offset(text: str, node: ast.AST) -> int:
    """Character offset of a node (``ast`` reports UTF-8 byte offsets)."""
    col = getattr(node, "col_offset", 0) or 0
    return len(text.encode("utf-8")[:col].decode("utf-8", errors="ignore"))


def parse_expression(text: str) -> Expression:
    """Parse and check an expression; raise :class:`ExpressionError` if it is not allowed.

    >>> parse_expression("a.b")
    Traceback (most recent call last):
    ...
    sim.errors.ExpressionError: attribute access is not allowed; use only numbers, \
parameter names, + - * / **, parentheses, min, max and abs
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters; shorten it")
    if "\n" in text.strip() or "\r" in text:
        raise ExpressionError("an expression must be on one line")
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    if not stripped:
        raise ExpressionError("empty expression; write a number or a formula")
    if _NON_FINITE.match(stripped.rstrip()):
        raise ExpressionError(_NOT_FINITE.format(stripped.rstrip()), lead)
    if "^" in stripped:
        raise ExpressionError(
            "'^' is not an operator here; write powers as a ** b", lead + stripped.index("^")
        )
    if "\x00" in stripped:
        raise ExpressionError("the expression contains a NUL character; remove it", lead)
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" for 1if: the error says it
            warnings.simplefilter("ignore")
            tree = ast.parse(stripped, mode="eval").body
    except SyntaxError as err:
        column = max((err.offset or 1) - 1, 0)
        raise ExpressionError(
            f"cannot parse the expression ({err.msg}); {_hint()}", lead + column
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression is too deeply nested; simplify it", lead) from None
    names: set[str] = set()
    try:
        _check(tree, stripped, names, lead)
    except RecursionError:
        raise ExpressionError(_TOO_DEEP, lead) from None
    return Expression(text, tree, frozenset(names))


def _hint() -> str:
    return f"use only {_ALLOWED}"


def _check(node: ast.AST, text: str, names: set[str], lead: int) -> None:
    where = lead + _offset(text, node)
    match node:
        case ast.Constant(value=value):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ExpressionError(f"{value!r} is not a number; {_hint()}", where)
        case ast.Name(id=name):
            if name in FUNCTIONS:
                call = "abs(a)" if name == "abs" else f"{name}(a, b)"
                raise ExpressionError(f"{name} is a function; call it as {call}", where)
            names.add(name)
        case ast.BinOp(left=left, op=op, right=right):
            if type(op) not in _BINARY:
                raise ExpressionError(
                    f"operator {type(op).__name__} is not allowed; {_hint()}", where
                )
            _check(left, text, names, lead)
            _check(right, text, names, lead)
        case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=operand):
            _check(operand, text, names, lead)
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS:
            if not args or any(isinstance(a, ast.Starred) for a in args):
                raise ExpressionError(f"{name}() needs one or more plain arguments", where)
            if name == "abs" and len(args) != 1:
                raise ExpressionError("abs() takes exactly one argument", where)
            if name != "abs" and len(args) < 2:
                raise ExpressionError(
                    f"{name}() takes two or more arguments, e.g. {name}(a, b)", where
                )
            for arg in args:
                _check(arg, text, names, lead)
        case ast.Call(func=ast.Name(id=name)):
            raise ExpressionError(f"function {name}() is not allowed; only min, max and abs", where)
        case ast.Attribute():
            raise ExpressionError(f"attribute access is not allowed; {_hint()}", where)
        case _:
            kind = type(node).__name__.lower()
            raise ExpressionError(f"{kind} is not allowed in a payoff expression; {_hint()}", where)


def evaluate(expression: Expression, values: Mapping[str, Value]) -> Value:
    """Evaluate a parsed expression with the given parameter values.

    Raises :class:`ExpressionError` for an undefined name, a division by zero, a result
    that is not a finite real number, or a value too large to handle.

    >>> evaluate(parse_expression("1 / (a - a)"), {"a": Fraction(1)})
    Traceback (most recent call last):
    ...
    sim.errors.ExpressionError: division by zero: (a - a) is 0 here
    """
    text = expression.text.lstrip()
    lead = len(expression.text) - len(text)
    try:
        return _eval(expression.tree, text, values, lead)
    except RecursionError:
        raise ExpressionError(_TOO_DEEP, lead) from None


def _eval(node: ast.expr, text: str, values: Mapping[str, Value], lead: int) -> Value:
    where = lead + _offset(text, node)
    match node:
        case ast.Constant(value=value):
            if isinstance(value, int):  # 3, 0x10, 1_000: exact whatever the notation
                return _bounded(Fraction(value), where)
            source = ast.get_source_segment(text, node) or repr(value)
            try:
                return parse_number(source)
            except ExpressionError as err:
                raise ExpressionError(err.message, where) from None
        case ast.Name(id=name):
            if name not in values:
                known = ", ".join(sorted(values)) or "none are defined"
                raise ExpressionError(
                    f"undefined parameter '{name}'; define it under parameters: (known: {known})",
                    where,
                )
            return values[name]
        case ast.UnaryOp(op=op, operand=operand):
            inner = _eval(operand, text, values, lead)
            return -inner if isinstance(op, ast.USub) else inner
        case ast.BinOp(left=left, op=op, right=right):
            a = _eval(left, text, values, lead)
            b = _eval(right, text, values, lead)
            return _binary(op, a, b, right, text, where, lead)
        case ast.Call(func=ast.Name(id=name), args=args):
            return FUNCTIONS[name](*(_eval(arg, text, values, lead) for arg in args))
    raise ExpressionError(f"cannot evaluate this part; {_hint()}", where)  # pragma: no cover


def _binary(
    op: ast.operator, a: Value, b: Value, right: ast.expr, text: str, where: int, lead: int
) -> Value:
    try:
        if isinstance(op, ast.Add):
            out = a + b
        elif isinstance(op, ast.Sub):
            out = a - b
        elif isinstance(op, ast.Mult):
            out = a * b
        elif isinstance(op, ast.Div):
            out = a / b
        else:
            out = _power(a, b, where)
    except ZeroDivisionError:
        segment = ast.get_source_segment(text, right) or ""
        if isinstance(right, ast.BinOp | ast.UnaryOp) and not segment.startswith("("):
            segment = f"({segment})"
        detail = "" if isinstance(right, ast.Constant) else f": {segment} is 0 here"
        raise ExpressionError(f"division by zero{detail}", lead + _offset(text, right)) from None
    except OverflowError:
        raise ExpressionError("the result is too large to represent", where) from None
    if isinstance(out, complex):
        raise ExpressionError(
            "the result is not a real number (negative base, fractional power)", where
        )
    if isinstance(out, Fraction):
        return _bounded(out, where)
    return _finite(out, where)


_ZERO_POWER = "0 to a negative power is undefined (a division by zero)"


def _power(a: Value, b: Value, where: int) -> Value:
    if isinstance(b, Fraction) and b.denominator == 1 and isinstance(a, Fraction):
        if abs(b) > MAX_EXPONENT:
            raise ExpressionError(
                f"exponent {b} is larger than {MAX_EXPONENT}; use a smaller one", where
            )
        if a == 0 and b < 0:
            raise ExpressionError(_ZERO_POWER, where)
        size = max(a.numerator.bit_length(), a.denominator.bit_length()) * abs(int(b))
        if size > MAX_BITS + 64:
            raise ExpressionError(
                "the power is too large to handle exactly; use smaller numbers", where
            )
        return a ** int(b)
    base, exponent = float(a), float(b)
    if base == 0 and exponent < 0:
        raise ExpressionError(_ZERO_POWER, where)
    if base < 0 and not exponent.is_integer():
        raise ExpressionError(
            "the result is not a real number (negative base, fractional power)", where
        )
    return math.pow(base, exponent)


def _finite(value: float, where: int) -> float:
    if not math.isfinite(value) or abs(value) > 2.0**MAX_BITS:
        raise ExpressionError("the result is too large or not a finite number", where)
    return value
