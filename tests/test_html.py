"""Self-contained HTML from the Markdown reports (sim.html).

The reports are those of every scenario in scenarios/ (built as ``sim run`` builds them,
without drawing figures). The HTML is read back with the standard library's
:class:`html.parser.HTMLParser`; the expected texts come from a small independent reading of
the Markdown (regular expressions over its lines), not from sim.html.
"""

from __future__ import annotations

import base64
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.analysis.concepts import concepts
from sim.analysis.overview import analyse
from sim.analysis.subgame_thresholds import spe_flip_thresholds
from sim.analysis.thresholds import flip_thresholds
from sim.errors import SolverError
from sim.html import markdown_escape, markdown_to_html
from sim.report import markdown_report
from sim.scenario import Scenario, load, parse_scenario
from sim.solvers import solve

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # a PNG signature, then any bytes
FIGURES = {"Payoff table": "bimatrix.png", "Payoff space": "payoff_space.png"}
IMAGES = {name: PNG + name.encode() for name in FIGURES.values()}
VOID = {"meta", "img", "br", "hr"}
ALLOWED = VOID | {
    "html", "head", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "em",
    "code", "pre", "a", "blockquote", "figure", "figcaption", "div",
}  # fmt: skip


def report(scenario: Scenario, figures: dict[str, str] | None = None) -> str:
    """The Markdown report, with the same sections as ``sim run`` writes."""
    try:
        solution = solve(scenario.game)
    except SolverError:
        solution = solve(scenario.game, "pure")
    found = concepts(scenario, solution)
    perfect = found.subgame_perfect is not None
    return markdown_report(
        scenario,
        solution,
        analyse(scenario.game),
        figures=figures,
        flips=() if perfect else flip_thresholds(scenario),
        concepts=found,
        spe_flips=spe_flip_thresholds(scenario) if perfect else (),
    )


# ----------------------------------------------------------------------- reading HTML
class Page(HTMLParser):
    """Tags, nesting and texts of an HTML page (texts whitespace-collapsed)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self.cells: list[str] = []
        self.items: list[str] = []
        self.depths: list[int] = []  # of each list item: 0 for a top-level list
        self.body: list[str] = []  # text inside <main>
        self.outside_code: list[str] = []  # text inside <main>, outside <code> and <pre>
        self._open: list[tuple[str, list[str]]] = []  # collecting elements and their text
        self.feed(page)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in VOID:
            return
        if tag in {"ul", "ol"} and self._open and self._open[-1][0] == "li":
            self._finish()  # a list item's own text ends where its nested list starts
        if tag == "li":
            self.depths.append(sum(t in {"ul", "ol"} for t in self.stack) - 1)
        self.stack.append(tag)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "li"}:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if self._open and self._open[-1][0] == tag:
            self._finish()

    def _finish(self) -> None:
        tag, parts = self._open.pop()
        text = " ".join("".join(parts).split())
        kind = {"th": self.cells, "td": self.cells, "li": self.items}.get(tag, self.headings)
        kind.append(text)

    def handle_data(self, data: str) -> None:
        if "main" not in self.stack:
            return
        self.body.append(data)
        if "code" not in self.stack and "pre" not in self.stack:
            self.outside_code.append(data)
        if self._open:
            self._open[-1][1].append(data)

    def text(self) -> str:
        return " ".join("".join(self.body).split())


# ------------------------------------------------------------- reading the Markdown
def plain(markdown: str) -> str:
    """Visible text of inline Markdown, by regular expressions (independent of sim.html)."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\|", "|")
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"\1", text)
    text = re.sub(r"\*(\S(?:.*?\S)?)\*", r"\1", text)
    return " ".join(text.split())


