"""Plain-language pieces shared by every sentence the package writes, so that a profile, a
mixed strategy or a list reads the same in every section of a report.

>>> from fractions import Fraction
>>> from sim.game import Game
>>> game = Game.from_arrays([[0, 6], [7, 2]], [[0, 7], [6, 2]], players=("Row", "Column"),
...                         moves=(("dare", "yield"), ("dare", "yield")))
>>> profile_text(game, (1, 0))
'(yield, dare)'
>>> strategy_text(game, 0, (Fraction(1, 3), Fraction(2, 3)))
'1/3 dare + 2/3 yield'
>>> strategy_text(game, 1, (0, 1))
'yield'
>>> listing(["US", "China", "the EU"])
'US, China and the EU'
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.game import Game, Value, value_text

__all__ = ["listing", "profile_text", "strategy_text"]


def listing(items: Sequence[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"`` (``""`` for none)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def profile_text(game: Game, profile: Sequence[int]) -> str:
    """A pure profile as ``"(move, move)"``."""
    return f"({', '.join(game.profile_names(profile))})"


def strategy_text(game: Game, player: int, strategy: Sequence[Value], digits: int = 4) -> str:
    """A player's strategy: the move's name if pure, else ``"1/3 dare + 2/3 yield"`` over
    the moves it uses (probability above zero); float probabilities to ``digits``
    significant digits (:func:`sim.game.value_text`)."""
    used = [(j, p) for j, p in enumerate(strategy) if p > 0]
    if len(used) == 1:
        return game.moves[player][used[0][0]]
    return " + ".join(f"{value_text(p, digits)} {game.moves[player][j]}" for j, p in used)
