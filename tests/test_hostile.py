"""Hostile scenario files (issue #7): each is refused with a positioned message, fast, safely.

Every file in ``tests/data/hostile/`` is one attack on the loader, named by the comment on
its first line. For each, ``sim validate FILE`` and ``sim run FILE`` (in-process, through
typer's runner) must exit 2 with ``path:line:col: message`` lines (or 0 where the file is
legitimately fine), print no traceback, finish within :data:`SECONDS`, create no file
(``run``'s output folder is not created) and never run code (the ``touch PWNED_SENTINEL``
commands in the Python-tag files would leave a file in the working folder). Very large
inputs are written at run time instead of being committed: among them the worst found at
each default limit (files of ``MAX_FILE_BYTES - 1`` bytes of the costliest shapes,
documents one node over and at ``MAX_NODES``, the largest game the limits admit), each
within the same bound.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.document import MAX_DEPTH, MAX_NODES, parse_document
from sim.expression import MAX_LENGTH
from sim.scenario import MAX_FILE_BYTES, MAX_PROFILES

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
SECONDS = 2.0
"""Wall-clock bound for one command on one hostile file (issue #7: within 2 seconds)."""
SENTINEL = "PWNED_SENTINEL"
runner = CliRunner()


def case(
    name: str,
    fragment: str,
    where: tuple[int, int] | None = None,
    *,
    code: int = 2,
    run: tuple[str, tuple[int, int]] | None = None,
) -> object:
    """One row: the file, the expected exit code, a message fragment and its position (and,
    for a file that validates but that ``sim run`` refuses, run's fragment and position)."""
    return pytest.param(name, code, fragment, where, run, id=name.removesuffix(".yaml"))


TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"
TOO_MANY = f"more than {MAX_NODES} nodes (aliases expanded)"
NOT_ALLOWED = "is not allowed in a payoff expression"
CONTROL = "control character U+001B"

CASES = [
    # YAML structure: aliases, nesting, tags
    case("alias_bomb.yaml", TOO_MANY, (6, 8)),  # at the alias that crosses the limit
    case("alias_bomb_payoffs.yaml", TOO_MANY, (11, 42)),
    case("alias_payoffs_under_limit.yaml", "more problems at this place", (8, 9)),
    case("alias_self_branching.yaml", "'*p' is used inside the node it names", (8, 13)),
    case("tree_alias_doubling.yaml", TOO_MANY, (20, 46)),
    case("deep_lists.yaml", TOO_DEEP),
    case("deep_maps.yaml", TOO_DEEP),
    case("deep_block_maps.yaml", TOO_DEEP, (69, 66)),
    case("python_apply.yaml", "tag '!!python/object/apply:os.system' is not allowed", (3, 8)),
    case("python_name.yaml", "tag '!!python/name:os.system' is not allowed", (8, 10)),
    case("python_object_new.yaml", "tag '!!python/object/new:subprocess.Popen'", (2, 5)),
    case("python_module.yaml", "tag '!!python/module:os' is not allowed", (8, 6)),
    case("custom_tag.yaml", "tag '!custom' is not allowed", (7, 13)),
    case("custom_tag_scalar.yaml", "tag '!!binary' is not allowed", (3, 8)),
    case("merge_key.yaml", "keys must be plain names, not lists, mappings or merges"),
    case("complex_key.yaml", "keys must be plain names", (8, 5)),
    case("multi_document.yaml", "more than one YAML document", (12, 1)),
    # bytes and characters
    case("non_utf8.yaml", "not UTF-8 text; save it as UTF-8", (3, 11)),
    case("utf16.yaml", "not UTF-8 text", (1, 1)),
    case("bom.yaml", "ok:", code=0),
    case("nul_byte.yaml", "control character U+0000", (7, 3)),
    case("raw_control_chars.yaml", CONTROL, (3, 11)),
    case("control_chars.yaml", CONTROL, (3, 8)),
    case("long_names.yaml", "no payoffs for 2 profile(s)"),
    # numbers: NaN, infinity, enormous values and exponents
    case("nan_payoff.yaml", "'.nan' is not a finite number", (8, 10)),
    case("inf_payoff.yaml", "'-.inf' is not a finite number", (8, 16)),
    case("inf_parameter.yaml", "'-.inf' is not a finite number", (8, 6)),
    case("nan_text.yaml", "'nan' is not a number", (8, 6)),
    case("huge_float_literal.yaml", "exponent 400 is out of range", (8, 10)),
    case("huge_int_literal.yaml", "too large (or too finely divided)", (8, 10)),
    case("power_tower.yaml", "exponent 387420489 is larger than", (8, 10)),
    case("power_big.yaml", "exponent 100000 is larger than", (8, 10)),
    case("power_tiny.yaml", "too large to handle exactly", (8, 10)),
    case("power_float_overflow.yaml", "too large to represent", (8, 10)),
    case("seed_huge.yaml", "ok:", code=0),
    # expressions reaching beyond arithmetic
    case("attribute.yaml", "attribute access is not allowed", (9, 10)),
    case("dunder_import.yaml", f"call {NOT_ALLOWED}", (8, 11)),
    case("dunder_name.yaml", "undefined parameter '__builtins__'", (8, 10)),
    case("builtin_open.yaml", "function open() is not allowed", (8, 11)),
    case("builtin_eval.yaml", "function eval() is not allowed", (8, 11)),
    case("builtin_exec.yaml", "function exec() is not allowed", (8, 11)),
    case("builtin_getattr.yaml", "function getattr() is not allowed", (9, 11)),
    case("lambda.yaml", f"call {NOT_ALLOWED}", (8, 11)),
    case("comprehension.yaml", "function sum() is not allowed", (8, 11)),
    case("generator.yaml", "max() takes two or more arguments", (8, 11)),
    case("fstring.yaml", f"joinedstr {NOT_ALLOWED}", (8, 11)),
    case("walrus.yaml", f"namedexpr {NOT_ALLOWED}", (8, 12)),
    case("subscript.yaml", f"subscript {NOT_ALLOWED}", (9, 11)),
    case("keyword_call.yaml", "max() needs one or more plain arguments", (8, 11)),
    case("nested_parentheses.yaml", "too many nested parentheses"),
    # keys and document shape
    case("duplicate_top_key.yaml", "duplicate key 'title' (first at line 3)", (7, 1)),
    case("duplicate_nested_key.yaml", "duplicate key 'p' (first at line 8)", (9, 3)),
    case("empty.yaml", "the file is empty", (1, 1)),
    case("only_comments.yaml", "the file is empty", (1, 1)),
    case("list_document.yaml", "a scenario is a mapping of keys", (2, 1)),
    case("scalar_document.yaml", "a scenario is a mapping of keys", (2, 1)),
    case("unknown_fields.yaml", "unknown key 'paramters'; did you mean 'parameters'?", (7, 1)),
    # trees and referenced files
    case("tree_cycle.yaml", "leads back to the root 'first', a cycle", (16, 13)),
    case("tree_self_reference.yaml", "already reached from", (16, 14)),
    case("tree_alias_cycle.yaml", "'*r' is used inside the node it names", (12, 11)),
    case("tree_gigantic.yaml", "too large to build"),
    case("stage_device.yaml", "/dev/zero:1:1: is not a regular file"),
    case("source_device.yaml", "cannot read the source brief '/dev/zero'", (7, 9)),
    case("stage_self.yaml", "is not a normal_form scenario (kind: repeated)", (4, 8)),
    # games too large
    case("game_many_players.yaml", "the game has 16777216 profiles", (4, 1)),
    # (sim solve falls back to Lemke-Howson; sim run refuses the full analysis at once)
    case("game_40x40.yaml", "ok:", code=0, run=("larger than `sim run` analyses in full", (1, 1))),
]


def test_every_file_has_a_case_and_a_first_line_comment() -> None:
    files = sorted(p.name for p in HOSTILE.iterdir())
    assert files == sorted(p.values[0] for p in CASES)  # type: ignore[attr-defined]
    assert len(files) >= 40
    for path in HOSTILE.iterdir():
        raw = path.read_bytes()
        assert len(raw) < 20_000, path.name  # large inputs are made at run time
        assert (
            path.name == "empty.yaml"
            or raw.lstrip(b"\xef\xbb\xbf\xff\xfe").startswith(b"#")
            or raw.startswith("#".encode("utf-16"))
        ), path.name


def invoke(workdir: Path, *args: str) -> tuple[int, str, float]:
    """Run ``sim ARGS`` in-process in ``workdir``: exit code, all output, seconds taken."""
    before = Path.cwd()
    os.chdir(workdir)
    try:
        start = time.perf_counter()
        result = runner.invoke(app, list(args))
        seconds = time.perf_counter() - start
    finally:
        os.chdir(before)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output, seconds


def check_refusal(
    output: str, path: Path, fragment: str, where: tuple[int, int] | None, code: int
) -> None:
    assert "Traceback" not in output and "internal error" not in output, output
    if code == 0:
        return
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "no message"
    assert all(line.count(":") >= 3 for line in lines), output  # path:line:col: message
    matching = [line for line in lines if fragment in line]
    assert matching, output
    if where is not None:
        assert any(line.startswith(f"{path}:{where[0]}:{where[1]}: ") for line in matching), output


@pytest.mark.parametrize(("name", "code", "fragment", "where", "run"), CASES)
def test_validate(
    name: str, code: int, fragment: str, where: tuple[int, int] | None, run: object, tmp_path
) -> None:
    path = HOSTILE / name
    exit_code, output, seconds = invoke(tmp_path, "validate", str(path))
    assert exit_code == code, output
    check_refusal(output, path, fragment, where, code)
    if code == 0:
        assert output.startswith(f"ok: {path}: "), output
    assert seconds < SECONDS
    assert list(tmp_path.iterdir()) == []  # nothing written, no sentinel touched


@pytest.mark.parametrize(("name", "code", "fragment", "where", "run"), CASES)
def test_run(
    name: str,
    code: int,
    fragment: str,
    where: tuple[int, int] | None,
    run: tuple[str, tuple[int, int]] | None,
    tmp_path: Path,
) -> None:
    if run is not None:
        code, (fragment, where) = 2, run
    path = HOSTILE / name
    out = tmp_path / "out"
    args = ["run", str(path), "--out", str(out), "-q", "--no-figures", "--time-limit", "0.5"]
    exit_code, output, seconds = invoke(tmp_path, *args)
    assert exit_code == code, output
    check_refusal(output, path, fragment, where, code)
    assert seconds < SECONDS
    if code == 0:
        assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.md", "results.json"]
        assert [p.name for p in tmp_path.iterdir()] == ["out"]
    else:
        assert list(tmp_path.iterdir()) == []  # no output folder, no sentinel


def test_large_game_falls_back_to_lemke_howson_with_a_note(tmp_path: Path) -> None:
    path = HOSTILE / "game_40x40.yaml"
    args = ["solve", str(path), "--time-limit", "0.3"]
    exit_code, output, seconds = invoke(tmp_path, *args)
    assert exit_code == 0, output
    assert "note: Exact enumeration of this 40×40 game was not tried: with more than 225" in output
    assert "Lemke–Howson" in output and "--method vertex-enumeration" in output
    assert seconds < SECONDS


def test_the_large_game_is_analysed_in_full_when_the_limits_are_raised(tmp_path: Path) -> None:
    path = HOSTILE / "game_40x40.yaml"
    out = tmp_path / "out"
    env = {"SIM_MAX_ANALYSED_MOVES": "40", "SIM_MAX_ANALYSED_PROFILES": "1600"}
    args = ["run", str(path), "--out", str(out), "-q", "--no-figures"]
    start = time.perf_counter()
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "note: Exact enumeration of this 40×40 game was not tried" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.md", "results.json"]
    assert time.perf_counter() - start < 4 * SECONDS  # about 2 s: beyond the default limits


def test_exact_enumeration_of_the_large_game_is_refused_with_advice(tmp_path: Path) -> None:
    path = HOSTILE / "game_40x40.yaml"
    args = ["solve", str(path), "--method", "vertex-enumeration", "--time-limit", "0.3"]
    exit_code, output, seconds = invoke(tmp_path, *args)
    assert exit_code == 2 and "Traceback" not in output, output
    assert "exact enumeration of this 40×40 game did not finish" in output
    assert "lemke-howson" in output and "--time-limit" in output
    assert seconds < SECONDS


# ----------------------------------------------------------------- made at run time
# The worst inputs at the default limits: files of MAX_FILE_BYTES - 1 bytes of each shape
# that costs the most per byte, documents one node over (and at) MAX_NODES, the profile
# limit, and the largest game the limits admit. Each must be handled within SECONDS.
HEAD = "kind: normal_form\ntitle: t\nplayers:\n  A: {moves: [a]}\n  B: {moves: [b]}\n"
GAME = HEAD + "payoffs:\n  a, b: [1, 2]\n"
TERM = "(p+1/7)**150"
"""A term of the costliest formulas found: exact powers of ~680 bits, summed."""


def filled(prefix: str, unit: str, suffix: str = "") -> bytes:
    """``prefix``, then ``unit`` repeated, then ``suffix``: MAX_FILE_BYTES - 1 bytes in all
    (the last repeat cut short if need be, so give units that may be cut: ``x`` or ``\\n``)."""
    room = MAX_FILE_BYTES - 1 - len(prefix) - len(suffix)
    body = (unit * (room // len(unit) + 1))[:room]
    data = (prefix + body + suffix).encode()
    assert len(data) == MAX_FILE_BYTES - 1
    return data


def padded(text: str) -> bytes:
    """``text`` and a comment line making it MAX_FILE_BYTES - 1 bytes."""
    return filled(text + "#", "x", "\n")


def formula_game(extra: str = "") -> str:
    """A k×k game whose payoffs are sums of exact powers as long as MAX_LENGTH allows,
    filling the file (with ``extra`` at its end)."""
    room = MAX_FILE_BYTES - 300 - len(extra)
    length = min(MAX_LENGTH, room // 2) - 8
    k = math.ceil(math.sqrt(room / (2 * (length + 8))))
    formula = "+".join([TERM] * ((room // (2 * k * k) - 20) // (len(TERM) + 1)))
    moves = ", ".join(f"m{i}" for i in range(k))
    lines = "".join(
        f"  m{i}, m{j}: ['{formula}', '{formula}']\n" for i in range(k) for j in range(k)
    )
    return (
        f"kind: normal_form\ntitle: t\nplayers:\n  A: {{moves: [{moves}]}}\n"
        f"  B: {{moves: [{moves}]}}\nparameters:\n  p: {{value: 3}}\npayoffs:\n{lines}{extra}"
    )


def matrix_game(n: int, wrong: bool = False) -> str:
    """An n×n game in matrix form with payoffs of up to three digits (the shape of
    tests/data/hostile/game_40x40.yaml): 2n² + 4n + 21 nodes. ``wrong``: every payoff is
    an error instead (an undefined name for Row, a division by zero for Col)."""
    moves = ", ".join(f"m{i}" for i in range(n))

    def rows(cell: Callable[[int, int], str]) -> str:
        return ", ".join("[" + ", ".join(cell(i, j) for j in range(n)) + "]" for i in range(n))

    row = rows(lambda i, j: "x" if wrong else str((i * 37 + j * 11) % 1000))
    col = rows(lambda i, j: "1/0" if wrong else str((i * 37 + j * 11) % 1000))
    return (
        f"kind: normal_form\ntitle: big\nplayers:\n  Row: {{moves: [{moves}]}}\n"
        f"  Col: {{moves: [{moves}]}}\npayoffs:\n  Row: [{row}]\n  Col: [{col}]\n"
    )


def largest_matrix_game() -> int:
    """The largest n whose n×n matrix-form game is within MAX_NODES (88 by default)."""
    n = 1
    while 2 * (n + 1) ** 2 + 4 * (n + 1) + 21 <= MAX_NODES:
        n += 1
    return n


@functools.cache
def big_cases() -> dict[str, tuple[bytes, int, str, tuple[int, int] | None]]:
    """name -> (file contents, exit code, message fragment, position)."""
    long_sum = "+".join(["1"] * 20_000)
    deep_sum = "(" * 2_000 + "1" + ")" * 2_000
    chain = "-" * 5_000 + "1"
    before = parse_document(HEAD + "x: []\n").nodes  # nodes before the list's items
    at = MAX_NODES - before  # index of the item that crosses the limit
    side = math.isqrt(MAX_PROFILES)
    moves = ", ".join(f"m{i}" for i in range(side))
    wide = f"kind: normal_form\ntitle: t\nplayers:\n  A: {{moves: [{moves}]}}\n"
    nodes = "x: [" + "0, " * (at - 1) + "0]\n"  # exactly MAX_NODES nodes with HEAD
    bare = formula_game(extra="x: [0]\n")
    in_use = parse_document(bare).nodes  # (the formulas are only strings to the parser)
    filler = "x: [" + "0," * (MAX_NODES - in_use) + "0]\n"
    return {
        "oversized.yaml": (
            b"# a file over the size limit\n" + b"#" * MAX_FILE_BYTES + b"\n",
            2,
            f"over the {MAX_FILE_BYTES}-byte limit",
            (1, 1),
        ),
        "long_expression.yaml": (
            HEAD.encode() + f"payoffs:\n  a, b: [{long_sum}, 0]\n".encode(),
            2,
            "expression is longer than",
            (7, 10),
        ),
        "deep_expression.yaml": (
            HEAD.encode() + f"payoffs:\n  a, b: [{deep_sum}, 0]\n".encode(),
            2,
            "nested",
            None,
        ),
        "unary_chain.yaml": (
            HEAD.encode() + f"payoffs:\n  a, b: ['{chain}', 0]\n".encode(),
            2,
            "too deeply nested",
            None,
        ),
        # one node over MAX_NODES, at the node that crosses it; and exactly MAX_NODES
        "nodes_flow.yaml": (
            (HEAD + "x: [" + "0, " * MAX_NODES + "0]\n").encode(),
            2,
            TOO_MANY,
            (6, 5 + 3 * at),
        ),
        "nodes_block.yaml": (
            (HEAD + "x:\n" + "- 0\n" * MAX_NODES).encode(),
            2,
            TOO_MANY,
            (7 + at, 3),
        ),
        "nodes_at_the_limit.yaml": (
            (HEAD + nodes).encode(),
            2,
            "unknown key 'x'",
            (6, 1),
        ),
        # MAX_FILE_BYTES - 1 bytes of what costs the parser most per byte
        "comment_lines.yaml": (filled(GAME, "#\n"), 0, "ok:", None),
        "long_comment.yaml": (filled(GAME + "# ", "x", "\n"), 0, "ok:", None),
        "blank_lines.yaml": (filled(GAME, "\n"), 0, "ok:", None),
        "blank_block_lines.yaml": (filled(GAME + "description: |\n  x\n", "\n"), 0, "ok:", None),
        "multiline_text.yaml": (filled(GAME + "description: x\n", "  x\n"), 0, "ok:", None),
        "long_tagged_text.yaml": (
            filled(GAME + "description: !x ", "x", "\n"),
            2,
            "tag '!x' is not allowed",
            (8, 14),
        ),
        # MAX_FILE_BYTES - 1 bytes of the costliest payoff formulas, alone and with as many
        # nodes as MAX_NODES allows besides
        "long_formulas.yaml": (padded(formula_game()), 0, "ok:", None),
        "long_formulas_and_nodes.yaml": (
            padded(formula_game(extra=filler)),
            2,
            "unknown key 'x'",
            None,
        ),
        # the largest game the limits admit with every payoff wrong (2 n² problems)
        "every_payoff_wrong.yaml": (
            matrix_game(largest_matrix_game(), wrong=True).encode(),
            2,
            "undefined parameter 'x'",
            (7, 10),
        ),
        # MAX_PROFILES: at the limit with the payoffs missing, and one row over it
        "profiles_at_the_limit.yaml": (
            (wide + f"  B: {{moves: [{moves}]}}\npayoffs:\n  m0, m0: [1, 1]\n").encode(),
            2,
            f"no payoffs for {side * side - 1} profile(s)",
            (6, 1),
        ),
        "profiles_over_the_limit.yaml": (
            (wide + f"  B: {{moves: [{moves}, extra]}}\npayoffs:\n  m0, m0: [1, 1]\n").encode(),
            2,
            f"the game has {side * (side + 1)} profiles",
            (3, 1),
        ),
    }


BIG = [
    "oversized.yaml",
    "long_expression.yaml",
    "deep_expression.yaml",
    "unary_chain.yaml",
    "nodes_flow.yaml",
    "nodes_block.yaml",
    "nodes_at_the_limit.yaml",
    "comment_lines.yaml",
    "long_comment.yaml",
    "blank_lines.yaml",
    "blank_block_lines.yaml",
    "multiline_text.yaml",
    "long_tagged_text.yaml",
    "long_formulas.yaml",
    "long_formulas_and_nodes.yaml",
    "every_payoff_wrong.yaml",
    "profiles_at_the_limit.yaml",
    "profiles_over_the_limit.yaml",
]


@pytest.mark.parametrize("name", BIG, ids=[n.removesuffix(".yaml") for n in BIG])
def test_large_inputs_made_at_run_time(name: str, tmp_path: Path) -> None:
    data, code, fragment, where = big_cases()[name]
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    work = tmp_path / "work"
    work.mkdir()
    for command in (
        ["validate", str(path)],
        ["run", str(path), "--out", "out", "-q", "--no-figures", "--time-limit", "0.5"],
    ):
        exit_code, output, seconds = invoke(work, *command)
        assert exit_code == code, output[:2000]
        check_refusal(output, path, fragment, where, code)
        assert seconds < SECONDS, (command[0], seconds)
        if code == 0 and command[0] == "validate":
            assert output.startswith(f"ok: {path}: "), output[:2000]
        elif code == 0:
            written = sorted(p.name for p in (work / "out").iterdir())
            assert written == ["report.html", "report.md", "results.json"]
            shutil.rmtree(work / "out")
        assert list(work.iterdir()) == []


def test_the_largest_game_the_limits_admit(tmp_path: Path) -> None:
    """An 88×88 game (by default) is read by ``sim validate`` and refused by ``sim run``'s
    analysis limits within the bound; one more move per player is over MAX_NODES."""
    n = largest_matrix_game()
    path = tmp_path / "largest.yaml"
    path.write_text(matrix_game(n))
    assert len(path.read_bytes()) < MAX_FILE_BYTES
    exit_code, output, seconds = invoke(tmp_path, "validate", str(path))
    assert exit_code == 0 and f"{n}×{n} moves" in output, output
    assert seconds < SECONDS
    args = ["run", str(path), "--out", "out", "-q", "--no-figures", "--time-limit", "0.5"]
    exit_code, output, seconds = invoke(tmp_path, *args)
    assert exit_code == 2 and "SIM_MAX_ANALYSED_MOVES" in output, output
    assert seconds < SECONDS
    assert [p.name for p in tmp_path.iterdir()] == ["largest.yaml"]
    path.write_text(matrix_game(n + 1))
    exit_code, output, seconds = invoke(tmp_path, "validate", str(path))
    assert exit_code == 2 and TOO_MANY in output, output
    assert seconds < SECONDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("x: " + "[" * 399 + "1" + "]" * 399 + "\n", 0, id="flow-lists"),
        pytest.param("x: " + "{k: " * 399 + "1" + "}" * 399 + "\n", 0, id="flow-maps"),
        pytest.param(
            "x:\n" + "".join(" " * i + "k:\n" for i in range(1, 399)) + " " * 399 + "k: 1\n",
            0,
            id="block-maps",
        ),
        pytest.param("x: " + "[" * 400 + "1" + "]" * 400 + "\n", 401, id="one-too-deep"),
        pytest.param("x: " + "[" * 5000 + "1" + "]" * 5000 + "\n", 401, id="far-too-deep"),
    ],
)
def test_documents_at_the_highest_depth_limit_are_read_without_a_traceback(
    text: str, expected: int, tmp_path: Path
) -> None:
    """With SIM_MAX_DEPTH=400 (its largest value), a value 400 levels deep is read (the
    scenario is then refused for its unknown key), and one deeper is refused at its place."""
    path = tmp_path / "deep.yaml"
    path.write_text(GAME + text)
    start = time.perf_counter()
    result = runner.invoke(app, ["validate", str(path)], env={"SIM_MAX_DEPTH": "400"})
    seconds = time.perf_counter() - start
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    if expected:
        line = GAME.count("\n") + 1
        assert result.output.startswith(f"{path}:{line}:{3 + expected}: "), result.output
        assert "nested deeper than 400 levels" in result.output
    else:
        assert "unknown key 'x'" in result.output, result.output
    assert seconds < SECONDS


# ------------------------------------------------------- a real terminal, a real process
SUBPROCESS = ["python_apply.yaml", "alias_bomb.yaml", "power_tower.yaml", "non_utf8.yaml"]


def test_no_traceback_reaches_a_real_process(tmp_path: Path) -> None:
    """One interpreter for several files (each start costs about 0.4 s)."""
    files = [str(HOSTILE / name) for name in SUBPROCESS]
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", *files],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    for name in SUBPROCESS:
        assert f"{HOSTILE / name}:" in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_run_of_a_python_tag_in_a_real_process_runs_no_code(tmp_path: Path) -> None:
    path = HOSTILE / "python_object_new.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(path), "--out", "out", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"{path}:2:5: tag '!!python/object/new:subprocess.Popen'")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / SENTINEL).exists()
    assert list(tmp_path.iterdir()) == []
