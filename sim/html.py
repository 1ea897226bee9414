"""Self-contained HTML from the Markdown of our reports, for paper appendices.

:func:`markdown_to_html` is a pure function: Markdown text in, one HTML5 document out, with
inline CSS for screen and print, figures embedded as ``data:`` URIs and no external
resource. The same input always gives the same bytes.

The Markdown subset is the one :mod:`sim.report` writes, a part of CommonMark with GitHub's
pipe tables (https://spec.commonmark.org/ and https://github.github.com/gfm/):

* blocks: ATX headings (``#`` to ``######``), paragraphs, bullet (``-``, ``*``, ``+``) and
  ordered (``1.``) lists nested by indentation, pipe tables with ``:---``/``:---:``/``---:``
  alignment, fenced code (```` ``` ```` or ``~~~``), block quotes (``>``), rules (``---``);
  a paragraph made only of images, one per line, becomes figures with captions;
* inline: ``**bold**``, ``*italics*`` (also with ``_``, not inside words), ```code```,
  ``[text](url)``, ``![alt](file.png)`` and backslash escapes of ASCII punctuation.

Safety, since scenario titles and descriptions come from untrusted files: every character of
the input reaches the output HTML-escaped; raw HTML in the Markdown is shown as text, never
interpreted; a link is made only for ``http``, ``https``, ``mailto``, fragment and relative
targets (``javascript:`` and the like stay text); an image is either one of the ``images``
given, embedded, or an inline ``data:image/...;base64`` URI; any other image (for instance
one written into a scenario's description) is shown as the text
``[image not embedded: alt (target)]`` and never fetched. Whatever this subset does not
cover is rendered as escaped text, so nothing is lost.

>>> page = markdown_to_html("# Result\\n\\n**(defect, defect)** <script>", title="PD")
>>> print(page[page.index("<main>") : page.index("</main>")].rstrip())
<main>
<h1>Result</h1>
<p><strong>(defect, defect)</strong> &lt;script&gt;</p>
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["CSS", "markdown_escape", "markdown_to_html"]

CSS = """\
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #111;
  font: 11pt/1.45 "Charter", "Georgia", "Times New Roman", serif; }
main { max-width: 50em; margin: 0 auto; padding: 2em 1.5em 4em; }
h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", "Arial", sans-serif;
  line-height: 1.25; margin: 1.4em 0 0.5em; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 1.6em; margin-top: 0; }
