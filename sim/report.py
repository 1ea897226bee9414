"""The report of a scenario run: the results dictionary and its Markdown rendering.

Pure functions of a scenario, its solution and its analyses; the command line writes what
they return (``results.json`` and ``report.md``) and prints the Markdown.

>>> from sim.scenario import Scenario
>>> from sim.game import Game
>>> from sim.solvers import solve
>>> scenario = Scenario.from_game(Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
>>> print(equilibrium_lines(scenario, solve(scenario.game))[0])
- NE1: **(s2, s2)**, pure; payoffs P1 1, P2 1
"""

from __future__ import annotations

import hashlib
import platform
import unicodedata
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sim.analysis.dominance import Elimination
from sim.analysis.overview import Analysis
from sim.analysis.thresholds import Thresholds
from sim.game import Game, Value, value_text
from sim.scenario import Scenario
from sim.solvers import Equilibrium, Solution
from sim.wording import payoffs_text, profile_text, strategy_text

if TYPE_CHECKING:
    from sim.analysis.concepts import Concepts
    from sim.analysis.explain import Explanation
    from sim.analysis.subgame_thresholds import SpeFlips

__all__ = [
    "FORMAT_VERSION",
    "analysis_lines",
    "concept_lines",
    "equilibrium_lines",
    "flip_lines",
    "markdown_report",
    "payoff_table",
    "payoff_table_width",
    "provenance",
    "results",
    "spe_flip_lines",
    "tree_lines",
]

FORMAT_VERSION = 1
"""Version of the ``results.json`` layout."""


def equilibrium_lines(scenario: Scenario, solution: Solution) -> list[str]:
    """One Markdown list line per equilibrium, labelled NE1, NE2, ... as in the figures."""
    game = scenario.game
    out = []
    for k, eq in enumerate(solution.equilibria, start=1):
        out.append(f"- NE{k}: {_describe(game, eq)}; payoffs {payoffs_text(game, eq.payoffs)}")
    return out


def _describe(game: Game, eq: Equilibrium) -> str:
    if eq.pure_profile is not None:
        return f"**{profile_text(game, eq.pure_profile)}**, pure"
    mixes = "; ".join(
        f"{name} plays {strategy_text(game, i, s)}"
        for i, (name, s) in enumerate(zip(game.players, eq.strategies, strict=True))
    )
    return f"mixed: {mixes}"


