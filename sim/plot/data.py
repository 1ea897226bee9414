"""What the figures show, as plain frozen datasets computed from a game and its solution.

Nothing here imports matplotlib: :mod:`sim.plot.figures` only draws these datasets, so every
number in a figure is tested here. Values stay exact (:class:`~fractions.Fraction`) for exact
games and are floats otherwise; every payoff comparison goes through
:func:`sim.certificate.compare`.

Conventions for the whole module:

* The figures are for two-player games: player 1 picks the row, player 2 the column.
* Equilibria are labelled ``NE1, NE2, ...`` in the order of :attr:`Solution.equilibria`, the
  same labels in every figure.
* In the best-response diagram of a 2×2 game, ``x`` is the probability that player 1 plays
  its first move and ``y`` the probability that player 2 plays its first move. Points are
  ``(x, y)`` pairs; in the payoff space they are ``(player 1's payoff, player 2's payoff)``.
* A maximal convex set of equilibria ``conv(X) × conv(Y)`` is drawn as a box: each player's
  payoff on it depends linearly on the *other* player's strategy only (a best response earns
  the best value), so its payoffs fill the rectangle spanned by its extreme equilibria, and
  in the best-response diagram it is the rectangle spanned by their ``(x, y)``.

>>> from sim.game import Game
>>> from sim.solvers import solve
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"), ("C", "D")))
>>> data = payoff_space_data(pd, solve(pd))
>>> [o.label for o in data.outcomes if o.efficient]
['(C, C)', '(C, D)', '(D, C)']
>>> [m.label for m in data.equilibria], data.equilibria[0].position
(['NE1'], (Fraction(1, 1), Fraction(1, 1)))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sim.analysis import best_responses, pareto_efficient
from sim.analysis.correlated import CorrelatedAnalysis
from sim.analysis.hull import convex_hull, hull_frontier
from sim.certificate import TOLERANCE, compare
from sim.errors import SimError
from sim.game import Game, Value
from sim.game import value_text as game_value_text
from sim.solvers import Solution

__all__ = [
    "BestResponseCurve",
    "BestResponseData",
    "BimatrixData",
    "EquilibriumMark",
    "Outcome",
    "PayoffCell",
    "PayoffSpaceData",
    "Point",
    "best_response_data",
    "bimatrix_data",
    "convex_hull",
    "equilibrium_label",
    "hull_frontier",
    "payoff_space_data",
    "value_text",
]

Point = tuple[Value, Value]
"""A point of a figure: ``(x, y)``, exact for exact games."""

Box = tuple[Point, Point]
"""An axis-parallel rectangle as (lower-left, upper-right) corners; may be a segment, whose
equal coordinates are then exactly equal (ties within tolerance are collapsed)."""


# --------------------------------------------------------------------------- datasets
@dataclass(frozen=True)
class PayoffCell:
    """One cell of the payoff table: the pure profile ``(row, column)`` and its markings.

    ``best_response[i]`` is True when player ``i``'s payoff here is a best response to the
    other player's move (the largest in its column for player 1, in its row for player 2), as
    :func:`sim.analysis.best_responses` finds it. ``equilibrium`` is the label (``"NE1"``...)
    of the pure equilibrium at this cell, or None.
    """

    profile: tuple[int, int]
    payoffs: tuple[Value, Value]
    texts: tuple[str, str]
    best_response: tuple[bool, bool]
    equilibrium: str | None
    status_quo: bool


@dataclass(frozen=True)
class BimatrixData:
    """The payoff table of a two-player game, ``cells[row][column]``, and its caption lines."""

    title: str
    players: tuple[str, str]
    moves: tuple[tuple[str, ...], tuple[str, ...]]
    cells: tuple[tuple[PayoffCell, ...], ...]
    caption: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """A payoff point reached by one or more pure profiles (profiles with equal payoffs share it).

    ``efficient`` is True when no pure outcome weakly Pareto-dominates it: its first profile
    is efficient by :func:`sim.analysis.pareto_efficient` (its other profiles have the same
    payoffs).
    """

    payoffs: Point
    profiles: tuple[tuple[int, int], ...]
    label: str
    efficient: bool


@dataclass(frozen=True)
class EquilibriumMark:
    """An extreme equilibrium placed in a figure: its label, position and whether it is pure."""

    label: str
    position: Point
    pure: bool


@dataclass(frozen=True)
class PayoffSpaceData:
    """Payoffs of a two-player game in the plane (see the module docstring).

    ``hull`` lists the vertices of the convex hull of the pure outcomes counterclockwise,
    starting from the lowest-leftmost one (one or two points when the hull is degenerate).
    ``frontier`` is the Pareto frontier of that hull: its efficient vertices from left to
    right. Equilibria with equal payoffs share one mark labelled ``"NE2, NE3"`` (pure and
    mixed ones apart). ``continua`` are the distinct payoff boxes of the convex sets of
    equilibria that are not single points.

    The correlated-equilibrium overlay (empty unless a
    :class:`~sim.analysis.correlated.CorrelatedAnalysis` is given): ``correlated_region``
    is the polygon of correlated-equilibrium payoffs (its corners counterclockwise, as
    :attr:`CorrelatedPolytope.polygon <sim.analysis.correlated.CorrelatedPolytope.polygon>`;
    one or two points when it is a point or a segment; empty when the game is too large
    for its vertices); ``coarse_region`` the polygon of coarse correlated-equilibrium
    payoffs, left empty when it is the same polygon (always so when each player has two
    moves); ``correlated_best`` the payoffs of the welfare-maximising correlated
    equilibrium and ``correlated_best_label`` its legend text.
    """

    title: str
    axis_labels: tuple[str, str]
    outcomes: tuple[Outcome, ...]
    hull: tuple[Point, ...]
    frontier: tuple[Point, ...]
    equilibria: tuple[EquilibriumMark, ...]
    continua: tuple[Box, ...]
    status_quo: Point | None
    status_quo_label: str | None
    correlated_region: tuple[Point, ...] = ()
    coarse_region: tuple[Point, ...] = ()
    correlated_best: Point | None = None
    correlated_best_label: str | None = None


@dataclass(frozen=True)
class BestResponseCurve:
    """One player's best-response correspondence in the unit square, as a step path.

    ``path`` is a polyline of ``(x, y)`` points; a horizontal (player 1) or vertical
    (player 2) piece is where the player is indifferent between its two moves. When the
    player is indifferent whatever the other does, ``indifferent_everywhere`` is True, the
    correspondence is the whole square and ``path`` is empty. ``threshold`` is the other
    player's probability at which this player is indifferent (None if never or always).
    """

    player: int
    name: str
    path: tuple[Point, ...]
    indifferent_everywhere: bool
    threshold: Value | None


@dataclass(frozen=True)
class BestResponseData:
    """The best-response diagram of a 2×2 game (see the module docstring for ``x`` and ``y``)."""

    title: str
    axis_labels: tuple[str, str]
    moves: tuple[tuple[str, str], tuple[str, str]]
    curves: tuple[BestResponseCurve, BestResponseCurve]
    equilibria: tuple[EquilibriumMark, ...]
    continua: tuple[Box, ...]


# ---------------------------------------------------------------------------- helpers
def value_text(value: Value | int) -> str:
    """A payoff or probability as a figure shows it: ``p/q`` if exact, else 3 digits.

    >>> value_text(Fraction(2, 3)), value_text(Fraction(-4)), value_text(0.123456), value_text(-0.0)
    ('2/3', '-4', '0.123', '0')
    """
    return game_value_text(value, digits=3)


def equilibrium_label(index: int) -> str:
    """The label of the equilibrium at position ``index`` of a solution.

    >>> equilibrium_label(0)
    'NE1'
    """
    return f"NE{index + 1}"


def _require_two_players(game: Game, figure: str) -> None:
    if game.n_players != 2:
        raise SimError(
            f"the {figure} is drawn for two-player games; {game.title or 'this game'!s} has "
            f"{game.n_players} players ({', '.join(game.players)})"
        )


def _same_game(game: Game, other: Game) -> bool:
    """True when ``other`` has the same players, moves and (within tolerance) payoffs."""
    if other is game:
        return True
    return (
        other.players == game.players
        and other.moves == game.moves
        and all(
            compare(a, b, game.scale()) == 0
            for p in game.profiles()
            for a, b in zip(other.payoff(p), game.payoff(p), strict=True)
        )
    )


def _check_correlated(game: Game, correlated: CorrelatedAnalysis) -> None:
    if not _same_game(game, correlated.game):
        other = correlated.game
        raise SimError(
            "the correlated-equilibrium analysis is for a different game "
            f"({other.title or ', '.join(other.players)}); pass correlated_analysis(game) "
            "of this game"
        )


def _same_polygon(first: Sequence[Point], second: Sequence[Point], scale: float) -> bool:
    """True when two polygons of :func:`convex_hull` have the same corners (in order)."""
    return len(first) == len(second) and all(
        compare(a, b, scale) == 0
        for p, q in zip(first, second, strict=True)
        for a, b in zip(p, q, strict=True)
    )


def _check_solution(game: Game, solution: Solution) -> None:
    other = solution.game
    if not _same_game(game, other):
        raise SimError(
            "the solution is for a different game "
            f"({other.title or ', '.join(other.players)}); solve this game and pass its solution"
        )


def _status_quo(game: Game, status_quo: Sequence[int | str] | None) -> tuple[int, ...] | None:
    if status_quo is None:
        return None
    try:
        return game.profile_index(status_quo)
    except SimError as err:
        raise SimError(f"status quo {list(status_quo)}: {err}") from err


def _profile_label(game: Game, profile: Sequence[int]) -> str:
    return "(" + ", ".join(game.profile_names(profile)) + ")"


def _mix_text(game: Game, player: int, strategy: Sequence[Value]) -> str:
    used = [(p, move) for p, move in zip(strategy, game.moves[player], strict=True) if p > 0]
    if len(used) == 1:
        return used[0][1]
    return " + ".join(f"{value_text(p)} {move}" for p, move in used)


def _pair(flags: Sequence[bool]) -> tuple[bool, bool]:
    return flags[0], flags[1]


def _pure_labels(solution: Solution) -> dict[tuple[int, ...], str]:
    return {
        e.pure_profile: equilibrium_label(k)
        for k, e in enumerate(solution.equilibria)
        if e.pure_profile is not None
    }


def _box(points: Sequence[Point], scale: float) -> Box | None:
    """The bounding box of points; a side within tolerance of zero is made exactly zero."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    low = (min(xs), min(ys))
    flat_x = compare(low[0], max(xs), scale) == 0
    flat_y = compare(low[1], max(ys), scale) == 0
    if flat_x and flat_y:
        return None
    return (low, (low[0] if flat_x else max(xs), low[1] if flat_y else max(ys)))


