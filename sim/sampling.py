"""Random draws of a scenario's uncertain parameters, and its payoffs at every draw, vectorised.

This is the front of a Monte Carlo run: :func:`sample_parameters` draws every parameter
with a ``distribution`` (see ``scenarios/README.md``), and :func:`payoff_arrays` evaluates
every payoff expression at all the draws at once with numpy. :func:`draw_payoffs` does
both.

Conventions, stated once:

- **Draws are numbered** 0, 1, 2, ... and grouped in blocks of :data:`BLOCK_SIZE`; draw
  ``block * BLOCK_SIZE + i`` is entry ``i`` of block ``block``. A run of ``N`` draws is
  blocks ``0, 1, ...``, the last one possibly cut short (a prefix of the full block).
- **Streams.** Each (seed, block, parameter) has its own random stream, a numpy
  ``Generator(PCG64(SeedSequence(seed, spawn_key=(block, key))))`` where ``key`` is the
  first 8 bytes (little-endian) of the SHA-256 of the parameter's *name*. A draw therefore
  depends only on the seed, its number, the parameter's name and its distribution: not on
  the batch size, the number of workers, or the other parameters and their order. (It
  also depends on numpy's sampling algorithms, which numpy may change between versions.)
- **Values are float64.** A parameter without a distribution, or with kind ``fixed``,
  takes its ``value`` in every draw; :func:`sample_parameters` returns it as a read-only
  broadcast array (stride 0), which :func:`payoff_arrays` treats as a constant.
- **Payoffs** are returned as an array of shape ``(N, *game.shape, n_players)``:
  ``payoffs[d][profile][player]``, the layout of :attr:`sim.game.Game.payoffs` with the
  draw first.

Payoff expressions are compiled once (cached by formula text) into numpy operations with
the grammar and meaning of :mod:`sim.expression`; subexpressions made only of numbers are
folded exactly (as :func:`sim.expression.evaluate` would compute them) before converting to
float. Where any draw divides by zero, raises a negative number to a fractional power,
overflows, or gives a result beyond ``2 ** 1000`` in size, :func:`payoff_arrays` raises a
:class:`~sim.errors.SimError` naming the first such draw. (The exact evaluator also refuses
*intermediate* values beyond ``2 ** 1000`` that are still finite floats; the vectorised one
does not.)

>>> from pathlib import Path
>>> from sim.scenario import load
>>> london = load(Path(__file__).resolve().parent.parent / "scenarios" / "london_talks.yaml")
>>> values, payoffs = draw_payoffs(london, seed=7, block=0, size=1000)
>>> payoffs.shape, values["v_us"].shape
((1000, 2, 2, 2), (1000,))
>>> bool((payoffs[:, 1, 1, 0] == -values["z_us"]).all())  # (maintain, restrict): -z_us
True
"""

from __future__ import annotations

import ast
import functools
import hashlib
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeAlias

import numpy as np

from sim import expression as _expression
from sim.errors import ExpressionError, SimError
from sim.expression import Expression, evaluate, parse_expression
from sim.scenario import Parameter, Scenario

__all__ = [
    "BLOCK_SIZE",
    "draw_payoffs",
    "payoff_arrays",
    "sample_parameters",
    "tree_arrays",
    "uncertain_parameters",
]

BLOCK_SIZE: int = 65536
"""Number of draws in one block: the unit of random streams and of work."""


def _limit() -> float:
    """Payoff magnitudes must be below this, as in :mod:`sim.expression` (read at each call, so
    that ``SIM_MAX_BITS`` applies; at most 1023 bits, the largest a float holds)."""
    return math.ldexp(1.0, min(_expression.MAX_BITS, 1023))


Array: TypeAlias = np.ndarray[Any, np.dtype[np.float64]]
Operand: TypeAlias = "Array | np.float64"
Bad: TypeAlias = "np.ndarray[Any, np.dtype[np.bool_]] | None"
Code: TypeAlias = Callable[[Mapping[str, Operand], Bad], Operand]


