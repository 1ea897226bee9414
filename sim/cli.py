"""The ``sim`` command line: run, solve, montecarlo, sweep, validate, schema, new.

The only module that prints or writes files. Exit codes: 0 success, 2 invalid input (a
positioned message on stderr, no traceback), 1 anything else.

``sim run`` and ``sim report`` draw their figures in worker processes
(:class:`sim.plot.render.FigurePool`) that start before the scenario is even parsed, so that
importing matplotlib and drawing overlap the analyses: one per core, at most 4; set
``SIM_FIGURE_PROCESSES`` to choose (0 draws them in the main process). The outputs are the
same bytes either way.

Every file is written all or nothing (:func:`write_files`). Every JSON result records its
``provenance`` (:func:`sim.report.provenance`: the command, the inputs' SHA-256, the seed,
the Python and package versions), and the same command writes the same bytes.

The limits on input files (size, nesting depth, YAML nodes, expression length, exponent,
digits and bits) can be raised for a file one trusts with environment variables, e.g.
``SIM_MAX_FILE_BYTES=50000000 sim run big.yaml``: see :data:`LIMITS`.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.errors import CertificateError, Problem, ScenarioError, SimError

# ----------------------------------------------------------------------- resource limits
LIMITS: dict[str, tuple[str, str, int]] = {
    "SIM_MAX_FILE_BYTES": ("sim.scenario", "MAX_FILE_BYTES", 2**62),
    # sim.document gives composing and walking room for 400 levels; game trees that deep take
    # seconds to analyse.
    "SIM_MAX_DEPTH": ("sim.document", "MAX_DEPTH", 400),
    "SIM_MAX_NODES": ("sim.document", "MAX_NODES", 2**62),
    "SIM_MAX_PAYOFFS": ("sim.nfg", "MAX_PAYOFFS", 2**62),
    "SIM_MAX_PROFILES": ("sim.scenario", "MAX_PROFILES", 2**62),
    "SIM_MAX_EXPRESSION_LENGTH": ("sim.expression", "MAX_LENGTH", 2**62),
    "SIM_MAX_EXPONENT": ("sim.expression", "MAX_EXPONENT", 2**62),
    "SIM_MAX_DIGITS": ("sim.expression", "MAX_DIGITS", 2**62),
    # Exact values must still convert to floats (2**1024 does not).
    "SIM_MAX_BITS": ("sim.expression", "MAX_BITS", 1023),
    "SIM_MAX_TREE_PROFILES": ("sim.tree", "MAX_PROFILES", 2**62),
    "SIM_MAX_TREE_WORK": ("sim.tree", "MAX_WORK", 2**62),
    "SIM_MAX_ENUMERATION_PROFILES": ("sim.solvers", "MAX_ENUMERATION_PROFILES", 2**62),
    "SIM_MAX_ANALYSED_MOVES": ("sim.cli", "MAX_ANALYSED_MOVES", 2**62),
    "SIM_MAX_ANALYSED_PROFILES": ("sim.cli", "MAX_ANALYSED_PROFILES", 2**62),
}
"""The limits a user can change without editing code: environment variable ->
(module, its constant, the largest value accepted). Each command reads them when it
starts, e.g. ``SIM_MAX_FILE_BYTES=50000000 sim run big.yaml``; the defaults are the
constants (:data:`sim.scenario.MAX_FILE_BYTES`, :data:`sim.document.MAX_DEPTH` and
``MAX_NODES``, :data:`sim.nfg.MAX_PAYOFFS`, :data:`sim.scenario.MAX_PROFILES`,
:data:`sim.expression.MAX_LENGTH`, ``MAX_EXPONENT``, ``MAX_DIGITS`` and ``MAX_BITS``,
:data:`sim.tree.MAX_PROFILES` and ``MAX_WORK``), the size past which ``--method auto``
does not try exact enumeration (:data:`sim.solvers.MAX_ENUMERATION_PROFILES`) and the largest
game analysed in full (:data:`MAX_ANALYSED_MOVES`, :data:`MAX_ANALYSED_PROFILES`). Exact
enumeration's time budget is the ``--time-limit`` option."""


app = typer.Typer(
    name="sim",
    help="negotiation-sim: solve negotiation scenarios exactly and explain the equilibria.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    epilog="Limits on inputs and on the size of games each command takes can be raised, for a "
    f"trusted file, with the environment variables {', '.join(LIMITS)} (the README's "
    '"Untrusted scenario files" lists what each bounds).',
)

ScenarioPath = Annotated[
    Path,
    typer.Argument(
        help="A scenario .yaml file or a Gambit .nfg file.",
        show_default=False,
        metavar="SCENARIO",
    ),
]


OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Output folder [default: out/<scenario name>]."),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable)."),
]
LambdaOption = Annotated[
    float | None,
    typer.Option(
        "--lambda",
        min=0,
        help="Also report the logit quantal response equilibrium at this precision λ "
        "(per payoff unit; 0 is uniform play).",
        show_default=False,
    ),
]

DEFAULT_TIME_LIMIT = 10.0
"""Seconds exact enumeration may take in a command before it hands over to Lemke–Howson."""

TimeLimitOption = Annotated[
    float,
    typer.Option(
        "--time-limit",
        min=0.001,
        help="Seconds exact enumeration may take; past it the equilibria Lemke–Howson finds "
        "from every starting label (and every pure one) are reported instead, with a note.",
    ),
]


