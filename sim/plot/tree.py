"""The game-tree figure: a tree drawn from the root, with the subgame-perfect choices marked.

As elsewhere in :mod:`sim.plot`, the figure is drawn from a plain frozen dataset computed
first (:func:`tree_data`, tested value by value), matplotlib is imported only inside
:func:`tree_figure`, and the figure is a new :class:`matplotlib.figure.Figure` built with the
object-oriented API (saving it is the caller's job).

Conventions, stated once:

* **Layout.** The tree grows from left to right, as Gambit draws it: the root is on the
  left, each depth is one column, and the leaves (terminal nodes) are evenly spaced rows,
  the first move's subtree on top. A node's position is ``(level, row)``: its depth and its
  row, counted down from the top; a leaf's row is its place among the leaves (0, 1, 2...)
  and a parent's row is the middle of its first and last child's (the layered layout of
  Reingold & Tilford, "Tidier drawings of trees", *IEEE Trans. Software Engineering* 7,
  1981, with every leaf on a row of its own). Left to right keeps
  every label horizontal and leaves room for one row per leaf, so trees of 5 to 40 leaves
  with long move names stay readable; the figure is as tall as the leaves need and as
  wide as the columns' labels.
* **Edges.** An edge leaves its parent on a slant and reaches its child along a horizontal
  run that carries the move's name above it (a chance outcome's probability below it);
  names longer than :data:`NAME_WIDTH` characters are wrapped after ``_``, ``-`` or spaces.
  The name of the player moving at a node (or ``chance``) is above the run, next to the
  node; a terminal node's payoffs ``(3, 4)`` (in player order) are to its right. Every text
  of a column sits in the band of its own row, so no two texts overlap.
* **Subgame-perfect choices.** ``choices`` gives one entry per node: the move index picked
  at a decision node, ``None`` at chance and terminal nodes (or at a decision node with no
  choice to show). Chosen edges are bold and green; the *equilibrium path* (from the root,
  the chosen move at each decision node and every outcome of positive probability at each
  chance node) is boldest; the other edges are thin and grey.
* **Information sets** with several nodes join each pair of neighbouring nodes (sorted by
  level, then row) by a dashed bracket, and the set's name is under each of its nodes. The
  bracket leaves each node to the right at about 60 degrees (clear of the node's own
  edges), runs down a *lane* a little right of the nodes' column, inside the slanted part
  of their edges (:data:`FAN`) where no text is, and its corners are rounded. Sets of one
  column whose rows interleave or nest get different lanes: each lane further right (a set
  inside another on the inside), with its own colour and dashes (:data:`LINK_STYLES`), so
  two sets' brackets only ever cross, at 25 degrees or more, and never run together. A
  terminal node of the column that a bracket passes is given room (its payoffs move right
  of the lane). Sets with nodes in several columns also join their neighbours across
  columns; such a bracket can cross the texts between them (rare in practice).

>>> from fractions import Fraction
>>> from sim.tree import Node, Tree
>>> entry = Tree.build(
...     players=("Entrant", "Incumbent"),
...     nodes=[
...         Node("start", player=0, moves=("stay_out", "enter"), children=(1, 2)),
...         Node("stay_out", payoffs=(Fraction(0), Fraction(2))),
...         Node("entered", player=1, moves=("fight", "accommodate"), children=(3, 4)),
...         Node("fight", payoffs=(Fraction(-1), Fraction(-1))),
...         Node("accommodate", payoffs=(Fraction(1), Fraction(1))),
...     ],
... )
>>> data = tree_data(entry, [1, None, 1, None, None], title="Entry")
>>> [node.position for node in data.nodes]
[(0, 0.75), (1, 0.0), (1, 1.5), (2, 1.0), (2, 2.0)]
>>> data.path
((0, 2), (2, 4))
"""

from __future__ import annotations

import math
import operator
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from sim.certificate import compare
from sim.errors import SimError
from sim.game import Value, value_text
from sim.plot.figures import (
    BLACK,
    BLUE,
    CAPTION_FONT,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
)
from sim.tree import Tree

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "LINK_STYLES",
    "InformationLink",
    "TreeData",
    "TreeEdge",
    "TreeNode",
    "tree_data",
    "tree_figure",
    "wrap_name",
]

Position = tuple[float, float]
"""``(level, row)``: a node's depth and its row counted down from the top (leaves 0, 1...)."""
Point = tuple[float, float]
"""``(x, y)`` in inches from the top left of the tree's area (``y`` grows downwards)."""

NAME_WIDTH = 24
"""Characters per line of a move name; longer names are wrapped after ``_``, ``-`` or spaces."""
HIGHLIGHT = GREEN
"""Colour of the subgame-perfect choices and the equilibrium path."""
NODE_COLOURS = (BLUE, VERMILLION, PURPLE, ORANGE, SKY, BLACK)
"""Colours of players 1, 2, 3... (the first two as in every figure; green is the highlight)."""
OTHER_COLOUR = "#B3B3B3"
"""Edges not chosen, when choices are shown."""
PLAIN_COLOUR = "#4D4D4D"
"""Edges when no choices are shown."""
PATH_WIDTH, CHOSEN_WIDTH, OTHER_WIDTH, PLAIN_WIDTH = 4.2, 2.2, 0.9, 1.3
"""Line widths (points) of the equilibrium path, other chosen edges, the rest, and edges
when no choices are shown."""

