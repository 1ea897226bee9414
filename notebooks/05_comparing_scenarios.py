# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Comparing the scenarios derived from one evidence brief
#
# All the `london_*.yaml` scenarios read the same brief, `seeds/london_talks_2025.md`, in
# different ways: simultaneous or in turn, once or repeated, with more moves (token
# approvals, breaking the tariff truce) or as a bargain over a package.
#
# **Research question:** do the readings agree? Where they disagree, is it the *structure*
# assumed (who moves when, what can be observed) or the *payoffs* that drives the
# difference? `sim.compare` puts scenarios side by side and says, in sentences, what
# changes from one to the next (as `sim compare A.yaml B.yaml ...` does). Below: every
# reading at a glance; one change of payoffs; the simultaneous readings, which differ in
# their moves; the readings that add structure; and what the concepts beyond Nash
# equilibrium add to each.

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import Markdown, display

import sim
from sim.plot import payoff_space_figure
from sim.report import equilibrium_lines
from sim.scenario import load

here = Path.cwd().resolve()
root = next((p for p in (here, *here.parents) if (p / "scenarios").is_dir()), None)
assert root is not None, f"no scenarios/ folder above {here}: open the notebook from the repo"
paths = sorted((root / "scenarios").glob("london_*.yaml"))
scenarios = {path.stem: load(path) for path in paths}
solutions = {name: sim.solve(s.game) for name, s in scenarios.items()}
found = {name: sim.concepts(s, solutions[name]) for name, s in scenarios.items()}
print(f"{len(scenarios)} scenarios:", ", ".join(scenarios))

# %% [markdown]
# ## Every reading at a glance
#
# `sim.compare` over every scenario, shown as one row per scenario with a few of its rows
# as columns (its full table lists every move and equilibrium, too much for the game trees;
# the sections below show it in full where scenarios can be matched). For game trees the
# moves of the strategic form are whole plans (a move at each decision point), which is why
# those games are larger.

# %%
everything = sim.compare(list(scenarios.values()), list(solutions.values()))
columns = (
    "kind",
    "equilibria",
    "status quo payoffs",
    "game family (2×2)",
    "ordinal type (Robinson–Goforth)",
)
cells = {row.label: row.cells for row in everything.rows()}
rows = [
    "| scenario | game | " + " | ".join(columns) + " |",
    "|---|---|" + "---|" * len(columns),
]
for k, entry in enumerate(everything.entries):
    size = "×".join(map(str, entry.game.shape))
    rows.append(f"| `{entry.name}` | {size} | " + " | ".join(cells[c][k] for c in columns) + " |")
display(Markdown("\n".join(rows)))

# %% [markdown]
# ## Changing the payoffs: a larger truce bonus
#
# First a change of payoffs alone, on the 2×2 swap of `london_talks`: the same moves, but
# the tariff rollback worth more to both sides (`g_us = 3`, `g_cn = 4`, as in notebook 01).
# Because the two share their moves, `compare` matches equilibria, the status quo and the
# Pareto-efficient outcomes by name.

# %%
talks = scenarios["london_talks"]
truce_bonus = talks.with_parameters(g_us=3, g_cn=4)
display(
    Markdown(
        "\n".join(
            sim.compare([talks, truce_bonus], names=["baseline", "truce bonus"]).markdown_lines(
                level=3
            )
        )
    )
)

# %% [markdown]
# ## Changing the moves: the simultaneous readings
#
# The four normal-form readings: the 2×2 swap, the 2×3 game with token approvals, the 3×3
# game with the tariff truce at stake, and the 3×3 package game (scopes of easing and of
# approvals). Their moves differ, so `compare` matches what does not depend on the moves:
# the number of equilibria, each side's equilibrium payoffs and the status quo's payoffs.
# A parameter is compared only where it means the same thing (the same description):
# `d_us` and `d_cn` are the damage from unanswered tariffs in `london_tariffs` but the
# discount factors of the talks in `london_package`, so they are left out.

