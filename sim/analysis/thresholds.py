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
3. **Critical polynomials**, whose signs decide the structure. For two players, with ``B``
   the column player's payoffs, they are the determinants of the ``(k+1) x (k+1)``
   matrices ``[B[I, J]; 1 ... 1]`` (the rows ``B[i, J]`` for ``i`` in a set ``I`` of ``k``
   rows, ``J`` a set of ``k + 1`` columns, plus a row of ones) and their mirror images for
   the row player's payoffs ``A``. Up to signs fixed by ``I`` and ``J``, these are all the
   maximal minors of the vectors ``(-e_i, 0)`` and ``(B[:, j], -1)`` whose inequalities
   define the row player's best-response polytope ``{x >= 0 : B'x <= 1}`` (``B`` shifted to
   be positive, which leaves the determinants unchanged). The signs of the maximal minors
   (the chirotope of an oriented matroid) decide which sign vectors the inequalities can
   take, hence the polytope's vertices and their labels. So wherever every critical
   polynomial keeps its sign (positive, negative *or zero*), both polytopes keep the same
   labelled vertices and the game the same completely labelled pairs: the same pure and
   other extreme equilibria in the same components. This needs no nondegeneracy: a
   determinant that is zero for every t keeps its sign, and only the roots of the others
   matter. For ``k = 1`` the determinants are the payoff differences a player compares. A
   2x2 game's type also depends on the comparisons listed in
   :func:`~sim.analysis.structure.classification_margin`, so for 2x2 games the differences
   between any two of a player's payoffs and the two risk-dominance products are added.
   Games with more players are solved for pure equilibria only, which change only where a
   player's payoffs at two of its own moves tie: those differences are the critical
   polynomials.
4. **Their real roots in [low, high]**: exact for degree 1 and for degree 2 with a rational
   square discriminant; otherwise isolated with Sturm sequences and bisected in exact
   rational arithmetic to within the bisection width (see :data:`WIDTH`); a root is still
   reported exactly when the simplest fraction in its final interval is a root.