FONT = 9.0
"""Move names, player names and payoffs (points)."""
SMALL_FONT = 8.0
"""Probabilities and information-set names (points)."""
TITLE_FONT = 11.0
FAN = 0.45
"""Inches across the slanted part of an edge."""
OFFSET = 2.5 / 72
"""Inches between an edge and the text above or below it."""
SPACE = 6 / 72
"""Inches between two texts side by side, and between a node and its texts."""
ROW_GAP = 5 / 72
"""Inches kept free between the texts of neighbouring rows."""
MIN_WIDTH = 7.0
"""Inches: enough for the legend in one row and a readable title."""
BULGE, LANE_STEP, MAX_BULGE = 0.15, 0.11, FAN - 0.06
"""Inches an information set's lane is right of its column: :data:`BULGE` in lane 0,
:data:`LANE_STEP` more per lane, the lanes squeezed together when a column has so many
that the last would pass :data:`MAX_BULGE` (short of the move names after the slant)."""
LEG_ANGLE, LEG_ANGLES, LEG_CLEARANCE = 60, range(30, 66), 10
"""Degrees below (or above) the horizontal of an information set's legs: :data:`LEG_ANGLE`,
or the angle of :data:`LEG_ANGLES` nearest it that keeps :data:`LEG_CLEARANCE` degrees from
the node's own slanted edges on that side (the clearest angle when none does). Legs at 65
degrees or less cross other sets' vertical runs at 25 degrees or more."""
ROUNDING = 0.05
"""Inches before and after a corner of an information set's bracket where it turns."""
LINK_STYLES: tuple[tuple[str, tuple[float, ...]], ...] = (
    (BLACK, (4.0, 3.0)),
    (SKY, (7.0, 2.0, 1.5, 2.0)),
    (PURPLE, (1.5, 1.5)),
    (ORANGE, (8.0, 3.0)),
    (GREY, (3.0, 1.5, 1.5, 1.5, 1.5, 1.5)),
)
"""Colour and dash pattern (points on, off...) of the information-set brackets of lanes 0, 1,
2... (Okabe-Ito colours other than the players' first two and the highlight green; the
dashes tell the lanes apart in grey too)."""
LINK_WIDTH = 1.5
"""Line width (points) of the information-set brackets."""


# ------------------------------------------------------------------------- datasets
@dataclass(frozen=True)
class TreeNode:
    """One node as drawn.

    ``label`` is the player's name at a decision node, ``"chance"`` at a chance node and the
    payoffs in player order, e.g. ``"(3, 4)"``, at a terminal node. ``information_set`` is
    the name of the node's information set when the set has several nodes, else ``""``.
    """

    name: str
    kind: str
    position: Position
    label: str
    player: int | None
    information_set: str
    on_path: bool


@dataclass(frozen=True)
class TreeEdge:
    """The edge from ``parent`` to ``child``, reached by ``move``.

    ``text`` is the move's name as drawn (wrapped, :data:`NAME_WIDTH`); ``probability`` is
    the probability of a chance outcome as readable text (``"1/3"``), ``None`` after a
    decision node. ``chosen``: the subgame-perfect choice at ``parent``; ``on_path``: on the
    equilibrium path.
    """

    parent: int
    child: int
    move: str
    text: str
    probability: str | None
    chosen: bool
    on_path: bool


