"""Several scenarios side by side, and what changes from one to the next.

:func:`compare` solves each scenario (or takes its solution) and returns a
:class:`Comparison`: one :class:`Entry` per scenario, the parameters they share with
different values, and for each consecutive pair (first to second, second to third, ...) the
:class:`Change` in plain sentences.

Conventions, stated once here:

* Each scenario is named by a short label: the ``names`` given, else the scenario's name
  (its file stem). A repeated label gets `` (2)``, `` (3)``, ... in order, so labels are
  unique.
* Two scenarios *share moves* when they have the same players in the same order and each
  player has the same set of move names. Only then are equilibria, the status quo and
  Pareto-efficient outcomes matched across them, by move names (not indices). Otherwise
  only what does not depend on the moves is compared: the number of equilibria, each
  player's equilibrium payoffs (when the players are the same) and the 2x2 game family.
* An equilibrium is matched across scenarios by its *support*: the set of move names each
  player uses with positive probability (so the order in which moves are listed does not
  matter). A pure equilibrium is matched by its profile. When a support holds the same
  number of equilibria in both scenarios they are paired in solution order; otherwise the
  support's equilibria are reported as gained and lost.
* Payoffs, probabilities and parameter values are compared with
  :func:`sim.certificate.compare` (exactly for exact values; otherwise with the project's
  tolerance, at the larger of the two games' :meth:`~sim.game.Game.scale` for payoffs, at
  scale 1 for probabilities, and at :func:`sim.game.payoff_scale` of the values compared
  for parameters).
* A game solved for its pure equilibria only (three or more players, or a game tree too
  large for enumeration: ``Solution.complete == "pure"``) is described in terms of pure
  equilibria: "no pure equilibrium", never "no equilibrium".
* The side-by-side table is data: :meth:`Comparison.rows` returns :class:`Row` objects (a
  label and one Markdown cell per scenario), built from :data:`ROWS` (one line per row) and
  one row per differing parameter; :meth:`Comparison.markdown_lines` takes further rows.

Sequential scenarios are compared through their reduced strategic form
(:attr:`sim.scenario.Scenario.game`), whose moves are the players' strategies. Games of
three or more players are solved for their pure equilibria (:func:`sim.solvers.solve`);
a game tree too large for exact enumeration falls back to its pure equilibria
(:func:`sim.solvers.solve_scenario`).

>>> from pathlib import Path
>>> from sim.scenario import load
>>> root = Path(__file__).resolve().parents[2]
>>> talks = load(root / "scenarios" / "london_talks.yaml")
>>> found = compare([talks, talks.with_parameters(z_us=4)], names=["baseline", "high z_us"])
>>> for sentence in found.sentences()[:5]:
...     print(sentence)
z_us is 1 in baseline and 4 in high z_us.
The game family is prisoner's dilemma in baseline and one-sided dominance in high z_us.
The ordinal type is Pd: Prisoner's Dilemma in baseline and Ch|Pd: Chicken (row) × Prisoner's Dilemma (column) in high z_us.
(ease_chip_controls, restrict_re) is an equilibrium in high z_us but not in baseline.
(maintain_chip_controls, restrict_re) is an equilibrium in baseline but not in high z_us.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.pareto import pareto_efficient
from sim.analysis.structure import game_type
from sim.analysis.taxonomy import ordinal_type
from sim.certificate import compare as compare_values
from sim.errors import SimError
from sim.game import Game, Value, exact_text, payoff_scale, value_text
from sim.scenario import Scenario
from sim.solvers import Equilibrium, Solution, solve_scenario
from sim.wording import equilibrium_text, listing, payoffs_text, profile_text

__all__ = ["ROWS", "Change", "Comparison", "Entry", "ParameterDifference", "Row", "compare"]

Support = tuple[tuple[str, ...], ...]
"""The move names each player uses with positive probability, per player, sorted by name
(the same support whatever order a scenario lists its moves in)."""


# ----------------------------------------------------------------------------- entries
@dataclass(frozen=True)
class Entry:
    """One scenario of a comparison: its label, scenario, solution and derived facts.

    Attributes
    ----------
    name : str
        The scenario's unique short label.
    scenario : Scenario
    solution : Solution
        Its certified equilibria.
    game_type : str or None
        The 2x2 game type (:func:`sim.analysis.structure.game_type`); None for other shapes.
    efficient : tuple of tuple of int
        The Pareto-efficient pure profiles (:func:`sim.analysis.pareto.pareto_efficient`).
    """

    name: str
    scenario: Scenario = field(repr=False, compare=False)
    solution: Solution = field(repr=False, compare=False)
    game_type: str | None
    efficient: tuple[tuple[int, ...], ...]

    @property
    def game(self) -> Game:
        """The scenario's game (a tree's reduced strategic form)."""
        return self.scenario.game

    def profile_text(self, profile: Sequence[int]) -> str:
        """A pure profile as ``(move, move)``."""
        return profile_text(self.game, profile)

    def payoffs_text(self, payoffs: Sequence[Value]) -> str:
        """Payoffs as ``US 3, China 4`` (:func:`sim.wording.payoffs_text`)."""
        return payoffs_text(self.game, payoffs)

    def equilibrium_text(self, eq: Equilibrium) -> str:
        """``(a, b)`` or ``(Row: 3/5 opera + 2/5 football; Column: ...)``
        (:func:`sim.wording.equilibrium_text`)."""
        return equilibrium_text(self.game, eq.strategies)

    def support(self, eq: Equilibrium) -> Support:
        """The equilibrium's support: the move names each player uses, sorted by name."""
        return tuple(
            tuple(sorted(self.game.moves[i][j] for j in eq.support(i)))
            for i in range(self.game.n_players)
        )

    def status_quo_payoffs(self) -> tuple[Value, ...] | None:
        """The payoffs at the status quo, or None when the scenario has none."""
        sq = self.scenario.status_quo
        return None if sq is None else self.game.payoff(sq)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: players, moves, parameters, status quo, equilibria, type, Pareto."""
        game, scenario, solution = self.game, self.scenario, self.solution
        sq = scenario.status_quo
        return {
            "name": self.name,
            "title": scenario.title,
            "path": scenario.path,
            "kind": scenario.kind,
            "players": list(game.players),
            "moves": {p: list(m) for p, m in zip(game.players, game.moves, strict=True)},
            "parameters": {
                p.name: {"value": float(p.value), "exact": exact_text(p.value)}
                for p in scenario.parameters
            },
            "status_quo": None if sq is None else _profile_dict(game, sq),
            "method": solution.method,
            "complete": solution.complete,
            "exact": solution.exact,
            "count": len(solution.equilibria),
            "equilibria": [
                _equilibrium_dict(self, k, eq) for k, eq in enumerate(solution.equilibria, 1)
            ],
            "game_type": self.game_type,
            "pareto_efficient": [_profile_dict(game, p) for p in self.efficient],
        }


def _values_dict(values: Sequence[Value]) -> dict[str, Any]:
    exact = [exact_text(v) for v in values]
    return {
        "payoffs": [float(v) for v in values],
        "exact_payoffs": None if None in exact else exact,
    }


def _profile_dict(game: Game, profile: tuple[int, ...]) -> dict[str, Any]:
    return {"profile": list(game.profile_names(profile)), **_values_dict(game.payoff(profile))}


def _equilibrium_dict(entry: Entry, number: int, eq: Equilibrium) -> dict[str, Any]:
    game = entry.game
    profile = eq.pure_profile
    strategies = {
        game.players[i]: {game.moves[i][j]: s[j] for j in eq.support(i)}
        for i, s in enumerate(eq.strategies)
    }
    return {
        "label": f"NE{number}",
        "pure": profile is not None,
        "profile": None if profile is None else list(game.profile_names(profile)),
        "text": entry.equilibrium_text(eq),
        "strategies": {p: {m: float(x) for m, x in s.items()} for p, s in strategies.items()},
        "exact_strategies": (
            {p: {m: str(x) for m, x in s.items()} for p, s in strategies.items()}
            if eq.is_exact
            else None
        ),
        **_values_dict(eq.payoffs),
    }


# ------------------------------------------------------------------------------- rows
@dataclass(frozen=True)
class Row:
    """One row of the side-by-side table: a label and one Markdown cell per scenario."""

    label: str
    cells: tuple[str, ...]


def _list_cell(items: Sequence[str], empty: str = "none") -> str:
    return "; ".join(items) if items else empty


def _moves_cell(e: Entry) -> str:
    game = e.game
    return "; ".join(f"{p}: {', '.join(m)}" for p, m in zip(game.players, game.moves, strict=True))


def _count_cell(e: Entry) -> str:
    what = {"extreme": "all extreme", "pure": "pure only", "some": "not all: enumeration stopped"}[
        e.solution.complete
    ]
    return f"{len(e.solution.equilibria)} ({what})"


def _pure_cell(e: Entry) -> str:
    return _list_cell([e.equilibrium_text(eq) for eq in e.solution.pure_equilibria()])


def _mixed_cell(e: Entry) -> str:
    if e.solution.complete == "pure":
        return "not searched"
    mixed = [e.equilibrium_text(eq) for eq in e.solution.equilibria if not eq.is_pure]
    return _list_cell(mixed)


def _status_quo_cell(e: Entry) -> str:
    sq = e.scenario.status_quo
    return "none" if sq is None else e.profile_text(sq)


def _status_quo_payoffs_cell(e: Entry) -> str:
    payoffs = e.status_quo_payoffs()
    return "—" if payoffs is None else e.payoffs_text(payoffs)


def _payoffs_cell(e: Entry) -> str:
    return _list_cell(
        [
            f"NE{k}: {e.payoffs_text(eq.payoffs)}"
            for k, eq in enumerate(e.solution.equilibria, start=1)
        ]
    )


def _ordinal_cell(game: Game) -> str:
    if game.n_players != 2 or game.shape != (2, 2):
        return "— (not 2×2)"
    found = ordinal_type(game)
    return f"{found.label}: {found.name}" if found.name else found.label


ROWS: tuple[tuple[str, Callable[[Entry], str]], ...] = (
    ("title", lambda e: e.scenario.title or "—"),
    ("kind", lambda e: e.scenario.kind),
    ("players", lambda e: ", ".join(e.game.players)),
    ("moves", _moves_cell),
    ("status quo", _status_quo_cell),
    ("status quo payoffs", _status_quo_payoffs_cell),
    ("equilibria", _count_cell),
    ("pure equilibria", _pure_cell),
    ("mixed equilibria", _mixed_cell),
    ("equilibrium payoffs", _payoffs_cell),
    ("game family (2×2)", lambda e: e.game_type or "— (not 2×2)"),
    ("ordinal type (Robinson–Goforth)", lambda e: _ordinal_cell(e.game)),
    ("Pareto-efficient outcomes", lambda e: _list_cell([e.profile_text(p) for p in e.efficient])),
)
"""The rows of the side-by-side table: (label, function of an :class:`Entry` to its cell)."""


# -------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class ParameterDifference:
    """A parameter name held by two or more scenarios with different values.

    Only parameters with the same description wherever they appear are compared: the same
    name with different descriptions is taken to mean different things.

    ``values[k]`` is its value in scenario ``k``, or None when that scenario has no
    parameter of this name.
    """

    name: str
    values: tuple[Value | None, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: floats and exact strings (None where absent or inexact)."""
        return {
            "name": self.name,
            "values": [None if v is None else float(v) for v in self.values],
            "exact_values": [None if v is None else exact_text(v) for v in self.values],
        }


