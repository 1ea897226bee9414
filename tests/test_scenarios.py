"""Every shipped scenario loads, validates, solves and certifies; the London defaults are pinned."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from sim.certificate import regret
from sim.scenario import load, parse_scenario
from sim.schema import scenario_json_schema
from sim.solvers import solve

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_there_are_scenarios() -> None:
    names = {p.stem for p in SCENARIOS}
    assert {"london_talks", "london_token_approvals", "london_tariffs"} <= names
    assert {
        "prisoners_dilemma",
        "chicken",
        "stag_hunt",
        "battle_of_the_sexes",
        "matching_pennies",
    } <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_loads_solves_and_certifies(path: Path) -> None:
    scenario = load(path)
    assert scenario.warnings() == ()
    solution = solve(scenario.game)
    assert solution.equilibria
    for eq in solution.equilibria:
        assert regret(scenario.game, eq.strategies) == 0


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_has_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/scenario.schema.json"


@pytest.mark.parametrize(
    "path", [p for p in SCENARIOS if p.stem.startswith("london")], ids=lambda p: p.stem
)
def test_london_scenarios_cite_existing_evidence(path: Path) -> None:
    scenario = load(path)
    assert scenario.source == "../seeds/london_talks_2025.md"
    assert len(scenario.evidence) >= 5
    assert all(p.evidence for p in scenario.parameters)


def _profiles(path: str) -> list[tuple[tuple[str, ...], ...]]:
    scenario = load(ROOT / path)
    out = []
    for eq in solve(scenario.game).equilibria:
        out.append(tuple(tuple(str(p) for p in s) for s in eq.strategies))
    return out


def test_london_talks_defaults_are_a_prisoners_dilemma() -> None:
    scenario = load(ROOT / "scenarios/london_talks.yaml")
    (eq,) = solve(scenario.game).equilibria
    assert eq.pure_profile == scenario.status_quo
    assert eq.payoffs == (Fraction(-1), Fraction(-2))


def test_london_talks_becomes_a_stag_hunt_with_a_large_truce_bonus() -> None:
    # S1: the US eases against raise iff g_us > c_us; against restrict iff z_us > c_us + s_us.
    scenario = load(ROOT / "scenarios/london_talks.yaml").with_parameters(g_us=3, g_cn=4)
    solution = solve(scenario.game)
    pure = {e.pure_profile for e in solution.equilibria if e.is_pure}
    assert pure == {(0, 0), (1, 1)}
    (mixed,) = [e for e in solution.equilibria if not e.is_pure]
    # China raises with q* = (c_us + s_us - z_us) / (g_us + s_us - z_us) = 2/3.
    assert mixed.strategies[1][0] == Fraction(2, 3)


def test_london_tariffs_expected_equilibria() -> None:
    found = _profiles("scenarios/london_tariffs.yaml")
    assert found == [
        (("0", "1", "0"), ("0", "0", "1")),
        (("0", "3/4", "1/4"), ("0", "3/4", "1/4")),
        (("0", "0", "1"), ("0", "1", "0")),
    ]


def test_readme_example_is_a_valid_scenario() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    scenario = parse_scenario(block.group(1), "README.md", base=ROOT / "scenarios")
    assert scenario.game.shape == (2, 2)
    assert len(block.group(1).strip().splitlines()) <= 20


def test_schema_accepts_the_modeline_target_shape() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"kind", "title"} <= set(schema["required"])
    defs = schema["$defs"]
    assert {"kind", "title", "players", "payoffs"} <= set(defs["ScenarioSpec"]["required"])
    assert {"kind", "title", "players", "nodes"} <= set(defs["SequentialSpec"]["required"])
    assert {"kind", "title", "repeated"} <= set(defs["RepeatedSpec"]["required"])


def test_committed_schema_matches_the_models() -> None:
    import json

    committed = json.loads((ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == scenario_json_schema(), (
        "regenerate with: sim schema --out schema/scenario.schema.json"
    )


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 4
    scenarios = ROOT / "scenarios"
    monkeypatch.chdir(tmp_path)  # the examples write figures to the working directory
    namespace: dict[str, object] = {}
    for block in blocks:  # paths in the examples are relative to the repository root
        code = block.replace('"scenarios/', f'"{scenarios.as_posix()}/')
        exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["scenario"].game.shape == (2, 2)  # type: ignore[attr-defined]
    assert namespace["credible"].equilibria[0].payoffs == (3, 4)  # type: ignore[attr-defined]
    assert namespace["truce"].nash.overall == Fraction(1, 5)  # type: ignore[attr-defined]
    assert namespace["deal"].nash.point == (3, 4)  # type: ignore[attr-defined]
    assert "g_us ≥ 2" in namespace["flips"].sentences()[0]  # type: ignore[attr-defined]
    assert (tmp_path / "regime_map.png").stat().st_size > 0
    assert (tmp_path / "tornado.png").stat().st_size > 0
    assert namespace["why"].equilibria[0].label == "NE1"  # type: ignore[attr-defined]
    assert namespace["kind"].code == "Pd"  # type: ignore[attr-defined]
    assert namespace["mediated"].welfare == -3  # type: ignore[attr-defined]
    assert namespace["branch"].equilibrium_label() == "NE1"  # type: ignore[attr-defined]
    assert namespace["learning"].replicator.outcome == "rest"  # type: ignore[attr-defined]
    assert any("truce bonus but not in baseline" in s for s in namespace["changes"].sentences())  # type: ignore[attr-defined]