@dataclass(frozen=True)
class InformationLink:
    """Two neighbouring nodes of one information set, joined by a dashed bracket.

    ``ends`` are the two nodes' positions (the upper-left one first). ``lane`` is the set's
    lane in its column (0 innermost; sets of one column whose rows overlap have different
    lanes), ``bulge`` the inches its run is right of the column, and ``style`` its colour
    and dashes, an index into :data:`LINK_STYLES`. ``fans`` are each end's children's rows
    less the end's row (its slanted edges, which the legs keep clear of). :meth:`corners`
    and :meth:`path` give the bracket in inches (see the module docstring).
    """

    name: str
    player: str
    nodes: tuple[int, int]
    ends: tuple[Position, Position]
    lane: int = 0
    bulge: float = BULGE
    style: int = 0
    fans: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())

    def corners(self, place: Callable[[Position], Point]) -> tuple[Point, ...]:
        """The bracket's corners in inches, from the first end to the second, where
        ``place`` puts a position in inches.

        From each end a leg falls (from the upper end) or rises (from the lower) to the
        right, at an angle clear of that end's edges (:data:`LEG_ANGLE`), until it is
        ``bulge`` right of the column (of the rightmost end), and a vertical run joins the
        legs: four corners. When the ends are too close for that, the legs meet at one
        point nearer the column: three corners (two, a straight line, when an end is so far
        right of the other that the legs cannot meet).

        >>> link = InformationLink("s", "US", (1, 2), ((1, 0.0), (1, 2.0)), bulge=0.25)
        >>> inches = link.corners(lambda position: (2.0 * position[0], position[1]))
        >>> [(round(x, 4), round(y, 4)) for x, y in inches]
        [(2.0, 0.0), (2.25, 0.433), (2.25, 1.567), (2.0, 2.0)]
        """
        start, end = place(self.ends[0]), place(self.ends[1])
        flip = end[1] < start[1]
        top, bottom = (1, 0) if flip else (0, 1)
        (x_top, y_top), (x_bottom, y_bottom) = (end, start) if flip else (start, end)
        falls = _leg_slope(self.ends[top], self.fans[top], 1, place)
        rises = _leg_slope(self.ends[bottom], self.fans[bottom], -1, place)
        lane = max(x_top, x_bottom) + self.bulge
        down = y_top + falls * (lane - x_top)
        up = y_bottom - rises * (lane - x_bottom)
        points: list[Point]
        if down < up:
            points = [(x_top, y_top), (lane, down), (lane, up), (x_bottom, y_bottom)]
        else:  # the legs meet: y_top + falls * u = y_bottom - rises * (u - (x_bottom - x_top))
            right = (y_bottom - y_top + rises * (x_bottom - x_top)) / (falls + rises)
            if right < 0 or right < x_bottom - x_top:
                points = [(x_top, y_top), (x_bottom, y_bottom)]
            else:
                apex = (x_top + right, y_top + falls * right)
                points = [(x_top, y_top), apex, (x_bottom, y_bottom)]
        return tuple(reversed(points)) if flip else tuple(points)

    def path(self, place: Callable[[Position], Point], steps: int = 8) -> tuple[Point, ...]:
        """The bracket as drawn: the :meth:`corners` joined by straight lines, each inner
        corner rounded off by a parabola (``steps`` pieces) that starts and ends
        :data:`ROUNDING` inches from it (less on short sides, never past their middle).

        >>> link = InformationLink("s", "US", (1, 2), ((1, 0.0), (1, 2.0)), bulge=0.25)
        >>> points = link.path(lambda position: (2.0 * position[0], position[1]), steps=2)
        >>> len(points), points[0], points[-1]
        (8, (2.0, 0.0), (2.0, 2.0))
        """
        corners = self.corners(place)
        out = [corners[0]]
        for before, corner, after in zip(corners, corners[1:], corners[2:], strict=False):
            into, out_of = _unit(before, corner), _unit(corner, after)
            cut = min(ROUNDING, into[2] / 2, out_of[2] / 2)
            a = (corner[0] - cut * into[0], corner[1] - cut * into[1])
            b = (corner[0] + cut * out_of[0], corner[1] + cut * out_of[1])
            for k in range(steps + 1):
                t = k / steps
                out.append(
                    (
                        (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * corner[0] + t**2 * b[0],
                        (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * corner[1] + t**2 * b[1],
                    )
                )
        out.append(corners[-1])
        return tuple(out)


def _leg_slope(
    end: Position, fans: Sequence[float], side: int, place: Callable[[Position], Point]
) -> float:
    """Inches down (``side`` 1) or up (-1) per inch right of the leg from ``end``, whose
    children are ``fans`` rows away: :data:`LEG_ANGLE` or the nearest angle clear of the
    edges on that side (see :data:`LEG_ANGLES`)."""
    level, row = end
    y = place(end)[1]
    edges = [
        math.degrees(math.atan2(abs(place((level, row + fan))[1] - y), FAN))
        for fan in fans
        if fan * side > 0
    ]

    def score(angle: int) -> tuple[float, int]:
        clearance = min((abs(angle - edge) for edge in edges), default=90.0)
        return min(clearance, LEG_CLEARANCE), -abs(angle - LEG_ANGLE)

    return math.tan(math.radians(max(LEG_ANGLES, key=score)))


def _unit(a: Point, b: Point) -> tuple[float, float, float]:
    """The direction from ``a`` to ``b`` and their distance (direction 0 when they meet)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = (dx * dx + dy * dy) ** 0.5
    return (dx / length, dy / length, length) if length else (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class TreeData:
    """What :func:`tree_figure` draws (see the module docstring).

    ``nodes`` are in the tree's order, ``edges`` in the order of their child node.
    ``chosen`` and ``path`` are the ``(parent, child)`` pairs of the chosen edges and of the
    equilibrium path (empty without choices; the path is part of the chosen edges plus the
    chance outcomes on the way). ``leaves`` is the number of rows, ``depth`` the deepest
    level.
    """

    title: str
    players: tuple[str, ...]
    nodes: tuple[TreeNode, ...]
    edges: tuple[TreeEdge, ...]
    links: tuple[InformationLink, ...]
    chosen: tuple[tuple[int, int], ...]
    path: tuple[tuple[int, int], ...]
    highlighted: bool
    leaves: int
    depth: int
    caption: tuple[str, ...]


def wrap_name(name: str, width: int = NAME_WIDTH) -> str:
    """A move name broken into lines of at most ``width`` characters after ``_``, ``-`` or
    spaces (a piece longer than ``width`` stays whole).

    >>> wrap_name("impose_comprehensive_export_controls")
    'impose_comprehensive_\\nexport_controls'
    >>> wrap_name("maintain_chip_controls"), wrap_name("a b", 1)
    ('maintain_chip_controls', 'a\\nb')
    """
    pieces = re.findall(r"[^_\-\s]*[_\-\s]+|[^_\-\s]+$", name) or [name]
    lines = [""]
    for piece in pieces:
        if lines[-1] and len(lines[-1] + piece.rstrip()) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(line.rstrip(" ") for line in lines)


def _positions(tree: Tree) -> tuple[list[int], list[float], int]:
    """Each node's level and row, and the number of leaves (see the module docstring)."""
    nodes = tree.nodes
    levels = [0] * len(nodes)
    for index, node in enumerate(nodes):
        for child in node.children:
            levels[child] = levels[index] + 1
    rows = [0.0] * len(nodes)
    leaves = 0
    stack = [0]
    while stack:  # depth first, first move first: the leaves' order from the top
        index = stack.pop()
        if nodes[index].children:
            stack.extend(reversed(nodes[index].children))
        else:
            rows[index] = float(leaves)
            leaves += 1
    for index in reversed(range(len(nodes))):
        children = nodes[index].children
        if children:
            rows[index] = (rows[children[0]] + rows[children[-1]]) / 2
    return levels, rows, leaves


def _checked_choices(tree: Tree, choices: Sequence[int | None]) -> list[int | None]:
    if len(choices) != len(tree.nodes):
        raise SimError(
            f"choices has {len(choices)} entries but the tree has {len(tree.nodes)} nodes; "
            "give one per node (a move index at decision nodes, None at the others)"
        )
    out: list[int | None] = []
    for node, choice in zip(tree.nodes, choices, strict=True):
        if choice is None:
            out.append(None)
            continue
        if node.kind != "decision":
            raise SimError(
                f"choices gives move {choice!r} at the {node.kind} node {node.name!r}; "
                "only decision nodes have a choice: give None there"
            )
        try:
            move = operator.index(choice)
        except TypeError as err:
            raise SimError(f"choice {choice!r} at node {node.name!r} is not a move index") from err
        if isinstance(choice, bool) or not 0 <= move < len(node.moves):
            raise SimError(
                f"choice {choice!r} at node {node.name!r} is not a move index; its moves are "
                + ", ".join(f"{k}: {m}" for k, m in enumerate(node.moves))
            )
        out.append(move)
    for info in tree.information_sets:
        picked = sorted({m for i in info.nodes if (m := out[i]) is not None})
        if len(picked) > 1:
            raise SimError(
                f"choices pick different moves at the nodes of information set {info.name!r} "
                f"({', '.join(info.moves[m] for m in picked)}); a player picks one "
                "move for the whole set"
            )
    return out


def _highlight(
    tree: Tree, choices: Sequence[int | None]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]], list[Value] | None]:
    """Chosen edges, equilibrium-path edges and, when the path reaches only terminal nodes,
    its expected payoffs."""
    chosen = {
        (i, node.children[m])
        for i, (node, m) in enumerate(zip(tree.nodes, choices, strict=True))
        if m is not None
    }
    path: set[tuple[int, int]] = set()
    reach: dict[int, Value] = {0: Fraction(1)}
    complete = True
    for index, node in enumerate(tree.nodes):  # parents first
        if index not in reach:
            continue
        if node.kind == "chance":
            for child, p in zip(node.children, node.probabilities, strict=True):
                if compare(p, 0) > 0:
                    path.add((index, child))
                    reach[child] = reach[index] * p
        elif node.kind == "decision":
            move = choices[index]
            if move is None:
                complete = False
            else:
                path.add((index, node.children[move]))
                reach[node.children[move]] = reach[index]
    if not complete:
        return chosen, path, None
    totals: list[Value] = [Fraction(0)] * len(tree.players)
    for index, weight in reach.items():
        if tree.nodes[index].kind == "terminal":
            for player, payoff in enumerate(tree.nodes[index].payoffs):
                totals[player] += weight * payoff
    return chosen, path, totals


