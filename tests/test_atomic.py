"""Atomic outputs: a failed or interrupted command leaves the previous complete files.

:func:`sim.cli.write_files` writes every file to ``.<name>.<random>.tmp`` and renames them
into place only when all are complete (with Ctrl-C held back meanwhile, and the previous
files put back if a rename fails). Here: failures injected at each step (``OSError`` and
``KeyboardInterrupt``), every command that writes files going through it, and real
SIGINT / SIGKILL sent to ``sim run`` at several moments, including while it writes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sim.cli import _signals_held, app, write_files
from sim.errors import SimError

ROOT = Path(__file__).resolve().parent.parent
LONDON = ROOT / "scenarios" / "london_talks.yaml"
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals, fork")
runner = CliRunner()

OLD = {"a.json": "old a\n", "b.csv": "old b\n", "c.png": b"old c", "d.md": "old d\n"}
NEW = {"a.json": "new a\n", "b.csv": "new b\n", "c.png": b"new c" * 1000, "d.md": "new d\n"}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry in ``folder`` (hidden ones too) and its bytes (None for a folder)."""
    if not folder.exists():
        return {}
    return {p.name: None if p.is_dir() else p.read_bytes() for p in sorted(folder.iterdir())}


def failing_on(nth: int, error: BaseException, real: Callable[..., Any], inside: Path) -> Any:
    """A stand-in for ``real`` that raises ``error`` on its ``nth`` call about ``inside``."""
    calls = []

    def fake(*args: Any) -> Any:
        if any(str(inside) in str(a) for a in args if isinstance(a, str | Path)):
            calls.append(args)
            if len(calls) == nth:
                raise error
        return real(*args)

    return fake


def failing_fsync(nth: int, error: BaseException) -> Any:
    """``os.fsync`` raising ``error`` on its ``nth`` call (the ``nth`` file's write)."""
    calls = []
    real = os.fsync

    def fake(fd: int) -> None:
        calls.append(fd)
        if len(calls) == nth:
            raise error
        real(fd)

    return fake


ERRORS = [
    pytest.param(OSError(28, "No space left on device"), SimError, id="disk-full"),
    pytest.param(KeyboardInterrupt(), KeyboardInterrupt, id="ctrl-c"),
]


# ------------------------------------------------------------ failures injected in-process
@pytest.mark.parametrize(("error", "raised"), ERRORS)
@pytest.mark.parametrize("step", ["writing", "renaming"])
def test_a_failure_leaves_the_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, raised: type, step: str
) -> None:
    folder = tmp_path / "out"
    write_files(folder, OLD)
    before = snapshot(folder)
    if step == "writing":
        monkeypatch.setattr(os, "fsync", failing_fsync(3, error))
    else:
        monkeypatch.setattr(os, "replace", failing_on(3, error, os.replace, folder))
    with pytest.raises(raised):
        write_files(folder, {**NEW, "e.txt": "a file that was not there\n"})
    assert snapshot(folder) == before


@pytest.mark.parametrize(("error", "raised"), ERRORS)
@pytest.mark.parametrize("step", ["writing", "renaming"])
def test_a_failure_in_a_fresh_folder_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, raised: type, step: str
) -> None:
    folder = tmp_path / "new" / "out"
    if step == "writing":
        monkeypatch.setattr(os, "fsync", failing_fsync(3, error))
    else:
        monkeypatch.setattr(os, "replace", failing_on(3, error, os.replace, folder))
    with pytest.raises(raised):
        write_files(folder, NEW)
    assert snapshot(tmp_path) == {}  # not even the folders it created


def test_without_failure_the_new_files_replace_the_old(tmp_path: Path) -> None:
    write_files(tmp_path, OLD)
    write_files(tmp_path, NEW)
    expected = {k: v.encode() if isinstance(v, str) else v for k, v in NEW.items()}
    assert snapshot(tmp_path) == expected  # and no temporary or backup file left


def test_a_folder_in_the_way_is_an_error_that_writes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, OLD)
    (tmp_path / "z.md").mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(SimError, match=r"z\.md: it is a folder"):
        write_files(tmp_path, {**NEW, "z.md": "x"})
    assert snapshot(tmp_path) == before


@LINUX
def test_ctrl_c_is_held_back_until_the_renames_are_done() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), _signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)
        reached.append("end of the block")
    assert reached == ["end of the block"]


