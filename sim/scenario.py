"""Scenarios: a game plus what it means (parameters, evidence, status quo, claims).

:func:`load` is the package's only reader of input files. It accepts scenario YAML (format
version 1, documented in ``scenarios/README.md``) and Gambit ``.nfg`` files, and reports
every problem it finds as ``path:line:col: message`` in one :class:`ScenarioError`.

Loading a YAML scenario, in steps:

1. parse the YAML into plain data with positions (:mod:`sim.document`);
2. check its shape against the format (:mod:`sim.schema`, pydantic), translating errors;
3. check its meaning: names, parameter values, evidence IDs, every profile's payoffs
   (expressions parsed and evaluated by :mod:`sim.expression`), status quo and claims;
4. build the :class:`~sim.game.Game` and check the ordinal claims (violations are warnings).

>>> text = '''
... kind: normal_form
... title: Prisoner's dilemma
... players:
...   Row: {moves: [cooperate, defect]}
...   Column: {moves: [cooperate, defect]}
... parameters: {r: 3, t: 5}
... payoffs:
...   cooperate, cooperate: [r, r]
...   cooperate, defect: [0, t]
...   defect, cooperate: [t, 0]
...   defect, defect: [1, 1]
... '''
>>> scenario = parse_scenario(text, "pd.yaml")
>>> scenario.game.payoff(("defect", "cooperate"))
(Fraction(5, 1), Fraction(0, 1))
>>> scenario.with_parameters(t=4).game.payoff(("defect", "cooperate"))
(Fraction(4, 1), Fraction(0, 1))
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path as FilePath
from types import MappingProxyType
from typing import Any

from sim.certificate import compare
from sim.document import Document, Path, parse_document
from sim.errors import ExpressionError, Problem, ScenarioError, SimError
from sim.evidence import parse_brief
from sim.expression import FUNCTIONS, Expression, evaluate, parse_expression, parse_number
from sim.game import Game, Value, value_text
from sim.tree import Node, Strategy, Tree, distribution_problem

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PROFILES",
    "BargainingTerms",
    "Claim",
    "Parameter",
    "RepeatedTerms",
    "Scenario",
    "load",
    "parse_scenario",
]

MAX_FILE_BYTES = 100_000
"""Largest input file read, in bytes (``SIM_MAX_FILE_BYTES``).