5. **Solve** once at each exact root, once strictly inside each interval between
   consecutive roots, and at both ends. At an irrational root ``ρ`` the structure is found
   exactly too, from signs and root multiplicities of polynomials at ``ρ`` (decided on its
   isolating interval, with ``ρ``'s polynomial: :class:`_RealRoot`): for more players the
   pure equilibria from the payoff differences; for two players every vertex of a
   best-response diagram at ``ρ`` is the limit of a vertex on the interval just below it,
   whose labels there follow from how often the bordered determinants of step 3 vanish at
   ``ρ`` (:func:`_limit_vertices`); then the completely labelled pairs and their
   components, and a 2x2 game's type classified in exact arithmetic at ``ρ``
   (:class:`_Algebraic`). So every threshold's ``at`` is exact, even when its value is not.
   Roots where nothing changes are dropped.

When step 1 fails, payoffs are not exact numbers, or the work would be too large (more
than :data:`MAX_CRITICAL` critical polynomials, or degree above :data:`MAX_DEGREE`), the
method is ``"bisection"``: the structure is computed on a grid of ``grid`` exact values and
every change between neighbouring grid values is bisected in exact arithmetic to within the
bisection width, after which the simplest fraction in the final bracket is solved too. A
structure seen at a single solved value ``m``, with other structures within the width on
both sides, is reported as an exact threshold at ``m`` whose ``at`` is that structure.
Other thresholds of this method are approximate, with ``at`` None; changes closer together
than the grid step can be missed; ``reason`` says why the polynomial method was not used.
(Very rarely the polynomial method also leaves ``at`` None: two roots closer than about
``2**-64`` times the width, reported as one.)

The value of an approximate threshold is shown as ``≈3.414213562``. Whether a sentence
includes a threshold (``≤`` or ``<``) is exact wherever ``at`` is known. Where it is not
(``at`` None), a *closed* property holds at the threshold when it holds on either side: a
pure profile being an equilibrium, or a 2x2 game being degenerate, are weak inequalities
between payoffs continuous in t, so the values where they hold form a closed set (used only
when every solved game had exact payoffs, :attr:`Thresholds.exact_payoffs`; rounded float
payoffs need not be continuous). The other properties are not closed: a game type also
rests on strict comparisons, mixed equilibria can tend to a pure one, and a continuum
usually exists only at single values. For those, the bisection method guesses that a
property holds at the threshold when it holds on both sides (it cannot check); the
polynomial method says "possibly" and that the structure there is not determined.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, pairwise, product
from typing import Any

import numpy as np

from sim.analysis.structure import GAME_TYPES, Structure, classify_2x2, profile_text, structure
from sim.analysis.sweep import axis
from sim.errors import SimError, SolverError
from sim.expression import FUNCTIONS
from sim.game import Game, Value, exact_text
from sim.scenario import Scenario
from sim.solvers import solve
from sim.solvers.components import connected_components
from sim.solvers.enumeration import integer_matrix
from sim.solvers.polytope import enumerate_vertices

__all__ = [
    "MAX_CRITICAL",
    "MAX_DEGREE",
    "MAX_REPORT_PROFILES",
    "MAX_WIDTH",
    "WIDTH",
    "Threshold",
    "Thresholds",
    "flip_thresholds",
    "thresholds",
]

WIDTH = Fraction(1, 10**12)
"""Relative bisection width: every approximate threshold is bisected, in exact arithmetic,
to an interval ``[lo, hi]`` no wider than ``WIDTH * max(1, |lo|, |hi|)`` and never wider than
:data:`MAX_WIDTH`: 1e-12 near 0, 1e-12 relative to the threshold elsewhere, 1e-9 at most.
So the 10 significant digits shown for an approximate threshold are right, and thresholds
are found "to 1e-9" (issue #3) whatever the range."""
MAX_WIDTH = Fraction(1, 10**9)
"""Largest absolute bisection width, whatever the threshold."""
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
        The threshold: a Fraction when exact, else a float within the bisection width.
    exact : bool
        True when ``value`` is the threshold exactly.
    bounds : (Fraction, Fraction)
        An interval known to contain the threshold (``(value, value)`` when exact).
    before, at, after : Structure
        The structure just below, exactly at, and just above the threshold. ``at`` is
        exact for every threshold of the polynomial method (also at irrational roots) and
        for the exact thresholds of the bisection method; it is None when unknown (the
        approximate thresholds of the bisection method, and the very rare candidate of the
        polynomial method that stands for two roots too close to separate).
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
class _Bound:
    """One end of a run of values where a property holds."""

    value: Fraction | float
    exact: bool
    included: bool


@dataclass(frozen=True)
class Thresholds:
    """The result of :func:`thresholds`: the swept range split where the structure changes.

    ``intervals[k]`` is the structure on the open interval between threshold ``k - 1`` (or
    ``low``) and threshold ``k`` (or ``high``); ``start`` and ``end`` are the structures at
    ``low`` and ``high`` themselves. ``exact_payoffs`` is True when every game solved had
    exact payoffs (see the module docstring on closed properties).
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
    exact_payoffs: bool = True

    @property
    def width(self) -> Fraction:
        """The largest bisection width in this range (``WIDTH * max(1, |low|, |high|)``, at
        most :data:`MAX_WIDTH`): every approximate threshold is known to within it.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
        >>> thresholds(london, "g_us", 0, 4).width
        Fraction(1, 250000000000)
        """
        return _width(self.low, self.high)

    @property
    def unchanging(self) -> bool:
        """True when the structure is known to be the same at every value of the range.

        >>> from pathlib import Path
        >>> from sim.scenario import load
        >>> london = load(Path(__file__).resolve().parents[2] / "scenarios" / "london_talks.yaml")
        >>> thresholds(london, "v_us", 2, 8).unchanging, thresholds(london, "g_us", 0, 4).unchanging
        (True, False)
        """
        return not self.thresholds and self.start == self.intervals[0] == self.end

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

        A piece with ``lo == hi`` is a point (an end of the range or an exact threshold:
        the structure there); ``(lo, hi, None)`` with ``lo < hi`` is an approximate
        threshold with its bounds (the structure exactly at it is its ``at``); otherwise
        the piece is the open interval ``(lo, hi)``.
        """
        out: list[tuple[Fraction, Fraction, Structure | None]] = [(self.low, self.low, self.start)]
        previous = self.low
        for k, threshold in enumerate(self.thresholds):
            lo, hi = threshold.bounds
            out.append((previous, lo, self.intervals[k]))
            out.append((lo, hi, threshold.at if threshold.exact else None))
            previous = hi
        out.append((previous, self.high, self.intervals[-1]))
        out.append((self.high, self.high, self.end))
        return tuple(out)

    def sentences(self) -> tuple[str, ...]:
        """The thresholds in words: per pure equilibrium, per game type, mixed, continua.

        See the module docstring for an example.
        """
        game = self.game
        range_note = f"(swept range {_range_text(self.low, self.high)})"
        if self.unchanging:
            return (
                f"The equilibrium structure is the same for every {self.parameter} in the "
                f"swept range {_range_text(self.low, self.high)}: {self.start.label(game)}.",
            )
        known = [self.start, self.intervals[0]]
        for threshold, after in zip(self.thresholds, self.intervals[1:], strict=True):
            known += [threshold.at, after] if threshold.at is not None else [after]
        known.append(self.end)
        out = []
        profiles = sorted({p for s in known for p in s.pure})
        for profile in profiles:
            when = self._when(lambda s, p=profile: p in s.pure, closed=True)  # type: ignore[misc]
            out.append(f"{profile_text(game, profile)} is an equilibrium {when} {range_note}.")
        for kind in dict.fromkeys(s.game_type for s in known if s.game_type is not None):
            when = self._when(
                lambda s, k=kind: s.game_type == k,  # type: ignore[misc]
                closed=kind == "degenerate",
            )
            out.append(f"The game {_TYPE_PHRASES[kind]} {when} {range_note}.")
        if any(s.mixed for s in known):
            when = self._when(lambda s: bool(s.mixed), closed=False)
            out.append(f"There is a mixed equilibrium {when} {range_note}.")
        if any(s.continuum for s in known):
            when = self._when(lambda s: s.continuum, closed=False)
            out.append(f"The equilibria include a continuum {when} {range_note}.")
        for threshold in self.thresholds:
            if threshold.at is None and self.method != "bisection":
                out.append(
                    f"The structure exactly at {self.parameter} = {threshold.text()} is not "
                    "determined (two roots too close to separate)."
                )
        return tuple(out)

    def _segments(self, holds: Callable[[Structure], bool], closed: bool) -> list[_Segment]:
        """The range as points and open intervals, each with whether the property holds."""
        points = [
            _Bound(self.low, True, True),
            *(_Bound(t.value, t.exact, True) for t in self.thresholds),
            _Bound(self.high, True, True),
        ]
        found = [self.start, *(t.at for t in self.thresholds), self.end]
        out: list[_Segment] = []
        for k, point in enumerate(points):
            if k > 0:
                left = points[k - 1]
                out.append(
                    _Segment(
                        _Bound(left.value, left.exact, False),
                        _Bound(point.value, point.exact, False),
                        holds(self.intervals[k - 1]),
                    )
                )
            at = found[k]
            value: bool | None
            if at is not None:
                value = holds(at)
            else:
                threshold = self.thresholds[k - 1]
                sides = holds(threshold.before), holds(threshold.after)
                if closed and self.exact_payoffs and any(sides):
                    value = True  # the limit of values where it holds
                elif self.method == "bisection":
                    value = all(sides)  # the bisection's guess
                else:
                    value = None  # not determined
            out.append(_Segment(point, point, value))
        return out

    def _when(self, holds: Callable[[Structure], bool], closed: bool) -> str:
        """``"exactly when t ≥ 2"`` (or ``"never"``, ``"for every t"``) for a property.

        ``closed`` says the property is closed in t (see the module docstring).
        """
        segments = self._segments(holds, closed)
        t = self.parameter
        runs = []
        k = 0
        while k < len(segments):
            if not segments[k].holds:
                k += 1
                continue
            j = k
            while j + 1 < len(segments) and segments[j + 1].holds:
                j += 1
            runs.append((k, j))
            k = j + 1
        unknown = [segment.lo for segment in segments if segment.holds is None]
        possibly = ", ".join(f"{t} = {_number_text(b.value, b.exact)}" for b in unknown)
        if not runs:
            return f"possibly only at {possibly}" if unknown else "never"
        if runs == [(0, len(segments) - 1)]:
            return f"for every {t}"
        parts = []
        for k, j in runs:
            lo, hi = segments[k].lo, segments[j].hi
            left, right = k > 0, j < len(segments) - 1
            lo_text, hi_text = _number_text(lo.value, lo.exact), _number_text(hi.value, hi.exact)
            if k == j and lo.included:
                parts.append(f"{t} = {lo_text}")
            elif left and right:
                parts.append(
                    f"{lo_text} {'≤' if lo.included else '<'} {t} "
                    f"{'≤' if hi.included else '<'} {hi_text}"
                )
            elif left:
                parts.append(f"{t} {'≥' if lo.included else '>'} {lo_text}")
            else:
                parts.append(f"{t} {'≤' if hi.included else '<'} {hi_text}")
        more = f", and possibly at {possibly}" if unknown else ""
        return "exactly when " + " or ".join(parts) + more

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
            "width": float(self.width),
            "thresholds": [t.to_dict(game) for t in self.thresholds],
            "start": self.start.to_dict(game),
            "intervals": [s.to_dict(game) for s in self.intervals],
            "end": self.end.to_dict(game),
            "sentences": list(self.sentences()),
        }


