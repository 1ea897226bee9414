"""Exact enumeration and Lemke-Howson against nashpy, pygambit and QuantEcon, side by side.

Run from the repository root with the project's environment::

    python benchmarks/equilibria.py              # about 10 minutes
    python benchmarks/equilibria.py --quick      # about a minute: a few games per size
    python benchmarks/equilibria.py --json out/equilibria.json
    python benchmarks/equilibria.py --markdown docs/benchmarks.md   # replace the results there

Part A lists every equilibrium of the same seeded n x n games, n = 2..10, with
:func:`sim.solvers.solve` (exact: every extreme equilibrium), nashpy (support and vertex
enumeration), pygambit (``enummixed_solve``, rational and floating point) and QuantEcon
(``vertex_enumeration``). Part B finds one equilibrium of n x n games, n = 10, 20, 30, 50,
with our Lemke-Howson (the path from label 0), nashpy's ``lemke_howson``, pygambit's
``lcp_solve`` (floating point, stopping at the first equilibrium) and QuantEcon's
``lemke_howson``.

Games come from a fixed seed in two kinds: "normal" (entries N(0, 1): generic) and "ties"
(integer entries in {0, 1, 2}: many degenerate games; every library gets the integers, so
the exact solvers see exact games). The time of a library on a game is the CPU time of this
process (``time.process_time``) to build the library's game object from the two payoff
arrays plus the time to solve it; calls shorter than 5 ms are repeated and averaged. Each
row prints the median over its games and the ratio of that median to ours on the same games
(``> 1``: ours is faster). Slow references run on the first few games only (the ``games``
column says how many) and are skipped where one game would take minutes.

Agreement in Part A: a library agrees on a game when its set of equilibria equals ours (two
equilibria are the same when every probability differs by at most ``1e-6``); otherwise the
row says how many games it missed one of ours on, listed a profile that is not an equilibrium
at all (regret above ``1e-6``) or another extra profile, or raised an error. Our own answers
are checked against pygambit's rational enumeration on every game where that ran. Agreement
in Part B: the returned profile is an equilibrium (on the simplex, regret at most ``1e-6``);
for n <= 10 also whether it is one of the extreme equilibria :func:`sim.solvers.solve` lists.

One core, as in ``throughput.py``: the BLAS/OpenMP pools are limited to one thread before
numpy is imported and the process pins itself to the idlest CPU.
"""

from __future__ import annotations

import os

