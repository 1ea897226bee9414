"""Reproducibility: the same command writes the same bytes, and records how to remake them.

Each command is run twice, in two fresh processes with different hash seeds (so that no
set or dict order that depends on ``PYTHONHASHSEED`` can hide), and every file written
(figures included) is compared byte for byte. Every JSON result carries a ``provenance``
(:func:`sim.report.provenance`): the command, the inputs' SHA-256, the seed, the Python
and package versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.report import DEPENDENCIES, PACKAGE

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT / "scenarios" / "london_talks.yaml"
runner = CliRunner()

# Command, its results file, and the seed it records.
COMMANDS: dict[str, tuple[list[str], str, int | None]] = {
    "run": (["run", str(LONDON), "-q"], "results.json", None),
    "sweep": (["sweep", str(LONDON), "-p", "g_us=0:4:9", "-q"], "sweep.json", None),
    "montecarlo": (
        ["montecarlo", str(LONDON), "-n", "3000", "--seed", "7", "-q"],
        "montecarlo.json",
        7,
    ),
    "compare": (
        ["compare", str(LONDON), str(LONDON), "--set", "2:g_cn=4", "--json"],
        "compare.json",
        None,
    ),
}

CHILD = """
import json, sys
from typer.testing import CliRunner
from sim.cli import app
for name, args in json.loads(sys.argv[1]).items():
    result = CliRunner().invoke(app, [*args, "--out", f"{sys.argv[2]}/{name}"])
    assert result.exit_code == 0, (name, result.output)
"""


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Every command's output folder, written by this process and, meanwhile, by a fresh
    one with another hash seed."""
    base = tmp_path_factory.mktemp("reproducible")
    seed = os.environ.get("PYTHONHASHSEED", "")
    other = str(int(seed) + 1) if seed.isdigit() else "1"  # unset or random: ours is random
    commands = {name: args for name, (args, _, _) in COMMANDS.items()}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(commands), str(base / "child")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONHASHSEED": other},
    )
    try:
        for name, args in commands.items():
            result = runner.invoke(app, [*args, "--out", str(base / "here" / name)])
            assert result.exit_code == 0, (name, result.output)
    finally:
        out, _ = child.communicate(timeout=300)
    assert child.returncode == 0, out.decode()
    return base / "here", base / "child"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_same_command_writes_the_same_bytes(outputs: tuple[Path, Path], command: str) -> None:
    first, second = (files(folder / command) for folder in outputs)
    assert len(first) >= 3
    assert any(name.endswith(".png") for name in first) == (command != "compare")
    assert list(first) == list(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def provenance_of(outputs: tuple[Path, Path], command: str) -> tuple[dict[str, Any], str]:
    _, name, _ = COMMANDS[command]
    text = (outputs[0] / command / name).read_text(encoding="utf-8")
    return json.loads(text), text


@pytest.mark.parametrize("command", list(COMMANDS))
def test_results_record_their_provenance(outputs: tuple[Path, Path], command: str) -> None:
    args, _, seed = COMMANDS[command]
    data, text = provenance_of(outputs, command)
    record = data["provenance"]
    assert list(record) == ["command", "inputs", "seed", "python", "versions"]
    assert record["command"] == data["command"] and record["command"][:2] == ["sim", command]
    digest = hashlib.sha256(LONDON.read_bytes()).hexdigest()
    paths = [a for a in args if a.endswith(".yaml")]
    assert record["inputs"] == [{"path": p, "sha256": digest} for p in paths]
    assert record["seed"] == seed
    assert record["python"] == platform.python_version()
    assert record["versions"] == {name: version(name) for name in (PACKAGE, *DEPENDENCIES)}
    assert str(outputs[0]) not in text  # no output folder (nor any other run-specific path)


def test_the_recorded_dependencies_are_the_declared_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(requirement) for requirement in project["dependencies"]}
    assert project["name"] == PACKAGE
    assert declared == {_name(name) for name in DEPENDENCIES}


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503)."""
    import re

    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name is not None
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def test_the_hash_is_of_the_file_bytes_even_with_crlf_and_bom(tmp_path: Path) -> None:
    scenario = tmp_path / "dilemma.yaml"
    original = ROOT / "scenarios" / "prisoners_dilemma.yaml"
    raw = b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n")
    scenario.write_bytes(raw)
    args = ["run", str(scenario), "-o", str(tmp_path / "out"), "-q", "--no-figures"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(raw).hexdigest()
    assert data["scenario"]["sha256"] == digest
    assert data["provenance"]["inputs"] == [{"path": str(scenario), "sha256": digest}]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        pytest.param(["--no-figures"], "--no-figures", id="no-figures"),
        pytest.param(["--lambda", "0.5", "--no-figures"], "--lambda=0.5", id="lambda"),
    ],
)
def test_the_command_records_the_options_that_change_the_output(
    tmp_path: Path, args: list[str], flag: str
) -> None:
    result = runner.invoke(app, ["run", str(LONDON), "-o", str(tmp_path), "-q", *args])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert flag in data["provenance"]["command"]


def test_a_fresh_seed_is_recorded(tmp_path: Path) -> None:
    args = ["montecarlo", str(LONDON), "-n", "500", "-o", str(tmp_path), "-q", "--no-figures"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "montecarlo.json").read_text(encoding="utf-8"))
    seed = data["provenance"]["seed"]
    assert isinstance(seed, int) and seed == data["seed"]
    assert f"--seed={seed}" in data["provenance"]["command"]


def test_compare_prints_its_provenance_too() -> None:
    result = runner.invoke(app, ["compare", str(LONDON), str(LONDON), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)["provenance"]
    assert [i["path"] for i in record["inputs"]] == [str(LONDON)] * 2


# ------------------------------------------------------- limits raised from the environment
# (Here because they belong to the run's environment, as the versions do.)
GAME = """\
version: 1
kind: normal_form
title: t
players:
  Row: {{moves: {{a: A, b: B}}}}
  Column: {{moves: {{a: A, b: B}}}}
