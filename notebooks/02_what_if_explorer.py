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
# # 02 · What-if explorer
#
# **Research question:** the evidence brief supports a range of values for each payoff
# parameter of the London talks, not one number. Which combinations make the linkage swap
# (the US eases chip controls, China raises rare-earth exports) an equilibrium, and which
# turn the game into a Prisoner's Dilemma, a Stag Hunt or Chicken?
#
# Move the sliders: each one is a parameter of `scenarios/london_talks.yaml`, over the range
# its evidence supports. Every change re-solves the game exactly and redraws the
# equilibria and the payoff space. (The sliders need a running Jupyter kernel; a static
# view of the notebook shows only the last picture.)

# %%
# %matplotlib inline
from pathlib import Path

import ipywidgets as widgets
from IPython.display import Markdown, display

import sim
from sim.analysis.structure import game_type
from sim.analysis.taxonomy import label_text
from sim.game import value_text
from sim.plot import payoff_space_figure
from sim.report import equilibrium_lines, payoff_table
from sim.scenario import load

here = Path.cwd().resolve()
root = next((p for p in (here, *here.parents) if (p / "scenarios").is_dir()), None)
assert root is not None, f"no scenarios/ folder above {here}: open the notebook from the repo"
london = load(root / "scenarios" / "london_talks.yaml")

# %% [markdown]
# ## The parameters
#
# Each side has five: `v` the value of what the other side gives, `c` the cost of its own
# concession, `g` a truce bonus when both deliver, `s` the "sucker" cost of conceding alone,
# and `z` the cost of the status quo. The sliders start at the defaults and move in steps
# of 1/4 over each parameter's declared `range`.
#
# `update`, below, is the only function in this notebook: the callback of the sliders. It
# passes their values to `with_parameters` (as decimal text, so that 1.25 is read exactly
# as 5/4), solves the new game and displays the results. All the game theory happens in
# `sim`.
#
# The game type shown is the **ordinal type**: each side's ranking of the four outcomes,
# one of the 144 types of Robinson and Goforth's table, named by Bruns (`Pd` Prisoner's
# Dilemma, `Sh` Stag Hunt, `Ch` Chicken, ...). When the two sides rank the outcomes
# differently it is written US|China: `Sh|Pd` means that the US has Stag Hunt
# preferences and China those of a Prisoner's Dilemma. Where two payoffs tie, the game
# lies on the border between types, and the label lists them. Next to it is the coarse
# family that the sweeps and Monte Carlo runs of notebook 03 count (prisoner's dilemma,
# stag hunt, chicken, one-sided dominance, ...), which groups types with alike equilibria.

# %%
display(
    Markdown(
        "\n".join(
            f"- `{p.name}` = {value_text(p.value)} (range {value_text(p.range[0])} to "
            f"{value_text(p.range[1])}): {p.description}"
            for p in london.parameters
            if p.range is not None
        )
    )
)

# %%
sliders = {
    p.name: widgets.FloatSlider(
        value=float(p.value),
        min=float(p.range[0]),
        max=float(p.range[1]),
        step=0.25,
        description=p.name,
        continuous_update=False,
        readout_format=".2f",
        style={"description_width": "4em"},
    )
    for p in london.parameters
    if p.range is not None
}


# %%
def update(**values):
    scenario = london.with_parameters(**{name: str(v) for name, v in values.items()})
    solution = sim.solve(scenario.game)
    pure = [e.pure_profile for e in solution.equilibria if e.pure_profile is not None]
    count = len(solution.equilibria)
    kind = sim.ordinal_type(scenario.game)
    summary = [
        f"**Game type:** {label_text(kind.label, scenario.game.players)} "
        f"(coarse family: {game_type(scenario.game)}); extreme equilibria: {count}.",
        "",
        kind.sentences()[0],
        "",
        *payoff_table(scenario.game, pure),
        "",
        *equilibrium_lines(scenario, solution),
    ]
    display(Markdown("\n".join(summary)))
    display(payoff_space_figure(scenario.game, solution, scenario.status_quo))


# %%
output = widgets.interactive_output(update, sliders)
controls = widgets.HBox(
    [
        widgets.VBox(
            [widgets.HTML(f"<b>{side}</b>")] + [s for n, s in sliders.items() if n.endswith(end)]
        )
        for side, end in (("US", "_us"), ("China", "_cn"))
    ]
)
display(controls, output)

# %% [markdown]
# ## Try values programmatically
#
# The same callback can be called directly, for example to record a case for a paper.
# Here China's status-quo cost `z_cn` is high (its lost exports hurt) while the US gains
# little from the truce: each side would rather concede than face the status quo, but
# prefers the other to concede: a game of Chicken.

# %%
update(**{**london.parameter_values(), "z_us": 3.5, "z_cn": 6})

# %% [markdown]
# Both truce bonuses above the costs of conceding: a Stag Hunt, where the swap and the
# status quo are both equilibria.

# %%
update(**{**london.parameter_values(), "g_us": 3, "g_cn": 4})

# %% [markdown]
# Setting a slider's value has the same effect as dragging it (the picture above the
# sliders' output updates in Jupyter). With the US's truce bonus alone raised to 2.5, the
# US ranks the outcomes as in a Stag Hunt while China still has a dominant move.

# %%
sliders["g_us"].value = 2.5
