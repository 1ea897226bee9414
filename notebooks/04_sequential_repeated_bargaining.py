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
# # 04 · Moves in turn, repeated truces, bargains and signals
#
# The one-shot game of notebook 01 assumes both delegations move at once and never meet
# again. The evidence brief suggests four richer readings, each a scenario file:
#
# - `london_snap_back.yaml`: the US eases first and may snap back if China under-delivers.
#   Is the threat of snap-back credible?
# - `london_truce.yaml`: the swap is reviewed round after round. How patient must both
#   sides be for it to hold?
# - `london_package.yaml`: which package of chip easing and rare-earth approvals would they
#   agree on?
# - `london_licence_signal.yaml`: China's type is private. Do its licence approvals
#   reveal it?
# - `london_tariffs.yaml`: each side can also break the tariff truce. If both adjust step by
#   step rather than reasoning to an equilibrium, where does play drift?

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import Markdown, display

import sim
from sim.plot import (
    bargaining_figure,
    folk_figure,
    simplex_figure,
    spe_regime_figure,
    tree_figure,
)
from sim.scenario import load

here = Path.cwd().resolve()
root = next((p for p in (here, *here.parents) if (p / "scenarios").is_dir()), None)
assert root is not None, f"no scenarios/ folder above {here}: open the notebook from the repo"
SCENARIOS = root / "scenarios"

# %% [markdown]
# ## 1. Snap-back: is the threat credible?
#
# A game tree: the US eases chip controls or keeps them; China, having seen the move,
# approves broadly, makes token approvals or keeps restricting; after anything less than
# broad approvals the US may snap back. **Subgame perfection** (backward induction) keeps
# only plans that each player would really carry out at every node, so it discards
# equilibria held up by threats that would not be carried out.

# %%
snap = load(SCENARIOS / "london_snap_back.yaml")
spe = sim.subgame_perfect(snap.tree, snap.game, snap.strategies)
display(Markdown("\n".join(f"- {sentence}" for sentence in spe.sentences()[:4])))

# %% [markdown]
# The tree with the subgame-perfect choices in bold: at the defaults snapping back costs
# the US more than accepting, so China restricts after easing and the US does not ease.

# %%
tree_figure(snap.tree, spe.equilibria[0].choices, title=snap.title)

# %% [markdown]
# How high must the US's political cost of accepting under-delivery (`a_us`) be for
# snap-back to become credible? The exact threshold:

# %%
display(Markdown("\n".join(f"- {s}" for s in sim.spe_thresholds(snap, "a_us", 0, 6).sentences())))

# %% [markdown]
# With `a_us = 3`, above the threshold, the deal is subgame perfect:

# %%
credible = snap.with_parameters(a_us=3)
credible_spe = sim.subgame_perfect(credible.tree)
display(Markdown(f"- {credible_spe.sentences()[1]}"))
tree_figure(credible.tree, credible_spe.equilibria[0].choices, title=credible.title)

# %% [markdown]
# The same question over two parameters at once: the subgame-perfect outcome for every
# combination of the audience cost `a_us` and the cost of snapping back `k_us`.

# %%
spe_regime_figure(sim.spe_sweep(snap, [("a_us", 0, 6, 25), ("k_us", 0, 8, 33)]))

# %% [markdown]
# ## 2. The truce, repeated: how patient must both sides be?
#
# Played once, the swap unravels (notebook 01). Played round after round, a breach can be
# punished by returning to the status quo. `δ` is how much each side values the next
# round relative to this one (including the chance that talks go on). Grim trigger
# sustains the swap when `δ` is at least the critical value `δ*`.

# %%
truce = load(SCENARIOS / "london_truce.yaml")
terms = truce.repeated
repeated = sim.repeated(
    truce.game,
    terms.target,
    discount=terms.discount,
    punishments=terms.punishments,
    horizon=terms.horizon,
)
print("critical discount factor δ* =", repeated.nash.overall)
display(Markdown("\n".join(f"- {s}" for s in repeated.sentences(truce.game))))

# %% [markdown]
# The folk theorem's picture: the feasible payoffs, the minmax point, and the region of
# payoffs that some equilibrium of the repeated game can sustain for patient players.

# %%
folk_figure(truce.game, repeated)

# %% [markdown]
# ## 3. Bargaining over a package
#
# If the delegations bargain over the scope of chip easing and rare-earth approvals, with
# the status quo as the disagreement point, outside options and the cost of delay, which
# package do the classic solutions predict? `sim.concepts` runs every concept that applies
# to a scenario, here with the terms of its `bargaining:` section.

# %%
package = load(SCENARIOS / "london_package.yaml")
found = sim.concepts(package)
display(Markdown("\n".join(f"- {s}" for s in found.bargaining.sentences(package.game))))

# %%
bargaining_figure(package.game, found.bargaining)

# %% [markdown]
# ## 4. Signals: do licence approvals reveal China's type?
#
# Chance picks whether China is *pragmatic* or *hard-line*; China knows its type, the US
# does not. China's approvals are a message; the US answers after seeing it. Are the
# approvals informative (separating), uninformative (pooling), or partly so?

# %%
signal = load(SCENARIOS / "london_licence_signal.yaml")
signals = sim.signaling(signal.tree, signal.game, signal.strategies)
display(Markdown("\n".join(f"- {s}" for s in signals.sentences())))

# %% [markdown]
# The tree: dashed brackets join the nodes the US cannot tell apart (it sees the message,
# not the type).

# %%
tree_figure(signal.tree, title=signal.title)

# %% [markdown]
# ## 5. Learning in the three-move game: does play drift towards a tariff war?
#
# `london_tariffs.yaml` gives each side a third move that breaks the tariff truce: the US
# can raise tariffs, China can retaliate. Suppose neither delegation reasons its way to an
# equilibrium but both adjust as they go, starting near the status quo. Under **replicator
# dynamics** a move is played more when it does better than the side's average; under
# **fictitious play** each side answers the other's record so far.

# %%
tariffs = load(SCENARIOS / "london_tariffs.yaml")
learning = sim.learning_dynamics(tariffs.game, tariffs.status_quo)
display(Markdown("\n".join(f"- {s}" for s in learning.sentences())))

# %% [markdown]
# With three moves a side's mixture is a point in a triangle (each corner one move; the
# closer to a corner, the more often that move is played). One triangle per side, with both
# paths from the status quo and the Nash equilibrium strategies in yellow.

# %%
simplex_figure(learning)