def _payoff_text(payoffs: Sequence[Value]) -> str:
    return "(" + ", ".join(value_text(v) for v in payoffs) + ")"


def tree_data(
    tree: Tree, choices: Sequence[int | None] | None = None, *, title: str = ""
) -> TreeData:
    """The dataset of :func:`tree_figure`: positions, labels, links and highlighted edges.

    Parameters
    ----------
    tree : Tree
        A game tree (e.g. ``scenario.tree``).
    choices : sequence of int or None, optional
        One entry per node: the move index a subgame-perfect equilibrium picks at each
        decision node, ``None`` at chance and terminal nodes. Without it nothing is
        highlighted.
    title : str, optional
        The scenario's title, for the figure's title.

    Returns
    -------
    TreeData
        See the module docstring for the layout and the highlighting.

    Raises
    ------
    SimError
        If ``choices`` does not have one entry per node, gives a move at a chance or
        terminal node, a move index out of range, or different moves within one
        information set.

    >>> from fractions import Fraction
    >>> from sim.tree import Node, Tree
    >>> lottery = Tree.build(
    ...     players=("A", "B"),
    ...     nodes=[
    ...         Node("draw", moves=("high", "low"), children=(1, 2),
    ...              probabilities=(Fraction(1, 3), Fraction(2, 3))),
    ...         Node("high", payoffs=(Fraction(2), Fraction(0))),
    ...         Node("low", payoffs=(Fraction(-1, 2), Fraction(1))),
    ...     ],
    ... )
    >>> data = tree_data(lottery)
    >>> [(e.move, e.probability) for e in data.edges], [n.label for n in data.nodes]
    ([('high', '1/3'), ('low', '2/3')], ['chance', '(2, 0)', '(-1/2, 1)'])
    """
    levels, rows, leaves = _positions(tree)
    chosen: set[tuple[int, int]] = set()
    path: set[tuple[int, int]] = set()
    totals = None
    if choices is not None:
        chosen, path, totals = _highlight(tree, _checked_choices(tree, choices))
    path_nodes = {0} | {child for _, child in path} if choices is not None else set()
    nodes = []
    for index, node in enumerate(tree.nodes):
        if node.kind == "decision":
            label = tree.players[node.player or 0]
        elif node.kind == "chance":
            label = "chance"
        else:
            label = _payoff_text(node.payoffs)
        info = (
            tree.information_sets[node.information_set]
            if node.information_set is not None
            else None
        )
        nodes.append(
            TreeNode(
                name=node.name,
                kind=node.kind,
                position=(levels[index], rows[index]),
                label=label,
                player=node.player,
                information_set=info.name if info is not None and len(info.nodes) > 1 else "",
                on_path=index in path_nodes,
            )
        )
    edges = []
    for index, node in enumerate(tree.nodes):
        for k, (move, child) in enumerate(zip(node.moves, node.children, strict=True)):
            edges.append(
                TreeEdge(
                    parent=index,
                    child=child,
                    move=move,
                    text=wrap_name(move),
                    probability=value_text(node.probabilities[k]) if node.probabilities else None,
                    chosen=(index, child) in chosen,
                    on_path=(index, child) in path,
                )
            )
    edges.sort(key=lambda e: e.child)
    lanes, bulges = _lanes(tree, levels, rows)
    links = []
    for k, info in enumerate(tree.information_sets):
        members = sorted(info.nodes, key=lambda i: (levels[i], rows[i]))
        for a, b in pairwise(members):
            lane = lanes.get((k, levels[a]), 0)
            links.append(
                InformationLink(
                    info.name,
                    tree.players[info.player],
                    (a, b),
                    ((levels[a], rows[a]), (levels[b], rows[b])),
                    lane=lane,
                    bulge=bulges.get((k, levels[a]), BULGE),
                    style=lane % len(LINK_STYLES),
                    fans=(
                        tuple(rows[c] - rows[a] for c in tree.nodes[a].children),
                        tuple(rows[c] - rows[b] for c in tree.nodes[b].children),
                    ),
                )
            )
    return TreeData(
        title=title,
        players=tree.players,
        nodes=tuple(nodes),
        edges=tuple(edges),
        links=tuple(links),
        chosen=tuple(sorted(chosen, key=lambda e: e[1])),
        path=tuple(sorted(path, key=lambda e: e[1])),
        highlighted=choices is not None,
        leaves=leaves,
        depth=max(levels),
        caption=_caption(tree, choices is not None, bool(links), totals, path_nodes),
    )


