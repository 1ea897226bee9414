"""YAML text to plain data with the line and column of every key and value.

The scenario loader's first step. ruamel.yaml's round-trip composer builds the node tree
(nothing is constructed, so no tag can run code); this module walks it into plain
``dict``/``list``/scalars, rejecting what a scenario never needs: duplicate keys, non-scalar
keys, custom or Python tags, documents deeper or larger than the limits below.

Scalars become ``None``, ``bool``, ``int`` or ``str``. Floats are kept as their source text
(a ``str``), so ``2.5`` can later be read exactly as ``5/2`` rather than as a binary float.

>>> doc = parse_document("a: 1\\nb: [2.5, x]\\n", "s.yaml")
>>> doc.data
{'a': 1, 'b': ['2.5', 'x']}
>>> doc.where(("b", 1))
(2, 10)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.errors import Problem, ScenarioError

__all__ = ["MAX_DEPTH", "MAX_NODES", "Document", "Path", "parse_document"]

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted."""
MAX_NODES = 200_000
"""Most YAML nodes (after expanding aliases) accepted in one document."""

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


def parse_document(text: str, path: str = "<string>") -> Document:
    """Parse YAML text into a :class:`Document`.

    Raises :class:`ScenarioError` when the text is not YAML or exceeds the limits; problems
    that leave a usable document (a duplicate key keeps its first value, a disallowed tag
    becomes an empty value) are returned in ``Document.problems`` instead, so that the
    caller can report them together with everything else.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = YAML(typ="rt")
    try:
        root = yaml.compose(text)
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
        raise ScenarioError(
            [
                Problem(
                    path,
                    1,
                    1,
                    f"document is nested deeper than {MAX_DEPTH} levels; flatten it (in a game "
                    "tree, name nodes under `nodes:` instead of nesting them), or, for a file you "
                    "trust, raise the limit with SIM_MAX_DEPTH (at most 400)",
                )
            ]
        ) from None
    except YAMLError as err:
        raise ScenarioError([Problem(path, 1, 1, f"invalid YAML: {err}")]) from None
    if root is None:
        raise ScenarioError([Problem(path, 1, 1, "the file is empty; start from `sim new NAME`")])
    sizes: dict[int, int] = {}
    if _size(root, 0, sizes) > MAX_NODES:  # before expanding: a billion laughs costs nothing
        node = root
        while True:
            bigger = [c for c in _children(node) if sizes.get(id(c), 0) > MAX_NODES]
            if not bigger:
                break
            node = bigger[0]
        mark = node.start_mark
        raise ScenarioError(
            [
                Problem(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    f"document has more than {MAX_NODES} nodes (aliases expanded); for a file "
                    "you trust, raise the limit with SIM_MAX_NODES",
                )
            ]
        )
    walker = _Walker(path)
    data = walker.walk(root, (), 0)
    return Document(
        path, data, walker.values, walker.keys, frozenset(walker.quoted), tuple(walker.problems)
    )


def _children(node: Any) -> list[Any]:
    """The child nodes of a node (the values of a mapping, the items of a sequence)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [value for _, value in node.value]
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
    def __init__(self, path: str) -> None:
        self.path = path
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
        if self.count > MAX_NODES:
            self._problem(
                node,
                f"document has more than {MAX_NODES} nodes (aliases expanded); for a file you "
                "trust, raise the limit with SIM_MAX_NODES",
            )
            raise ScenarioError(self.problems)
        if depth > MAX_DEPTH:
            self._problem(
                node,
                f"document is nested deeper than {MAX_DEPTH} levels; flatten it (in a game "
                "tree, name nodes under `nodes:` instead of nesting them), or, for a file you "
                "trust, raise the limit with SIM_MAX_DEPTH (at most 400)",
            )
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
        if node.style == ">":
            text = text.replace("\a", "")  # the round-trip composer marks folds with BEL
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