def _differ(x: Value, y: Value) -> bool:
    """True when two parameter values differ (the tolerance at their own scale)."""
    return compare_values(x, y, float(payoff_scale(np.array([float(x), float(y)])))) != 0


def _parameter_differences(entries: Sequence[Entry]) -> tuple[ParameterDifference, ...]:
    order: list[str] = []
    for e in entries:
        order += [p.name for p in e.scenario.parameters if p.name not in order]
    out = []
    for name in order:
        meanings = {p.description for e in entries for p in e.scenario.parameters if p.name == name}
        if len(meanings) > 1:  # one name, different meanings (d_us: damage here, discount there)
            continue
        values = tuple(e.scenario.parameter_values().get(name) for e in entries)
        held = [v for v in values if v is not None]
        if len(held) >= 2 and any(_differ(v, held[0]) for v in held):
            out.append(ParameterDifference(name, values))
    return tuple(out)


# ----------------------------------------------------------------------------- changes
@dataclass(frozen=True)
class Change:
    """What changes from scenario ``before`` to scenario ``after`` (labels), in sentences."""

    before: str
    after: str
    sentences: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"from": self.before, "to": self.after, "sentences": list(self.sentences)}


def _same_players(a: Game, b: Game) -> bool:
    return a.players == b.players


def _same_moves(a: Game, b: Game) -> bool:
    return _same_players(a, b) and all(
        set(x) == set(y) for x, y in zip(a.moves, b.moves, strict=True)
    )


