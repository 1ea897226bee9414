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
# # 03 · When does the outcome flip? Sweeps, thresholds and Monte Carlo
#
# **Research question:** the payoffs of the London talks rest on judgement calls. How far
# must an assumption move before the predicted outcome changes, and, given the uncertainty
# the evidence leaves, how likely is each outcome?
#
# Three tools answer it, all on `scenarios/london_talks.yaml`:
#
# 1. **exact flip thresholds**: the parameter values at which the set of equilibria
#    changes, found exactly and written as sentences;
# 2. **sweeps**: the game solved on a grid of one parameter (a bifurcation plot) or two
#    (a regime map, coloured by equilibrium structure or by ordinal game type);
# 3. **Monte Carlo**: the parameters drawn from their distributions, every draw solved,
#    and the probability of each outcome and game type with 95% intervals.

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import Markdown, display

import sim
from sim.analysis.thresholds import flip_thresholds
from sim.plot import (
    bifurcation_figure,
    convergence_figure,
    outcome_figure,
    regime_figure,
    tornado_figure,
)
from sim.scenario import load

here = Path.cwd().resolve()
root = next((p for p in (here, *here.parents) if (p / "scenarios").is_dir()), None)
assert root is not None, f"no scenarios/ folder above {here}: open the notebook from the repo"
london = load(root / "scenarios" / "london_talks.yaml")

# %% [markdown]
# ## 1. Flip thresholds, one parameter at a time
#
# Each parameter with a declared `range` is moved across it, the others kept at their
# defaults. When the payoffs are polynomial in the parameter, the thresholds are exact
# roots; each one is solved at the value itself, so the sentences say whether the end
# point is included (≥ or >).

# %%
lines = []
steady = []
for flip in flip_thresholds(london):
    if flip.unchanging:
        steady.append(f"`{flip.parameter}`")
        continue
    lines.append(f"**{flip.parameter}**")
    lines += [f"- {sentence}" for sentence in flip.sentences()]
    lines.append("")
lines.append(f"The outcome is the same across the whole range of {', '.join(steady)}.")
display(Markdown("\n".join(lines)))

# %% [markdown]
# The US truce bonus `g_us` alone never makes the swap an equilibrium at the defaults,
# because China still defects. With China's truce bonus raised to 4, the swap becomes an
# equilibrium exactly from `g_us = 2` (the US's cost of easing):

# %%
china_keen = london.with_parameters(g_cn=4)
flips = sim.thresholds(china_keen, "g_us", 0, 4)
display(Markdown("\n".join(f"- {sentence}" for sentence in flips.sentences())))

# %% [markdown]
# ## 2. Sweeps
#
# A one-parameter sweep solves the game at every grid value and follows each equilibrium:
# its probabilities and payoffs as `g_us` moves, with the thresholds marked.

# %%
line = sim.sweep(china_keen, [("g_us", 0, 4, 41)])
bifurcation_figure(line, flips)

# %% [markdown]
# A two-parameter sweep is a regime map: each cell is coloured by the equilibrium structure
# there (which pure profiles are equilibria, mixed equilibria, the game type). Here China's
# truce bonus `g_cn` against its cost of the status quo `z_cn`.

# %%
grid = sim.sweep(london, [("g_cn", 0, 4, 21), ("z_cn", 0.5, 8, 21)])
regime_figure(grid)

# %% [markdown]
# The same grid coloured by **ordinal game type** (Robinson and Goforth's 144 types of 2×2
# games, with Bruns' names; see notebook 02): each side's ranking of the four outcomes,
# written US|China when the two differ. The structure map above groups games by their
# equilibria; the type map says *why* the equilibria change. Where the structure map reads
# "one-sided dominance", the type map tells whether China's preferences have become those
# of Chicken (the status quo costs it too much to hold out) or of a Stag Hunt (the truce
# bonus makes the swap its best outcome). Grey cells lie exactly on a boundary, where
# payoffs tie.

# %%
regime_figure(grid, colour_by="type")

# %% [markdown]
# ## 3. Monte Carlo over the evidence's uncertainty
#
# Parameters with a `distribution` in the scenario file are drawn together (2,000 draws
# here, to keep the notebook fast; `sim montecarlo` runs a million in about a second).
# The seed makes the run repeatable: the same seed gives the same numbers.

# %%
runs = sim.montecarlo(london, draws=2_000, seed=2025)
print(f"{runs.draws:,} draws, seed {runs.seed}; varied: {', '.join(runs.varied)}")
print()
print("game type               probability  95% interval")
for outcome in runs.game_types:
    print(
        f"{outcome.label:<24}{outcome.probability:>10.3f}   [{outcome.low:.3f}, {outcome.high:.3f}]"
    )

# %%
print("probability that each pure profile is an equilibrium")
for outcome in runs.profiles:
    print(f"  {outcome.label:<48}{outcome.probability:.3f}")

# %%
outcome_figure(runs)

# %% [markdown]
# Which parameter's uncertainty matters most? The tornado ranks them by how much the
# outcome distribution differs between each parameter's lowest and highest tenth of draws.

# %%
tornado_figure(runs)

# %% [markdown]
# Are 2,000 draws enough? The split-half check compares the estimates from the two halves
# of the draws; with the bands this wide, rerun with more draws before quoting a number.

# %%
convergence_figure(runs)
