"""The tutorial notebooks in ``notebooks/``: in sync, free of library logic, and executed.

Each notebook is a pair: ``NN_name.py`` (jupytext ``py:percent``, the reviewed source) and
``NN_name.ipynb`` (committed without outputs, for plain Jupyter). The tests check that

1. each ``.ipynb`` is exactly what :func:`notebook_text` makes from its ``.py`` (jupytext's
   conversion, outputs and execution counts stripped, and cell ids pinned to a hash of each
   cell so that regenerating gives identical bytes);
2. a notebook defines no library logic: its only functions are UI callbacks (names starting
   with one of :data:`CALLBACK_PREFIXES`), it defines no classes, and it imports only
   :data:`ALLOWED_IMPORTS`;
3. each notebook runs top to bottom in a fresh kernel (nbclient, this Python's ``python3``
   kernel, working directory ``notebooks/``, ``MPLBACKEND=Agg``) without a cell error; a
   failure shows the cell's source and traceback.

Regenerate every ``.ipynb`` from its ``.py`` with ``python tests/test_notebooks.py``.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
EXPECTED = (
    "01_quickstart",
    "02_what_if_explorer",
    "03_sweeps_thresholds_montecarlo",
    "04_sequential_repeated_bargaining",
    "05_comparing_scenarios",
)

CELL_TIMEOUT = 120
"""Seconds a single cell may run before the execution test fails."""

CALLBACK_PREFIXES = ("on_", "update")
"""The only functions a notebook may define: widget callbacks that call ``sim`` and display."""

ALLOWED_IMPORTS = ("sim", "IPython", "ipywidgets", "pathlib")
"""Top-level packages a notebook may import."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def notebook_text(source: Path) -> str:
    """The ``.ipynb`` text for a ``py:percent`` notebook: no outputs, stable cell ids.

    jupytext gives new cells random ids; here each id is the first 8 hex digits of the
    SHA-256 of the cell's type and source (``-2``, ``-3``, ... for repeated cells), so that
    editing one cell changes only its own id.
    """
    import jupytext

    notebook = jupytext.read(source)
    seen: dict[str, int] = {}
    for cell in notebook.cells:
        digest = hashlib.sha256(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell.id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return jupytext.writes(notebook, fmt="ipynb") + "\n"


def write_notebooks() -> None:
    """Rewrite every ``notebooks/NN_*.ipynb`` from its ``.py``."""
    for source in SOURCES:
        target = source.with_suffix(".ipynb")
        text = notebook_text(source)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {target.relative_to(ROOT)}")


def test_every_notebook_is_there() -> None:
    assert tuple(s.stem for s in SOURCES) == EXPECTED
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == list(EXPECTED)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ipynb_matches_its_source(source: Path) -> None:
    pytest.importorskip("jupytext")
    committed = source.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert committed == notebook_text(source), (
        f"{source.with_suffix('.ipynb').name} is out of sync with {source.name} (or has "
        "outputs); regenerate it with: python tests/test_notebooks.py"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_defines_no_library_logic(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    problems = []
    for node in ast.walk(tree):
        where = f"{source.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ClassDef):
            problems.append(f"{where}: class {node.name} (notebooks define no classes)")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith(CALLBACK_PREFIXES):
                problems.append(
                    f"{where}: function {node.name} (only UI callbacks named "
                    f"{' or '.join(p + '...' for p in CALLBACK_PREFIXES)}; move logic to sim/)"
                )
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                if (name or "").split(".")[0] not in ALLOWED_IMPORTS:
                    problems.append(f"{where}: import of {name} (allowed: {ALLOWED_IMPORTS})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_runs(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.reads(notebook_text(source), as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    failure = None
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        failure = _ANSI.sub("", str(err))  # the cell's source and its traceback
    if failure is not None:  # outside the except block, so the report shows it only once
        pytest.fail(f"{source.name}: {failure}", pytrace=False)
    errors = [
        (k, cell.source, output)
        for k, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors, errors
    # Every code cell ran, and the figures were drawn as images.
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, f"{source.name} displayed no figure"


if __name__ == "__main__":
    sys.exit(write_notebooks())