@dataclass(frozen=True)
class _Segment:
    """A point (``lo == hi``, both included) or an open interval, and whether a property
    holds on it (None: not determined)."""

    lo: _Bound
    hi: _Bound
    holds: bool | None


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
    exact = [True]

    def solve_at(value: Fraction) -> Structure:
        try:
            varied = scenario.with_parameters(**{parameter: value})
        except SimError as err:
            raise SimError(f"cannot solve at {parameter} = {exact_text(value)}: {err}") from err
        exact[0] = exact[0] and varied.game.is_exact
        return structure(solve(varied.game))

    candidates, critical, reason = _critical_roots(scenario, parameter, lo, hi)
    if candidates is None or critical is None:
        found = _bisect_grid(solve_at, parameter, lo, hi, grid)
        return Thresholds(game, parameter, lo, hi, "bisection", reason, *found, exact[0])
    known = critical

    def solve_at_root(root: _Root, left: Fraction) -> Structure | None:
        return _structure_at_root(game.shape, known, root, left)

    found = _scan(solve_at, solve_at_root, parameter, lo, hi, candidates)
    return Thresholds(game, parameter, lo, hi, "polynomial", "", *found, exact[0])


def _scan(
    solve_at: Callable[[Fraction], Structure],
    solve_at_root: Callable[[_Root, Fraction], Structure | None],
    parameter: str,
    low: Fraction,
    high: Fraction,
    roots: list[_Root],
) -> tuple[tuple[Threshold, ...], tuple[Structure, ...], Structure, Structure]:
    """Solve at each root and between them; keep the roots where something changes.

    An irrational root is solved exactly in its field (``solve_at_root``, given a value
    in the interval just below it); a root whose structure is unknown even so (None) is
    kept, since something may change there.
    """
    start, end = solve_at(low), solve_at(high)
    gaps = [low, *[x for r in roots for x in (r.lo, r.hi)], high]
    inside = [_simplest_inside(gaps[2 * k], gaps[2 * k + 1]) for k in range(len(roots) + 1)]
    between = [solve_at(x) for x in inside]
    kept: list[Threshold] = []
    intervals = [between[0]]
    for k, root in enumerate(roots):
        before, after = intervals[-1], between[k + 1]
        at = solve_at(root.lo) if root.exact else solve_at_root(root, inside[k])
        if before == after and at == before:
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
    one structure at ``x`` and another at ``y``; then the simplest fraction inside is solved
    too (it splits the bracket in two when its structure is a third one). A bracket at
    either end of the range is not a threshold: it says the structure at that end differs
    from its neighbourhood. Two brackets that touch (a structure seen at the single value
    ``m`` between two changes) become one exact threshold at ``m`` whose ``at`` is the
    structure seen there; longer chains of touching brackets become one approximate
    threshold.
    """
    step = (high - low) / (grid - 1)
    values = [low + k * step for k in range(grid)]
    found = [solve_at(v) for v in values]
    brackets: list[tuple[Fraction, Structure, Fraction, Structure]] = []

    def bisect(x: Fraction, sx: Structure, y: Fraction, sy: Structure) -> None:
        while y - x > _width(x, y):
            mid = _simplest_inside(x + (y - x) / 4, y - (y - x) / 4, closed=True)
            sm = solve_at(mid)
            if sm == sx:
                x = mid
            elif sm == sy:
                y = mid
            else:  # a third structure: a change on each side of mid
                bisect(x, sx, mid, sm)
                x, sx = mid, sm
        simplest = _simplest_inside(x, y, closed=True)
        if x < simplest < y:
            seen = solve_at(simplest)
            if seen == sx:
                x = simplest
            elif seen == sy:
                y = simplest
            else:
                brackets.append((x, sx, simplest, seen))
                x, sx = simplest, seen
        brackets.append((x, sx, y, sy))

    for k in range(grid - 1):
        if found[k] != found[k + 1]:
            bisect(values[k], found[k], values[k + 1], found[k + 1])
    first = found[0]
    if brackets and brackets[0][0] == low:
        first = brackets.pop(0)[3]
    if brackets and brackets[-1][2] == high:
        brackets.pop()
    chains: list[list[tuple[Fraction, Structure, Fraction, Structure]]] = []
    for bracket in brackets:
        if chains and chains[-1][-1][2] == bracket[0]:
            chains[-1].append(bracket)
        else:
            chains.append([bracket])
    kept = []
    for chain in chains:
        lo, before, _, _ = chain[0]
        _, _, hi, after = chain[-1]
        if len(chain) == 2:
            touch, middle = chain[0][2], chain[0][3]
            kept.append(Threshold(parameter, touch, True, (touch, touch), before, middle, after))
        else:
            value = float((lo + hi) / 2)
            kept.append(Threshold(parameter, value, False, (lo, hi), before, None, after))
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


def _roots(p: Poly, low: Fraction, high: Fraction) -> list[_Root]:
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
    out.extend(_isolate(q, low, high))
    return sorted(out, key=lambda r: r.lo)


def _isolate(q: Poly, low: Fraction, high: Fraction) -> list[_Root]:
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
            while not root.exact and root.hi - root.lo > _width(root.lo, root.hi):
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
            return [_Root(mid, mid), *_isolate(rest, low, high)]
        stack.extend([(a, mid), (mid, b)])
    return out


def _width(low: Fraction, high: Fraction) -> Fraction:
    """The bisection width for an interval ``[low, high]`` (see :data:`WIDTH`)."""
    return min(MAX_WIDTH, WIDTH * max(Fraction(1), abs(low), abs(high)))


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


_Key = tuple[tuple[int, ...], tuple[int, ...]]
"""The rows ``I`` and columns ``J`` of a bordered determinant."""


@dataclass(frozen=True)
class _Critical:
    """What the polynomial method knows about the game as a function of t."""

    polys: list[list[Poly]]
    """Per profile (in :meth:`Game.profiles` order) and player, the payoff polynomial."""
    minors: tuple[dict[_Key, Poly], ...]
    """For two players, the bordered determinants of ``B`` and of ``A`` transposed."""


def _critical_polynomials(
    game: Game, polys: list[list[Poly]]
) -> tuple[list[Poly] | None, list[Poly], str, tuple[dict[_Key, Poly], ...]]:
    """``(degeneracy polynomials, other critical polynomials, reason, bordered determinants
    by rows and columns)``; None when too many."""
    shape = game.shape
    index = {profile: k for k, profile in enumerate(game.profiles())}
    if game.n_players != 2:
        total = math.prod(shape)
        count = sum(total // k * math.comb(k, 2) for k in shape)
        if count > MAX_CRITICAL:
            return None, [], f"{count} critical polynomials, over {MAX_CRITICAL}", ()
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
        return [], [d for d in differences if d], "", ()
    m, n = shape
    a = [[polys[index[(i, j)]][0] for j in range(n)] for i in range(m)]
    b = [[polys[index[(i, j)]][1] for j in range(n)] for i in range(m)]
    count = sum(math.comb(m, k) * math.comb(n, k + 1) for k in range(1, min(m, n - 1) + 1))
    count += sum(math.comb(n, k) * math.comb(m, k + 1) for k in range(1, min(n, m - 1) + 1))
    if count > MAX_CRITICAL:
        return None, [], f"{count} critical polynomials, over {MAX_CRITICAL}", ()
    minors = _bordered(b, m, n), _bordered([list(col) for col in zip(*a, strict=True)], n, m)
    degeneracy = [*minors[0].values(), *minors[1].values()]
    extra: list[Poly] = []
    if shape == (2, 2):
        for matrix in (a, b):
            cells = [matrix[i][j] for i in range(2) for j in range(2)]
            extra.extend(_subtract(p, q) for p, q in combinations(cells, 2))
        for (r1, c1), (r2, c2) in (((0, 0), (1, 1)), ((1, 0), (0, 1))):
            risk_1 = _multiply(_subtract(a[r1][c1], a[r2][c1]), _subtract(b[r1][c1], b[r1][c2]))
            risk_2 = _multiply(_subtract(a[r2][c2], a[r1][c2]), _subtract(b[r2][c2], b[r2][c1]))
            extra.append(_subtract(risk_1, risk_2))
    return degeneracy, [e for e in extra if e], "", minors


def _bordered(matrix: list[list[Poly]], rows: int, columns: int) -> dict[_Key, Poly]:
    """Determinants of ``[M[I, J]; 1 ... 1]`` for ``|I| = k``, ``|J| = k + 1``, as polynomials,
    by ``(I, J)`` (sorted tuples; only their zeros matter, not their signs)."""
    out: dict[_Key, Poly] = {}
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
                    out[chosen_rows, chosen_columns] = _subtract(matrix[i][j1], matrix[i][j0])
                    continue
                ys = [
                    _determinant(
                        [[values[(i, j)][s] for j in chosen_columns] for i in chosen_rows]
                        + [[Fraction(1)] * (k + 1)]
                    )
                    for s in range(len(nodes))
                ]
                out[chosen_rows, chosen_columns] = _interpolate(nodes, ys)
    return out


def _critical_roots(
    scenario: Scenario, name: str, low: Fraction, high: Fraction
) -> tuple[list[_Root] | None, _Critical | None, str]:
    """Candidate thresholds, sorted and separated, and what the method knows about the
    game; or None and the reason to bisect.

    Critical polynomials that are zero for every t (the game is then degenerate for every
    t) keep their sign, so they add no candidates (see step 3 of the module docstring).
    """
    polys, reason = _payoff_polynomials(scenario, name, low, high)
    if polys is None:
        return None, None, reason
    degeneracy, extra, reason, minors = _critical_polynomials(scenario.game, polys)
    if degeneracy is None:
        return None, None, reason
    distinct = {_monic(p) for p in [*degeneracy, *extra] if len(p) > 1}
    roots = [r for p in sorted(distinct) for r in _roots(p, low, high)]
    return _separate(roots, low, high), _Critical(polys, minors), ""


# ------------------------------------------------------------ exact at an irrational root
class _RealRoot:
    """A real root ``ρ`` of a polynomial, held exactly: ``poly`` is square-free and has
    exactly one root in ``[lo, hi]``, ``ρ`` (``lo == hi`` when ``ρ`` is rational; otherwise
    ``poly`` is nonzero at both ends).

    ``poly`` may shrink to a factor that still has ``ρ`` as a root (when a computation
    meets a common factor), so numbers are taken modulo the current ``poly``.

    >>> two = (Fraction(-2), Fraction(0), Fraction(1))  # t**2 - 2
    >>> sqrt2 = _RealRoot(two, Fraction(1), Fraction(2))
    >>> [sqrt2.sign(p) for p in [(Fraction(-7, 5), Fraction(1)), two]]  # t - 7/5, t**2 - 2
    [1, 0]
    """

    def __init__(self, poly: Poly, lo: Fraction, hi: Fraction) -> None:
        self.poly = _monic(poly)
        self.lo, self.hi = lo, hi
        self._near: tuple[tuple[Fraction, Fraction], Fraction, Fraction] | None = None
        self._settle()

    def _settle(self) -> None:
        if len(self.poly) == 2:
            self.lo = self.hi = -self.poly[0]

    def _contains(self, factor: Poly) -> bool:
        """Whether ``ρ`` is a root of a factor of ``poly``."""
        if self.lo == self.hi:
            return _evaluate(factor, self.lo) == 0
        return _sign(_evaluate(factor, self.lo)) != _sign(_evaluate(factor, self.hi))

    def _split(self, factor: Poly) -> bool:
        """Keep the part of ``poly`` (``factor`` or the rest) with ``ρ``; True if ``factor``."""
        inside = self._contains(factor)
        self.poly = _monic(factor) if inside else _monic(_quotient(self.poly, factor))
        self._settle()
        return inside

    def halve(self) -> None:
        """Halve the isolating interval."""
        if self.lo == self.hi:
            return
        mid = (self.lo + self.hi) / 2
        value = _evaluate(self.poly, mid)
        if value == 0:
            self.poly = (-mid, Fraction(1))
            self.lo = self.hi = mid
        elif _sign(value) == _sign(_evaluate(self.poly, self.lo)):
            self.lo = mid
        else:
            self.hi = mid

    def reduce(self, p: Poly) -> Poly:
        """``p`` modulo ``poly``: the same value at ``ρ``."""
        return _remainder(p, self.poly) if len(p) >= len(self.poly) else p

    def sign(self, p: Poly) -> int:
        """The sign of ``p(ρ)``, exactly. When it is 0, ``poly`` divides ``p`` afterwards."""
        p = self.reduce(p)
        if len(p) <= 1 or self.lo == self.hi:
            return _sign(_evaluate(p, self.lo)) if p else 0
        known = self._sign_near(p)
        if known is not None:
            return known
        common = _gcd(self.poly, p)
        if len(common) > 1:
            if self._split(common):
                return 0
            p = self.reduce(p)
            if len(p) <= 1 or self.lo == self.hi:
                return _sign(_evaluate(p, self.lo))
        while True:  # p(ρ) != 0: narrow the interval until p cannot change sign on it
            self.halve()
            if self.lo == self.hi:
                return _sign(_evaluate(p, self.lo))
            known = self._sign_near(p)
            if known is not None:
                return known

    def _sign_near(self, p: Poly) -> int | None:
        """The sign of ``p`` on the whole interval when a Taylor bound proves it, else None.

        Taken about the simplest fraction ``c`` in the interval (small numbers): for ``x``
        within ``r`` of ``c``, ``|p(x) - p(c)|`` is at most the sum of ``|p_k| r**k`` over
        the Taylor coefficients ``p_k`` (``k >= 1``) of ``p`` at ``c``.
        """
        if self._near is None or self._near[0] != (self.lo, self.hi):
            centre = _simplest_inside(self.lo, self.hi, closed=True)
            self._near = (self.lo, self.hi), centre, max(centre - self.lo, self.hi - centre)
        _, centre, radius = self._near
        taylor = _shift(p, centre)
        spread = Fraction(0)
        power = Fraction(1)
        for c in taylor[1:]:
            power *= radius
            spread += abs(c) * power
        return _sign(taylor[0]) if abs(taylor[0]) > spread else None


def _shift(p: Poly, centre: Fraction) -> list[Fraction]:
    """The coefficients of ``p(centre + u)`` in ``u`` (Taylor shift by Horner's rule)."""
    out = list(p)
    n = len(out)
    for i in range(n - 1):
        for k in range(n - 2, i - 1, -1):
            out[k] += centre * out[k + 1]
    return out


class _Algebraic:
    """An exact real number ``poly(ρ)`` for a :class:`_RealRoot` ``ρ``: the arithmetic and
    comparisons the support enumeration and :func:`~sim.analysis.structure.classify_2x2`
    need.

    >>> root = _RealRoot((Fraction(-2), Fraction(0), Fraction(1)), Fraction(1), Fraction(2))
    >>> t = _Algebraic(root, (Fraction(0), Fraction(1)))
    >>> t * t == 2, t > Fraction(141, 100), abs(-t) < Fraction(1415, 1000)
    (True, True, True)
    """

    __slots__ = ("poly", "root")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, root: _RealRoot, poly: Poly) -> None:
        self.root = root
        self.poly = root.reduce(poly)

    def _other(self, other: object) -> Poly:
        if isinstance(other, _Algebraic):
            return other.poly
        if isinstance(other, int | Fraction):
            return _trim([Fraction(other)])
        raise TypeError(f"cannot combine an algebraic number with {type(other).__name__}")

    def __add__(self, other: object) -> _Algebraic:
        return _Algebraic(self.root, _subtract(self.poly, _negate(self._other(other))))

    __radd__ = __add__

    def __sub__(self, other: object) -> _Algebraic:
        return _Algebraic(self.root, _subtract(self.poly, self._other(other)))

    def __rsub__(self, other: object) -> _Algebraic:
        return _Algebraic(self.root, _subtract(self._other(other), self.poly))

    def __mul__(self, other: object) -> _Algebraic:
        return _Algebraic(self.root, _multiply(self.poly, self._other(other)))

    __rmul__ = __mul__

    def __neg__(self) -> _Algebraic:
        return _Algebraic(self.root, _negate(self.poly))

    def __abs__(self) -> _Algebraic:
        return -self if self.root.sign(self.poly) < 0 else self

    def _compare(self, other: object) -> int:
        return self.root.sign(_subtract(self.poly, self._other(other)))

    def __eq__(self, other: object) -> bool:
        return self._compare(other) == 0

    def __ne__(self, other: object) -> bool:
        return self._compare(other) != 0

    def __lt__(self, other: object) -> bool:
        return self._compare(other) < 0

    def __le__(self, other: object) -> bool:
        return self._compare(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self._compare(other) > 0

    def __ge__(self, other: object) -> bool:
        return self._compare(other) >= 0


def _negate(p: Poly) -> Poly:
    return tuple(-c for c in p)


def _multiplicity(at: _RealRoot, p: Poly) -> float:
    """How many times the root divides ``p`` (infinite for the zero polynomial)."""
    if not p:
        return math.inf
    count = 0
    while at.sign(p) == 0:  # then at.poly divides p (see _RealRoot.sign)
        p = _quotient(p, at.poly)
        count += 1
    return count


def _structure_at_root(
    shape: tuple[int, ...], critical: _Critical, root: _Root, left: Fraction
) -> Structure | None:
    """The structure exactly at an irrational root; None for a candidate that stands for
    two roots closer than the separation could tell apart (it has no polynomial).

    ``left`` is a rational value in the open interval just below the root, where the
    labelled vertices are those of the whole interval (step 3 of the module docstring).
    More than two players: the pure equilibria, from the signs of payoff differences at the
    root. Two players: the vertices of both best-response diagrams at the root
    (:func:`_limit_vertices`), their completely labelled pairs and components, grouped as
    :func:`sim.solvers.solve` groups them, and for 2x2 games the type, classified in exact
    arithmetic at the root (:class:`_Algebraic`).
    """
    if not root.poly:
        return None
    at = _RealRoot(root.poly, root.lo, root.hi)
    polys = critical.polys
    profiles = list(product(*(range(k) for k in shape)))
    index = {profile: k for k, profile in enumerate(profiles)}
    if len(shape) != 2:
        equilibria = tuple(
            profile
            for profile in profiles
            if all(
                at.sign(
                    _subtract(
                        polys[index[profile]][player],
                        polys[index[(*profile[:player], move, *profile[player + 1 :])]][player],
                    )
                )
                >= 0
                for player, k in enumerate(shape)
                for move in range(k)
            )
        )
        return Structure(equilibria, None, False, None)
    m, n = shape
    b_near = [[_evaluate(polys[index[(i, j)]][1], left) for j in range(n)] for i in range(m)]
    a_near = [[_evaluate(polys[index[(i, j)]][0], left) for i in range(m)] for j in range(n)]
    rows = _limit_vertices(at, left, b_near, critical.minors[0])  # (row support, responses)
    columns = _limit_vertices(at, left, a_near, critical.minors[1])
    pairs = [
        (r, c)
        for r, (support, best) in enumerate(rows)
        for c, (other_support, other_best) in enumerate(columns)
        if support <= other_best and other_support <= best
    ]
    pure = tuple(
        (min(rows[r][0]), min(columns[c][0]))
        for r, c in pairs
        if len(rows[r][0]) == 1 and len(columns[c][0]) == 1
    )
    continuum = any(len(group) > 1 for group in connected_components(pairs, len(rows)))
    kind = None
    if shape == (2, 2):
        cells = [
            np.array(
                [[[_Algebraic(at, polys[index[(i, j)]][p]) for j in range(2)] for i in range(2)]]
            )
            for p in range(2)
        ]
        kind = GAME_TYPES[int(classify_2x2(*cells)[0])]
    return Structure(pure, len(pairs) - len(pure), continuum, kind)


_Vertex = tuple[frozenset[int], frozenset[int]]
"""A vertex of a best-response diagram by its labels: (support, opponent's best responses)."""


def _limit_vertices(
    at: _RealRoot, left: Fraction, nearby: Sequence[Sequence[Fraction]], minors: dict[_Key, Poly]
) -> list[_Vertex]:
    """The vertices of a player's best-response diagram at a root, from those just below.

    ``nearby[i][j]`` is the opponent's payoff when this player plays ``i`` and the opponent
    ``j`` at ``left``, a rational value in the open interval just below the root; ``minors``
    are the bordered determinants ``P(I, J)`` of the opponent's payoff matrix as
    polynomials (:func:`_bordered`; ``P((), (j,)) = 1``).

    1. The best-response polytope moves continuously in t (it has interior points) and a
       vertex is the unique maximiser of some linear function, so every vertex at the root
       is the limit of a vertex just below it. Those are enumerated at ``left``
       (:func:`_rational_vertices`): a support ``I`` and best responses ``J``.
    2. Take ``J0`` in ``J`` with ``|J0| = |I|`` whose system (``x`` on ``I`` tying ``J0``,
       ``sum(x) = 1``) is nonsingular at ``left``, with determinant ``D``. By Cramer's rule
       ``D x[c] = ±P(I - c, J0)`` and ``D (u[j] - v) = ±P(I, J0 + j)``, where ``u[j]`` is
       the opponent's payoff of ``j`` and ``v`` the tied one; so the system is nonsingular
       exactly where ``P(I - c, J0)`` is nonzero, for any ``c`` in ``I``.
    3. The limit is a probability vector, so ``D`` vanishes at the root exactly as often as
       the least of the ``P(I - c, J0)``: the limit's support is the ``c`` where that least
       multiplicity is reached, and ``j`` becomes a best response where ``P(I, J0 + j)``
       vanishes more often than that.
    4. A limit is a vertex when its labels determine it: some ``J0`` among its best
       responses with ``P(I - c, J0)`` nonzero at the root for one ``c`` in its support.
    """

    def minor(rows: Sequence[int], columns: Sequence[int]) -> Poly:
        return minors[tuple(sorted(rows)), tuple(sorted(columns))] if rows else (Fraction(1),)

    multiplicities: dict[_Key, float] = {}

    def vanishes(rows: Sequence[int], columns: Sequence[int]) -> float:
        key = tuple(sorted(rows)), tuple(sorted(columns))
        if key not in multiplicities:
            multiplicities[key] = _multiplicity(at, minor(rows, columns))
        return multiplicities[key]

    n = len(nearby[0])
    found: set[_Vertex] = set()
    for support, best in _rational_vertices(nearby):
        chosen = sorted(support)
        rest = chosen[1:]
        tied = next(
            columns
            for columns in combinations(sorted(best), len(chosen))
            if _evaluate(minor(rest, columns), left) != 0
        )
        powers = {c: vanishes([i for i in chosen if i != c], tied) for c in chosen}
        least = min(powers.values())
        kept = [c for c in chosen if powers[c] == least]
        responses = sorted(
            set(best)
            | {j for j in range(n) if j not in best and vanishes(chosen, [*tied, j]) > least}
        )
        if (least == 0 and kept == chosen) or any(
            vanishes(kept[1:], columns) == 0 for columns in combinations(responses, len(kept))
        ):
            found.add((frozenset(kept), frozenset(responses)))
    return sorted(found, key=lambda v: (sorted(v[0]), sorted(v[1])))


def _rational_vertices(other: Sequence[Sequence[Fraction]]) -> list[_Vertex]:
    """The vertices of a best-response diagram (support, best responses) for rational
    payoffs, by the solver's vertex enumeration (without the origin).

    >>> identity = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
    >>> [(sorted(support), sorted(best)) for support, best in _rational_vertices(identity)]
    [([0], [0]), ([0, 1], [0, 1]), ([1], [1])]
    """
    m = len(other)
    constraints = integer_matrix(
        np.array([list(c) for c in zip(*other, strict=True)], dtype=object)
    )
    found = {
        (
            frozenset(i for i in range(m) if not vertex.zero >> i & 1),
            frozenset(j for j in range(len(constraints)) if vertex.tight >> j & 1),
        )
        for vertex in enumerate_vertices(constraints)
        if any(vertex.point)
    }
    return sorted(found, key=lambda v: (sorted(v[0]), sorted(v[1])))


def _separate(roots: list[_Root], low: Fraction, high: Fraction) -> list[_Root]:
    """Sorted candidates strictly inside ``(low, high)``, with room between them.

    Exact candidates are points. Each approximate one is an interval that contains one
    root of its polynomial and no exact candidate or end point (it is cut at them, or
    becomes exact when one is its root). The same root of several polynomials becomes one
    candidate, a root of their greatest common divisor. Approximate intervals that still
    overlap after 64 more halvings are merged into one candidate without a polynomial
    (distinct roots closer than about 2**-64 times the bisection width are reported as one).
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
    pending = _merge_equal(sorted(pending, key=lambda r: r.lo))
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


def _merge_equal(roots: list[_Root]) -> list[_Root]:
    """Approximate roots (sorted by ``lo``) with equal roots merged into one.

    Two isolating intervals that overlap hold the same root exactly when the greatest
    common divisor of their polynomials changes sign on the overlap; the merged candidate
    is that divisor's root on the overlap.
    """
    out: list[_Root] = []
    for root in roots:
        for k, other in enumerate(out):
            lo, hi = max(root.lo, other.lo), min(root.hi, other.hi)
            if lo >= hi:
                continue
            common = _gcd(root.poly, other.poly)
            if len(common) > 1 and _sign(_evaluate(common, lo)) * _sign(_evaluate(common, hi)) < 0:
                out[k] = _Root(lo, hi, common)
                break
        else:
            out.append(root)
    return out


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