def _count_text(n: int, complete: str) -> str:
    """``3 equilibria``, ``1 pure equilibrium``, ``no pure equilibrium``."""
    kind = "pure " if complete == "pure" else ""
    if n == 0:
        return f"no {kind}equilibrium"
    return f"{n} {kind}{'equilibrium' if n == 1 else 'equilibria'}"


def _not_searched(*entries: Entry) -> str:
    """Why mixed equilibria may be missing from a solution ("" when none is)."""
    pure = [e for e in entries if e.solution.complete == "pure"]
    if not pure:
        if any(e.solution.complete == "some" for e in entries):
            return "exact enumeration stopped, so other mixed equilibria may exist"
        return ""
    if all(e.game.n_players >= 3 for e in pure):
        return "mixed equilibria are not searched for games of three or more players"
    return "mixed equilibria were not searched"


def _counts(a: Entry, b: Entry) -> str:
    """The sentence comparing the numbers of equilibria."""
    na, nb = len(a.solution.equilibria), len(b.solution.equilibria)
    ca, cb = a.solution.complete, b.solution.complete
    note = _not_searched(a, b)
    if na == nb == 0 and ca == cb:
        kind = "a pure equilibrium" if ca == "pure" else "an equilibrium"
        text = f"Neither has {kind}"
    elif na == nb and ca == cb:
        text = f"Both have {_count_text(na, ca)}"
    else:
        text = f"{a.name} has {_count_text(na, ca)} and {b.name} has {_count_text(nb, cb)}"
    return f"{text}; {note}." if note and (na == 0 or nb == 0) else f"{text}."


