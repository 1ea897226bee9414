"""Figures to PNG bytes, drawn in worker processes that start while the analyses run.

Drawing the figures is most of a ``sim run``: importing matplotlib, laying out and
rasterising every figure, compressing the PNGs. A :class:`FigurePool` takes that off the
critical path, in two ways:

1. **Start early.** Entering the pool forks one worker that imports matplotlib and the
   figure modules (and draws a tiny figure, to load the fonts and the PNG encoder) while
   the calling process loads the scenario and runs the analyses.
2. **Draw in parallel.** :meth:`FigurePool.render` sends the drawing calls
   (:class:`FigureJob`, pickled once) to that worker, which forks its siblings from its
   warm state; each takes the next job, most expensive first, and sends back the PNG bytes.

Conventions, stated once:

* **Same bytes as drawing in-process.** A job is a call of a module-level figure function
  on pickled inputs; a forked worker has the same matplotlib settings, fonts and hash
  seed as its parent, and PNGs carry no time stamp or software version
  (:func:`png_bytes`), so a figure's bytes do not depend on where, when or in which order
  it was drawn. Results come back in job order, whatever order they finish in.
* **Errors as if in-process.** A job that raises does not stop the others; when all are
  done, the error of the first failed job (in job order) is raised in the caller, with
  its type and message. A worker that dies leaves its jobs to the caller, which draws
  them itself.
* **No orphans.** Workers ignore Ctrl-C: the caller handles it and, leaving the pool,
  stops its worker (SIGTERM), which kills and waits for its siblings before it exits. Each
  worker is also signalled when its parent dies (Linux ``PR_SET_PDEATHSIG``), and a worker
  whose caller closed the job pipe leaves. Without ``fork`` and ``prctl`` (not Linux), with
  other threads running, or with ``processes=0``, the pool draws in the calling process.

>>> from sim.game import Game
>>> from sim.solvers import solve
>>> from sim.plot.figures import bimatrix_figure
>>> game = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> job = FigureJob(bimatrix_figure, (game, solve(game)), stem="bimatrix")
>>> with FigurePool(processes=0) as pool:
...     [(stem, png[:4]) for stem, png in pool.render([job])[0]]
[('bimatrix', b'\\x89PNG')]
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import os
import pickle
import signal
import sys
import threading
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "COMPRESS_LEVEL",
    "DPI",
    "MAX_PROCESSES",
    "FigureJob",
    "FigurePool",
    "Rendered",
    "png_bytes",
]

DPI = 150
"""Resolution of the PNG figures (dots per inch)."""

COMPRESS_LEVEL = 3
"""zlib level of the PNGs: as small as the default level 6 on these figures, a third faster."""

WARM_MODULES = ("sim.plot.figures", "sim.plot.bargaining", "sim.plot.dynamics", "sim.plot.qre")
"""The figure modules most ``sim run`` s draw with, imported by the worker before the jobs
arrive (a job imports any other module it needs when it is unpickled)."""

MAX_PROCESSES = 8
"""Most processes a pool draws with, whatever it is asked for."""

Rendered = list[tuple[str, bytes]]
"""What a job gives: (file stem, PNG bytes) per figure, in the order drawn."""


def png_bytes(figure: Figure) -> bytes:
    """``figure`` as PNG bytes at :data:`DPI`, identical for identical figures.

    The PNG has no ``Software`` entry (the matplotlib version) and no time stamp.
    """
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        metadata={"Software": None},
        pil_kwargs={"compress_level": COMPRESS_LEVEL},
    )
    return buffer.getvalue()


@dataclass(frozen=True)
class FigureJob:
    """One drawing call: ``draw(*args, **kwargs)`` returns a figure (saved as ``stem``) or
    a mapping of file stems to figures (``stem`` is then unused). ``draw`` must be a
    module-level function, so that the job can be pickled to a worker process; ``cost``
    is a rough relative drawing time: costly jobs are started first."""

    draw: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    stem: str = ""
    cost: float = 1.0

    def render(self) -> Rendered:
        """Draw the job in this process: (stem, PNG bytes) per figure."""
        drawn = self.draw(*self.args, **self.kwargs)
        figures = list(drawn.items()) if isinstance(drawn, Mapping) else [(self.stem, drawn)]
        return [(stem, png_bytes(figure)) for stem, figure in figures]


# ----------------------------------------------------------------------------- the pool
def _mappingproxy(items: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    return types.MappingProxyType(items)


def _reduce_mappingproxy(proxy: types.MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _mappingproxy, (dict(proxy),)


_DISPATCH: dict[type, Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    types.MappingProxyType: _reduce_mappingproxy,  # the read-only maps of frozen results
}


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def _write_frame(fd: int, payload: bytes) -> None:
    data = memoryview(len(payload).to_bytes(8, "big") + payload)
    while data:
        data = data[os.write(fd, data) :]


def _enlarge_pipe(fd: int, size: int) -> None:
    """Make the pipe ``fd`` hold ``size`` bytes if Linux allows it (at most 1 MiB)."""
    import fcntl

    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is not None:
        with contextlib.suppress(OSError):  # beyond the system's limit: the pipe stays small
            fcntl.fcntl(fd, setter, min(max(size, 1 << 16), 1 << 20))


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``, or None at end of file."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _die_with_parent(parent: int, signum: int) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies (Linux
    ``PR_SET_PDEATHSIG``); False if it cannot."""
    try:
        import ctypes

        if ctypes.CDLL(None, use_errno=True).prctl(1, signum, 0, 0, 0) != 0:
            return False  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)
    return True