# %%
normal_form = ("london_talks", "london_token_approvals", "london_tariffs", "london_package")
moves_changed = sim.compare(
    [scenarios[name] for name in normal_form], [solutions[name] for name in normal_form]
)
display(Markdown("\n".join(moves_changed.markdown_lines(level=3))))

# %% [markdown]
# The same four in the payoff plane: which outcomes exist, which are Pareto efficient,
# where the Nash equilibria are, and (outlined in blue, with a star for the best total
# payoff) what a mediator's correlated recommendations could reach.

# %%
for name in normal_form:
    scenario = scenarios[name]
    display(
        payoff_space_figure(
            scenario.game, solutions[name], scenario.status_quo, correlated=found[name].correlated
        )
    )

# %% [markdown]
# ## Adding structure: moves in turn, repetition, private types
#
# The other readings keep the swap's payoffs but change who moves when and what is known.
# Their Nash equilibria (labelled NE1, NE2, ... as in the figures), with each side's
# expected payoff; for game trees the moves are whole plans.

# %%
for name, scenario in scenarios.items():
    if scenario.kind == "normal_form":
        continue
    lines = equilibrium_lines(scenario, solutions[name])
    shown = lines[:8] + ([f"- … and {len(lines) - 8} more"] if len(lines) > 8 else [])
    display(Markdown(f"### `{name}`: {scenario.title}\n\n" + "\n".join(shown)))

# %% [markdown]
# ## What the other concepts add
#
# Every concept beyond Nash equilibrium that applies to each scenario (`sim.concepts`):
# subgame perfection (trees), signaling (private types), repeated play, the ordinal game
# type (2×2 games), the value of moving first (Stackelberg commitment), bargaining,
# correlated equilibria, logit quantal response and learning dynamics. The first sentence
# or two of each, per scenario.

# %%
for name in scenarios:
    lines = [f"### `{name}`", ""]
    for heading, sentences in found[name].sections():
        lines.append(f"**{heading}**: " + " ".join(sentences[:2]))
        lines.append("")
    display(Markdown("\n".join(lines)))

# %% [markdown]
# ## Reading the comparison
#
# The summary below is written by hand; this cell checks, each time the notebook runs, that
# the results it describes still hold.

# %%
for name in ("london_talks", "london_token_approvals", "london_package"):
    only = [e.pure_profile for e in solutions[name].equilibria]
    assert only == [scenarios[name].status_quo], (
        f"{name}: the status quo is not the only equilibrium"
    )
tariffs = scenarios["london_tariffs"]
escalations = {
    tariffs.game.profile_names(e.pure_profile)
    for e in solutions["london_tariffs"].pure_equilibria()
}
assert escalations == {
    ("maintain_chip_controls", "retaliate_tariffs"),
    ("raise_tariffs", "restrict_re"),
}
assert found["london_tariffs"].correlated.welfare_gain() > 0
assert found["london_talks"].ordinal_type.code == "Pd"
assert sim.ordinal_type(truce_bonus.game).code == "Sh"
print("the reading below matches the results above")

# %% [markdown]
# At the default values, the simultaneous readings of the swap (`london_talks`,
# `london_token_approvals`, and the package game of `london_package`) all have the
# restrictive status quo as their only equilibrium: more moves do not change the
# prediction. A change of payoffs does: a larger truce bonus turns the Prisoner's Dilemma
# of `london_talks` into a Stag Hunt, where the swap is an equilibrium too. Adding the
# tariff option (`london_tariffs`) turns the game into Chicken over escalation: in each
# pure equilibrium one side breaks the truce and the other does not, and a mediator's
# correlated recommendations could give more in total than any Nash equilibrium. The
# readings that add structure ask different questions of the same payoffs: whether
# snap-back is a credible threat (`london_snap_back`), how patient both sides must be for
# the swap to hold round after round (`london_truce`), which package a bargain would
# settle on (`london_package`), and whether approvals reveal China's type
# (`london_licence_signal`). Notebook 04 works through each; notebooks 02 and 03 show how
# robust the predictions are to the payoffs.
