"""Flip thresholds: the parameter values where the equilibrium structure changes.

For one parameter ``t`` swept over ``[low, high]`` (the others fixed), :func:`thresholds`
splits the range into points and open intervals on which the
:class:`~sim.analysis.structure.Structure` is constant, and says where each pure profile is
an equilibrium, what type the game is and when mixed equilibria exist, in sentences such as
"(ease, raise) is an equilibrium exactly when g_us ≥ 2 (swept range 0 to 4)".

Method, in steps (``method == "polynomial"``):

1. **Is every payoff a polynomial in t?** Decided from each payoff's syntax tree: numbers,
   names, ``+ - *``, division by a t-free expression, and ``**`` with a constant
   non-negative integer exponent are polynomial; ``min``, ``max`` and ``abs`` of t-dependent
   arguments, t in a denominator or an exponent are not. The degree is bounded the same way.
2. **Each payoff's polynomial, exactly**, by interpolation in rational arithmetic at
   ``degree + 1`` values of t (and checked at one more).
3. **Critical polynomials**, whose zeros contain every value where the structure can change.
   A two-player game is degenerate only if some mixed strategy on ``k`` moves has ``k + 1``
   pure best responses, that is only if one of the determinants of the ``(k+1) x (k+1)``
   matrices ``[B[I, J]; 1 ... 1]`` (the rows ``B[i, J]`` for ``i`` in a set ``I`` of ``k`` rows,
   ``J`` a set of ``k + 1`` columns, plus a row of ones) or of their mirror images for ``A``
   is zero; away from degenerate games equilibria move continuously and cannot appear,
   vanish or change support. For ``k = 1`` these are the payoff differences a player
   compares. A 2x2 game's type also depends on the comparisons listed in
   :func:`~sim.analysis.structure.classification_margin`, so for 2x2 games the differences
   between any two of a player's payoffs and the two risk-dominance products are added.
   Games with more players are solved for pure equilibria only, which change only where a
   player's payoffs at two of its own moves tie: those differences are the critical
   polynomials.
4. **Their real roots in [low, high]**: exact for degree 1 and for degree 2 with a rational
   square discriminant; otherwise isolated with Sturm sequences and bisected in exact
   rational arithmetic to within :data:`WIDTH` (times ``max(1, |low|, |high|)``); a root is
   still reported exactly when the simplest fraction in its final interval is a root.
5. **Solve** once at each exact root and once strictly inside each interval between
   consecutive roots, and at both ends. Roots where nothing changes are dropped.

When step 1 fails, payoffs are not exact numbers, a degeneracy determinant is identically
zero (the game is degenerate for every t, so step 3's argument does not apply), or the
work would be too large (more than :data:`MAX_CRITICAL` critical polynomials, or degree
above :data:`MAX_DEGREE`), the method is ``"bisection"``: the structure is computed on a
grid of ``grid`` exact values and every change between neighbouring grid values is
bisected in exact arithmetic to within :data:`WIDTH`. Such thresholds are approximate, and
changes closer together than the grid step can be missed; ``reason`` says why.

The value of an approximate threshold is shown as ``≈3.414213562``; the structure exactly
there is not computed (``at`` is None).

>>> from pathlib import Path
>>> from sim.scenario import load
>>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
>>> result = thresholds(london.with_parameters(g_cn=4), "g_us", 0, 4)
>>> [(str(t.value), t.exact) for t in result.thresholds]
[('2', True)]
>>> print(result.sentences()[0])
(ease_chip_controls, raise_re_exports) is an equilibrium exactly when g_us ≥ 2 (swept range 0 to 4).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, pairwise, product
from typing import Any

from sim.analysis.structure import Structure, profile_text, structure
from sim.analysis.sweep import axis
from sim.errors import SimError, SolverError
from sim.expression import FUNCTIONS
from sim.game import Game, Value, exact_text
from sim.scenario import Scenario
from sim.solvers import solve

__all__ = [
    "MAX_CRITICAL",
    "MAX_DEGREE",
    "MAX_REPORT_PROFILES",
    "WIDTH",
    "Threshold",
    "Thresholds",
    "flip_thresholds",
    "thresholds",
]

WIDTH = Fraction(1, 10**12)
"""Width to which approximate thresholds are bisected (times ``max(1, |low|, |high|)``).