def _continua(solution: Solution, position: dict[int, Point], scale: float) -> tuple[Box, ...]:
    boxes: list[Box] = []
    for convex in solution.convex_sets:
        if len(convex.equilibria) > 1:
            box = _box([position[k] for k in convex.equilibria], scale)
            if box is not None and not any(_same_box(box, other, scale) for other in boxes):
                boxes.append(box)
    return tuple(boxes)


def _same_box(first: Box, second: Box, scale: float) -> bool:
    return all(
        compare(a, b, scale) == 0
        for p, q in zip(first, second, strict=True)
        for a, b in zip(p, q, strict=True)
    )


def _outcome_groups(game: Game) -> list[tuple[Point, list[tuple[int, int]]]]:
    """The distinct payoff points of a two-player game's pure profiles, in the order first
    reached, each with its profiles: a profile joins the first point tied with its payoffs
    (:func:`~sim.certificate.compare` on both coordinates), else starts a new point.

    Exact ties are looked up by value. A float game's points are filed in a grid of cells
    ``TOLERANCE * scale`` wide, and a profile is compared only with the points of nearby
    cells (two cells either way, beyond what rounding can move a tie): the same groups as
    comparing with every point, in a time linear in the number of profiles.

    >>> from sim.game import Game
    >>> game = Game.from_arrays([[1, 0], [1, 2]], [[0.5, 0], [0.5 + 1e-12, 3]])
    >>> _outcome_groups(game)  # (1, 0.5) and (1, 0.5 + 1e-12) are tied
    [((1.0, 0.5), [(0, 0), (1, 0)]), ((0.0, 0.0), [(0, 1)]), ((2.0, 3.0), [(1, 1)])]
    """
    scale = game.scale()
    width = TOLERANCE * scale
    groups: list[tuple[Point, list[tuple[int, int]]]] = []
    exact: dict[Point, int] = {}
    cells: dict[tuple[int, int], list[int]] = {}
    for r, row in enumerate(game.payoffs.tolist()):
        for c, (u, v) in enumerate(row):
            point = (u, v)
            if game.is_exact:
                found = exact.setdefault(point, len(groups))
            else:
                x, y = math.floor(float(point[0]) / width), math.floor(float(point[1]) / width)
                near = [
                    k
                    for dx in range(-2, 3)
                    for dy in range(-2, 3)
                    for k in cells.get((x + dx, y + dy), ())
                    if compare(groups[k][0][0], point[0], scale) == 0
                    and compare(groups[k][0][1], point[1], scale) == 0
                ]
                found = min(near, default=len(groups))
                if found == len(groups):
                    cells.setdefault((x, y), []).append(found)
            if found == len(groups):
                groups.append((point, []))
            groups[found][1].append((r, c))
    return groups


