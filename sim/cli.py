"""The ``sim`` command line: run, solve, validate, schema, new.

The only module that prints or writes files. Exit codes: 0 success, 2 invalid input (a
positioned message on stderr, no traceback), 1 anything else.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.errors import CertificateError, ScenarioError, SimError

app = typer.Typer(
    name="sim",
    help="negotiation-sim: solve negotiation scenarios exactly and explain the equilibria.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ScenarioPath = Annotated[
    Path, typer.Argument(help="A scenario .yaml file or a Gambit .nfg file.", show_default=False)
]


# ------------------------------------------------------------------------ file writing
def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file via a temporary file in the same folder and a rename.

    A reader sees the previous complete file or the new complete file, never a part.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise SimError(
            f"cannot write {path}: {err.strerror or err}; choose another output folder"
        ) from None
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise SimError(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def _warn(scenario: Any) -> None:
    for warning in scenario.warnings():
        print(warning, file=sys.stderr)


# ----------------------------------------------------------------------------- commands
def _reported(command: Callable[..., None]) -> Callable[..., None]:
    """Turn the package's errors into a message and exit code 2, anything else into 1.

    No traceback reaches the user: a :class:`SimError` is an input problem they can fix; any
    other exception is a bug in negotiation-sim, reported as such in one line.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
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


@app.command()
@_reported
def run(
    scenario_path: ScenarioPath,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder [default: out/<scenario name>]."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable)."),
    ] = None,
    figures: Annotated[bool, typer.Option(help="Write PNG figures.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the report.")] = False,
) -> None:
    """Solve and analyse a scenario; print the report; write results.json, report.md, figures."""
    from sim.analysis.overview import analyse
    from sim.report import markdown_report, results, scenario_hash
    from sim.solvers import solve

    scenario = _load(scenario_path, set_)
    _warn(scenario)
    solution = solve(scenario.game)
    analysis = analyse(scenario.game)
    folder = out if out is not None else Path("out") / scenario.name

    written: dict[str, str] = {}
    if figures:
        written = _write_figures(scenario, solution, folder)
    text = scenario_path.read_text(encoding="utf-8-sig")
    data = results(
        scenario,
        solution,
        analysis,
        figures=list(written.values()),
        source_hash=scenario_hash(text),
    )
    data["command"] = _command_record(scenario_path, set_)
    report = markdown_report(scenario, solution, analysis, figures=written)
    write_atomic(folder / "results.json", _json(data))
    write_atomic(folder / "report.md", report)
    if not quiet:  # on the terminal the figures are listed as files, not as images
        from rich.markdown import Markdown

        _console().print(Markdown(markdown_report(scenario, solution, analysis)))
    files = ["results.json", "report.md", *written.values()]
    print(f"wrote {', '.join(files)} to {folder}/", file=sys.stderr)


def _command_record(path: Path, sets: list[str] | None) -> list[str]:
    return ["sim", "run", str(path), *(f"--set={s}" for s in sets or [])]


def _write_figures(scenario: Any, solution: Any, folder: Path) -> dict[str, str]:
    import io

    from sim.plot import all_figures

    captions = {
        "bimatrix": "Payoff table with equilibria",
        "payoff_space": "Payoff space: outcomes, Pareto frontier, equilibria, status quo",
        "best_response": "Best-response diagram",
    }
    written: dict[str, str] = {}
    if scenario.game.n_players != 2:
        return written
    for stem, figure in all_figures(scenario.game, solution, scenario.status_quo).items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        name = f"{stem}.png"
        write_atomic(folder / name, buffer.getvalue())
        written[captions.get(stem, stem)] = name
    return written


@app.command("solve")
@_reported
def solve_command(
    path: ScenarioPath,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    method: Annotated[
        str, typer.Option(help="auto, vertex-enumeration (two players) or pure.")
    ] = "auto",
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Find the equilibria of a scenario or .nfg game."""
    from sim.solvers import solve

    if method not in ("auto", "vertex-enumeration", "pure"):
        raise SimError(f"unknown method {method!r}; use auto, vertex-enumeration or pure")
    scenario = _load(path, set_)
    solution = solve(scenario.game, method)  # type: ignore[arg-type]
    if as_json:
        sys.stdout.write(_json(solution.to_dict()))
        return
    _warn(scenario)
    _print_solution(scenario, solution)


def _print_solution(scenario: Any, solution: Any) -> None:
    from rich.table import Table

    from sim.game import value_text

    game = scenario.game
    what = "extreme equilibria" if solution.complete == "extreme" else "pure equilibria"
    table = Table(
        title=f"{game.title or scenario.name}: {len(solution.equilibria)} {what} "
        f"({solution.method}{', degenerate' if solution.degenerate else ''})"
    )
    table.add_column("", justify="right")
    for name in game.players:
        table.add_column(f"{name} strategy")
    table.add_column("payoffs")
    for k, eq in enumerate(solution.equilibria, start=1):
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
    for component in solution.components:
        if not component.is_isolated:
            members = ", ".join(f"NE{i + 1}" for i in component.equilibria)
            console.print(
                f"{members} are extreme points of one continuum of equilibria; "
                "`sim run` describes it."
            )
    if solution.complete == "pure":
        console.print("Only pure equilibria were searched (mixed ones are not, for this method).")


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
        print(
            f"ok: {path}: {game.n_players} players, {shape} moves, "
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
    app(prog_name="sim")


if __name__ == "__main__":
    main()