Small enough that the 10 significant digits shown for an approximate threshold are right."""
MAX_CRITICAL = 20_000
"""Largest number of critical polynomials computed before falling back to bisection."""
MAX_DEGREE = 24
"""Largest payoff degree in the parameter handled by the polynomial method."""
MAX_HALVINGS = 4096
"""Most halvings spent separating an approximate root from an exact candidate."""
MAX_REPORT_PROFILES = 36
"""Largest game (pure profiles) for which :func:`flip_thresholds` runs (reports stay fast)."""
DEFAULT_GRID = 201
"""Grid values used by the bisection method."""

Poly = tuple[Fraction, ...]
"""A polynomial by its coefficients, constant term first, without trailing zeros."""


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class Threshold:
    """A value of the parameter where the equilibrium structure changes.

    Attributes
    ----------
    parameter : str
        The swept parameter.
    value : Fraction or float
        The threshold: a Fraction when exact, else a float within the width of the bisection.
    exact : bool
        True when ``value`` is the threshold exactly.
    bounds : (Fraction, Fraction)
        An interval known to contain the threshold (``(value, value)`` when exact).
    before, at, after : Structure
        The structure just below, exactly at, and just above the threshold. ``at`` is None
        for an approximate threshold, except that the bisection method records there the
        structure it saw at the single point where two changes meet.
    """

    parameter: str
    value: Fraction | float
    exact: bool
    bounds: tuple[Fraction, Fraction]
    before: Structure
    at: Structure | None
    after: Structure

    def text(self) -> str:
        """The value for people: ``"2"``, ``"5/2"`` or ``"≈3.414213562"``.

        >>> s = Structure((), 1, False, None)
        >>> Threshold("t", Fraction(5, 2), True, (Fraction(5, 2),) * 2, s, s, s).text()
        '5/2'
        """
        return _number_text(self.value, self.exact)

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: the value (float, and exact string when exact) and the structures."""
        return {
            "parameter": self.parameter,
            "value": float(self.value),
            "exact_value": exact_text(self.value) if self.exact else None,
            "exact": self.exact,
            "text": self.text(),
            "bounds": [float(b) for b in self.bounds],
            "before": self.before.to_dict(game),
            "at": self.at.to_dict(game) if self.at is not None else None,
            "after": self.after.to_dict(game),
        }


@dataclass(frozen=True)
class Thresholds:
    """The result of :func:`thresholds`: the swept range split where the structure changes.

    ``intervals[k]`` is the structure on the open interval between threshold ``k - 1`` (or
    ``low``) and threshold ``k`` (or ``high``); ``start`` and ``end`` are the structures at
    ``low`` and ``high`` themselves.
    """

    game: Game = field(repr=False)
    parameter: str
    low: Fraction
    high: Fraction
    method: str
    reason: str
    thresholds: tuple[Threshold, ...]
    intervals: tuple[Structure, ...]
    start: Structure
    end: Structure

    def structure_at(self, value: Value | int) -> Structure | None:
        """The structure the result claims at a value in ``[low, high]``.

        None when the value lies within the uncertainty interval of an approximate
        threshold (within the bisection width of it).

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
        >>> result = thresholds(london, "g_us", 0, 4)
        >>> [result.structure_at(x).game_type for x in (1, 2, 3)]
        ["prisoner's dilemma", 'degenerate', 'one-sided dominance']
        """
        x = Fraction(value) if isinstance(value, int | Fraction) else Fraction(float(value))
        if not self.low <= x <= self.high:
            raise SimError(
                f"{self.parameter} = {_number_text(value, True)} is outside the swept range "
                f"{_range_text(self.low, self.high)}"
            )
        if x == self.low:
            return self.start
        if x == self.high:
            return self.end
        for k, threshold in enumerate(self.thresholds):
            lo, hi = threshold.bounds
            if threshold.exact and x == lo:
                return threshold.at
            if not threshold.exact and lo <= x <= hi:
                return None
            if x < lo:
                return self.intervals[k]
        return self.intervals[-1]

    def pieces(self) -> tuple[tuple[Fraction, Fraction, Structure | None], ...]:
        """The range as consecutive pieces ``(lo, hi, structure)``.

        A piece with ``lo == hi`` is a point (the structure there; None at an approximate
        threshold, with ``lo``/``hi`` its bounds); otherwise it is the open interval
        ``(lo, hi)``.
        """
        out: list[tuple[Fraction, Fraction, Structure | None]] = [(self.low, self.low, self.start)]
        previous = self.low
        for k, threshold in enumerate(self.thresholds):
            lo, hi = threshold.bounds
            out.append((previous, lo, self.intervals[k]))
            out.append((lo, hi, threshold.at) if threshold.exact else (lo, hi, None))
            previous = hi
        out.append((previous, self.high, self.intervals[-1]))
        out.append((self.high, self.high, self.end))
        return tuple(out)

    def sentences(self) -> tuple[str, ...]:
        """The thresholds in words: per pure equilibrium, per game type, mixed, continua.

        See the module docstring for an example.
        """
        game = self.game
        known = [s for _, _, s in self.pieces() if s is not None]
        range_note = f"(swept range {_range_text(self.low, self.high)})"
        if len(set(known)) == 1:
            return (
                f"The equilibrium structure is the same for every {self.parameter} in the "
                f"swept range {_range_text(self.low, self.high)}: {known[0].label(game)}.",
            )
        out = []
        profiles = sorted({p for s in known for p in s.pure})
        for profile in profiles:
            when = self._when(lambda s, p=profile: p in s.pure)  # type: ignore[misc]
            out.append(f"{profile_text(game, profile)} is an equilibrium {when} {range_note}.")
        for kind in dict.fromkeys(s.game_type for s in known if s.game_type is not None):
            when = self._when(lambda s, k=kind: s.game_type == k)  # type: ignore[misc]
            out.append(f"The game {_TYPE_PHRASES[kind]} {when} {range_note}.")
        if any(s.mixed for s in known):
            when = self._when(lambda s: bool(s.mixed))
            out.append(f"There is a mixed equilibrium {when} {range_note}.")
        if any(s.continuum for s in known):
            when = self._when(lambda s: s.continuum)
            out.append(f"The equilibria include a continuum {when} {range_note}.")
        return tuple(out)

    def _when(self, holds: Callable[[Structure], bool]) -> str:
        """``"exactly when t ≥ 2"`` (or ``"never"``, ``"for every t"``) for a property."""
        runs = list(_runs(self.pieces(), holds))
        t = self.parameter
        if not runs:
            return "never"
        parts = []
        for lo, lo_closed, hi, hi_closed in runs:
            left = not (lo == self.low and lo_closed)
            right = not (hi == self.high and hi_closed)
            if not left and not right:
                return f"for every {t}"
            lo_text = _bound_text(lo, lo_closed)
            hi_text = _bound_text(hi, hi_closed)
            if lo == hi:
                parts.append(f"{t} = {lo_text}")
            elif left and right:
                parts.append(
                    f"{lo_text} {'≤' if lo_closed else '<'} {t} {'≤' if hi_closed else '<'} "
                    f"{hi_text}"
                )
            elif left:
                parts.append(f"{t} {'≥' if lo_closed else '>'} {lo_text}")
            else:
                parts.append(f"{t} {'≤' if hi_closed else '<'} {hi_text}")
        return "exactly when " + " or ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the range, method, thresholds, structures per interval, sentences."""
        game = self.game
        return {
            "parameter": self.parameter,
            "low": float(self.low),
            "high": float(self.high),
            "exact_low": exact_text(self.low),
            "exact_high": exact_text(self.high),
            "method": self.method,
            "reason": self.reason,
            "thresholds": [t.to_dict(game) for t in self.thresholds],
            "start": self.start.to_dict(game),
            "intervals": [s.to_dict(game) for s in self.intervals],
            "end": self.end.to_dict(game),
            "sentences": list(self.sentences()),
        }


