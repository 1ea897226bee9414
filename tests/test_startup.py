"""Start-up: what ``import sim``, ``sim solve`` and ``sim run`` load, and the figure workers.

Speed itself is measured by hand (see the report of issue #6), not asserted here; these tests
check what makes it fast and what must not change: ``import sim`` and ``sim solve`` never
import matplotlib, scipy, dask or mpltern; ``sim run`` writes every output, byte for byte
the same whether its figures are drawn by worker processes or in the process itself; the
workers (:class:`sim.plot.render.FigurePool`) return results in job order, report a failed
job's error as if it had run in-process, survive a dead worker or inputs that do not pickle,
and leave no process behind, Ctrl-C included.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.plot.render import FigureJob, FigurePool

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT / "scenarios" / "london_talks.yaml"
HEAVY = ("matplotlib", "scipy", "dask", "distributed", "mpltern")
RUN_OUTPUTS = [
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
LINUX = pytest.mark.skipif(sys.platform != "linux", reason="figure workers are Linux-only")
runner = CliRunner()


def loaded_after(code: str) -> list[str]:
    """The top-level packages in ``sys.modules`` after running ``code`` in a fresh Python."""
    script = (
        "import json, sys\n"
        f"{code}\n"
        "print(json.dumps(sorted({m.partition('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.splitlines()[-1]))


def cli(*args: str) -> str:
    """Code that runs ``sim ARGS`` in-process, its output sent to nowhere."""
    return (
        "import contextlib, io\n"
        "from sim.cli import main\n"
        f"sys.argv = ['sim', *{list(args)!r}]\n"
        "quiet = contextlib.redirect_stdout(io.StringIO())\n"
        "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, done.code\n"
    )


def children() -> list[int]:
    """Our child processes, zombies included (Linux)."""
    return [pid for pid, _ in processes(lambda fields: int(fields[1]) == os.getpid())]


def processes(keep: Any) -> list[tuple[int, str]]:
    """(pid, state) of the processes whose /proc stat fields after the name pass ``keep``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()  # state, ppid, pgrp, ...
            if keep(fields):
                found.append((int(entry), fields[0]))
    return found


@pytest.fixture
def no_children_left() -> Iterator[None]:
    before = set(children())
    yield
    assert set(children()) <= before, "a figure worker was left behind"


# ------------------------------------------------------------------------ what is loaded
@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import sim", id="import-sim"),
        pytest.param("import sim.plot", id="import-sim-plot"),
        pytest.param("import sim.plot.render", id="import-render"),
        pytest.param(cli("solve", str(LONDON)), id="sim-solve"),
        pytest.param(cli("solve", "--json", str(LONDON)), id="sim-solve-json"),
    ],
)
def test_no_heavy_imports(code: str) -> None:
    loaded = loaded_after(code)
    assert not set(HEAVY) & set(loaded), sorted(set(HEAVY) & set(loaded))


def test_sim_plot_imports_its_modules_on_first_use() -> None:
    script = (
        "import sys, sim.plot\n"
        "assert [m for m in sys.modules if m.startswith('sim.plot.')] == [], 'eager'\n"
        "sim.plot.qre_figure\n"
        "assert 'sim.plot.qre' in sys.modules and 'sim.plot.montecarlo' not in sys.modules\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_unknown_sim_plot_name_is_an_attribute_error() -> None:
    import sim.plot

    with pytest.raises(AttributeError, match="no attribute 'nothing_figure'"):
        sim.plot.nothing_figure  # noqa: B018


def test_run_without_figures_imports_no_matplotlib(tmp_path: Path) -> None:
    loaded = loaded_after(cli("run", str(LONDON), "--out", str(tmp_path), "--no-figures", "-q"))
    assert "matplotlib" not in loaded
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.html",
        "report.md",
        "results.json",
    ]


