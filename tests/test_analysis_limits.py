"""The full analysis (``sim run``, ``sim report``, ``sim compare``) has a size limit, and the
costliest games within it finish within the hostile-input bound (issue #7).

Games are written as ``.nfg`` files at run time: 32×32 with distinct, tied, constant,
coordination and zero-sum payoffs, three players with 10 moves, ten players with 2 moves.
Each ``sim run`` must exit 0 within :data:`SECONDS`; a game past
:data:`sim.cli.MAX_ANALYSED_MOVES` or :data:`sim.cli.MAX_ANALYSED_PROFILES` is refused at
once with ``path:1:1: ...`` and exit 2, nothing written, unless the limit is raised.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli import MAX_ANALYSED_MOVES, MAX_ANALYSED_PROFILES, app
from sim.game import Game
from sim.nfg import format_nfg

SECONDS = 2.0
"""Wall-clock bound for one command (issue #7: every hostile case within 2 seconds)."""
runner = CliRunner()


def write(folder: Path, name: str, payoffs: np.ndarray) -> Path:
    path = folder / f"{name}.nfg"
    path.write_text(format_nfg(Game.from_payoffs(payoffs.astype(object), title=name)))
    return path


def pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.stack([a, b], axis=-1)


def costly(name: str) -> np.ndarray:
    rng = np.random.default_rng(7)
    n = 32
    return {
        "distinct": lambda: pair(rng.integers(0, 999, (n, n)), rng.integers(0, 999, (n, n))),
        "ties": lambda: pair(rng.integers(0, 3, (n, n)), rng.integers(0, 3, (n, n))),
        "constant": lambda: np.zeros((n, n, 2), dtype=int),  # 1,024 pure equilibria
        "coordination": lambda: pair(np.eye(n, dtype=int), np.eye(n, dtype=int)),
        "zero_sum": lambda: (lambda a: pair(a, -a))(rng.integers(-50, 50, (n, n))),
        "three_players": lambda: rng.integers(0, 9, (10, 10, 10, 3)),
        "ten_players": lambda: rng.integers(0, 3, (2,) * 10 + (10,)),
        # the largest game exact enumeration is tried on: it stops at the time limit
        "fifteen": lambda: pair(rng.integers(0, 99, (15, 15)), rng.integers(0, 99, (15, 15))),
    }[name]()


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, float]:
    start = time.perf_counter()
    result = runner.invoke(app, [str(a) for a in args], env=env)
    return result.exit_code, result.output, time.perf_counter() - start


COSTLY = [
    "distinct",
    "ties",
    "constant",
    "coordination",
    "zero_sum",
    "three_players",
    "ten_players",
    "fifteen",
]


@pytest.mark.parametrize("name", COSTLY)
def test_the_costliest_games_within_the_limits_run_in_time(name: str, tmp_path: Path) -> None:
    payoffs = costly(name)
    shape = payoffs.shape[:-1]
    assert max(shape) <= MAX_ANALYSED_MOVES and np.prod(shape) <= MAX_ANALYSED_PROFILES
    path = write(tmp_path, name, payoffs)
    out = tmp_path / "out"
    args = ("run", path, "--out", out, "-q", "--no-figures", "--time-limit", "0.5")
    code, output, seconds = invoke(*args)
    assert code == 0, output
    assert "Traceback" not in output
    assert seconds < SECONDS, f"{name}: {seconds:.2f} s"
    data = json.loads((out / "results.json").read_text())
    assert data["equilibria"]  # every finite game has one; the fallback lists some
    if name == "constant":  # every profile is an equilibrium; 50 are explained
        assert len(data["equilibria"]) == 1024
        assert data["explanation"]["unexplained_equilibria"] == 1024 - 50


@pytest.mark.parametrize(
    ("shape", "what"),
    [
        pytest.param((MAX_ANALYSED_MOVES + 1, 2), "33 and 66", id="moves"),
        pytest.param((11, 11, 11), "11 and 1,331", id="profiles"),
    ],
)
@pytest.mark.parametrize("command", ["run", "report", "compare"])
def test_a_game_past_the_limits_is_refused_at_once(
    shape: tuple[int, ...], what: str, command: str, tmp_path: Path
) -> None:
    payoffs = np.random.default_rng(3).integers(0, 5, (*shape, len(shape)))
    path = write(tmp_path, "big", payoffs)
    out = tmp_path / "out"
    args = [command, path, *([path] if command == "compare" else []), "--out", out]
    code, output, seconds = invoke(*args)
    assert code == 2 and "Traceback" not in output
    line = output.strip().splitlines()[-1]
    assert line.startswith(f"{path}:1:1: this {'×'.join(map(str, shape))} game is larger than")
    assert f"it has {what})" in line and f"`sim solve {path}`" in line
    assert "SIM_MAX_ANALYSED_MOVES and SIM_MAX_ANALYSED_PROFILES" in line
    assert not out.exists() and seconds < SECONDS


def test_the_limits_can_be_raised(tmp_path: Path) -> None:
    path = write(tmp_path, "wide", np.random.default_rng(4).integers(0, 5, (2, 40, 2)))
    out = tmp_path / "out"
    args = ("run", path, "--out", out, "-q", "--no-figures")
    assert invoke(*args)[0] == 2
    code, output, _ = invoke(*args, env={"SIM_MAX_ANALYSED_MOVES": "40"})
    assert code == 0, output
    assert (out / "results.json").exists()


@pytest.mark.parametrize(
    "args", [pytest.param(["sweep", "--param", "x=0:1"], id="sweep"), pytest.param(["montecarlo"])]
)
def test_sweeps_and_monte_carlo_refuse_a_game_too_large_to_enumerate(
    args: list[str], tmp_path: Path
) -> None:
    # They need every extreme equilibrium at each point: 16×16 is past exact enumeration.
    path = write(tmp_path, "big", np.random.default_rng(2).integers(0, 5, (16, 16, 2)))
    out = tmp_path / "out"
    code, output, _ = invoke(args[0], path, *args[1:], "--out", out)
    assert code == 2 and "Traceback" not in output
    assert f"{path}:1:1: `sim {args[0]}` needs every extreme equilibrium" in output
    assert "past 225 pure profiles (this game has 256)" in output
    assert "SIM_MAX_ENUMERATION_PROFILES" in output and not out.exists()


def test_batches_and_sweeps_enumerate_every_game_whatever_its_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sim.solvers
    from sim.analysis.sweep import sweep
    from sim.scenario import load
    from sim.solvers import solve, solve_batch

    coordination = np.stack([np.eye(4, dtype=int)] * 2, axis=-1)  # 15 equilibria; LH finds 4
    games = np.concatenate([np.random.default_rng(6).integers(0, 4, (5, 4, 4, 2)), [coordination]])
    complete = [solve(Game.from_payoffs(g.astype(object))) for g in games]
    monkeypatch.setattr(sim.solvers, "MAX_ENUMERATION_PROFILES", 4)  # "auto" would fall back
    batch = solve_batch(games)
    assert batch.complete == "extreme"
    assert batch.counts.tolist() == [len(s.equilibria) for s in complete]
    tariffs = load(Path(__file__).resolve().parent.parent / "scenarios" / "london_tariffs.yaml")
    assert solve(tariffs.game).method == "lemke-howson"  # the cut applies to "auto" (9 > 4)
    for point in sweep(tariffs, [("v_us", 2, 8, 3)]).points:
        game = tariffs.with_parameters(v_us=point.values[0]).game
        assert point.equilibria == solve(game, "vertex-enumeration").equilibria
