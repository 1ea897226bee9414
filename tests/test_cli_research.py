"""The research-workflow commands: the explained report, `sim report`, `sim compare`, QRE at
a given λ, correlated equilibria, learning dynamics and game types from `sim run`, and regime
maps coloured by game type."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT / "scenarios" / "london_talks.yaml"
TARIFFS = ROOT / "scenarios" / "london_tariffs.yaml"
PNG = b"\x89PNG\r\n\x1a\n"

runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def test_run_explains_and_adds_the_research_concepts(tmp_path: Path) -> None:
    result = invoke("run", LONDON, "--out", tmp_path, "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text())
    for key in ("explanation", "ordinal_type", "correlated", "qre", "learning_dynamics"):
        assert key in data, key
    assert "qre_at" not in data
    assert data["ordinal_type"]["code"] == "Pd"
    report = (tmp_path / "report.md").read_text()
    for heading in (
        "## Why each equilibrium holds",
        "## Why other outcomes are not equilibria",
        "## Dominance, step by step",
        "## What the conclusions rest on",
        "## Game type",
        "## Correlated equilibria",
        "## Logit quantal response equilibrium",
        "## Learning dynamics",
    ):
        assert heading in report, heading
    # The eliminations are told once, step by step, not twice.
    assert report.count("strictly dominates") == 2
    assert "Iterated elimination of strictly dominated moves" not in report
    assert "China would lose 2 by switching to raise_re_exports (-4 instead of -2)" in report, (
        report
    )
    assert "(evidence E5, E6, E8, E11, E14)" in report


def test_run_html_is_self_contained_with_every_figure(tmp_path: Path) -> None:
    assert invoke("run", LONDON, "--out", tmp_path, "--quiet").exit_code == 0
    page = (tmp_path / "report.html").read_text()
    sources = re.findall(r'<img src="([^"]+)"', page)
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert len(sources) == len(pngs) >= 6
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1])[:8] == PNG
    assert "http://" not in page.replace("http://www.w3.org", "")


def test_run_at_a_given_lambda(tmp_path: Path) -> None:
    result = invoke("run", LONDON, "--out", tmp_path, "--quiet", "--no-figures", "--lambda", "0.5")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["qre_at"]["lambda"] == 0.5
    assert data["command"][-1] == "--lambda=0.5"
    assert "At λ = 0.5, US plays" in (tmp_path / "report.md").read_text()


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "x"])
def test_bad_lambda_is_an_input_error(tmp_path: Path, value: str) -> None:
    result = invoke("run", LONDON, "--out", tmp_path, "--quiet", "--lambda", value)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_report_writes_one_markdown_and_one_html_file_with_figures_embedded(
    tmp_path: Path,
) -> None:
    result = invoke("report", LONDON, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["london_talks.html", "london_talks.md"]
    markdown = (tmp_path / "london_talks.md").read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert len(images) >= 6
    assert all(i.startswith("data:image/png;base64,") for i in images)
    page = (tmp_path / "london_talks.html").read_text()
    assert page.count("<img ") == len(images)
    assert "Why each equilibrium holds" in page


def test_report_of_a_tree_and_of_a_repeated_scenario(tmp_path: Path) -> None:
    for name in ("london_snap_back", "london_truce"):
        result = invoke("report", ROOT / "scenarios" / f"{name}.yaml", "--out", tmp_path)
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"{name}.html").stat().st_size > 10_000


def test_an_image_in_a_scenario_description_cannot_break_the_html(tmp_path: Path) -> None:
    pd = (ROOT / "scenarios" / "prisoners_dilemma.yaml").read_text(encoding="utf-8")
    text = pd.replace(
        "description: >\n",
        "description: >\n  ![x](http://example.com/x.png) <script>bad()</script>\n",
        1,
    )
    assert text != pd
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(text, encoding="utf-8")
    result = invoke("run", scenario, "--out", tmp_path / "out", "--quiet", "--no-figures")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "report.html").read_text()
    assert "<img" not in page and "image not embedded: x (http://example.com/x.png)" in page
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_compare_before_and_after_with_per_scenario_sets(tmp_path: Path) -> None:
    result = invoke(
        "compare",
        LONDON,
        LONDON,
        "--set",
        "2:g_us=3",
        "--set",
        "2:g_cn=4",
        "--name",
        "baseline",
        "--name",
        "truce bonus",
        "--out",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert "What changed" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "compare.html",
        "compare.json",
        "compare.md",
    ]
    markdown = (tmp_path / "compare.md").read_text()
    assert (
        "(ease_chip_controls, raise_re_exports) is an equilibrium in truce bonus but not in "
        "baseline." in markdown
    )
    assert "| ordinal type (Robinson–Goforth) | Pd: Prisoner's Dilemma | Sh: Stag Hunt |" in (
        markdown
    )
    data = json.loads((tmp_path / "compare.json").read_text())
    assert data["command"][:2] == ["sim", "compare"]


def test_compare_json_and_a_set_for_every_scenario() -> None:
    result = invoke("compare", LONDON, TARIFFS, "--set", "z_us=2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["command"][-1] == "--set=z_us=2"


def test_compare_takes_a_time_limit_and_records_it(tmp_path: Path) -> None:
    import numpy as np

    from sim.game import Game
    from sim.nfg import format_nfg

    rng = np.random.default_rng(4)
    game = Game.from_arrays(rng.integers(0, 9, (10, 10)), rng.integers(0, 9, (10, 10)))
    path = tmp_path / "random.nfg"
    path.write_text(format_nfg(game))
    result = invoke("compare", path, path, "--time-limit", "0.001", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["command"][-1] == "--time-limit=0.001"
    assert "did not finish within the time limit of 0.001 s" in result.stderr
    assert [s["complete"] for s in data["scenarios"]] == ["some", "some"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param([LONDON], "two or more", id="one-file"),
        pytest.param([LONDON, LONDON, "--set", "3:g_us=1"], "K in K:NAME=VALUE", id="bad-k"),
        pytest.param([LONDON, LONDON, "--name", "a"], "--name once per scenario", id="names"),
        pytest.param([LONDON, LONDON, "--set", "2:nope=1"], "nope", id="unknown-parameter"),
    ],
)
def test_compare_input_errors_exit_2(args: list[str | Path], fragment: str) -> None:
    result = invoke("compare", *args)
    assert result.exit_code == 2
    assert fragment in result.output and "Traceback" not in result.output


def test_sweep_regime_map_coloured_by_game_type(tmp_path: Path) -> None:
    result = invoke(
        "sweep",
        LONDON,
        "-p",
        "g_us=0:4:9",
        "-p",
        "z_cn=0:6:9",
        "--colour-by",
        "type",
        "--out",
        tmp_path,
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "sweep.json").read_text())
    labels = {entry["label"] for entry in data["ordinal_types"]}
    assert {"Pd", "Sh|Pd"} <= labels
    assert (tmp_path / "regime_map.png").read_bytes()[:8] == PNG


def test_sweep_rejects_an_unknown_colouring(tmp_path: Path) -> None:
    result = invoke("sweep", LONDON, "-p", "g_us=0:4", "-p", "z_cn=0:6", "--colour-by", "x")
    assert result.exit_code == 2 and "--colour-by takes structure or type" in result.output


def test_lambda_on_a_game_tree_is_refused(tmp_path: Path) -> None:
    tree = ROOT / "scenarios" / "entry_deterrence.yaml"
    result = invoke("run", tree, "--out", tmp_path / "out", "--lambda", "2")
    assert result.exit_code == 2 and "not game trees" in result.output
    assert not (tmp_path / "out").exists()


def test_colour_by_needs_a_2d_sweep(tmp_path: Path) -> None:
    result = invoke("sweep", LONDON, "-p", "g_us=0:4", "--colour-by", "type", "-o", tmp_path)
    assert result.exit_code == 2 and "2-D regime map" in result.output


def test_no_empty_dominance_section(tmp_path: Path) -> None:
    chicken = ROOT / "scenarios" / "chicken.yaml"
    assert invoke("run", chicken, "--out", tmp_path, "--quiet", "--no-figures").exit_code == 0
    report = (tmp_path / "report.md").read_text()
    assert "## Dominance\n" not in report  # no dominant or weakly dominated move to list
    assert "## Dominance, step by step" in report