h2 { font-size: 1.3em; border-bottom: 1px solid #bbb; padding-bottom: 0.15em; }
h3 { font-size: 1.1em; }
p, ul, ol, table, pre, blockquote, figure { margin: 0 0 0.8em; }
ul, ol { padding-left: 1.6em; }
li > ul, li > ol { margin: 0.15em 0 0.2em; }
code { font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace; font-size: 0.88em;
  background: #f3f3f3; padding: 0.05em 0.25em; border-radius: 2px;
  overflow-wrap: anywhere; }
pre { background: #f3f3f3; padding: 0.6em 0.8em; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; font-size: 0.92em; max-width: 100%;
  page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #999; padding: 0.25em 0.55em; vertical-align: top; }
th { background: #eee; font-family: "Helvetica Neue", "Arial", sans-serif; }
blockquote { margin-left: 0; padding-left: 1em; border-left: 3px solid #bbb; color: #333; }
hr { border: 0; border-top: 1px solid #bbb; }
img { max-width: 100%; height: auto; }
figure { text-align: center; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-size: 0.9em; color: #333; margin-top: 0.3em; }
a { color: #1a4f8b; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  pre, code { background: none; }
  pre { border: 1px solid #ccc; }
}
"""
"""The style sheet embedded in every page (print-friendly, no external fonts)."""

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_MARKDOWN_SPECIAL = frozenset("\\`*_[]()!|#<>~+-.{}")
_OPEN, _CLOSE = "\ue000", "\ue001"  # around the index of an already rendered piece
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*)$")
_DELIMITER_CELL = re.compile(r"^[ \t]*(:?)-+(:?)[ \t]*$")
_TARGET = re.compile(  # (target "title") after a link's label; parentheses nest once
    r"""\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)"""
    r"""(?:\s+("[^"\n]*"|'[^'\n]*'))?\s*\)"""
)
_LANGUAGE = re.compile(r"^[\w+#.-]+$")
_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$")
_SAFE_SCHEME = re.compile(r"^(https?|mailto):", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

_MAX_DEPTH = 20
"""Deepest nesting of lists or block quotes; deeper ones continue at this depth."""
_SPAN = 1000
"""Longest emphasised span or link label, in characters (bounds the work on bad input)."""
_STRONG = (
    re.compile(rf"\*\*(?=[^\s*])(.{{1,{_SPAN}}}?)(?<=[^\s*])\*\*", re.DOTALL),
    re.compile(rf"(?<!\w)__(?=[^\s_])(.{{1,{_SPAN}}}?)(?<=[^\s_])__(?!\w)", re.DOTALL),
)
_EMPHASIS = (
    re.compile(rf"\*(?=[^\s*])(.{{1,{_SPAN}}}?)(?<=[^\s*])\*", re.DOTALL),
    re.compile(rf"(?<!\w)_(?=[^\s_])(.{{1,{_SPAN}}}?)(?<=[^\s_])_(?!\w)", re.DOTALL),
)


def _escape(text: str) -> str:
    """Text for an HTML text node."""
    return html.escape(text, quote=False)


def _attribute(text: str) -> str:
    """Text for a double-quoted HTML attribute value."""
    return html.escape(text, quote=True)


def markdown_escape(text: str) -> str:
    """Text with every Markdown-significant character backslash-escaped.

    Rendering the result shows ``text`` literally, whatever it contains.

    >>> markdown_escape("**not bold** [x](y)")
    '\\\\*\\\\*not bold\\\\*\\\\* \\\\[x\\\\]\\\\(y\\\\)'
    """
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)


# -------------------------------------------------------------------------------- inline
@dataclass
class _Inline:
    """Renders inline Markdown; holds the embedded images and rendered pieces."""

    images: Mapping[str, bytes]
    pieces: list[str] = field(default_factory=list)

    def render(self, text: str) -> str:
        """Inline Markdown to HTML: atoms first, then emphasis, then assembly."""
        return self._assemble(self._emphasis(self._atoms(text)))

    def plain(self, text: str) -> str:
        """The text of inline Markdown (no tags), HTML-escaped: for ``alt`` attributes."""
        return re.sub(r"<[^>]*>", "", self.render(text)).replace('"', "&quot;")

    def _piece(self, rendered: str) -> str:
        self.pieces.append(rendered)
        return f"{_OPEN}{len(self.pieces) - 1}{_CLOSE}"

    def _atoms(self, text: str) -> str:
        """Replace escapes, code spans, images and links by placeholders; keep other text."""
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\" and i + 1 < n and text[i + 1] in _PUNCTUATION:
                out.append(self._piece(_escape(text[i + 1])))
                i += 2
            elif c == "`":
                i = self._code(text, i, out)
            elif c == "!" and text.startswith("[", i + 1) and (link := _link(text, i + 1)):
                label, target, title, end = link
                out.append(self._piece(self._image(label, target, title)))
                i = end
            elif c == "[" and (link := _link(text, i)) and _safe_href(link[1]):
                label, target, title, end = link
                extra = f' title="{_attribute(title)}"' if title else ""
                inner = self.render(label)
                out.append(self._piece(f'<a href="{_attribute(target)}"{extra}>{inner}</a>'))
                i = end
            elif c in (_OPEN, _CLOSE):  # the placeholder marks, when the input has them
                out.append(self._piece(c))
                i += 1
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def _code(self, text: str, start: int, out: list[str]) -> int:
        """A code span starting at a backtick run, or the run as text if it is not closed."""
        rest = text[start:]
        run = len(rest) - len(rest.lstrip("`"))
        ticks = text[start : start + run]
        closing = re.compile(f"(?<!`){ticks}(?!`)").search(text, start + run)
        if closing is None:
            out.append(self._piece(_escape(ticks)))
            return start + run
        content = text[start + run : closing.start()].replace("\n", " ")
        if len(content) > 1 and content[0] == " " == content[-1] and content.strip(" "):
            content = content[1:-1]
        out.append(self._piece(f"<code>{_escape(content)}</code>"))
        return closing.end()

    def _image(self, label: str, target: str, title: str) -> str:
        if _DATA_URI.match(target):
            source = target
        elif target in self.images:
            data = self.images[target]
            encoded = base64.b64encode(data).decode("ascii")
            source = f"data:{_media_type(target, data)};base64,{encoded}"
        else:  # never fetched: shown as text, so untrusted text cannot make a page fail
            missing = f"[image not embedded: {_escape(label)} ({_escape(target)})]"
            return f'<span class="missing">{missing}</span>'
        extra = f' title="{_attribute(title)}"' if title else ""
        return f'<img src="{source}" alt="{self.plain(label)}"{extra}>'

    def _emphasis(self, text: str) -> str:
        """Replace strong then emphasised spans (innermost text rendered) by placeholders."""
        for patterns, tag in ((_STRONG, "strong"), (_EMPHASIS, "em")):
            for pattern in patterns:
                text = pattern.sub(self._wrapper(tag), text)
        return text

    def _wrapper(self, tag: str) -> Callable[[re.Match[str]], str]:
        def wrap(match: re.Match[str]) -> str:
            inner = self._assemble(self._emphasis(match.group(1)))
            return self._piece(f"<{tag}>{inner}</{tag}>")

        return wrap

    def _assemble(self, text: str) -> str:
        """Escape the plain text between placeholders and put the rendered pieces back."""
        parts = _PLACEHOLDER.split(text)
        out = []
        for k, part in enumerate(parts):
            out.append(self.pieces[int(part)] if k % 2 else _escape(part))
        return "".join(out)


def _link(text: str, start: int) -> tuple[str, str, str, int] | None:
    """``[label](target "title")`` at ``start``: (label, target, title, end) or None."""
    depth, i, n = 0, start, min(len(text), start + _SPAN)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    else:
        return None
    label = text[start + 1 : i]
    match = _TARGET.match(text, i + 1)
    if match is None:
        return None
    target = match.group(1)
    if target.startswith("<"):
        target = target[1:-1]
    title = match.group(2)[1:-1] if match.group(2) else ""
    return label, target, title, match.end()


def _safe_href(target: str) -> bool:
    """http(s), mailto, fragment or relative targets only."""
    if any(ord(c) < 32 for c in target) or target.startswith(("//", "\\\\")):
        return False  # control characters; protocol-relative (off-site) targets
    return bool(_SAFE_SCHEME.match(target)) or not _ANY_SCHEME.match(target)


def _media_type(name: str, data: bytes) -> str:
    """The image's media type from its first bytes, else from its file name."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    suffix = name.rsplit(".", 1)[-1].lower()
    known = {"svg": "image/svg+xml", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
    return known.get(suffix, "image/png")


# --------------------------------------------------------------------------------- blocks
@dataclass
class _Item:
    indent: int  # column of the marker
    content: int  # column where the item's text starts (children are indented to it)
    ordered: bool
    number: int
    lines: list[str]
    children: list[_Item] = field(default_factory=list)


def _split_row(line: str) -> list[str]:
    """Cells of a pipe-table row (``\\|`` is a literal pipe)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", text)]


def _alignments(line: str, columns: int) -> list[str] | None:
    """Alignment per column from a delimiter row, or None if the line is not one."""
    if "-" not in line or ("|" not in line and columns != 1):
        return None
    cells = _split_row(line)
    if len(cells) != columns:
        return None
    out = []
    for cell in cells:
        match = _DELIMITER_CELL.match(cell)
        if match is None:
            return None
        left, right = bool(match.group(1)), bool(match.group(2))
        out.append("center" if left and right else "right" if right else "left" if left else "")
    return out


@dataclass
class _Blocks:
    """Renders block-level Markdown, line by line."""

    inline: _Inline
    depth: int = 0  # of block quotes around these lines

    def render(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                i += 1
            elif match := _FENCE.match(line):
                i = self._fence(lines, i, match, out)
            elif match := _HEADING.match(line):
                level = len(match.group(1))
                out.append(f"<h{level}>{self.inline.render(match.group(2) or '')}</h{level}>")
                i += 1
            elif _RULE.match(line):
                out.append("<hr>")
                i += 1
            elif self._table_start(lines, i):
                i = self._table(lines, i, out)
            elif _QUOTE.match(line) and self.depth < _MAX_DEPTH:
                i = self._quote(lines, i, out)
            elif _ITEM.match(line):
                i = self._list(lines, i, out)
            else:
                i = self._paragraph(lines, i, out)
        return out

    def _starts_block(self, lines: list[str], i: int) -> bool:
        line = lines[i]
        return bool(
            not line.strip()
            or _FENCE.match(line)
            or _HEADING.match(line)
            or _RULE.match(line)
            or (_QUOTE.match(line) and self.depth < _MAX_DEPTH)
            or _ITEM.match(line)
            or self._table_start(lines, i)
        )

    @staticmethod
    def _table_start(lines: list[str], i: int) -> bool:
        if "|" not in lines[i] or i + 1 >= len(lines):
            return False
        return _alignments(lines[i + 1], len(_split_row(lines[i]))) is not None

    def _fence(self, lines: list[str], i: int, match: re.Match[str], out: list[str]) -> int:
        indent, marks, info = len(match.group(1)), match.group(2), match.group(3).strip()
        if marks[0] == "`" and "`" in info:  # not a fence: a code span at the line's start
            return self._paragraph(lines, i, out, force=True)
        closing = re.compile(f"^ {{0,3}}{re.escape(marks[0])}{{{len(marks)},}}[ \\t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            text = lines[j]
            strip = min(indent, len(text) - len(text.lstrip(" ")))
            body.append(text[strip:])
            j += 1
        language = info.split()[0] if info else ""
        attribute = f' class="language-{_attribute(language)}"' if _LANGUAGE.match(language) else ""
        caption = "" if not info or (attribute and info == language) else info
        code = _escape("\n".join(body) + ("\n" if body else ""))
        label = f'<div class="info">{_escape(caption)}</div>' if caption else ""
        out.append(f"{label}<pre><code{attribute}>{code}</code></pre>")
        return j + 1

    def _table(self, lines: list[str], i: int, out: list[str]) -> int:
        header = _split_row(lines[i])
        aligns = _alignments(lines[i + 1], len(header)) or []
        rows: list[list[str]] = []
        j = i + 2
        while j < len(lines) and lines[j].strip() and "|" in lines[j]:
            rows.append(_split_row(lines[j]))
            j += 1

        def cells(row: list[str], tag: str) -> str:
            row = row + [""] * (len(header) - len(row))
            parts = []
            for k, cell in enumerate(row):
                align = aligns[k] if k < len(aligns) else ""
                style = f' style="text-align: {align}"' if align else ""
                parts.append(f"<{tag}{style}>{self.inline.render(cell)}</{tag}>")
            return "<tr>" + "".join(parts) + "</tr>"

        table = ["<table>", "<thead>", cells(header, "th"), "</thead>"]
        if rows:
            table += ["<tbody>", *(cells(row, "td") for row in rows), "</tbody>"]
        out.append("\n".join([*table, "</table>"]))
        return j

    def _quote(self, lines: list[str], i: int, out: list[str]) -> int:
        inner = []
        while i < len(lines) and (match := _QUOTE.match(lines[i])):
            inner.append(match.group(1))
            i += 1
        nested = _Blocks(self.inline, self.depth + 1).render(inner)
        out.append("\n".join(["<blockquote>", *nested, "</blockquote>"]))
        return i

    def _list(self, lines: list[str], i: int, out: list[str]) -> int:
        items: list[_Item] = []
        while i < len(lines) and lines[i].strip():
            match = _ITEM.match(lines[i])
            if match is not None and not _RULE.match(lines[i]):
                indent, marker, text = len(match.group(1)), match.group(2), match.group(3) or ""
                ordered = marker[-1] in ".)"
                number = int(marker[:-1]) if ordered else 0
                items.append(_Item(indent, indent + len(marker) + 1, ordered, number, [text]))
            elif i > 0 and self._starts_block(lines, i):
                break
            else:  # a continuation line of the last item
                items[-1].lines.append(lines[i].strip())
            i += 1
        out.extend(self._items(_nest(items)))
        return i

    def _items(self, items: list[_Item]) -> list[str]:
        out: list[str] = []
        k = 0
        while k < len(items):
            ordered = items[k].ordered
            group = [items[k]]
            while k + len(group) < len(items) and items[k + len(group)].ordered == ordered:
                group.append(items[k + len(group)])
            k += len(group)
            start = f' start="{group[0].number}"' if ordered and group[0].number != 1 else ""
            out.append(f"<ol{start}>" if ordered else "<ul>")
            for item in group:
                text = self.inline.render("\n".join(item.lines).strip())
                nested = "\n".join(self._items(item.children)) if item.children else ""
                out.append(f"<li>{text}" + (f"\n{nested}\n" if nested else "") + "</li>")
            out.append("</ol>" if ordered else "</ul>")
        return ["\n".join(out)]

    def _paragraph(self, lines: list[str], i: int, out: list[str], *, force: bool = False) -> int:
        text = [lines[i].strip()]
        i += 1
        while i < len(lines) and not self._starts_block(lines, i):
            text.append(lines[i].strip())
            i += 1
        labels = [_lone_image(t) for t in text]
        if not force and all(label is not None for label in labels):
            for line, label in zip(text, labels, strict=True):
                image = self.inline.render(line)
                caption = self.inline.render(label or "")
                out.append(f"<figure>{image}<figcaption>{caption}</figcaption></figure>")
            return i
        out.append(f"<p>{self.inline.render(chr(10).join(text))}</p>")
        return i


def _lone_image(line: str) -> str | None:
    """The label of a line that is exactly one image ``![label](target)``, else None."""
    if not line.startswith("!["):
        return None
    link = _link(line, 1)
    return link[0] if link is not None and link[3] == len(line) else None


def _nest(items: list[_Item]) -> list[_Item]:
    """Items as a forest: an item indented to its predecessor's text is its child.

    Nesting stops at :data:`_MAX_DEPTH` levels (deeper items become siblings there).
    """
    top: list[_Item] = []
    for item in items:
        siblings, depth = top, 0
        while siblings and item.indent >= siblings[-1].content and depth < _MAX_DEPTH:
            siblings, depth = siblings[-1].children, depth + 1
        siblings.append(item)
    return top


# ----------------------------------------------------------------------------- document
def markdown_to_html(
    markdown: str, *, title: str, images: Mapping[str, bytes] = MappingProxyType({})
) -> str:
    """Render a Markdown report as one self-contained HTML5 page.

    Steps: (1) split the text into lines (any line ending) and blocks; (2) render each
    block, its inline Markdown with every text HTML-escaped and each image embedded from
    ``images`` as a base64 ``data:`` URI; (3) wrap the blocks in a page with the inline
    style sheet :data:`CSS`.

    Parameters
    ----------
    markdown : str
        The report (the Markdown subset of the module docstring).
    title : str
        The page title (``<title>``), e.g. the scenario's title; escaped.
    images : Mapping[str, bytes]
        Image file name, as written in ``![caption](name)``, to the file's bytes.

    Returns
    -------
    str
        The HTML document; equal inputs give equal output.

    Examples
    --------
    >>> page = markdown_to_html("| a | b |\\n|:-|-:|\\n| `x` | 1 |", title="t")
    >>> print(page[page.index("<table>") : page.index("</table>")].rstrip())
    <table>
    <thead>
    <tr><th style="text-align: left">a</th><th style="text-align: right">b</th></tr>
    </thead>
    <tbody>
    <tr><td style="text-align: left"><code>x</code></td><td style="text-align: right">1</td></tr>
    </tbody>
    """
    text = markdown.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.expandtabs(4) for line in text.split("\n")]
    body = _Blocks(_Inline(images)).render(lines)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(title)}</title>",
        f"<style>\n{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"