def expected(markdown: str) -> tuple[list[str], list[str], list[str], list[int]]:
    """Headings, table cells, list items (visible text) and items' depths of a report."""
    headings, cells, items, depths = [], [], [], []
    for line in markdown.splitlines():
        if match := re.match(r"#{1,6} (.*)", line):
            headings.append(plain(match.group(1)))
        elif line.startswith("|") and not re.fullmatch(r"\|(:?-+:?\|)+", line):
            cells += [plain(c) for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        elif match := re.match(r"( *)(?:[-*+]|\d+\.) (.*)", line):
            items.append(plain(match.group(2)))
            depths.append(len(match.group(1)) // 2)
    return headings, cells, items, depths


# --------------------------------------------------------------------- every scenario
@pytest.fixture(scope="module", params=[pytest.param(p, id=p.stem) for p in SCENARIO_FILES])
def rendered(request: pytest.FixtureRequest) -> tuple[str, str]:
    markdown = report(load(request.param), FIGURES)
    return markdown, markdown_to_html(markdown, title=request.param.stem, images=IMAGES)


def test_every_heading_cell_and_item_appears(rendered: tuple[str, str]) -> None:
    markdown, page = rendered
    found = Page(page)
    headings, cells, items, depths = expected(markdown)
    assert found.headings == headings
    assert found.cells == cells
    assert found.items == items
    assert found.depths == depths
    assert len(headings) > 3 and len(items) > 3 and max(depths) >= 1


def test_tags_balanced_and_known(rendered: tuple[str, str]) -> None:
    found = Page(rendered[1])
    assert found.problems == []
    assert {tag for tag, _ in found.tags} <= ALLOWED


def test_no_markdown_markers_left_outside_code(rendered: tuple[str, str]) -> None:
    text = "".join(Page(rendered[1]).outside_code)
    for marker in ("**", "|---|", "`", "]("):
        assert marker not in text


def test_figures_embedded(rendered: tuple[str, str]) -> None:
    found = Page(rendered[1])
    sources = [attrs["src"] for tag, attrs in found.tags if tag == "img"]
    assert sources == [
        "data:image/png;base64," + base64.b64encode(IMAGES[name]).decode() for name in IMAGES
    ]
    alts = [attrs["alt"] for tag, attrs in found.tags if tag == "img"]
    assert alts == list(FIGURES)


def test_self_contained_and_deterministic(rendered: tuple[str, str]) -> None:
    markdown, page = rendered
    assert page == markdown_to_html(markdown, title=_title(page), images=dict(IMAGES))
    assert page.startswith("<!DOCTYPE html>\n")
    for external in ("http://", "https://", "<link", "<script", "url(", "@import"):
        assert external not in page


def _title(page: str) -> str:
    return page[page.index("<title>") + 7 : page.index("</title>")]


def test_repeat_is_byte_identical() -> None:
    markdown = report(load(ROOT / "scenarios" / "london_talks.yaml"), FIGURES)
    first = markdown_to_html(markdown, title="London", images=IMAGES)
    second = markdown_to_html(markdown, title="London", images=dict(reversed(IMAGES.items())))
    assert first.encode() == second.encode()


# ----------------------------------------------------------------------------- safety
HOSTILE = """
kind: normal_form
title: "<script>alert('title')</script> Talks"
description: >-
  Before <script>alert(1)</script> and <img src=x onerror=alert(2)> after;
  [click](javascript:alert(3)) and **<b>bold</b>** and `<i>code</i>` & done.
players:
  Row: {description: "<iframe src=//evil>", moves: [a, b]}
  Column: {moves: [a, b]}
parameters:
  x: {value: 1, description: "</td></tr></table><script>alert(4)</script>"}
payoffs:
  a, a: [x, 1]
  a, b: [0, 0]
  b, a: [0, 0]
  b, b: [1, x]
"""


def test_hostile_scenario_text_is_escaped() -> None:
    scenario = parse_scenario(HOSTILE, "hostile.yaml")
    page = markdown_to_html(report(scenario), title=scenario.title)
    found = Page(page)
    assert found.problems == []
    tags = {tag for tag, _ in found.tags}
    assert tags <= ALLOWED and not tags & {"script", "iframe", "b", "i"}
    assert not any(tag == "img" for tag, _ in found.tags)
    assert not any(
        (value or "").lower().startswith("javascript")
        for _, a in found.tags
        for value in a.values()
    )
    text = found.text()
    for shown in (
        "Before <script>alert(1)</script> and <img src=x onerror=alert(2)> after;",
        "[click](javascript:alert(3))",
        "<b>bold</b>",
        "<i>code</i> & done.",
        "<iframe src=//evil>",
        "</td></tr></table><script>alert(4)</script>",
    ):
        assert shown in text
    assert "<title>&lt;script&gt;alert('title')&lt;/script&gt; Talks</title>" in page


def test_an_image_not_given_is_shown_as_text_never_fetched() -> None:
    page = markdown_to_html("![Space](payoff_space.png)", title="t", images={"bimatrix.png": PNG})
    assert "[image not embedded: Space (payoff_space.png)]" in page
    assert "<img" not in page


def test_data_uri_images_pass_only_when_well_formed() -> None:
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert f'<img src="{uri}" alt="x">' in markdown_to_html(f"![x]({uri})", title="t")
    page = markdown_to_html("![x](data:text/html;base64,PHNjcmlwdD4=)", title="t")
    assert "<img" not in page
    assert "image not embedded: x (data:text/html;base64,PHNjcmlwdD4=)" in page


@pytest.mark.parametrize(
    ("markdown", "fragment"),
    [
        pytest.param("# A *b* `c`", "<h1>A <em>b</em> <code>c</code></h1>", id="heading"),
        pytest.param("a **b *c* d** e", "<p>a <strong>b <em>c</em> d</strong> e</p>", id="nest"),
        pytest.param("x_y_z and _it_", "<p>x_y_z and <em>it</em></p>", id="intraword-underscore"),
        pytest.param("2 * 3 * 4", "<p>2 * 3 * 4</p>", id="spaced-stars"),
        pytest.param("a **b", "<p>a **b</p>", id="unclosed-bold"),
        pytest.param("``a ` b``", "<code>a ` b</code>", id="double-backticks"),
        pytest.param(r"\*x\* \| \\", r"<p>*x* | \</p>", id="escapes"),
        pytest.param("US \\ China", "<p>US \\ China</p>", id="lone-backslash"),
        pytest.param(
            '[doc](https://example.org/a_(b) "T")',
            '<a href="https://example.org/a_(b)" title="T">doc</a>',
            id="link",
        ),
        pytest.param("[x](#sec)", '<a href="#sec">x</a>', id="fragment-link"),
        pytest.param("[x](vbscript:y)", "<p>[x](vbscript:y)</p>", id="unsafe-link"),
        pytest.param("[E11] cited", "<p>[E11] cited</p>", id="bracket-text"),
        pytest.param("- a\n  - b\n    - c\n- d", "<li>b\n<ul>\n<li>c</li>", id="nested-list"),
        pytest.param("3. a\n4. b", '<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>', id="ordered"),
        pytest.param("text\n- item", "<p>text</p>\n<ul>\n<li>item</li>", id="list-after-text"),
        pytest.param("> quoted *x*", "<blockquote>\n<p>quoted <em>x</em></p>", id="quote"),
        pytest.param("```py\n<b>\n```", '<pre><code class="language-py">&lt;b&gt;\n', id="fence"),
        pytest.param("```\nopen", "<pre><code>open\n</code></pre>", id="unclosed-fence"),
        pytest.param("---", "<hr>", id="rule"),
        pytest.param("| a |\n|---|\n| \\| |", "<td>|</td>", id="escaped-pipe-cell"),
        pytest.param("| a | b |\n|---|---|\n| 1 |", "<td>1</td><td></td>", id="short-row"),
        pytest.param("| a |\n|---|\n| 1 | 2 |", "<td>1</td><td>2</td>", id="long-row-kept"),
        pytest.param("| a | b |\n|:-:|--|\n", '<th style="text-align: center">a</th>', id="align"),
        pytest.param("a | b\nnot a rule", "<p>a | b\nnot a rule</p>", id="pipe-paragraph"),
        pytest.param("<div>raw</div>", "<p>&lt;div&gt;raw&lt;/div&gt;</p>", id="raw-html"),
        pytest.param("a\ue000" + "0\ue001b", "<p>a\ue0000\ue001b</p>", id="placeholder-chars"),
        pytest.param("a\x00b", "<p>a\ufffdb</p>", id="nul"),
    ],
)
def test_constructs(markdown: str, fragment: str) -> None:
    page = markdown_to_html(markdown, title="t")
    assert fragment in page
    assert Page(page).problems == []


# ------------------------------------------------------------------------ properties
def pieces(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    """Text made of pieces (characters or short strings) drawn from ``alphabet``."""
    return st.lists(alphabet, max_size=max_size).map("".join)


PLAIN = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\\`*_[]|"),
    st.sampled_from(["<", ">", "&", '"', "'", "#", "-", "1.", "\ue000", "\ue001", "\t"]),
)
MARKDOWNISH = st.one_of(
    st.sampled_from(list("ab Z\n#*_`[]()!|-:>\\<&+.~1 ")),
    st.sampled_from(["**", "| a |", "|---|", "- ", "  - ", "1. ", "\n\n", "<script>", "&amp;"]),
    st.characters(blacklist_categories=("Cs",)),
)

CONSTRUCTS = st.one_of(  # whole Markdown constructs, which escaping must neutralise
    MARKDOWNISH,
    st.sampled_from(["_a_", "*b*", "**c**", "`d`", "[e](f)", "![g](h)", "# ", "> ", "---"]),
    st.sampled_from(["\n1) ", "\n| x | y |\n|---|:-:|\n", "\n```\n", "\\*", "a_b_c"]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(pieces(PLAIN, 30), min_size=1, max_size=4))
def test_plain_lines_round_trip(lines: list[str]) -> None:
    text = "\n".join("x" + line for line in lines)  # a letter first: no block marker
    found = Page(markdown_to_html(text, title=text))
    assert found.problems == []
    assert found.text() == " ".join(text.split())


@settings(max_examples=100, deadline=None)
@given(pieces(CONSTRUCTS, 30))
def test_escaped_text_round_trips(text: str) -> None:
    found = Page(markdown_to_html(markdown_escape(text), title="t"))
    assert found.problems == []
    assert found.text() == " ".join(text.replace("\x00", "\ufffd").split())


@settings(max_examples=150, deadline=None)
@given(pieces(MARKDOWNISH, 50))
def test_any_text_renders_balanced_and_keeps_its_letters(text: str) -> None:
    assume("](" not in text and "```" not in text and "~~~" not in text)
    found = Page(markdown_to_html(text, title=text))
    assert found.problems == []
    assert {tag for tag, _ in found.tags} <= ALLOWED
    letters = re.compile(r"[A-Za-z]")
    assert letters.findall(found.text()) == letters.findall(text)


def test_fractions_render_as_text() -> None:  # payoff cells such as -9/2 stay as written
    assert "<td>-9/2</td>" in markdown_to_html(f"| v |\n|---|\n| {-Fraction(9, 2)} |", title="t")


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("\n".join("  " * k + "- x" for k in range(1500)), id="deep-list"),
        pytest.param("> " * 1500 + "x", id="deep-quote"),
        pytest.param("**a *" * 300 + "x" + "* b**" * 300, id="nested-emphasis"),
        pytest.param("[" * 2000 + "x" + "](y)" * 2000, id="brackets"),
        pytest.param("**a " * 2000, id="unclosed-strong"),
    ],
)
def test_deep_or_unclosed_input_stays_bounded(markdown: str) -> None:
    found = Page(markdown_to_html(markdown, title="t"))
    assert found.problems == []
    assert max(found.depths, default=0) <= 20
    assert found.text().count("x") == markdown.count("x")
