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
"""Longest expression text accepted, in characters (``SIM_MAX_EXPRESSION_LENGTH``).

Real payoff formulas are a few dozen characters (``v_us - c_us + g_us``). The work of an
expression grows with its length (about 5 µs a character here for the costliest, a sum of
exact powers: 50 ms at this limit), and the whole text of a scenario is bounded by
:data:`sim.scenario.MAX_FILE_BYTES`, so this limit only keeps one formula within what an
error message can point into; sums of more than about 1,000 terms are refused anyway, as
too deeply nested."""
MAX_EXPONENT = 1_000
"""Largest integer exponent evaluated exactly (larger ones are refused;
``SIM_MAX_EXPONENT``). With :data:`MAX_BITS` checked before the power is taken, a power
costs at most a few microseconds."""
MAX_BITS = 1_000
"""Largest numerator or denominator size, in bits, of an exact value: about 10**301
(``SIM_MAX_BITS``, at most 1023 so that every value still converts to a float). Bounds the
cost of each exact operation (a few microseconds) and the exponent of a number literal
(:func:`parse_number`)."""
MAX_DIGITS = 400
"""Longest number literal accepted, in characters (``SIM_MAX_DIGITS``)."""
_NUMBER = re.compile(
    r"^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE](?P<exp>[+-]?\d+))?$"
    r"|^[+-]?\d[\d_]*\s*/\s*[+-]?\d[\d_]*$"
)

_TOO_LARGE = (
    "the value is too large (or too finely divided) to handle exactly; use smaller numbers "
    "(exact values have at most {bits} bits; SIM_MAX_BITS raises that, up to 1023)"
)
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\s*\Z")
"""A number in the most common notation (``-12``, ``2.5``, ``1e3``), parsed the fast way."""
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
        raise ExpressionError(
            f"number has more than {MAX_DIGITS} characters; round it (or raise the limit "
            "with SIM_MAX_DIGITS)"
        )
    exponent = match.group("exp")
    largest = _largest_exponent()
    if exponent is not None and (len(exponent) > 12 or abs(int(exponent)) > largest):
        raise ExpressionError(
            f"exponent {exponent} is out of range; use |exponent| <= {largest} (exact values "
            f"have at most {MAX_BITS} bits; SIM_MAX_BITS raises that, up to 1023)"
        )
    try:
        value = Fraction(literal.replace("_", "").replace(" ", ""))
    except ZeroDivisionError:
        raise ExpressionError(f"'{text}' divides by zero") from None
    except ValueError:  # more digits than Python converts (SIM_MAX_DIGITS raised past 4300)
        raise ExpressionError(_TOO_LARGE.format(bits=MAX_BITS)) from None
    return _bounded(value, 0)


def _largest_exponent() -> int:
    """The largest decimal exponent of a value of :data:`MAX_BITS` bits (301 for 1000).

    >>> _largest_exponent()
    301
    """
    return int(MAX_BITS * math.log10(2))


def _bounded(value: Fraction, where: int) -> Fraction:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS:
        raise ExpressionError(_TOO_LARGE.format(bits=MAX_BITS), where)
    return value


def _offset(text: str, node: ast.AST) -> int:
    """Character offset of a node (``ast`` reports UTF-8 byte offsets); only for messages,
    as it costs the length of the text."""
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
        raise ExpressionError(
            f"expression is longer than {MAX_LENGTH} characters; shorten it (or raise the "
            "limit with SIM_MAX_EXPRESSION_LENGTH)"
        )
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
        if _PLAIN_NUMBER.match(stripped):  # most payoffs: no warning to silence
            tree = ast.parse(stripped, mode="eval").body
        else:
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
        _check(tree, names)
    except RecursionError:
        raise ExpressionError(_TOO_DEEP, lead) from None
    except _Refusal as refusal:
        raise ExpressionError(refusal.message, lead + _offset(stripped, refusal.node)) from None
    return Expression(text, tree, frozenset(names))


def _hint() -> str:
    return f"use only {_ALLOWED}"


class _Refusal(Exception):
    """A refusal at a node of the syntax tree, turned into an :class:`ExpressionError` with
    the node's character offset by the public functions (the offset is computed only then:
    it costs the length of the text)."""

    def __init__(self, message: str, node: ast.AST) -> None:
        super().__init__(message)
        self.message, self.node = message, node