# ------------------------------------------------------------------------ file writing
def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file via a temporary file in the same folder and a rename.

    A reader sees the previous complete file or the new complete file, never a part.
    """
    write_files(path.parent, {path.name: data})


def prepare_folder(folder: Path, *, create: bool = False) -> None:
    """Check, before any work, that ``folder`` can be the output folder; optionally create it.

    Checking does not create anything, so a run that fails later leaves no empty folder.
    """
    if folder.exists() and not folder.is_dir():
        raise SimError(f"{folder} is a file, not a folder; choose another --out")
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise SimError(f"cannot create {folder}: {ancestor} is a file; choose another --out")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise SimError(f"cannot write to {ancestor}: permission denied; choose another --out")
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise SimError(
                f"cannot create the output folder {folder}: {err.strerror or err}; "
                "choose another --out"
            ) from None


def write_files(folder: Path, files: Mapping[str, bytes | str]) -> None:
    """Write several files into ``folder``, all or nothing.

    1. Every file is written and synced to a temporary file ``.<name>.<random>.tmp`` next
       to its target; a failure or Ctrl-C here removes them and leaves the folder as it was.
    2. Each existing target is hard-linked to a backup (same pattern), then the temporary
       files are renamed into place with ``Ctrl-C`` (SIGINT, SIGTERM) held back; if a
       rename fails, the backups are renamed back, so the folder is again as it was.
    3. The backups are removed and the folder synced.

    A folder this call created is removed again if nothing was written. Only a hard kill
    (SIGKILL, power loss) can stop it half-way: then every file still has either its
    previous or its new complete content, and ``.<name>.<random>.tmp`` files may remain.
    """
    umask = os.umask(0)
    os.umask(umask)
    created = _missing_folders(folder)
    written: list[tuple[str, Path]] = []
    done = False
    try:
        prepare_folder(folder, create=True)
        for name, data in files.items():
            target = folder / name
            if target.is_dir():
                raise SimError(
                    f"cannot write {target}: it is a folder; remove it or choose another --out"
                )
            payload = data.encode("utf-8") if isinstance(data, str) else data
            with _signals_held():  # so that no Ctrl-C comes between creating and listing it
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
                written.append((tmp, target))
            os.chmod(tmp, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        with _signals_held():
            _commit(folder, written)
            done = True
    except OSError as err:
        raise SimError(f"cannot write to {folder}: {err.strerror or err}") from None
    finally:
        with _signals_held():
            for tmp, _ in written:
                Path(tmp).unlink(missing_ok=True)
            if not done:
                for made in created:  # innermost first; only if still empty
                    try:
                        made.rmdir()
                    except FileNotFoundError:
                        continue
                    except OSError:
                        break
    _sync_folder(folder)


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its ancestors that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _commit(folder: Path, written: list[tuple[str, Path]]) -> None:
    """Rename each complete temporary file onto its target; on failure put the previous
    targets back (from hard-linked backups) and remove the new ones."""
    backups: list[tuple[Path, Path | None]] = []  # target, its backup (None: was absent)
    try:
        for _, target in written:
            backup = None
            if target.exists():
                fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
                os.close(fd)
                backup = Path(name)
                try:
                    backup.unlink()
                    os.link(target, backup)
                except OSError:  # no hard links here: a copy will do
                    import shutil

                    shutil.copy2(target, backup)
            backups.append((target, backup))
        renamed: list[Path] = []
        try:
            for tmp, target in written:
                os.replace(tmp, target)
                renamed.append(target)
        except BaseException:
            for target in reversed(renamed):
                previous = dict(backups)[target]
                if previous is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(previous, target)
            raise
    finally:
        for _, backup in backups:
            if backup is not None:
                backup.unlink(missing_ok=True)


class _signals_held:
    """Hold back SIGINT (Ctrl-C) and SIGTERM: record them while the block runs and raise
    them when it ends. (A signal mask would not do: the kernel gives a signal to any thread
    that does not block it, such as numpy's.) Only the main thread can do this; elsewhere
    it does nothing."""

    def __enter__(self) -> None:
        import signal
        import threading

        self.previous: dict[int, Any] = {}
        self.received: list[int] = []
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(signum) is not None:  # None: a handler Python cannot restore
                self.previous[signum] = signal.signal(signum, self._record)

    def _record(self, signum: int, frame: Any) -> None:
        self.received.append(signum)

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(self.received):
            signal.raise_signal(signum)  # now handled as it would have been


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _png(figure: Any) -> bytes:
    from sim.plot.render import png_bytes

    return png_bytes(figure)


def _figure_processes() -> int:
    """How many processes draw ``sim run``'s figures: ``$SIM_FIGURE_PROCESSES`` if set (0:
    this process draws them), else one per core up to 4 on a machine with two or more."""
    value = os.environ.get("SIM_FIGURE_PROCESSES", "").strip()
    if value:
        if not value.isdigit():
            raise SimError(
                f"SIM_FIGURE_PROCESSES must be a whole number (0 draws the figures in this "
                f"process), got {value!r}"
            )
        return int(value)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, 4) if (cores or 1) >= 2 else 0


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _console() -> Any:
    import shutil

    from rich.console import Console

    # Wide enough for the report's tables when the output is not a terminal.
    return Console(highlight=False, width=shutil.get_terminal_size((120, 24)).columns)


def _parse_sets(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise SimError(f"--set takes NAME=VALUE (e.g. --set g_us=3), got {item!r}")
        out[name.strip()] = value.strip()
    return out


def _load(path: Path, sets: list[str] | None = None) -> Any:
    from sim.scenario import load

    scenario = load(path)
    overrides = _parse_sets(sets)
    return scenario.with_parameters(**overrides) if overrides else scenario


MAX_ANALYSED_MOVES = 32
"""Most moves of any one player in a game that ``sim run``, ``sim report`` and ``sim compare``
analyse in full (``sim solve`` and ``sim validate`` take any game the loader accepts)."""
MAX_ANALYSED_PROFILES = 1_024
"""Most pure profiles of a game that ``sim run``, ``sim report`` and ``sim compare`` analyse in
full. Within both limits the whole analysis (equilibria, dominance, security levels, Pareto,
the explanations, QRE and learning dynamics where they apply, the report) takes under 1.5 s
here on the costliest shapes tried (32×32 games with distinct, tied or constant payoffs,
10×10×10, ten players with two moves, 15×15), besides exact enumeration, which the time
limit bounds. A 40×40 game takes about 2 s, 2×800 about 5 s, and the cost keeps growing
with the number of profiles and the moves per player."""


def _check_analysable(
    scenario: Any, path: Path, command: str, *, every_point: bool = False
) -> None:
    """Refuse, before anything is written, a game too large for the full analysis; with
    ``every_point`` (sweeps and Monte Carlo, which need every extreme equilibrium of each game
    they solve), also a two-player normal-form game too large for exact enumeration."""
    from sim.solvers import MAX_ENUMERATION_PROFILES

    shape = scenario.game.shape
    profiles = math.prod(shape)
    exact = not every_point or scenario.tree is not None or len(shape) != 2
    if not exact and profiles > MAX_ENUMERATION_PROFILES:
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    f"`sim {command}` needs every extreme equilibrium of the game at each point, "
                    f"and exact enumeration does not finish in reasonable time past "
                    f"{MAX_ENUMERATION_PROFILES} pure profiles (this game has {profiles:,}); "
                    "solve one point with `sim run` or `sim solve`, or, for a file you trust, "
                    "raise the limit with SIM_MAX_ENUMERATION_PROFILES",
                )
            ]
        )
    if profiles <= MAX_ANALYSED_PROFILES and max(shape) <= MAX_ANALYSED_MOVES:
        return
    size = "×".join(map(str, shape))
    raise ScenarioError(
        [
            Problem(
                str(path),
                1,
                1,
                f"this {size} game is larger than `sim {command}` analyses in full (at most "
                f"{MAX_ANALYSED_MOVES} moves per player and {MAX_ANALYSED_PROFILES:,} pure "
                f"profiles; it has {max(shape)} and {profiles:,}); find its equilibria with "
                f"`sim solve {path}`, or, for a file you trust, raise the limits with "
                "SIM_MAX_ANALYSED_MOVES and SIM_MAX_ANALYSED_PROFILES (larger games take "
                "longer: about 2 s at 40×40)",
            )
        ]
    )


def _warn(scenario: Any) -> None:
    for warning in scenario.warnings():
        print(warning, file=sys.stderr)


def _solve_tree_aware(
    scenario: Any, method: str = "auto", time_limit: float = DEFAULT_TIME_LIMIT
) -> Any:
    """Solve the scenario's game (:func:`sim.solvers.solve_scenario` for ``auto``: a game
    tree too large for exact enumeration gets its pure equilibria, a normal-form game whose
    enumeration runs out of time the equilibria Lemke–Howson finds) and print the notes
    that say so, so that the user knows what the list covers."""
    from sim.solvers import METHODS, solve, solve_scenario

    if method not in METHODS:
        raise SimError(f"unknown method {method!r}; use one of: {', '.join(METHODS)}")
    if method != "auto":
        solution = solve(scenario.game, method, time_limit=time_limit)  # type: ignore[arg-type]
    else:
        solution = solve_scenario(scenario, time_limit=time_limit)
    for note in solution.notes:
        print(f"note: {note}", file=sys.stderr)
    return solution


class _limits_from_environment:
    """Set the limits of :data:`LIMITS` given in the environment for one command, and put
    the previous values back afterwards (so that in-process callers, such as tests, see no
    lasting change). A module is imported only if one of its limits is set."""

    def __enter__(self) -> None:
        from importlib import import_module

        wanted: list[tuple[Any, str, int]] = []
        for variable, (module, attribute, largest) in LIMITS.items():
            text = os.environ.get(variable, "").strip()
            if not text:
                continue
            try:
                value = int(text)
            except ValueError:
                value = 0
            if not 1 <= value <= largest:
                raise SimError(
                    f"{variable} must be a whole number from 1 to {largest:,} (the default is "
                    f"{getattr(import_module(module), attribute):,}), got {text!r}"
                )
            wanted.append((import_module(module), attribute, value))
        self.previous = [(m, a, getattr(m, a)) for m, a, _ in wanted]
        for module, attribute, value in wanted:
            setattr(module, attribute, value)

    def __exit__(self, *exc: object) -> None:
        for module, attribute, value in self.previous:
            setattr(module, attribute, value)


# ----------------------------------------------------------------------------- commands
def _reported(command: Callable[..., None]) -> Callable[..., None]:
    """Turn the package's errors into a message and exit code 2, anything else into 1.

    No traceback reaches the user: a :class:`SimError` is an input problem they can fix; any
    other exception is a bug in negotiation-sim, reported as such in one line.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            with _limits_from_environment():
                command(*args, **kwargs)
        except CertificateError as err:  # a solver's own result failed: our bug
            print(f"internal error: {err}. Please report it with the input file.", file=sys.stderr)
            raise typer.Exit(1) from None
        except ScenarioError as err:  # already "path:line:col: message" lines
            print(str(err), file=sys.stderr)
            raise typer.Exit(2) from None
        except SimError as err:
            print(f"error: {err}", file=sys.stderr)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise typer.Exit(1) from None
        except Exception as err:
            print(
                f"internal error: {type(err).__name__}: {err}. Please report it with the "
                "command and the input file.",
                file=sys.stderr,
            )
            raise typer.Exit(1) from None

    return wrapper


