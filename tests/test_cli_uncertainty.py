"""``sim sweep`` and ``sim montecarlo`` from the command line.

What a user gets: the files (tidy CSV, JSON, valid PNGs), threshold sentences on the
terminal, identical output for the same seed, exit code 2 with one clear line and no
traceback for every bad input, and no half-written output folder when a write fails.
Inputs are kept small (5-point grids, 20,000 draws) so the file runs in seconds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import load

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT / "scenarios" / "london_talks.yaml"
PRISONERS = ROOT / "scenarios" / "prisoners_dilemma.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SWEEP_COLUMNS = [
    "structure",
    "game_type",
    "equilibrium",
    "branch",
    "player",
    "move",
    "probability",
    "payoff",
    "exact_probability",
    "exact_payoff",
]
MONTECARLO_FIGURES = {"outcomes.png", "histograms.png", "tornado.png", "convergence.png"}
# The London parameters that have a distribution (v_cn and c_cn are fixed).
LONDON_UNCERTAIN = {"v_us", "c_us", "g_us", "s_us", "z_us", "g_cn", "s_cn", "z_cn"}

runner = CliRunner()


def invoke(*args: str | Path) -> Any:
    # rich wraps at the terminal width; make it wide so sentences stay on one line.
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    assert width > 100 and height > 100, (path, image.size)


def assert_input_error(result: Any, *fragments: str) -> str:
    """Exit code 2, one line on stderr containing every fragment, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def london_copy(folder: Path, *, header: str = "", replace: tuple[str, str] | None = None) -> Path:
    """A copy of the London scenario in ``folder``, with lines added after ``version: 1``.

    The brief it cites is made absolute so the copy loads from anywhere.
    """
    text = LONDON.read_text(encoding="utf-8")
    text = text.replace("source: ../seeds/", f"source: {ROOT / 'seeds'}/", 1)
    assert "\nversion: 1\n" in text
    text = text.replace("\nversion: 1\n", f"\nversion: 1\n{header}", 1)
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace)
    path = folder / "london_copy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder``: file bytes, or None for a folder."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


