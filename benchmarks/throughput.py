"""Games per second: the batch solver against nashpy and pygambit, and Monte Carlo end to end.

Run from the repository root with the project's environment::

    python benchmarks/throughput.py            # about a minute
    python benchmarks/throughput.py --quick    # about 10 seconds: smaller samples, one run each
    python benchmarks/throughput.py --json out/benchmark.json

Part 1 solves the same random games with :func:`sim.solvers.solve_batch` and with a Python
loop over each reference solver that lists all equilibria, and prints games per second and
the ratio ours / theirs. The reference loops run on the first few hundred or thousand of the
games and their rate is extrapolated (their cost per game does not depend on the batch).
Each reference answer is compared with ours as a set of equilibria, entries equal within
``1e-6``; a game counts as "differs" when the library missed one of our equilibria, listed a
profile we do not have (and if so, whether that profile is an equilibrium at all: regret
above ``1e-6`` means it is not), or raised an error.

Part 2 times :func:`sim.analysis.montecarlo.montecarlo` from the YAML file: loading, sampling,
payoff evaluation, every equilibrium of every draw, and aggregation, against the targets of
issue 3.

One core: the BLAS/OpenMP thread pools are limited to one thread before numpy is imported,
and the process is pinned (``os.sched_setaffinity``, where the OS has it) to the CPU that was
idlest over a quarter of a second. Rates are games per CPU-second of this process
(``time.process_time``), so programs competing for the core do not count against us; the
wall-clock rates are printed too, with the share of the core this process got. Our code is
timed after a warm-up, as the median of up to three runs; a reference loop is timed once.
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
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

import numpy as np  # noqa: E402

from sim.analysis.montecarlo import MonteCarloResult, montecarlo  # noqa: E402
from sim.sampling import BLOCK_SIZE, draw_payoffs  # noqa: E402
from sim.scenario import load  # noqa: E402
from sim.solvers import BatchSolution, solve_batch  # noqa: E402

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
SEED = 2025
AGREE = 1e-6
"""Two equilibria are the same when every probability differs by at most this."""
SHAPES = ((2, 2), (2, 3), (3, 3))
FAMILIES = {
    "normal": "entries N(0, 1): generic, non-degenerate with probability 1",
    "ties": "entries in {0, 1, 2}: tie-heavy, many degenerate games",
}
SCENARIOS = (
    # (file, draws, target in games per CPU-second)
    ("scenarios/london_talks.yaml", 1_000_000, 1_000_000),
    ("scenarios/london_tariffs.yaml", 300_000, 100_000),
)


@dataclass(frozen=True)
class Sizes:
    """How many games each solver is timed on."""

    batch: int  # our batch solver on generic games
    nashpy_support: int
    nashpy_vertex: int
    gambit_float: int
    gambit_exact: int
    repeats: int  # Monte Carlo runs per scenario (the median is reported)


FULL = Sizes(262_144, 2_000, 400, 2_000, 600, 3)
QUICK = Sizes(65_536, 200, 40, 200, 60, 1)


@dataclass(frozen=True)
class Row:
    """One solver on one set of games."""

    family: str
    shape: str
    solver: str
    games: int
    cpu_seconds: float
    wall_seconds: float
    games_per_second: float  # per CPU-second
    ours_over_theirs: float | None = None
    differs: int | None = None  # games whose equilibria differ from ours (errors included)
    missed: int | None = None  # ... where the library missed one of our equilibria
    extra: int | None = None  # ... where it listed a profile we do not have
    not_nash: int | None = None  # ... where such a profile is not an equilibrium at all
    errors: int | None = None  # ... where it raised an exception


@dataclass(frozen=True)
class Timing:
    """CPU time of this process and wall-clock time, in seconds (medians of ``runs`` runs)."""

    cpu: float
    wall: float
    runs: int = 1


# ----------------------------------------------------------------------------- helpers
def idle_ticks() -> dict[int, int]:
    """Idle plus I/O-wait ticks per CPU since boot, from /proc/stat (Linux)."""
    ticks = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name[3:].isdigit():
            ticks[int(name[3:])] = int(fields[3]) + int(fields[4])
    return ticks


def idlest(allowed: list[int]) -> int:
    """The allowed CPU with the most idle time over the next quarter of a second."""
    try:
        before = idle_ticks()
        time.sleep(0.25)
        after = idle_ticks()
    except (OSError, ValueError, IndexError):
        return allowed[-1]
    return max(allowed, key=lambda c: (after.get(c, 0) - before.get(c, 0), c))


def pin_to_one_cpu(requested: int | None) -> str:
    """Pin this process to one CPU (the idlest unless one is requested); say which, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (os.sched_setaffinity is not available on this OS)"
    allowed = sorted(os.sched_getaffinity(0))
    cpu = idlest(allowed) if requested is None else requested
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError as err:
        return f"not pinned (CPU {cpu}: {err})"
    how = "requested" if requested is not None else "the idlest"
    return f"pinned to CPU {cpu} ({how} of {', '.join(map(str, allowed))})"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine(pinning: str) -> dict[str, Any]:
    load_average = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "pinning": pinning,
        "load_average_1_5_15": [round(x, 2) for x in load_average] if load_average else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "negotiation-sim": version("negotiation-sim"),
        "nashpy": version("nashpy"),
        "pygambit": version("pygambit"),
        "threads": os.environ["OMP_NUM_THREADS"],
    }


