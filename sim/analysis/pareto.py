"""Pareto efficiency of pure profiles.

A pure profile ``q`` *Pareto-dominates* ``p`` when every player gets at least as much at
``q`` as at ``p`` and some player strictly more. A profile is *Pareto efficient* when no
pure profile dominates it. Comparisons go through :func:`sim.certificate.compare`, so in
float games payoffs closer than the tolerance count as equal.

In an exact game (and in any two-player game) dominance is acyclic, so the efficient set is
never empty and every dominated profile is dominated by an efficient one. In a float game
with three or more players, payoffs that differ by less than the tolerance can in principle
make dominance cyclic; keep payoffs exact or further apart than the tolerance.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                       moves=(("cooperate", "defect"), ("cooperate", "defect")))
>>> result = pareto_efficient(pd)
>>> [pd.profile_names(p) for p in result.efficient]
[('cooperate', 'cooperate'), ('cooperate', 'defect'), ('defect', 'cooperate')]
>>> pd.profile_names(result.dominator((1, 1)))
('cooperate', 'cooperate')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.certificate import comparable, compare, signs
from sim.game import Game, Value

__all__ = ["Pareto", "pareto_efficient", "pareto_frontier_points"]


def _dominators(game: Game, chunk: int = 256) -> list[list[int]]:
    """For each profile (in profile order), the profiles that Pareto-dominate it."""
    # Each player's payoffs over the profiles, ready to compare exactly (or within the tolerance).
    columns = [comparable(game.payoff_matrix(i)).ravel() for i in range(game.n_players)]
    scale = game.scale()
    count = len(columns[0])
    out: list[list[int]] = []
    for start in range(0, count, chunk):
        stop = min(count, start + chunk)
        # weakly[a, b]: profile b is at least as good as a for every player; strictly: and
        # better for one (differences within the tolerance are ties).
        weakly = np.ones((stop - start, count), dtype=bool)
        strictly = np.zeros((stop - start, count), dtype=bool)
        for values in columns:
            sign = signs(values[None, :] - values[start:stop, None], scale)
            weakly &= sign >= 0
            strictly |= sign > 0
        out += [np.flatnonzero(row).tolist() for row in weakly & strictly]
    return out


def _payoff_dict(game: Game, payoffs: Sequence[Value]) -> dict[str, Any]:
    return {
        "payoffs": [float(v) for v in payoffs],
        "exact_payoffs": [str(v) for v in payoffs] if game.is_exact else None,
    }


@dataclass(frozen=True)
class Pareto:
    """The result of :func:`pareto_efficient`.

    Attributes
    ----------
    efficient : tuple of tuple of int
        The Pareto-efficient pure profiles, in the order of :meth:`sim.game.Game.profiles`.
    dominated : tuple of (profile, dominator) pairs
        Every other pure profile with one profile that dominates it: the first efficient
        one in profile order (the first dominating one if none is efficient, which only a
        float game with cyclic dominance within the tolerance can cause).
    """

    game: Game = field(repr=False, compare=False)
    efficient: tuple[tuple[int, ...], ...]
    dominated: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]

    def is_efficient(self, profile: Sequence[int | str]) -> bool:
        """True when the pure profile (names or indices) is Pareto efficient."""
        return self.game.profile_index(profile) in self.efficient

    def dominator(self, profile: Sequence[int | str]) -> tuple[int, ...] | None:
        """A profile that dominates the given one, or None if it is efficient."""
        index = self.game.profile_index(profile)
        return next((d for p, d in self.dominated if p == index), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: efficient profiles with payoffs, dominated ones with a dominator."""
        game = self.game
        return {
            "efficient": [
                {"profile": list(game.profile_names(p)), **_payoff_dict(game, game.payoff(p))}
                for p in self.efficient
            ],
            "dominated": [
                {
                    "profile": list(game.profile_names(p)),
                    "dominator": list(game.profile_names(d)),
                    **_payoff_dict(game, game.payoff(p)),
                }
                for p, d in self.dominated
            ],
        }


def pareto_efficient(game: Game) -> Pareto:
    """The Pareto-efficient pure profiles, and a dominator for every other profile.

    Steps: (1) compare the payoff vectors of every pair of pure profiles (with numpy, in
    integers for exact games and within the tolerance for float games, as
    :func:`sim.certificate.compare` does); (2) the profiles that no other dominates are
    efficient; (3) each other profile is recorded with the first efficient profile that
    dominates it.

    Parameters
    ----------
    game : Game
        Any finite game, any number of players.

    Returns
    -------
    Pareto

    Examples
    --------
    >>> from sim.game import Game
    >>> stag = Game.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> pareto_efficient(stag).efficient
    ((0, 0),)
    """
    profiles = list(game.profiles())
    dominators = _dominators(game)
    efficient = [a for a in range(len(profiles)) if not dominators[a]]
    efficient_set = set(efficient)
    dominated = []
    for a, above in enumerate(dominators):
        if above:
            chosen = next((b for b in above if b in efficient_set), above[0])
            dominated.append((profiles[a], profiles[chosen]))
    return Pareto(game, tuple(profiles[a] for a in efficient), tuple(dominated))


def pareto_frontier_points(game: Game) -> tuple[tuple[Value, ...], ...]:
    """Distinct payoff vectors of the Pareto-efficient profiles, sorted ascending.

    Vectors are sorted lexicographically (by the first player's payoff, then the second's,
    ...), so for two players the points run along the frontier from left to right. Vectors
    equal within the tolerance are listed once.

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [tuple(str(v) for v in point) for point in pareto_frontier_points(pd)]
    [('0', '5'), ('3', '3'), ('5', '0')]
    """
    scale = game.scale()
    points: list[tuple[Value, ...]] = []
    for profile in pareto_efficient(game).efficient:
        point = game.payoff(profile)
        if not any(
            all(compare(a, b, scale) == 0 for a, b in zip(point, seen, strict=True))
            for seen in points
        ):
            points.append(point)
    return tuple(sorted(points))