@dataclass(frozen=True)
class _Run:
    """Everything ``sim run`` and ``sim report`` compute for one scenario."""

    scenario: Any
    solution: Any
    analysis: Any
    extras: dict[str, Any]  # flips, concepts, spe_flips: the report's further sections
    data: dict[str, Any]  # results.json
    images: dict[str, tuple[str, bytes]]  # file name -> (caption, PNG bytes)

    def markdown(
        self, figures: Mapping[str, str] | None = None, console_width: int | None = None
    ) -> str:
        """The report; ``figures`` maps each image file name to where the report finds it
        (the name itself, or a data URI); none for the terminal, whose ``console_width``
        replaces a payoff table wider than the terminal with a line saying where it is."""
        from sim.report import markdown_report

        where = None
        if figures is not None:
            where = {caption: figures[name] for name, (caption, _) in self.images.items()}
        return markdown_report(
            self.scenario,
            self.solution,
            self.analysis,
            figures=where,
            console_width=console_width,
            **self.extras,
        )

    def html(self, report: str) -> str:
        """``report`` (:meth:`markdown` with the figures by file name) as one self-contained
        HTML page, the figures embedded."""
        from sim.html import markdown_to_html

        return markdown_to_html(
            report,
            title=self.scenario.game.title or self.scenario.name,
            images={name: png for name, (_, png) in self.images.items()},
        )