def _hull_candidates(points: Sequence[Point]) -> list[Point]:
    """Exact points less those strictly inside the polygon of the extreme points in eight
    directions (the Akl and Toussaint 1978 heuristic): none of them can be a vertex of the
    convex hull, so :func:`convex_hull` finds the same hull from the rest, sooner.

    The extreme points in directions of increasing angle follow the hull counterclockwise,
    so a point is strictly inside their polygon when it is strictly left of every edge; a
    degenerate polygon (a segment or a point) has no inside and leaves out nothing.

    >>> from fractions import Fraction as F
    >>> diamond = [(F(0), F(1)), (F(1), F(0)), (F(2), F(1)), (F(1), F(2)), (F(1), F(1))]
    >>> len(_hull_candidates(diamond))  # the centre is left out
    4
    """
    # In integers over a common denominator (the same picture, scaled): far quicker.
    denominator = math.lcm(*(Fraction(v).denominator for p in points for v in p))
    scaled = [(int(p[0] * denominator), int(p[1] * denominator)) for p in points]
    corners: list[tuple[int, int]] = []
    for dx, dy in _DIRECTIONS:
        corner = max(scaled, key=lambda p: (dx * p[0] + dy * p[1], p))
        if not corners or corner != corners[-1]:
            corners.append(corner)
    while len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    if len(corners) < 3:
        return list(points)
    edges = list(zip(corners, corners[1:] + corners[:1], strict=True))

    def inside(p: tuple[int, int]) -> bool:
        return all(
            (q[0] - o[0]) * (p[1] - o[1]) - (q[1] - o[1]) * (p[0] - o[0]) > 0 for o, q in edges
        )

    return [p for p, q in zip(points, scaled, strict=True) if not inside(q)]


