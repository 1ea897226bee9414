"""The commented scenario template written by ``sim new NAME``.

>>> from sim.scenario import parse_scenario
>>> parse_scenario(scenario_template("demo")).game.shape
(2, 2)
"""

from __future__ import annotations

import json

__all__ = ["scenario_template"]

_TEMPLATE = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
# A negotiation scenario (format version 1). Reference: scenarios/README.md.
# Check it with `sim validate {name}.yaml`, solve it with `sim run {name}.yaml`.
version: 1
kind: normal_form            # simultaneous moves
title: {title}             # quote titles that contain ': ' or start with a symbol
description: >
  One paragraph: who negotiates, over what, and what each move means.
# source: ../seeds/my_brief.md   # a seeds brief; needed once anything cites evidence (E1, ...)

players:                      # two or more; their order fixes the order of moves in a profile
  Home:
    description: The first delegation
    moves:                    # name: description (or {{description: ..., evidence: [E1]}})
      concede: Offer the concession
      hold: Keep the current position
  Partner:
    description: The second delegation
    moves:
      concede: Offer the matching concession
      hold: Keep the current position

parameters:                   # numbers: 2, 2.5 (exact), or "2/3"
  gain:
    value: 3
    description: Value of the other side's concession
    unit: utility
    range: [1, 5]             # plausible range, for sweeps
  cost:
    value: 2
    description: Cost of one's own concession
  status_quo_loss: 1          # short form: just the value

payoffs:                      # "move of each player, in order": [payoff of each player]
  concede, concede: [gain - cost, gain - cost]
  concede, hold:    [-cost, gain]
  hold, concede:    [gain, -cost]
  hold, hold:       [-status_quo_loss, -status_quo_loss]

status_quo: [hold, hold]      # the disagreement point

claims:                       # ordinal claims checked against the payoffs (warnings if violated)
  - player: Home
    prefers: [concede, concede]
    over: [hold, hold]
    note: A mutual concession beats the status quo
"""


def scenario_template(name: str) -> str:
    """A valid, commented 2×2 scenario named ``name`` to edit."""
    title = name.replace("_", " ").strip().capitalize() or "New scenario"
    return _TEMPLATE.format(name=name, title=json.dumps(title, ensure_ascii=False))