def _check(node: ast.AST, names: set[str]) -> None:
    match node:
        case ast.Constant(value=value):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _Refusal(f"{value!r} is not a number; {_hint()}", node)
        case ast.Name(id=name):
            if name in FUNCTIONS:
                call = "abs(a)" if name == "abs" else f"{name}(a, b)"
                raise _Refusal(f"{name} is a function; call it as {call}", node)
            names.add(name)
        case ast.BinOp(left=left, op=op, right=right):
            if type(op) not in _BINARY:
                raise _Refusal(f"operator {type(op).__name__} is not allowed; {_hint()}", node)
            _check(left, names)
            _check(right, names)
        case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=operand):
            _check(operand, names)
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS:
            if not args or any(isinstance(a, ast.Starred) for a in args):
                raise _Refusal(f"{name}() needs one or more plain arguments", node)
            if name == "abs" and len(args) != 1:
                raise _Refusal("abs() takes exactly one argument", node)
            if name != "abs" and len(args) < 2:
                raise _Refusal(f"{name}() takes two or more arguments, e.g. {name}(a, b)", node)
            for arg in args:
                _check(arg, names)
        case ast.Call(func=ast.Name(id=name)):
            raise _Refusal(f"function {name}() is not allowed; only min, max and abs", node)
        case ast.Attribute():
            raise _Refusal(f"attribute access is not allowed; {_hint()}", node)
        case _:
            kind = type(node).__name__.lower()
            raise _Refusal(f"{kind} is not allowed in a payoff expression; {_hint()}", node)


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
    source = _Source(text)
    try:
        return _eval(expression.tree, source, values)
    except RecursionError:
        raise ExpressionError(_TOO_DEEP, lead) from None
    except _Refusal as refusal:
        raise ExpressionError(refusal.message, lead + _offset(text, refusal.node)) from None


class _Source:
    """An expression's text and its UTF-8 bytes (what ``ast`` offsets count), encoded once,
    so that a number's source costs its own length, not the whole text's."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")

    def segment(self, node: ast.expr) -> str:
        """The source text of a node (expressions are one line)."""
        return self.data[node.col_offset : node.end_col_offset].decode("utf-8")


def _eval(node: ast.expr, source: _Source, values: Mapping[str, Value]) -> Value:
    match node:
        case ast.Constant(value=value):
            if isinstance(value, int):  # 3, 0x10, 1_000: exact whatever the notation
                return _bounded_at(Fraction(value), node)
            try:
                return parse_number(source.segment(node))
            except ExpressionError as err:
                raise _Refusal(err.message, node) from None
        case ast.Name(id=name):
            if name not in values:
                known = ", ".join(sorted(values)) or "none are defined"
                raise _Refusal(
                    f"undefined parameter '{name}'; define it under parameters: (known: {known})",
                    node,
                )
            return values[name]
        case ast.UnaryOp(op=op, operand=operand):
            inner = _eval(operand, source, values)
            return -inner if isinstance(op, ast.USub) else inner
        case ast.BinOp(left=left, op=op, right=right):
            a = _eval(left, source, values)
            b = _eval(right, source, values)
            return _binary(node, a, b, source)
        case ast.Call(func=ast.Name(id=name), args=args):
            return FUNCTIONS[name](*(_eval(arg, source, values) for arg in args))
    raise _Refusal(f"cannot evaluate this part; {_hint()}", node)  # pragma: no cover


def _bounded_at(value: Fraction, node: ast.AST) -> Fraction:
    try:
        return _bounded(value, 0)
    except ExpressionError as err:
        raise _Refusal(err.message, node) from None


def _binary(node: ast.BinOp, a: Value, b: Value, source: _Source) -> Value:
    op, right = node.op, node.right
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
            out = _power(a, b, node)
    except ZeroDivisionError:
        segment = source.segment(right)
        if isinstance(right, ast.BinOp | ast.UnaryOp) and not segment.startswith("("):
            segment = f"({segment})"
        detail = "" if isinstance(right, ast.Constant) else f": {segment} is 0 here"
        raise _Refusal(f"division by zero{detail}", right) from None
    except OverflowError:
        raise _Refusal("the result is too large to represent", node) from None
    if isinstance(out, complex):
        raise _Refusal("the result is not a real number (negative base, fractional power)", node)
    if isinstance(out, Fraction):
        return _bounded_at(out, node)
    if not _finite(out):
        raise _Refusal("the result is too large or not a finite number", node)
    return out


_ZERO_POWER = "0 to a negative power is undefined (a division by zero)"


def _power(a: Value, b: Value, node: ast.AST) -> Value:
    if isinstance(b, Fraction) and b.denominator == 1 and isinstance(a, Fraction):
        if abs(b) > MAX_EXPONENT:
            raise _Refusal(
                f"exponent {b} is larger than {MAX_EXPONENT}; use a smaller one (or raise the "
                "limit with SIM_MAX_EXPONENT)",
                node,
            )
        if a == 0 and b < 0:
            raise _Refusal(_ZERO_POWER, node)
        size = max(a.numerator.bit_length(), a.denominator.bit_length()) * abs(int(b))
        if size > MAX_BITS + 64:
            raise _Refusal(
                f"the power is too large to handle exactly (over {MAX_BITS} bits); use smaller "
                "numbers (SIM_MAX_BITS raises the limit, up to 1023)",
                node,
            )
        return a ** int(b)
    base, exponent = float(a), float(b)
    if base == 0 and exponent < 0:
        raise _Refusal(_ZERO_POWER, node)
    if base < 0 and not exponent.is_integer():
        raise _Refusal("the result is not a real number (negative base, fractional power)", node)
    return math.pow(base, exponent)


def _finite(value: float) -> bool:
    """True for a finite float below ``2**MAX_BITS`` in size (compared by binary exponent,
    so that no limit can overflow a float).

    >>> _finite(1e300), _finite(1e303), _finite(math.inf)
    (True, False, False)
    """
    return math.isfinite(value) and math.frexp(value)[1] <= MAX_BITS