_TYPE_PHRASES = {
    "prisoner's dilemma": "is a prisoner's dilemma",
    "harmony": "is a harmony game",
    "one-sided dominance": "has one-sided dominance",
    "stag hunt": "is a stag hunt",
    "coordination": "is a coordination game",
    "chicken": "is a chicken game",
    "battle of the sexes": "is a battle of the sexes",
    "matching pennies": "is a matching-pennies game",
    "degenerate": "is degenerate",
}
"""How sentences say that the game is of each type."""


def _number_text(value: Value | int, exact: bool) -> str:
    if exact and isinstance(value, int | Fraction):
        return str(Fraction(value))
    return f"≈{float(value):.10g}"


def _range_text(low: Fraction, high: Fraction) -> str:
    return f"{exact_text(low)} to {exact_text(high)}"


def _bound_text(value: Fraction | float, closed: bool | None) -> str:
    return _number_text(value, closed is not None)


def _runs(
    pieces: Sequence[tuple[Fraction, Fraction, Structure | None]],
    holds: Callable[[Structure], bool],
) -> Iterator[tuple[Fraction | float, bool | None, Fraction | float, bool | None]]:
    """Maximal runs of pieces where a property holds: ``(lo, lo_closed, hi, hi_closed)``.

    ``lo_closed`` is True when the run includes ``lo``, False when it does not, and None
    when ``lo`` is an approximate threshold (its value is then a float). At an approximate
    threshold the property is taken to hold when it holds on both sides (for "profile p is
    an equilibrium" this is exact: the set of equilibria is closed).
    """
    flags = []
    for k, (_, _, found) in enumerate(pieces):
        if found is None:
            left, right = pieces[k - 1][2], pieces[k + 1][2]
            flags.append(left is not None and right is not None and holds(left) and holds(right))
        else:
            flags.append(holds(found))

    def edge(k: int, side: int) -> tuple[Fraction | float, bool | None]:
        lo, hi, _ = pieces[k]
        if lo == hi:  # an exact point
            return lo, True
        n_lo, n_hi, neighbour = pieces[k + side]
        value = lo if side < 0 else hi
        if neighbour is None:  # next to an approximate threshold
            return float((n_lo + n_hi) / 2), None
        return value, False

    k = 0
    while k < len(pieces):
        if not flags[k]:
            k += 1
            continue
        j = k
        while j + 1 < len(pieces) and flags[j + 1]:
            j += 1
        yield (*edge(k, -1), *edge(j, 1))
        k = j + 1