for _variable in (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ[_variable] = "1"  # before numpy is imported: one core means one thread

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import differences, machine, pin_to_one_cpu, version  # noqa: E402

from sim.game import Game  # noqa: E402
from sim.solvers import solve  # noqa: E402

SEED = 2025
AGREE = 1e-6
"""Two equilibria are the same when every probability differs by at most this; a profile
with regret above it is not an equilibrium."""
KINDS = {
    "normal": "entries N(0, 1): generic, non-degenerate with probability 1",
    "ties": "integer entries in {0, 1, 2}: tie-heavy, many degenerate games",
}
SIZES_A = tuple(range(2, 11))
SIZES_B = (10, 20, 30, 50)
GAMES = {"full": 20, "quick": 3}
"""Games per size and kind, for every library unless :data:`CAPS` says fewer."""
CAPS: dict[str, dict[int, tuple[int, int]]] = {
    # library -> {size: (games in a full run, games with --quick)}; 0 means skipped
    "nashpy-support": {7: (5, 1), 8: (2, 0), 9: (0, 0), 10: (0, 0)},
    "nashpy-vertex": {7: (20, 2), 8: (5, 1), 9: (2, 0), 10: (0, 0)},
    "gambit-rational": {7: (6, 1), 8: (4, 1), 9: (3, 0), 10: (3, 0)},
    # generic games are slower for it: 10-25 s per game at 9x9, 50-70 s at 10x10
    "gambit-rational/normal": {9: (2, 0), 10: (1, 0)},
}
SKIPPED = {
    "nashpy-support": "about 6 s per game at 8x8, and five times that per size step",
    "nashpy-vertex": "about 75 s per generic 10x10 game",
    "gambit-rational": "seconds per game from 9x9 (--quick)",
}
FLOOR = 0.005
"""Calls shorter than this many CPU seconds are repeated and their mean taken."""
LIMIT_B = {"nashpy-lh": 1.0}
"""CPU seconds after which a Lemke-Howson call is stopped (nashpy's cycles on many generic
games: floating-point 'integer pivoting'); other Python solvers get :data:`LIMIT_DEFAULT`.
Compiled solvers (pygambit, QuantEcon) cannot be interrupted and get no limit."""
LIMIT_DEFAULT = 60.0


# ---------------------------------------------------------------------------- games
def random_games(part: str, kind: str, n: int, count: int) -> np.ndarray:
    """``count`` seeded games ``(count, n, n, 2)``: floats for "normal", int64 for "ties"."""
    rng = np.random.default_rng([SEED, ord(part), n, list(KINDS).index(kind)])
    if kind == "normal":
        return rng.standard_normal((count, n, n, 2))
    return rng.integers(0, 3, size=(count, n, n, 2), dtype=np.int64)


def regret(game: np.ndarray, profile: np.ndarray) -> float:
    """Largest gain from deviating, or the distance off the simplex if larger (inf if malformed)."""
    m, n = game.shape[:2]
    if profile.shape != (m + n,) or not np.isfinite(profile).all():
        return math.inf
    x, y = profile[:m], profile[m:]
    a, b = game[..., 0].astype(float), game[..., 1].astype(float)
    gain = max((a @ y).max() - x @ a @ y, (x @ b).max() - x @ b @ y)
    off = max(abs(x.sum() - 1), abs(y.sum() - 1), -x.min(), -y.min())
    return float(max(gain, off))


# ------------------------------------------------------------------------ libraries
@dataclass(frozen=True)
class Library:
    """A solver as the benchmark runs it: build its game from arrays, solve, read profiles.

    ``profiles(built, raw)`` turns the library's answer into an array with one profile per
    row (row player's probabilities, then the column player's).
    """

    key: str
    label: str
    build: Callable[[np.ndarray, np.ndarray], Any]
    solve: Callable[[Any], Any]
    profiles: Callable[[Any, Any], np.ndarray]
    compiled: bool = False  # its solver cannot be stopped by the CPU-time alarm


def _ours_profiles(_: Any, solution: Any) -> np.ndarray:
    return np.array([np.concatenate(e.probabilities) for e in solution.equilibria], dtype=float)


def _ours_build(a: np.ndarray, b: np.ndarray) -> Game:
    # Python ints for integer arrays (an exact game), Python floats otherwise.
    return Game.from_arrays(a.tolist(), b.tolist())


def _pairs(_: Any, raw: Any) -> np.ndarray:
    return np.array([np.concatenate([np.ravel(x), np.ravel(y)]) for x, y in raw], dtype=float)


def _pair(_: Any, raw: Any) -> np.ndarray:
    return _pairs(None, [raw])


def _gambit_profiles(game: Any, result: Any) -> np.ndarray:
    players = list(game.players)
    return np.array(
        [[float(e[s]) for p in players for s in p.strategies] for e in result.equilibria],
        dtype=float,
    )


def _gambit_first(game: Any, result: Any) -> np.ndarray:
    return _gambit_profiles(game, result)[:1]


def _qe_build(a: np.ndarray, b: np.ndarray) -> Any:
    from quantecon.game_theory import NormalFormGame

    # A bimatrix (m, n, 2): QuantEcon transposes the column player's matrix itself.
    return NormalFormGame(np.stack([a, b], axis=-1).astype(float))


def ours_all() -> Library:
    return Library("ours", "negotiation-sim solve", _ours_build, solve, _ours_profiles)


def ours_lh() -> tuple[Library | None, str]:
    try:
        from sim.solvers.lemke_howson import lemke_howson
    except Exception as err:  # not written yet, or broken
        return None, f"not available ({type(err).__name__}: {err})"
    return (
        Library(
            "ours",
            "negotiation-sim lemke_howson",
            _ours_build,
            lambda g: lemke_howson(g, labels=0),
            _ours_profiles,
        ),
        "",
    )


def references_a() -> tuple[list[Library], list[str]]:
    """The Part A references that are installed, and a note for each missing library."""
    found: list[Library] = []
    missing: list[str] = []
    try:
        import quantecon.game_theory as qe

        found.append(
            Library(
                "qe-vertex",
                "QuantEcon vertex_enumeration",
                _qe_build,
                qe.vertex_enumeration,
                _pairs,
                compiled=True,
            )
        )
    except ImportError:
        missing.append("QuantEcon")
    try:
        import pygambit

        for rational in (False, True):
            found.append(
                Library(
                    "gambit-rational" if rational else "gambit-float",
                    f"pygambit enummixed {'rational' if rational else 'float'}",
                    pygambit.Game.from_arrays,
                    lambda g, r=rational: pygambit.nash.enummixed_solve(g, rational=r),
                    _gambit_profiles,
                    compiled=True,
                )
            )
    except ImportError:
        missing.append("pygambit")
    try:
        import nashpy

        for method in ("support", "vertex"):
            found.append(
                Library(
                    f"nashpy-{method}",
                    f"nashpy {method}_enumeration",
                    nashpy.Game,
                    lambda g, m=method: list(getattr(g, f"{m}_enumeration")()),
                    _pairs,
                )
            )
    except ImportError:
        missing.append("nashpy")
    return found, missing


def references_b() -> tuple[list[Library], list[str]]:
    """The Part B references that are installed, and a note for each missing library."""
    found: list[Library] = []
    missing: list[str] = []
    try:
        import quantecon.game_theory as qe

        found.append(
            Library(
                "qe-lh",
                "QuantEcon lemke_howson",
                _qe_build,
                lambda g: qe.lemke_howson(g, init_pivot=0),
                _pair,
                compiled=True,
            )
        )
    except ImportError:
        missing.append("QuantEcon")
    try:
        import pygambit

        found.append(
            Library(
                "gambit-lcp",
                "pygambit lcp float",
                pygambit.Game.from_arrays,
                lambda g: pygambit.nash.lcp_solve(g, rational=False, stop_after=1),
                _gambit_first,
                compiled=True,
            )
        )
    except ImportError:
        missing.append("pygambit")
    try:
        import nashpy

        found.append(
            Library(
                "nashpy-lh",
                "nashpy lemke_howson",
                nashpy.Game,
                lambda g: g.lemke_howson(initial_dropped_label=0),
                _pair,
            )
        )
    except ImportError:
        missing.append("nashpy")
    return found, missing


# --------------------------------------------------------------------------- timing
class TimeLimit(BaseException):
    """Raised by the CPU-time alarm (a BaseException, so libraries' ``except Exception``
    do not swallow it)."""


@contextmanager
def cpu_limit(seconds: float) -> Iterator[None]:
    """Stop Python code that runs longer than ``seconds`` of CPU time (where the OS allows).

    Compiled code is not interrupted: the alarm fires when it returns to Python.
    """
    if not hasattr(signal, "setitimer") or math.isinf(seconds):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TimeLimit

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def cpu_seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    """CPU time of one call of ``work`` and its value; a call shorter than :data:`FLOOR` is
    repeated for :data:`FLOOR` seconds and the mean of the repeats is taken."""
    start = time.process_time()
    value = work()
    elapsed = time.process_time() - start
    if elapsed >= FLOOR:
        return elapsed, value
    calls, start = 0, time.process_time()
    while (spent := time.process_time() - start) < FLOOR:
        work()
        calls += 1
    return spent / calls, value


@dataclass(frozen=True)
class Outcome:
    """One library on one game: CPU seconds to build and to solve, and its profiles."""

    build: float
    solve: float
    profiles: np.ndarray | None  # None on error or time-out
    status: str  # "ok", "error" or "timeout"
    error: str = ""

    @property
    def seconds(self) -> float:
        return self.build + self.solve


def run(library: Library, game: np.ndarray, limit: float) -> Outcome:
    """Time ``library`` on one game (``(n, n, 2)`` array); never raises."""
    a, b = game[..., 0], game[..., 1]
    try:
        with warnings.catch_warnings(), cpu_limit(math.inf if library.compiled else limit):
            warnings.simplefilter("ignore")  # nashpy's "degenerate game" warnings
            build, built = cpu_seconds(lambda: library.build(a, b))
            seconds, raw = cpu_seconds(lambda: library.solve(built))
    except TimeLimit:
        return Outcome(0.0, 0.0, None, "timeout", f"stopped after {limit:g} CPU s")
    except Exception as err:
        return Outcome(0.0, 0.0, None, "error", f"{type(err).__name__}: {err}"[:200])
    try:
        profiles = library.profiles(built, raw).reshape(-1, sum(game.shape[:2]))
    except Exception as err:  # e.g. nashpy's Lemke-Howson returning vectors of wrong length
        return Outcome(0.0, 0.0, None, "error", f"malformed answer: {err}"[:200])
    return Outcome(build, seconds, profiles, "ok")


# ----------------------------------------------------------------------------- rows
@dataclass
class Row:
    """One library on one set of games (one size and kind)."""

    part: str
    kind: str
    size: int
    library: str
    label: str
    games: int  # games it ran on (the first ``games`` of the set)
    finished: int = 0  # ... that returned an answer
    median_seconds: float | None = None  # build + solve, over the finished games
    median_build_seconds: float | None = None
    ours_median_seconds: float | None = None  # ours on the same finished games
    ratio: float | None = None  # median_seconds / ours_median_seconds
    agree: int = 0  # A: same set as ours; B: an equilibrium
    missed: int = 0  # A: missed one of ours
    not_nash: int = 0  # A: listed a profile that is not an equilibrium; B: answer not Nash
    extra: int = 0  # A: listed another profile we do not have (an equilibrium)
    errors: int = 0
    timeouts: int = 0
    extreme: int | None = None  # B, n <= 10: answer is one of the extreme equilibria
    same_as_ours: int | None = None  # B: the same equilibrium as our label-0 path
    exact_agree: int | None = None  # A, ours: agrees with pygambit rational on ...
    exact_games: int | None = None  # ... this many games
    note: str = ""
    seconds: list[float] = field(default_factory=list)  # per finished game
    error_messages: list[str] = field(default_factory=list)
    odd_games: list[int] = field(default_factory=list)  # indices of games with a problem


def games_for(key: str, kind: str, n: int, quick: bool) -> int:
    default = CAPS.get(key, {}).get(n, (GAMES["full"], GAMES["quick"]))
    full, short = CAPS.get(f"{key}/{kind}", {}).get(n, default)
    return min(short if quick else full, GAMES["quick" if quick else "full"])


def median_of(outcomes: list[Outcome], which: str = "seconds") -> float | None:
    values = [getattr(o, which) for o in outcomes if o.status == "ok"]
    return statistics.median(values) if values else None


def summarise(row: Row, outcomes: list[Outcome], ours: list[Outcome] | None) -> None:
    """Fill the timing fields of ``row`` (ratio against ours on the same finished games)."""
    done = [i for i, o in enumerate(outcomes) if o.status == "ok"]
    row.finished = len(done)
    row.errors = sum(o.status == "error" for o in outcomes)
    row.timeouts = sum(o.status == "timeout" for o in outcomes)
    row.error_messages = sorted({o.error for o in outcomes if o.error})[:3]
    row.seconds = [outcomes[i].seconds for i in done]
    row.median_seconds = median_of(outcomes)
    row.median_build_seconds = median_of(outcomes, "build")
    if ours is not None:
        paired = [ours[i].seconds for i in done if ours[i].status == "ok"]
        if paired and row.median_seconds is not None:
            row.ours_median_seconds = statistics.median(paired)
            if row.library != "ours":
                row.ratio = row.median_seconds / row.ours_median_seconds


def same_set(game: np.ndarray, ours: np.ndarray, theirs: np.ndarray) -> tuple[bool, int, int]:
    """(missed one of ours, extra profiles that are equilibria, extra that are not)."""
    missed, extra, not_nash = differences(game.astype(float), ours, theirs)
    return missed, extra - not_nash, not_nash


# ------------------------------------------------------------------------------ part A
def part_a(quick: bool, say: Callable[[str], None]) -> list[Row]:
    mine = ours_all()
    references, missing = references_a()
    for name in missing:
        say(f"  ({name} is not installed: its rows are skipped)")
    warm = random_games("w", "normal", 3, 1)[0]
    for library in (mine, *references):
        run(library, warm, LIMIT_DEFAULT)  # imports, numba compilation
    rows: list[Row] = []
    for kind in KINDS:
        for n in SIZES_A:
            count = GAMES["quick" if quick else "full"]
            games = random_games("A", kind, n, count)
            ours = [run(mine, g, LIMIT_DEFAULT) for g in games]
            row = Row("A", kind, n, mine.key, mine.label, count)
            summarise(row, ours, ours)
            rows.append(row)
            for library in references:
                k = games_for(library.key, kind, n, quick)
                ref = Row("A", kind, n, library.key, library.label, k)
                if k == 0:
                    ref.note = f"skipped: {SKIPPED.get(library.key, 'too slow')}"
                    rows.append(ref)
                    continue
                outcomes = [run(library, g, LIMIT_DEFAULT) for g in games[:k]]
                summarise(ref, outcomes, ours)
                for i, (g, o, b) in enumerate(zip(games, ours, outcomes, strict=False)):
                    if o.profiles is None or b.profiles is None:
                        ref.odd_games.append(i)
                        continue
                    missed, extra, not_nash = same_set(g, o.profiles, b.profiles)
                    ref.missed += missed
                    ref.extra += extra > 0
                    ref.not_nash += not_nash > 0
                    ref.agree += not (missed or extra or not_nash)
                    if missed or extra or not_nash:
                        ref.odd_games.append(i)
                if library.key == "gambit-rational":
                    row.exact_agree, row.exact_games = ref.agree, ref.finished
                rows.append(ref)
            for r in rows[-1 - len(references) :]:
                say(text_row(r))
    return rows


# ------------------------------------------------------------------------------ part B
def part_b(quick: bool, say: Callable[[str], None]) -> list[Row]:
    mine, why = ours_lh()
    references, missing = references_b()
    for name in missing:
        say(f"  ({name} is not installed: its rows are skipped)")
    libraries = ([mine] if mine else []) + references
    warm = random_games("w", "normal", 10, 1)[0]
    for library in libraries:
        run(library, warm, LIMIT_DEFAULT)
    rows: list[Row] = []
    count = GAMES["quick" if quick else "full"]
    for kind in KINDS:
        for n in SIZES_B:
            games = random_games("B", kind, n, count)
            extremes = None
            if n <= 10:  # every extreme equilibrium, to check the answers against (untimed)
                extremes = [
                    _ours_profiles(None, solve(_ours_build(g[..., 0], g[..., 1]))) for g in games
                ]
            ours: list[Outcome] | None = None
            cell: list[Row] = []
            if mine is None:
                cell.append(Row("B", kind, n, "ours", "negotiation-sim lemke_howson", 0, note=why))
            for library in libraries:
                limit = LIMIT_B.get(library.key, LIMIT_DEFAULT)
                outcomes = [run(library, g, limit) for g in games]
                if library is mine:
                    ours = outcomes
                row = Row("B", kind, n, library.key, library.label, count)
                summarise(row, outcomes, ours)
                row.extreme = 0 if extremes is not None else None
                row.same_as_ours = 0 if ours is not None and library is not mine else None
                for i, (g, o) in enumerate(zip(games, outcomes, strict=True)):
                    if o.profiles is None:
                        row.odd_games.append(i)
                        continue
                    if not len(o.profiles):
                        row.errors += 1
                        row.odd_games.append(i)
                        continue
                    profile = o.profiles[0]
                    if regret(g, profile) <= AGREE:
                        row.agree += 1
                    else:
                        row.not_nash += 1
                        row.odd_games.append(i)
                    if extremes is not None and row.extreme is not None:
                        gap = np.abs(extremes[i].reshape(-1, 2 * n) - profile).max(axis=1)
                        row.extreme += int(len(gap) > 0 and gap.min() <= AGREE)
                    theirs = ours[i].profiles if ours is not None else None
                    if row.same_as_ours is not None and theirs is not None and len(theirs):
                        row.same_as_ours += int(np.abs(theirs[0] - profile).max() <= AGREE)
                if limit < LIMIT_DEFAULT:
                    row.note = f"stopped after {limit:g} CPU s"
                cell.append(row)
            for r in cell:
                say(text_row(r))
            rows.extend(cell)
    return rows


# ---------------------------------------------------------------------------- output
def time_text(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def ratio_text(ratio: float | None) -> str:
    if ratio is None:
        return ""
    if ratio >= 10:
        return f"{ratio:,.0f}x"
    return f"{ratio:.1f}x" if ratio >= 1 else f"{ratio:.2g}x"


def agreement_text(row: Row) -> str:
    if row.note and not row.games:
        return row.note
    if row.library == "ours":
        if row.part == "A":
            if row.exact_games is None:
                return "(no exact reference ran)"
            return f"ours vs exact reference: {row.exact_agree}/{row.exact_games} agree"
        return f"{row.agree}/{row.games} equilibria" + extreme_text(row)
    if row.part == "A":
        text = f"{row.agree}/{row.games} agree"
        problems = [
            f"{label}: {value}"
            for label, value in (
                ("missed some", row.missed),
                ("not Nash", row.not_nash),
                ("extra", row.extra),
                ("errors", row.errors),
                ("timed out", row.timeouts),
            )
            if value
        ]
    else:
        text = f"{row.agree}/{row.games} equilibria" + extreme_text(row)
        if row.same_as_ours is not None:
            text += f", {row.same_as_ours} same as ours"
        problems = [
            f"{label}: {value}"
            for label, value in (
                ("not Nash", row.not_nash),
                ("errors", row.errors),
                (row.note or "timed out", row.timeouts),
            )
            if value
        ]
    if problems:
        shown = ", ".join(f"#{i}" for i in row.odd_games[:6])
        more = ", ..." if len(row.odd_games) > 6 else ""
        text += f" ({', '.join(problems)}; games {shown}{more})"
    return text


def extreme_text(row: Row) -> str:
    return f", {row.extreme} extreme" if row.extreme is not None else ""


HEADER = (
    f"  {'kind':<7}{'size':<7}{'library':<30}{'games':>6}{'median/game':>13}"
    f"{'ref/ours':>10}  agreement"
)


def text_row(row: Row) -> str:
    shape = f"{row.size}x{row.size}"
    games = str(row.games) if row.games else "-"
    return (
        f"  {row.kind:<7}{shape:<7}{row.label:<30}{games:>6}{time_text(row.median_seconds):>13}"
        f"{ratio_text(row.ratio):>10}  {agreement_text(row)}"
    )


@dataclass(frozen=True)
class Target:
    name: str
    verdict: str  # PASS, MISS or "not judged"
    detail: str


def targets(rows: list[Row]) -> list[Target]:
    """The issue's targets, judged on the rows that ran."""
    found = []

    def cells(part: str, key: str, sizes: Any, kinds: Any = KINDS) -> list[Row]:
        return [
            r
            for r in rows
            if r.part == part and r.library == key and r.size in sizes and r.kind in kinds
        ]

    gambit = cells("A", "gambit-rational", range(4, 11))
    judged = [r for r in gambit if r.ratio is not None]
    missing = [f"{r.kind} {r.size}x{r.size}" for r in gambit if r.ratio is None]
    worst = min(judged, key=lambda r: r.ratio or 0, default=None)
    detail = ", ".join(f"{r.kind} {r.size}x{r.size}: {ratio_text(r.ratio)}" for r in judged)
    if worst is not None:
        lowest = f"{ratio_text(worst.ratio)} ({worst.kind} {worst.size}x{worst.size})"
        detail = f"lowest {lowest}; {detail}"
    if missing:
        detail += f"; not run: {', '.join(missing)}"
    ok = bool(judged) and all((r.ratio or 0) >= 10 for r in judged)
    found.append(
        Target(
            "ours >= 10x faster than pygambit enummixed rational, 4x4..10x10, both kinds",
            ("PASS" if ok else "MISS") if judged else "not judged",
            detail,
        )
    )

    qe = [r for r in cells("A", "qe-vertex", SIZES_A, ("normal",)) if r.ratio]
    ours_over = {r.size: 1 / r.ratio for r in qe if r.ratio}
    found.append(
        Target(
            "ours within 2x of QuantEcon vertex_enumeration on normal games (ours / QE)",
            ("PASS" if all(v <= 2 for v in ours_over.values()) else "MISS")
            if ours_over
            else "not judged",
            ", ".join(f"{n}x{n}: {ratio_text(v)}" for n, v in ours_over.items()),
        )
    )

    lh = cells("B", "qe-lh", (30, 50))
    ratios = {(r.kind, r.size): 1 / r.ratio for r in lh if r.ratio}
    found.append(
        Target(
            "our Lemke-Howson within 2x of QuantEcon's at 30x30 and 50x50 (ours / QE)",
            ("PASS" if all(v <= 2 for v in ratios.values()) else "MISS")
            if ratios
            else "not judged",
            ", ".join(f"{k} {n}x{n}: {ratio_text(v)}" for (k, n), v in ratios.items()),
        )
    )
    return found


def markdown(info: dict[str, Any], rows: list[Row], goals: list[Target], stamp: str) -> str:
    """The results as Markdown: machine, both tables, the targets."""
    load = ", ".join(map(str, info["load_average_1_5_15"] or ["unknown"]))
    lines = [
        f"Run of {stamp} (`python benchmarks/equilibria.py{' --quick' if info['quick'] else ''}`),"
        f" {info['wall_seconds']:.0f} s wall, {info['core_share']:.0%} of one core.",
        "",
        f"- CPU: {info['cpu']} ({info['logical_cpus']} logical CPUs), {info['pinning']}",
        f"- load average before starting: {load} (1, 5, 15 min)",
        f"- Python {info['python']} on {info['platform']}",
        f"- negotiation-sim at commit {info['commit']}",
        f"- numpy {info['numpy']}, negotiation-sim {info['negotiation-sim']}, nashpy"
        f" {info['nashpy']}, pygambit {info['pygambit']}, quantecon {info['quantecon']}"
        f" (numba {info['numba']})",
        "",
    ]
    for part, title in (
        ("A", "All equilibria"),
        ("B", "One equilibrium (Lemke-Howson from label 0; pygambit: lcp, first found)"),
    ):
        lines += [
            f"**{part}. {title}.** Median CPU time per game (build + solve); ref / ours on"
            " the same games.",
            "",
            "| kind | size | library | games | median per game | ref / ours | agreement |",
            "| --- | --- | --- | ---: | ---: | ---: | --- |",
        ]
        for r in rows:
            if r.part != part:
                continue
            lines.append(
                f"| {r.kind} | {r.size}x{r.size} | {r.label} | {r.games or '-'} |"
                f" {time_text(r.median_seconds)} | {ratio_text(r.ratio)} | {agreement_text(r)} |"
            )
        lines.append("")
    lines += ["**Targets of issue 6.**", ""]
    lines += [f"- **{g.verdict}**: {g.name}" + (f": {g.detail}" if g.detail else "") for g in goals]
    return "\n".join(lines) + "\n"


START, END = "<!-- results: start -->", "<!-- results: end -->"


def write_markdown(path: Path, text: str) -> None:
    """Replace the text between the result markers of ``path``, or write a new file."""
    if path.exists() and START in (old := path.read_text()) and END in old:
        head, rest = old.split(START, 1)
        tail = rest.split(END, 1)[1]
        path.write_text(f"{head}{START}\n{text}{END}{tail}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{START}\n{text}{END}\n")


def commit() -> str:
    """The checkout's commit (``git describe --always --dirty``), or "unknown"."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


# ------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few games per size (~1 minute)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers here")
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="PATH",
        help="write the results as Markdown (between the result markers if PATH has them)",
    )
    parser.add_argument("--cpu", type=int, help="CPU to pin to (default: the idlest one)")
    parser.add_argument(
        "--part", choices=("A", "B", "AB"), default="AB", help="which parts to run (default: both)"
    )
    args = parser.parse_args(argv)
    pinning = pin_to_one_cpu(args.cpu)
    info = machine(pinning) | {
        "quantecon": version("quantecon"),
        "numba": version("numba"),
        "quick": args.quick,
        "commit": commit(),
    }
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    started_cpu, started = time.process_time(), time.perf_counter()

    def say(text: str) -> None:
        print(text, flush=True)

    say(f"negotiation-sim equilibrium benchmark{' (--quick)' if args.quick else ''}, {stamp}")
    say(f"  CPU        {info['cpu']} ({info['logical_cpus']} logical CPUs), {pinning}")
    say(f"  load avg   {info['load_average_1_5_15']} (1, 5, 15 min, before starting)")
    say(f"  Python     {info['python']} on {info['platform']}")
    say(f"  commit     {info['commit']}")
    say(
        f"  versions   numpy {info['numpy']}, negotiation-sim {info['negotiation-sim']}, "
        f"nashpy {info['nashpy']}, pygambit {info['pygambit']}, quantecon {info['quantecon']}"
        f" (numba {info['numba']})"
    )
    say("  threads    1 (OMP, MKL, OpenBLAS, numexpr, vecLib)")
    say("  times      CPU time of this process per game: build the game from arrays + solve;")
    say("             median over the games; ref/ours = its median / ours on the same games")
    for kind, description in KINDS.items():
        say(f"  {kind:<10} {description}")
    rows: list[Row] = []
    if "A" in args.part:
        say("")
        say("A. All equilibria (ours: every extreme equilibrium, exact)")
        say(f"   agreement: same set of equilibria as ours, probabilities within {AGREE:g}")
        say(HEADER)
        rows += part_a(args.quick, say)
    if "B" in args.part:
        say("")
        say("B. One equilibrium: Lemke-Howson from label 0 (pygambit: lcp, float, first found)")
        say(f"   agreement: the answer is an equilibrium (regret <= {AGREE:g}); for n <= 10,")
        say("   'extreme': it is one of the extreme equilibria that sim.solvers.solve lists")
        say(HEADER)
        rows += part_b(args.quick, say)
    goals = targets(rows)
    say("")
    say("Targets of issue 6")
    for goal in goals:
        say(f"  {goal.verdict}: {goal.name}")
        if goal.detail:
            say(f"    {goal.detail}")
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    share = cpu / wall
    info |= {"cpu_seconds": cpu, "wall_seconds": wall, "core_share": share}
    say("")
    say(f"total {wall:.0f} s wall, {cpu:.0f} s CPU: this process had {share:.0%} of its core")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "machine": info,
            "date": stamp,
            "seed": SEED,
            "agreement_tolerance": AGREE,
            "times": "CPU seconds of this process per game (build + solve), time.process_time",
            "rows": [asdict(r) for r in rows],
            "targets": [asdict(g) for g in goals],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        say(f"wrote {args.json}")
    if args.markdown:
        write_markdown(args.markdown, markdown(info, rows, goals, stamp))
        say(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
