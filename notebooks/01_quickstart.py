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
# assumes (and the evidence for each assumption), solves the game exactly, explains and
# draws the result, reads the game in four other ways (its ordinal type, a mediator,
# mistakes, learning), then changes one assumption and solves again.

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import Markdown, display

import sim
from sim.analysis.overview import analyse
from sim.analysis.structure import game_type
from sim.analysis.taxonomy import label_text
from sim.game import value_text
from sim.plot import (
    best_response_figure,
    bimatrix_figure,
    payoff_space_figure,
    phase_portrait_figure,
    qre_figure,
)
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
display(Markdown("\n".join(sim.explain(london, solution).markdown_lines())))

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
# ## Other ways to read the game
#
# Nash equilibrium takes the payoffs at face value and assumes that each delegation
# reasons perfectly and acts alone. Four other readings question one of these at a time:
# how much the exact numbers matter, what a mediator could add, what mistakes do, and where
# step-by-step adjustment leads. Each is a function of `sim` whose result explains itself
# with `sentences()`; `sim run` reports them all (they are what `sim.concepts` runs).
#
# ### The game's type: only the rankings count
#
# The payoffs are judgement calls, but often only their *order* matters: which outcome each
# side prefers to which. Forgetting the sizes and keeping each side's ranking of the four
# outcomes sorts every 2×2 game into one of 144 types (Robinson and Goforth's periodic
# table, with Bruns' names). Two negotiations of the same type have the same pure
# equilibria and the same dilemma, whatever the numbers.

# %%
kind = sim.ordinal_type(game)
print(label_text(kind.label, game.players))
display(Markdown("\n".join(f"- {sentence}" for sentence in kind.sentences())))

# %% [markdown]
# ### Correlated equilibria: what a mediator could achieve
#
# Suppose a trusted go-between (a third country, or an agreed schedule of steps) draws an
# outcome at random and tells each delegation only its own part: "ease the controls", "open
# rare-earth exports". A **correlated equilibrium** is a way of drawing such that each side
# wants to follow its recommendation, knowing how the draw is made. Every Nash equilibrium
# is one; a mediator can sometimes do better for both. Here no recommendation to concede
# would be followed, since holding out is better whatever the other side does.

# %%
correlated = sim.correlated_analysis(game, solution)
display(Markdown("\n".join(f"- {sentence}" for sentence in correlated.sentences())))

# %% [markdown]
# The payoff space again, with the payoffs of the correlated equilibria outlined in blue (a
# single point when, as here, the Nash equilibrium is the only one) and the mediator's best
# for total payoff as a star.

# %%
payoff_space_figure(game, solution, london.status_quo, correlated=correlated)

# %% [markdown]
# ### Quantal response: delegations that make mistakes
#
# Real delegations misjudge. In a logit **quantal response equilibrium** each side plays
# every move with some probability, better moves more often, expecting the other side to
# do the same. The precision `λ` says how sharply they respond to payoff differences: at
# `λ = 0` they pick at random; as `λ` grows, play approaches a Nash equilibrium. The
# branch, traced from `λ = 0`, shows which equilibrium noisy but improving play selects.

# %%
branch = sim.qre_branch(game, solution=solution)
display(Markdown("\n".join(f"- {sentence}" for sentence in branch.sentences())))
qre_figure(branch, london.status_quo)

# %% [markdown]
# One point on the branch, at a moderate precision, `λ = 1/2`: compare its expected
# payoffs with the equilibrium's in the table above.

# %%
noisy = sim.logit_qre(game, 0.5)
display(Markdown("\n".join(f"- {sentence}" for sentence in noisy.sentences())))

# %% [markdown]
# ### Learning: where do the sides drift if they adjust step by step?
#
# Instead of reasoning to an equilibrium, each side may adjust as it goes. Under
# **replicator dynamics** a move is played more when it does better than the side's
# average; under **fictitious play** each side answers the other's record so far. Both start
# near the status quo. The phase portrait shows the drift everywhere: `x` is the
# probability that the US eases, `y` that China raises exports.

# %%
dynamics = sim.learning_dynamics(game, london.status_quo, solution=solution)
display(Markdown("\n".join(f"- {sentence}" for sentence in dynamics.sentences())))
phase_portrait_figure(dynamics)

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
print(
    "at the defaults:           ",
    f"{game_type(game)}, ordinal type {sim.ordinal_type(game).name}",
    f"({len(solution.equilibria)} equilibrium)",
)
print(
    "with g_us = 3 and g_cn = 4:",
    f"{game_type(richer.game)}, ordinal type {sim.ordinal_type(richer.game).name}",
    f"({len(richer_solution.equilibria)} equilibria)",
)

# %% [markdown]
# The swap is now an equilibrium, but so is the status quo: the game has become a Stag
# Hunt, a coordination problem, with a mixed equilibrium in between. The payoff space shows
# both pure equilibria, where the mixed one lies, and (outlined in blue) what a mediator
# could reach by drawing recommendations.

# %%
richer_correlated = sim.correlated_analysis(richer.game, richer_solution)
display(Markdown("\n".join(f"- {sentence}" for sentence in richer_correlated.sentences())))
payoff_space_figure(richer.game, richer_solution, richer.status_quo, correlated=richer_correlated)

# %% [markdown]
# Which of the two pure equilibria is reached, if the sides adjust step by step? It
# depends on where they start: the phase portrait splits the square into the two
# equilibria's basins.

# %%
richer_dynamics = sim.learning_dynamics(richer.game, richer.status_quo, solution=richer_solution)
display(Markdown("\n".join(f"- {sentence}" for sentence in richer_dynamics.sentences())))
phase_portrait_figure(richer_dynamics)

# %% [markdown]
# Next: `02_what_if_explorer` moves every parameter with a slider;
# `03_sweeps_thresholds_montecarlo` finds exactly where the outcome flips and how likely
# each outcome is under the evidence's uncertainty.