# ------------------------------------------------------------------------------- sweep
@pytest.fixture(scope="module")
def sweep_1d(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    folder = tmp_path_factory.mktemp("sweep1d")
    result = invoke("sweep", LONDON, "--param", "g_us=0:4:5", "--out", folder)
    assert result.exit_code == 0, result.output
    return result, folder


def test_sweep_1d_writes_tidy_csv(sweep_1d: tuple[Any, Path]) -> None:
    _, folder = sweep_1d
    data = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    with (folder / "sweep.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["g_us", *SWEEP_COLUMNS]
        rows = list(reader)
    moves = dict(zip(data["players"], data["moves"], strict=True))
    # One row per point x equilibrium x player x move.
    expected = sum(len(p["equilibria"]) for p in data["points"]) * sum(map(len, moves.values()))
    assert len(rows) == expected > 0
    assert sorted({float(r["g_us"]) for r in rows}) == [0.0, 1.0, 2.0, 3.0, 4.0]
    totals: dict[tuple[str, str, str], Fraction] = {}
    for row in rows:
        assert row["move"] in moves[row["player"]]
        probability = Fraction(row["exact_probability"])
        assert 0 <= probability <= 1
        assert float(row["probability"]) == pytest.approx(float(probability))
        assert float(row["payoff"]) == pytest.approx(float(Fraction(row["exact_payoff"])))
        assert int(row["equilibrium"]) >= 1 and int(row["branch"]) >= 1
        key = (row["g_us"], row["equilibrium"], row["player"])
        totals[key] = totals.get(key, Fraction(0)) + probability
    assert set(totals.values()) == {Fraction(1)}  # each strategy is a distribution
    # At the defaults only (maintain, restrict) is an equilibrium, at every g_us.
    pure = {(r["player"], r["move"]) for r in rows if r["exact_probability"] == "1"}
    assert pure == {("US", "maintain_chip_controls"), ("China", "restrict_re")}


def test_sweep_1d_json_thresholds_and_summary(sweep_1d: tuple[Any, Path]) -> None:
    result, folder = sweep_1d
    data = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    [axis] = data["axes"]
    assert axis["parameter"] == "g_us" and axis["steps"] == 5
    assert axis["exact_values"] == ["0", "1", "2", "3", "4"]
    assert [p["exact_values"] for p in data["points"]] == [["0"], ["1"], ["2"], ["3"], ["4"]]
    [flips] = data["thresholds"]
    assert flips["parameter"] == "g_us"
    # US eases against raise_re_exports iff g_us > c_us = 2: the game stops being a
    # prisoner's dilemma there (see the scenario's header).
    [flip] = flips["thresholds"]
    assert flip["exact_value"] == "2"
    assert flip["before"]["game_type"] == "prisoner's dilemma"
    assert flip["before"]["game_type"] != flip["after"]["game_type"]
    sentences = flips["sentences"]
    exact = [s for s in sentences if "exactly when" in s]
    assert exact and any("prisoner's dilemma exactly when g_us < 2" in s for s in exact)
    for sentence in sentences:
        assert flat(sentence) in flat(result.stdout)
    assert data["command"] == ["sim", "sweep", str(LONDON), "--param=g_us=0:4:5"]
    assert data["source_sha256"] == hashlib.sha256(LONDON.read_bytes()).hexdigest()


def test_sweep_1d_writes_bifurcation_png(sweep_1d: tuple[Any, Path]) -> None:
    result, folder = sweep_1d
    assert_png(folder / "bifurcation.png")
    assert "bifurcation.png" in result.stderr


def test_sweep_2d_writes_regime_map(tmp_path: Path) -> None:
    result = invoke(
        "sweep", LONDON, "-p", "g_us=0:4:5", "-p", "g_cn=0:4:5", "--out", tmp_path, "--quiet"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # --quiet
    assert_png(tmp_path / "regime_map.png")
    data = json.loads((tmp_path / "sweep.json").read_text(encoding="utf-8"))
    assert [a["parameter"] for a in data["axes"]] == ["g_us", "g_cn"]
    assert len(data["points"]) == 25
    assert [t["parameter"] for t in data["thresholds"]] == ["g_us", "g_cn"]
    with (tmp_path / "sweep.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["g_us", "g_cn", *SWEEP_COLUMNS]
    # g_us > 2 and g_cn > 3 is a stag hunt: the deal and a mixed equilibrium appear.
    labels = {data["structures"][p["structure"]]["label"] for p in data["points"]}
    assert any(label.startswith("stag hunt") for label in labels)


def test_sweep_no_figures_writes_no_png(tmp_path: Path) -> None:
    result = invoke("sweep", LONDON, "-p", "g_us=0:4:5", "--out", tmp_path, "-q", "--no-figures")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.csv", "sweep.json"]
    assert ".png" not in result.stderr


def test_sweep_set_changes_the_thresholds(tmp_path: Path) -> None:
    """With g_cn = 4 > c_cn China raises against ease: a stag hunt appears at g_us = 2."""
    args = ("sweep", LONDON, "-p", "g_us=0:4:5", "-q", "--no-figures")
    base = invoke(*args, "--out", tmp_path / "base")
    changed = invoke(*args, "--out", tmp_path / "set", "--set", "g_cn=4")
    assert base.exit_code == 0 and changed.exit_code == 0, changed.output
    before = json.loads((tmp_path / "base" / "sweep.json").read_text(encoding="utf-8"))
    after = json.loads((tmp_path / "set" / "sweep.json").read_text(encoding="utf-8"))
    assert after["fixed"]["g_cn"]["exact"] == "4"
    assert after["command"][-1] == "--set=g_cn=4"
    assert all(s["mixed"] == 0 for s in before["structures"])
    [flips] = after["thresholds"]
    [flip] = flips["thresholds"]
    assert flip["exact_value"] == "2"
    assert flip["before"]["mixed"] == 0 and flip["after"]["mixed"] == 1
    assert flip["after"]["game_type"] == "stag hunt"
    sentences = flips["sentences"]
    assert any("mixed" in s and "exactly when g_us ≥ 2" in s for s in sentences), sentences
    assert any(
        s.startswith(
            "(ease_chip_controls, raise_re_exports) is an equilibrium exactly when g_us ≥ 2"
        )
        for s in sentences
    ), sentences
    assert (tmp_path / "base" / "sweep.csv").read_bytes() != (
        tmp_path / "set" / "sweep.csv"
    ).read_bytes()


@pytest.mark.parametrize(
    ("params", "fragments"),
    [
        pytest.param(["nope=0:4:5"], ["unknown parameter 'nope'", "g_us"], id="unknown"),
        pytest.param(["g_us=4:0"], ["g_us", "low < high"], id="reversed"),
        pytest.param(["g_us=1:1:3"], ["g_us", "low < high"], id="empty-range"),
        pytest.param(["g_us=0:4:1"], ["g_us", "at least 2"], id="one-step"),
        pytest.param(["g_us=0:4:0"], ["g_us", "at least 2"], id="zero-steps"),
        pytest.param(["g_us"], ["NAME=LOW:HIGH", "'g_us'"], id="no-range"),
        pytest.param(["g_us=0:4:5:6"], ["NAME=LOW:HIGH", "'g_us=0:4:5:6'"], id="four-parts"),
        pytest.param(["=0:4"], ["NAME=LOW:HIGH"], id="no-name"),
        pytest.param(["g_us=a:b"], ["g_us", "'a' is not a number"], id="not-numbers"),
        pytest.param(["g_us=0:nan"], ["g_us", "'nan' is not a number"], id="nan"),
        pytest.param(["g_us=0:4:x"], ["STEPS", "whole number", "'x'"], id="steps-text"),
        pytest.param(["g_us=0:4:2.5"], ["STEPS", "whole number", "'2.5'"], id="steps-frac"),
        pytest.param(["g_us=0:4:3", "g_us=0:4:3"], ["g_us", "twice"], id="same-twice"),
        pytest.param(
            ["g_us=0:4:3", "g_cn=0:4:3", "v_us=2:8:3"], ["--param once", "twice"], id="three"
        ),
        pytest.param(["g_us=0:4:100000000"], ["100000000", "limit"], id="too-many-points"),
    ],
)
def test_sweep_bad_param_exits_2(tmp_path: Path, params: list[str], fragments: list[str]) -> None:
    args = [a for p in params for a in ("--param", p)]
    result = invoke("sweep", LONDON, *args, "--out", tmp_path / "out", "-q")
    line = assert_input_error(result, *fragments)
    assert line.startswith("error: ")
    assert not (tmp_path / "out").exists()


def test_sweep_missing_param_is_a_usage_error() -> None:
    result = invoke("sweep", LONDON)
    assert result.exit_code == 2
    assert "--param" in result.stderr and "Traceback" not in result.output


def test_sweep_scenario_without_parameters(tmp_path: Path) -> None:
    result = invoke("sweep", PRISONERS, "-p", "t=0:1", "--out", tmp_path / "out")
    assert_input_error(result, "'t'", "no parameters")


def test_sweep_yaml_error_is_positioned(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a: [1\n", encoding="utf-8")
    result = invoke("sweep", path, "-p", "g_us=0:4:5", "--out", tmp_path / "out")
    line = assert_input_error(result)
    assert line.startswith(f"{path}:2:1: invalid YAML")
    assert not (tmp_path / "out").exists()


def test_sweep_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = invoke("sweep", missing, "-p", "g_us=0:4:5", "--out", tmp_path / "out")
    line = assert_input_error(result)
    assert line == f"{missing}:1:1: no such file; check the path"


def test_sweep_formula_undefined_on_the_grid(tmp_path: Path) -> None:
    path = tmp_path / "pole.yaml"
    path.write_text(
        "kind: normal_form\ntitle: Pole\nplayers: {A: {moves: [x, y]}, B: {moves: [x, y]}}\n"
        "parameters:\n  t: {value: 1, range: [-1, 1]}\n"
        "payoffs:\n  x, x: [1 / t, 1]\n  x, y: [0, 0]\n  y, x: [0, 0]\n  y, y: [1, 1]\n",
        encoding="utf-8",
    )
    result = invoke("sweep", path, "-p", "t=-1:1:3", "--out", tmp_path / "out")
    assert_input_error(result, "division by zero", "t")
    assert not (tmp_path / "out").exists()


def test_sweep_bad_param_through_the_console_script(tmp_path: Path) -> None:
    """The real process: exit 2, exactly one line on stderr, nothing on stdout."""
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "sweep", str(LONDON), "--param", "g_us=4:0"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("error: ") and "g_us" in proc.stderr
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------------- montecarlo
@pytest.fixture(scope="module")
def montecarlo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    folder = tmp_path_factory.mktemp("montecarlo")
    result = invoke("montecarlo", LONDON, "--draws", "20000", "--seed", "5", "--out", folder)
    assert result.exit_code == 0, result.output
    return result, folder


def test_montecarlo_json(montecarlo_run: tuple[Any, Path]) -> None:
    result, folder = montecarlo_run
    data = json.loads((folder / "montecarlo.json").read_text(encoding="utf-8"))
    assert data["draws"] == 20000 and data["seed"] == 5
    assert set(data["varied_parameters"]) == LONDON_UNCERTAIN
    structures = data["structures"]
    assert sum(s["count"] for s in structures) == 20000
    assert sum(s["probability"] for s in structures) == pytest.approx(1)
    for s in structures:
        low, high = s["ci95"]
        assert 0 <= low <= s["probability"] <= high <= 1
        assert s["probability"] == pytest.approx(s["count"] / 20000)
    # At the defaults the game is a prisoner's dilemma; over the ranges it is the most
    # likely structure (about 37%).
    assert structures[0]["label"] == "prisoner's dilemma: (maintain_chip_controls, restrict_re)"
    assert 0.3 < structures[0]["probability"] < 0.45
    convergence = data["convergence"]
    assert convergence["draws"][-1] == 20000 and isinstance(convergence["stable"], bool)
    assert convergence["message"]
    sensitivity = data["sensitivity"]
    assert {s["parameter"] for s in sensitivity} <= LONDON_UNCERTAIN
    distances = [s["total_variation_distance"] for s in sensitivity]
    assert distances == sorted(distances, reverse=True)
    # v_us enters no best-response comparison (ease vs maintain differs by g_us - c_us
    # against raise): it cannot move the outcome, so it ranks last, near zero.
    assert sensitivity[-1]["parameter"] == "v_us" and distances[-1] < 0.1
    assert data["source_sha256"] == hashlib.sha256(LONDON.read_bytes()).hexdigest()
    assert data["command"] == ["sim", "montecarlo", str(LONDON), "--draws=20000", "--seed=5"]
    assert "seed 5" in result.stderr
    assert flat(structures[0]["label"]) in flat(result.stdout)


def test_montecarlo_outcomes_csv(montecarlo_run: tuple[Any, Path]) -> None:
    _, folder = montecarlo_run
    data = json.loads((folder / "montecarlo.json").read_text(encoding="utf-8"))
    with (folder / "outcomes.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None and reader.fieldnames[:2] == ["kind", "outcome"]
        rows = list(reader)
    structures = [r for r in rows if r["kind"] == "structure"]
    assert [r["outcome"] for r in structures] == [s["label"] for s in data["structures"]]
    for row in rows:
        assert int(row["draws"]) == 20000
        assert float(row["probability"]) == pytest.approx(int(row["count"]) / 20000)
        assert float(row["ci95_low"]) <= float(row["probability"]) <= float(row["ci95_high"])


def test_montecarlo_figures(montecarlo_run: tuple[Any, Path]) -> None:
    result, folder = montecarlo_run
    pngs = {p.name for p in folder.glob("*.png")}
    assert pngs == MONTECARLO_FIGURES
    for name in pngs:
        assert_png(folder / name)
        assert name in result.stderr


def test_montecarlo_same_seed_same_bytes_other_seed_differs(
    montecarlo_run: tuple[Any, Path], tmp_path: Path
) -> None:
    _, first = montecarlo_run
    again = invoke("montecarlo", LONDON, "-n", "20000", "--seed", "5", "-o", tmp_path / "a", "-q")
    other = invoke("montecarlo", LONDON, "-n", "20000", "--seed", "6", "-o", tmp_path / "b", "-q")
    assert again.exit_code == 0 and other.exit_code == 0, other.output
    for name in ("montecarlo.json", "outcomes.csv"):
        assert (first / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name
        assert (first / name).read_bytes() != (tmp_path / "b" / name).read_bytes(), name


def test_montecarlo_no_figures(tmp_path: Path) -> None:
    result = invoke(
        "montecarlo", LONDON, "-n", "2000", "--seed", "1", "-o", tmp_path, "-q", "--no-figures"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["montecarlo.json", "outcomes.csv"]
    assert ".png" not in result.stderr


def test_montecarlo_seed_from_the_scenario(tmp_path: Path) -> None:
    seeded = london_copy(tmp_path, header="seed: 11\n")
    args = ("-n", "2000", "-q", "--no-figures")
    from_file = invoke("montecarlo", seeded, *args, "-o", tmp_path / "file")
    explicit = invoke("montecarlo", LONDON, *args, "--seed", "11", "-o", tmp_path / "flag")
    overridden = invoke("montecarlo", seeded, *args, "--seed", "3", "-o", tmp_path / "over")
    assert from_file.exit_code == explicit.exit_code == overridden.exit_code == 0
    data = json.loads((tmp_path / "file" / "montecarlo.json").read_text(encoding="utf-8"))
    flag = json.loads((tmp_path / "flag" / "montecarlo.json").read_text(encoding="utf-8"))
    over = json.loads((tmp_path / "over" / "montecarlo.json").read_text(encoding="utf-8"))
    assert data["seed"] == 11 and "--seed=11" in data["command"]
    assert "seed 11" in from_file.stderr
    # The scenario's seed is really used: same draws as --seed 11 on the original.
    assert data["structures"] == flag["structures"]
    assert (tmp_path / "file" / "outcomes.csv").read_bytes() == (
        tmp_path / "flag" / "outcomes.csv"
    ).read_bytes()
    assert over["seed"] == 3 and over["structures"] != data["structures"]


def test_montecarlo_fresh_seed_is_recorded(tmp_path: Path) -> None:
    seeds = []
    for name in ("a", "b"):
        result = invoke(
            "montecarlo", LONDON, "-n", "2000", "-q", "--no-figures", "-o", tmp_path / name
        )
        assert result.exit_code == 0, result.output
        data = json.loads((tmp_path / name / "montecarlo.json").read_text(encoding="utf-8"))
        seed = data["seed"]
        assert isinstance(seed, int) and seed >= 0
        assert f"--seed={seed}" in data["command"]
        assert re.search(rf"\bseed {seed}\b", result.stderr), result.stderr
        seeds.append(seed)
    assert seeds[0] != seeds[1]
    # The recorded seed repeats the run.
    repeat = invoke(
        "montecarlo",
        LONDON,
        "-n",
        "2000",
        "-q",
        "--no-figures",
        "--seed",
        str(seeds[0]),
        "-o",
        tmp_path / "repeat",
    )
    assert repeat.exit_code == 0
    assert (tmp_path / "a" / "outcomes.csv").read_bytes() == (
        tmp_path / "repeat" / "outcomes.csv"
    ).read_bytes()


def test_prisoners_dilemma_really_has_no_distributions() -> None:
    assert all(p.distribution is None for p in load(PRISONERS).parameters)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        pytest.param([LONDON, "--draws", "0"], ["draws", "got 0"], id="zero-draws"),
        pytest.param([LONDON, "--draws", "-5"], ["draws", "got -5"], id="negative-draws"),
        pytest.param([LONDON, "--seed", "-1"], ["seed", "-1"], id="negative-seed"),
        pytest.param([LONDON, "--blocks-per-task", "0"], ["blocks", "0"], id="zero-blocks"),
        pytest.param(
            [LONDON, "--scheduler", "nonsense://x"], ["'nonsense://x'", "scheduler"], id="sched"
        ),
        pytest.param([PRISONERS], ["distribution"], id="no-distributions"),
        pytest.param([LONDON, "--set", "nope=3"], ["unknown parameter 'nope'"], id="bad-set"),
        pytest.param([LONDON, "--set", "g_us"], ["NAME=VALUE", "'g_us'"], id="set-no-value"),
    ],
)
def test_montecarlo_bad_input_exits_2(
    tmp_path: Path, args: list[str | Path], fragments: list[str]
) -> None:
    draws = [] if "--draws" in args else ["--draws", "100"]
    result = invoke("montecarlo", *args, *draws, "--out", tmp_path / "out", "-q")
    line = assert_input_error(result, *fragments)
    assert line.startswith("error: ")
    assert not (tmp_path / "out").exists()


def test_montecarlo_scheduler_from_the_environment(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["montecarlo", str(LONDON), "-n", "100", "-q", "--out", str(tmp_path / "out")],
        env={"SIM_SCHEDULER": "nonsense://x", "COLUMNS": "250"},
    )
    assert_input_error(result, "'nonsense://x'", "SIM_SCHEDULER")
    assert not (tmp_path / "out").exists()


def test_montecarlo_bad_scenario_seed_is_positioned(tmp_path: Path) -> None:
    path = london_copy(tmp_path, header="seed: -3\n")
    result = invoke("montecarlo", path, "-n", "100", "--out", tmp_path / "out")
    line = assert_input_error(result, "seed")
    line_number = path.read_text(encoding="utf-8").splitlines().index("seed: -3") + 1
    assert re.match(rf"{re.escape(str(path))}:{line_number}:\d+: ", line), line


def test_montecarlo_bad_distribution_is_positioned(tmp_path: Path) -> None:
    path = london_copy(
        tmp_path,
        replace=("{kind: triangular, low: 2, mode: 4, high: 8}", "{kind: triangular, low: 2}"),
    )
    result = invoke("montecarlo", path, "-n", "100", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.output
    line_number = next(
        i
        for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "kind: triangular, low: 2}" in text
    )
    assert re.match(rf"{re.escape(str(path))}:{line_number}:\d+: ", result.stderr), result.stderr
    assert not (tmp_path / "out").exists()


def test_montecarlo_yaml_error_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a: [1\n", encoding="utf-8")
    line = assert_input_error(invoke("montecarlo", path, "--out", tmp_path / "out"))
    assert line.startswith(f"{path}:2:1: invalid YAML")
    missing = tmp_path / "missing.yaml"
    line = assert_input_error(invoke("montecarlo", missing, "--out", tmp_path / "out"))
    assert line == f"{missing}:1:1: no such file; check the path"
    assert not (tmp_path / "out").exists()


def test_montecarlo_division_by_zero_in_a_draw(tmp_path: Path) -> None:
    path = tmp_path / "divide.yaml"
    path.write_text(
        "kind: normal_form\ntitle: Divide\nplayers: {A: {moves: [x, y]}, B: {moves: [x, y]}}\n"
        "parameters:\n  t: {value: 1, distribution: {kind: choice, values: [0, 1]}}\n"
        "payoffs:\n  x, x: [1 / t, 1]\n  x, y: [0, 0]\n  y, x: [0, 0]\n  y, y: [1, 1]\n",
        encoding="utf-8",
    )
    result = invoke("montecarlo", path, "-n", "1000", "--seed", "1", "--out", tmp_path / "out")
    assert_input_error(result, "'1 / t'", "division by zero", "t = 0")
    assert not (tmp_path / "out").exists()


def test_montecarlo_set_on_an_uncertain_parameter_is_not_ignored(tmp_path: Path) -> None:
    """``--set c_us=1`` fixes c_us at 1: its distribution is no longer sampled."""
    args = ("-n", "2000", "--seed", "1", "-q", "--no-figures")
    base = invoke("montecarlo", LONDON, *args, "-o", tmp_path / "base")
    fixed = invoke("montecarlo", LONDON, *args, "--set", "c_us=1", "-o", tmp_path / "set")
    assert base.exit_code == 0
    assert fixed.exit_code == 0, fixed.output
    data = json.loads((tmp_path / "set" / "montecarlo.json").read_text(encoding="utf-8"))
    assert "c_us" not in data["varied_parameters"]
    assert (tmp_path / "set" / "outcomes.csv").read_bytes() != (
        tmp_path / "base" / "outcomes.csv"
    ).read_bytes()


def test_montecarlo_set_on_a_fixed_parameter_changes_the_result(tmp_path: Path) -> None:
    args = ("-n", "2000", "--seed", "1", "-q", "--no-figures")
    base = invoke("montecarlo", LONDON, *args, "-o", tmp_path / "base")
    fixed = invoke("montecarlo", LONDON, *args, "--set", "c_cn=1", "-o", tmp_path / "set")
    assert base.exit_code == fixed.exit_code == 0, fixed.output
    a = json.loads((tmp_path / "base" / "montecarlo.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "set" / "montecarlo.json").read_text(encoding="utf-8"))
    assert b["command"][-1] == "--set=c_cn=1"
    assert a["structures"] != b["structures"]


# ----------------------------------------------------------------------- atomic outputs
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["sweep", LONDON, "-p", "g_us=0:4:5"], id="sweep"),
        pytest.param(["montecarlo", LONDON, "-n", "2000", "--seed", "1"], id="montecarlo"),
    ],
)
def test_output_folder_is_a_file(tmp_path: Path, args: list[str | Path]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke(*args, "--out", blocker, "-q")
    line = assert_input_error(result, str(blocker))
    assert line == f"error: {blocker} is a file, not a folder; choose another --out"
    assert snapshot(tmp_path) == {"file": b"not a folder"}  # no temporary files left


@pytest.mark.parametrize(
    ("first", "second", "blocked"),
    [
        pytest.param(
            ["sweep", LONDON, "-p", "g_us=0:4:5"],
            ["sweep", LONDON, "-p", "g_us=0:2:3"],
            "sweep.json",
            id="sweep",
        ),
        pytest.param(
            ["montecarlo", LONDON, "-n", "2000", "--seed", "1"],
            ["montecarlo", LONDON, "-n", "2000", "--seed", "2"],
            "montecarlo.json",
            id="montecarlo",
        ),
    ],
)
def test_failed_write_leaves_the_folder_as_it_was(
    tmp_path: Path, first: list[str | Path], second: list[str | Path], blocked: str
) -> None:
    """A rerun that cannot write one of its files changes none of them.

    The folder holds a previous run's files, except that a folder sits where ``blocked``
    goes. The rerun fails; it must not leave its other files beside the previous run's.
    """
    folder = tmp_path / "out"
    assert invoke(*first, "--out", folder, "-q", "--no-figures").exit_code == 0
    (folder / blocked).unlink()
    (folder / blocked).mkdir()
    before = snapshot(folder)
    result = invoke(*second, "--out", folder, "-q", "--no-figures")
    assert_input_error(result, "cannot write", blocked)
    assert snapshot(folder) == before


def test_sweep_refuses_to_fix_a_swept_parameter(tmp_path: Path) -> None:
    result = invoke("sweep", LONDON, "-p", "g_us=0:4:5", "--set", "g_us=2", "-o", tmp_path / "o")
    assert_input_error(result, "g_us is swept by --param; do not also fix it with --set")
    assert not (tmp_path / "o").exists()