The scenarios in ``scenarios/`` are 1 to 10 kB. The largest games within
:data:`sim.document.MAX_NODES` take up to about 80 kB (88×88 in matrix form with
three-digit payoffs); with formulas over parameters like ``scenarios/london_talks.yaml``,
a 45×45 game fits in 96 kB. YAML text costs at most about 1.5 µs a byte here (blank lines
in a block of text) and payoff formulas about 5 µs a byte (sums of exact powers, the
costliest arithmetic found), so that any file within this limit and ``MAX_NODES`` loads or
is refused within about 1 s here (among the worst: such formulas filling the file, besides
as many other nodes as ``MAX_NODES`` allows, 0.8 s)."""
MAX_PROFILES = 8_000
"""Most profiles (products of the players' numbers of moves) of a normal-form scenario
(``SIM_MAX_PROFILES``).

Every profile needs a payoff for each player, so a game within
:data:`sim.document.MAX_NODES` has at most half as many profiles (an 88×88 game has
7,744): this limit refuses at once, before its payoffs are looked at, a game whose payoffs
could not all be given (at the limit, with its payoffs missing, in about 0.1 s here). Raise
it together with ``SIM_MAX_NODES``."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Parameter:
    """A named parameter of a scenario and what it rests on.

    ``distribution`` is ``None`` or a read-only mapping with ``kind`` and that kind's
    fields as floats (``values`` and ``weights`` of a choice as tuples of floats, ``weights``
    ``None`` when not given), for example ``{"kind": "uniform", "low": 1.0, "high": 4.0}``.
    ``line`` and ``column`` locate the parameter's name in its file (0 when unknown).
    """

    name: str
    value: Value
    description: str = ""
    unit: str = ""
    evidence: tuple[str, ...] = ()
    range: tuple[Value, Value] | None = None
    distribution: Mapping[str, Any] | None = None
    line: int = field(default=0, compare=False, repr=False)
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Claim:
    """An ordinal claim: ``player`` strictly prefers profile ``prefers`` to ``over``."""

    player: int
    prefers: tuple[int, ...]
    over: tuple[int, ...]
    evidence: tuple[str, ...] = ()
    note: str = ""
    line: int = 0
    column: int = 0

    def describe(self, game: Game) -> str:
        """The claim in words, e.g. ``US prefers (maintain, raise) to (ease, raise)``."""
        return (
            f"{game.players[self.player]} prefers ({', '.join(game.profile_names(self.prefers))})"
            f" to ({', '.join(game.profile_names(self.over))})"
        )

    def holds(self, game: Game) -> bool:
        """True when the payoffs agree with the claim (a strict preference)."""
        better = game.payoffs[self.prefers][self.player]
        worse = game.payoffs[self.over][self.player]
        return compare(better, worse, game.scale()) > 0


@dataclass(frozen=True)
class RepeatedTerms:
    """What a ``kind: repeated`` scenario asks about repeated play of its stage game.

    ``target`` is the profile to sustain; ``discount`` the per-round discount factor to
    check (``None`` if not given); ``punishments`` the lengths of limited punishments;
    ``horizon`` the number of rounds when the end is known (``None``: indefinite).
    """

    target: tuple[int, ...]
    discount: Value | None = None
    punishments: tuple[int, ...] = (1, 2, 3, 5)
    horizon: int | None = None
    discount_expression: Expression | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class BargainingTerms:
    """How a scenario bargains over its outcomes (its ``bargaining:`` section).

    ``disagreement`` is ``"status_quo"``, ``"nash"``, ``"security"`` or one payoff per
    player; ``equilibrium`` the index (from 0) of the Nash equilibrium for ``"nash"``;
    ``weights``, ``outside_options`` and ``discount`` one value per player or ``None``;
    ``first`` the index of the first proposer.
    """

    disagreement: str | tuple[Value, ...] = "security"
    equilibrium: int = 0
    weights: tuple[Value, ...] | None = None
    outside_options: tuple[Value, ...] | None = None
    discount: tuple[Value, ...] | None = None
    first: int = 0
    expressions: Mapping[str, tuple[Expression, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def evaluated(self, values: Mapping[str, Value]) -> BargainingTerms:
        """The terms with their formulas re-evaluated at these parameter values."""
        changed: dict[str, Any] = {}
        for key, expressions in self.expressions.items():
            try:
                changed[key] = tuple(evaluate(e, values) for e in expressions)
            except ExpressionError as err:
                raise SimError(f"bargaining {key}: {err.message}") from err
        return replace(self, **changed)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A loaded scenario: the game and everything a report needs to explain it.

    ``formulas[k]`` is the payoff text, per player, of profile ``profiles[k]`` (in the
    order of :meth:`Game.profiles`); ``evidence`` maps each cited evidence ID to its text;
    ``seed`` is the scenario's seed for random draws (``None`` if it gives none).

    Sequential scenarios (``kind: sequential``) also have their ``tree``; ``game`` is then
    the tree's reduced strategic form (:meth:`sim.tree.Tree.strategic_form`), whose moves
    are the players' reduced strategies (``strategies``), so every analysis of a
    normal-form game applies to it. Repeated scenarios have ``repeated`` terms and their
    ``game`` is the stage game. ``bargaining`` holds a ``bargaining:`` section's terms.
    """

    game: Game
    name: str
    path: str | None = None
    kind: str = "normal_form"
    description: str = ""
    source: str | None = None
    player_descriptions: tuple[str, ...] = ()
    move_descriptions: tuple[tuple[str, ...], ...] = ()
    move_evidence: tuple[tuple[tuple[str, ...], ...], ...] = ()
    parameters: tuple[Parameter, ...] = ()
    formulas: tuple[tuple[str, ...], ...] = ()
    status_quo: tuple[int, ...] | None = None
    claims: tuple[Claim, ...] = ()
    evidence: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    seed: int | None = None
    tree: Tree | None = field(default=None, repr=False)
    strategies: tuple[tuple[Strategy, ...], ...] = field(default=(), repr=False)
    repeated: RepeatedTerms | None = None
    bargaining: BargainingTerms | None = None
    _expressions: tuple[tuple[Expression, ...], ...] = field(default=(), repr=False)

    @property
    def title(self) -> str:
        """The scenario's title (the game's title)."""
        return self.game.title

    def parameter_values(self) -> dict[str, Value]:
        """Parameter name -> value."""
        return {p.name: p.value for p in self.parameters}

    def violated_claims(self) -> tuple[Claim, ...]:
        """The ordinal claims that the payoffs contradict."""
        return tuple(c for c in self.claims if not c.holds(self.game))

    def warnings(self) -> tuple[str, ...]:
        """Warnings: each violated claim, each parameter set outside its declared range.

        Also each distribution that reaches outside its parameter's range (when its support
        is bounded) or whose support does not contain the parameter's value.
        """
        out = []
        prefix = f"{self.path}: " if self.path else ""
        for p in self.parameters:
            if p.range is not None and not p.range[0] <= p.value <= p.range[1]:
                out.append(
                    f"{prefix}warning: parameter {p.name} = {_text(p.value)} is outside its "
                    f"range [{_text(p.range[0])}, {_text(p.range[1])}]"
                )
            where = f"{self.path}:{p.line}:{p.column}: " if self.path and p.line else prefix
            out.extend(f"{where}warning: {w}" for w in _distribution_warnings(p))
        for claim in self.violated_claims():
            a = self.game.payoffs[claim.prefers][claim.player]
            b = self.game.payoffs[claim.over][claim.player]
            where = f"{self.path}:{claim.line}:{claim.column}: " if self.path else ""
            out.append(
                f"{where}warning: claim '{claim.describe(self.game)}' does not hold: "
                f"the payoffs are {_text(a)} and {_text(b)}"
            )
        return tuple(out)

    def with_parameters(self, **values: Value | int | str) -> Scenario:
        """The scenario with some parameter values changed and the payoffs re-evaluated.

        Raises :class:`SimError` for an unknown parameter or a payoff that cannot be
        evaluated with the new values.
        """
        known = {p.name: p for p in self.parameters}
        for name in values:
            if not known:
                raise SimError(f"unknown parameter {name!r}: this game has no parameters")
            if name not in known:
                raise SimError(f"unknown parameter {name!r}; parameters are {', '.join(known)}")
        new_params = tuple(
            replace(p, value=_number(values[p.name])) if p.name in values else p
            for p in self.parameters
        )
        env = {p.name: p.value for p in new_params}
        table = []
        for profile, row in zip(self.game.profiles(), self._expressions, strict=True):
            cells = []
            for player, expression in enumerate(row):
                try:
                    cells.append(evaluate(expression, env))
                except ExpressionError as err:
                    names = ", ".join(self.game.profile_names(profile))
                    raise SimError(
                        f"payoff of {self.game.players[player]} at ({names}): {err.message}"
                    ) from err
            table.append(cells)
        game = self.game.with_payoffs(_reshape(table, self.game.shape))
        changed: dict[str, Any] = {"game": game, "parameters": new_params}
        if self.tree is not None:
            changed["tree"] = self.tree.evaluated(env)
        if self.bargaining is not None:
            changed["bargaining"] = self.bargaining.evaluated(env)
        if self.repeated is not None and self.repeated.discount_expression is not None:
            try:
                discount = evaluate(self.repeated.discount_expression, env)
            except ExpressionError as err:
                raise SimError(f"repeated discount: {err.message}") from err
            changed["repeated"] = replace(self.repeated, discount=discount)
        return replace(self, **changed)

    def without_distributions(self, *names: str) -> Scenario:
        """The scenario with these parameters held at their values (distributions removed).

        Used when a Monte Carlo run fixes a parameter (``sim montecarlo --set``).

        >>> from pathlib import Path
        >>> root = Path(__file__).resolve().parent.parent
        >>> london = load(root / "scenarios" / "london_talks.yaml")
        >>> london.without_distributions("g_us").parameters[2].distribution is None
        True
        """
        known = {p.name for p in self.parameters}
        for name in names:
            if name not in known:
                raise SimError(f"unknown parameter {name!r}; parameters are {', '.join(known)}")
        parameters = tuple(
            replace(p, distribution=None) if p.name in names else p for p in self.parameters
        )
        return replace(self, parameters=parameters)

    @classmethod
    def from_game(cls, game: Game, *, name: str = "game", path: str | None = None) -> Scenario:
        """Wrap a bare game (from arrays or ``.nfg``) as a scenario without metadata."""
        formulas = tuple(
            tuple(_text(v) for v in game.payoffs[profile].tolist()) for profile in game.profiles()
        )
        # Payoff texts repeat (small integers above all): parse each distinct one once.
        parsed = {text: parse_expression(text) for text in {t for row in formulas for t in row}}
        expressions = tuple(tuple(parsed[t] for t in row) for row in formulas)
        return cls(
            game=game,
            name=name,
            path=path,
            player_descriptions=("",) * game.n_players,
            move_descriptions=tuple(("",) * k for k in game.shape),
            move_evidence=tuple(((),) * k for k in game.shape),
            formulas=formulas,
            _expressions=expressions,
        )


def _distribution_warnings(p: Parameter) -> list[str]:
    """Disagreements between a parameter's distribution and its range or value."""
    dist = p.distribution
    if dist is None or dist["kind"] == "fixed":
        return []
    kind = dist["kind"]
    value = float(p.value)
    out = []
    if kind == "choice":
        weights = dist["weights"] or (1.0,) * len(dist["values"])
        support = sorted({v for v, w in zip(dist["values"], weights, strict=True) if w > 0})
        bounds: tuple[float, float] | None = (support[0], support[-1])
        # Membership, not a tolerance question: both sides are exact inputs made floats.
        if value not in support:
            out.append(
                f"parameter {p.name} = {_text(p.value)} is not one of its choice values "
                f"({', '.join(_float_text(v) for v in support)}), so Monte Carlo runs never "
                "take it; add it to the values or change the value"
            )
    else:
        bounds = (dist["low"], dist["high"]) if kind in ("uniform", "triangular", "beta") else None
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            out.append(
                f"parameter {p.name} = {_text(p.value)} is outside [{_float_text(bounds[0])}, "
                f"{_float_text(bounds[1])}], where its {kind} distribution lies; widen the "
                "distribution or change the value"
            )
        if kind == "lognormal" and not value > 0:
            out.append(
                f"parameter {p.name} = {_text(p.value)} is not positive, but its lognormal "
                "distribution takes only positive values; change the value or the distribution"
            )
    if bounds is not None and p.range is not None:
        low, high = float(p.range[0]), float(p.range[1])
        if bounds[0] < low or bounds[1] > high:
            out.append(
                f"parameter {p.name}: its {kind} distribution takes values in "
                f"[{_float_text(bounds[0])}, {_float_text(bounds[1])}], outside its range "
                f"[{_text(p.range[0])}, {_text(p.range[1])}]; make them agree (sweeps use "
                "the range, Monte Carlo runs the distribution)"
            )
    return out


def _float_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _text(value: Value) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    return repr(float(value))


def _number(value: Value | int | str) -> Value:
    if isinstance(value, bool):
        raise SimError(f"{value!r} is not a number; write e.g. 2, 2.5 or 2/3")
    if isinstance(value, Fraction | float):
        return value
    return parse_number(str(value))


def _comma_hint(values: list[Any]) -> str:
    """A hint when YAML split an expression such as ``max(a, b)`` at its comma."""
    if any(isinstance(v, str) and v.count("(") != v.count(")") for v in values):
        return '; quote expressions that contain commas, e.g. ["max(a, b)", 1]'
    return ""


def _reshape(table: list[list[Value]], shape: tuple[int, ...]) -> Any:
    import numpy as np

    array = np.empty((len(table), len(shape)), dtype=object)
    for k, row in enumerate(table):
        array[k, :] = row
    return array.reshape((*shape, len(shape)))


# --------------------------------------------------------------------------- loading
def load(path: str | FilePath) -> Scenario:
    """Load a scenario from a YAML file or a Gambit ``.nfg`` file.

    Raises :class:`ScenarioError` listing every problem as ``path:line:col: message``.

    >>> from pathlib import Path
    >>> root = Path(__file__).resolve().parent.parent
    >>> scenario = load(root / "scenarios" / "london_talks.yaml")
    >>> scenario.game.players, scenario.status_quo
    (('US', 'China'), (1, 1))
    """
    file = FilePath(path)
    text = _read(file, str(path))
    if file.suffix.lower() == ".nfg":
        return _nfg_scenario(text, file, str(path))
    return parse_scenario(text, str(path), base=file.parent)


def _nfg_scenario(text: str, file: FilePath, shown: str) -> Scenario:
    from sim.nfg import parse_nfg

    return Scenario.from_game(parse_nfg(text, shown), name=file.stem, path=shown)


def _read(file: FilePath, shown: str, *, regular: bool = False) -> str:
    """The text of an input file, with size and encoding checked.

    At most :data:`MAX_FILE_BYTES` (plus one) bytes are read, so a device that never ends
    (``/dev/zero``) is refused rather than read into memory. ``regular``: refuse anything
    but a regular file (for files that a scenario names, which could be a terminal or a
    pipe that never delivers).
    """
    import stat

    too_big = (
        f"over the {MAX_FILE_BYTES}-byte limit; raise it with SIM_MAX_FILE_BYTES if you "
        "trust the file"
    )
    try:
        info = file.stat()
        if regular and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            raise ScenarioError(
                [Problem(shown, 1, 1, "is not a regular file (a device or a pipe); give a file")]
            )
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError([Problem(shown, 1, 1, f"file is {info.st_size} bytes, {too_big}")])
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError([Problem(shown, 1, 1, f"file is {too_big}")])
    except FileNotFoundError:
        raise ScenarioError([Problem(shown, 1, 1, "no such file; check the path")]) from None
    except IsADirectoryError:
        raise ScenarioError(
            [Problem(shown, 1, 1, "is a directory; give a scenario file")]
        ) from None
    except OSError as err:
        raise ScenarioError(
            [Problem(shown, 1, 1, f"cannot read the file: {err.strerror}")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise ScenarioError(
            [Problem(shown, line, column, "the file is not UTF-8 text; save it as UTF-8")]
        ) from None


def parse_scenario(text: str, path: str = "<string>", base: FilePath | None = None) -> Scenario:
    """Parse scenario YAML text; ``base`` is the folder that relative paths start from."""
    try:
        return _parse_scenario(parse_document(text, path), base)
    except ScenarioError as err:
        raise ScenarioError(_collapsed(err.problems)) from None


def _collapsed(problems: Sequence[Problem]) -> list[Problem]:
    """The problems with those at one place (a YAML alias used many times) counted once.

    >>> same = [Problem("s.yaml", 3, 5, f"entry {i} is wrong") for i in range(4)]
    >>> [str(p) for p in _collapsed(same)]
    ['s.yaml:3:5: entry 0 is wrong (and 3 more problems at this place)']
    """
    at: dict[tuple[str, int, int], list[Problem]] = {}
    # (sorted by a key: comparing the dataclasses takes 3 times as long)
    for problem in sorted(dict.fromkeys(problems), key=_place):
        at.setdefault((problem.path, problem.line, problem.column), []).append(problem)
    out = []
    for group in at.values():
        if len(group) <= 3:
            out.extend(group)
            continue
        first = group[0]
        more = f" (and {len(group) - 1} more problems at this place)"
        out.append(replace(first, message=first.message + more))
    return out


def _place(problem: Problem) -> tuple[str, int, int, str]:
    return problem.path, problem.line, problem.column, problem.message


def _parse_scenario(doc: Document, base: FilePath | None) -> Scenario:
    spec, shape_problems = _validate_shape(doc)
    # A disallowed tag already has its message; do not add "wrong type" at the same place.
    seen = {(p.line, p.column) for p in doc.problems}
    shape_problems = [p for p in shape_problems if (p.line, p.column) not in seen]
    if spec is None:
        raise ScenarioError([*doc.problems, *shape_problems])
    builder = _Builder(doc, spec, base or FilePath("."))
    builder.problems.extend([*doc.problems, *shape_problems])
    return builder.build()


def _validate_shape(doc: Document) -> tuple[Any, list[Problem]]:
    """The validated spec (or None) and the shape problems found.

    When every shape problem is an unknown key, those keys are reported and dropped and
    the spec is returned, so that the meaning of the rest is still checked and every
    problem in the file is reported in one pass.
    """
    from pydantic import ValidationError

    from sim.schema import SPECS, ScenarioSpec

    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "a scenario is a mapping of keys (kind, title, ...)")]
    kind = doc.data.get("kind")
    if isinstance(kind, str) and kind in SPECS:
        model: Any = SPECS[kind]
    elif "kind" in doc.data:
        return None, [
            doc.problem(
                ("kind",),
                f"kind is {_show(kind)}; use one of {', '.join(repr(k) for k in SPECS)}",
            )
        ]
    else:
        model = ScenarioSpec
    try:
        return model.model_validate(doc.data), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    problems = _translate(doc, errors)
    if not all(e["type"] == "extra_forbidden" for e in errors):
        return None, problems
    cleaned = _without(doc.data, [_strip(doc.data, e["loc"])[0] for e in errors])
    try:
        return model.model_validate(cleaned), problems
    except ValidationError:
        return None, problems


def _without(data: Any, paths: list[Path]) -> Any:
    """A copy of nested dicts and lists without the entries at the given paths."""
    drop = set(paths)

    def walk(node: Any, at: Path) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, (*at, k)) for k, v in node.items() if (*at, k) not in drop}
        if isinstance(node, list):
            return [walk(v, (*at, i)) for i, v in enumerate(node)]
        return node

    return walk(data, ())


