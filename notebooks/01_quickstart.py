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
# # 01 · Quickstart: the London talks as a game
#
# In June 2025 the US and Chinese delegations met in London. On the table was a *linkage
# swap*: the US would ease some chip export controls, China would open up rare-earth
# exports. Neither side could check that the other had delivered before committing.
#
# **Research question:** if both sides act on the payoffs the evidence brief suggests, is
# the swap an equilibrium, or does each side hold back? And which assumption would have to
# change for the deal to hold?
#
# This notebook loads the scenario file `scenarios/london_talks.yaml`, shows what it
# assumes (and the evidence for each assumption), solves the game exactly, draws it, then
# changes one assumption and solves again.

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import Markdown, display

import sim
from sim.analysis.explain import explain
from sim.analysis.overview import analyse
from sim.analysis.structure import game_type
from sim.game import value_text
from sim.plot import best_response_figure, bimatrix_figure, payoff_space_figure
from sim.report import analysis_lines, equilibrium_lines, payoff_table
from sim.scenario import load

# The scenarios live in the repository's scenarios/ folder: look for it from the folder
# the notebook runs in (notebooks/ in Jupyter) and upwards.
here = Path.cwd().resolve()
root = next((p for p in (here, *here.parents) if (p / "scenarios").is_dir()), None)
assert root is not None, f"no scenarios/ folder above {here}: open the notebook from the repo"
SCENARIOS = root / "scenarios"

# %% [markdown]
# ## The scenario: players, moves and the evidence behind them
#
# A scenario file names the players, their moves, and each payoff as a formula over named
# parameters. Every move and parameter cites evidence IDs (`E11`, ...) from the source brief
# `seeds/london_talks_2025.md`.

# %%
london = load(SCENARIOS / "london_talks.yaml")
game = london.game
print(london.title)
print()
print(london.description)

# %%
lines = []
for i, player in enumerate(game.players):
    lines.append(f"- **{player}**: {london.player_descriptions[i]}")
    for j, move in enumerate(game.moves[i]):
        cited = ", ".join(london.move_evidence[i][j])
        lines.append(f"  - `{move}`: {london.move_descriptions[i][j]} [{cited}]")
display(Markdown("\n".join(lines)))

# %% [markdown]
# The parameters, their default values, the range the evidence supports, and the evidence
# itself:

# %%
rows = ["| parameter | value | range | meaning | evidence |", "|---|---|---|---|---|"]
for p in london.parameters:
    low, high = p.range if p.range else ("", "")
    rows.append(
        f"| `{p.name}` | {value_text(p.value)} | "
        f"{value_text(low)} to {value_text(high)} | "
        f"{p.description} | {', '.join(p.evidence)} |"
    )
display(Markdown("\n".join(rows)))

# %%
display(Markdown("\n".join(f"- **{eid}**: {text}" for eid, text in london.evidence.items())))

# %% [markdown]
# ## Solve
#
# `sim.solve` finds **every** extreme Nash equilibrium in exact rational arithmetic and
# certifies each one (no player can gain by deviating). ★ marks pure equilibria in the
# payoff table (US payoff first, China second).

# %%
solution = sim.solve(game)
pure = [e.pure_profile for e in solution.equilibria if e.pure_profile is not None]
display(Markdown("\n".join(payoff_table(game, pure))))
display(Markdown("\n".join(equilibrium_lines(london, solution))))

# %% [markdown]
# Why? `explain` says, in plain language, why each equilibrium holds (what each side would
# lose by switching), why the other outcomes are not equilibria, and which parameters and
# evidence the conclusion rests on.

# %%
display(Markdown("\n".join(explain(london, solution).markdown_lines())))

# %% [markdown]
# The rest of `sim run`'s analysis: dominance, best responses, Pareto efficiency and what
# each side can guarantee whatever the other does.

# %%
display(Markdown("\n".join(analysis_lines(game, analyse(game), london.status_quo))))

# %% [markdown]
# ## Figures
#
# The payoff table with best responses and equilibria marked; the payoff space (outcomes,
# what joint randomisation can reach, the Pareto frontier, equilibria and the status quo);
# and, for a 2×2 game, both players' best responses to every mixture of the other.

# %%
bimatrix_figure(game, solution, london.status_quo)

# %%
payoff_space_figure(game, solution, london.status_quo)

# %%
best_response_figure(game, solution)

# %% [markdown]
# ## What if? Change an assumption and solve again
#
# At the defaults each side's truce bonus `g` is smaller than its cost of conceding `c`, so
# both defect: a Prisoner's Dilemma. Suppose the tariff rollback is worth more to both
# sides, `g_us = 3` and `g_cn = 4`. `with_parameters` returns a new scenario (the original
# is unchanged).

# %%
richer = london.with_parameters(g_us=3, g_cn=4)
richer_solution = sim.solve(richer.game)
richer_pure = [e.pure_profile for e in richer_solution.equilibria if e.pure_profile is not None]
display(Markdown("\n".join(payoff_table(richer.game, richer_pure))))
display(Markdown("\n".join(equilibrium_lines(richer, richer_solution))))

# %%
print("game type at the defaults:   ", game_type(game), f"({len(solution.equilibria)} equilibrium)")
print(
    "with g_us = 3 and g_cn = 4:  ",
    game_type(richer.game),
    f"({len(richer_solution.equilibria)} equilibria)",
)

# %% [markdown]
# The swap is now an equilibrium, but so is the status quo: the game has become a Stag
# Hunt, a coordination problem, with a mixed equilibrium in between. The payoff space shows
# both pure equilibria and where the mixed one lies.

# %%
payoff_space_figure(richer.game, richer_solution, richer.status_quo)

# %% [markdown]
# Next: `02_what_if_explorer` moves every parameter with a slider;
# `03_sweeps_thresholds_montecarlo` finds exactly where the outcome flips and how likely
# each outcome is under the evidence's uncertainty.