def timed(work: Callable[[], T]) -> tuple[Timing, T]:
    """Run ``work`` once; its CPU and wall-clock time, and its value."""
    cpu, wall = time.process_time(), time.perf_counter()
    value = work()
    return Timing(time.process_time() - cpu, time.perf_counter() - wall), value


def median_timing(work: Callable[[], T], repeats: int, budget: float = 2.0) -> tuple[Timing, T]:
    """Median CPU and wall time of up to ``repeats`` runs, fewer once ``budget`` s have passed.

    The caller warms up first. Returns the medians and the last run's value.
    """
    timings = []
    while True:
        timing, value = timed(work)
        timings.append(timing)
        if len(timings) >= repeats or sum(t.wall for t in timings) >= budget:
            break
    cpu = statistics.median(t.cpu for t in timings)
    return Timing(cpu, statistics.median(t.wall for t in timings), len(timings)), value


def random_games(family: str, shape: tuple[int, int], size: int) -> np.ndarray:
    """``size`` games of shape ``(m, n)`` as one array ``(size, m, n, 2)``, from a fixed seed."""
    rng = np.random.default_rng([SEED, *shape, list(FAMILIES).index(family)])
    if family == "normal":
        return rng.standard_normal((size, *shape, 2))
    return rng.integers(0, 3, size=(size, *shape, 2)).astype(np.float64)


def differences(game: np.ndarray, ours: np.ndarray, theirs: np.ndarray) -> tuple[bool, int, int]:
    """How a reference's answer differs from ours on one game: (missed, extra, not Nash).

    ``ours`` and ``theirs`` hold one equilibrium per row (row then column probabilities) and
    ``game`` is the payoff array ``(m, n, 2)``. ``missed``: some equilibrium of ours matches
    none of theirs. ``extra``: how many of theirs match none of ours; ``not Nash``: how many
    of those have regret above :data:`AGREE`, so are not equilibria at all (the others are
    equilibria that are not extreme points, which some solvers list on degenerate games).
    """
    if len(ours) and len(theirs):
        gap = np.abs(ours[:, None, :] - theirs[None, :, :]).max(axis=2)
        missed = bool((gap.min(axis=1) > AGREE).any())
        unmatched = theirs[gap.min(axis=0) > AGREE]
    else:
        missed, unmatched = len(ours) > 0, theirs
    if not len(unmatched):
        return missed, 0, 0
    m = game.shape[0]
    x, y = unmatched[:, :m], unmatched[:, m:]
    rows = np.einsum("ij,ej->ei", game[..., 0], y)  # the row player's payoff from each move
    columns = np.einsum("ei,ij->ej", x, game[..., 1])
    regret = np.maximum(
        rows.max(axis=1) - (x * rows).sum(axis=1), columns.max(axis=1) - (y * columns).sum(axis=1)
    )
    return missed, len(unmatched), int((regret > AGREE).sum())