# ----------------------------------------------------------- pydantic error translation
_TYPE_WORDS = {
    "string_type": "a text",
    "int_type": "a number",
    "float_type": "a number",
    "int_parsing": "a number",
    "float_parsing": "a number",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
    "bool_type": "true or false",
}


def _strip(data: Any, loc: Sequence[Any]) -> tuple[Path, list[list[str]]]:
    """Split a pydantic location into the data path and the tags between its steps.

    ``tags[d]`` lists the location parts after the ``d``-th step into the data that are not
    themselves keys or indices of the data: union-branch names and missing field names.
    """
    path: list[str | int] = []
    tags: list[list[str]] = [[]]
    here = data
    for part in loc:
        in_dict = isinstance(here, dict) and isinstance(part, str) and part in here
        in_list = isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here)
        if in_dict or in_list:
            here = here[part]
        else:
            tags[-1].append(str(part))
            continue
        path.append(part)
        tags.append([])
    return tuple(path), tags


def _other_branch_went_deeper(item: tuple, others: list[tuple]) -> bool:
    """True when an error from a different union branch reached further into the data."""
    path, tags, _ = item
    depth = len(path)
    mine = tags[depth][:1]
    return any(
        len(other_path) > depth and other_path[:depth] == path and other_tags[depth][:1] != mine
        for other_path, other_tags, _ in others
    )


def _allowed_keys(tags: list[list[str]], path: Path, kind: Any = None) -> list[str]:
    from sim import schema

    models = {
        cls.__name__: cls
        for cls in (
            schema.MoveSpec,
            schema.PlayerSpec,
            schema.ParameterSpec,
            schema.ClaimSpec,
            schema.Uniform,
            schema.Triangular,
            schema.Normal,
            schema.Lognormal,
            schema.Beta,
            schema.Choice,
            schema.Fixed,
            schema.NodeSpec,
            schema.OutcomeSpec,
            schema.BargainingSpec,
            schema.RepeatedPlaySpec,
            schema.TreePlayerSpec,
        )
    }
    kinds = {name.lower(): cls for name, cls in models.items()}
    for tag in reversed([t for step in tags for t in step]):
        if tag in models:
            return list(models[tag].model_fields)
        if tag in kinds:
            return list(kinds[tag].model_fields)
    if len(path) == 0:
        model = schema.SPECS.get(kind, schema.ScenarioSpec) if isinstance(kind, str) else None
        return list((model or schema.ScenarioSpec).model_fields)
    if path[0] in ("bargaining", "repeated") and len(path) == 1:
        model = schema.BargainingSpec if path[0] == "bargaining" else schema.RepeatedPlaySpec
        return list(model.model_fields)
    if path[0] == "nodes" and len(path) >= 2:
        return list(schema.NodeSpec.model_fields)
    if path[0] == "players" and len(path) == 2:
        return list(schema.PlayerSpec.model_fields)
    if path[0] == "claims" and len(path) == 2:
        return list(schema.ClaimSpec.model_fields)
    return []