# ------------------------------------------------------------------------------ sampling
def uncertain_parameters(scenario: Scenario) -> tuple[Parameter, ...]:
    """The parameters that vary between draws: those with a distribution other than fixed.

    Parameters
    ----------
    scenario
        A loaded scenario.

    Returns
    -------
    tuple of Parameter
        In the scenario's order.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parent.parent
    >>> london = load(root / "scenarios" / "london_talks.yaml")
    >>> [p.name for p in uncertain_parameters(london)]
    ['v_us', 'c_us', 'g_us', 's_us', 'z_us', 'g_cn', 's_cn', 'z_cn']
    """
    return tuple(
        p
        for p in scenario.parameters
        if p.distribution is not None and p.distribution["kind"] != "fixed"
    )


def sample_parameters(
    scenario: Scenario, seed: int, block: int, size: int = BLOCK_SIZE
) -> dict[str, Array]:
    """Values of every parameter at draws ``block * BLOCK_SIZE`` to ``... + size - 1``.

    Parameters
    ----------
    scenario
        A loaded scenario.
    seed
        A non-negative integer; the same seed gives the same draws.
    block
        Which block of :data:`BLOCK_SIZE` draws (0, 1, ...).
    size
        How many draws of the block, from its start (at most :data:`BLOCK_SIZE`). A
        smaller size gives a prefix of the full block, so a run of ``N`` draws is the same
        whatever the batch size.

    Returns
    -------
    dict of str to numpy.ndarray
        Parameter name -> read-only float64 array of shape ``(size,)``, for every parameter
        in scenario order. Parameters that do not vary are broadcast arrays (stride 0) of
        their value.

    Raises
    ------
    SimError
        For a negative seed, or a distribution that gives a value too large for a float.
    ValueError
        For a negative block or a size outside ``0 ... BLOCK_SIZE``.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parent.parent
    >>> london = load(root / "scenarios" / "london_talks.yaml")
    >>> values = sample_parameters(london, seed=1, block=0, size=5)
    >>> values["c_us"].round(3)  # uniform on [1, 4]
    array([2.876, 3.171, 2.976, 3.402, 2.875])
    >>> values["v_cn"]  # no distribution: its value in every draw
    array([5., 5., 5., 5., 5.])
    >>> prefix = sample_parameters(london, seed=1, block=0, size=2)["c_us"]
    >>> bool((prefix == values["c_us"][:2]).all())
    True
    """
    seed = _check_seed(seed)
    block = operator.index(block)
    size = operator.index(size)
    if block < 0:
        raise ValueError(f"block must be 0 or more, not {block}")
    if not 0 <= size <= BLOCK_SIZE:
        raise ValueError(f"size must be between 0 and BLOCK_SIZE = {BLOCK_SIZE}, not {size}")
    out: dict[str, Array] = {}
    for parameter in scenario.parameters:
        dist = parameter.distribution
        if dist is None or dist["kind"] == "fixed":
            out[parameter.name] = np.broadcast_to(np.float64(float(parameter.value)), (size,))
            continue
        stream = np.random.SeedSequence(seed, spawn_key=(block, _name_key(parameter.name)))
        rng = np.random.Generator(np.random.PCG64(stream))
        values = _draw(dist, rng, size)
        if dist["kind"] in ("normal", "lognormal") and not np.isfinite(values).all():
            first = int(np.flatnonzero(~np.isfinite(values))[0])
            fields = ", ".join(f"{k}={v!r}" for k, v in dist.items() if k != "kind")
            raise SimError(
                f"the {dist['kind']} distribution of {parameter.name} ({fields}) gave a value "
                f"too large for a float at draw {block * BLOCK_SIZE + first}; narrow it"
            )
        values.flags.writeable = False
        out[parameter.name] = values
    return out


def _check_seed(seed: int) -> int:
    try:
        value = operator.index(seed)
    except TypeError:
        raise SimError(f"seed {seed!r} is not a whole number; use e.g. 42") from None
    if value < 0:
        raise SimError(f"seed {value} is negative; use a whole number 0 or more, e.g. 42")
    return value


