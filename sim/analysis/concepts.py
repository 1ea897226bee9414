"""The solution concepts beyond Nash equilibrium that apply to a scenario, run together.

Which apply (the ``results.json`` keys of the same names):

* ``subgame_perfect``: sequential scenarios whose tree has perfect information
  (:mod:`sim.analysis.subgame`);
* ``signaling``: sequential scenarios shaped as a signaling game
  (:mod:`sim.analysis.signaling`);
* ``stackelberg``: two-player normal-form and repeated scenarios, with each player as the
  leader (:mod:`sim.analysis.commitment`); a tree already fixes who moves first;
* ``repeated``: repeated scenarios (:mod:`sim.analysis.repeated`);
* ``bargaining``: two-player scenarios with a ``bargaining:`` section or a status quo
  (:mod:`sim.analysis.bargaining`); without a section the status quo is the disagreement
  point.

>>> from pathlib import Path
>>> from sim.scenario import load
>>> root = Path(__file__).resolve().parents[2]
>>> found = concepts(load(root / "scenarios" / "prisoners_dilemma.yaml"))
>>> sorted(found.to_dict())
['bargaining', 'stackelberg']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.analysis.bargaining import Bargaining, bargaining
from sim.analysis.commitment import Commitment, commitments
from sim.analysis.repeated import Repeated, repeated
from sim.analysis.signaling import Signaling, signaling
from sim.analysis.subgame import SubgamePerfect, subgame_perfect
from sim.scenario import BargainingTerms, Scenario
from sim.solvers import Solution, solve

__all__ = ["Concepts", "concepts"]


@dataclass(frozen=True)
class Concepts:
    """The results of every concept that applies (``None`` or empty where one does not)."""

    scenario: Scenario
    subgame_perfect: SubgamePerfect | None = None
    signaling: Signaling | None = None
    stackelberg: tuple[Commitment, ...] = ()
    repeated: Repeated | None = None
    bargaining: Bargaining | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready sections, one per concept that applies."""
        game = self.scenario.game
        out: dict[str, Any] = {}
        if self.subgame_perfect is not None:
            out["subgame_perfect"] = self.subgame_perfect.to_dict()
        if self.signaling is not None:
            out["signaling"] = self.signaling.to_dict()
        if self.stackelberg:
            out["stackelberg"] = [c.to_dict(game) for c in self.stackelberg]
        if self.repeated is not None:
            out["repeated"] = self.repeated.to_dict(game)
        if self.bargaining is not None:
            out["bargaining"] = self.bargaining.to_dict(game)
        return out

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(heading, sentences)`` for the report, in reading order."""
        game = self.scenario.game
        out: list[tuple[str, tuple[str, ...]]] = []
        if self.subgame_perfect is not None:
            out.append(("Subgame perfection", self.subgame_perfect.sentences()))
        if self.signaling is not None:
            out.append(("Signaling", self.signaling.sentences()))
        if self.stackelberg:
            lines = tuple(s for c in self.stackelberg for s in c.sentences(game))
            out.append(("Commitment (Stackelberg)", lines))
        if self.repeated is not None:
            out.append(("Repeated play", self.repeated.sentences(game)))
        if self.bargaining is not None:
            out.append(("Bargaining", self.bargaining.sentences(game)))
        return out


def concepts(scenario: Scenario, solution: Solution | None = None) -> Concepts:
    """Run every concept that applies to ``scenario`` (see the module docstring).

    ``solution`` is the scenario game's equilibria (:func:`sim.solvers.solve`), solved when
    not given.
    """
    game = scenario.game
    if solution is None:
        solution = solve(game)
    found: dict[str, Any] = {}
    tree = scenario.tree
    if tree is not None:
        strategies = scenario.strategies or None
        if tree.perfect_information:
            found["subgame_perfect"] = subgame_perfect(tree, game, strategies, solution)
        found["signaling"] = signaling(tree, game, strategies, solution)
    two = game.n_players == 2
    if two and tree is None:
        found["stackelberg"] = commitments(game)
    if scenario.repeated is not None:
        terms = scenario.repeated
        found["repeated"] = repeated(
            game,
            terms.target,
            discount=terms.discount,
            punishments=terms.punishments,
            horizon=terms.horizon,
        )
    if two and (scenario.bargaining is not None or scenario.status_quo is not None):
        given = scenario.bargaining or BargainingTerms(disagreement="status_quo")
        found["bargaining"] = bargaining(
            game,
            disagreement=given.disagreement,  # type: ignore[arg-type]
            status_quo=scenario.status_quo,
            equilibrium=given.equilibrium,
            weights=given.weights or (1, 1),  # type: ignore[arg-type]
            outside_options=given.outside_options,  # type: ignore[arg-type]
            discount=given.discount,  # type: ignore[arg-type]
            first=given.first,
        )
    return Concepts(scenario, **found)