def _translate(doc: Document, errors: list[Any]) -> list[Problem]:
    stripped = []
    for error in errors:
        path, tags = _strip(doc.data, error["loc"])
        stripped.append((path, tags, error))
    # At each union, keep the branch that got deepest into the data.
    kept = [item for item in stripped if not _other_branch_went_deeper(item, stripped)]
    grouped: dict[Path, list[tuple[list[list[str]], Any]]] = {}
    for path, tags, error in kept:
        grouped.setdefault(path, []).append((tags, error))
    problems = []
    for path, items in grouped.items():
        if path == ("seed",):
            raw = items[0][1]["input"]
            plain = isinstance(raw, str) and path not in doc.quoted  # an unquoted YAML float
            got = raw if plain else str(raw).lower() if isinstance(raw, bool) else _show(raw)
            problems.append(
                doc.problem(path, f"seed is {got}; it must be a whole number 0 or more, e.g. 42")
            )
            continue
        type_errors = [e for _, e in items if e["type"] in _TYPE_WORDS]
        others = [(t, e) for t, e in items if e["type"] not in _TYPE_WORDS]
        if type_errors:
            wanted = sorted({_TYPE_WORDS[e["type"]] for e in type_errors})
            got = _show(type_errors[0]["input"])
            problems.append(
                doc.problem(path, f"{_where(path)} should be {' or '.join(wanted)}, not {got}")
            )
        for tags, error in others:
            problems.append(_one(doc, path, tags, error))
    return problems


def _where(path: Path) -> str:
    if not path:
        return "the scenario"
    return "'" + ".".join(str(p) for p in path) + "'"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _one(doc: Document, path: Path, tags: list[list[str]], error: Any) -> Problem:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = path[:-1] if path and path[-1] == key else path
        kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
        allowed = _allowed_keys(tags, parent, kind)
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        listing = f"allowed keys here: {', '.join(allowed)}" if allowed else "remove it"
        return doc.problem((*parent, key), f"unknown key '{key}'; {hint}{listing}", key=True)
    if kind == "missing":
        key = str(loc[-1])
        return doc.problem(
            path, f"missing required key '{key}' in {_where(path)}; add `{key}: ...`"
        )
    if kind == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        tag = error.get("ctx", {}).get("tag", "")
        return doc.problem(path, f"unknown distribution kind '{tag}'; use one of {expected}")
    if kind == "union_tag_not_found":
        return doc.problem(path, "a distribution needs `kind:` (uniform, triangular, normal, ...)")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return doc.problem(
            path, f"{_where(path)} is {_show(error['input'])}; it must be {expected}"
        )
    if kind == "string_pattern_mismatch" and "evidence" in path:
        return doc.problem(
            path, f"{_show(error['input'])} is not an evidence ID; write E1, E2, ..."
        )
    if kind in ("too_short", "too_long"):
        if path and path[-1] == "range":
            return doc.problem(path, "a range is [low, high]: exactly two numbers")
        if path == ("players",):
            return doc.problem(path, "a scenario needs at least 2 players; add another")
        return doc.problem(path, f"{_where(path)}: {error['msg'].lower()}")
    return doc.problem(path, f"{_where(path)}: {error['msg']}")