def _change(a: Entry, b: Entry, differences: Sequence[ParameterDifference], k: int) -> Change:
    """The sentences for the pair (a, b); ``k`` is a's position (b is at k + 1)."""
    out = []
    for d in differences:
        x, y = d.values[k], d.values[k + 1]
        if x is not None and y is not None and _differ(x, y):
            out.append(f"{d.name} is {value_text(x)} in {a.name} and {value_text(y)} in {b.name}.")
    if a.game_type is not None or b.game_type is not None:
        ta, tb = a.game_type or "not defined (not 2×2)", b.game_type or "not defined (not 2×2)"
        if ta == tb:
            out.append(f"The game family is {ta} in both.")
        else:
            out.append(f"The game family is {ta} in {a.name} and {tb} in {b.name}.")
    oa, ob = _ordinal_cell(a.game), _ordinal_cell(b.game)
    if oa != ob and a.game.shape == b.game.shape == (2, 2):
        out.append(f"The ordinal type is {oa} in {a.name} and {ob} in {b.name}.")
    if _same_moves(a.game, b.game):
        out += _equilibrium_changes(a, b)
    else:
        out += _unmatched(a, b)
    out.append(_counts(a, b))
    if _same_moves(a.game, b.game):
        out += _status_quo_changes(a, b)
        out += _pareto_changes(a, b)
    return Change(a.name, b.name, tuple(out))


def _by_support(e: Entry) -> dict[Support, list[Equilibrium]]:
    found: dict[Support, list[Equilibrium]] = {}
    for eq in e.solution.equilibria:
        found.setdefault(e.support(eq), []).append(eq)
    return found


def _payoff_change(a: Entry, b: Entry, ea: Equilibrium, eb: Equilibrium, scale: float) -> str:
    """How two matched equilibria's payoffs differ, as a clause ('' if they do not)."""
    if _same(ea.payoffs, eb.payoffs, scale):
        return ""
    return (
        f"the payoffs are {a.payoffs_text(ea.payoffs)} in {a.name} and "
        f"{b.payoffs_text(eb.payoffs)} in {b.name}"
    )


def _same_strategies(a: Entry, b: Entry, ea: Equilibrium, eb: Equilibrium) -> bool:
    for i in range(a.game.n_players):
        for j, move in enumerate(a.game.moves[i]):
            p = ea.strategies[i][j]
            q = eb.strategies[i][b.game.moves[i].index(move)]
            if compare_values(p, q) != 0:  # probabilities: at scale 1
                return False
    return True