# ------------------------------------------------------------------------ driver
def thresholds(
    scenario: Scenario,
    parameter: str,
    low: Value | int | str,
    high: Value | int | str,
    *,
    grid: int = DEFAULT_GRID,
) -> Thresholds:
    """Find where the equilibrium structure changes as one parameter moves over a range.

    Parameters
    ----------
    scenario : Scenario
        The scenario; the other parameters keep their values.
    parameter : str
        The parameter to move.
    low, high : number or str
        The range (``low < high``); exact numbers, floats read as the decimal they print
        as, or strings such as ``"2/3"``.
    grid : int
        Number of grid values for the bisection method (at least 3).

    Returns
    -------
    Thresholds
        The thresholds, the structure on each interval, and :meth:`Thresholds.sentences`.

    Examples
    --------
    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> chicken_china = london.with_parameters(z_cn=6)
    >>> result = thresholds(chicken_china, "z_us", 0, 4)
    >>> [t.value for t in result.thresholds]  # c_us + s_us = 3
    [Fraction(3, 1)]
    >>> result.intervals[1].game_type
    'chicken'
    """
    checked = axis(scenario, (parameter, low, high, 2))
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 3:
        raise SimError(f"grid must be a whole number of at least 3 values, got {grid!r}")
    lo, hi = checked.low, checked.high
    game = scenario.game

    def solve_at(value: Fraction) -> Structure:
        try:
            varied = scenario.with_parameters(**{parameter: value})
        except SimError as err:
            raise SimError(f"cannot solve at {parameter} = {exact_text(value)}: {err}") from err
        return structure(solve(varied.game))

    candidates, reason = _critical_roots(scenario, parameter, lo, hi)
    if candidates is None:
        found = _bisect_grid(solve_at, parameter, lo, hi, grid)
        return Thresholds(game, parameter, lo, hi, "bisection", reason, *found)
    return Thresholds(
        game, parameter, lo, hi, "polynomial", "", *_scan(solve_at, parameter, lo, hi, candidates)
    )


def _scan(
    solve_at: Callable[[Fraction], Structure],
    parameter: str,
    low: Fraction,
    high: Fraction,
    roots: list[_Root],
) -> tuple[tuple[Threshold, ...], tuple[Structure, ...], Structure, Structure]:
    """Solve at each root and between them; keep the roots where something changes."""
    start, end = solve_at(low), solve_at(high)
    gaps = [low, *[x for r in roots for x in (r.lo, r.hi)], high]
    between = [
        solve_at(_simplest_inside(gaps[2 * k], gaps[2 * k + 1])) for k in range(len(roots) + 1)
    ]
    kept: list[Threshold] = []
    intervals = [between[0]]
    for k, root in enumerate(roots):
        before, after = intervals[-1], between[k + 1]
        at = solve_at(root.lo) if root.exact else None
        if before == after and (at is None or at == before):
            continue
        value: Fraction | float = root.lo if root.exact else float((root.lo + root.hi) / 2)
        kept.append(Threshold(parameter, value, root.exact, (root.lo, root.hi), before, at, after))
        intervals.append(after)
    return tuple(kept), tuple(intervals), start, end


def _bisect_grid(
    solve_at: Callable[[Fraction], Structure],
    parameter: str,
    low: Fraction,
    high: Fraction,
    grid: int,
) -> tuple[tuple[Threshold, ...], tuple[Structure, ...], Structure, Structure]:
    """The bisection method: structure changes between grid values, bisected exactly.

    Each change is narrowed to a bracket ``(x, y]`` no wider than the bisection width with
    one structure at ``x`` and another at ``y``. Brackets that touch (a structure seen at
    a single point ``m`` between two changes) become one threshold at ``m`` whose ``at``
    is the structure seen there. A change within a bracket at either end of the range is
    not a threshold: it says the structure at that end differs from its neighbourhood.
    """
    step = (high - low) / (grid - 1)
    values = [low + k * step for k in range(grid)]
    found = [solve_at(v) for v in values]
    width = _width(low, high)
    brackets: list[tuple[Fraction, Structure, Fraction, Structure]] = []

    def bisect(x: Fraction, sx: Structure, y: Fraction, sy: Structure) -> None:
        while y - x > width:
            mid = _simplest_inside(x + (y - x) / 4, y - (y - x) / 4, closed=True)
            sm = solve_at(mid)
            if sm == sx:
                x = mid
            elif sm == sy:
                y = mid
            else:  # a third structure: a change on each side of mid
                bisect(x, sx, mid, sm)
                x, sx = mid, sm
        brackets.append((x, sx, y, sy))

    for k in range(grid - 1):
        if found[k] != found[k + 1]:
            bisect(values[k], found[k], values[k + 1], found[k + 1])
    merged: list[list[Any]] = []  # [lo, before, middle, touch, hi, after]
    for x, sx, y, sy in brackets:
        if merged and merged[-1][4] == x:
            merged[-1][2:] = [sx, x, y, sy]
        else:
            merged.append([x, sx, None, None, y, sy])
    kept = []
    first = found[0]
    for lo, before, middle, touch, hi, after in merged:
        if lo == low:
            first = after
            continue
        if hi == high:
            continue
        value = float(touch) if touch is not None else float((lo + hi) / 2)
        kept.append(Threshold(parameter, value, False, (lo, hi), before, middle, after))
    intervals = (kept[0].before, *(t.after for t in kept)) if kept else (first,)
    return tuple(kept), intervals, found[0], found[-1]


