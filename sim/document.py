"""YAML text to plain data with the line and column of every key and value.

The scenario loader's first step. ruamel.yaml's safe composer builds the node tree (nothing
is constructed, so no tag can run code); this module walks it into plain
``dict``/``list``/scalars, rejecting what a scenario never needs: duplicate keys, non-scalar
keys, custom or Python tags, documents deeper or larger than the limits below.

The limits are checked while the tree is composed, at the node that crosses them, so that
no text costs more than the limits allow (ruamel.yaml is pure Python: about 30 µs a node
here). An alias counts as the nodes it stands for, measured without expanding it.

Scalars become ``None``, ``bool``, ``int`` or ``str``. Floats are kept as their source text
(a ``str``), so ``2.5`` can later be read exactly as ``5/2`` rather than as a binary float.

>>> doc = parse_document("a: 1\\nb: [2.5, x]\\n", "s.yaml")
>>> doc.data
{'a': 1, 'b': ['2.5', 'x']}
>>> doc.where(("b", 1))
(2, 10)
>>> doc.nodes  # the root, two keys, two values, two list items
7
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sim.errors import Problem, ScenarioError

__all__ = ["MAX_DEPTH", "MAX_NODES", "Document", "Path", "parse_document"]

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (``SIM_MAX_DEPTH``, at most 400).

Scenarios nest 4 to 6 levels; a game tree written inline (rather than with named
``nodes:``) takes two levels per move, so 64 admits a tree 30 moves deep. Nesting costs no
more time than the nodes it holds (:data:`MAX_NODES` bounds those)."""
MAX_NODES = 16_000
"""Most YAML nodes in one document (``SIM_MAX_NODES``): keys, values and list items, an
alias counting as the nodes it stands for.

Composing costs about 30 µs a node here (ruamel.yaml is pure Python) and loading a game
about 50 µs a node all told, so that any file is refused within about 0.6 s and the
largest games admitted load within about 0.9 s: 88×88 moves in matrix form (15,861 nodes)
or 62×62 written profile by profile (``m1, m2: [3, 5]``: 15,517 nodes); the costliest
file found, the 88×88 game with every payoff wrong (15,488 problems), takes about 1.1 s.
Games this large are beyond what ``sim run`` analyses in full, and ``sim solve`` takes
seconds on them. The scenarios in ``scenarios/`` have 28 to 547 nodes. A scenario that
names a stage file shares the limit with it, so that the two take no longer than one."""

Path = tuple[str | int, ...]
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null")}


@dataclass(frozen=True)
class Document:
    """Plain data of a YAML document and the 1-based positions of its parts."""

    path: str
    data: Any
    values: Mapping[Path, tuple[int, int]]
    keys: Mapping[Path, tuple[int, int]]
    quoted: frozenset[Path] = frozenset()
    problems: tuple[Problem, ...] = ()
    """Problems that did not stop the parse (duplicate keys, disallowed tags)."""
    nodes: int = 0
    """Nodes counted against :data:`MAX_NODES` (aliases counted as what they stand for)."""

    def where(self, path: Path) -> tuple[int, int]:
        """Line and column of the value at ``path`` (or its nearest existing parent)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)

    def where_key(self, path: Path) -> tuple[int, int]:
        """Line and column of the key of the mapping entry at ``path`` (else its value)."""
        return self.keys.get(path) or self.where(path)

    def problem(self, path: Path, message: str, *, key: bool = False, shift: int = 0) -> Problem:
        """A positioned problem at a value (or its key), ``shift`` characters into the text.

        The shift counts from the first character of a scalar's content, so it skips the
        opening quote of a quoted scalar.
        """
        line, column = self.where_key(path) if key else self.where(path)
        if not key and (shift or path in self.quoted):
            shift += int(path in self.quoted)
        return Problem(self.path, line, column + shift, message)


def parse_document(text: str, path: str = "<string>", *, counted: int = 0) -> Document:
    """Parse YAML text into a :class:`Document`.

    Raises :class:`ScenarioError` when the text is not YAML or exceeds the limits; problems
    that leave a usable document (a duplicate key keeps its first value, a disallowed tag
    becomes an empty value) are returned in ``Document.problems`` instead, so that the
    caller can report them together with everything else. ``counted``: nodes already
    counted against :data:`MAX_NODES` by the file that names this one (a stage file).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    # The safe (not round-trip) scanner: it skips comments instead of collecting them,
    # which costs the round-trip scanner quadratic time (5 MB of comment lines: minutes).
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner, yaml.Composer = _parts()
    yaml.composer.counted = counted  # (made now; compose() uses this one)
    try:
        with _recursion_room(4 * MAX_DEPTH):
            root = yaml.compose(text)
    except _Refused as err:
        raise ScenarioError([Problem(path, err.line, err.column, err.message)]) from None
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = (err.problem or err.context or "invalid YAML").strip()
        if what == "but found another document":
            message = (
                "the file holds more than one YAML document; remove this '---' and what follows"
            )
        else:
            message = f"invalid YAML: {what}; check indentation and quoting"
        raise ScenarioError([Problem(path, line, column, message)]) from None
    except ReaderError as err:
        line, column = _line_column(text, err.position)
        raise ScenarioError(
            [Problem(path, line, column, f"{_control_text(err.character)}; remove it")]
        ) from None
    except RecursionError:
        raise ScenarioError([Problem(path, 1, 1, _too_deep())]) from None
    except YAMLError as err:
        raise ScenarioError([Problem(path, 1, 1, f"invalid YAML: {err}")]) from None
    if root is None:
        raise ScenarioError([Problem(path, 1, 1, "the file is empty; start from `sim new NAME`")])
    walker = _Walker(path, counted)
    try:
        with _recursion_room(3 * MAX_DEPTH):
            data = walker.walk(root, (), 0)
    except RecursionError:  # aliases nest deeper than the text; the walk stops at MAX_DEPTH
        line, column = next(reversed(walker.values.values()), (1, 1))
        raise ScenarioError([*walker.problems, Problem(path, line, column, _too_deep())]) from None
    return Document(
        path,
        data,
        walker.values,
        walker.keys,
        frozenset(walker.quoted),
        tuple(walker.problems),
        yaml.composer.nodes,
    )


@contextlib.contextmanager
def _recursion_room(frames: int) -> Iterator[None]:
    """Let the code inside recurse ``frames`` more frames than the caller could.

    Composing and walking recurse a few frames per level of nesting, so a document
    :data:`MAX_DEPTH` deep (400 at most) needs more than Python's default limit of 1000
    frames. Recursion between Python functions uses no C stack (Python 3.11 and later), so
    this is safe; the previous limit is put back afterwards.
    """
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(before + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def _too_many(counted: int) -> str:
    """The message for a document over :data:`MAX_NODES` (``counted`` nodes in the file
    that names it)."""
    if counted:
        over = (
            f"more than {MAX_NODES - counted} nodes (aliases expanded), which with the "
            f"{counted} of the scenario that names it is over the limit of {MAX_NODES}"
        )
    else:
        over = f"more than {MAX_NODES} nodes (aliases expanded)"
    return f"document has {over}; for a file you trust, raise the limit with SIM_MAX_NODES"


def _too_deep() -> str:
    return (
        f"document is nested deeper than {MAX_DEPTH} levels; flatten it (in a game tree, name "
        "nodes under `nodes:` instead of nesting them), or, for a file you trust, raise the "
        "limit with SIM_MAX_DEPTH (at most 400)"
    )


class _Refused(Exception):
    """A limit crossed while composing, at a 1-based line and column."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = mark.line + 1, mark.column + 1, message


@functools.cache
def _parts() -> tuple[Any, Any]:
    """ruamel's scanner and composer, changed to bound the time any text takes.

    The composer stops at the node that crosses :data:`MAX_NODES` or :data:`MAX_DEPTH`,
    and at an alias used inside the node it names. Composing costs about 30 µs a node, so
    counting as the tree is built (rather than after) bounds the time. An alias counts as
    the nodes it expands to, computed once per anchor by :func:`_size` (an alias bomb is
    measured, not expanded).

    The scanner keeps one "possible simple key" per open flow level and ruamel looks
    through all of them at every token, which nearly doubles the cost of a node in a line
    of deeply nested ``[[[...]]]``. They are kept in the order of their position in the text
    (each is deleted before it is saved again), so the stale ones are the first ones and
    the nearest is the first: the two lookups below stop there, with the same results.
    """
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent, ScalarEvent
    from ruamel.yaml.nodes import MappingNode, ScalarNode
    from ruamel.yaml.scanner import Scanner, ScannerError

    class LimitedScanner(Scanner):  # type: ignore[misc]
        def next_possible_simple_key(self) -> Any:
            for key in self.possible_simple_keys.values():
                return key.token_number
            return None

        def stale_possible_simple_keys(self) -> None:
            keys = self.possible_simple_keys
            if not keys:
                return
            line, index = self.reader.line, self.reader.index
            stale = []
            for level, key in keys.items():
                if key.line == line and index - key.index <= 1024:
                    break
                if key.required:
                    raise ScannerError(
                        "while scanning a simple key",
                        key.mark,
                        "could not find expected ':'",
                        self.reader.get_mark(),
                    )
                stale.append(level)
            for level in stale:
                del keys[level]

    class LimitedComposer(Composer):  # type: ignore[misc]
        def __init__(self, loader: Any = None) -> None:
            super().__init__(loader)
            self.warn_double_anchors = False  # legal YAML: the later anchor wins
            self.counted = 0  # nodes of the file that names this one
            self.nodes = 0
            self.sizes: dict[int, int] = {}

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            if isinstance(event, AliasEvent):
                target = self.anchors.get(event.anchor)
                if target is not None:  # (an undefined alias is the parser's error)
                    if not isinstance(target, ScalarNode) and target.end_mark is None:
                        raise _Refused(
                            event.start_mark,
                            f"alias '*{event.anchor}' is used inside the node it names, which "
                            "would repeat it without end; write the repeated part out (in a "
                            "game tree, name nodes under `nodes:` and refer to them by name)",
                        )
                    self.nodes += _size(target, self.depth, self.sizes)
            else:
                self.nodes += 1
                # A plain key is refused at its value, as the walk does.
                key = index is None and isinstance(parent, MappingNode)
                if self.depth > MAX_DEPTH and not (key and isinstance(event, ScalarEvent)):
                    raise _Refused(event.start_mark, _too_deep())
            if self.nodes > MAX_NODES - self.counted:
                raise _Refused(event.start_mark, _too_many(self.counted))
            return super().compose_node(parent, index)

    return LimitedScanner, LimitedComposer


def _children(node: Any) -> list[Any]:
    """The child nodes of a node (the keys and values of a mapping, a sequence's items)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _size(node: Any, depth: int, sizes: dict[int, int]) -> int:
    """Nodes below and including ``node`` once aliases are expanded, each shared node
    counted once per use but computed once (so an alias bomb is measured, not expanded).
    Stops at :data:`MAX_DEPTH`, which the walk reports."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if depth > MAX_DEPTH:
        return 1
    size = 1 + sum(_size(child, depth + 1, sizes) for child in _children(node))
    sizes[id(node)] = size
    return size


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _control_text(character: int | str | bytes) -> str:
    """``the text contains the control character U+001B``, for a refused character."""
    code = character if isinstance(character, int) else ord(character)
    return f"the text contains the control character U+{code:04X}, which a scenario cannot hold"


def _shown(tag: str) -> str:
    """A tag as written: ``!!python/name:os.system`` rather than its full URI."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab, line feed and carriage return (C0, DEL and C1)."""


class _Walker:
    def __init__(self, path: str, counted: int) -> None:
        self.path = path
        self.counted = counted
        self.values: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.quoted: set[Path] = set()
        self.count = 0

    def _problem(self, node: Any, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def walk(self, node: Any, at: Path, depth: int) -> Any:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.count += 1
        if self.count > MAX_NODES - self.counted:  # aliases expanded past what was measured
            self._problem(node, _too_many(self.counted))
            raise ScenarioError(self.problems)
        if depth > MAX_DEPTH:  # aliases nesting deeper than the text does
            self._problem(node, _too_deep())
            raise ScenarioError(self.problems)
        self.values[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
            if value is not None and node.style in ("'", '"'):
                self.quoted.add(at)
            return value
        if node.tag not in (f"{_CORE}map", f"{_CORE}seq", f"{_CORE}omap", f"{_CORE}set"):
            self._problem(node, f"tag {_shown(node.tag)!r} is not allowed; remove it")
            return None
        if isinstance(node, SequenceNode):
            return [self.walk(item, (*at, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == f"{_CORE}merge":
                self._problem(key_node, "keys must be plain names, not lists, mappings or merges")
                continue
            key = str(key_node.value)
            control = _CONTROL.search(key)
            if control:
                self._problem(key_node, f"{_control_text(control.group())}; remove it")
                continue
            if key in out:
                first = self.keys[(*at, key)]
                self._problem(
                    key_node,
                    f"duplicate key '{key}' (first at line {first[0]}); keep one of them",
                )
                continue
            self.keys[(*at, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.walk(value_node, (*at, key), depth + 1)
        return out

    def _scalar(self, node: Any) -> Any:
        tag, text = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            self._problem(node, f"tag {_shown(tag)!r} is not allowed; write a plain value")
            return None
        control = _CONTROL.search(text)
        if control:
            self._problem(node, f"{_control_text(control.group())}; remove it")
            return None
        kind = tag[len(_CORE) :]
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            digits = text.replace("_", "")
            for base in (0, 10):
                try:
                    return int(digits, base)
                except ValueError:
                    continue
            return text
        return text