def _analysed(
    scenario: Any,
    path: Path,
    set_: list[str] | None,
    pool: Any,
    command: str,
    lam: float | None = None,
    meanwhile: tuple[str, ...] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> _Run:
    """Solve and analyse ``scenario``; draw its figures in ``pool`` (a
    :class:`~sim.plot.render.FigurePool`, started before the scenario was loaded so that its
    workers import matplotlib meanwhile), or none if ``pool`` is None. The modules named in
    ``meanwhile`` (what the caller needs next) are imported while the figures are drawn."""
    from importlib import import_module

    from sim.analysis.concepts import concepts
    from sim.analysis.explain import explain
    from sim.analysis.overview import analyse
    from sim.analysis.thresholds import flip_thresholds
    from sim.report import results

    _warn(scenario)
    solution = _solve_tree_aware(scenario, time_limit=time_limit)
    analysis = analyse(scenario.game)
    found = concepts(scenario, solution, lam=lam)
    spe_flips: tuple[Any, ...] = ()
    if found.subgame_perfect is not None:
        # For a tree with perfect information the outcome that matters is the subgame-
        # perfect one; the strategic form's Nash structure (degenerate) is not swept.
        from sim.analysis.subgame_thresholds import spe_flip_thresholds

        flips: Any = ()
        spe_flips = spe_flip_thresholds(scenario)
    else:
        flips = flip_thresholds(scenario)

    # The figures are drawn while this process explains the equilibria and imports what
    # comes next. (Submitting any earlier gains nothing: the workers are still importing
    # matplotlib.)
    if pool is not None:
        pool.submit(_figure_jobs(scenario, solution, found))
    for module in meanwhile:
        import_module(module)
    extras = {
        "flips": flips,
        "concepts": found,
        "spe_flips": spe_flips,
        "explanation": explain(scenario, solution, analysis=analysis),
    }
    # Also while the figures are drawn: the record of how to remake the results.
    digest = _source_hash(path)
    remake = (
        _command_record(command, path, set_, [] if pool is not None else ["--no-figures"])
        + ([f"--lambda={lam!r}"] if lam is not None else [])
        + ([f"--time-limit={time_limit!r}"] if time_limit != DEFAULT_TIME_LIMIT else [])
    )
    record = _provenance(remake, [path], digests=[digest])
    images = _images(scenario, found, pool) if pool is not None else {}
    data = results(scenario, solution, analysis, figures=list(images), source_hash=digest, **extras)
    data["command"] = remake
    data["provenance"] = record
    return _Run(scenario, solution, analysis, extras, data, images)


@app.command()
@_reported
def run(
    scenario_path: ScenarioPath,
    out: OutOption = None,
    set_: SetOption = None,
    figures: Annotated[bool, typer.Option(help="Write PNG figures.")] = True,
    lam: LambdaOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the report.")] = False,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
) -> None:
    """Solve and analyse a scenario; print the report; write results.json, report.md and
    report.html (self-contained), and the figures."""
    # Started first: its workers import matplotlib while this process loads and analyses.
    with _figure_pool(figures) as pool:
        scenario = _load(scenario_path, set_)
        _check_analysable(scenario, scenario_path, "run")
        folder = out if out is not None else Path("out") / scenario.name
        prepare_folder(folder)
        # While the figures are drawn: what the report and the terminal need next.
        meanwhile = ("sim.html",) + (() if quiet else ("rich.console", "rich.markdown"))
        drawing = pool if figures else None
        done = _analysed(scenario, scenario_path, set_, drawing, "run", lam, meanwhile, time_limit)
    markdown = done.markdown({name: name for name in done.images})
    files: dict[str, bytes | str] = {
        "results.json": _json(done.data),
        "report.md": markdown,
        "report.html": done.html(markdown),
    }
    files.update({name: png for name, (_, png) in done.images.items()})
    write_files(folder, files)
    if not quiet:  # on the terminal the figures are listed as files, not as images
        from rich.markdown import Markdown

        console = _console()
        console.print(Markdown(done.markdown(console_width=console.width)))
    print(f"wrote {', '.join(files)} to {folder}/", file=sys.stderr)


@app.command()
@_reported
def report(
    scenario_path: ScenarioPath,
    out: OutOption = None,
    set_: SetOption = None,
    lam: LambdaOption = None,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
) -> None:
    """Write one self-contained report, <name>.md and <name>.html, with the figures embedded,
    fit to paste into a paper's appendix."""
    import base64

    with _figure_pool(True) as pool:
        scenario = _load(scenario_path, set_)
        _check_analysable(scenario, scenario_path, "report")
        folder = out if out is not None else Path("out") / scenario.name
        prepare_folder(folder)
        done = _analysed(
            scenario, scenario_path, set_, pool, "report", lam, ("sim.html",), time_limit
        )
    embedded = {
        name: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        for name, (_, png) in done.images.items()
    }
    stem = scenario.name
    files: dict[str, bytes | str] = {
        f"{stem}.md": done.markdown(embedded),
        f"{stem}.html": done.html(done.markdown({name: name for name in done.images})),
    }
    write_files(folder, files)
    print(f"wrote {', '.join(files)} to {folder}/", file=sys.stderr)


def _command_record(
    command: str, path: Path, sets: list[str] | None, flags: list[str] | None = None
) -> list[str]:
    return ["sim", command, str(path), *(flags or []), *(f"--set={s}" for s in sets or [])]


MAX_TREE_TABLE = 12
"""Most strategies per player for which a game tree's strategic form is also drawn."""


FIGURE_CAPTIONS = {
    "bimatrix": "Payoff table with equilibria",
    "payoff_space": "Payoff space: outcomes, Pareto frontier, equilibria, status quo",
    "best_response": "Best-response diagram",
    "tree": "Game tree (subgame-perfect choices highlighted)",
    "folk": "Repeated play: feasible and individually rational payoffs, target and δ*",
    "bargaining": "Bargaining: feasible set, disagreement point and solutions",
    "phase_portrait": "Learning dynamics: replicator field, rest points and the paths of "
    "replicator dynamics and fictitious play from near the status quo",
    "simplex": "Learning dynamics: each side's path on its simplex of mixtures",
    "qre": "Logit quantal response equilibria: each move's probability against λ",
}
"""The report's caption of each of ``sim run``'s figures, by file stem."""

_FIGURE_COSTS = {
    "bimatrix": 0.9,
    "payoff_space": 2.3,
    "best_response": 1.0,
    "tree": 3.0,
    "folk": 2.0,
    "bargaining": 2.7,
    "qre": 3.1,  # with its first mathematical text (the symmetric-log ticks)
    "dynamics": 4.0,
}
"""Rough drawing times in tenths of a second (London talks; the tree and folk figures
guessed), so that the workers start the costly figures first."""


def _figure_jobs(scenario: Any, solution: Any, found: Any) -> list[Any]:
    """The drawing calls of ``sim run``'s figures, in the report's order."""
    from sim.plot.figures import figure_calls
    from sim.plot.render import FigureJob

    jobs = []
    if scenario.tree is not None:
        from sim.plot.tree import tree_figure

        spe = found.subgame_perfect
        choices = spe.equilibria[0].choices if spe is not None and spe.equilibria else None
        title = {"title": scenario.game.title}
        cost = _FIGURE_COSTS["tree"]
        jobs.append(FigureJob(tree_figure, (scenario.tree, choices), title, stem="tree", cost=cost))
    # A tree's strategic form can have many strategies; its table is then unreadable.
    small = scenario.tree is None or max(scenario.game.shape) <= MAX_TREE_TABLE
    if scenario.game.n_players == 2 and small:
        calls = figure_calls(
            scenario.game, solution, scenario.status_quo, correlated=found.correlated
        )
        for stem, (draw, args) in calls.items():
            jobs.append(FigureJob(draw, args, stem=stem, cost=_FIGURE_COSTS[stem]))
    if found.repeated is not None:
        from sim.plot.repeated import folk_figure

        args = (scenario.game, found.repeated)
        jobs.append(FigureJob(folk_figure, args, stem="folk", cost=_FIGURE_COSTS["folk"]))
    if found.bargaining is not None:
        from sim.plot.bargaining import bargaining_figure

        args = (scenario.game, found.bargaining)
        cost = _FIGURE_COSTS["bargaining"]
        jobs.append(FigureJob(bargaining_figure, args, stem="bargaining", cost=cost))
    if found.qre is not None:
        from sim.plot.qre import qre_figure

        args = (found.qre, scenario.status_quo)
        jobs.append(FigureJob(qre_figure, args, stem="qre", cost=_FIGURE_COSTS["qre"]))
    if found.learning_dynamics is not None:
        from sim.plot.dynamics import dynamics_figures

        args = (found.learning_dynamics,)
        jobs.append(FigureJob(dynamics_figures, args, cost=_FIGURE_COSTS["dynamics"]))
    return jobs


def _images(scenario: Any, found: Any, pool: Any) -> dict[str, tuple[str, bytes]]:
    """File name -> (caption, PNG bytes) of ``sim run``'s figures (:func:`_figure_jobs`,
    submitted to ``pool``)."""
    spe = found.subgame_perfect
    choices = spe is not None and spe.equilibria and spe.equilibria[0].choices
    out: dict[str, tuple[str, bytes]] = {}
    for rendered in pool.results():
        for stem, png in rendered:
            caption = FIGURE_CAPTIONS.get(stem, stem)
            out[f"{stem}.png"] = ("Game tree" if stem == "tree" and not choices else caption, png)
    return out


@app.command("solve")
@_reported
def solve_command(
    path: ScenarioPath,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    method: Annotated[
        str,
        typer.Option(
            help="auto, vertex-enumeration (every extreme equilibrium, two players), "
            "lemke-howson (one per starting label, two players, large games) or pure."
        ),
    ] = "auto",
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    set_: SetOption = None,
) -> None:
    """Find the equilibria of a scenario or .nfg game."""
    from sim.analysis.concepts import concepts

    scenario = _load(path, set_)
    solution = _solve_tree_aware(scenario, method, time_limit)
    found = concepts(scenario, solution)
    if as_json:
        data = solution.to_dict()
        data["kind"] = scenario.kind
        data.update(found.to_dict())
        sys.stdout.write(_json(data))
        return
    _warn(scenario)
    _print_solution(scenario, solution)
    console = _console()
    for heading, sentences in found.sections():
        console.print(f"\n[bold]{heading}[/bold]")
        for sentence in sentences:
            console.print(f"- {sentence}", highlight=False, markup=False)


MAX_PRINTED_EQUILIBRIA = 100
"""Most equilibria ``sim solve`` prints as a table (a constant 100×100 game has 10,000, and
printing them takes seconds); ``--json`` lists every one."""


def _print_solution(scenario: Any, solution: Any) -> None:
    from rich.table import Table

    from sim.game import value_text

    game = scenario.game
    what = {"extreme": "extreme equilibria", "pure": "pure equilibria", "some": "equilibria found"}[
        solution.complete
    ]
    name = game.title or scenario.name
    if len(name) > 120:  # a title is the file's to choose: the terminal shows its start
        name = name[:119] + "…"
    table = Table(
        title=f"{name}: {len(solution.equilibria)} {what} "
        f"({solution.method}{', degenerate' if solution.degenerate else ''})"
    )
    table.add_column("", justify="right")
    for name in game.players:
        table.add_column(f"{name} strategy")
    table.add_column("payoffs")
    for k, eq in enumerate(solution.equilibria[:MAX_PRINTED_EQUILIBRIA], start=1):
        cells = []
        for i, strategy in enumerate(eq.strategies):
            cells.append(
                ", ".join(
                    f"{game.moves[i][j]} {value_text(p)}" for j, p in enumerate(strategy) if p > 0
                )
            )
        table.add_row(f"NE{k}", *cells, ", ".join(value_text(v) for v in eq.payoffs))
    console = _console()
    console.print(table)
    unprinted = len(solution.equilibria) - MAX_PRINTED_EQUILIBRIA
    if unprinted > 0:
        console.print(
            f"{unprinted:,} more equilibri{'um is' if unprinted == 1 else 'a are'} not shown "
            f"(the first {MAX_PRINTED_EQUILIBRIA} are); `sim solve --json` lists them all."
        )
    for component in solution.components:
        if not component.is_isolated:
            members = ", ".join(f"NE{i + 1}" for i in component.equilibria)
            console.print(
                f"{members} are extreme points of one continuum of equilibria; "
                "`sim run` describes it."
            )
    if solution.complete == "pure" and not solution.notes:
        console.print("Only pure equilibria were searched (mixed ones are not, for this method).")
    if solution.complete == "some" and not solution.notes:
        console.print(
            "These are the equilibria Lemke–Howson reached from every starting label; the "
            "game may have others (method vertex-enumeration lists every extreme one)."
        )


@app.command()
@_reported
def sweep(
    scenario_path: ScenarioPath,
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            help="NAME=LOW:HIGH[:STEPS], once for a 1-D sweep, twice for a 2-D regime map "
            "[default STEPS: 101 in 1-D, 41 in 2-D].",
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder [default: out/<scenario name>/sweep]."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Fix another parameter, NAME=VALUE (repeatable)."),
    ] = None,
    figures: Annotated[bool, typer.Option(help="Write PNG figures.")] = True,
    colour_by: Annotated[
        str,
        typer.Option(
            "--colour-by",
            help="Colour a 2-D regime map by the equilibrium 'structure' or by the ordinal "
            "game 'type' (Robinson–Goforth, 2×2 games).",
        ),
    ] = "structure",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the summary.")] = False,
) -> None:
    """Solve a scenario exactly on a grid of one or two parameters; find the flip thresholds.

    1-D: how each equilibrium moves (bifurcation plot) and the exact parameter values where
    the equilibrium set changes, in sentences. 2-D: a regime map of equilibrium structures
    (with thresholds along each axis at the other parameter's value). Writes sweep.csv
    (tidy: one row per point, equilibrium, player and move), sweep.json and figures. For a
    game tree with perfect information also the subgame-perfect outcome at every point
    (spe_sweep.csv, spe_outcomes.png or spe_regime_map.png).
    """
    from sim.analysis.sweep import sweep as run_sweep
    from sim.analysis.thresholds import thresholds

    if colour_by not in ("structure", "type"):
        raise SimError(f"--colour-by takes structure or type, got {colour_by!r}")
    if not param or len(param) > 2:
        raise SimError("give --param once (1-D sweep) or twice (2-D regime map)")
    if colour_by != "structure" and len(param) == 1:
        raise SimError("--colour-by colours a 2-D regime map; give --param twice, or drop it")
    axes = [_parse_axis(p, 101 if len(param) == 1 else 41) for p in param]
    swept_and_set = sorted({a[0] for a in axes} & set(_parse_sets(set_)))
    if swept_and_set:
        raise SimError(
            f"{', '.join(swept_and_set)} is swept by --param; do not also fix it with --set"
        )
    scenario = _load(scenario_path, set_)
    _check_analysable(scenario, scenario_path, "sweep", every_point=True)
    folder = out if out is not None else Path("out") / scenario.name / "sweep"
    prepare_folder(folder)
    _warn(scenario)
    result = run_sweep(scenario, axes)
    flips = [thresholds(scenario, name, low, high) for name, low, high, _ in axes]
    spe = None
    if scenario.tree is not None and scenario.tree.perfect_information:
        from sim.analysis.spe_sweep import spe_sweep

        spe = spe_sweep(scenario, axes)
    data = result.to_dict()
    data["thresholds"] = [f.to_dict() for f in flips]
    if spe is not None:
        data["subgame_perfect"] = spe.to_dict()
    data["source_sha256"] = _source_hash(scenario_path)
    data["command"] = [
        "sim",
        "sweep",
        str(scenario_path),
        *(f"--param={p}" for p in param),
        *(f"--set={s}" for s in set_ or []),
        *([f"--colour-by={colour_by}"] if colour_by != "structure" else []),
    ]
    data["provenance"] = _provenance(data["command"], [scenario_path])
    files: dict[str, bytes | str] = {
        "sweep.csv": _csv(list(result.rows())),
        "sweep.json": _json(data),
    }
    if spe is not None:
        files["spe_sweep.csv"] = _csv(list(spe.rows()))
    if figures:
        from sim.plot.sweep import spe_sweep_figures, sweep_figures

        files.update(
            {
                f"{k}.png": _png(f)
                for k, f in sweep_figures(result, flips, colour_by=colour_by).items()
            }
        )
        if spe is not None:
            files.update({f"{k}.png": _png(f) for k, f in spe_sweep_figures(spe).items()})
    write_files(folder, files)
    if not quiet:
        _print_sweep(result, flips)
        if spe is not None:
            console = _console()
            console.print("\n[bold]Subgame-perfect outcome[/bold]")
            for sentence in spe.sentences():
                console.print(f"• {sentence}", highlight=False, markup=False)
    print(f"wrote {', '.join(files)} to {folder}/", file=sys.stderr)