# ------------------------------------------------------------------ semantic checks
class _Builder:
    """Checks a shape-valid scenario's meaning, collecting every problem, then builds it."""

    def __init__(self, doc: Document, spec: Any, base: FilePath) -> None:
        self.doc = doc
        self.spec = spec
        self.base = base
        self.problems: list[Problem] = []
        self.cited: dict[str, list[Path]] = {}
        self.given: set[tuple[int, ...]] = set()

    def fail(self, path: Path, message: str, *, key: bool = False, shift: int = 0) -> None:
        self.problems.append(self.doc.problem(path, message, key=key, shift=shift))

    def build(self) -> Scenario:
        if self.spec.kind == "sequential":
            return self._sequential()
        if self.spec.kind == "repeated":
            return self._repeated()
        return self._normal_form()

    def _name(self) -> str:
        return FilePath(self.doc.path).stem if self.doc.path != "<string>" else "scenario"

    def _normal_form(self) -> Scenario:
        spec = self.spec
        players = list(spec.players)
        moves, move_descriptions, move_evidence = self._players()
        size = math.prod(len(m) for m in moves)
        if size > MAX_PROFILES:
            sizes = " × ".join(str(len(m)) for m in moves)
            self.fail(
                ("players",),
                f"the game has {size} profiles ({sizes} moves), over the limit of "
                f"{MAX_PROFILES}; each needs its payoffs, so use fewer players or moves (or "
                "raise the limit with SIM_MAX_PROFILES)",
                key=True,
            )
            raise ScenarioError(self.problems)
        parameters = self._parameters()
        table, formulas, expressions = self._payoffs(players, moves, parameters)
        status_quo = self._profile(("status_quo",), spec.status_quo, players, moves)
        claims = self._claims(players, moves)
        env = {p.name: p.value for p in parameters}
        bargaining = self._bargaining(players, env, status_quo is not None)
        evidence = self._evidence()
        if self.problems:
            raise ScenarioError(self.problems)
        shape = tuple(len(m) for m in moves)
        game = Game.from_payoffs(
            _reshape(table, shape), players=players, moves=moves, title=spec.title
        )
        return Scenario(
            game=game,
            name=self._name(),
            path=self.doc.path,
            kind=spec.kind,
            description=spec.description.strip(),
            source=spec.source,
            player_descriptions=tuple(p.description for p in spec.players.values()),
            move_descriptions=move_descriptions,
            move_evidence=move_evidence,
            parameters=parameters,
            formulas=formulas,
            status_quo=status_quo,
            claims=claims,
            evidence=MappingProxyType(evidence),
            seed=spec.seed,
            bargaining=bargaining,
            _expressions=expressions,
        )

    # repeated games ------------------------------------------------------------------
    def _repeated(self) -> Scenario:
        spec = self.spec
        if spec.stage is None:
            for key in ("players", "payoffs"):
                if getattr(spec, key) is None:
                    self.fail(
                        (),
                        f"missing required key '{key}'; give the stage game here (players "
                        "and payoffs) or point to a normal-form file with `stage: file.yaml`",
                    )
            if spec.set:
                self.fail(
                    ("set",),
                    "`set:` works with `stage:`; here change the values under parameters",
                    key=True,
                )
            if self.problems:
                raise ScenarioError(self.problems)
            stage = self._normal_form()
        else:
            stage = self._stage()
        players = list(stage.game.players)
        moves = [list(m) for m in stage.game.moves]
        env = stage.parameter_values()
        if len(players) != 2:
            self.fail(
                ("repeated",),
                f"repeated-game analysis needs a two-player stage game; this one has "
                f"{len(players)} players",
                key=True,
            )
        target = self._profile(("repeated", "target"), spec.repeated.target, players, moves)
        discount, expression = None, None
        if spec.repeated.discount is not None:
            discount, expression = self._formula(
                spec.repeated.discount, ("repeated", "discount"), env
            )
            if discount is not None and not 0 <= discount < 1:
                self.fail(
                    ("repeated", "discount"),
                    f"discount factor {value_text(discount)} is outside [0, 1); write e.g. 0.9",
                )
        bargaining = self._bargaining(players, env, stage.status_quo is not None)
        if self.problems:
            raise ScenarioError(self.problems)
        assert target is not None
        terms = RepeatedTerms(
            target,
            discount,
            tuple(dict.fromkeys(spec.repeated.punishments)),
            spec.repeated.horizon,
            expression,
        )
        evidence = stage.evidence if spec.stage is not None else MappingProxyType(self._evidence())
        if self.problems:
            raise ScenarioError(self.problems)
        return replace(
            stage,
            game=replace(stage.game, title=spec.title),
            name=self._name(),
            path=self.doc.path,
            kind="repeated",
            description=spec.description.strip() or stage.description,
            evidence=evidence,
            repeated=terms,
            bargaining=bargaining or stage.bargaining,
            seed=spec.seed if spec.seed is not None else stage.seed,
        )

    def _stage(self) -> Scenario:
        spec = self.spec
        for key in ("players", "payoffs", "status_quo", "source"):
            if getattr(spec, key) is not None:
                self.fail(
                    (key,),
                    f"with `stage:` the {key} come from the stage file; remove '{key}' here "
                    "(or remove `stage:` and give the whole stage game here)",
                    key=True,
                )
        for key in ("parameters", "claims"):
            if getattr(spec, key):
                self.fail(
                    (key,),
                    f"with `stage:` the {key} come from the stage file; use `set:` to change "
                    "parameter values",
                    key=True,
                )
        path = self.base / spec.stage
        nfg = path.suffix.lower() == ".nfg"
        try:
            text = _read(path, str(path), regular=True)
            # Parsed once, within the nodes left by this file (the two share MAX_NODES).
            doc = None if nfg else parse_document(text, str(path), counted=self.doc.nodes)
        except ScenarioError as err:
            where = self.doc.problem(
                ("stage",), f"cannot read the stage file {spec.stage} (reported with it)"
            )
            raise ScenarioError([where, *err.problems]) from None
        data = {} if doc is None else doc.data
        kind = data.get("kind", "normal_form") if isinstance(data, dict) else None
        if kind != "normal_form":
            self.fail(
                ("stage",),
                f"the stage file {spec.stage} is not a normal_form scenario (kind: {kind}); "
                "a stage game has simultaneous moves",
            )
            raise ScenarioError(self.problems)
        try:
            stage = (
                _nfg_scenario(text, path, str(path))
                if doc is None
                else _parse_scenario(doc, path.parent)
            )
        except ScenarioError as err:
            where = self.doc.problem(
                ("stage",),
                f"the stage file {spec.stage} has problems (reported with it); fix them there",
            )
            raise ScenarioError([where, *err.problems]) from None
        values: dict[str, Value] = {}
        known = {p.name for p in stage.parameters}
        for name, raw in spec.set.items():
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.fail(
                    ("set", name),
                    f"unknown parameter '{name}' of {spec.stage}; {hint}parameters are: "
                    f"{', '.join(sorted(known)) or 'none'}",
                    key=True,
                )
                continue
            value = self._value(raw, ("set", name))
            if value is not None:
                values[name] = value
        if self.problems:
            raise ScenarioError(self.problems)
        try:
            return stage.with_parameters(**values)
        except SimError as err:
            self.fail(("set",), str(err), key=True)
            raise ScenarioError(self.problems) from None

    # game trees ----------------------------------------------------------------------
    def _sequential(self) -> Scenario:
        spec = self.spec
        players = list(spec.players)
        descriptions = (
            tuple(p.description for p in spec.players.values())
            if isinstance(spec.players, dict)
            else ("",) * len(players)
        )
        for i, name in enumerate(players):
            at: Path = ("players", name) if isinstance(spec.players, dict) else ("players", i)
            if not name.strip() or "," in name:
                self.fail(at, f"player name '{name}' must be non-empty and have no commas")
            if players.index(name) != i:
                self.fail(at, f"player '{name}' is listed twice")
        parameters = self._parameters()
        env = {p.name: p.value for p in parameters}
        tree = self._tree(players, env)
        bargaining = self._bargaining(players, env, False)
        evidence = self._evidence()
        if self.problems or tree is None:
            raise ScenarioError(self.problems)
        try:
            game, strategies = tree.strategic_form(spec.title)
        except SimError as err:
            self.fail(("nodes",), str(err), key=True)
            raise ScenarioError(self.problems) from None
        formulas, expressions = [], []
        for profile in itertools.product(*strategies):
            row = tree.payoff_formulas(profile)
            try:
                expressions.append(tuple(parse_expression(text) for text in row))
            except ExpressionError as err:
                self.fail(
                    ("nodes",),
                    f"the strategic form's payoff formula is too complex ({err.message}); "
                    "simplify the tree",
                    key=True,
                )
                raise ScenarioError(self.problems) from None
            formulas.append(row)
        return Scenario(
            game=game,
            name=self._name(),
            path=self.doc.path,
            kind="sequential",
            description=spec.description.strip(),
            source=spec.source,
            player_descriptions=descriptions,
            move_descriptions=tuple(tuple(s.description for s in own) for own in strategies),
            move_evidence=tuple(((),) * len(own) for own in strategies),
            parameters=parameters,
            formulas=tuple(formulas),
            evidence=MappingProxyType(evidence),
            seed=spec.seed,
            tree=tree,
            strategies=strategies,
            bargaining=bargaining,
            _expressions=tuple(expressions),
        )

    def _tree(self, players: list[str], env: Mapping[str, Value]) -> Tree | None:
        """Walk the tree from its root breadth first, checking each node; None on problems."""
        named = self.spec.nodes
        root = self.spec.root if self.spec.root is not None else next(iter(named))
        if root not in named:
            self.fail(("root",), f"root '{root}' is not a node; {self._node_hint(root)}")
            return None
        # Each entry: (path of the node in the file, its name, its spec or payoff list).
        queue: list[tuple[Path, str, Any]] = [(("nodes", root), root, named[root])]
        reached: dict[str, Path] = {root: ("nodes", root)}
        nodes: list[Node] = []
        payoff_expressions: dict[int, tuple[Expression, ...]] = {}
        probability_expressions: dict[int, tuple[Expression, ...]] = {}
        labels: dict[str, list[tuple[int, Path]]] = {}
        moving: set[int] = set()
        unknown = False  # a move names a missing node (then unreached nodes are not listed)
        head = 0
        while head < len(queue):
            at, name, node = queue[head]
            index = head
            head += 1
            line, column = self.doc.where_key(at) if at[-2:-1] == ("nodes",) else self.doc.where(at)
            children: list[tuple[Path, str, Any]] = []
            if isinstance(node, list):
                payoffs, exprs = self._terminal(node, at, players, env)
                payoff_expressions[index] = exprs
                nodes.append(Node(name, payoffs=payoffs, line=line, column=column))
                continue
            kinds = [
                key
                for key, present in (
                    ("decision", node.player is not None or node.moves is not None),
                    ("chance", node.chance is not None),
                    ("terminal", node.payoffs is not None),
                )
                if present
            ]
            self._cite(node.evidence, (*at, "evidence"))
            if len(kinds) != 1:
                what = " and ".join(kinds) if kinds else "nothing"
                self.fail(
                    at,
                    f"node '{name}' is {what}; a node has exactly one of `player` with "
                    "`moves` (a decision), `chance` (a move by nature) or `payoffs` (an end)",
                    key=at[-2:-1] == ("nodes",),
                )
                nodes.append(Node(name, payoffs=(Fraction(0),) * len(players)))
                continue
            if kinds[0] == "terminal":
                payoffs, exprs = self._terminal(node.payoffs, (*at, "payoffs"), players, env)
                payoff_expressions[index] = exprs
                if node.information_set is not None:
                    self.fail(
                        (*at, "information_set"), "only decision nodes have an information_set"
                    )
                nodes.append(
                    Node(
                        name,
                        payoffs=payoffs,
                        description=node.description,
                        evidence=tuple(node.evidence),
                        line=line,
                        column=column,
                    )
                )
                continue
            if kinds[0] == "chance":
                outcomes = list(node.chance)
                probabilities: list[Value] = []
                exprs_list: list[Expression] = []
                for outcome, item in node.chance.items():
                    where = (*at, "chance", outcome)
                    self._move_name(outcome, where)
                    value, expression = self._formula(
                        item.probability, (*where, "probability"), env
                    )
                    probabilities.append(value if value is not None else Fraction(0))
                    exprs_list.append(expression or parse_expression("0"))
                    children.append(((*where, "then"), f"{name}/{outcome}", item.then))
                if not outcomes:
                    self.fail(
                        (*at, "chance"), f"chance node '{name}' has no outcomes; list at least one"
                    )
                elif len(exprs_list) == len(outcomes):
                    problem = distribution_problem(probabilities)
                    if problem:
                        self.fail((*at, "chance"), f"chance node '{name}': {problem}")
                if node.information_set is not None:
                    self.fail(
                        (*at, "information_set"), "only decision nodes have an information_set"
                    )
                probability_expressions[index] = tuple(exprs_list)
                node_moves = tuple(outcomes)
                player = None
            else:
                player = None
                if node.player is None:
                    self.fail(
                        at,
                        f"decision node '{name}' needs `player:` (who moves here)",
                        key=at[-2:-1] == ("nodes",),
                    )
                elif node.player not in players:
                    close = difflib.get_close_matches(node.player, players, n=1)
                    hint = f"did you mean '{close[0]}'? " if close else ""
                    self.fail(
                        (*at, "player"),
                        f"unknown player '{node.player}'; {hint}players are: {', '.join(players)}",
                    )
                else:
                    player = players.index(node.player)
                    moving.add(player)
                if not node.moves:
                    self.fail(
                        (*at, "moves") if node.moves is not None else at,
                        f"decision node '{name}' has no moves; list at least one under `moves:`",
                        key=node.moves is None and at[-2:-1] == ("nodes",),
                    )
                node_moves = tuple(node.moves or ())
                for move, ref in (node.moves or {}).items():
                    where = (*at, "moves", move)
                    self._move_name(move, where)
                    children.append((where, f"{name}/{move}", ref))
                probabilities = []
                if node.information_set is not None and player is not None:
                    labels.setdefault(node.information_set, []).append((index, at))
            first_child = len(queue)
            for where, default, ref in children:
                if isinstance(ref, str):
                    if ref not in named:
                        unknown = True
                        self.fail(where, f"unknown node '{ref}'; {self._node_hint(ref)}")
                        ref_spec: Any = [0] * len(players)
                        queue.append((where, ref, ref_spec))
                        continue
                    target = named[ref]
                    terminal = isinstance(target, list) or target.payoffs is not None
                    if ref in reached and not terminal:
                        if ref == root:
                            why = (
                                f"leads back to the root '{root}', a cycle; a game tree "
                                "never returns to an earlier node"
                            )
                        else:
                            why = (
                                f"leads to node '{ref}', which is already reached from "
                                f"{_where(reached[ref])}; a tree node has one parent: give "
                                "this move its own node"
                            )
                        self.fail(where, f"this move {why}")
                        queue.append((where, ref, [0] * len(players)))
                        continue
                    reached.setdefault(ref, where)
                    queue.append((("nodes", ref), ref, target))
                else:
                    queue.append((where, default, ref))
            nodes.append(
                Node(
                    name,
                    player=player if kinds[0] == "decision" else None,
                    moves=node_moves,
                    children=tuple(range(first_child, first_child + len(children))),
                    probabilities=tuple(probabilities),
                    description=node.description,
                    evidence=tuple(node.evidence),
                    line=line,
                    column=column,
                )
            )
            if kinds[0] == "decision" and player is None:
                # keep the tree well formed: treat it as a node of player 0 for now
                nodes[-1] = replace(nodes[-1], player=0)
        for name in named:
            if name not in reached and not unknown:
                self.fail(
                    ("nodes", name),
                    f"node '{name}' is never reached from the root '{root}'; connect it "
                    "with a move or remove it",
                    key=True,
                )
        for i, name in enumerate(players):
            if i not in moving and not self.problems:
                at = ("players", name) if isinstance(self.spec.players, dict) else ("players", i)
                self.fail(
                    at,
                    f"player '{name}' never moves in the tree; give it a decision node or "
                    "remove it",
                    key=isinstance(self.spec.players, dict),
                )
        sets = self._information_sets(labels, nodes)
        if self.problems:
            return None
        try:
            return Tree.build(
                players,
                nodes,
                sets,
                payoff_expressions=payoff_expressions,
                probability_expressions=probability_expressions,
            )
        except SimError as err:
            label = next((k for k in labels if f"'{k}'" in str(err)), None)
            where = (*labels[label][0][1], "information_set") if label else ("nodes",)
            self.fail(where, str(err), key=label is None)
            return None

    def _information_sets(
        self, labels: Mapping[str, list[tuple[int, Path]]], nodes: list[Node]
    ) -> dict[str, list[int]]:
        out = {}
        for label, members in labels.items():
            first, first_at = members[0]
            for index, at in members[1:]:
                if nodes[index].player != nodes[first].player:
                    self.fail(
                        (*at, "information_set"),
                        f"information set '{label}' mixes players; its nodes all belong to "
                        "one player",
                    )
                elif nodes[index].moves != nodes[first].moves:
                    self.fail(
                        (*at, "information_set"),
                        f"information set '{label}': this node has moves "
                        f"{', '.join(nodes[index].moves)} but {_where(first_at)} has "
                        f"{', '.join(nodes[first].moves)}; a player who cannot tell the nodes "
                        "apart has the same moves, in the same order, at each",
                    )
            out[label] = [index for index, _ in members]
        return out

    def _terminal(
        self, raw: Any, at: Path, players: list[str], env: Mapping[str, Value]
    ) -> tuple[tuple[Value, ...], tuple[Expression, ...]]:
        n = len(players)
        if isinstance(raw, dict):
            items: list[tuple[Path, Any]] = []
            for name in raw:
                if name not in players:
                    self.fail(
                        (*at, name),
                        f"unknown player '{name}'; players are: {', '.join(players)}",
                        key=True,
                    )
            for name in players:
                if name not in raw:
                    self.fail(at, f"no payoff for {name}; give one payoff per player")
                    items.append((at, 0))
                else:
                    items.append(((*at, name), raw[name]))
        else:
            if len(raw) != n:
                self.fail(
                    at,
                    f"{len(raw)} payoff(s) given; give one per player, in order: "
                    f"[{', '.join(players)}]{_comma_hint(raw)}",
                )
            items = [((*at, j), raw[j] if j < len(raw) else 0) for j in range(n)]
        values, expressions = [], []
        for where, item in items:
            if isinstance(item, list | dict):
                self.fail(where, "a payoff is a number or a formula, not a list or mapping")
                item = 0
            value, expression = self._formula(item, where, env)
            values.append(value if value is not None else Fraction(0))
            expressions.append(expression or parse_expression("0"))
        return tuple(values), tuple(expressions)

    def _move_name(self, move: str, at: Path) -> None:
        if not move.strip() or "," in move or "/" in move:
            self.fail(at, f"move name '{move}' must be non-empty, without commas or '/'", key=True)

    def _node_hint(self, name: str) -> str:
        known = list(self.spec.nodes)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        return f"{hint}nodes are: {shown}"

    # bargaining ----------------------------------------------------------------------
    def _bargaining(
        self, players: list[str], env: Mapping[str, Value], has_status_quo: bool
    ) -> BargainingTerms | None:
        spec = self.spec.bargaining
        if spec is None:
            return None
        at: Path = ("bargaining",)
        n = len(players)
        if n != 2:
            self.fail(at, f"bargaining needs two players; this game has {n}", key=True)
            return None
        expressions: dict[str, tuple[Expression, ...]] = {}
        values: dict[str, tuple[Value, ...] | None] = {}
        for key in ("weights", "outside_options", "discount"):
            raw = getattr(spec, key)
            values[key] = None
            if raw is None:
                continue
            if len(raw) != n:
                self.fail((*at, key), f"{key} needs one value per player ({', '.join(players)})")
                continue
            row = [self._formula(item, (*at, key, i), env) for i, item in enumerate(raw)]
            if any(v is None for v, _ in row):
                continue
            values[key] = tuple(v for v, _ in row if v is not None)
            expressions[key] = tuple(e for _, e in row if e is not None)
            for i, value in enumerate(values[key] or ()):
                if key == "weights" and not value > 0:
                    self.fail((*at, key, i), f"weight {value_text(value)} must be above 0")
                if key == "discount" and not 0 < value < 1:
                    self.fail(
                        (*at, key, i),
                        f"discount factor {value_text(value)} must be in (0, 1); e.g. 0.9",
                    )
        disagreement: str | tuple[Value, ...]
        if spec.disagreement is None:
            disagreement = "status_quo" if has_status_quo else "security"
        elif isinstance(spec.disagreement, str):
            disagreement = spec.disagreement
            if disagreement == "status_quo" and not has_status_quo:
                fix = (
                    "a game tree has no status quo profile; use"
                    if self.spec.kind == "sequential"
                    else "the scenario has no status_quo; add `status_quo: [move, move]` or use"
                )
                self.fail(
                    (*at, "disagreement"),
                    f"{fix} disagreement: nash, security or [payoff, payoff]",
                )
        elif len(spec.disagreement) != n:
            self.fail(
                (*at, "disagreement"),
                f"a disagreement point needs one payoff per player ({', '.join(players)})",
            )
            disagreement = "security"
        else:
            row = [
                self._formula(item, (*at, "disagreement", i), env)
                for i, item in enumerate(spec.disagreement)
            ]
            disagreement = tuple(v if v is not None else Fraction(0) for v, _ in row)
            if all(e is not None for _, e in row):
                expressions["disagreement"] = tuple(e for _, e in row if e is not None)
        first = 0
        if spec.first is not None:
            if spec.first in players:
                first = players.index(spec.first)
            else:
                self.fail(
                    (*at, "first"),
                    f"unknown player '{spec.first}'; players are: {', '.join(players)}",
                )
        return BargainingTerms(
            disagreement,
            spec.equilibrium - 1,
            values["weights"],
            values["outside_options"],
            values["discount"],
            first,
            MappingProxyType(expressions),
        )

    def _formula(
        self, raw: Any, at: Path, env: Mapping[str, Value]
    ) -> tuple[Value | None, Expression | None]:
        """A formula's value at the parameters and its parsed form (None, None if invalid)."""
        try:
            expression = parse_expression(str(raw))
            return evaluate(expression, env), expression
        except ExpressionError as err:
            self.fail(at, err.message, shift=err.offset)
            return None, None

    # players and moves ---------------------------------------------------------------
    def _players(self) -> tuple[list[tuple[str, ...]], tuple, tuple]:
        moves, descriptions, evidence = [], [], []
        for name, player in self.spec.players.items():
            at: Path = ("players", name)
            if not name.strip() or "," in name:
                self.fail(
                    at, f"player name '{name}' must be non-empty and have no commas", key=True
                )
            if not player.moves:
                self.fail((*at, "moves"), f"player '{name}' has no moves; list at least one")
            if isinstance(player.moves, list):
                names = list(player.moves)
                descs = [""] * len(names)
                evid: list[tuple[str, ...]] = [()] * len(names)
                seen: set[str] = set()
                for i, move in enumerate(names):
                    if move in seen:
                        self.fail((*at, "moves", i), f"move '{move}' is listed twice for {name}")
                    seen.add(move)
            else:
                names, descs, evid = [], [], []
                for move, item in player.moves.items():
                    names.append(move)
                    if isinstance(item, str):
                        descs.append(item)
                        evid.append(())
                    else:
                        descs.append(item.description)
                        evid.append(tuple(item.evidence))
                        self._cite(item.evidence, (*at, "moves", move, "evidence"))
            for i, move in enumerate(names):
                where = (
                    (*at, "moves", move) if isinstance(player.moves, dict) else (*at, "moves", i)
                )
                if not move.strip() or "," in move:
                    self.fail(
                        where,
                        f"move name '{move}' must be non-empty and have no commas",
                        key=isinstance(player.moves, dict),
                    )
            moves.append(tuple(names))
            descriptions.append(tuple(descs))
            evidence.append(tuple(evid))
        return moves, tuple(descriptions), tuple(evidence)

    # parameters ----------------------------------------------------------------------
    def _parameters(self) -> tuple[Parameter, ...]:
        out = []
        for name, item in self.spec.parameters.items():
            at: Path = ("parameters", name)
            if not _IDENTIFIER.match(name) or name in FUNCTIONS:
                self.fail(
                    at,
                    f"parameter name '{name}' must be an identifier (letters, digits, _) "
                    "and not min, max or abs",
                    key=True,
                )
            line, column = self.doc.where_key(at)
            if isinstance(item, int | float | str):
                value = self._value(item, at)
                out.append(
                    Parameter(
                        name,
                        value if value is not None else Fraction(0),
                        line=line,
                        column=column,
                    )
                )
                continue
            value = self._value(item.value, (*at, "value"))
            self._cite(item.evidence, (*at, "evidence"))
            rng = None
            if item.range is not None:
                low = self._value(item.range[0], (*at, "range", 0))
                high = self._value(item.range[1], (*at, "range", 1))
                if low is not None and high is not None:
                    rng = (low, high)
                    if low > high:
                        self.fail(
                            (*at, "range"),
                            f"range low {_text(low)} is above high {_text(high)}; "
                            "write [low, high]",
                        )
                    elif value is not None and not low <= value <= high:
                        self.fail(
                            (*at, "range"),
                            f"value {_text(value)} is outside its range "
                            f"[{_text(low)}, {_text(high)}]",
                        )
            distribution = (
                self._distribution(item.distribution, (*at, "distribution"))
                if item.distribution is not None
                else None
            )
            out.append(
                Parameter(
                    name,
                    value if value is not None else Fraction(0),
                    item.description,
                    item.unit,
                    tuple(item.evidence),
                    rng,
                    distribution,
                    line,
                    column,
                )
            )
        return tuple(out)

    def _distribution(self, spec: Any, at: Path) -> Mapping[str, Any]:
        """Check a distribution's fields and return them as floats (see :class:`Parameter`)."""
        out: dict[str, Any] = {"kind": spec.kind}
        for key in type(spec).model_fields:
            if key not in ("kind", "values", "weights"):
                out[key] = self._finite(getattr(spec, key), (*at, key))
        kind = spec.kind

        def need(ok: bool, key: str, message: str) -> None:
            if not ok:
                self.fail((*at, key), message)

        def shown(key: str) -> str:
            return str(getattr(spec, key))

        if kind == "choice":
            self._choice(spec, at, out)
        elif None in out.values():
            pass  # a field is not a number; that is reported already
        elif kind in ("uniform", "triangular", "beta"):
            need(
                out["low"] < out["high"],
                "high",
                f"{kind} high {shown('high')} is not above low {shown('low')}; write low < high"
                + ("" if kind == "beta" else " (for a constant parameter use kind: fixed)"),
            )
            if kind == "triangular" and out["low"] < out["high"]:
                need(
                    out["low"] <= out["mode"] <= out["high"],
                    "mode",
                    f"triangular mode {shown('mode')} is outside [low, high] = "
                    f"[{shown('low')}, {shown('high')}]; put the mode between low and high",
                )
            if kind == "beta":
                for key in ("alpha", "beta"):
                    need(
                        out[key] > 0,
                        key,
                        f"beta {key} {shown(key)} must be above 0; "
                        "use e.g. alpha: 2, beta: 2 for a hump in the middle",
                    )
        elif kind in ("normal", "lognormal"):
            key = "sd" if kind == "normal" else "sigma"
            need(
                out[key] > 0,
                key,
                f"{kind} {key} {shown(key)} must be above 0 "
                "(for a constant parameter use kind: fixed)",
            )
        return MappingProxyType(out)

    def _choice(self, spec: Any, at: Path, out: dict[str, Any]) -> None:
        values = [self._finite(v, (*at, "values", i)) for i, v in enumerate(spec.values)]
        out["values"] = tuple(values)
        out["weights"] = None
        if not values:
            self.fail((*at, "values"), "a choice needs at least one value; e.g. values: [1, 2]")
        if spec.weights is None:
            return
        weights = [self._finite(w, (*at, "weights", i)) for i, w in enumerate(spec.weights)]
        out["weights"] = tuple(weights)
        if len(weights) != len(values):
            self.fail(
                (*at, "weights"),
                f"choice has {len(values)} value(s) but {len(weights)} weight(s); "
                "give one weight per value",
            )
        negative = False
        for i, weight in enumerate(weights):
            if weight is not None and weight < 0:
                negative = True
                self.fail(
                    (*at, "weights", i),
                    f"weight {spec.weights[i]} is negative; weights must be 0 or more",
                )
        total = sum(w for w in weights if w is not None)
        if weights and not negative and None not in weights and not total > 0:
            self.fail(
                (*at, "weights"),
                "the weights add up to 0; give at least one value a positive weight",
            )

    def _finite(self, raw: int | float | str, at: Path) -> float | None:
        """A finite number as a float, or None (and a problem recorded) if it is not one."""
        text = str(raw).strip().lower().lstrip("+-")
        if text in (".inf", "inf", "infinity", ".nan", "nan"):
            self.fail(at, f"'{raw}' is not a finite number; write e.g. 2, 2.5 or 2/3")
            return None
        value = self._value(raw, at)
        return None if value is None else float(value)

    def _value(self, raw: int | float | str, at: Path) -> Fraction | None:
        """An exact parameter value, or None (and a problem recorded) if it is not one."""
        try:
            return parse_number(str(raw))
        except ExpressionError as err:
            self.fail(at, err.message)
            return None

    # payoffs -------------------------------------------------------------------------
    def _payoffs(
        self, players: list[str], moves: list[tuple[str, ...]], parameters: tuple[Parameter, ...]
    ) -> tuple[list[list[Value]], tuple, tuple]:
        env = {p.name: p.value for p in parameters}
        raw = self.spec.payoffs
        n = len(players)
        shape = tuple(len(m) for m in moves)
        from itertools import product

        profiles = list(product(*(range(k) for k in shape)))
        cells: dict[tuple[int, ...], tuple[list[Path], list[Any]]] = {}
        is_matrix = n == 2 and bool(raw) and set(raw) <= set(players)
        if is_matrix:
            self._matrix_cells(raw, players, moves, cells)
        else:
            self._profile_cells(raw, players, moves, cells)
            missing = [p for p in profiles if p not in cells and p not in self.given]
            if missing and raw and not set(raw) & set(players):
                shown = "; ".join(
                    ", ".join(moves[i][m] for i, m in enumerate(p)) for p in missing[:4]
                )
                more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
                self.fail(
                    ("payoffs",),
                    f"no payoffs for {len(missing)} profile(s): {shown}{more}; "
                    "add a line `move, move: [payoff, payoff]` for each",
                    key=True,
                )
        if not raw:
            self.fail(
                ("payoffs",),
                "payoffs is empty; give one line per profile or a matrix per player",
                key=True,
            )
        table: list[list[Value]] = []
        formulas = []
        expressions = []
        zero = parse_expression("0")  # (once: up to MAX_PROFILES profiles can lack payoffs)
        for profile in profiles:
            if profile not in cells:
                table.append([Fraction(0)] * n)
                formulas.append(("0",) * n)
                expressions.append((zero,) * n)
                continue
            paths, entries = cells[profile]
            row_values, row_texts, row_expr = [], [], []
            for path, entry in zip(paths, entries, strict=True):
                text = str(entry)
                row_texts.append(text)
                try:
                    expression = parse_expression(text)
                    row_expr.append(expression)
                    row_values.append(evaluate(expression, env))
                except ExpressionError as err:
                    self.fail(path, f"{err.message}", shift=err.offset)
                    row_expr.append(zero)
                    row_values.append(Fraction(0))
            table.append(row_values)
            formulas.append(tuple(row_texts))
            expressions.append(tuple(row_expr))
        return table, tuple(formulas), tuple(expressions)

    def _profile_cells(
        self, raw: dict, players: list[str], moves: list[tuple[str, ...]], cells: dict
    ) -> None:
        n = len(players)
        for key, values in raw.items():
            at: Path = ("payoffs", key)
            names = [part.strip() for part in key.split(",")]
            if len(names) != n:
                if key in players:
                    self.fail(
                        at,
                        f"'{key}' looks like matrix form, which needs two players; with "
                        f"{n} players use `move, move, ...: [payoffs]` lines",
                        key=True,
                    )
                else:
                    self.fail(
                        at,
                        f"profile '{key}' names {len(names)} move(s); give one move per "
                        f"player, in order: {', '.join(players)}",
                        key=True,
                    )
                continue
            profile = []
            for i, move in enumerate(names):
                if move in moves[i]:
                    profile.append(moves[i].index(move))
                else:
                    self.fail(at, self._unknown_move(move, i, players, moves), key=True)
            if len(profile) != n:
                continue
            if tuple(profile) in cells or tuple(profile) in self.given:
                self.fail(at, f"profile '{key}' is given twice; keep one", key=True)
                continue
            self.given.add(tuple(profile))
            if len(values) != n or any(isinstance(v, list) for v in values):
                self.fail(
                    at,
                    f"profile '{key}' has {len(values)} payoff(s); give one number per "
                    f"player: [{', '.join(players)}]{_comma_hint(values)}",
                )
                continue
            cells[tuple(profile)] = ([(*at, j) for j in range(n)], list(values))

    def _matrix_cells(
        self, raw: dict, players: list[str], moves: list[tuple[str, ...]], cells: dict
    ) -> None:
        rows, cols = len(moves[0]), len(moves[1])
        for name in players:
            if name not in raw:
                self.fail(("payoffs",), f"matrix form needs a matrix for {name} too", key=True)
        for player, name in enumerate(players):
            if name not in raw:
                continue
            matrix = raw[name]
            at: Path = ("payoffs", name)
            if not all(isinstance(row, list) for row in matrix):
                self.fail(
                    at,
                    f"matrix form needs a list of rows for {name}, one row per move of "
                    f"{players[0]} ({', '.join(moves[0])}): e.g. [[1, 2], [3, 4]]",
                )
                continue
            if len(matrix) != rows:
                self.fail(
                    at,
                    f"{name}'s payoff matrix has {len(matrix)} row(s); {players[0]} has "
                    f"{rows} moves ({', '.join(moves[0])}), one row each",
                )
                continue
            for r, row in enumerate(matrix):
                if len(row) != cols:
                    self.fail(
                        (*at, r),
                        f"payoffs row {r + 1} of {name} has {len(row)} entries; "
                        f"{players[1]} has {cols} moves ({', '.join(moves[1])})"
                        f"{_comma_hint(row)}",
                    )
                    continue
                for c, entry in enumerate(row):
                    paths, entries = cells.setdefault((r, c), ([None, None], [None, None]))
                    paths[player] = (*at, r, c)
                    entries[player] = entry
        for profile in [p for p, (_, e) in cells.items() if None in e]:
            del cells[profile]

    def _unknown_move(self, move: str, player: int, players: list[str], moves: list) -> str:
        close = difflib.get_close_matches(move, moves[player], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (
            f"unknown move '{move}' for {players[player]} (position {player + 1}); {hint}"
            f"moves are: {', '.join(moves[player])}"
        )

    # status quo and claims -----------------------------------------------------------
    def _profile(
        self, at: Path, names: list[str] | None, players: list[str], moves: list
    ) -> tuple[int, ...] | None:
        if names is None:
            return None
        if len(names) != len(players):
            self.fail(
                at, f"a profile names one move per player ({', '.join(players)}); got {len(names)}"
            )
            return None
        out = []
        for i, move in enumerate(names):
            if move not in moves[i]:
                self.fail((*at, i), self._unknown_move(move, i, players, moves))
                return None
            out.append(moves[i].index(move))
        return tuple(out)

    def _claims(self, players: list[str], moves: list) -> tuple[Claim, ...]:
        out = []
        for k, claim in enumerate(self.spec.claims):
            at: Path = ("claims", k)
            if claim.player not in players:
                close = difflib.get_close_matches(claim.player, players, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.fail(
                    (*at, "player"),
                    f"unknown player '{claim.player}'; {hint}players are: {', '.join(players)}",
                )
                continue
            prefers = self._profile((*at, "prefers"), claim.prefers, players, moves)
            over = self._profile((*at, "over"), claim.over, players, moves)
            self._cite(claim.evidence, (*at, "evidence"))
            if prefers is None or over is None:
                continue
            line, column = self.doc.where(at)
            out.append(
                Claim(
                    players.index(claim.player),
                    prefers,
                    over,
                    tuple(claim.evidence),
                    claim.note,
                    line,
                    column,
                )
            )
        return tuple(out)

    # evidence ------------------------------------------------------------------------
    def _cite(self, ids: list[str], at: Path) -> None:
        for i, evidence_id in enumerate(ids):
            self.cited.setdefault(evidence_id, []).append((*at, i))

    def _evidence(self) -> dict[str, str]:
        source = self.spec.source
        if source is None:
            for evidence_id, paths in self.cited.items():
                self.fail(
                    paths[0],
                    f"cites {evidence_id} but the scenario has no `source:` brief; "
                    "add `source: ../seeds/<brief>.md`",
                )
            return {}
        brief_path = self.base / source
        try:
            brief = parse_brief(_read(brief_path, str(brief_path), regular=True))
        except ScenarioError as err:
            reason = err.problems[0].message if err.problems else "cannot read it"
            self.fail(
                ("source",),
                f"cannot read the source brief '{source}' (looked at "
                f"{brief_path}: {reason}); give a path relative to this file",
            )
            return {}
        for evidence_id, paths in self.cited.items():
            if evidence_id not in brief:
                known = ", ".join(brief) or "none"
                for path in paths:
                    self.fail(path, f"evidence {evidence_id} is not in {source} (it has {known})")
        return {i: brief[i] for i in sorted(self.cited, key=lambda e: int(e[1:])) if i in brief}
