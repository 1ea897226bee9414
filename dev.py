#!/usr/bin/env python3
"""Set up and run negotiation-sim with nothing but Python 3.11+.

    python3 dev.py demo   # create .venv, install; solve, sweep and Monte Carlo the London talks
    python3 dev.py test   # install the dev tools (and the pygambit oracle), lint, run the tests

Extra arguments after ``test`` go to pytest (``python3 dev.py test -k nfg``).
Set ``VENV`` to use another virtual-environment folder.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(*args: str | Path) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([str(a) for a in args], cwd=ROOT)


def _ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be started by an older Python)
        sys.exit(f"negotiation-sim needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)


def _install(extra: str) -> bool:
    """pip-install the project with an extra, skipping the work if nothing changed."""
    stamp = VENV / f".negotiation-sim-{extra or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return True
    target = f".[{extra}]" if extra else "."
    if _run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target):
        return False
    stamp.write_text(digest)
    return True


def demo() -> int:
    _ensure_venv()
    if not _install(""):
        return 1
    london = "scenarios/london_talks.yaml"
    return (
        _run(BIN / "sim", "run", london)
        # When does the deal become an equilibrium? (China's truce bonus set high enough.)
        or _run(BIN / "sim", "sweep", london, "--param", "g_us=0:4", "--set", "g_cn=4")
        # How likely is each outcome, given the uncertainty in the parameters?
        or _run(BIN / "sim", "montecarlo", london, "--draws", "1000000", "--seed", "2025")
    )


def test(pytest_args: list[str]) -> int:
    _ensure_venv()
    if not _install("dev"):
        # pygambit (the test oracle) compiles from source; without a C++ compiler it cannot
        # be installed. Run everything else; its tests are then skipped, unless
        # SIM_REQUIRE_ORACLE=1 (as in CI) makes them fail.
        print(
            "warning: could not install the dev extra (pygambit needs a C++ compiler); "
            "installing the test tools without the oracle",
            file=sys.stderr,
            flush=True,
        )
        if not _install("test"):
            return 1
    lint = (
        _run(PYTHON, "-m", "ruff", "check", ".")
        or _run(PYTHON, "-m", "ruff", "format", "--check", ".")
        or _run(PYTHON, "-m", "mypy")
    )
    tests = _run(PYTHON, "-m", "pytest", *pytest_args)
    if lint:
        print("lint or type check failed (see above)", file=sys.stderr)
    return tests or lint


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__, file=sys.stderr)
        return 2
    return demo() if argv[0] == "demo" else test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
