"""The solution concepts beyond Nash equilibrium (and the ordinal game type) that apply to a
scenario, run together.

Which apply (the ``results.json`` keys of the same names):

* ``subgame_perfect``: sequential scenarios whose tree has perfect information
  (:mod:`sim.analysis.subgame`);
* ``signaling``: sequential scenarios shaped as a signaling game
  (:mod:`sim.analysis.signaling`);
* ``stackelberg``: two-player normal-form and repeated scenarios with at most
  :data:`MAX_COMMITMENT_PROFILES` pure profiles, with each player as the leader
  (:mod:`sim.analysis.commitment`; one exact LP per follower move, seconds past 12×12); a
  tree already fixes who moves first;
* ``repeated``: repeated scenarios (:mod:`sim.analysis.repeated`);
* ``bargaining``: two-player scenarios with a ``bargaining:`` section or a status quo
  (:mod:`sim.analysis.bargaining`); without a section the status quo is the disagreement
  point;
* ``ordinal_type``: two-player 2×2 games, the game's place among the 144 strict ordinal
  2×2 games of Robinson and Goforth (:mod:`sim.analysis.taxonomy`);
* ``learning_dynamics``: two-player normal-form and repeated scenarios with at most
  :data:`MAX_DYNAMICS_MOVES` moves in all, replicator dynamics and fictitious play from near
  the status quo (:mod:`sim.analysis.dynamics`);
* ``correlated``: normal-form and repeated scenarios with at most
  :data:`MAX_CORRELATED_PROFILES` pure profiles (:data:`MAX_CORRELATED_FLOAT_PROFILES` for
  float games), the correlated and coarse correlated equilibria that maximise welfare and
  each player's payoff, compared with the Nash equilibria (:mod:`sim.analysis.correlated`);
* ``qre``: normal-form and repeated scenarios within :data:`MAX_QRE_MOVES` and
  :data:`MAX_QRE_TERMS`, the principal branch of logit quantal response equilibria from
  uniform play (λ = 0) to its Nash limit, and ``qre_at`` the QRE at a precision λ when one
  is asked for (:mod:`sim.analysis.qre`).

A concept left out only because the game is too large is named in ``skipped`` with the
reason, and the report says so.

>>> from pathlib import Path
>>> from sim.scenario import load
>>> root = Path(__file__).resolve().parents[2]
>>> found = concepts(load(root / "scenarios" / "prisoners_dilemma.yaml"))
>>> sorted(found.to_dict())  # doctest: +NORMALIZE_WHITESPACE
['bargaining', 'correlated', 'learning_dynamics', 'ordinal_type', 'qre', 'stackelberg']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.analysis.bargaining import Bargaining, bargaining
from sim.analysis.commitment import Commitment, commitments
from sim.analysis.correlated import CorrelatedAnalysis, correlated_analysis
from sim.analysis.dynamics import LearningDynamics, learning_dynamics
from sim.analysis.qre import QuantalBranch, QuantalResponse, logit_qre, qre_branch
from sim.analysis.repeated import Repeated, repeated
from sim.analysis.signaling import Signaling, signaling
from sim.analysis.subgame import SubgamePerfect, subgame_perfect
from sim.analysis.taxonomy import OrdinalType, ordinal_type
from sim.errors import SimError
from sim.scenario import BargainingTerms, Scenario
from sim.solvers import Solution, solve_scenario

__all__ = [
    "MAX_COMMITMENT_PROFILES",
    "MAX_CORRELATED_FLOAT_PROFILES",
    "MAX_CORRELATED_PROFILES",
    "MAX_DYNAMICS_MOVES",
    "MAX_QRE_MOVES",
    "MAX_QRE_TERMS",
    "Concepts",
    "concepts",
]

MAX_COMMITMENT_PROFILES = 144
"""Most pure profiles of a game whose commitment (Stackelberg) values are computed."""

MAX_CORRELATED_PROFILES = 64
"""Most pure profiles for which ``sim run`` solves the correlated-equilibrium LPs of an exact
game (an 8×8 game with small integer payoffs takes 0.5 to 3 s; a 10×10 one over ten).
Call :func:`sim.analysis.correlated.correlated_equilibrium` directly for larger games."""

MAX_CORRELATED_FLOAT_PROFILES = 25
"""The same for float games, whose rationalised payoffs make the exact LPs slower (a 5×5
game takes about 0.25 s, a 6×6 one about a second, an 8×8 one half a minute)."""


MAX_DYNAMICS_MOVES = 80
"""Most moves (both players' together) for which the learning dynamics are run: a 40×40
game takes 0.3 s, a 60×60 one 1 s, a 2×200 one 2 s (random games with payoffs 0 to 98)."""
MAX_QRE_MOVES = 48
"""Most moves (all players' together) for which the logit QRE branch is traced: each step
solves a linear system in one unknown per move, and a tie-heavy game's branch can run to
the 2,000-step cap. Random games with payoffs 0 to 98 take 0.05 s at 24×24 and 0.25 s at
40×40, but with payoffs 0 to 2 a 24×24 game takes 0.75 s and a 32×32 one 0.9 s; 2×200 took
16 s."""
MAX_QRE_TERMS = 10_000
"""Most pure profiles times the square of the number of players for which the logit QRE
branch is traced (each step sums every profile's payoff for every pair of players): 7
players with 2 moves (6,272) take up to 0.7 s, 8 players (16,384) about 1 s, 10 players
(102,400) 2 s."""


@dataclass(frozen=True)
class Concepts:
    """The results of every concept that applies (``None`` or empty where one does not)."""

    scenario: Scenario
    subgame_perfect: SubgamePerfect | None = None
    signaling: Signaling | None = None
    stackelberg: tuple[Commitment, ...] = ()
    repeated: Repeated | None = None
    bargaining: Bargaining | None = None
    ordinal_type: OrdinalType | None = None
    learning_dynamics: LearningDynamics | None = None
    correlated: CorrelatedAnalysis | None = None
    qre: QuantalBranch | None = None
    qre_at: QuantalResponse | None = None
    skipped: tuple[tuple[str, str], ...] = ()

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
        if self.ordinal_type is not None:
            out["ordinal_type"] = self.ordinal_type.to_dict()
        if self.learning_dynamics is not None:
            out["learning_dynamics"] = self.learning_dynamics.to_dict()
        if self.correlated is not None:
            out["correlated"] = self.correlated.to_dict()
        if self.qre is not None:
            out["qre"] = self.qre.to_dict()
        if self.qre_at is not None:
            out["qre_at"] = self.qre_at.to_dict()
        if self.skipped:
            out["skipped"] = {name: reason for name, reason in self.skipped}
        return out

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(heading, sentences)`` for the report, in reading order."""
        game = self.scenario.game
        out: list[tuple[str, tuple[str, ...]]] = []
        if self.ordinal_type is not None:
            out.append(("Game type", self.ordinal_type.sentences()))
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
        if self.correlated is not None:
            out.append(("Correlated equilibria", self.correlated.sentences()))
        if self.qre is not None:
            sentences = self.qre.sentences()
            if self.qre_at is not None:
                sentences += self.qre_at.sentences()
            out.append(("Logit quantal response equilibrium", sentences))
        if self.learning_dynamics is not None:
            out.append(("Learning dynamics", self.learning_dynamics.sentences()))
        if self.skipped:
            out.append(("Not computed", tuple(reason for _, reason in self.skipped)))
        return out


def concepts(
    scenario: Scenario, solution: Solution | None = None, *, lam: float | None = None
) -> Concepts:
    """Run every concept that applies to ``scenario`` (see the module docstring).

    ``solution`` is the scenario game's equilibria, solved when not given
    (:func:`sim.solvers.solve_scenario`). ``lam`` asks for the logit QRE at that precision
    too (``qre_at``).
    """
    game = scenario.game
    if lam is not None and scenario.tree is not None:
        raise SimError(
            "the logit QRE is computed for normal-form and repeated scenarios, not game "
            "trees (a tree's QRE is the agent QRE of its behaviour strategies); drop --lambda"
        )
    if solution is None:
        solution = solve_scenario(scenario)
    found: dict[str, Any] = {}
    tree = scenario.tree
    if tree is not None:
        strategies = scenario.strategies or None
        if tree.perfect_information:
            found["subgame_perfect"] = subgame_perfect(tree, game, strategies, solution)
        found["signaling"] = signaling(tree, game, strategies, solution)
    two = game.n_players == 2
    skipped: list[tuple[str, str]] = []
    profiles = math.prod(game.shape)
    if two and tree is None and profiles <= MAX_COMMITMENT_PROFILES:
        found["stackelberg"] = commitments(game)
    elif two and tree is None:
        skipped.append(
            (
                "stackelberg",
                f"Commitment (Stackelberg): not computed, as this game has {profiles} pure "
                f"profiles (more than {MAX_COMMITMENT_PROFILES}); call "
                "sim.analysis.commitment.commitments for them.",
            )
        )
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
    if two and game.shape == (2, 2):
        found["ordinal_type"] = ordinal_type(game)
    moves = sum(game.shape)
    if two and tree is None and moves <= MAX_DYNAMICS_MOVES:
        found["learning_dynamics"] = learning_dynamics(game, scenario.status_quo, solution=solution)
    elif two and tree is None:
        skipped.append(
            (
                "learning_dynamics",
                f"Learning dynamics: not run, as this game has {moves} moves in all (more than "
                f"{MAX_DYNAMICS_MOVES}); call sim.analysis.dynamics.learning_dynamics for them.",
            )
        )
    qre_terms = profiles * game.n_players**2
    if tree is None and moves <= MAX_QRE_MOVES and qre_terms <= MAX_QRE_TERMS:
        found["qre"] = qre_branch(game, solution=solution)
        if lam is not None:
            found["qre_at"] = logit_qre(game, lam)
    elif tree is None:
        size = (
            f"{moves} moves in all (more than {MAX_QRE_MOVES})"
            if moves > MAX_QRE_MOVES
            else f"{profiles} pure profiles and {game.n_players} players (profiles times "
            f"players squared is more than {MAX_QRE_TERMS:,})"
        )
        skipped.append(
            (
                "qre",
                f"Logit quantal response equilibrium: not traced, as this game has {size}; "
                "call sim.analysis.qre.qre_branch (or logit_qre for one λ) for it.",
            )
        )
    if tree is None:
        limit = MAX_CORRELATED_PROFILES if game.is_exact else MAX_CORRELATED_FLOAT_PROFILES
        if profiles <= limit:
            found["correlated"] = correlated_analysis(game, solution)
        else:
            kind = "" if game.is_exact else "float "
            skipped.append(
                (
                    "correlated",
                    f"Correlated equilibria: not computed, as this {kind}game has {profiles} "
                    f"pure profiles (more than {limit}); call "
                    "sim.analysis.correlated.correlated_equilibrium for them.",
                )
            )
    return Concepts(scenario, **found, skipped=tuple(skipped))