# Every command that writes several files; its previous output is made with --set g_cn=3.
COMMANDS = {
    "run": ["run", LONDON, "-q", "--no-figures"],
    "report": ["report", LONDON],
    "sweep": ["sweep", LONDON, "-p", "g_us=0:4:5", "-q", "--no-figures"],
    "montecarlo": ["montecarlo", LONDON, "-n", "2000", "--seed", "1", "-q", "--no-figures"],
    "compare": ["compare", LONDON, LONDON, "--set", "2:g_cn=4", "--json"],
}
PREVIOUS = {"montecarlo": ["--seed", "2"]}  # (fixing g_cn makes its draws slow to solve)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_writes_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    args = [str(a) for a in COMMANDS[command]]
    folder = tmp_path / "out"
    if command == "report":  # (it always draws its figures: 2 s a run)
        folder.mkdir()
        for name in ("london_talks.md", "london_talks.html"):
            (folder / name).write_text(f"previous {name}\n")
    else:
        previous = PREVIOUS.get(command, ["--set", "g_cn=3"])
        first = runner.invoke(app, [*args, "--out", str(folder), *previous])
        assert first.exit_code == 0, first.output
    before = snapshot(folder)
    assert len(before) >= 2
    monkeypatch.setattr(os, "replace", failing_on(2, OSError(5, "I/O error"), os.replace, folder))
    failed = runner.invoke(app, [*args, "--out", str(folder)])
    assert failed.exit_code == 2, failed.output
    assert "cannot write to" in failed.stderr and "Traceback" not in failed.output
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["schema", "--out", "{folder}/schema.json"], id="schema"),
        pytest.param(["new", "talks", "--dir", "{folder}", "--force"], id="new"),
    ],
)
def test_single_file_writers_are_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [a.format(folder=folder) for a in args]
    target = folder / ("schema.json" if args[0] == "schema" else "talks.yaml")
    target.write_text("previous\n")
    monkeypatch.setattr(os, "replace", failing_on(1, OSError(5, "I/O error"), os.replace, folder))
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert snapshot(folder) == {target.name: b"previous\n"}


# ------------------------------------------------------------------ real interruptions
TEMPORARY = re.compile(r"^\.(?P<name>[^/]+)\.[A-Za-z0-9_]+\.tmp$")
"""What :func:`write_files` leaves behind if killed: ``.<final name>.<random>.tmp``."""


def sim_run(folder: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "run", str(LONDON), "--out", str(folder), "-q", *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as at a terminal
    )


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict, dict]]:
    """The previous output (another parameter value) and the new one, uninterrupted."""
    base = tmp_path_factory.mktemp("references")
    runs = [sim_run(base / "old", "--set", "g_us=3"), sim_run(base / "new")]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    old, new = snapshot(base / "old"), snapshot(base / "new")
    assert set(old) == set(new) and all(old[k] != new[k] for k in ("results.json", "report.md"))
    yield old, new


def interrupted_run(folder: Path, how: signal.Signals, moment: float | str) -> tuple[int, bytes]:
    """Start ``sim run`` into ``folder`` and send ``how`` to it after ``moment`` seconds;
    ``"writing"``: as soon as its first temporary file appears; ``"renaming"``: as soon as
    its first file (results.json) has been renamed into place."""
    first = (folder / "results.json").stat().st_ino
    run = sim_run(folder)
    start = time.monotonic()
    while run.poll() is None and time.monotonic() - start < 60:
        if moment == "writing":
            if any(name.endswith(".tmp") for name in os.listdir(folder)):
                break
        elif moment == "renaming":
            if (folder / "results.json").stat().st_ino != first:
                break
        elif time.monotonic() - start >= float(moment):
            break
        time.sleep(0.002)
    with contextlib.suppress(ProcessLookupError):  # (already finished)
        os.killpg(run.pid, how)  # Ctrl-C signals the whole foreground group
    _, err = run.communicate(timeout=60)
    if how == signal.SIGKILL:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)  # any worker the kill left behind
    return run.returncode, err


@LINUX
@pytest.mark.parametrize(
    ("how", "moment"),
    [
        pytest.param(signal.SIGINT, 0.3, id="SIGINT-at-0.3s"),
        pytest.param(signal.SIGINT, "writing", id="SIGINT-while-writing"),
        pytest.param(signal.SIGINT, "renaming", id="SIGINT-while-renaming"),
        pytest.param(signal.SIGKILL, 1.0, id="SIGKILL-at-1s"),
        pytest.param(signal.SIGKILL, "writing", id="SIGKILL-while-writing"),
    ],
)
def test_an_interrupted_run_leaves_old_or_new_complete_files(
    tmp_path: Path, references: tuple[dict, dict], how: signal.Signals, moment: float | str
) -> None:
    old, new = references
    folder = tmp_path / "out"
    folder.mkdir()
    for name, data in old.items():
        (folder / name).write_bytes(data)
    code, err = interrupted_run(folder, how, moment)
    after = snapshot(folder)
    finals = {name: data for name, data in after.items() if name in old}
    leftovers = sorted(set(after) - set(finals))
    assert set(finals) == set(old)  # no file went missing
    for name, data in finals.items():
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
    if how == signal.SIGINT:
        assert leftovers == [], leftovers
        # 130: stopped by the command line; -2: by the signal itself, before Python set
        # its handler (start-up) or re-raised after a KeyboardInterrupt during imports.
        assert code in (0, 1, 130, -signal.SIGINT), err
        if code in (1, 130):  # stopped inside the command: no traceback
            assert b"Traceback" not in err
    else:
        for name in leftovers:
            match = TEMPORARY.match(name)
            assert match is not None and match["name"] in old, name
    if code == 0:
        assert finals == new
    shutil.rmtree(folder)