def _parse_axis(text: str, default_steps: int) -> tuple[str, str, str, int]:
    name, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or not name.strip() or len(parts) not in (2, 3) or not all(x.strip() for x in parts):
        raise SimError(
            f"--param takes NAME=LOW:HIGH or NAME=LOW:HIGH:STEPS (e.g. g_us=0:4:41), got {text!r}"
        )
    steps = default_steps
    if len(parts) == 3:
        try:
            steps = int(parts[2])
        except ValueError:
            raise SimError(
                f"--param {text!r}: STEPS must be a whole number, got {parts[2]!r}"
            ) from None
    return name.strip(), parts[0].strip(), parts[1].strip(), steps


def _print_sweep(result: Any, flips: list[Any]) -> None:
    from rich.table import Table

    from sim.game import value_text

    console = _console()
    game = result.game
    for flip in flips:
        table = Table(title=f"{game.title}: equilibrium structure along {flip.parameter}")
        table.add_column(flip.parameter, justify="right")
        table.add_column("equilibrium structure")
        for lo, hi, shape in flip.pieces():
            if lo == hi:
                where = f"= {value_text(lo)}"
            elif shape is None:
                where = f"{value_text(lo)} … {value_text(hi)}"
            else:
                where = f"({value_text(lo)}, {value_text(hi)})"
            table.add_row(where, shape.label(game) if shape is not None else "(threshold)")
        console.print(table)
        for sentence in flip.sentences():
            console.print(f"• {sentence}")
        if flip.method != "polynomial":
            console.print(
                f"Thresholds found by bisection to {float(flip.width):.3g}: {flip.reason}"
            )
    if len(result.axes) == 2:
        counts: dict[str, int] = {}
        for point in result.points:
            label = point.structure.label(game)
            counts[label] = counts.get(label, 0) + 1
        table = Table(title="Regime map: share of the grid per equilibrium structure")
        table.add_column("equilibrium structure")
        table.add_column("grid points", justify="right")
        for label, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            table.add_row(label, f"{count} ({100 * count / len(result.points):.1f}%)")
        console.print(table)