# ---------------------------------------------------------------------- polynomials
def _trim(coefficients: Sequence[Fraction]) -> Poly:
    out = list(coefficients)
    while out and out[-1] == 0:
        out.pop()
    return tuple(out)


def _evaluate(p: Poly, x: Fraction) -> Fraction:
    total = Fraction(0)
    for c in reversed(p):
        total = total * x + c
    return total


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def _subtract(p: Poly, q: Poly) -> Poly:
    size = max(len(p), len(q))
    return _trim(
        [
            (p[k] if k < len(p) else Fraction(0)) - (q[k] if k < len(q) else Fraction(0))
            for k in range(size)
        ]
    )


def _multiply(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return ()
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return _trim(out)


def _derivative(p: Poly) -> Poly:
    return _trim([k * c for k, c in enumerate(p)][1:])


def _remainder(p: Poly, q: Poly) -> Poly:
    """The remainder of ``p`` divided by ``q`` (``q`` nonzero)."""
    out = list(p)
    while len(out) >= len(q):
        factor = out[-1] / q[-1]
        shift = len(out) - len(q)
        for k, c in enumerate(q):
            out[shift + k] -= factor * c
        out.pop()
        out = list(_trim(out))
    return tuple(out)


def _quotient(p: Poly, q: Poly) -> Poly:
    """The quotient of an exact division ``p / q``."""
    out = [Fraction(0)] * (len(p) - len(q) + 1)
    rest = list(p)
    for shift in range(len(out) - 1, -1, -1):
        factor = rest[shift + len(q) - 1] / q[-1]
        out[shift] = factor
        for k, c in enumerate(q):
            rest[shift + k] -= factor * c
    return _trim(out)


def _monic(p: Poly) -> Poly:
    return tuple(c / p[-1] for c in p)


def _gcd(p: Poly, q: Poly) -> Poly:
    while q:
        p, q = q, _remainder(p, q)
    return _monic(p)


def _square_free(p: Poly) -> Poly:
    """``p`` divided by ``gcd(p, p')``: the same roots, each simple."""
    g = _gcd(p, _derivative(p))
    return _monic(_quotient(p, g)) if len(g) > 1 else _monic(p)


def _interpolate(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> Poly:
    """The polynomial of degree < len(xs) through the points (Newton's divided differences)."""
    table = list(ys)
    n = len(xs)
    for level in range(1, n):
        for i in range(n - 1, level - 1, -1):
            table[i] = (table[i] - table[i - 1]) / (xs[i] - xs[i - level])
    out: Poly = ()
    for i in range(n - 1, -1, -1):
        out = _subtract(_multiply(out, (-xs[i], Fraction(1))), (-table[i],))
    return out


def _determinant(matrix: list[list[Fraction]]) -> Fraction:
    rows = [list(r) for r in matrix]
    n = len(rows)
    det = Fraction(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
            det = -det
        det *= rows[col][col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            if factor:
                for c in range(col, n):
                    rows[r][c] -= factor * rows[col][c]
    return det


# -------------------------------------------------------------------- roots
@dataclass
class _Root:
    """A root of ``poly`` known to lie in ``[lo, hi]`` (exact when ``lo == hi``)."""

    lo: Fraction
    hi: Fraction
    poly: Poly = ()

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def halve(self) -> None:
        """Halve the interval, keeping the sign change (or land exactly on the root)."""
        mid = (self.lo + self.hi) / 2
        value = _evaluate(self.poly, mid)
        if value == 0:
            self.lo = self.hi = mid
        elif _sign(value) == _sign(_evaluate(self.poly, self.lo)):
            self.lo = mid
        else:
            self.hi = mid

    def cut(self, point: Fraction) -> None:
        """Exclude an exact point from the open interval (or become exact at it)."""
        if self.exact or not self.lo < point < self.hi:
            return
        value = _evaluate(self.poly, point)
        if value == 0:
            self.lo = self.hi = point
        elif _sign(value) == _sign(_evaluate(self.poly, self.lo)):
            self.lo = point
        else:
            self.hi = point


def _sturm(p: Poly) -> list[Poly]:
    chain = [p, _derivative(p)]
    while len(chain[-1]) > 1:
        rest = _remainder(chain[-2], chain[-1])
        if not rest:
            break
        scale = abs(rest[-1])
        chain.append(tuple(-c / scale for c in rest))
    return chain


def _changes(chain: Sequence[Poly], x: Fraction) -> int:
    signs = [s for s in (_sign(_evaluate(p, x)) for p in chain) if s != 0]
    return sum(1 for a, b in pairwise(signs) if a != b)


def _rational_sqrt(x: Fraction) -> Fraction | None:
    if x < 0:
        return None
    top, bottom = math.isqrt(x.numerator), math.isqrt(x.denominator)
    if top * top == x.numerator and bottom * bottom == x.denominator:
        return Fraction(top, bottom)
    return None


def _roots(p: Poly, low: Fraction, high: Fraction, width: Fraction) -> list[_Root]:
    """The distinct real roots of a nonzero polynomial in ``[low, high]``."""
    if len(p) <= 1:
        return []
    if len(p) == 2:
        root = -p[0] / p[1]
        return [_Root(root, root)] if low <= root <= high else []
    if len(p) == 3:
        c, b, a = p
        disc = _rational_sqrt(b * b - 4 * a * c)
        if disc is not None:
            values = {(-b - disc) / (2 * a), (-b + disc) / (2 * a)}
            return [_Root(r, r) for r in sorted(values) if low <= r <= high]
    q = _square_free(p)
    out: list[_Root] = []
    for end in (low, high):
        if _evaluate(q, end) == 0:
            out.append(_Root(end, end))
            q = _quotient(q, (-end, Fraction(1)))
    out.extend(_isolate(q, low, high, width))
    return sorted(out, key=lambda r: r.lo)


def _isolate(q: Poly, low: Fraction, high: Fraction, width: Fraction) -> list[_Root]:
    """Roots of a square-free ``q`` with ``q(low), q(high) != 0`` inside ``(low, high)``."""
    if len(q) <= 1:
        return []
    chain = _sturm(q)
    out: list[_Root] = []
    stack = [(low, high)]
    while stack:
        a, b = stack.pop()
        count = _changes(chain, a) - _changes(chain, b)
        if count == 0:
            continue
        if count == 1:
            root = _Root(a, b, q)
            while not root.exact and root.hi - root.lo > width:
                root.halve()
            if not root.exact:
                simplest = _simplest_inside(root.lo, root.hi, closed=True)
                if _evaluate(q, simplest) == 0:
                    root = _Root(simplest, simplest)
            out.append(root)
            continue
        mid = (a + b) / 2
        if _evaluate(q, mid) == 0:
            # Deflate and start again on the rest: the mid point is an exact root.
            rest = _quotient(q, (-mid, Fraction(1)))
            return [_Root(mid, mid), *_isolate(rest, low, high, width)]
        stack.extend([(a, mid), (mid, b)])
    return out


def _width(low: Fraction, high: Fraction) -> Fraction:
    return WIDTH * max(Fraction(1), abs(low), abs(high))


def _simplest_inside(low: Fraction, high: Fraction, closed: bool = False) -> Fraction:
    """The fraction with the smallest denominator in ``(low, high)`` (or ``[low, high]``)."""
    if not closed:
        quarter = (high - low) / 4
        low, high = low + quarter, high - quarter
    if low <= 0 <= high:
        return Fraction(0)
    if high < 0:
        return -_simplest_inside(-high, -low, closed=True)
    whole = low.numerator // low.denominator
    if whole == low:
        return Fraction(whole)
    if whole + 1 <= high:
        return Fraction(whole + 1)
    return whole + 1 / _simplest_inside(1 / (high - whole), 1 / (low - whole), closed=True)


# ------------------------------------------------------------- critical polynomials
def _degree(node: ast.expr, name: str) -> int | None:
    """A bound on the degree in ``name`` of an expression, or None if not a polynomial."""
    match node:
        case ast.Constant():
            return 0
        case ast.Name(id=other):
            return 1 if other == name else 0
        case ast.UnaryOp(operand=operand):
            return _degree(operand, name)
        case ast.BinOp(left=left, op=op, right=right):
            a, b = _degree(left, name), _degree(right, name)
            if a is None or b is None:
                return None
            if isinstance(op, ast.Add | ast.Sub):
                return max(a, b)
            if isinstance(op, ast.Mult):
                return a + b
            if isinstance(op, ast.Div):
                return a if b == 0 else None
            if isinstance(op, ast.Pow):
                if a == 0 and b == 0:
                    return 0
                exponent = _constant_exponent(right)
                return None if exponent is None else a * exponent
        case ast.Call(func=ast.Name(id=function), args=args) if function in FUNCTIONS:
            degrees = [_degree(arg, name) for arg in args]
            return 0 if all(d == 0 for d in degrees) else None
    return None


def _constant_exponent(node: ast.expr) -> int | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return _constant_exponent(node.operand)
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
        value = node.value
        if isinstance(value, int) and value >= 0:
            return value
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return int(value)
    return None


def _payoff_polynomials(
    scenario: Scenario, name: str, low: Fraction, high: Fraction
) -> tuple[list[list[Poly]] | None, str]:
    """Per profile (in :meth:`Game.profiles` order) and player, the payoff polynomial in t."""
    game = scenario.game
    degree = 0
    for profile, row in zip(game.profiles(), scenario._expressions, strict=True):
        for player, expression in enumerate(row):
            d = _degree(expression.tree, name)
            if d is None:
                return None, (
                    f"the payoff of {game.players[player]} at {profile_text(game, profile)} "
                    f"({expression.text.strip()}) is not a polynomial in {name}"
                )
            degree = max(degree, d)
    if degree > MAX_DEGREE:
        return None, f"payoffs have degree {degree} in {name}, above {MAX_DEGREE}"
    nodes = [low + (high - low) * k / (degree + 1) for k in range(degree + 2)]
    tables = []
    for x in nodes:
        payoffs = scenario.with_parameters(**{name: x}).game.payoffs
        if payoffs.dtype != object:
            return None, f"payoffs are not exact numbers at {name} = {exact_text(x)}"
        tables.append(payoffs)
    out = []
    for profile in game.profiles():
        cells = []
        for player in range(game.n_players):
            ys = [Fraction(t[profile][player]) for t in tables]
            poly = _interpolate(nodes[:-1], ys[:-1])
            if _evaluate(poly, nodes[-1]) != ys[-1]:  # pragma: no cover - a degree bug
                return None, f"the payoffs did not interpolate as polynomials in {name}"
            cells.append(poly)
        out.append(cells)
    return out, ""


def _critical_polynomials(
    game: Game, polys: list[list[Poly]]
) -> tuple[list[Poly] | None, list[Poly], str]:
    """``(degeneracy polynomials, other critical polynomials, reason)``; None when too many."""
    shape = game.shape
    index = {profile: k for k, profile in enumerate(game.profiles())}
    if game.n_players != 2:
        total = math.prod(shape)
        count = sum(total // k * math.comb(k, 2) for k in shape)
        if count > MAX_CRITICAL:
            return None, [], f"{count} critical polynomials, over {MAX_CRITICAL}"
        differences = []
        for player, k in enumerate(shape):
            others = [range(size) if i != player else range(1) for i, size in enumerate(shape)]
            for rest in product(*others):
                for one, other in combinations(range(k), 2):
                    first = (*rest[:player], one, *rest[player + 1 :])
                    second = (*rest[:player], other, *rest[player + 1 :])
                    differences.append(
                        _subtract(polys[index[first]][player], polys[index[second]][player])
                    )
        # Pure equilibria depend only on the signs of these differences: identically zero
        # ones never change sign and are simply left out.
        return [], [d for d in differences if d], ""
    m, n = shape
    a = [[polys[index[(i, j)]][0] for j in range(n)] for i in range(m)]
    b = [[polys[index[(i, j)]][1] for j in range(n)] for i in range(m)]
    count = sum(math.comb(m, k) * math.comb(n, k + 1) for k in range(1, min(m, n - 1) + 1))
    count += sum(math.comb(n, k) * math.comb(m, k + 1) for k in range(1, min(n, m - 1) + 1))
    if count > MAX_CRITICAL:
        return None, [], f"{count} critical polynomials, over {MAX_CRITICAL}"
    degeneracy = _bordered(b, m, n) + _bordered([list(col) for col in zip(*a, strict=True)], n, m)
    extra: list[Poly] = []
    if shape == (2, 2):
        for matrix in (a, b):
            cells = [matrix[i][j] for i in range(2) for j in range(2)]
            extra.extend(_subtract(p, q) for p, q in combinations(cells, 2))
        for (r1, c1), (r2, c2) in (((0, 0), (1, 1)), ((1, 0), (0, 1))):
            risk_1 = _multiply(_subtract(a[r1][c1], a[r2][c1]), _subtract(b[r1][c1], b[r1][c2]))
            risk_2 = _multiply(_subtract(a[r2][c2], a[r1][c2]), _subtract(b[r2][c2], b[r2][c1]))
            extra.append(_subtract(risk_1, risk_2))
    return degeneracy, [e for e in extra if e], ""


def _bordered(matrix: list[list[Poly]], rows: int, columns: int) -> list[Poly]:
    """Determinants of ``[M[I, J]; 1 ... 1]`` for ``|I| = k``, ``|J| = k + 1``, as polynomials."""
    out = []
    for k in range(1, min(rows, columns - 1) + 1):
        degree = k * max((len(p) - 1 for row in matrix for p in row), default=0)
        nodes = [Fraction(x) for x in range(degree + 1)]
        values = {
            (i, j): [_evaluate(matrix[i][j], x) for x in nodes]
            for i in range(rows)
            for j in range(columns)
        }
        for chosen_rows in combinations(range(rows), k):
            for chosen_columns in combinations(range(columns), k + 1):
                if k == 1:
                    (i,) = chosen_rows
                    j0, j1 = chosen_columns
                    out.append(_subtract(matrix[i][j1], matrix[i][j0]))
                    continue
                ys = [
                    _determinant(
                        [[values[(i, j)][s] for j in chosen_columns] for i in chosen_rows]
                        + [[Fraction(1)] * (k + 1)]
                    )
                    for s in range(len(nodes))
                ]
                out.append(_interpolate(nodes, ys))
    return out


def _critical_roots(
    scenario: Scenario, name: str, low: Fraction, high: Fraction
) -> tuple[list[_Root] | None, str]:
    """Candidate thresholds, sorted and separated, or None with the reason to bisect."""
    polys, reason = _payoff_polynomials(scenario, name, low, high)
    if polys is None:
        return None, reason
    degeneracy, extra, reason = _critical_polynomials(scenario.game, polys)
    if degeneracy is None:
        return None, reason
    if any(not d for d in degeneracy):
        return None, (
            f"the game is degenerate for every value of {name} (a tie that does not depend "
            f"on {name})"
        )
    width = _width(low, high)
    distinct = {_monic(p) for p in [*degeneracy, *extra] if len(p) > 1}
    roots = [r for p in sorted(distinct) for r in _roots(p, low, high, width)]
    return _separate(roots, low, high), ""


def _separate(roots: list[_Root], low: Fraction, high: Fraction) -> list[_Root]:
    """Sorted candidates strictly inside ``(low, high)``, with room between them.

    Exact candidates are points. Each approximate one is an interval that contains one
    root of its polynomial and no exact candidate or end point (it is cut at them, or
    becomes exact when one is its root). Approximate intervals that still overlap after
    64 more halvings are merged into one candidate (roots closer than about 2**-64 times
    the bisection width are reported as one).
    """
    exact = {r.lo for r in roots if r.exact}
    pending = [r for r in roots if not r.exact]
    changed = True
    while changed:
        changed = False
        bounds = exact | {low, high}
        for root in pending:
            for point in sorted(bounds):
                root.cut(point)
            for _ in range(MAX_HALVINGS):
                if root.exact or (root.lo not in bounds and root.hi not in bounds):
                    break
                root.halve()
            else:  # pragma: no cover - a root is never that close to a candidate
                raise SolverError(f"could not separate a root near {float(root.lo)!r}")
            if root.exact:
                exact.add(root.lo)
                changed = True
        pending = [r for r in pending if not r.exact]
    pending.sort(key=lambda r: r.lo)
    groups: list[list[_Root]] = []
    for root in pending:
        if groups and max(g.hi for g in groups[-1]) >= root.lo:
            group = groups[-1]
            for _ in range(64):
                if all(g.hi < root.lo for g in group) or root.exact or any(g.exact for g in group):
                    break
                for g in group:
                    g.halve()
                root.halve()
            if root.exact or any(g.exact for g in group):  # found exactly: start again
                return _separate([*(_Root(x, x) for x in exact), *pending], low, high)
            if any(g.hi >= root.lo for g in group):
                group.append(root)
                continue
        groups.append([root])
    out = [_Root(x, x) for x in exact if low < x < high]
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
        else:
            out.append(_Root(min(g.lo for g in group), max(g.hi for g in group)))
    return sorted(out, key=lambda r: r.lo)


def flip_thresholds(scenario: Scenario) -> tuple[Thresholds, ...]:
    """:func:`thresholds` for every parameter with a declared range, the others at their values.

    Empty for games with more than :data:`MAX_REPORT_PROFILES` pure profiles (use
    :func:`thresholds` or ``sim sweep`` on chosen parameters there).

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
    >>> [(f.parameter, [t.text() for t in f.thresholds]) for f in flip_thresholds(london)][:3]
    [('v_us', []), ('c_us', []), ('g_us', ['2'])]
    """
    if math.prod(scenario.game.shape) > MAX_REPORT_PROFILES:
        return ()
    return tuple(
        thresholds(scenario, p.name, p.range[0], p.range[1])
        for p in scenario.parameters
        if p.range is not None and p.range[0] < p.range[1]
    )