def _equilibrium_changes(a: Entry, b: Entry) -> list[str]:
    scale = max(a.game.scale(), b.game.scale())
    sa, sb = _by_support(a), _by_support(b)
    gained: list[Equilibrium] = []
    lost: list[Equilibrium] = []
    moved = []
    for support, listed in sa.items():
        others = sb.get(support, [])
        if len(others) != len(listed):
            lost += listed
            gained += others
            continue
        for ea, eb in zip(listed, others, strict=True):
            if not ea.is_pure and not _same_strategies(a, b, ea, eb):
                moved.append(
                    f"The mixed equilibrium {a.equilibrium_text(ea)} in {a.name} moves to "
                    f"{b.equilibrium_text(eb)} in {b.name}."
                )
            change = _payoff_change(a, b, ea, eb, scale)
            if change:
                kind = "equilibrium" if ea.is_pure else "mixed equilibrium"
                moved.append(f"At the {kind} {a.equilibrium_text(ea)}, {change}.")
    gained += [eq for s, listed in sb.items() if s not in sa for eq in listed]
    out = [_only_in(b, a, eq) for eq in gained]
    out += [_only_in(a, b, eq) for eq in lost]
    out += moved
    if not out and a.solution.equilibria:
        same = ", ".join(a.equilibrium_text(eq) for eq in a.solution.equilibria)
        kind = (
            "pure equilibria"
            if a.solution.complete == b.solution.complete == "pure"
            else "equilibria"
        )
        out.append(f"The {kind} are the same in both, with the same payoffs: {same}.")
    return out


def _only_in(has: Entry, lacks: Entry, eq: Equilibrium) -> str:
    """``X is an equilibrium in A but not in B`` (a mixed one that B did not search: said)."""
    text = has.equilibrium_text(eq)
    if not eq.is_pure and lacks.solution.complete == "pure":
        return (
            f"{text} is an equilibrium in {has.name}; {lacks.name} was searched for pure "
            "equilibria only."
        )
    return f"{text} is an equilibrium in {has.name} but not in {lacks.name}."


def _unmatched(a: Entry, b: Entry) -> list[str]:
    """Sentences for two scenarios without the same moves: payoffs per player only."""
    if not _same_players(a.game, b.game):
        return [
            f"{a.name} and {b.name} have different players ({', '.join(a.game.players)}; "
            f"{', '.join(b.game.players)}), so only the counts are compared."
        ]
    differing = "; ".join(
        f"{p} has {listing(x)} in {a.name} but {listing(y)} in {b.name}"
        for p, x, y in zip(a.game.players, a.game.moves, b.game.moves, strict=True)
        if set(x) != set(y)
    )
    out = [
        f"{a.name} and {b.name} do not have the same moves ({differing}), so equilibria are "
        "compared by their payoffs and number only."
    ]
    scale = max(a.game.scale(), b.game.scale())
    both_pure = a.solution.complete == b.solution.complete == "pure"
    noun = "pure-equilibrium payoff" if both_pure else "equilibrium payoff"
    for i, player in enumerate(a.game.players):
        ra, rb = _range(a, i), _range(b, i)
        ta, tb = _range_text(a, ra, scale, both_pure), _range_text(b, rb, scale, both_pure)
        same = ra is not None and rb is not None and _same(ra, rb, scale) and ta == tb
        where = "in both" if same else f"in {a.name} and {tb} in {b.name}"
        out.append(f"{player}'s {noun} is {ta} {where}.")
    pa, pb = a.status_quo_payoffs(), b.status_quo_payoffs()
    if pa is not None and pb is not None:
        ta, tb = a.payoffs_text(pa), b.payoffs_text(pb)
        where = "in both" if _same(pa, pb, scale) else f"in {a.name} and {tb} in {b.name}"
        out.append(f"The status quo pays {ta} {where}.")
    return out


def _same(x: Sequence[Value], y: Sequence[Value], scale: float) -> bool:
    return all(compare_values(u, v, scale) == 0 for u, v in zip(x, y, strict=True))


def _range(e: Entry, player: int) -> tuple[Value, Value] | None:
    """The player's lowest and highest equilibrium payoff (None without equilibria)."""
    values = [eq.payoffs[player] for eq in e.solution.equilibria]
    return (min(values), max(values)) if values else None


