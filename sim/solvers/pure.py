"""Pure Nash equilibria of games with any number of players.

Steps: (1) for each player, the best payoff along its own move axis; (2) a profile is an
equilibrium when every player's payoff equals that best payoff (exactly for exact games,
within the tolerance of :mod:`sim.certificate` for float games).

>>> from sim.game import Game
>>> coordination = Game.from_arrays([[2, 0], [0, 1]], [[2, 0], [0, 1]])
>>> pure_profiles(coordination)
[(0, 0), (1, 1)]
"""

from __future__ import annotations

import numpy as np

from sim.certificate import compare
from sim.game import Game

__all__ = ["pure_profiles"]


def pure_profiles(game: Game) -> list[tuple[int, ...]]:
    """Every pure equilibrium profile (move indices), in lexicographic order."""
    scale = game.scale()
    best = [np.max(game.payoff_matrix(i), axis=i, keepdims=True) for i in range(game.n_players)]
    out = []
    for profile in game.profiles():
        payoff = game.payoffs[profile]
        if all(
            compare(payoff[i], best[i][(*profile[:i], 0, *profile[i + 1 :])], scale) >= 0
            for i in range(game.n_players)
        ):
            out.append(profile)
    return out
