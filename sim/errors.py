"""The project's exceptions: one base class, a positioned scenario error, a solver error.

Every error a user can cause is a :class:`SimError`; the command line turns these into a
message and exit code 2 without a traceback. Each class also subclasses the builtin it
refines, so ``except ValueError`` keeps working for callers who do not know this module.

>>> err = ScenarioError([Problem("x.yaml", 3, 7, "unknown player 'USA'; use one of: US, China")])
>>> str(err)
"x.yaml:3:7: unknown player 'USA'; use one of: US, China"
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CertificateError",
    "EnumerationStopped",
    "ExpressionError",
    "Problem",
    "ScenarioError",
    "SimError",
    "SolverError",
]


class SimError(Exception):
    """Base class of every error raised on purpose by negotiation-sim."""


@dataclass(frozen=True, order=True)
class Problem:
    """One positioned complaint about an input file (1-based line and column)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ScenarioError(SimError, ValueError):
    """An input file (scenario YAML or Gambit ``.nfg``) is invalid.

    Carries every problem found, each with its path, line and column, so a validator can
    report them all at once. The same problem found twice (a shared node checked at each
    place it is used) is reported once.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


class ExpressionError(SimError, ValueError):
    """A payoff expression is malformed or cannot be evaluated.

    ``offset`` is the 0-based character position in the expression text of the part at
    fault, so the scenario loader can turn it into a line and column.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        self.message = message
        self.offset = offset
        super().__init__(message)


class SolverError(SimError, RuntimeError):
    """A solver was asked for something it cannot do (wrong game, too large a game)."""


class CertificateError(SolverError):
    """A profile failed the equilibrium certificate.

    Raised by :func:`sim.certificate.certify`. When a solver's own result fails it, that is a
    bug in negotiation-sim, and the command line reports it as an internal error.
    """


class EnumerationStopped(SolverError):
    """An exact enumeration stopped at its time limit or memory budget before it finished,
    or was not started because the game is too large for it.

    Raised from inside the enumeration; :func:`sim.solvers.solve` turns it into a message
    that says what to do instead, or (``method="auto"``) runs Lemke–Howson and says so.
    ``limit`` is ``"time"``, ``"memory"`` or ``"size"``
    (:data:`sim.solvers.MAX_ENUMERATION_PROFILES`).
    """

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit
