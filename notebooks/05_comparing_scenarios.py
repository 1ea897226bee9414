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
# difference? Each scenario is solved below and summarised side by side: its equilibria,
# their payoffs, and what the concepts beyond Nash equilibrium add.

# %%
# %matplotlib inline
from pathlib import Path

from IPython.display import Markdown, display

import sim
from sim.analysis.structure import game_type
from sim.game import value_text
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
# ## Side by side
#
# One row per scenario: its kind, the size of its (strategic-form) game, how many extreme
# Nash equilibria it has, which are pure, and the payoffs at the status quo. For game
# trees the moves are whole plans (a move at each decision point), which is why those
# games are larger.

# %%
rows = [
    "| scenario | kind | game | game type | extreme equilibria | pure equilibria "
    "| status quo payoffs |",
    "|---|---|---|---|---|---|---|",
]
for name, scenario in scenarios.items():
    game = scenario.game
    solution = solutions[name]
    pure = [
        "(" + ", ".join(game.profile_names(e.pure_profile)) + ")"
        for e in solution.equilibria
        if e.pure_profile is not None
    ]
    shown = "; ".join(pure) if len(pure) <= 2 else f"{len(pure)} (listed below)"
    status_quo = "—"
    if scenario.status_quo is not None:
        status_quo = ", ".join(value_text(v) for v in game.payoff(scenario.status_quo))
    rows.append(
        f"| `{name}` | {scenario.kind} | {'×'.join(map(str, game.shape))} "
        f"| {game_type(game) or '—'} | {len(solution.equilibria)} | {shown} | {status_quo} |"
    )
display(Markdown("\n".join(rows)))

# %% [markdown]
# ## The equilibria and their payoffs
#
# Every Nash equilibrium of each scenario's game (labelled NE1, NE2, ... as in the
# figures), with each player's expected payoff.

# %%
for name, scenario in scenarios.items():
    lines = equilibrium_lines(scenario, solutions[name])
    shown = lines[:8] + ([f"- … and {len(lines) - 8} more"] if len(lines) > 8 else [])
    display(Markdown(f"### `{name}`: {scenario.title}\n\n" + "\n".join(shown)))

# %% [markdown]
# ## What the other concepts add
#
# Subgame perfection (trees), signaling (private types), repeated play, bargaining and the
# value of moving first (Stackelberg commitment): the first sentence or two of each,
# per scenario.

# %%
for name in scenarios:
    lines = [f"### `{name}`", ""]
    for heading, sentences in found[name].sections():
        lines.append(f"**{heading}**: " + " ".join(sentences[:2]))
        lines.append("")
    display(Markdown("\n".join(lines)))

# %% [markdown]
# ## The simultaneous readings in the payoff plane
#
# The three normal-form readings of the talks, the 2×2 swap, the 2×3 game with token
# approvals and the 3×3 game with the tariff truce, drawn on the same kind of picture:
# which outcomes exist, which are Pareto efficient, and where the equilibria are.

# %%
for name in ("london_talks", "london_token_approvals", "london_tariffs"):
    scenario = scenarios[name]
    display(payoff_space_figure(scenario.game, solutions[name], scenario.status_quo))

# %% [markdown]
# **Reading the comparison.** At the default values the simultaneous readings of the swap
# (`london_talks`, `london_token_approvals`, and the package game of `london_package`)
# all have the restrictive status quo as their only equilibrium; adding the tariff option
# (`london_tariffs`) turns the game into Chicken over escalation. The readings that add
# structure ask different questions of the same payoffs: whether snap-back is a credible
# threat (`london_snap_back`), how patient both sides must be for the swap to hold round
# after round (`london_truce`), which package a bargain would settle on
# (`london_package`), and whether approvals reveal China's type (`london_licence_signal`).
# Notebook 04 works through each; notebooks 02 and 03 show how robust the predictions are
# to the payoffs.