def _remote_error(name: str, message: str) -> Exception:
    """An exception named like the worker's, with its message (when it does not pickle)."""
    return type(name, (Exception,), {"__module__": __name__})(message)


def _error_message(err: BaseException) -> tuple[Any, ...]:
    try:
        payload = _dumps(err)
        pickle.loads(payload)
    except Exception:
        payload = None
    return ("error", payload, type(err).__name__, str(err))


class FigurePool:
    """Worker processes that draw :class:`FigureJob` s; a context manager.

    ``processes`` is how many processes draw at most (0: the calling process draws, no
    worker is started; at most :data:`MAX_PROCESSES`); ``warm`` names the modules a worker
    imports before the jobs come. See the module docstring for what is guaranteed.
    """

    def __init__(self, processes: int = 2, warm: Sequence[str] = WARM_MODULES) -> None:
        self.processes = processes
        self.warm = tuple(warm)
        self._pid = 0  # the first worker, a child of this process
        self._jobs_fd = -1  # write end: the pickled jobs
        self._result_fds: list[int] = []  # read ends, one per worker
        self._started = False
        self._jobs: list[FigureJob] | None = None
        self._submitted = False  # the worker has the jobs; results to collect
        self._unsent = memoryview(b"")  # the end of the jobs' frame, not yet written

    # ------------------------------------------------------------------ calling process
    def __enter__(self) -> FigurePool:
        return self.start()

    def start(self) -> FigurePool:
        """Start the worker (on entering, if not yet started); it warms up, then waits."""
        if not self._started:
            self._started = True
            if self.processes >= 1 and _can_fork():
                self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        fds: list[int] = []
        try:
            jobs_r, jobs_w = os.pipe()
            fds += (jobs_r, jobs_w)
            pipes = []
            for _ in range(min(self.processes, MAX_PROCESSES)):
                pipes.append(os.pipe())
                fds += pipes[-1]
            for _, w in pipes:  # a worker need not wait for this process to read each figure
                _enlarge_pipe(w, 1 << 20)
            parent = os.getpid()
            with warnings.catch_warnings():
                # Python 3.12+ warns about fork with threads; numpy's BLAS threads are idle
                # and fork-safe, and the child runs no code of the other threads.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:  # out of file descriptors or processes: draw in this process
            for fd in fds:
                os.close(fd)
            return
        if pid == 0:  # the first worker: never returns
            code = 1
            try:
                os.close(jobs_w)
                for r, _ in pipes:
                    os.close(r)
                code = _worker_main(parent, jobs_r, [w for _, w in pipes], self.warm)
            finally:
                os._exit(code)
        os.close(jobs_r)
        for _, w in pipes:
            os.close(w)
        self._pid, self._jobs_fd = pid, jobs_w
        self._result_fds = [r for r, _ in pipes]

    def submit(self, jobs: Sequence[FigureJob]) -> None:
        """Start drawing ``jobs`` (once per pool); :meth:`results` gives what they drew.

        With no worker, or inputs that do not pickle, nothing starts: :meth:`results` draws
        them in this process.
        """
        if self._jobs is not None:
            raise RuntimeError("a FigurePool draws one list of jobs; start another pool")
        self._jobs = list(jobs)
        if not self._pid:
            return
        if not self._jobs:
            self.close()  # no figure to draw: the worker is not needed
            return
        try:
            payload = _dumps(self._jobs)
        except Exception:
            self.close()  # an input that does not pickle: draw here instead
            return
        # Write what the pipe takes now (enlarged to hold it, where Linux allows) and the
        # rest in results(): this process goes on while the worker is still warming up.
        frame = len(payload).to_bytes(8, "big") + payload
        self._unsent = memoryview(frame)
        try:
            _enlarge_pipe(self._jobs_fd, len(frame))
            os.set_blocking(self._jobs_fd, False)
            self._unsent = self._unsent[os.write(self._jobs_fd, frame) :]
        except BlockingIOError:
            pass
        except OSError:
            self.close()  # the worker is gone: draw here instead
            return
        self._submitted = True

    def results(self) -> list[Rendered]:
        """Every submitted job's figures as (stem, PNG bytes), in job order.

        Waits for the workers; draws here whatever they did not (no worker, or one died).
        Raises the first failed job's error (in job order) after all jobs have run.
        """
        jobs = self._jobs or []
        results: dict[int, Any] = {}
        if self._submitted:
            self._submitted = False
            try:
                os.set_blocking(self._jobs_fd, True)
                while self._unsent:
                    self._unsent = self._unsent[os.write(self._jobs_fd, self._unsent) :]
            except OSError:
                self.close()  # the worker is gone: draw here instead
            else:
                results = self._collect()
                self.close(kill=False)
        for k, job in enumerate(jobs):
            if k not in results:
                try:
                    results[k] = ("done", job.render())
                except Exception as err:
                    results[k] = ("raised", err)
        out: list[Rendered] = []
        for k in range(len(jobs)):
            kind, *rest = results[k]
            if kind == "done":
                out.append(rest[0])
            elif kind == "raised":
                raise rest[0]
            else:
                payload, name, message = rest
                raise (pickle.loads(payload) if payload else _remote_error(name, message))
        return out

    def render(self, jobs: Sequence[FigureJob]) -> list[Rendered]:
        """:meth:`submit` then :meth:`results`."""
        self.submit(jobs)
        return self.results()

    def _collect(self) -> dict[int, Any]:
        """Read the workers' results until every worker has closed its pipe."""
        import selectors

        results: dict[int, Any] = {}
        with selectors.DefaultSelector() as selector:
            for fd in self._result_fds:
                selector.register(fd, selectors.EVENT_READ)
            open_fds = len(self._result_fds)
            while open_fds:
                for key, _ in selector.select():
                    fd = key.fd
                    header = _read_exactly(fd, 8)
                    body = _read_exactly(fd, int.from_bytes(header, "big")) if header else None
                    if body is None:  # end of file: that worker is done (or died)
                        selector.unregister(fd)
                        open_fds -= 1
                        continue
                    index, message = pickle.loads(body)
                    results[index] = message
        return results

    def close(self, *, kill: bool = True) -> None:
        """Stop the worker (``kill``; its siblings die with it) and wait for it; idempotent.

        ``kill=False`` only waits: for a worker that has sent all its results and is leaving.
        """
        if self._jobs_fd >= 0:
            os.close(self._jobs_fd)
            self._jobs_fd = -1
        for fd in self._result_fds:
            os.close(fd)
        self._result_fds = []
        if self._pid:
            pid, self._pid = self._pid, 0
            if kill:
                _stop(pid)
            else:
                os.waitpid(pid, 0)