def _lanes(
    tree: Tree, levels: Sequence[int], rows: Sequence[float]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], float]]:
    """The lane and bulge of each information set (index) in each column (level) where it
    has several nodes.

    The sets' spans of rows in a column are placed shortest first, each in the lowest lane
    no overlapping span placed before it has taken: a span inside another is placed first,
    so its curve lies inside, and the lanes are as few as any overlapping spans need.
    """
    spans: dict[tuple[int, int], tuple[float, float]] = {}
    for k, info in enumerate(tree.information_sets):
        for level in {levels[i] for i in info.nodes}:
            column = [rows[i] for i in info.nodes if levels[i] == level]
            if len(column) > 1:
                spans[(k, level)] = (min(column), max(column))
    lanes: dict[tuple[int, int], int] = {}
    for key, (low, high) in sorted(spans.items(), key=lambda s: (s[1][1] - s[1][0], s[1][0])):
        taken = {
            lane
            for other, lane in lanes.items()
            if other[1] == key[1] and spans[other][0] <= high and low <= spans[other][1]
        }
        lanes[key] = min(set(range(len(taken) + 1)) - taken)
    count: dict[int, int] = {}
    for (_, level), lane in lanes.items():
        count[level] = max(count.get(level, 0), lane + 1)
    bulges = {
        key: BULGE + lane * min(LANE_STEP, (MAX_BULGE - BULGE) / max(count[key[1]] - 1, 1))
        for key, lane in lanes.items()
    }
    return lanes, bulges