# --------------------------------------------------------------------- reference solvers
# Each reference takes the games and returns (timing, answers): the time of the loop that
# builds every game and lists all its equilibria (conversion to arrays happens afterwards),
# and per game an array of equilibria or None when the library raised an exception.
Reference = Callable[[np.ndarray], tuple[Timing, list[np.ndarray | None]]]


def nashpy_reference(method: str) -> Reference | None:
    try:
        import nashpy
    except ImportError:
        return None

    def solve_all(games: np.ndarray) -> list[list[tuple[np.ndarray, np.ndarray]] | None]:
        raw: list[list[tuple[np.ndarray, np.ndarray]] | None] = []
        for g in games:
            try:
                raw.append(list(getattr(nashpy.Game(g[..., 0], g[..., 1]), method)()))
            except Exception:  # qhull and linear-algebra failures on degenerate games
                raw.append(None)
        return raw

    def run(games: np.ndarray) -> tuple[Timing, list[np.ndarray | None]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "even number of equilibria" on degenerate games
            timing, raw = timed(lambda: solve_all(games))
        width = games.shape[1] + games.shape[2]
        answers = [
            None
            if r is None
            else np.array([np.concatenate(e) for e in r], dtype=float).reshape(-1, width)
            for r in raw
        ]
        return timing, answers

    return run


def gambit_reference(rational: bool) -> Reference | None:
    try:
        import pygambit
    except ImportError:
        return None

    def solve_all(games: np.ndarray) -> list[tuple[Any, Any] | None]:
        raw: list[tuple[Any, Any] | None] = []
        for g in games:
            try:
                game = pygambit.Game.from_arrays(g[..., 0], g[..., 1])
                raw.append((game, pygambit.nash.enummixed_solve(game, rational=rational)))
            except Exception:
                raw.append(None)
        return raw

    def run(games: np.ndarray) -> tuple[Timing, list[np.ndarray | None]]:
        timing, raw = timed(lambda: solve_all(games))
        width = games.shape[1] + games.shape[2]
        answers: list[np.ndarray | None] = []
        for r in raw:
            if r is None:
                answers.append(None)
                continue
            game, result = r
            players = list(game.players)
            rows = [[float(e[s]) for p in players for s in p.strategies] for e in result.equilibria]
            answers.append(np.array(rows, dtype=float).reshape(-1, width))
        return timing, answers

    return run


def references() -> list[tuple[str, str, Reference | None]]:
    """(label, key of :class:`Sizes`, solver or None when the library is missing)."""
    return [
        ("nashpy support_enumeration", "nashpy_support", nashpy_reference("support_enumeration")),
        ("nashpy vertex_enumeration", "nashpy_vertex", nashpy_reference("vertex_enumeration")),
        ("pygambit enummixed, float", "gambit_float", gambit_reference(rational=False)),
        ("pygambit enummixed, exact", "gambit_exact", gambit_reference(rational=True)),
    ]


# ------------------------------------------------------------------------------ part 1
def ratio_text(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def time_ours(games: np.ndarray) -> tuple[Timing, BatchSolution]:
    """Median time of :func:`solve_batch` on ``games`` (up to three runs after a warm-up)."""
    solve_batch(games[:1000])  # warm-up: index tables and imports
    return median_timing(lambda: solve_batch(games), 3)


def compare_solvers(sizes: Sizes, say: Callable[[str], None]) -> list[Row]:
    solvers = references()
    for label, _, reference in solvers:
        if reference is None:
            say(f"  ({label}: library not installed, skipped)")
    largest = max((getattr(sizes, key) for _, key, ref in solvers if ref), default=1)
    rows: list[Row] = []
    say(
        f"  {'games':<7}{'shape':<6}{'solver':<29}{'games timed':>12}{'games/CPU-s':>13}"
        f"{'ours/theirs':>13}  answers that differ from ours"
    )
    for family in FAMILIES:
        for shape in SHAPES:
            label = f"{shape[0]}x{shape[1]}"
            # Generic games: ours on a full batch. Tie-heavy games: ours on exactly the
            # games the references solve, since most of them take the exact per-game path.
            size = sizes.batch if family == "normal" else largest
            games = random_games(family, shape, max(size, largest))
            timing, mine = time_ours(games[:size])
            ours_rate = size / timing.cpu
            ours_answers = [
                np.array([np.concatenate(e) for e in mine.equilibria(i)]).reshape(-1, sum(shape))
                for i in range(largest)
            ]
            exact = int(mine.exact_path.sum())
            note = f"{exact:,} by the exact path"
            if family == "ties":
                distinct = len(np.unique(games[:size].reshape(size, -1), axis=0))
                note += f", {distinct:,} distinct games"
            rows.append(
                Row(family, label, "sim solve_batch", size, timing.cpu, timing.wall, ours_rate)
            )
            say(
                f"  {family:<7}{label:<6}{'sim solve_batch':<29}{size:>12,}{ours_rate:>13,.0f}"
                f"{'':>13}  ({note})"
            )
            for name, key, reference in solvers:
                if reference is None:
                    continue
                n = getattr(sizes, key)
                subset = games[:n]
                reference(subset[:2])  # warm-up
                timing, answers = reference(subset)
                missed = extra = not_nash = errors = differs = 0
                for g, a, b in zip(subset, ours_answers[:n], answers, strict=True):
                    if b is None:
                        errors += 1
                        differs += 1
                        continue
                    lacks, adds, wrong = differences(g, a, b)
                    missed += lacks
                    extra += adds > 0
                    not_nash += wrong > 0
                    differs += lacks or adds > 0
                rate = n / timing.cpu
                detail = f"{differs:,} of {n:,}"
                if differs:
                    detail += (
                        f" (missed some: {missed:,}, extra: {extra:,} [not Nash: {not_nash:,}],"
                        f" errors: {errors:,})"
                    )
                ratio = ours_rate / rate
                rows.append(
                    Row(
                        family,
                        label,
                        name,
                        n,
                        timing.cpu,
                        timing.wall,
                        rate,
                        ratio,
                        differs=differs,
                        missed=missed,
                        extra=extra,
                        not_nash=not_nash,
                        errors=errors,
                    )
                )
                say(
                    f"  {'':<7}{'':<6}{name:<29}{n:>12,}{rate:>13,.0f}"
                    f"{ratio_text(ratio):>13}  {detail}"
                )
    return rows


# ------------------------------------------------------------------------------ part 2
@dataclass(frozen=True)
class MonteCarloRow:
    """One end-to-end Monte Carlo run (medians over the repeats)."""

    scenario: str
    shape: str
    draws: int
    runs: int
    cpu_seconds: float
    wall_seconds: float
    games_per_second: float  # per CPU-second: judged against the target
    games_per_wall_second: float
    target: int
    passed: bool
    exact_draws: int
    sampling_cpu_seconds: float  # sampling and payoff evaluation of the same draws
    solving_cpu_seconds: float  # solve_batch on the same draws


def time_montecarlo(
    path: str, draws: int, target: int, repeats: int, say: Callable[[str], None]
) -> MonteCarloRow:
    file = ROOT / path
    scenario = load(file)
    montecarlo(scenario, draws=BLOCK_SIZE, seed=SEED)  # warm-up: compiles the payoff formulas

    def run() -> MonteCarloResult:
        return montecarlo(load(file), draws=draws, seed=SEED)

    timing, result = median_timing(run, repeats, budget=4.0)
    # Where the time goes, on the same draws: sampling and payoffs, then the solver alone.
    blocks = range(-(-draws // BLOCK_SIZE))
    sampling, payoffs = timed(
        lambda: [
            draw_payoffs(scenario, SEED, b, min(BLOCK_SIZE, draws - b * BLOCK_SIZE))[1]
            for b in blocks
        ]
    )
    solving, _ = timed(lambda: [solve_batch(p) for p in payoffs])
    shape = "x".join(map(str, scenario.game.shape))
    rate = draws / timing.cpu
    row = MonteCarloRow(
        scenario=path,
        shape=shape,
        draws=draws,
        runs=timing.runs,
        cpu_seconds=timing.cpu,
        wall_seconds=timing.wall,
        games_per_second=rate,
        games_per_wall_second=draws / timing.wall,
        target=target,
        passed=rate >= target,
        exact_draws=result.exact_draws,
        sampling_cpu_seconds=sampling.cpu,
        solving_cpu_seconds=solving.cpu,
    )
    verdict = "PASS" if row.passed else "MISS"
    say(
        f"  {path:<31}{shape:<6}{draws:>10,}{timing.cpu:>7.2f}{rate:>13,.0f}"
        f"{timing.wall:>8.2f}{row.games_per_wall_second:>14,.0f}"
        f"{'>= ' + format(target, ','):>15}  {verdict}"
    )
    rest = max(0.0, timing.cpu - sampling.cpu - solving.cpu)
    say(
        f"      CPU time: sampling and payoffs {sampling.cpu:.2f} s, all equilibria"
        f" {solving.cpu:.2f} s, classification and aggregation {rest:.2f} s"
    )
    say(f"      {result.exact_draws:,} draws went to the exact path")
    return row


# -------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (about 10 s)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers here")
    parser.add_argument("--cpu", type=int, help="CPU to pin to (default: the idlest one)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    pinning = pin_to_one_cpu(args.cpu)
    info = machine(pinning)
    started_cpu, started = time.process_time(), time.perf_counter()

    def say(text: str) -> None:
        print(text, flush=True)

    say("negotiation-sim throughput benchmark" + (" (--quick)" if args.quick else ""))
    say(f"  CPU        {info['cpu']} ({info['logical_cpus']} logical CPUs), {pinning}")
    say(f"  load avg   {info['load_average_1_5_15']} (1, 5, 15 min, before starting)")
    say(f"  Python     {info['python']} on {info['platform']}")
    say(
        f"  versions   numpy {info['numpy']}, negotiation-sim {info['negotiation-sim']}, "
        f"nashpy {info['nashpy']}, pygambit {info['pygambit']}"
    )
    say("  threads    1 (OMP, MKL, OpenBLAS, numexpr, vecLib)")
    say("  rates      games per CPU-second of this process (time.process_time)")
    say("")
    say("1. All equilibria of the same random games: sim's batch solver vs reference loops")
    say("   References are timed on the first N games and their rate extrapolated; ours on a")
    say("   whole batch for generic games and on the same games as the references for")
    say("   tie-heavy ones. Answers are compared as sets of equilibria, probabilities within")
    say(f"   {AGREE:g}. pygambit runs both ways: 'float' is its fastest path, 'exact'")
    say("   (rational=True) the like-for-like one, since ours is exact (a certified float fast")
    say("   path, else the rational solver). nashpy runs with its defaults.")
    for family, description in FAMILIES.items():
        say(f"   {family}: {description}")
    rows = compare_solvers(sizes, say)
    say("")
    say("2. End-to-end Monte Carlo from the YAML scenario (load, sampling, payoffs, all")
    say(f"   equilibria, aggregation), one core, median of up to {sizes.repeats} after a warm-up")
    say(
        f"  {'scenario':<31}{'shape':<6}{'draws':>10}{'CPU s':>7}{'games/CPU-s':>13}"
        f"{'wall s':>8}{'games/wall-s':>14}{'target':>15}  result"
    )
    runs = [
        time_montecarlo(path, draws, target, sizes.repeats, say)
        for path, draws, target in SCENARIOS
    ]
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    share = cpu / wall
    say("")
    say(f"total {wall:.0f} s wall, {cpu:.0f} s CPU: this process had {share:.0%} of its core")
    if share < 0.9:
        say("  (other programs competed for the core: wall-clock rates understate the code)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "machine": info,
            "quick": args.quick,
            "seed": SEED,
            "agreement_tolerance": AGREE,
            "rates": "games per CPU-second of this process (time.process_time)",
            "solvers": [asdict(r) for r in rows],
            "montecarlo": [asdict(r) for r in runs],
            "cpu_seconds": cpu,
            "wall_seconds": wall,
            "core_share": share,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