def _stop(pid: int, grace: float = 2.0) -> None:
    """Stop our child worker ``pid`` and wait for it: SIGTERM (it then stops and waits for
    its siblings, so that none is left unreaped), SIGKILL if it is still there after
    ``grace`` seconds. Until waited for, ``pid`` cannot name another process."""
    import time

    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _can_fork() -> bool:
    return (
        sys.platform == "linux"
        and hasattr(os, "fork")
        and threading.active_count() == 1  # forking with Python threads running can deadlock
    )


# ------------------------------------------------------------------------------ workers
def _worker_main(parent: int, jobs_fd: int, result_fds: list[int], warm: Sequence[str]) -> int:
    """The first worker: warm up, wait for the jobs, fork the siblings, draw, exit code.

    On SIGTERM (from the caller, or the kernel when the caller dies) it kills and waits for
    its siblings, then leaves; a sibling dies with it.
    """
    me = os.getpid()
    siblings: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        if os.getpid() == me:
            for pid in siblings:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except OSError:
                    pass
        os._exit(1)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the calling process's to handle
    signal.signal(signal.SIGTERM, stop)
    can_die = _die_with_parent(parent, signal.SIGTERM)
    _warm_up(warm)
    header = _read_exactly(jobs_fd, 8)
    payload = _read_exactly(jobs_fd, int.from_bytes(header, "big")) if header else None
    os.close(jobs_fd)
    if payload is None:  # the caller needs no figures after all
        return 0
    jobs: list[FigureJob] = pickle.loads(payload)
    order = sorted(range(len(jobs)), key=lambda k: -jobs[k].cost)
    tickets_r, tickets_w = os.pipe()  # a few bytes per job: far below the pipe's capacity
    os.write(tickets_w, b"".join(k.to_bytes(4, "big") for k in order))
    os.close(tickets_w)
    count = min(len(result_fds), len(jobs)) if can_die else 1
    for fd in result_fds[1:count]:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # until pid is listed
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
                _die_with_parent(me, signal.SIGKILL)
                for other in result_fds:
                    if other != fd:
                        os.close(other)
                code = _draw(jobs, tickets_r, fd)
            finally:
                os._exit(code)
        siblings.append(pid)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    for fd in result_fds[1:]:
        os.close(fd)
    code = _draw(jobs, tickets_r, result_fds[0])
    for pid in siblings:
        os.waitpid(pid, 0)
    return code


def _warm_up(modules: Sequence[str]) -> None:
    """Import matplotlib and ``modules``; draw a tiny figure (fonts, Agg, PNG encoder)."""
    from importlib import import_module

    from matplotlib.figure import Figure

    for name in modules:
        import_module(name)
    figure = Figure(figsize=(1, 1))
    figure.text(0.5, 0.5, "0.5")
    png_bytes(figure)


def _draw(jobs: Sequence[FigureJob], tickets_fd: int, result_fd: int) -> int:
    """Take job numbers (4 bytes each; a pipe read that small is atomic) until none is
    left; send ``(number, result)`` frames; close the result pipe."""
    while True:
        ticket = os.read(tickets_fd, 4)
        if not ticket:
            break
        index = int.from_bytes(ticket, "big")
        try:
            message: tuple[Any, ...] = ("done", jobs[index].render())
        except Exception as err:
            message = _error_message(err)
        try:
            _write_frame(result_fd, _dumps((index, message)))
        except OSError:  # the caller is gone
            return 1
    os.close(result_fd)
    return 0
