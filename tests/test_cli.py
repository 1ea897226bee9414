"""Command line: outputs, JSON shape, exit codes and positioned errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT / "scenarios" / "london_talks.yaml"
runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def test_run_writes_results_report_and_figures(tmp_path: Path) -> None:
    result = invoke("run", LONDON, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Equilibria" in result.stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "bargaining.png",
        "best_response.png",
        "bimatrix.png",
        "payoff_space.png",
        "phase_portrait.png",
        "qre.png",
        "report.html",
        "report.md",
        "results.json",
    ]
    data = json.loads((tmp_path / "results.json").read_text())
    for key in ("players", "moves", "equilibria", "components", "degenerate"):
        assert key in data
    assert data["scenario"]["sha256"] and data["evidence"]
    assert set(data["analysis"]) == {
        "elimination",
        "weakly_dominated",
        "dominant",
        "best_responses",
        "pareto",
        "security",
    }
    assert (tmp_path / "bimatrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (tmp_path / "report.md").read_text()
    assert "## Evidence cited" in report and "![" in report


def test_run_is_reproducible(tmp_path: Path) -> None:
    invoke("run", LONDON, "--out", tmp_path / "a", "--quiet")
    invoke("run", LONDON, "--out", tmp_path / "b", "--quiet")
    for name in ("results.json", "report.md", "report.html", "bimatrix.png", "qre.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_run_with_parameter_override(tmp_path: Path) -> None:
    result = invoke(
        "run",
        LONDON,
        "--out",
        tmp_path,
        "--quiet",
        "--no-figures",
        "--set",
        "g_us=3",
        "--set",
        "g_cn=4",
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text())
    assert len(data["equilibria"]) == 3  # a stag hunt: two pure and one mixed
    assert data["command"][-2:] == ["--set=g_us=3", "--set=g_cn=4"]


def test_solve_json_shape() -> None:
    result = invoke("solve", ROOT / "scenarios" / "battle_of_the_sexes.yaml", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["degenerate"] is False
    mixed = data["equilibria"][1]
    assert mixed["exact"] == [["3/5", "2/5"], ["2/5", "3/5"]]
    assert mixed["probabilities"] == [[0.6, 0.4], [0.4, 0.6]]
    assert len(mixed["payoffs"]) == 2
    assert [c["equilibria"] for c in data["components"]] == [[0], [1], [2]]


def test_solve_table() -> None:
    result = invoke("solve", ROOT / "scenarios" / "matching_pennies.yaml")
    assert result.exit_code == 0
    assert "1/2" in result.stdout


def test_solve_nfg(tmp_path: Path) -> None:
    path = tmp_path / "pd.nfg"
    path.write_text('NFG 1 R "PD" { "A" "B" } { 2 2 }\n3 3 5 0 0 5 1 1\n')
    result = invoke("solve", path, "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["equilibria"]) == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(
            "kind: normal_form\ntitle: x\nplayers: {A: {moves: [a]}}\npayoffs: {}\n",
            "s.yaml:3:10:",
            id="too-few-players",
        ),
        pytest.param("a: [1\n", "s.yaml:2:1: invalid YAML", id="syntax"),
        pytest.param("", "s.yaml:1:1: the file is empty", id="empty"),
    ],
)
def test_invalid_input_exits_2_with_position(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    for command in ("run", "solve", "validate"):
        result = invoke(command, path)
        assert result.exit_code == 2, (command, result.output)
        assert fragment in result.stderr
        assert "Traceback" not in result.output


def test_validate_lists_all_problems_and_ok_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "kind: normal_form\ntitle: t\nplayers:\n  A: {moves: [x, y]}\n  B: {moves: [x, y]}\n"
        "payoffs:\n  x, x: [q, 1]\n  x, z: [1, 1]\n  y, x: [1, 1]\n  y, y: [1, 1]\n"
    )
    result = invoke("validate", LONDON, bad)
    assert result.exit_code == 2
    assert f"ok: {LONDON}" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith(str(bad))]
    assert len(errors) == 3  # undefined q, unknown move z, and the profile (x, y) left missing


def test_unknown_set_parameter_is_an_input_error() -> None:
    result = invoke("solve", LONDON, "--set", "nope=1")
    assert result.exit_code == 2
    assert "unknown parameter 'nope'" in result.stderr


def test_schema_prints_json_schema() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "negotiation-sim scenario"


def test_new_writes_a_valid_template_and_refuses_to_overwrite(tmp_path: Path) -> None:
    assert invoke("new", "my_talks", "--dir", tmp_path).exit_code == 0
    target = tmp_path / "my_talks.yaml"
    assert invoke("validate", target).exit_code == 0
    before = target.read_text()
    again = invoke("new", "my_talks", "--dir", tmp_path)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert target.read_text() == before


def test_console_script_entry_point(tmp_path: Path) -> None:
    """The installed entry point behaves like the app (exit code 2, one line, no traceback)."""
    missing = tmp_path / "missing.yaml"
    code = "import sys; from sim.cli import main; sys.argv = ['sim', 'solve', sys.argv[1]]; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(missing)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"{missing}:1:1: no such file; check the path"


def test_unwritable_output_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = invoke("run", LONDON, "--out", blocker, "--quiet")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {blocker} is a file, not a folder")
    assert blocker.read_text() == "not a folder"


def test_parameter_outside_its_range_is_a_warning() -> None:
    result = invoke("solve", LONDON, "--set", "v_us=100")
    assert result.exit_code == 0
    assert "warning: parameter v_us = 100 is outside its range [2, 8]" in result.stderr


def test_new_quotes_titles(tmp_path: Path) -> None:
    assert invoke("new", "trade: talks", "--dir", tmp_path).exit_code == 0
    assert invoke("validate", tmp_path / "trade: talks.yaml").exit_code == 0


def test_report_numbers_dominance_rounds(tmp_path: Path) -> None:
    tariffs = ROOT / "scenarios" / "london_tariffs.yaml"
    assert invoke("run", tariffs, "--out", tmp_path, "--quiet", "--no-figures").exit_code == 0
    report = (tmp_path / "report.md").read_text()
    assert "- Round 1: US's maintain_chip_controls strictly dominates ease_chip_controls" in report
    assert "- Round 1: China's restrict_re strictly dominates raise_re_exports" in report


def test_run_reports_flip_thresholds_of_ranged_parameters(tmp_path: Path) -> None:
    result = invoke(
        "run",
        ROOT / "scenarios" / "london_talks.yaml",
        "--out",
        tmp_path,
        "-q",
        "--no-figures",
        "--set",
        "g_cn=4",
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    by_parameter = {f["parameter"]: f for f in data["thresholds"]}
    assert [t["exact_value"] for t in by_parameter["g_us"]["thresholds"]] == ["2"]
    assert by_parameter["v_us"]["thresholds"] == []  # v_us cancels out of every comparison
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## When the outcome flips" in report
    assert (
        "(ease_chip_controls, raise_re_exports) is an equilibrium exactly when g_us ≥ 2" in report
    )


# ------------------------------------------------------------ trees, repeated, bargaining
SCENARIOS = ROOT / "scenarios"


def test_run_sequential_writes_tree_and_subgame_perfection(tmp_path: Path) -> None:
    result = invoke("run", SCENARIOS / "london_snap_back.yaml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tree.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["scenario"]["kind"] == "sequential"
    assert data["tree"]["perfect_information"] is True
    spe = data["subgame_perfect"]
    assert [e["path"] for e in spe["equilibria"]] == [["us_opens", "status_quo"]]
    threats = [n["threat"] for n in spe["nash_equilibria"] if n["threat"]]
    assert any(t["move"] == "snap_back" and t["better"] == "accept" for t in threats)
    report = (tmp_path / "report.md").read_text()
    assert "## Subgame perfection" in report and "The threat is not credible" in report
    assert "stackelberg" not in data  # the tree already fixes who moves first
    flips = {f["parameter"]: f for f in data["subgame_perfect_thresholds"]}
    assert [t["exact_value"] for t in flips["a_us"]["thresholds"]] == ["2"]
    assert "## When the subgame-perfect outcome flips" in report
    assert "when a_us < 2, and ease_chip_controls → raise_re_exports when a_us > 2" in report


def test_run_signaling_tree(tmp_path: Path) -> None:
    result = invoke("run", SCENARIOS / "london_licence_signal.yaml", "--out", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text())
    kinds = {e["kind"] for e in data["signaling"]["equilibria"]}
    assert {"pooling", "separating"} <= kinds
    assert "subgame_perfect" not in data  # imperfect information
    assert "## Signaling" in (tmp_path / "report.md").read_text()


def test_run_repeated_writes_folk_figure_and_thresholds(tmp_path: Path) -> None:
    result = invoke("run", SCENARIOS / "london_truce.yaml", "--out", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "folk.png").exists()
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["scenario"]["kind"] == "repeated"
    assert data["repeated_terms"]["target"] == ["ease_chip_controls", "raise_re_exports"]
    text = json.dumps(data["repeated"])
    assert "1/5" in text and "1/7" in text
    assert "## Repeated play" in (tmp_path / "report.md").read_text()


def test_run_bargaining_section(tmp_path: Path) -> None:
    result = invoke("run", SCENARIOS / "nash_demand.yaml", "--out", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bargaining.png").exists()
    report = (tmp_path / "report.md").read_text()
    assert "## Bargaining" in report and "10/19" in report


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        pytest.param("entry_deterrence", {"subgame_perfect"}, id="sequential"),
        pytest.param("repeated_prisoners_dilemma", {"repeated", "stackelberg"}, id="repeated"),
        pytest.param("nash_demand", {"bargaining", "stackelberg"}, id="bargaining"),
        pytest.param("matching_pennies", {"stackelberg"}, id="normal-form"),
    ],
)
def test_solve_json_has_the_sections_that_apply(name: str, keys: set[str]) -> None:
    result = invoke("solve", SCENARIOS / f"{name}.yaml", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    concepts = {"subgame_perfect", "signaling", "stackelberg", "repeated", "bargaining"}
    assert set(data) & concepts == keys


def test_solve_prints_subgame_perfection() -> None:
    result = invoke("solve", SCENARIOS / "entry_deterrence.yaml")
    assert result.exit_code == 0, result.output
    assert "Subgame perfection" in result.stdout and "not credible" in result.stdout


def test_malformed_tree_exits_2_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "kind: sequential\ntitle: t\nplayers: [A, B]\nnodes:\n"
        "  a: {player: A, moves: {x: b, y: [0, 0]}}\n"
        "  b: {chance: {h: {probability: 1/2, then: [1, 1]},\n"
        "               t: {probability: 1/3, then: [0, 0]}}}\n",
        encoding="utf-8",
    )
    result = invoke("run", bad, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{bad}:6:" in result.output and "sum to 5/6, not 1" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_tree_too_large_for_enumeration_falls_back_to_pure_equilibria(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.solvers.polytope

    monkeypatch.setattr(sim.solvers.polytope, "MEMORY_BUDGET", 1)  # enumeration stops at once
    result = invoke("run", SCENARIOS / "entry_deterrence.yaml", "--out", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert "pure equilibria only" in result.stderr
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["complete"] == "pure"
    assert data["subgame_perfect"]["equilibria"][0]["path"][-1] == "challenger/enter/accommodate"
    flat = invoke("run", ROOT / "scenarios" / "prisoners_dilemma.yaml", "--out", tmp_path / "pd")
    assert flat.exit_code == 0, flat.output  # a normal-form game gets Lemke–Howson, and says so
    data = json.loads((tmp_path / "pd" / "results.json").read_text())
    assert data["complete"] == "some" and "memory budget" in data["notes"][0]


def test_sweep_of_a_tree_adds_subgame_perfect_outcomes(tmp_path: Path) -> None:
    result = invoke(
        "sweep", SCENARIOS / "london_snap_back.yaml", "--param", "a_us=0:6:13", "--out", tmp_path
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {"spe_sweep.csv", "spe_outcomes.png", "bifurcation.png"} <= set(names)
    data = json.loads((tmp_path / "sweep.json").read_text())
    flips = data["subgame_perfect"]["thresholds"][0]["thresholds"]
    assert [t["exact_value"] for t in flips] == ["2"]
    assert "Subgame-perfect outcome" in result.stdout


# ------------------------------------------------------------ time limit and Lemke-Howson
def _random_nfg(tmp_path: Path, n: int, seed: int) -> Path:
    import numpy as np

    from sim.game import Game
    from sim.nfg import format_nfg

    rng = np.random.default_rng(seed)
    game = Game.from_arrays(
        rng.integers(0, 9, (n, n)).tolist(), rng.integers(0, 9, (n, n)).tolist(), title="random"
    )
    path = tmp_path / f"random{n}.nfg"
    path.write_text(format_nfg(game), encoding="utf-8")
    return path


def test_solve_falls_back_to_lemke_howson_at_the_time_limit_and_says_so(tmp_path: Path) -> None:
    path = _random_nfg(tmp_path, 10, seed=1)
    result = invoke("solve", path, "--json", "--time-limit", "0.001")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "lemke-howson" and data["complete"] == "some"
    assert "time limit" in data["notes"][0] and "note: Exact enumeration" in result.stderr
    complete = json.loads(invoke("solve", path, "--json").stdout)
    assert complete["complete"] == "extreme" and complete["notes"] == []
    exact = {json.dumps(e["exact"]) for e in complete["equilibria"]}
    assert {json.dumps(e["exact"]) for e in data["equilibria"]} <= exact


def test_solve_lemke_howson_method(tmp_path: Path) -> None:
    result = invoke("solve", _random_nfg(tmp_path, 6, seed=2), "--method", "lemke-howson")
    assert result.exit_code == 0, result.output
    assert "equilibria found (lemke-howson)" in result.stdout
    assert "may have others" in result.stdout


def test_vertex_enumeration_past_the_time_limit_is_a_clean_error(tmp_path: Path) -> None:
    path = _random_nfg(tmp_path, 10, seed=3)
    result = invoke("solve", path, "--method", "vertex-enumeration", "--time-limit", "0.001")
    assert result.exit_code == 2
    assert "did not finish within the time limit" in result.stderr
    assert "--method lemke-howson" in result.stderr and "Traceback" not in result.output


def test_solve_prints_at_most_a_hundred_equilibria(tmp_path: Path) -> None:
    import numpy as np

    from sim.game import Game
    from sim.nfg import format_nfg

    path = tmp_path / "constant.nfg"  # every one of the 121 profiles is an equilibrium
    path.write_text(format_nfg(Game.from_payoffs(np.zeros((11, 11, 2), dtype=int))))
    result = invoke("solve", path, "--method", "pure")
    assert result.exit_code == 0, result.output
    assert "121 pure equilibria" in result.stdout
    assert "NE100 " in result.stdout and "NE101 " not in result.stdout
    assert "21 more equilibria are not shown (the first 100 are)" in result.stdout
    data = json.loads(invoke("solve", path, "--method", "pure", "--json").stdout)
    assert len(data["equilibria"]) == 121


def test_the_enumeration_size_limit_can_be_set_in_the_environment(tmp_path: Path) -> None:
    path = _random_nfg(tmp_path, 5, seed=3)
    assert "note:" not in invoke("solve", path).stderr
    result = runner.invoke(app, ["solve", str(path)], env={"SIM_MAX_ENUMERATION_PROFILES": "24"})
    assert result.exit_code == 0, result.output
    assert "note: Exact enumeration of this 5×5 game was not tried" in result.stderr
    assert "equilibria found (lemke-howson)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--method", "simplex"), "unknown method 'simplex'", id="method"),
        pytest.param(("--time-limit", "0"), "--time-limit", id="time-limit"),
    ],
)
def test_bad_solver_options(args: tuple[str, ...], message: str) -> None:
    result = invoke("solve", SCENARIOS / "prisoners_dilemma.yaml", *args)
    assert result.exit_code == 2 and message in result.output


def test_run_records_the_time_limit_and_reports_the_fallback(tmp_path: Path) -> None:
    path = _random_nfg(tmp_path, 10, seed=4)
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out, "-q", "--no-figures", "--time-limit", "0.001")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text())
    assert data["command"][-1] == "--time-limit=0.001" and data["complete"] == "some"
    report = (out / "report.md").read_text()
    assert "by Lemke–Howson from every starting label" in report
    assert "did not finish within the time limit of 0.001 s" in report
