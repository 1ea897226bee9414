"""Tests of sim.plot.tree: the game-tree dataset number by number, then the figure built headless.

The dataset is checked on the London snap-back scenario (positions, labels and the
highlighting worked out by hand from the YAML), on a 14-leaf tree with chance moves and long
move names, on a tree with a two-node information set, and on random trees (layout
invariants). Figures are checked by structure (axes, artists found by ``gid``, legend and
title texts), by rendering with Agg, and by measuring that no two drawn texts overlap and none
leaves the figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction as F
from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib.text
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import pyplot
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from sim.errors import SimError
from sim.plot.tree import (
    CHOSEN_WIDTH,
    NAME_WIDTH,
    PATH_WIDTH,
    InformationLink,
    TreeData,
    tree_data,
    tree_figure,
    wrap_name,
)
from sim.scenario import load
from sim.tree import Node, Tree

ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- trees
def build(players: tuple[str, ...], spec: Any, sets: dict[str, list[str]] | None = None) -> Tree:
    """A tree from a nested spec, numbered breadth first (parents before children).

    A spec is ``("decision", name, player, [(move, spec), ...])``,
    ``("chance", name, [(outcome, probability, spec), ...])`` or ``("end", name, payoffs)``;
    ``sets`` maps an information set's name to its nodes' names.
    """
    order = [spec]
    k = 0
    while k < len(order):
        node = order[k]
        if node[0] == "decision":
            order.extend(child for _, child in node[3])
        elif node[0] == "chance":
            order.extend(child for _, _, child in node[2])
        k += 1
    index = {id(node): i for i, node in enumerate(order)}
    nodes = []
    for node in order:
        if node[0] == "decision":
            moves = tuple(m for m, _ in node[3])
            children = tuple(index[id(c)] for _, c in node[3])
            nodes.append(Node(node[1], player=node[2], moves=moves, children=children))
        elif node[0] == "chance":
            moves = tuple(m for m, _, _ in node[2])
            children = tuple(index[id(c)] for _, _, c in node[2])
            probabilities = tuple(p for _, p, _ in node[2])
            nodes.append(Node(node[1], moves=moves, children=children, probabilities=probabilities))
        else:
            nodes.append(Node(node[1], payoffs=tuple(F(v) for v in node[2])))
    names = {n.name: i for i, n in enumerate(nodes)}
    groups = {s: [names[n] for n in members] for s, members in (sets or {}).items()}
    return Tree.build(players, nodes, groups)


def by_name(tree: Tree) -> dict[str, int]:
    return {node.name: i for i, node in enumerate(tree.nodes)}


@pytest.fixture(scope="module")
def london() -> Tree:
    tree = load(ROOT / "scenarios" / "london_snap_back.yaml").tree
    assert tree is not None
    return tree


# London snap-back (nodes in file order, numbered breadth first by the loader):
# 0 us_opens, 1 china_answers, 2 status_quo, 3 china_answers/raise_re_exports,
# 4 us_after_token, 5 us_after_restrict, 6..9 the snap_back / accept ends.
SPE = [1, 2, None, None, 1, 1, None, None, None, None]
"""Subgame-perfect choices at the default values: maintain; restrict; accept; accept."""

A_MOVES = (
    "impose_comprehensive_semiconductor_export_controls",
    "negotiate_limited_licensing_framework",
    "wait",
)
B_MOVES = ("retaliate_with_rare_earth_restrictions", "accept_and_resume_exports")


def long_tree() -> Tree:
    """14 leaves, depth 4: chance, then A (3 long moves), then B (2 long moves), one audit."""

    def answer(tag: str, base: int) -> Any:
        audit = (
            "chance",
            f"audit_{tag}",
            [
                (
                    "audit_finds_violations_of_the_agreement",
                    F(1, 4),
                    ("end", f"caught_{tag}", (base - 4, 1)),
                ),
                ("clean", F(3, 4), ("end", f"clean_{tag}", (base, 2))),
            ],
        )
        return audit

    def a_node(world: str, shift: int) -> Any:
        branches = []
        for k, move in enumerate(A_MOVES):
            tag = f"{world}{k}"
            retaliate: Any = ("end", f"{tag}_retaliate", (shift + k - 2, -1))
            if world == "boom" and k == 0:
                retaliate = answer(tag, shift)
            accept = ("end", f"{tag}_accept", (shift + k, 3 - k))
            b = ("decision", f"b_{tag}", 1, [(B_MOVES[0], retaliate), (B_MOVES[1], accept)])
            branches.append((move, b))
        return ("decision", f"a_{world}", 0, branches)

    spec = (
        "chance",
        "world",
        [
            ("boom_in_global_semiconductor_demand", F(1, 3), a_node("boom", 4)),
            ("prolonged_recession_in_the_west", F(2, 3), a_node("recession", 1)),
            ("black_swan", F(0), ("end", "swan", (-9, -9))),
        ],
    )
    return build(("Alpha", "Beta"), spec)


def guess_tree() -> Tree:
    """China moves; the US answers without seeing the move (the set ``us_guess``)."""
    spec = (
        "decision",
        "china_moves",
        0,
        [
            (
                "restrict",
                (
                    "decision",
                    "us_if_restrict",
                    1,
                    [("tighten", ("end", "rt", (0, 0))), ("ease", ("end", "re", (2, -1)))],
                ),
            ),
            (
                "export",
                (
                    "decision",
                    "us_if_export",
                    1,
                    [("tighten", ("end", "et", (-1, 2))), ("ease", ("end", "ee", (1, 1)))],
                ),
            ),
        ],
    )
    return build(("China", "US"), spec, {"us_guess": ["us_if_restrict", "us_if_export"]})


# ------------------------------------------------------------------------- positions
def test_london_positions(london: Tree) -> None:
    data = tree_data(london)
    names = [node.name for node in london.nodes]
    positions = {name: node.position for name, node in zip(names, data.nodes, strict=True)}
    # Leaves from the top in depth-first order (first move first), one row each.
    assert positions == {
        "china_answers/raise_re_exports": (2, 0.0),
        "us_after_token/snap_back": (3, 1.0),
        "us_after_token/accept": (3, 2.0),
        "us_after_restrict/snap_back": (3, 3.0),
        "us_after_restrict/accept": (3, 4.0),
        "status_quo": (1, 5.0),
        "us_after_token": (2, 1.5),
        "us_after_restrict": (2, 3.5),
        "china_answers": (1, 1.75),  # middle of its first (row 0) and last (row 3.5) child
        "us_opens": (0, 3.375),  # middle of china_answers and status_quo
    }
    assert (data.leaves, data.depth) == (6, 3)


@st.composite
def random_trees(draw: st.DrawFn, max_nodes: int = 28) -> Tree:
    """Valid perfect-information trees with decision and chance nodes, up to depth 5."""
    players = ("A", "B", "C")[: draw(st.integers(2, 3))]
    kinds: list[str] = []
    children: list[list[int]] = []
    depth = [0]
    k = 0
    while k < len(depth):
        stop = depth[k] >= 5 or len(depth) >= max_nodes - 3
        kind = "end" if stop else draw(st.sampled_from(["end", "decision", "decision", "chance"]))
        if k == 0 and not stop:
            kind = draw(st.sampled_from(["decision", "chance"]))
        kinds.append(kind)
        count = 0 if kind == "end" else draw(st.integers(1, 3))
        children.append(list(range(len(depth), len(depth) + count)))
        depth.extend([depth[k] + 1] * count)
        k += 1
    name = st.from_regex(r"[a-z][a-z_]{0,34}", fullmatch=True)
    nodes = []
    for i, kind in enumerate(kinds):
        moves = tuple(
            f"{m}_{j}"
            for j, m in enumerate(
                draw(st.lists(name, min_size=len(children[i]), max_size=len(children[i])))
            )
        )
        if kind == "decision":
            player = draw(st.integers(0, len(players) - 1))
            nodes.append(Node(f"n{i}", player=player, moves=moves, children=tuple(children[i])))
        elif kind == "chance":
            weights = draw(st.lists(st.integers(1, 5), min_size=len(moves), max_size=len(moves)))
            probabilities = tuple(F(w, sum(weights)) for w in weights)
            nodes.append(
                Node(f"n{i}", moves=moves, children=tuple(children[i]), probabilities=probabilities)
            )
        else:
            payoffs = draw(
                st.lists(st.integers(-9, 9), min_size=len(players), max_size=len(players))
            )
            nodes.append(Node(f"n{i}", payoffs=tuple(F(v) for v in payoffs)))
    return Tree.build(players, nodes)


def leaf_order(tree: Tree) -> list[int]:
    """Terminal nodes in depth-first order, first move first (written independently)."""

    def visit(i: int) -> list[int]:
        kids = tree.nodes[i].children
        return [leaf for c in kids for leaf in visit(c)] if kids else [i]

    return visit(0)


def check_layout(tree: Tree, data: TreeData) -> None:
    rows = [node.position[1] for node in data.nodes]
    levels = [node.position[0] for node in data.nodes]
    leaves = leaf_order(tree)
    assert [rows[i] for i in leaves] == list(range(len(leaves)))  # evenly spaced, top down
    assert data.leaves == len(leaves) and data.depth == max(levels)
    assert levels[0] == 0 and all(level > 0 for level in levels[1:])  # root on the left
    for i, node in enumerate(tree.nodes):
        if node.children:
            first, last = node.children[0], node.children[-1]
            assert rows[i] == (rows[first] + rows[last]) / 2  # centred on its children
            assert all(levels[c] == levels[i] + 1 for c in node.children)
            assert [rows[c] for c in node.children] == sorted(rows[c] for c in node.children)
    by_level: dict[float, list[float]] = {}
    for level, row in zip(levels, rows, strict=True):
        by_level.setdefault(level, []).append(row)
    for same in by_level.values():
        ordered = sorted(same)
        assert all(b - a >= 1 for a, b in pairwise(ordered))


@given(random_trees())
@settings(max_examples=60, deadline=None)
def test_layout_invariants(tree: Tree) -> None:
    check_layout(tree, tree_data(tree))


@pytest.mark.parametrize("make", [long_tree, guess_tree], ids=["long", "guess"])
def test_layout_invariants_examples(make: Any) -> None:
    tree = make()
    check_layout(tree, tree_data(tree))


def test_london_layout_invariants(london: Tree) -> None:
    check_layout(london, tree_data(london, SPE))


# ---------------------------------------------------------------------------- labels
def test_london_labels(london: Tree) -> None:
    data = tree_data(london, title="London")
    labels = {n.name: d.label for n, d in zip(london.nodes, data.nodes, strict=True)}
    assert labels == {
        "us_opens": "US",
        "china_answers": "China",
        "us_after_token": "US",
        "us_after_restrict": "US",
        "status_quo": "(-1, -2)",
        "china_answers/raise_re_exports": "(3, 4)",
        "us_after_token/snap_back": "(-2, -9/2)",  # phi * v_us - k_us, -phi * c_cn - l_cn
        "us_after_token/accept": "(-1, 7/2)",
        "us_after_restrict/snap_back": "(-5, -5)",
        "us_after_restrict/accept": "(-4, 5)",
    }
    assert [d.kind for d in data.nodes] == [n.kind for n in london.nodes]
    assert [(e.parent, e.child, e.move, e.probability) for e in data.edges] == [
        (0, 1, "ease_chip_controls", None),
        (0, 2, "maintain_chip_controls", None),
        (1, 3, "raise_re_exports", None),
        (1, 4, "token_approvals", None),
        (1, 5, "restrict_re", None),
        (4, 6, "snap_back", None),
        (4, 7, "accept", None),
        (5, 8, "snap_back", None),
        (5, 9, "accept", None),
    ]
    assert all(e.text == e.move for e in data.edges)  # all within NAME_WIDTH
    assert data.title == "London" and data.players == ("US", "China")
    assert data.links == () and all(n.information_set == "" for n in data.nodes)
    assert data.caption == ("Payoffs at the ends are (US, China).",)


def test_chance_edges_show_probabilities() -> None:
    tree = long_tree()
    data = tree_data(tree)
    names = by_name(tree)
    world = [e for e in data.edges if e.parent == names["world"]]
    assert [(e.move, e.probability) for e in world] == [
        ("boom_in_global_semiconductor_demand", "1/3"),
        ("prolonged_recession_in_the_west", "2/3"),
        ("black_swan", "0"),
    ]
    audit = [e for e in data.edges if e.parent == names["audit_boom0"]]
    assert [e.probability for e in audit] == ["1/4", "3/4"]
    assert all(e.probability is None for e in data.edges if tree.nodes[e.parent].kind == "decision")
    assert data.nodes[names["world"]].label == "chance"
    assert "Under each chance outcome: its probability." in data.caption
    assert (data.leaves, data.depth) == (14, 4)


def test_float_probabilities_are_readable() -> None:
    spec = (
        "chance",
        "c",
        [("x", 0.123456, ("end", "x", (1, 0))), ("y", 0.876544, ("end", "y", (0, 1)))],
    )
    data = tree_data(build(("A", "B"), spec))
    assert [e.probability for e in data.edges] == ["0.1235", "0.8765"]


@pytest.mark.parametrize(
    ("name", "width", "expected"),
    [
        pytest.param("accept", 24, "accept", id="short"),
        pytest.param("maintain_chip_controls", 24, "maintain_chip_controls", id="fits"),
        pytest.param(
            "impose_comprehensive_semiconductor_export_controls",
            24,
            "impose_comprehensive_\nsemiconductor_export_\ncontrols",
            id="underscores",
        ),
        pytest.param("keep talking in London", 12, "keep talking\nin London", id="spaces"),
        pytest.param("re-impose-controls", 10, "re-impose-\ncontrols", id="hyphens"),
        pytest.param("supercalifragilistic_x", 8, "supercalifragilistic_\nx", id="long-piece"),
    ],
)
def test_wrap_name_examples(name: str, width: int, expected: str) -> None:
    assert wrap_name(name, width) == expected


@given(st.from_regex(r"[a-z]{1,12}([_ -][a-z]{1,12}){0,6}", fullmatch=True), st.integers(6, 30))
def test_wrap_name_only_breaks_lines(name: str, width: int) -> None:
    lines = wrap_name(name, width).split("\n")
    rebuilt = lines[0]
    for line in lines[1:]:  # a break after "_" or "-" keeps it; a break at a space drops it
        rebuilt += line if rebuilt.endswith(("_", "-")) else " " + line
    assert rebuilt == name
    for line in lines:
        assert line and line == line.strip()
        assert len(line) <= width or not any(c in line[:-1] for c in "_- ")  # one long piece


# ------------------------------------------------------------------------ highlights
def test_london_subgame_perfect_choices(london: Tree) -> None:
    data = tree_data(london, SPE)
    assert data.highlighted
    assert data.path == ((0, 2),)  # the US maintains: the status quo is all that is played
    assert data.chosen == ((0, 2), (1, 5), (4, 7), (5, 9))
    assert [e.on_path for e in data.edges] == [False, True] + [False] * 7
    assert [e.chosen for e in data.edges] == [
        False, True, False, False, True, False, True, False, True,
    ]  # fmt: skip
    assert [n.on_path for n in data.nodes] == [True, False, True] + [False] * 7
    assert data.caption[-1] == "Equilibrium payoffs: US -1, China -2."
    assert any(line.startswith("Bold: the move") for line in data.caption)


def test_london_deal_path(london: Tree) -> None:
    """With snap-back credible the deal is played: ease, then raise exports."""
    data = tree_data(london, [0, 0, None, None, 0, 0, None, None, None, None])
    assert data.path == ((0, 1), (1, 3))
    assert data.chosen == ((0, 1), (1, 3), (4, 6), (5, 8))
    assert data.caption[-1] == "Equilibrium payoffs: US 3, China 4."


def test_path_through_chance_nodes() -> None:
    tree = long_tree()
    names = by_name(tree)
    choices: list[int | None] = [None] * len(tree.nodes)
    for world in ("boom", "recession"):
        choices[names[f"a_{world}"]] = 0
        for k in range(3):
            choices[names[f"b_{world}{k}"]] = 0  # retaliate everywhere
    data = tree_data(tree, choices)
    edges = {(tree.nodes[p].name, tree.nodes[c].name) for p, c in data.path}
    assert edges == {
        ("world", "a_boom"),
        ("world", "a_recession"),  # every chance outcome of positive probability...
        ("a_boom", "b_boom0"),
        ("b_boom0", "audit_boom0"),
        ("audit_boom0", "caught_boom0"),
        ("audit_boom0", "clean_boom0"),
        ("a_recession", "b_recession0"),
        ("b_recession0", "recession0_retaliate"),
    }  # ...but not the black swan (probability 0)
    assert len(data.chosen) == 8 and set(data.path) - set(data.chosen) == {
        (names["world"], names["a_boom"]),
        (names["world"], names["a_recession"]),
        (names["audit_boom0"], names["caught_boom0"]),
        (names["audit_boom0"], names["clean_boom0"]),
    }
    # 1/3 * (1/4 * (0, 1) + 3/4 * (4, 2)) + 2/3 * (-1, -1) = (1 - 2/3, 7/12 - 8/12)
    assert data.caption[-1] == "Expected equilibrium payoffs: Alpha 1/3, Beta -1/12."


def test_incomplete_choices_stop_the_path(london: Tree) -> None:
    data = tree_data(london, [0, None, None, None, 1, 1, None, None, None, None])
    assert data.path == ((0, 1),)
    assert not any(line.startswith("Equilibrium payoffs") for line in data.caption)


def test_no_choices_no_highlight(london: Tree) -> None:
    data = tree_data(london)
    assert not data.highlighted and data.path == () and data.chosen == ()
    assert not any(e.chosen or e.on_path for e in data.edges)
    assert not any(n.on_path for n in data.nodes)


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        pytest.param([1, 2], "choices has 2 entries but the tree has 10 nodes", id="length"),
        pytest.param(
            [1, 2, 0, None, 1, 1, None, None, None, None],
            "the terminal node 'status_quo'",
            id="at-terminal",
        ),
        pytest.param(
            [2, 2, None, None, 1, 1, None, None, None, None],
            r"choice 2 at node 'us_opens' is not a move index; its moves are "
            r"0: ease_chip_controls, 1: maintain_chip_controls",
            id="out-of-range",
        ),
        pytest.param(
            [-1, 2, None, None, 1, 1, None, None, None, None], "is not a move index", id="negative"
        ),
        pytest.param(
            ["ease", 2, None, None, 1, 1, None, None, None, None],
            "'ease' at node 'us_opens' is not a move index",
            id="name",
        ),
        pytest.param(
            [True, 2, None, None, 1, 1, None, None, None, None], "is not a move index", id="bool"
        ),
    ],
)
def test_bad_choices(london: Tree, choices: list[Any], message: str) -> None:
    with pytest.raises(SimError, match=message):
        tree_data(london, choices)


def test_choices_must_agree_within_an_information_set() -> None:
    with pytest.raises(SimError, match=r"different moves .* 'us_guess' \(tighten, ease\)"):
        tree_data(guess_tree(), [0, 0, 1, None, None, None, None])


# ------------------------------------------------------------------- information sets
def test_information_set_links() -> None:
    tree = guess_tree()
    data = tree_data(tree, [1, 1, 1, None, None, None, None])
    assert data.links == (InformationLink("us_guess", "US", (1, 2), ((1, 0.5), (1, 2.5))),)
    assert [n.information_set for n in data.nodes] == ["", "us_guess", "us_guess", "", "", "", ""]
    assert [n.label for n in data.nodes][:3] == ["China", "US", "US"]
    assert data.path == ((0, 2), (2, 6))
    assert any("dashed line form one information set" in line for line in data.caption)


def test_three_node_information_set_links_neighbours() -> None:
    def us(name: str) -> Any:
        return (
            "decision",
            name,
            1,
            [("l", ("end", f"{name}l", (0, 0))), ("r", ("end", f"{name}r", (1, 1)))],
        )

    spec = ("decision", "root", 0, [("a", us("u1")), ("b", us("u2")), ("c", us("u3"))])
    data = tree_data(build(("A", "B"), spec, {"blind": ["u3", "u1", "u2"]}))
    assert [link.nodes for link in data.links] == [(1, 2), (2, 3)]
    assert [link.ends for link in data.links] == [((1, 0.5), (1, 2.5)), ((1, 2.5), (1, 4.5))]


# ---------------------------------------------------------------------------- figures
@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    """The figures never go through pyplot (so nothing is left open); close any that did."""
    yield
    leaked = pyplot.get_fignums()
    pyplot.close("all")
    assert leaked == []


def drawn_texts(figure: Figure, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Bbox]]:
    """Render with Agg and record every non-empty text actually drawn, with its extent."""
    seen: list[tuple[str, Bbox]] = []
    original = matplotlib.text.Text.draw

    def draw(self: matplotlib.text.Text, renderer: object) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen.append((self.get_text(), self.get_window_extent(renderer)))

    with monkeypatch.context() as patch:
        patch.setattr(matplotlib.text.Text, "draw", draw)
        FigureCanvasAgg(figure).draw()
    return seen


def crowding(figure: Figure, monkeypatch: pytest.MonkeyPatch, dpi: float = 100) -> list[str]:
    """Texts that overlap another text or leave the figure (by more than a pixel), drawn at
    ``dpi`` (text widths change with the resolution)."""
    figure.set_dpi(dpi)
    texts = drawn_texts(figure, monkeypatch)
    frame = figure.bbox
    problems = [
        f"outside: {text!r}"
        for text, box in texts
        if box.x0 < frame.x0 - 1 or box.x1 > frame.x1 + 1 or box.y0 < -1 or box.y1 > frame.y1 + 1
    ]
    for k, (text, box) in enumerate(texts):
        for other, other_box in texts[k + 1 :]:
            meet = Bbox.intersection(box, other_box)
            if meet is not None and meet.width > 1 and meet.height > 1:
                problems.append(f"overlap: {text!r} and {other!r}")
    return problems


def legend_texts(figure: Figure) -> list[str]:
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def figure_cases(london: Tree) -> dict[str, tuple[Tree, list[int | None] | None]]:
    long = long_tree()
    names = by_name(long)
    choices: list[int | None] = [None] * len(long.nodes)
    for world in ("boom", "recession"):
        choices[names[f"a_{world}"]] = 1
        for k in range(3):
            choices[names[f"b_{world}{k}"]] = k % 2
    return {
        "london": (london, None),
        "london-spe": (london, SPE),
        "long": (long, None),
        "long-spe": (long, choices),
        "guess": (guess_tree(), [1, 1, 1, None, None, None, None]),
    }


@pytest.mark.parametrize("dpi", [72, 100, 150])
@pytest.mark.parametrize("case", ["london", "london-spe", "long", "long-spe", "guess"])
def test_figure_renders_without_crowding(
    london: Tree, case: str, dpi: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree, choices = figure_cases(london)[case]
    title = "US–China London talks — ease first, then comply, token approvals or restrict"
    figure = tree_figure(tree, choices, title=title, caption=["A caption line from the caller."])
    assert isinstance(figure, Figure)
    assert [ax.get_label() for ax in figure.axes] == ["tree", "caption"]
    assert crowding(figure, monkeypatch, dpi) == []
    heading = figure.get_suptitle().replace("\n", " ")
    kind = "game tree with subgame-perfect choices" if choices else "game tree"
    assert heading == f"{title}: {kind}"
    caption = figure.axes[1].texts[0].get_text().replace("\n", " ")
    assert caption.endswith("A caption line from the caller.")
    assert caption.startswith("Payoffs at the ends are (")


@given(
    random_trees(max_nodes=22), st.randoms(use_true_random=False), st.sampled_from([72, 100, 150])
)
@settings(max_examples=12, deadline=None)
def test_random_figures_do_not_crowd(tree: Tree, random: Any, dpi: int) -> None:
    choices = [
        random.randrange(len(node.moves)) if node.kind == "decision" else None
        for node in tree.nodes
    ]
    with pytest.MonkeyPatch.context() as patch:
        figure = tree_figure(tree, choices, title="Random tree")
        assert crowding(figure, patch, dpi) == []


def test_figure_highlights_and_legend(london: Tree) -> None:
    figure = tree_figure(london, SPE)
    ax = figure.axes[0]
    path = [line for line in ax.lines if line.get_gid() == "path"]
    chosen = [line for line in ax.lines if line.get_gid() == "chosen"]
    other = [line for line in ax.lines if line.get_gid() == "edge"]
    assert (len(path), len(chosen), len(other)) == (1, 3, 5)
    assert all(line.get_linewidth() == PATH_WIDTH for line in path)
    assert all(line.get_linewidth() == CHOSEN_WIDTH for line in chosen)
    assert all(line.get_color() == path[0].get_color() for line in chosen)
    assert all(line.get_linewidth() < CHOSEN_WIDTH for line in other)
    assert legend_texts(figure) == ["equilibrium path", "subgame-perfect choice", "other move"]
    bold = sorted(t.get_text() for t in ax.texts if t.get_fontweight() == "bold")
    assert bold == ["(-1, -2)", "accept", "accept", "maintain_chip_controls", "restrict_re"]
    moves = sorted(t.get_text() for t in ax.texts if t.get_gid() == "move")
    assert moves == sorted(e.move for e in tree_data(london).edges)
    assert not [line for line in ax.lines if line.get_gid() == "information-set"]


def test_figure_without_choices_has_no_legend(london: Tree) -> None:
    figure = tree_figure(london)
    assert figure.legends == []
    assert {line.get_gid() for line in figure.axes[0].lines} == {"edge", "decision", "terminal"}
    assert figure.get_suptitle() == "Game tree"


def test_figure_draws_the_layout(london: Tree) -> None:
    """Markers sit where the dataset puts them: levels left to right, rows top down."""
    figure = tree_figure(london)
    ax = figure.axes[0]
    data = tree_data(london)
    markers = [line for line in ax.lines if line.get_gid() in ("decision", "terminal")]
    points = [(float(m.get_xdata()[0]), float(m.get_ydata()[0])) for m in markers]
    to_screen = ax.transData.transform
    screen = [tuple(to_screen(p)) for p in points]
    for (x, y), node in zip(screen, data.nodes, strict=True):
        for (x2, y2), other in zip(screen, data.nodes, strict=True):
            level, row = node.position
            level2, row2 = other.position
            if level < level2:
                assert x < x2
            if row < row2:
                assert y > y2  # a smaller row is higher up
    leaves = sorted(y for (_, y), n in zip(screen, data.nodes, strict=True) if n.kind == "terminal")
    gaps = [b - a for a, b in pairwise(leaves)]
    assert max(gaps) - min(gaps) < 1e-6  # evenly spaced on screen too
    root_label = next(t for t in ax.texts if t.get_gid() == "player")
    assert root_label.get_text() == "US"


def test_figure_information_sets() -> None:
    figure = tree_figure(guess_tree())
    ax = figure.axes[0]
    (dashed,) = [line for line in ax.lines if line.get_gid() == "information-set"]
    nodes = [line for line in ax.lines if line.get_gid() == "decision"]
    ends = {
        (float(x), float(y)) for x, y in zip(dashed.get_xdata(), dashed.get_ydata(), strict=True)
    }
    assert ends == {(float(n.get_xdata()[0]), float(n.get_ydata()[0])) for n in nodes[1:]}
    names = [t.get_text() for t in ax.texts if t.get_gid() == "information-set-name"]
    assert names == ["us_guess", "us_guess"]
    assert legend_texts(figure) == ["information set"]


def test_figure_scales_with_leaves_and_depth(london: Tree) -> None:
    small = tree_figure(london).get_size_inches()
    long = tree_figure(long_tree()).get_size_inches()
    assert long[1] > small[1] + 2  # 14 leaves against 6

    def chain(depth: int) -> Any:
        if depth == 0:
            return ("end", "end", (0, 0))
        return (
            "decision",
            f"d{depth}",
            depth % 2,
            [
                ("continue_negotiating", chain(depth - 1)),
                ("walk_away", ("end", f"w{depth}", (1, 1))),
            ],
        )

    shallow = tree_figure(build(("A", "B"), chain(2))).get_size_inches()
    deep = tree_figure(build(("A", "B"), chain(6))).get_size_inches()
    assert deep[0] > shallow[0] + 3  # four more columns of long names
    assert len(A_MOVES[0]) > NAME_WIDTH  # the long tree's names really are wrapped


def test_dollar_signs_are_literal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names with ``$`` are drawn as written, not as mathtext."""
    spec = (
        "decision",
        "offer",
        0,
        [("pay_$5_bn", ("end", "five", (1, 2))), ("pay_$10_bn", ("end", "ten", (0, 0)))],
    )
    figure = tree_figure(build(("A", "B"), spec), [0, None, None], title="US$ 5 bn or US$ 10 bn")
    drawn = [text for text, _ in drawn_texts(figure, monkeypatch)]
    assert {"pay_$5_bn", "pay_$10_bn"} <= set(drawn)
    assert figure.get_suptitle().startswith("US$ 5 bn or US$ 10 bn")
    assert crowding(figure, monkeypatch) == []
    assert not any(t.get_parse_math() for t in [*figure.axes[0].texts, *figure.texts])