@app.command()
@_reported
def montecarlo(
    scenario_path: ScenarioPath,
    draws: Annotated[int, typer.Option("--draws", "-n", help="Number of draws.")] = 100_000,
    seed: Annotated[
        int | None,
        typer.Option(help="Random seed [default: the scenario's seed, else a fresh one]."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address (tcp://host:8786) [default: $SIM_SCHEDULER, "
            "else in-process].",
        ),
    ] = None,
    blocks_per_task: Annotated[
        int, typer.Option(help="Blocks of 65,536 draws per Dask task.")
    ] = 16,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Output folder [default: out/<scenario name>/montecarlo]."
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Fix a parameter at a value, NAME=VALUE (repeatable); its distribution, "
            "if any, is not sampled.",
        ),
    ] = None,
    figures: Annotated[bool, typer.Option(help="Write PNG figures.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the summary.")] = False,
) -> None:
    """Sample the uncertain parameters, solve every draw, report outcome probabilities.

    Writes montecarlo.json, outcomes.csv and figures (outcomes, histograms, tornado,
    convergence). The same seed gives the same results, locally or on a cluster.
    """
    import time

    from sim.analysis.montecarlo import montecarlo as run_montecarlo

    # --set fixes a parameter: its distribution, if any, is not sampled.
    scenario = _load(scenario_path, set_).without_distributions(*_parse_sets(set_))
    _check_analysable(scenario, scenario_path, "montecarlo", every_point=True)
    folder = out if out is not None else Path("out") / scenario.name / "montecarlo"
    prepare_folder(folder)
    _warn(scenario)
    if scenario.tree is not None:
        print(
            "note: a game tree's strategic form is degenerate, so the Nash equilibria of "
            "each draw are found by the exact solver one draw at a time (hundreds of draws "
            "a second, not millions); use --draws to choose how many"
            + (
                ". Subgame-perfect outcomes are found for all draws at once."
                if scenario.tree.perfect_information
                else "."
            ),
            file=sys.stderr,
        )
    start = time.perf_counter()
    with _progress(draws) as advance:
        result = run_montecarlo(
            scenario,
            draws,
            seed,
            scheduler=scheduler,
            blocks_per_task=blocks_per_task,
            progress=advance,
        )
    elapsed = time.perf_counter() - start
    data = result.to_dict()
    data["source_sha256"] = _source_hash(scenario_path)
    data["command"] = [
        "sim",
        "montecarlo",
        str(scenario_path),
        f"--draws={draws}",
        f"--seed={result.seed}",
        *(f"--set={s}" for s in set_ or []),
    ]
    data["provenance"] = _provenance(data["command"], [scenario_path], seed=result.seed)
    files: dict[str, bytes | str] = {
        "montecarlo.json": _json(data),
        "outcomes.csv": _csv(result.rows()),
    }
    if figures:
        from sim.plot.montecarlo import montecarlo_figures

        files.update({f"{k}.png": _png(f) for k, f in montecarlo_figures(result).items()})
    write_files(folder, files)
    if not quiet:
        _print_montecarlo(result)
    print(
        f"{result.draws:,} draws in {elapsed:.2f} s ({result.draws / elapsed:,.0f} draws/s), "
        f"seed {result.seed}; wrote {', '.join(files)} to {folder}/",
        file=sys.stderr,
    )