def payoff_table(game: Game, marked: Sequence[tuple[int, ...]] = ()) -> list[str]:
    """The payoffs as Markdown table lines; profiles in ``marked`` are flagged with ★.

    Two-player games are shown as a bimatrix (rows: first player); larger games as one
    row per profile.
    """
    header, rows = _table_cells(game, marked)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _table_cells(
    game: Game, marked: Sequence[tuple[int, ...]] = ()
) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of :func:`payoff_table`, cell by cell (Markdown text)."""
    marks = set(marked)
    if game.n_players == 2:
        rows, cols = game.moves
        header = [f"{game.players[0]} \\ {game.players[1]}", *cols]
        body = []
        for r, row_name in enumerate(rows):
            cells = [row_name]
            for c in range(len(cols)):
                text = ", ".join(value_text(v) for v in game.payoff((r, c)))
                cells.append(f"**{text}** ★" if (r, c) in marks else text)
            body.append(cells)
        return header, body
    body = []
    for profile in game.profiles():
        text = ", ".join(value_text(v) for v in game.payoff(profile))
        flag = " ★" if profile in marks else ""
        body.append([*game.profile_names(profile), f"{text}{flag}"])
    return [*game.players, "payoffs"], body


def _cell_width(text: str) -> int:
    """Terminal columns that a table cell's Markdown text takes once rendered: ``**``
    marks vanish, wide (East Asian) characters take two columns, combining ones none.

    >>> _cell_width("**-1, -2** ★"), _cell_width("交渉")
    (8, 4)
    """
    shown = text.replace("**", "")
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in shown
    )


def payoff_table_width(game: Game, marked: Sequence[tuple[int, ...]] = ()) -> int:
    """Terminal columns that :func:`payoff_table` needs with every cell on one line, as a
    console prints a Markdown table (rich: each column as wide as its widest cell, a
    space either side of it).

    >>> from sim.game import Game
    >>> payoff_table_width(Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    21
    """
    header, rows = _table_cells(game, marked)
    widths = [_cell_width(cell) for cell in header]
    for row in rows:
        widths = [max(w, _cell_width(cell)) for w, cell in zip(widths, row, strict=True)]
    return sum(widths) + 2 * len(widths)


def _payoff_section(
    game: Game, pure: Sequence[tuple[int, ...]], console_width: int | None
) -> list[str]:
    """The payoff table with its key; for a console narrower than the table, a line saying
    where the table is instead (its cells would be cut to "…")."""
    if console_width is not None:
        needed = payoff_table_width(game, pure)
        if needed > console_width:
            size = (
                f"{game.shape[0]} × {game.shape[1]} payoff table"
                if game.n_players == 2
                else f"payoff table ({len(_table_cells(game)[1])} profiles)"
            )
            return [
                f"The {size} needs {needed} columns, more than this terminal's "
                f"{console_width}: it is in report.md, and the payoffs are in results.json.",
            ]
    return [
        "Cells show the payoffs in player order; ★ marks a pure equilibrium.",
        "",
        *payoff_table(game, pure),
    ]


def _component_lines(scenario: Scenario, solution: Solution) -> list[str]:
    game = scenario.game
    out = []
    continua = [c for c in solution.components if not c.is_isolated]
    for k, component in enumerate(continua, start=1):
        members = ", ".join(f"NE{i + 1}" for i in component.equilibria)
        out.append(f"- Continuum {k} joins the extreme equilibria {members}:")
        for s in component.convex_sets:
            convex = solution.convex_sets[s]
            sides = []
            for player, vertices in enumerate(convex.vertices):
                hull = " and ".join(f"[{strategy_text(game, player, v)}]" for v in vertices)
                which = "any mixture of " if len(vertices) > 1 else ""
                sides.append(f"{game.players[player]} plays {which}{hull}")
            out.append(f"  - every profile where {'; '.join(sides)}")
    return out


def scenario_hash(text: str | bytes) -> str:
    """SHA-256 of a scenario file, recorded so results can be traced to inputs.

    Give the file's bytes (what ``sha256sum`` hashes); text is hashed as UTF-8.

    >>> scenario_hash(b"")
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


PACKAGE = "negotiation-sim"
"""The distribution name whose version results record."""

DEPENDENCIES = (
    "numpy",
    "nashpy",
    "matplotlib",
    "ruamel.yaml",
    "pydantic",
    "typer",
    "rich",
    "mpltern",
)
"""The runtime dependencies (``pyproject.toml``'s ``dependencies``) whose versions results
record. (The installed package metadata can be older than ``pyproject.toml`` in an editable
install, so the list is written here; a test keeps the two equal.)"""


def _version(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def provenance(
    command: Sequence[str],
    inputs: Sequence[tuple[str, str | None]],
    *,
    seed: int | None = None,
) -> dict[str, Any]:
    """What a results file needs to be remade: the ``provenance`` key of every JSON result.

    ``command`` is the command line as a list (paths as given), ``inputs`` the scenario
    files as ``(path as given, SHA-256 of its bytes)`` pairs (:func:`scenario_hash`), and
    ``seed`` the random seed of a stochastic command (None if none is used). Versions come
    from the installed distributions' metadata (none of the dependencies is imported);
    a distribution that is not installed is recorded as None. Nothing in it changes between
    two runs of the same command on the same installation: no time, host or working folder.

    >>> record = provenance(["sim", "run", "x.yaml"], [("x.yaml", scenario_hash(b""))])
    >>> record["command"], record["seed"], record["inputs"][0]["sha256"][:12]
    (['sim', 'run', 'x.yaml'], None, 'e3b0c44298fc')
    >>> sorted(record["versions"]) == sorted((PACKAGE, *DEPENDENCIES))
    True
    """
    return {
        "command": list(command),
        "inputs": [{"path": path, "sha256": digest} for path, digest in inputs],
        "seed": seed,
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in (PACKAGE, *DEPENDENCIES)},
    }


def results(
    scenario: Scenario,
    solution: Solution,
    analysis: Analysis,
    *,
    figures: Sequence[str] = (),
    source_hash: str | None = None,
    flips: Sequence[Thresholds] = (),
    concepts: Concepts | None = None,
    spe_flips: Sequence[SpeFlips] = (),
    explanation: Explanation | None = None,
) -> dict[str, Any]:
    """The ``results.json`` document: ``sim solve --json``'s keys plus the analyses.

    ``concepts`` adds one key per solution concept beyond Nash that applies (the keys are
    listed in :mod:`sim.analysis.concepts`); a sequential scenario also gets its ``tree``.
    ``explanation`` (:func:`sim.analysis.explain.explain`) adds the key ``explanation``.
    """
    game = scenario.game
    out = solution.to_dict()
    out.update(
        {
            "format_version": FORMAT_VERSION,
            "scenario": {
                "name": scenario.name,
                "path": scenario.path,
                "title": game.title,
                "kind": scenario.kind,
                "source": scenario.source,
                "sha256": source_hash,
            },
            "parameters": {
                p.name: {
                    "value": float(p.value),
                    "exact": value_text(p.value) if isinstance(p.value, Fraction) else None,
                    "unit": p.unit,
                    "description": p.description,
                    "evidence": list(p.evidence),
                    "range": [float(x) for x in p.range] if p.range else None,
                    "distribution": dict(p.distribution) if p.distribution else None,
                }
                for p in scenario.parameters
            },
            "payoff_table": [
                {
                    "profile": list(game.profile_names(profile)),
                    "payoffs": [float(v) for v in game.payoff(profile)],
                    "formulas": list(formulas),
                }
                for profile, formulas in zip(game.profiles(), scenario.formulas, strict=True)
            ],
            "status_quo": list(game.profile_names(scenario.status_quo))
            if scenario.status_quo is not None
            else None,
            "analysis": analysis.to_dict(),
            "thresholds": [f.to_dict() for f in flips],
            "claims": [
                {
                    "claim": c.describe(game),
                    "holds": c.holds(game),
                    "evidence": list(c.evidence),
                    "note": c.note,
                }
                for c in scenario.claims
            ],
            "warnings": list(scenario.warnings()),
            "evidence": dict(scenario.evidence),
            "figures": list(figures),
        }
    )
    if scenario.tree is not None:
        out["tree"] = scenario.tree.to_dict()
    if scenario.repeated is not None:
        terms = scenario.repeated
        out["repeated_terms"] = {
            "target": list(game.profile_names(terms.target)),
            "discount": None if terms.discount is None else float(terms.discount),
            "punishments": list(terms.punishments),
            "horizon": terms.horizon,
        }
    if concepts is not None:
        out.update(concepts.to_dict())
    if spe_flips:
        out["subgame_perfect_thresholds"] = [f.to_dict() for f in spe_flips]
    if explanation is not None:
        out["explanation"] = explanation.to_dict()
    return out


def spe_flip_lines(flips: Sequence[SpeFlips]) -> list[str]:
    """The "When the subgame-perfect outcome flips" section of a perfect-information tree."""
    return _flip_section(
        "When the subgame-perfect outcome flips",
        "Each parameter with a declared range is moved across it, the others kept at their "
        "values (exact thresholds, by backward induction on the payoffs as functions of the "
        "parameter).",
        "The subgame-perfect outcome is the same across the whole range of",
        flips,
    )


def _flip_section(
    heading: str, intro: str, same: str, flips: Sequence[Thresholds | SpeFlips]
) -> list[str]:
    """A report section with each flipping parameter's sentences, then the steady ones."""
    if not flips:
        return []
    lines = [f"## {heading}", "", intro, ""]
    steady = []
    for flip in flips:
        if flip.unchanging:
            steady.append(f"`{flip.parameter}`")
            continue
        lines.append(f"**{flip.parameter}**:")
        lines += [f"- {sentence}" for sentence in flip.sentences()]
        lines.append("")
    if steady:
        lines += [f"{same} {', '.join(steady)}.", ""]
    return lines


MAX_TREE_LINES = 80
"""Largest tree written out node by node in the report (larger ones are summarised)."""


def tree_lines(scenario: Scenario) -> list[str]:
    """The "Game tree" section of a sequential scenario: the tree as nested bullets.

    >>> from pathlib import Path
    >>> from sim.scenario import load
    >>> root = Path(__file__).resolve().parent.parent
    >>> print("\\n".join(tree_lines(load(root / "scenarios" / "entry_deterrence.yaml"))[4:]))
    - Challenger moves (challenger):
      - stay_out → end: Challenger 0, Incumbent 2
      - enter → Incumbent moves:
        - fight → end: Challenger -1, Incumbent -1
        - accommodate → end: Challenger 1, Incumbent 1
    <BLANKLINE>
    """
    tree = scenario.tree
    if tree is None:
        return []
    lines = [
        "## Game tree",
        "",
        "The payoff table below is the tree's reduced strategic form: a strategy names the "
        "player's move at each of its decision points, in order, joined by `/`.",
        "",
    ]
    if len(tree.nodes) > MAX_TREE_LINES:
        return [*lines[:-1], "", f"The tree has {len(tree.nodes)} nodes (see tree.png).", ""]

    def text(index: int) -> str:
        node = tree.nodes[index]
        if node.kind == "terminal":
            pays = ", ".join(
                f"{p} {value_text(v)}" for p, v in zip(tree.players, node.payoffs, strict=True)
            )
            about = f" ({node.description})" if node.description else ""
            return f"end: {pays}{about}"
        notes = [node.name] if "/" not in node.name else []  # named nodes only
        if node.kind == "chance":
            return "chance" + (f" ({node.name})" if notes else "") + ":"
        info = tree.information_sets[node.information_set or 0]
        if len(info.nodes) > 1:
            notes.append(f"information set {info.name}")
        about = f" ({', '.join(notes)})" if notes else ""
        return f"{tree.players[node.player or 0]} moves{about}:"

    def walk(index: int, depth: int) -> None:
        node = tree.nodes[index]
        for k, child in enumerate(node.children):
            move = node.moves[k]
            if node.kind == "chance":
                move = f"{move} (probability {value_text(node.probabilities[k])})"
            lines.append(f"{'  ' * depth}- {move} → {text(child)}")
            walk(child, depth + 1)

    lines.append(f"- {text(0)}")
    walk(0, 1)
    lines.append("")
    return lines


def concept_lines(concepts: Concepts | None) -> list[str]:
    """One report section per solution concept beyond Nash that applies."""
    if concepts is None:
        return []
    lines = []
    for heading, sentences in concepts.sections():
        lines += [f"## {heading}", ""]
        lines += [f"- {sentence}" for sentence in sentences]
        lines.append("")
    return lines


def flip_lines(scenario: Scenario, flips: Sequence[Thresholds]) -> list[str]:
    """The "When the outcome flips" section: each ranged parameter's threshold sentences.

    >>> from sim.game import Game
    >>> flip_lines(Scenario.from_game(Game.from_arrays([[1]], [[1]])), [])
    []
    """
    return _flip_section(
        "When the outcome flips",
        "Each parameter with a declared range is moved across it, the others kept at their "
        "values (exact thresholds; `sim sweep` draws them).",
        "The equilibrium structure (and game type) is the same across the whole range of",
        flips,
    )


def markdown_report(
    scenario: Scenario,
    solution: Solution,
    analysis: Analysis,
    *,
    figures: Mapping[str, str] | None = None,
    flips: Sequence[Thresholds] = (),
    concepts: Concepts | None = None,
    spe_flips: Sequence[SpeFlips] = (),
    explanation: Explanation | None = None,
    console_width: int | None = None,
) -> str:
    """The human report in Markdown; ``figures`` maps a caption to a relative file path.

    ``console_width`` is for the report as printed in a terminal of that many columns: a
    payoff table wider than that (:func:`payoff_table_width`; its cells would be cut to
    "…") is replaced by a line saying where it is. None (files): always the full table.

    ``flips`` are the flip thresholds of the ranged parameters
    (:func:`sim.analysis.thresholds.flip_thresholds`). ``explanation``
    (:func:`sim.analysis.explain.explain`) adds, after the equilibria, why each one holds,
    why the other outcomes do not, the dominance eliminations step by step and the evidence
    the conclusions rest on.
    """
    game = scenario.game
    lines = [f"# {game.title or scenario.name}", ""]
    if scenario.description:
        lines += [scenario.description, ""]
    if scenario.source:
        lines += [f"Source brief: `{scenario.source}`", ""]

    lines += ["## Players and moves", ""]
    for i, name in enumerate(game.players):
        about = scenario.player_descriptions[i] if scenario.player_descriptions else ""
        lines.append(f"- **{name}**" + (f": {about}" if about else ""))
        for j, move in enumerate(game.moves[i]):
            text = scenario.move_descriptions[i][j] if scenario.move_descriptions else ""
            text = "" if text == move else text
            cited = scenario.move_evidence[i][j] if scenario.move_evidence else ()
            extra = f" [{', '.join(cited)}]" if cited else ""
            lines.append(f"  - `{move}`" + (f": {text}" if text else "") + extra)
    lines.append("")

    if scenario.parameters:
        lines += [
            "## Parameters",
            "",
            "| name | value | unit | meaning | evidence |",
            "|---|---|---|---|---|",
        ]
        for p in scenario.parameters:
            lines.append(
                f"| `{p.name}` | {value_text(p.value)} | {p.unit} | {p.description} | "
                f"{', '.join(p.evidence)} |"
            )
        lines.append("")

    lines += tree_lines(scenario)
    pure = [e.pure_profile for e in solution.equilibria if e.pure_profile is not None]
    lines += ["## Payoffs", ""]
    lines += _payoff_section(game, pure, console_width)
    if scenario.status_quo is not None:
        sq = scenario.status_quo
        lines += [
            "",
            f"Status quo: {profile_text(game, sq)}, payoffs {payoffs_text(game, game.payoff(sq))}.",
        ]
    lines.append("")

    lines += ["## Equilibria", ""]
    lines.append(_solution_summary(solution))
    lines.append("")
    lines += equilibrium_lines(scenario, solution) or ["No pure equilibrium exists."]
    continua = _component_lines(scenario, solution)
    if continua:
        lines += ["", *continua]
    lines.append("")
    if explanation is not None:
        lines += [*explanation.markdown_lines(), ""]

    lines += concept_lines(concepts)
    lines += spe_flip_lines(spe_flips)
    lines += flip_lines(scenario, flips)
    lines += analysis_lines(game, analysis, scenario.status_quo, eliminations=explanation is None)

    if scenario.claims:
        lines += ["## Ordinal claims", ""]
        for c in scenario.claims:
            mark = "holds" if c.holds(game) else "**does not hold**"
            sources = f" [{', '.join(c.evidence)}]" if c.evidence else ""
            note = f" — {c.note}" if c.note else ""
            lines.append(f"- {c.describe(game)}: {mark}{sources}{note}")
        lines.append("")

    if scenario.evidence:
        lines += ["## Evidence cited", ""]
        lines += [f"- **{eid}**: {text}" for eid, text in scenario.evidence.items()]
        lines.append("")

    if figures:
        lines += ["## Figures", ""]
        lines += [f"![{caption}]({path})" for caption, path in figures.items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _solution_summary(solution: Solution) -> str:
    game = solution.game
    count = len(solution.equilibria)
    if solution.method == "vertex-enumeration":
        what = f"{count} extreme equilibri{'um' if count == 1 else 'a'} (all of them)"
        how = (
            "by exact vertex enumeration"
            if solution.exact
            else (
                "by exact vertex enumeration on the payoffs rationalised within the tolerance, "
                "certified against the float payoffs"
            )
        )
    elif solution.method == "lemke-howson":
        what = f"{count} equilibri{'um' if count == 1 else 'a'} (not necessarily all)"
        how = "by Lemke–Howson from every starting label, each certified"
    else:
        what = (
            f"{count} pure equilibri{'um' if count == 1 else 'a'} (mixed equilibria not searched)"
        )
        how = "by checking every pure profile"
    degenerate = {True: " The game is degenerate (ties in best responses).", False: "", None: ""}
    continua = sum(1 for c in solution.components if not c.is_isolated)
    extra = f" {continua} component(s) are continua of equilibria." if continua else ""
    notes = "".join(f" {note}" for note in solution.notes)
    shape = "×".join(str(k) for k in game.shape)
    summary = f"Found {what} of this {shape} game {how}."
    return f"{summary}{degenerate[solution.degenerate]}{extra}{notes}"


def _strategy_or_move(game: Game, player: int, strategy: Sequence[Value]) -> str:
    support = [j for j, p in enumerate(strategy) if p > 0]
    if len(support) == 1:
        return f"`{game.moves[player][support[0]]}`"
    return "the mixture " + strategy_text(game, player, strategy)


def _elimination_lines(game: Game, elimination: Elimination) -> list[str]:
    if not elimination.steps:
        return ["No move is strictly dominated, by a pure move or by a mixture."]
    lines = ["Iterated elimination of strictly dominated moves (by pure moves and mixtures):", ""]
    for step in elimination.steps:
        name = game.players[step.player]
        move = game.moves[step.player][step.move]
        by = _strategy_or_move(game, step.player, step.dominator)
        lines.append(
            f"- Round {step.round}: {name}'s `{move}` is strictly dominated by {by} "
            f"(it pays at least {value_text(step.margin)} more against every remaining reply)."
        )
    lines.append("")
    survivors = "; ".join(
        f"{name}: {', '.join(f'`{m}`' for m in moves)}"
        for name, moves in zip(game.players, elimination.surviving, strict=True)
    )
    lines.append(f"Surviving moves: {survivors}.")
    if elimination.solved:
        lines.append("The game is dominance solvable.")
    return lines


def analysis_lines(
    game: Game,
    analysis: Analysis,
    status_quo: tuple[int, ...] | None = None,
    *,
    eliminations: bool = True,
) -> list[str]:
    """Markdown sections for dominance, best responses, Pareto efficiency and security.

    ``eliminations=False`` leaves out the rounds of iterated elimination (when the report
    already explains them step by step); the dominance section then lists only dominant and
    weakly dominated moves, and is left out when there are none.
    """
    lines: list[str] = []
    if eliminations:
        lines += _elimination_lines(game, analysis.elimination)
    dominant = analysis.dominant
    for i, name in enumerate(game.players):
        strict, weakly = dominant.strict[i], dominant.weak[i]
        if len(game.moves[i]) < 2:
            continue
        if strict is not None:
            lines.append(f"- {name} has a strictly dominant move: `{game.moves[i][strict]}`.")
        elif weakly is not None:
            lines.append(f"- {name} has a weakly dominant move: `{game.moves[i][weakly]}`.")
    weak = [
        d for per_player in analysis.weakly_dominated.dominated for d in per_player if not d.strict
    ]
    if weak:
        lines.append("")
        lines.append("Weakly (not strictly) dominated moves:")
        for d in weak:
            lines.append(
                f"- {game.players[d.player]}'s `{game.moves[d.player][d.move]}` by "
                f"`{game.moves[d.player][d.dominator]}`"
            )
    lines = ["## Dominance", "", *lines, ""] if lines else []

    if game.n_players == 2:
        lines += ["## Best responses", ""]
        for player in range(2):
            other = 1 - player
            for response in analysis.best_responses.responses[player]:
                reply = game.moves[other][response.opponents[0]]
                best = ", ".join(f"`{game.moves[player][m]}`" for m in response.moves)
                lines.append(
                    f"- {game.players[player]}'s best reply to {game.players[other]}'s `{reply}`: "
                    f"{best} (payoff {value_text(response.value)})"
                )
        lines.append("")

    lines += ["## Pareto-efficient outcomes", ""]
    pareto = analysis.pareto
    for profile in pareto.efficient:
        lines.append(f"- {profile_text(game, profile)}: {payoffs_text(game, game.payoff(profile))}")
    if status_quo is not None:
        lines.append("")
        dominator = pareto.dominator(status_quo)
        if dominator is None:
            lines.append(f"The status quo {profile_text(game, status_quo)} is Pareto-efficient.")
        else:
            lines.append(
                f"The status quo {profile_text(game, status_quo)} is Pareto-dominated, e.g. by "
                f"{profile_text(game, dominator)}."
            )
    lines.append("")

    lines += [
        "## Security levels",
        "",
        "What each player can guarantee whatever the others do.",
        "",
        "| player | pure maxmin move(s) | pure maxmin | mixed maxmin | maxmin strategy |",
        "|---|---|---|---|---|",
    ]
    for level in analysis.security.levels:
        i = level.player
        moves = ", ".join(f"`{game.moves[i][m]}`" for m in level.pure_moves)
        strategy = _strategy_or_move(game, i, level.mixed_strategy)
        lines.append(
            f"| {game.players[i]} | {moves} | {value_text(level.pure_value)} | "
            f"{value_text(level.mixed_value)} | {strategy} |"
        )
    lines.append("")
    return lines