@functools.lru_cache(maxsize=4096)
def _name_key(name: str) -> int:
    """A stable 64-bit key of a parameter name (unlike ``hash``, the same in every process)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def _draw(dist: Mapping[str, Any], rng: np.random.Generator, size: int) -> Array:
    """``size`` draws from one distribution (a :attr:`Parameter.distribution` mapping)."""
    kind = dist["kind"]
    if kind == "uniform":
        return rng.uniform(dist["low"], dist["high"], size)
    if kind == "triangular":
        return rng.triangular(dist["low"], dist["mode"], dist["high"], size)
    if kind == "normal":
        return rng.normal(dist["mean"], dist["sd"], size)
    if kind == "lognormal":
        return rng.lognormal(dist["mu"], dist["sigma"], size)
    if kind == "beta":
        low, high = dist["low"], dist["high"]
        unit = rng.beta(dist["alpha"], dist["beta"], size)
        unit *= high - low
        unit += low
        return unit
    if kind == "choice":
        values = np.asarray(dist["values"], dtype=np.float64)
        weights = dist["weights"]
        if weights is None:
            weights = np.ones(len(values))
        cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
        # Dividing by the last cumulative sum (not np.sum, which adds in another order) puts
        # 1.0 exactly after the last positive weight, so a zero weight is never drawn.
        cumulative /= cumulative[-1]
        return values[np.searchsorted(cumulative, rng.random(size), side="right")]
    raise SimError(f"unknown distribution kind {kind!r}")  # pragma: no cover (schema)


# ------------------------------------------------------------------------------- payoffs
def payoff_arrays(
    scenario: Scenario,
    values: Mapping[str, Any],
    *,
    size: int | None = None,
    first_draw: int = 0,
) -> Array:
    """Every payoff of the scenario at every draw, evaluated with numpy.

    Parameters
    ----------
    scenario
        A loaded scenario.
    values
        Parameter name -> float64 array of shape ``(N,)`` (one value per draw) or a number
        (the same in every draw; so is an array with stride 0, such as a
        :func:`numpy.broadcast_to` view). Parameters left out take their value.
    size
        The number of draws ``N``; needed only when no value is an array (for example for
        a scenario without parameters), otherwise it must match their length.
    first_draw
        Number of the first draw, used only to name a failing draw in error messages.

    Returns
    -------
    numpy.ndarray
        float64, shape ``(N, *game.shape, n_players)``; ``N`` is ``size``, or the length of
        the arrays in ``values``, or 1.

    Raises
    ------
    SimError
        For an unknown parameter name, arrays of different lengths, a non-finite value, or
        a payoff that cannot be evaluated at some draw (division by zero, a negative base
        with a fractional power, overflow): the message names the player, the profile, the
        formula and the parameter values at the first such draw.

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> scenario = parse_scenario('''
    ... kind: normal_form
    ... title: t
    ... players: {A: {moves: [x, y]}, B: {moves: [u]}}
    ... parameters: {a: 1, b: 2}
    ... payoffs: {"x, u": [a / b, 3], "y, u": ["max(a, b)", a - b]}
    ... ''')
    >>> payoff_arrays(scenario, {"a": np.array([1.0, 4.0])})[:, :, 0, :]
    array([[[ 0.5,  3. ],
            [ 2. , -1. ]],
    <BLANKLINE>
           [[ 2. ,  3. ],
            [ 4. ,  2. ]]])
    >>> payoff_arrays(scenario, {"b": np.array([1.0, 0.0])})
    Traceback (most recent call last):
    ...
    sim.errors.SimError: the payoff of A at (x, u), 'a / b', cannot be evaluated at draw 1 \