def _source_hash(path: Path) -> str | None:
    """SHA-256 of the file's bytes (what ``sha256sum`` prints), None if it cannot be read."""
    from sim.report import scenario_hash

    try:
        return scenario_hash(path.read_bytes())
    except OSError:
        return None


def _provenance(
    command: list[str],
    paths: list[Path],
    seed: int | None = None,
    digests: list[str | None] | None = None,
) -> Any:
    """The ``provenance`` record of a results file (:func:`sim.report.provenance`); the
    files' ``digests`` are computed unless given."""
    from sim.report import provenance

    if digests is None:
        digests = [_source_hash(p) for p in paths]
    inputs = [(str(p), d) for p, d in zip(paths, digests, strict=True)]
    return provenance(command, inputs, seed=seed)


def _csv(rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


class _progress:
    """A rich progress bar on stderr for long runs at a terminal; otherwise nothing."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if self.total >= 500_000 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            task = self.bar.add_task("draws", total=self.total)
            return lambda done: self.bar.advance(task, done)
        return lambda done: None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_montecarlo(result: Any) -> None:
    from rich.table import Table

    console = _console()

    def percent(o: Any) -> tuple[str, str]:
        return f"{100 * o.probability:.2f}%", f"{100 * o.low:.2f}–{100 * o.high:.2f}%"

    title = f"{result.title}: {result.draws:,} draws, seed {result.seed}"
    table = Table(title=title)
    table.add_column("equilibrium structure")
    table.add_column("probability", justify="right")
    table.add_column("95% interval", justify="right")
    for o in result.structures[:12]:
        table.add_row(o.label, *percent(o))
    if len(result.structures) > 12:
        rest = sum(o.probability for o in result.structures[12:])
        table.add_row(f"({len(result.structures) - 12} more)", f"{100 * rest:.2f}%", "")
    console.print(table)
    profiles = Table(title="Probability that each pure profile is an equilibrium")
    profiles.add_column("profile")
    profiles.add_column("probability", justify="right")
    profiles.add_column("95% interval", justify="right")
    for o in result.profiles:
        profiles.add_row(o.label, *percent(o))
    console.print(profiles)
    if result.subgame_perfect:
        spe = Table(title="Subgame-perfect outcome (moves on the equilibrium path)")
        spe.add_column("outcome")
        spe.add_column("probability", justify="right")
        spe.add_column("95% interval", justify="right")
        for o in result.subgame_perfect:
            spe.add_row(o.label, *percent(o))
        console.print(spe)
    if result.game_types:
        types = Table(title="Game type")
        types.add_column("type")
        types.add_column("probability", justify="right")
        types.add_column("95% interval", justify="right")
        for o in result.game_types:
            types.add_row(o.label, *percent(o))
        console.print(types)
    if result.sensitivity:
        ranking = Table(
            title="Sensitivity: outcome distribution, lowest vs highest decile of each parameter"
        )
        ranking.add_column("parameter")
        ranking.add_column("distance", justify="right")
        ranking.add_column("lowest decile", justify="right")
        ranking.add_column("highest decile", justify="right")
        for s in result.sensitivity:
            ranking.add_row(
                s.parameter, f"{s.distance:.3f}", f"≤ {s.low_cut:.4g}", f"≥ {s.high_cut:.4g}"
            )
        console.print(ranking)
        console.print(
            "distance: total variation between the outcome distributions in the two deciles "
            "(0: no effect, 1: disjoint outcomes)"
        )
    console.print(f"Convergence: {result.convergence.message}")
    if result.exact_draws:
        console.print(
            f"{result.exact_draws:,} draws had ties or near-ties and were decided in exact "
            "arithmetic (the exact single-game solver or exact game-type classification)."
        )


def _per_scenario_sets(values: list[str] | None, count: int) -> list[list[str]]:
    """``--set NAME=VALUE`` applies to every scenario, ``--set K:NAME=VALUE`` to the K-th."""
    out: list[list[str]] = [[] for _ in range(count)]
    for item in values or []:
        position, sep, rest = item.partition(":")
        if sep and position.strip().isdigit():
            k = int(position)
            if not 1 <= k <= count:
                raise SimError(
                    f"--set {item}: there are {count} scenarios, so K in K:NAME=VALUE runs "
                    f"from 1 to {count}"
                )
            out[k - 1].append(rest)
        else:
            for sets in out:
                sets.append(item)
    return out


@app.command("compare")
@_reported
def compare_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more scenario or .nfg files (the same file twice with different "
            "--set K:NAME=VALUE compares before and after).",
            show_default=False,
            metavar="SCENARIO...",
        ),
    ],
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="NAME=VALUE for every scenario, or K:NAME=VALUE for the K-th only (repeatable).",
        ),
    ] = None,
    name: Annotated[
        list[str] | None,
        typer.Option("--name", help="A column name per scenario, in order [default: file stems]."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also write compare.md, compare.html, compare.json here."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
) -> None:
    """Side-by-side equilibria and payoffs of several scenarios, and what changes between them."""
    from sim.analysis.compare import compare

    if len(paths) < 2:
        raise SimError("give two or more scenario files to compare")
    if name is not None and len(name) != len(paths):
        raise SimError(f"give --name once per scenario ({len(paths)} scenarios, {len(name)} names)")
    sets = _per_scenario_sets(set_, len(paths))
    scenarios = [_load(path, own) for path, own in zip(paths, sets, strict=True)]
    for path, scenario in zip(paths, scenarios, strict=True):
        _check_analysable(scenario, path, "compare")
    if out is not None:
        prepare_folder(out)
    for scenario in scenarios:
        _warn(scenario)
    solutions = [_solve_tree_aware(scenario, time_limit=time_limit) for scenario in scenarios]
    found = compare(scenarios, solutions, names=name)
    data = found.to_dict()
    data["command"] = [
        "sim",
        "compare",
        *map(str, paths),
        *(f"--set={s}" for s in set_ or []),
        *(f"--name={n}" for n in name or []),
        *([f"--time-limit={time_limit!r}"] if time_limit != DEFAULT_TIME_LIMIT else []),
    ]
    data["provenance"] = _provenance(data["command"], list(paths))
    title = "Comparison: " + ", ".join(found.names)
    markdown = "\n".join([f"# {title}", "", *found.markdown_lines()]).rstrip() + "\n"
    if out is not None:
        from sim.html import markdown_to_html

        files: dict[str, bytes | str] = {
            "compare.md": markdown,
            "compare.html": markdown_to_html(markdown, title=title),
            "compare.json": _json(data),
        }
        write_files(out, files)
    if as_json:
        sys.stdout.write(_json(data))
    else:
        from rich.markdown import Markdown

        _console().print(Markdown(markdown))
    if out is not None:
        print(f"wrote compare.md, compare.html, compare.json to {out}/", file=sys.stderr)


@app.command()
@_reported
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario or .nfg files.", show_default=False)
    ],
) -> None:
    """Check scenario files and report every problem found (exit 2 if any)."""
    from sim.scenario import load

    failed = False
    for path in paths:
        try:
            scenario = load(path)
        except ScenarioError as error:
            failed = True
            for problem in error.problems:
                print(problem, file=sys.stderr)
            continue
        game = scenario.game
        shape = "×".join(str(k) for k in game.shape)
        cited = f", cites {len(scenario.evidence)} evidence items" if scenario.evidence else ""
        if scenario.tree is not None:
            what = f"game tree of {len(scenario.tree.nodes)} nodes, reduced strategic form {shape}"
        elif scenario.repeated is not None:
            what = f"repeated {shape} stage game"
        else:
            what = f"{shape} moves"
        print(
            f"ok: {path}: {game.n_players} players, {what}, "
            f"{len(scenario.parameters)} parameters{cited}"
        )
        _warn(scenario)
    if failed:
        raise typer.Exit(2)


@app.command()
@_reported
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    from sim.schema import scenario_json_schema

    text = _json(scenario_json_schema())
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)


@app.command()
@_reported
def new(
    name: Annotated[str, typer.Argument(help="Scenario name (file stem), e.g. my_talks.")],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to create it in.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Create a commented scenario template NAME.yaml."""
    from sim.template import scenario_template

    stem = name.removesuffix(".yaml")
    if not stem or any(c in stem for c in "/\\") or stem.startswith("."):
        raise SimError(f"scenario name {name!r} must be a plain file stem like my_talks")
    target = folder / f"{stem}.yaml"
    if target.exists() and not force:
        raise SimError(f"{target} already exists; choose another name or pass --force")
    write_atomic(target, scenario_template(stem))
    print(f"wrote {target}; edit it, then: sim run {target}", file=sys.stderr)


# --------------------------------------------------------------------------- entry point
def main() -> None:
    """Run the command line (the ``sim`` console script)."""
    try:
        _start_early(sys.argv[1:])
        app(prog_name="sim")
    finally:
        while _EARLY:
            _EARLY.pop().close()


_EARLY: list[Any] = []
"""The figure pool :func:`main` started for this ``sim run`` or ``sim report``, if any."""


def _start_early(args: list[str]) -> None:
    """For ``sim run`` and ``sim report``, before typer parses the command line (its
    parameter handling imports pydantic, 0.1 s): import the figure modules (and the
    analyses they draw) and start the figure workers, which share them and import
    matplotlib while this process parses, loads and analyses."""
    from importlib import import_module

    if args[:1] not in (["run"], ["report"]) or {"--no-figures", "--help"} & set(args):
        return
    try:
        processes = _figure_processes()
        if processes:
            from sim.plot.render import WARM_MODULES, FigurePool

            for module in WARM_MODULES:
                import_module(module)
            _EARLY.append(FigurePool(processes).start())
    except Exception:
        return  # only a head start: the command meets the problem again and reports it


def _figure_pool(figures: bool) -> Any:
    """The figure pool of a ``sim run`` or ``sim report``: the one :func:`main` started, or
    a new one (none drawing if not ``figures``)."""
    from sim.plot.render import FigurePool

    if _EARLY:
        pool = _EARLY.pop()
        if figures:
            return pool
        pool.close()
    return FigurePool(_figure_processes() if figures else 0)


if __name__ == "__main__":
    main()