def _caption(
    tree: Tree,
    highlighted: bool,
    linked: bool,
    totals: Sequence[Value] | None,
    path_nodes: set[int],
) -> tuple[str, ...]:
    chance_on_path = any(tree.nodes[i].kind == "chance" for i in path_nodes)
    lines = [f"Payoffs at the ends are ({', '.join(tree.players)})."]
    if any(node.kind == "chance" for node in tree.nodes):
        lines.append("Under each chance outcome: its probability.")
    if linked:
        lines.append(
            "Nodes joined by a dashed bracket form one information set (its name is under each "
            "node): the player moving there cannot tell them apart."
        )
    if highlighted:
        lines.append(
            "Bold: the move a subgame-perfect equilibrium picks at each decision node; "
            "boldest: the equilibrium path, the moves actually played."
        )
    if totals is not None:
        what = "Expected equilibrium payoffs" if chance_on_path else "Equilibrium payoffs"
        lines.append(
            f"{what}: "
            + ", ".join(f"{p} {value_text(v)}" for p, v in zip(tree.players, totals, strict=True))
            + "."
        )
    return tuple(lines)


# --------------------------------------------------------------------------- drawing
class _Sizer:
    """Text extents in inches, measured with the Agg renderer as the figure is drawn.

    Hinting makes a text's width vary by up to a fifth with the resolution, so each text
    is measured at the usual resolutions and the largest extent kept, with 3% to spare.
    """

    DPIS = (72, 100, 150, 200, 300)

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self._figures = [Figure(dpi=dpi) for dpi in self.DPIS]
        self._renderers = [FigureCanvasAgg(f).get_renderer() for f in self._figures]
        self._cache: dict[tuple[str, float, str, str], tuple[float, float]] = {}

    def __call__(
        self, text: str, size: float = FONT, weight: str = "normal", style: str = "normal"
    ) -> tuple[float, float]:
        """``(width, height)`` of ``text`` in inches."""
        if not text:
            return 0.0, 0.0
        key = (text, size, weight, style)
        if key not in self._cache:
            from matplotlib.text import Text

            width = height = 0.0
            for figure, renderer in zip(self._figures, self._renderers, strict=True):
                artist = Text(
                    0, 0, text, fontsize=size, fontweight=weight, fontstyle=style, parse_math=False
                )
                artist.set_figure(figure)
                box = artist.get_window_extent(renderer)
                width = max(width, box.width / figure.dpi)
                height = max(height, box.height / figure.dpi)
            self._cache[key] = (width * 1.03, height * 1.03)
        return self._cache[key]


def _weight(bold: bool) -> str:
    return "bold" if bold else "normal"


@dataclass(frozen=True)
class _Layout:
    """Where things go, in inches from the top left of the tree's area."""

    columns: tuple[float, ...]  # x of each level
    top: float  # y of row 0
    slot: float  # inches between rows
    width: float
    height: float

    def point(self, position: Position) -> tuple[float, float]:
        level, row = position
        return self.columns[int(level)], self.top + row * self.slot


def _payoff_gaps(data: TreeData) -> list[float]:
    """Inches each node's payoffs move right to clear the information-set curves of its
    column that pass it (0 for nodes no curve passes)."""
    gaps = [0.0] * len(data.nodes)
    for link in data.links:
        (level_a, row_a), (level_b, row_b) = link.ends
        if level_a != level_b:
            continue
        for i, node in enumerate(data.nodes):
            level, row = node.position
            if node.kind == "terminal" and level == level_a and row_a < row < row_b:
                gaps[i] = max(gaps[i], link.bulge)
    return gaps


def _layout(data: TreeData, size: _Sizer) -> _Layout:
    """Columns wide enough for their labels, rows tall enough for their bands of text."""
    nodes = data.nodes
    by_child = {e.child: e for e in data.edges}

    def node_text(i: int) -> tuple[float, float]:
        node = nodes[i]
        return size(node.label) if node.kind != "terminal" else (0.0, 0.0)

    def set_text(i: int) -> tuple[float, float]:
        return size(nodes[i].information_set, SMALL_FONT, style="italic")

    above = below = 0.0
    need = [0.0] * (data.depth + 1)  # width of the run into each level (past the slant)
    for i, node in enumerate(nodes):
        top_width, top_height = node_text(i)
        low_width, low_height = set_text(i)
        if i in by_child:
            edge = by_child[i]
            move_width, move_height = size(edge.text, weight=_weight(edge.chosen))
            p_width, p_height = size(edge.probability or "", SMALL_FONT)
            level = int(node.position[0])
            need[level] = max(
                need[level],
                SPACE + move_width + SPACE + top_width + SPACE,
                SPACE + p_width + SPACE + low_width + SPACE,
                0.3,
            )
            top_height, low_height = max(top_height, move_height), max(low_height, p_height)
        above = max(above, top_height)
        below = max(below, low_height)
        if node.kind == "terminal":
            half = size(node.label, weight=_weight(node.on_path))[1] / 2
            above, below = max(above, half - OFFSET), max(below, half - OFFSET)
    above += OFFSET
    below += OFFSET
    left = SPACE + max(node_text(0)[0], set_text(0)[0]) + SPACE
    columns = [left]
    for level in range(1, data.depth + 1):
        columns.append(columns[-1] + FAN + need[level])
    right = max(columns)
    for node, gap in zip(nodes, _payoff_gaps(data), strict=True):
        if node.kind == "terminal":
            width = size(node.label, weight=_weight(node.on_path))[0]
            right = max(right, columns[int(node.position[0])] + gap + SPACE + width)
    slot = above + below + ROW_GAP
    return _Layout(
        columns=tuple(columns),
        top=above + ROW_GAP,
        slot=slot,
        width=right + SPACE,
        height=above + below + 2 * ROW_GAP + (data.leaves - 1) * slot,
    )