def _range_text(e: Entry, bounds: tuple[Value, Value] | None, scale: float, both_pure: bool) -> str:
    """``3``, ``between -1 and 1`` or ``undefined (no pure equilibrium)``; a pure-only
    solution compared with a complete one says so."""
    pure = e.solution.complete == "pure"
    if bounds is None:
        return "undefined (no pure equilibrium)" if pure else "undefined (no equilibrium found)"
    low, high = bounds
    text = (
        value_text(low)
        if compare_values(low, high, scale) == 0
        else f"between {value_text(low)} and {value_text(high)}"
    )
    return f"{text} (pure equilibria only)" if pure and not both_pure else text


def _status_quo_changes(a: Entry, b: Entry) -> list[str]:
    qa, qb = a.scenario.status_quo, b.scenario.status_quo
    if qa is None and qb is None:
        return []
    if qa is None or qb is None:
        has, lacks = (b, a) if qa is None else (a, b)
        sq = has.scenario.status_quo or ()
        return [f"{has.name} has the status quo {has.profile_text(sq)}; {lacks.name} has none."]
    names_a, names_b = a.game.profile_names(qa), b.game.profile_names(qb)
    if names_a != names_b:
        return [
            f"The status quo is {a.profile_text(qa)} in {a.name} and "
            f"{b.profile_text(qb)} in {b.name}."
        ]
    pa, pb = a.game.payoff(qa), b.game.payoff(qb)
    if _same(pa, pb, max(a.game.scale(), b.game.scale())):
        return []
    return [
        f"The status quo {a.profile_text(qa)} pays {a.payoffs_text(pa)} in {a.name} and "
        f"{b.payoffs_text(pb)} in {b.name}."
    ]


def _pareto_changes(a: Entry, b: Entry) -> list[str]:
    ea = {a.game.profile_names(p): p for p in a.efficient}
    eb = {b.game.profile_names(p): p for p in b.efficient}
    out = [
        f"{b.profile_text(p)} is Pareto-efficient in {b.name} but not in {a.name}."
        for names, p in eb.items()
        if names not in ea
    ]
    out += [
        f"{a.profile_text(p)} is Pareto-efficient in {a.name} but not in {b.name}."
        for names, p in ea.items()
        if names not in eb
    ]
    return out