(a = 1.0, b = 0.0): division by zero: b is 0 here; narrow the distribution of b, or change \
the formula, so that it is defined at every value the parameters can take
    """
    env, n = _environment(scenario, values, size)
    _check_chance(scenario, env, n, first_draw)
    codes = [_compile(text) for row in scenario.formulas for text in row]
    table = np.empty((n, len(codes)), dtype=np.float64)
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            for k, code in enumerate(codes):
                table[:, k] = code(env, None)
        limit = _limit()
        if not (table.max(initial=0.0) < limit and table.min(initial=0.0) > -limit):
            raise FloatingPointError
    except FloatingPointError:
        _raise_first_failure(scenario, env, n, codes, first_draw)
    game = scenario.game
    return table.reshape((n, *game.shape, game.n_players))


def draw_payoffs(
    scenario: Scenario, seed: int, block: int, size: int = BLOCK_SIZE
) -> tuple[dict[str, Array], Array]:
    """:func:`sample_parameters` and :func:`payoff_arrays` of one block, together.

    Parameters
    ----------
    scenario, seed, block, size
        As for :func:`sample_parameters`.

    Returns
    -------
    tuple
        ``(values, payoffs)``: parameter name -> array of shape ``(size,)``, and payoffs of
        shape ``(size, *game.shape, n_players)``.

    Raises
    ------
    SimError
        As :func:`sample_parameters` and :func:`payoff_arrays` do; a failing draw is named
        by its global number ``block * BLOCK_SIZE + i``.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parent.parent
    >>> london = load(root / "scenarios" / "london_talks.yaml")
    >>> values, payoffs = draw_payoffs(london, seed=1, block=3, size=4)
    >>> payoffs[:, 0, 1, 1]  # China's payoff at (ease, restrict) is v_cn = 5 in every draw
    array([5., 5., 5., 5.])
    """
    values = sample_parameters(scenario, seed, block, size)
    return values, payoff_arrays(scenario, values, size=size, first_draw=block * BLOCK_SIZE)


def tree_arrays(
    scenario: Scenario, values: Mapping[str, Any], *, size: int | None = None
) -> tuple[dict[int, Array], dict[int, Array]]:
    """A sequential scenario's terminal payoffs and chance probabilities at every draw.

    ``values`` and ``size`` are as for :func:`payoff_arrays` (which must already have
    accepted the draws: it checks formulas and chance probabilities). Returns
    ``(payoffs, probabilities)``: terminal node -> float64 array ``(N, n_players)`` and
    chance node -> ``(N, outcomes)``.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parent.parent
    >>> snap = load(root / "scenarios" / "london_snap_back.yaml")
    >>> payoffs, _ = tree_arrays(snap, {"a_us": np.array([0.0, 3.0])})
    >>> accept = [n.name for n in snap.tree.nodes].index("us_after_token/accept")
    >>> payoffs[accept][:, 0]  # the US's payoff for accepting token approvals: -a_us
    array([ 0., -3.])
    """
    tree = scenario.tree
    if tree is None:
        raise SimError(f"{scenario.name} is not a game tree (kind: {scenario.kind})")
    env, n = _environment(scenario, values, size)

    def columns(expressions: Sequence[Expression]) -> Array:
        with np.errstate(all="ignore"):
            return np.stack(
                [
                    np.broadcast_to(np.asarray(_compile(e.text)(env, None), float), (n,))
                    for e in expressions
                ],
                axis=1,
            )

    payoffs = {}
    for index in tree.terminals:
        expressions = tree.payoff_expressions.get(index)
        if expressions is None:
            row = np.array([float(v) for v in tree.nodes[index].payoffs])
            payoffs[index] = np.broadcast_to(row, (n, len(row)))
        else:
            payoffs[index] = columns(expressions)
    probabilities = {}
    for index, node in enumerate(tree.nodes):
        if node.kind != "chance":
            continue
        expressions = tree.probability_expressions.get(index)
        if expressions is None:
            row = np.array([float(p) for p in node.probabilities])
            probabilities[index] = np.broadcast_to(row, (n, len(row)))
        else:
            probabilities[index] = columns(expressions)
    return payoffs, probabilities


def _environment(
    scenario: Scenario, values: Mapping[str, Any], size: int | None
) -> tuple[dict[str, Operand], int]:
    """Parameter name -> float64 array (varies by draw) or scalar (constant); and N."""
    known = {p.name: p for p in scenario.parameters}
    for name in values:
        if name not in known:
            listing = ", ".join(known) or "none"
            raise SimError(f"unknown parameter {name!r}; parameters are: {listing}")
    env: dict[str, Operand] = {}
    lengths: dict[str, int] = {}
    for name, parameter in known.items():
        if name not in values:
            env[name] = np.float64(float(parameter.value))
            continue
        array = np.asarray(values[name], dtype=np.float64)
        if array.ndim > 1:
            raise SimError(f"values of {name} have shape {array.shape}; give one value per draw")
        if array.ndim == 1:
            lengths[name] = len(array)
        if array.ndim == 0 or (array.strides == (0,) and len(array)):
            env[name] = np.float64(array.reshape(-1)[0])
            if not math.isfinite(env[name]):
                raise SimError(f"parameter {name} is {float(env[name])}; give finite values")
        else:
            if not np.isfinite(array).all():
                first = int(np.flatnonzero(~np.isfinite(array))[0])
                raise SimError(
                    f"parameter {name} is {array[first]} at draw {first}; give finite values"
                )
            env[name] = array
    if size is not None:
        lengths["size"] = operator.index(size)
    sizes = set(lengths.values())
    if len(sizes) > 1:
        shown = ", ".join(f"{k}: {v}" for k, v in lengths.items())
        raise SimError(f"parameter arrays have different lengths ({shown}); give one per draw")
    return env, sizes.pop() if sizes else 1


def _raise_first_failure(
    scenario: Scenario,
    env: Mapping[str, Operand],
    n: int,
    codes: list[Code],
    first_draw: int,
) -> NoReturn:
    """Find the first draw where some payoff fails and raise a SimError that explains it."""
    failing: list[tuple[int, int]] = []  # (draw, cell)
    with np.errstate(all="ignore"):
        for k, code in enumerate(codes):
            bad = np.zeros(n, dtype=bool)
            result = np.broadcast_to(code(env, bad), (n,))
            bad |= ~(np.abs(result) < _limit())
            if bad.any():
                failing.append((int(np.flatnonzero(bad)[0]), k))
    if not failing:  # pragma: no cover (a floating-point flag without a non-finite value)
        raise SimError("a payoff could not be evaluated at some draw; please report this")
    draw, cell = min(failing)
    game = scenario.game
    profile = tuple(int(i) for i in np.unravel_index(cell // game.n_players, game.shape))
    player = cell % game.n_players
    text = scenario.formulas[cell // game.n_players][player]
    expression = parse_expression(text)
    names = sorted(expression.names)
    at = {name: _value_at(env[name], draw) for name in names}
    try:
        exact = evaluate(expression, at)
        detail = f"the result {exact!r} is too large or not a finite number"
    except ExpressionError as err:
        detail = err.message
    varying = [name for name in names if isinstance(env[name], np.ndarray)]
    shown = ", ".join(f"{name} = {at[name]!r}" for name in names)
    if varying:
        plural = "s" if len(varying) > 1 else ""
        fix = (
            f"narrow the distribution{plural} of {', '.join(varying)}, or change the formula, "
            "so that it is defined at every value the parameters can take"
        )
    elif names:
        fix = "change the parameter values or the formula"
    else:
        fix = "change the formula"
    raise SimError(
        f"the payoff of {game.players[player]} at ({', '.join(game.profile_names(profile))}), "
        f"{text!r}, cannot be evaluated at draw {first_draw + draw}"
        f"{f' ({shown})' if shown else ''}: {detail}; {fix}"
    )


def _check_chance(scenario: Scenario, env: Mapping[str, Operand], n: int, first_draw: int) -> None:
    """Raise a SimError at the first draw where a chance node's probabilities, which are
    formulas over the parameters, are not a distribution (each in [0, 1], summing to 1)."""
    tree = scenario.tree
    if tree is None:
        return
    for index, expressions in tree.probability_expressions.items():
        names = sorted({name for e in expressions for name in e.names})
        if not any(isinstance(env[name], np.ndarray) for name in names):
            continue  # constant: checked when the scenario was loaded
        with np.errstate(all="ignore"):
            rows = [
                np.broadcast_to(np.asarray(_compile(e.text)(env, None), float), (n,))
                for e in expressions
            ]
        probabilities = np.stack(rows)
        slack = 1e-9
        bad = ~(
            (probabilities >= -slack).all(axis=0)
            & (probabilities <= 1 + slack).all(axis=0)
            & (np.abs(probabilities.sum(axis=0) - 1) <= slack)
        )
        if bad.any():
            draw = int(np.flatnonzero(bad)[0])
            shown = ", ".join(f"{name} = {_value_at(env[name], draw)!r}" for name in names)
            values = ", ".join(
                f"{outcome}: {float(p[draw]):.6g}"
                for outcome, p in zip(tree.nodes[index].moves, probabilities, strict=True)
            )
            varying = [name for name in names if isinstance(env[name], np.ndarray)]
            raise SimError(
                f"chance node {tree.nodes[index].name!r}: at draw {first_draw + draw} "
                f"({shown}) its probabilities are {values}, not a distribution; narrow the "
                f"distribution of {', '.join(varying)} so that every probability stays in "
                "[0, 1] and they add up to 1"
            )


def _value_at(value: Operand, draw: int) -> float:
    return float(value[draw]) if isinstance(value, np.ndarray) else float(value)


# ----------------------------------------------------------------------------- compiling
@functools.lru_cache(maxsize=4096)
def _compile(text: str) -> Code:
    """The payoff formula ``text`` as a function of (environment, bad-draw mask).

    The function returns an array (one value per draw) or a float64 scalar when the result
    is the same in every draw. With a mask it also marks the draws where any step is not
    finite (numpy's floating-point errors must then be ignored, not raised).
    """
    expression = parse_expression(text)
    return _node(expression.tree, expression)


def _node(node: ast.expr, expression: Expression) -> Code:
    if not _has_names(node):
        try:
            value = evaluate(Expression(expression.text, node, frozenset()), {})
        except ExpressionError:  # fails at every draw; payoff_arrays explains it at draw 0
            return _undefined
        folded = np.float64(float(value))
        return lambda env, bad: folded
    match node:
        case ast.Name(id=name):
            return lambda env, bad: env[name]
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _node(operand, expression)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return _apply(np.negative, [_node(operand, expression)])
        case ast.BinOp(left=left, op=op, right=right):
            return _apply(_UFUNCS[type(op)], [_node(left, expression), _node(right, expression)])
        case ast.Call(func=ast.Name(id="abs"), args=[arg]):
            return _apply(np.absolute, [_node(arg, expression)])
        case ast.Call(func=ast.Name(id=name), args=args) if name in ("min", "max"):
            ufunc = np.minimum if name == "min" else np.maximum
            code = _node(args[0], expression)
            for arg in args[1:]:
                code = _apply(ufunc, [code, _node(arg, expression)])
            return code
    raise SimError(f"cannot compile {ast.dump(node)}")  # pragma: no cover (parse checks)


_UFUNCS: dict[type[ast.operator], np.ufunc] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.Pow: np.power,
}


def _apply(ufunc: np.ufunc, args: list[Code]) -> Code:
    if len(args) == 1:
        (inner,) = args

        def unary(env: Mapping[str, Operand], bad: Bad) -> Operand:
            return _checked(ufunc(inner(env, bad)), bad)

        return unary
    left, right = args

    def binary(env: Mapping[str, Operand], bad: Bad) -> Operand:
        return _checked(ufunc(left(env, bad), right(env, bad)), bad)

    return binary


def _undefined(env: Mapping[str, Operand], bad: Bad) -> Operand:
    """A part made only of numbers that cannot be evaluated (such as ``0 ** -1``)."""
    if bad is None:
        raise FloatingPointError
    bad[:] = True
    return np.float64(np.nan)


def _checked(result: Operand, bad: Bad) -> Operand:
    if bad is not None:
        bad |= ~np.isfinite(result)
    return result


def _has_names(node: ast.AST) -> bool:
    return any(
        isinstance(child, ast.Name) and child.id not in ("min", "max", "abs")
        for child in ast.walk(node)
    )