# ----------------------------------------------------------------------------- sim run
@LINUX
def test_run_writes_the_same_bytes_with_and_without_workers(
    tmp_path: Path, no_children_left: None
) -> None:
    # The console script's way (workers started by main() before parsing; this process
    # then never imports matplotlib) ...
    script = (
        "import json, sys\n"
        "from sim.cli import main\n"
        f"sys.argv = ['sim', 'run', {str(LONDON)!r}, '--out', {str(tmp_path / 'w')!r}, '-q']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(json.dumps(sorted({m.partition('.')[0] for m in sys.modules})))\n"
    )
    workers = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SIM_FIGURE_PROCESSES": "2"},
        check=False,
    )
    assert workers.returncode == 0, workers.stderr
    loaded = set(json.loads(workers.stdout.splitlines()[-1]))
    assert not loaded & {*HEAVY, "PIL"}, "the main process drew a figure itself"
    # ... and every figure drawn in this process.
    alone = runner.invoke(
        app,
        ["run", str(LONDON), "--out", str(tmp_path / "a"), "-q"],
        env={"SIM_FIGURE_PROCESSES": "0"},
    )
    assert alone.exit_code == 0, alone.output
    assert workers.stderr == alone.stderr.replace(str(tmp_path / "a"), str(tmp_path / "w"))
    for folder in ("w", "a"):
        assert sorted(p.name for p in (tmp_path / folder).iterdir()) == RUN_OUTPUTS
    for name in RUN_OUTPUTS:
        assert (tmp_path / "w" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name
    figures = json.loads((tmp_path / "w" / "results.json").read_text())["figures"]
    assert figures == [  # the report's order, not the order the workers finished in
        "bimatrix.png",
        "payoff_space.png",
        "best_response.png",
        "bargaining.png",
        "qre.png",
        "phase_portrait.png",
    ]


@LINUX
def test_run_through_the_cli_runner_writes_everything_and_leaves_no_worker(
    tmp_path: Path, no_children_left: None
) -> None:
    result = runner.invoke(app, ["run", str(LONDON), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == RUN_OUTPUTS


def test_bad_worker_count_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(LONDON), "--out", str(tmp_path)], env={"SIM_FIGURE_PROCESSES": "two"}
    )
    assert result.exit_code == 2
    assert "SIM_FIGURE_PROCESSES must be a whole number" in result.output
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


@LINUX
def test_a_bad_scenario_stops_the_worker_at_once(tmp_path: Path, no_children_left: None) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@LINUX
@pytest.mark.parametrize(
    "group_size", [2, 3], ids=["while-the-worker-warms-up", "while-two-workers-draw"]
)
def test_ctrl_c_leaves_no_process_behind(tmp_path: Path, group_size: int) -> None:
    run = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "run", str(LONDON), "--out", str(tmp_path), "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "SIM_FIGURE_PROCESSES": "2"},
        start_new_session=True,  # its own process group, as at a terminal
    )

    def group() -> list[tuple[int, str]]:
        return processes(lambda fields: int(fields[2]) == run.pid)

    deadline = time.monotonic() + 60
    while len(group()) < group_size and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, err = run.communicate(timeout=60)
    if run.returncode == 130:  # stopped by the command line itself: no traceback
        assert b"Traceback" not in err
    deadline = time.monotonic() + 5
    while group() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group(), group()


# ------------------------------------------------------------------------- the pool
def tiny_figure(text: str) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1.2, 0.6))
    figure.text(0.1, 0.4, text)
    return figure


def two_figures(first: str, second: str) -> dict[str, Any]:
    return {"first": tiny_figure(first), "second": tiny_figure(second)}


def failing_figure(message: str) -> Any:
    raise ValueError(message)


class Unpicklable(Exception):
    def __init__(self, message: str, extra: int) -> None:  # pickle cannot rebuild it
        super().__init__(message)
        self.extra = extra


def unpicklable_failure(message: str) -> Any:
    raise Unpicklable(message, 1)


def fatal_in_worker(parent: int, text: str) -> Any:
    if os.getpid() != parent:
        os._exit(3)  # a worker dies (as if killed): the caller must draw this itself
    return tiny_figure(text)


JOBS = [
    FigureJob(tiny_figure, ("a",), stem="a", cost=1),
    FigureJob(two_figures, ("b", "c"), cost=3),
    FigureJob(tiny_figure, (), {"text": "d"}, stem="d", cost=2),
]


def drawn(processes: int, jobs: list[FigureJob]) -> list[list[tuple[str, bytes]]]:
    with FigurePool(processes, warm=()) as pool:
        return pool.render(jobs)


@LINUX
@pytest.mark.parametrize("processes", [1, 2, 3])
def test_pool_gives_job_order_and_in_process_bytes(processes: int, no_children_left: None) -> None:
    expected = drawn(0, JOBS)
    assert [[stem for stem, _ in result] for result in expected] == [
        ["a"],
        ["first", "second"],
        ["d"],
    ]
    assert drawn(processes, JOBS) == expected


@LINUX
@pytest.mark.parametrize("processes", [0, 2])
def test_pool_raises_the_first_failed_job_in_job_order(
    processes: int, no_children_left: None
) -> None:
    jobs = [
        JOBS[0],
        FigureJob(failing_figure, ("second job",), cost=1),
        FigureJob(failing_figure, ("third job",), cost=9),  # started first
    ]
    with pytest.raises(ValueError, match=r"^second job$"):
        drawn(processes, jobs)


@LINUX
def test_pool_reports_an_unpicklable_error_by_name_and_message(no_children_left: None) -> None:
    with pytest.raises(Exception, match=r"^cannot draw$") as raised:
        drawn(2, [FigureJob(unpicklable_failure, ("cannot draw",))])
    assert type(raised.value).__name__ == "Unpicklable"


@LINUX
def test_pool_draws_in_process_what_a_dead_worker_left(no_children_left: None) -> None:
    jobs = [*JOBS, FigureJob(fatal_in_worker, (os.getpid(), "e"), stem="e", cost=5)]
    assert drawn(2, jobs) == drawn(0, jobs)


@LINUX
def test_pool_draws_in_process_inputs_that_do_not_pickle(no_children_left: None) -> None:
    local = FigureJob(tiny_figure, (), {"text": "f"}, stem="f")
    jobs = [FigureJob(lambda: tiny_figure("g"), stem="g"), local]  # a lambda does not pickle
    assert drawn(2, jobs) == drawn(0, [FigureJob(tiny_figure, ("g",), stem="g"), local])


@LINUX
def test_pool_without_jobs_stops_its_worker(no_children_left: None) -> None:
    with FigurePool(2, warm=()) as pool:
        assert children()  # the worker started on entry
        assert pool.render([]) == []
    with FigurePool(2, warm=()):
        pass  # left before submitting (an error while loading the scenario)


def test_pool_takes_one_list_of_jobs() -> None:
    with FigurePool(0) as pool:
        pool.submit([])
        with pytest.raises(RuntimeError, match="one list of jobs"):
            pool.submit([])