_DIRECTIONS = ((0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1))
"""Eight directions counterclockwise, from straight down: where :func:`_hull_candidates`
takes the extreme points."""


# --------------------------------------------------------------------------- bimatrix
def bimatrix_data(
    game: Game, solution: Solution, status_quo: Sequence[int | str] | None = None
) -> BimatrixData:
    """The payoff table: payoffs as text, best responses, pure equilibria and the caption.

    The caption lists every mixed extreme equilibrium with its probabilities and payoffs,
    each continuum of equilibria, and says when mixed equilibria were not searched.

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]], players=("Ann", "Bob"),
    ...                           moves=(("opera", "match"), ("opera", "match")))
    >>> data = bimatrix_data(battle, solve(battle), status_quo=(1, 0))
    >>> cell = data.cells[0][0]
    >>> cell.texts, cell.best_response, cell.equilibrium, cell.status_quo
    (('2', '1'), (True, True), 'NE1', False)
    >>> data.caption
    ('NE2: Ann plays 2/3 opera + 1/3 match; Bob plays 1/3 opera + 2/3 match; payoffs (2/3, 2/3)',)
    """
    _require_two_players(game, "payoff table")
    _check_solution(game, solution)
    quo = _status_quo(game, status_quo)
    a, b = game.payoff_matrix(0), game.payoff_matrix(1)
    rows, columns = game.shape
    responses = best_responses(game)
    pure = _pure_labels(solution)
    cells = tuple(
        tuple(
            PayoffCell(
                profile=(r, c),
                payoffs=(a[r, c], b[r, c]),
                texts=(value_text(a[r, c]), value_text(b[r, c])),
                best_response=_pair(responses.check((r, c)).best_responding),
                equilibrium=pure.get((r, c)),
                status_quo=quo == (r, c),
            )
            for c in range(columns)
        )
        for r in range(rows)
    )
    return BimatrixData(
        title=game.title,
        players=(game.players[0], game.players[1]),
        moves=(game.moves[0], game.moves[1]),
        cells=cells,
        caption=_caption(game, solution),
    )