def _edge_style(data: TreeData, edge: TreeEdge) -> tuple[str, float, int]:
    """Colour, width and z-order of an edge."""
    if not data.highlighted:
        return PLAIN_COLOUR, PLAIN_WIDTH, 2
    if edge.on_path:
        return HIGHLIGHT, PATH_WIDTH, 4
    if edge.chosen:
        return HIGHLIGHT, CHOSEN_WIDTH, 3
    return OTHER_COLOUR, OTHER_WIDTH, 2


def _node_colour(node: TreeNode) -> str:
    if node.kind == "decision":
        return NODE_COLOURS[(node.player or 0) % len(NODE_COLOURS)]
    return GREY if node.kind == "chance" else BLACK


def _draw_tree(ax: Axes, data: TreeData, layout: _Layout) -> None:
    nodes = data.nodes
    text: dict[str, Any] = {"parse_math": False}
    for edge in data.edges:
        x0, y0 = layout.point(nodes[edge.parent].position)
        x1, y1 = layout.point(nodes[edge.child].position)
        colour, width, order = _edge_style(data, edge)
        kind = "path" if edge.on_path else "chosen" if edge.chosen else "edge"
        ax.plot(
            [x0, x0 + FAN, x1],
            [y0, y1, y1],
            color=colour,
            linewidth=width,
            solid_capstyle="round",
            solid_joinstyle="round",
            zorder=order,
            gid=kind,
        )
        ax.text(
            x0 + FAN + SPACE,
            y1 - OFFSET,
            edge.text,
            ha="left",
            va="bottom",
            fontsize=FONT,
            fontweight=_weight(edge.chosen),
            color=BLACK if edge.chosen or not data.highlighted else "#555555",
            gid="move",
            **text,
        )
        if edge.probability is not None:
            ax.text(
                x0 + FAN + SPACE,
                y1 + OFFSET,
                edge.probability,
                ha="left",
                va="top",
                fontsize=SMALL_FONT,
                color="#333333",
                gid="probability",
                **text,
            )
    for link in data.links:
        xs, ys = zip(*link.path(layout.point), strict=True)
        colour, dashes = LINK_STYLES[link.style]
        ax.plot(
            xs,
            ys,
            color=colour,
            linestyle=(0, dashes),
            linewidth=LINK_WIDTH,
            zorder=5,
            gid="information-set",
        )
    for node, gap in zip(nodes, _payoff_gaps(data), strict=True):
        x, y = layout.point(node.position)
        colour = _node_colour(node)
        if node.kind == "terminal":
            ax.plot(x, y, "o", color=BLACK, markersize=3.5, zorder=6, gid="terminal")
            ax.text(
                x + gap + SPACE,
                y,
                node.label,
                ha="left",
                va="center",
                fontsize=FONT,
                fontweight=_weight(node.on_path),
                gid="payoffs",
                **text,
            )
            continue
        marker = "o" if node.kind == "decision" else "s"
        ax.plot(
            x,
            y,
            marker,
            color=colour,
            markersize=7,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=6,
            gid=node.kind,
        )
        ax.text(
            x - SPACE,
            y - OFFSET,
            node.label,
            ha="right",
            va="bottom",
            fontsize=FONT,
            color=colour,
            gid="player" if node.kind == "decision" else "chance",
            **text,
        )
        if node.information_set:
            ax.text(
                x - SPACE,
                y + OFFSET,
                node.information_set,
                ha="right",
                va="top",
                fontsize=SMALL_FONT,
                fontstyle="italic",
                color="#333333",
                gid="information-set-name",
                **text,
            )
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.set_axis_off()


def _link_legend(data: TreeData) -> list[tuple[int, str]]:
    """One legend entry per style of information-set curve: ``"information set"`` when all
    curves look alike, else the sets each style draws (the first three, then "...")."""
    names: dict[int, list[str]] = {}
    for link in data.links:
        sets = names.setdefault(link.style, [])
        if link.name not in sets:
            sets.append(link.name)
    if len(names) <= 1:
        return [(style, "information set") for style in names]
    return [
        (
            style,
            ("information sets " if len(sets) > 1 else "information set ")
            + ", ".join(sets[:3])
            + (", ..." if len(sets) > 3 else ""),
        )
        for style, sets in sorted(names.items())
    ]


def _legend_width(entries: Sequence[float], columns: int) -> float:
    """Inches across a legend of entries this wide in ``columns`` columns (filled column
    by column, the first columns one entry longer when they do not come out even, as
    matplotlib does)."""
    base, extra = divmod(len(entries), columns)
    total, start = 0.0, 0
    for column in range(columns):
        stop = start + base + (column < extra)
        total += max(entries[start:stop], default=0.0)
        start = stop
    return total


def _legend_columns(entries: Sequence[float], width: float) -> int:
    """The most columns (at least 2, or 1 for a single entry) whose legend fits ``width``."""
    for columns in range(len(entries), 2, -1):
        if _legend_width(entries, columns) <= width:
            return columns
    return min(len(entries), 2)


