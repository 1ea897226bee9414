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
from sim.game import Game, Value

__all__ = ["MAX_FILE_BYTES", "Claim", "Parameter", "Scenario", "load", "parse_scenario"]

MAX_FILE_BYTES = 5_000_000
"""Largest input file read, in bytes."""

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


@dataclass(frozen=True, eq=False)
class Scenario:
    """A loaded scenario: the game and everything a report needs to explain it.

    ``formulas[k]`` is the payoff text, per player, of profile ``profiles[k]`` (in the
    order of :meth:`Game.profiles`); ``evidence`` maps each cited evidence ID to its text;
    ``seed`` is the scenario's seed for random draws (``None`` if it gives none).
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
        return replace(self, game=game, parameters=new_params)

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
        expressions = tuple(tuple(parse_expression(t) for t in row) for row in formulas)
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
    shown = str(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                [
                    Problem(
                        shown, 1, 1, f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit"
                    )
                ]
            )
        raw = file.read_bytes()
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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise ScenarioError(
            [Problem(shown, line, column, "the file is not UTF-8 text; save it as UTF-8")]
        ) from None
    if file.suffix.lower() == ".nfg":
        from sim.nfg import parse_nfg

        return Scenario.from_game(parse_nfg(text, shown), name=file.stem, path=shown)
    return parse_scenario(text, shown, base=file.parent)


def parse_scenario(text: str, path: str = "<string>", base: FilePath | None = None) -> Scenario:
    """Parse scenario YAML text; ``base`` is the folder that relative paths start from."""
    doc = parse_document(text, path)
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

    from sim.schema import ScenarioSpec

    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "a scenario is a mapping of keys (kind, title, ...)")]
    try:
        return ScenarioSpec.model_validate(doc.data), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    problems = _translate(doc, errors)
    if not all(e["type"] == "extra_forbidden" for e in errors):
        return None, problems
    cleaned = _without(doc.data, [_strip(doc.data, e["loc"])[0] for e in errors])
    try:
        return ScenarioSpec.model_validate(cleaned), problems
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


def _allowed_keys(tags: list[list[str]], path: Path) -> list[str]:
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
        )
    }
    kinds = {name.lower(): cls for name, cls in models.items()}
    for tag in reversed([t for step in tags for t in step]):
        if tag in models:
            return list(models[tag].model_fields)
        if tag in kinds:
            return list(kinds[tag].model_fields)
    if len(path) == 0:
        return list(schema.ScenarioSpec.model_fields)
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
        allowed = _allowed_keys(tags, parent)
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
        spec = self.spec
        players = list(spec.players)
        moves, move_descriptions, move_evidence = self._players()
        parameters = self._parameters()
        table, formulas, expressions = self._payoffs(players, moves, parameters)
        status_quo = self._profile(("status_quo",), spec.status_quo, players, moves)
        claims = self._claims(players, moves)
        evidence = self._evidence()
        if self.problems:
            raise ScenarioError(self.problems)
        shape = tuple(len(m) for m in moves)
        game = Game.from_payoffs(
            _reshape(table, shape), players=players, moves=moves, title=spec.title
        )
        name = FilePath(self.doc.path).stem if self.doc.path != "<string>" else "scenario"
        return Scenario(
            game=game,
            name=name,
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
            _expressions=expressions,
        )

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
        for profile in profiles:
            if profile not in cells:
                table.append([Fraction(0)] * n)
                formulas.append(("0",) * n)
                expressions.append(tuple(parse_expression("0") for _ in range(n)))
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
                    row_expr.append(parse_expression("0"))
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
            brief = parse_brief(brief_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            self.fail(
                ("source",),
                f"cannot read the source brief '{source}' (looked at "
                f"{brief_path}); give a path relative to this file",
            )
            return {}
        for evidence_id, paths in self.cited.items():
            if evidence_id not in brief:
                known = ", ".join(brief) or "none"
                for path in paths:
                    self.fail(path, f"evidence {evidence_id} is not in {source} (it has {known})")
        return {i: brief[i] for i in sorted(self.cited, key=lambda e: int(e[1:])) if i in brief}