def _caption(game: Game, solution: Solution) -> tuple[str, ...]:
    lines = []
    for k, e in enumerate(solution.equilibria):
        if not e.is_pure:
            mixes = "; ".join(
                f"{name} plays {_mix_text(game, i, e.strategies[i])}"
                for i, name in enumerate(game.players)
            )
            payoffs = ", ".join(value_text(v) for v in e.payoffs)
            lines.append(f"{equilibrium_label(k)}: {mixes}; payoffs ({payoffs})")
    for convex in solution.convex_sets:
        if len(convex.equilibria) > 1:
            labels = ", ".join(equilibrium_label(k) for k in convex.equilibria)
            lines.append(f"Continuum: every convex combination of {labels} is an equilibrium")
    if solution.complete == "pure":
        lines.append(f"Mixed equilibria were not searched (method: {solution.method}).")
    if not solution.equilibria:
        lines.append("No equilibrium found.")
    return tuple(lines)


# ------------------------------------------------------------------------ payoff space
def payoff_space_data(
    game: Game,
    solution: Solution,
    status_quo: Sequence[int | str] | None = None,
    correlated: CorrelatedAnalysis | None = None,
) -> PayoffSpaceData:
    """Pure outcomes, their convex hull and Pareto frontier, equilibria and the status quo.

    With ``correlated`` (:func:`sim.analysis.correlated.correlated_analysis` of the game),
    also the payoff regions of the correlated and coarse correlated equilibria and the
    welfare-maximising correlated equilibrium (see :class:`PayoffSpaceData`).

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> data = payoff_space_data(pennies, solve(pennies), status_quo=("s1", "s2"))
    >>> def text(points):
    ...     return [f"({value_text(x)}, {value_text(y)})" for x, y in points]
    >>> text(data.hull), text(data.frontier)
    (['(-1, 1)', '(1, -1)'], ['(-1, 1)', '(1, -1)'])
    >>> text([data.equilibria[0].position, data.status_quo]), data.status_quo_label
    (['(0, 0)', '(-1, 1)'], 'status quo (s1, s2)')

    Chicken: a mediator reaches payoffs no Nash equilibrium gives.

    >>> from sim.analysis.correlated import correlated_analysis
    >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    >>> data = payoff_space_data(chicken, solve(chicken), correlated=correlated_analysis(chicken))
    >>> text(data.correlated_region), text([data.correlated_best]), data.coarse_region
    (['(2, 7)', '(18/5, 18/5)', '(7, 2)', '(21/4, 21/4)'], ['(21/4, 21/4)'], ())
    """
    _require_two_players(game, "payoff-space figure")
    _check_solution(game, solution)
    quo = _status_quo(game, status_quo)
    scale = game.scale()
    groups = _outcome_groups(game)
    points = [point for point, _ in groups]
    efficient = set(pareto_efficient(game).efficient)
    outcomes = tuple(
        Outcome(
            payoffs=point,
            profiles=tuple(members),
            label="\n".join(_profile_label(game, p) for p in members),
            efficient=members[0] in efficient,
        )
        for point, members in groups
    )
    hull = convex_hull(_hull_candidates(points) if game.is_exact else points, scale)
    frontier = hull_frontier(hull, scale)
    positions = {k: (e.payoffs[0], e.payoffs[1]) for k, e in enumerate(solution.equilibria)}
    marks: list[tuple[Point, bool, list[str]]] = []
    for k, e in enumerate(solution.equilibria):
        at = positions[k]
        for point, pure, labels in marks:
            same = compare(point[0], at[0], scale) == 0 and compare(point[1], at[1], scale) == 0
            if same and pure == e.is_pure:
                labels.append(equilibrium_label(k))
                break
        else:
            marks.append((at, e.is_pure, [equilibrium_label(k)]))
    quo_point = None if quo is None else (game.payoff(quo)[0], game.payoff(quo)[1])
    region: tuple[Point, ...] = ()
    coarse: tuple[Point, ...] = ()
    best: Point | None = None
    best_label = None
    if correlated is not None:
        _check_correlated(game, correlated)
        if correlated.polytope is not None and correlated.polytope.polygon is not None:
            region = correlated.polytope.polygon
        polytope = correlated.coarse_polytope
        if polytope is not None and polytope.polygon is not None:
            coarse = () if _same_polygon(polytope.polygon, region, scale) else polytope.polygon
        welfare = correlated.best_welfare
        best = (welfare.payoffs[0], welfare.payoffs[1])
        best_label = (
            f"welfare-maximising correlated equilibrium (total {value_text(welfare.welfare)})"
        )
    return PayoffSpaceData(
        title=game.title,
        axis_labels=(f"{game.players[0]} payoff", f"{game.players[1]} payoff"),
        outcomes=outcomes,
        hull=hull,
        frontier=frontier,
        equilibria=tuple(EquilibriumMark(", ".join(ls), at, pure) for at, pure, ls in marks),
        continua=_continua(solution, positions, scale),
        status_quo=quo_point,
        status_quo_label=None if quo is None else f"status quo {_profile_label(game, quo)}",
        correlated_region=region,
        coarse_region=coarse,
        correlated_best=best,
        correlated_best_label=best_label,
    )