# -------------------------------------------------------------------------- comparison
def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no pipe, no line break)."""
    return " ".join(text.split()).replace("|", "\\|")


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side (see :func:`compare`).

    Attributes
    ----------
    entries : tuple of Entry
        One per scenario, in the order given.
    parameter_differences : tuple of ParameterDifference
        Parameters that two or more scenarios hold with different values.
    changes : tuple of Change
        What changes from each scenario to the next, in sentences.
    """

    entries: tuple[Entry, ...]
    parameter_differences: tuple[ParameterDifference, ...]
    changes: tuple[Change, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The scenarios' unique labels."""
        return tuple(e.name for e in self.entries)

    @property
    def same_moves(self) -> bool:
        """True when every scenario has the same players and moves (matched by name)."""
        first = self.entries[0].game
        return all(_same_moves(first, e.game) for e in self.entries[1:])

    def rows(self) -> tuple[Row, ...]:
        """The side-by-side table's rows: :data:`ROWS`, then each differing parameter."""
        rows = [Row(label, tuple(cell(e) for e in self.entries)) for label, cell in ROWS]
        for d in self.parameter_differences:
            cells = tuple("—" if v is None else value_text(v) for v in d.values)
            rows.append(Row(f"parameter `{d.name}`", cells))
        return tuple(rows)

    def sentences(self) -> tuple[str, ...]:
        """Every "what changed" sentence, pair after pair."""
        return tuple(s for change in self.changes for s in change.sentences)

    def markdown_lines(self, extra_rows: Sequence[Row] = (), level: int = 2) -> list[str]:
        """The table (one column per scenario) and the "what changed" bullets, in Markdown.

        ``extra_rows`` are appended to the table (for example a row from another analysis);
        ``level`` is the level of the two section headings.
        """
        for row in extra_rows:
            if len(row.cells) != len(self.entries):
                raise SimError(
                    f"row {row.label!r} has {len(row.cells)} cells; give one per scenario "
                    f"({len(self.entries)})"
                )
        hashes = "#" * level
        lines = [
            f"{hashes} Side by side",
            "",
            "| | " + " | ".join(_cell(n) for n in self.names) + " |",
            "|---|" + "---|" * len(self.entries),
        ]
        for row in (*self.rows(), *extra_rows):
            cells = " | ".join(_cell(c) for c in row.cells)
            lines.append(f"| {_cell(row.label)} | {cells} |")
        lines += ["", f"{hashes} What changed", ""]
        for change in self.changes:
            lines.append(f"- From {change.before} to {change.after}:")
            lines += [f"  - {s}" for s in change.sentences]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: each scenario, the differing parameters and the changes."""
        return {
            "names": list(self.names),
            "same_moves": self.same_moves,
            "scenarios": [e.to_dict() for e in self.entries],
            "parameter_differences": [d.to_dict() for d in self.parameter_differences],
            "changes": [c.to_dict() for c in self.changes],
        }


def _unique(names: Sequence[str]) -> tuple[str, ...]:
    """The names with repeats suffixed `` (2)``, `` (3)``, ... (never clashing)."""
    taken = set(names)
    seen: set[str] = set()
    out = []
    for name in names:
        label, k = name, 1
        while label in seen or (label != name and label in taken):
            k += 1
            label = f"{name} ({k})"
        seen.add(label)
        out.append(label)
    return tuple(out)


def compare(
    scenarios: Sequence[Scenario],
    solutions: Sequence[Solution] | None = None,
    names: Sequence[str] | None = None,
) -> Comparison:
    """Compare two or more scenarios side by side and say what changes between them.

    Steps: (1) label each scenario (``names`` or its name, made unique); (2) solve each game
    unless its solution is given (:func:`sim.solvers.solve_scenario`), and find its
    2x2 game type and Pareto-efficient profiles; (3) find the shared parameters with
    different values; (4) for each consecutive pair, match equilibria by support and the
    status quo and Pareto-efficient outcomes by move names when the two share moves,
    otherwise compare counts and payoffs per player.

    Parameters
    ----------
    scenarios : sequence of Scenario
        At least two scenarios, in the order to compare (first to second, ...).
    solutions : sequence of Solution, optional
        Their solutions (:func:`sim.solvers.solve`), one per scenario; solved if omitted.
    names : sequence of str, optional
        A short label per scenario; by default each scenario's name.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("c", "d"), ("c", "d")))
    >>> stag = pd.with_payoffs([[[5, 5], [0, 3]], [[3, 0], [1, 1]]])
    >>> found = compare([Scenario.from_game(pd), Scenario.from_game(stag)], names=["pd", "stag"])
    >>> found.sentences()[1:3]  # doctest: +NORMALIZE_WHITESPACE
    ("The ordinal type is Pd: Prisoner's Dilemma in pd and Sh: Stag Hunt in stag.",
     '(c, c) is an equilibrium in stag but not in pd.')
    >>> found.to_dict()["scenarios"][1]["count"]
    3
    """
    scenarios = tuple(scenarios)
    if len(scenarios) < 2:
        raise SimError(f"compare needs at least 2 scenarios, got {len(scenarios)}")
    if solutions is not None and len(solutions) != len(scenarios):
        raise SimError(
            f"{len(solutions)} solutions for {len(scenarios)} scenarios; give one per scenario"
        )
    if names is not None and len(names) != len(scenarios):
        raise SimError(f"{len(names)} names for {len(scenarios)} scenarios; give one per scenario")
    raw = [n or f"scenario {k}" for k, n in enumerate(names or [s.name for s in scenarios], 1)]
    labels = _unique(raw)
    solved = list(solutions) if solutions is not None else [solve_scenario(s) for s in scenarios]
    for k, (scenario, solution) in enumerate(zip(scenarios, solved, strict=True)):
        if solution.game.shape != scenario.game.shape:
            raise SimError(
                f"solution {k + 1} is of a {solution.game.shape} game but scenario "
                f"{labels[k]!r} is {scenario.game.shape}; pass each scenario's own solution"
            )
    entries = tuple(
        Entry(label, s, sol, game_type(s.game), pareto_efficient(s.game).efficient)
        for label, s, sol in zip(labels, scenarios, solved, strict=True)
    )
    differences = _parameter_differences(entries)
    changes = tuple(
        _change(entries[k], entries[k + 1], differences, k) for k in range(len(entries) - 1)
    )
    return Comparison(entries, differences, changes)