payoffs:
  Row: [[{payoff}, 0], [1, 1]]
  Column: [[0, 1], [1, 0]]
"""
DEEP = "x: " + "[" * 100 + "]" * 100 + "\n"  # 100 levels: over the default 64


def validate(tmp_path: Path, text: str, env: dict[str, str]) -> Any:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["validate", str(path)], env=env)


@pytest.mark.parametrize(
    ("text", "variable", "value", "refusal"),
    [
        pytest.param(DEEP, "SIM_MAX_DEPTH", "200", "nested deeper than 64", id="depth"),
        pytest.param(
            GAME.format(payoff='"(-1)**1001"'),
            "SIM_MAX_EXPONENT",
            "2000",
            "exponent 1001 is larger than 1000",
            id="exponent",
        ),
        pytest.param(
            GAME.format(payoff=2**1010), "SIM_MAX_BITS", "1023", "too large", id="magnitude"
        ),
    ],
)
def test_a_limit_can_be_raised(
    tmp_path: Path, text: str, variable: str, value: str, refusal: str
) -> None:
    refused = validate(tmp_path, text, {})
    assert refused.exit_code == 2 and refusal in refused.stderr
    raised = validate(tmp_path, text, {variable: value})
    assert refusal.split()[0] not in raised.stderr, raised.stderr
    if variable != "SIM_MAX_DEPTH":  # (the deep document is no scenario)
        assert raised.exit_code == 0, raised.output


@pytest.mark.parametrize(
    ("variable", "value", "refusal"),
    [
        pytest.param("SIM_MAX_FILE_BYTES", "100", "over the 100-byte limit", id="file-bytes"),
        pytest.param("SIM_MAX_DEPTH", "2", "nested deeper than 2 levels", id="depth"),
        pytest.param("SIM_MAX_NODES", "20", "more than 20 nodes", id="nodes"),
        pytest.param("SIM_MAX_EXPRESSION_LENGTH", "3", "longer than 3 characters", id="length"),
        pytest.param("SIM_MAX_DIGITS", "2", "more than 2 characters", id="digits"),
    ],
)
def test_a_limit_set_in_the_environment_applies(
    tmp_path: Path, variable: str, value: str, refusal: str
) -> None:
    text = GAME.format(payoff='"0.25 + 1"')
    assert validate(tmp_path, text, {}).exit_code == 0
    result = validate(tmp_path, text, {variable: value})
    assert result.exit_code == 2 and refusal in result.stderr, result.output


def test_the_limits_are_restored_after_the_command(tmp_path: Path) -> None:
    from sim import document, expression, scenario

    before = (scenario.MAX_FILE_BYTES, document.MAX_DEPTH, expression.MAX_BITS)
    env = {"SIM_MAX_FILE_BYTES": "7", "SIM_MAX_DEPTH": "9", "SIM_MAX_BITS": "11"}
    assert validate(tmp_path, DEEP, env).exit_code == 2
    after = (scenario.MAX_FILE_BYTES, document.MAX_DEPTH, expression.MAX_BITS)
    assert after == before


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        pytest.param("SIM_MAX_NODES", "lots", id="word"),
        pytest.param("SIM_MAX_NODES", "1e6", id="float"),
        pytest.param("SIM_MAX_FILE_BYTES", "0", id="zero"),
        pytest.param("SIM_MAX_EXPONENT", "-5", id="negative"),
        pytest.param("SIM_MAX_DEPTH", "401", id="deeper-than-the-parser-can"),
        pytest.param("SIM_MAX_BITS", "1024", id="beyond-floats"),
    ],
)
def test_a_malformed_limit_is_a_clear_error(tmp_path: Path, variable: str, value: str) -> None:
    result = validate(tmp_path, GAME.format(payoff=1), {variable: value})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {variable} must be a whole number from 1 to ")
    assert repr(value) in result.stderr and "default is" in result.stderr
    assert "Traceback" not in result.output