# ---------------------------------------------------------------------- best responses
def _step_path(
    at_zero: int, at_one: int, threshold: Value | None, zero: Value, one: Value
) -> tuple[tuple[Value, Value], ...]:
    """A best-response path as ``(own, other)`` points from the signs of the payoff gain.

    ``at_zero`` and ``at_one`` are the signs of (first move's payoff - second move's) when
    the other player's probability of its first move is 0 and 1; the player's own
    probability is 1 where the sign is positive and 0 where it is negative.
    """

    def own(sign: int) -> Value:
        return one if sign > 0 else zero

    if at_zero == 0:
        return ((one - own(at_one), zero), (own(at_one), zero), (own(at_one), one))
    if at_one == 0:
        return ((own(at_zero), zero), (own(at_zero), one), (one - own(at_zero), one))
    if at_zero == at_one:
        return ((own(at_zero), zero), (own(at_zero), one))
    assert threshold is not None
    return (
        (own(at_zero), zero),
        (own(at_zero), threshold),
        (own(at_one), threshold),
        (own(at_one), one),
    )


def _curve(game: Game, player: int, gain_at_zero: Value, gain_at_one: Value) -> BestResponseCurve:
    scale = game.scale()
    zero: Value = Fraction(0) if game.is_exact else 0.0
    one: Value = Fraction(1) if game.is_exact else 1.0
    at_zero, at_one = compare(gain_at_zero, 0, scale), compare(gain_at_one, 0, scale)
    name = game.players[player]
    if at_zero == 0 and at_one == 0:
        return BestResponseCurve(player, name, (), True, None)
    threshold: Value | None = None
    if at_zero == 0:
        threshold = zero
    elif at_one == 0:
        threshold = one
    elif at_zero != at_one:
        threshold = gain_at_zero / (gain_at_zero - gain_at_one)
    path = _step_path(at_zero, at_one, threshold, zero, one)
    if player == 1:
        path = tuple((other, own) for own, other in path)
    return BestResponseCurve(player, name, path, False, threshold)


def best_response_data(game: Game, solution: Solution) -> BestResponseData:
    """Both players' best-response correspondences of a 2×2 game and where they meet.

    Player 1's gain from its first move is linear in ``y``; it plays its first move
    (``x = 1``) where the gain is positive, its second (``x = 0``) where negative, and any
    ``x`` where it is zero. Likewise for player 2 with the roles of ``x`` and ``y`` swapped.

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> data = best_response_data(battle, solve(battle))
    >>> [value_text(v) for point in data.curves[0].path for v in point]
    ['0', '0', '0', '1/3', '1', '1/3', '1', '1']
    >>> [m.position for m in data.equilibria if not m.pure]
    [(Fraction(2, 3), Fraction(1, 3))]
    """
    if game.shape != (2, 2):
        raise SimError(
            "the best-response diagram is drawn for 2×2 games (two players with two moves "
            f"each); {game.title or 'this game'} has shape "
            f"{' × '.join(str(k) for k in game.shape)}"
        )
    _check_solution(game, solution)
    a, b = game.payoff_matrix(0), game.payoff_matrix(1)
    curves = (
        _curve(game, 0, a[0, 1] - a[1, 1], a[0, 0] - a[1, 0]),
        _curve(game, 1, b[1, 0] - b[1, 1], b[0, 0] - b[0, 1]),
    )
    positions = {
        k: (e.strategies[0][0], e.strategies[1][0]) for k, e in enumerate(solution.equilibria)
    }
    marks = tuple(
        EquilibriumMark(equilibrium_label(k), positions[k], e.is_pure)
        for k, e in enumerate(solution.equilibria)
    )
    (p1, p2), (m1, m2) = game.players, game.moves
    return BestResponseData(
        title=game.title,
        axis_labels=(f"P({p1} plays {m1[0]})", f"P({p2} plays {m2[0]})"),
        moves=((m1[0], m1[1]), (m2[0], m2[1])),
        curves=curves,
        equilibria=marks,
        continua=_continua(solution, positions, game.scale()),
    )