def _heading(title: str, kind: str, width: int) -> str:
    """``"<title>: <kind>"`` wrapped to ``width`` characters, as the other figures' titles."""
    text = f"{title}: {kind}" if title else kind[:1].upper() + kind[1:]
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def tree_figure(
    tree: Tree,
    choices: Sequence[int | None] | None = None,
    *,
    title: str = "",
    caption: Sequence[str] = (),
) -> Figure:
    """The game tree, left to right, with the subgame-perfect choices and path in bold.

    Parameters
    ----------
    tree : Tree
        A game tree (e.g. ``scenario.tree``).
    choices : sequence of int or None, optional
        The move index a subgame-perfect equilibrium picks at each decision node, one entry
        per node (``None`` at chance and terminal nodes); see :func:`tree_data`.
    title : str, optional
        The scenario's title.
    caption : sequence of str, optional
        Lines added under the figure's own caption.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"tree"`` and ``"caption"``; the figure is as wide as the columns'
        labels and as tall as the leaves need. The legend explains the bold edges (with
        choices) and the dashed brackets of multi-node information sets (one entry per
        colour when the sets of a column are told apart by colour).

    >>> from fractions import Fraction
    >>> from sim.tree import Node, Tree
    >>> entry = Tree.build(
    ...     players=("Entrant", "Incumbent"),
    ...     nodes=[
    ...         Node("start", player=0, moves=("stay_out", "enter"), children=(1, 2)),
    ...         Node("stay_out", payoffs=(Fraction(0), Fraction(2))),
    ...         Node("entered", player=1, moves=("fight", "accommodate"), children=(3, 4)),
    ...         Node("fight", payoffs=(Fraction(-1), Fraction(-1))),
    ...         Node("accommodate", payoffs=(Fraction(1), Fraction(1))),
    ...     ],
    ... )
    >>> figure = tree_figure(entry, [1, None, 1, None, None], title="Entry")
    >>> [ax.get_label() for ax in figure.axes], figure.get_suptitle()
    (['tree', 'caption'], 'Entry: game tree with subgame-perfect choices')
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    data = tree_data(tree, choices, title=title)
    size = _Sizer()
    layout = _layout(data, size)
    width = max(MIN_WIDTH, layout.width + 0.4)
    kind = "game tree with subgame-perfect choices" if data.highlighted else "game tree"
    heading = _heading(data.title, kind, int((width - 0.4) * 72 / (TITLE_FONT * 0.62)))
    title_height = size(heading, TITLE_FONT)[1] + 0.12
    handles = []
    if data.highlighted:
        handles += [
            Line2D([], [], color=HIGHLIGHT, linewidth=PATH_WIDTH, label="equilibrium path"),
            Line2D([], [], color=HIGHLIGHT, linewidth=CHOSEN_WIDTH, label="subgame-perfect choice"),
            Line2D([], [], color=OTHER_COLOUR, linewidth=OTHER_WIDTH, label="other move"),
        ]
    for style, label in _link_legend(data):
        colour, dashes = LINK_STYLES[style]
        handles.append(
            Line2D([], [], color=colour, linestyle=(0, dashes), linewidth=LINK_WIDTH, label=label)
        )
    entries = [size(str(h.get_label()))[0] + (2.6 + 0.8 + 2.0) * FONT / 72 for h in handles]
    columns = _legend_columns(entries, width - 0.3)
    if handles:
        width = max(width, _legend_width(entries, columns) + 0.3)
    legend_rows = -(-len(handles) // columns) if handles else 0
    legend_height = 0.1 + 0.24 * legend_rows if handles else 0.0
    chars = max(40, int((width - 0.3) * 72 / (CAPTION_FONT * 0.6)))
    lines = [*data.caption, *caption]
    caption_text = "\n".join(
        "\n".join(textwrap.wrap(line, chars, break_long_words=False)) or line for line in lines
    )
    caption_height = (size(caption_text, CAPTION_FONT)[1] + 0.1) if lines else 0.0
    height = 0.12 + title_height + legend_height + layout.height + caption_height + 0.08
    figure = Figure(figsize=(width, height))
    bottom = 0.08 + caption_height
    ax = figure.add_axes(
        (
            (width - layout.width) / 2 / width,
            bottom / height,
            layout.width / width,
            layout.height / height,
        ),
        label="tree",
    )
    _draw_tree(ax, data, layout)
    notes = figure.add_axes(
        (0, 0.04 / height, 1, max(caption_height, 0.01) / height), label="caption"
    )
    notes.set_axis_off()
    if lines:
        notes.text(
            0.15 / width,
            1.0,
            caption_text,
            transform=notes.transAxes,
            ha="left",
            va="top",
            fontsize=CAPTION_FONT,
            color="#333333",
            gid="caption",
            parse_math=False,
        )
    if handles:
        figure.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, (bottom + layout.height) / height),
            ncols=columns,
            frameon=False,
            fontsize=FONT,
            handlelength=2.6,
        ).set_gid("legend")
    figure.suptitle(
        heading, y=1 - 0.12 / height, va="top", fontsize=TITLE_FONT, gid="title", parse_math=False
    )
    return figure
