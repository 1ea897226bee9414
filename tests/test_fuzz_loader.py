"""Fuzzing the scenario loader and the expression parser (issue #7, part 3).

The property everywhere: loading either succeeds or raises a :class:`sim.errors.SimError`
(the command line turns those into ``path:line:col: message`` and exit 2); no other
exception escapes, and every scenario error carries positions inside the file. Inputs are
random YAML documents (built as data and serialised, or glued from YAML fragments),
mutations of every shipped scenario, and token soup for the expression parser. Examples
are derandomised so that CI runs the same cases every time.
"""

from __future__ import annotations

import io
import string
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ExpressionError, ScenarioError, SimError
from sim.expression import evaluate, parse_expression
from sim.scenario import load, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
FUZZ = settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def check_load(text: str, base: Path, name: str = "fuzz.yaml") -> None:
    """Parse ``text`` as a scenario file in ``base``; only the project's errors may escape."""
    try:
        parse_scenario(text, name, base=base)
    except ScenarioError as err:
        lines = len(text.splitlines()) + 1
        for problem in err.problems:
            assert problem.message, err
            if problem.path == name:  # not a referenced file (stage, brief)
                assert 1 <= problem.line <= lines + 1, (problem, lines)
                assert problem.column >= 1, problem
    except SimError:
        pass


# ------------------------------------------------------------------ random documents
WEIRD = st.sampled_from(
    [
        "",
        " ",
        "~",
        "null",
        ".nan",
        "-.inf",
        "1e400",
        "9**9**9",
        "x.__class__",
        "__import__('os')",
        "&a",
        "*a",
        "!!python/name:os.system",
        "'",
        '"',
        "{",
        "[",
        "- ",
        ": ",
        "#",
        "---",
        "...",
        "\t",
        "\x1b[31m",
        "\u202e",
        "\ufeff",
        "é",
        "2/0",
        "0x10",
        "1_000",
        "kind",
        "normal_form",
        "sequential",
        "repeated",
        "players",
        "moves",
        "payoffs",
        "nodes",
        "a, b",
    ]
)
KEYS = st.sampled_from(
    [
        "kind",
        "title",
        "players",
        "moves",
        "payoffs",
        "parameters",
        "nodes",
        "player",
        "chance",
        "probability",
        "then",
        "value",
        "range",
        "distribution",
        "status_quo",
        "claims",
        "repeated",
        "target",
        "bargaining",
        "seed",
        "stage",
        "source",
        "A",
        "B",
        "a, c",
        "x",
    ]
) | st.text(string.printable, max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.fractions().map(str)
    | WEIRD
    | st.text(max_size=12)
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)
SCENARIO_LIKE = st.fixed_dictionaries(
    {"kind": st.sampled_from(["normal_form", "sequential", "repeated"]), "title": SCALARS},
    optional={
        "players": st.dictionaries(
            st.sampled_from(["A", "B", "C"]),
            st.fixed_dictionaries({}, optional={"moves": st.lists(KEYS, max_size=3)}),
            max_size=3,
        ),
        "payoffs": DOCUMENTS,
        "parameters": st.dictionaries(st.sampled_from(["p", "q", "x"]), DOCUMENTS, max_size=3),
        "nodes": DOCUMENTS,
        "status_quo": DOCUMENTS,
        "repeated": DOCUMENTS,
        "bargaining": DOCUMENTS,
        "seed": SCALARS,
    },
)


def dump(data: object) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@FUZZ
@given(data=DOCUMENTS | SCENARIO_LIKE)
def test_random_documents_raise_only_sim_errors(data: object, tmp_path: Path) -> None:
    check_load(dump(data), tmp_path)


FRAGMENTS = st.lists(
    WEIRD
    | KEYS
    | st.sampled_from(["\n", "\n  ", ": ", ", ", "- ", "[", "]", "{", "}", "&x ", "*x", "? "]),
    max_size=40,
)


@FUZZ
@given(parts=FRAGMENTS)
def test_yaml_fragment_soup_raises_only_sim_errors(parts: list[str], tmp_path: Path) -> None:
    check_load("".join(parts), tmp_path)


# ------------------------------------------------------------ mutations of the shipped
def mutate(text: str, data: st.DataObject) -> str:
    """One random edit: delete, duplicate or swap lines, replace a value, insert bytes, cut."""
    lines = text.splitlines(keepends=True)
    index = st.integers(0, max(len(lines) - 1, 0))
    kind = data.draw(
        st.sampled_from(["delete", "duplicate", "swap", "value", "bytes", "truncate"]), "edit"
    )
    if kind == "delete" and lines:
        del lines[data.draw(index)]
    elif kind == "duplicate" and lines:
        i = data.draw(index)
        lines.insert(i, lines[i])
    elif kind == "swap" and lines:
        i, j = data.draw(index), data.draw(index)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "value" and lines:
        candidates = [i for i, line in enumerate(lines) if ": " in line]
        if candidates:
            i = data.draw(st.sampled_from(candidates))
            head = lines[i][: lines[i].index(": ") + 2]
            scalar = data.draw(SCALARS | WEIRD)
            lines[i] = f"{head}{scalar}\n"
    elif kind == "bytes":
        at = data.draw(st.integers(0, len(text)))
        noise = data.draw(st.binary(min_size=1, max_size=8)).decode("utf-8", errors="replace")
        return text[:at] + noise + text[at:]
    else:
        return text[: data.draw(st.integers(0, len(text)))]
    return "".join(lines)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
@settings(max_examples=40, derandomize=True, deadline=None)
@given(data=st.data())
def test_mutated_shipped_scenarios_raise_only_sim_errors(path: Path, data: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8")
    check_load(mutate(text, data), path.parent, str(path))


def test_mutated_bytes_on_disk_raise_only_sim_errors(tmp_path: Path) -> None:
    """Non-UTF-8 bytes through :func:`load` (the file reader, not only the parser)."""
    for i, path in enumerate(SHIPPED):
        raw = path.read_bytes()
        cut = (len(raw) * (i + 1)) // (len(SHIPPED) + 1)
        target = tmp_path / path.name
        target.write_bytes(raw[:cut] + bytes([0xFF, 0xFE, 0x80 + i]) + raw[cut:])
        with pytest.raises(ScenarioError) as info:
            load(target)
        assert "not UTF-8" in str(info.value)


# ------------------------------------------------------------------------ expressions
TOKENS = st.sampled_from(
    [
        "a",
        "b",
        "x",
        "1",
        "0",
        "2.5",
        "1e300",
        "1e-300",
        "9",
        "+",
        "-",
        "*",
        "/",
        "**",
        "//",
        "%",
        "^",
        "(",
        ")",
        ",",
        "min",
        "max",
        "abs",
        ".",
        "__class__",
        "lambda",
        ":",
        "[",
        "]",
        "for",
        "in",
        "if",
        "else",
        ":=",
        "f'",
        "'",
        '"',
        "==",
        "<",
        "not",
        "and",
        "@",
        "~",
        "\\",
        " ",
        "\n",
        "\x00",
        "é",
        "_",
        "0x",
        "j",
        "1j",
        "...",
        ";",
        "#",
    ]
)
VALUES = {"a": Fraction(3), "b": Fraction(-1, 2), "x": 0.1}


@settings(max_examples=400, derandomize=True, deadline=None)
@given(tokens=st.lists(TOKENS, max_size=30))
def test_expression_token_soup_raises_only_expression_errors(tokens: list[str]) -> None:
    text = "".join(tokens)
    try:
        expression = parse_expression(text)
    except ExpressionError as err:
        assert err.message and 0 <= err.offset <= len(text), (text, err.offset)
        return
    assert all(name.isidentifier() for name in expression.names)
    try:
        value = evaluate(expression, VALUES)
    except ExpressionError as err:
        assert err.message and 0 <= err.offset <= len(text), (text, err.offset)
        return
    assert isinstance(value, Fraction | float)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(text=st.text(max_size=40))
def test_expression_unicode_text_raises_only_expression_errors(text: str) -> None:
    try:
        evaluate(parse_expression(text), VALUES)
    except ExpressionError as err:
        assert err.message and 0 <= err.offset <= len(text), (text, err.offset)
