"""Plain-language pieces shared by every sentence the package writes, so that a profile, a
mixed strategy, an equilibrium, a list or a set of payoffs reads the same in every section
of a report.

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
>>> equilibrium_text(game, ((Fraction(4, 9), Fraction(5, 9)), (0, 1)))
'(Row: 4/9 dare + 5/9 yield; Column: yield)'
>>> payoffs_text(game, (Fraction(7, 3), 2))
'Row 7/3, Column 2'
>>> listing(["US", "China", "the EU"])
'US, China and the EU'
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.game import Game, Value, value_text

__all__ = ["equilibrium_text", "listing", "payoffs_text", "profile_text", "strategy_text"]


def listing(items: Sequence[str], *, conjunction: str = "and") -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"`` (``""`` for none); ``conjunction="or"``
    gives ``"a, b or c"``.

    >>> listing(["a", "b", "c"], conjunction="or")
    'a, b or c'
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


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


def equilibrium_text(game: Game, strategies: Sequence[Sequence[Value]], *, digits: int = 4) -> str:
    """A strategy profile: ``"(dare, yield)"`` when every player uses one move, else
    ``"(Row: 1/3 dare + 2/3 yield; Column: yield)"`` (:func:`strategy_text` per player)."""
    used = [[j for j, p in enumerate(s) if p > 0] for s in strategies]
    if all(len(u) == 1 for u in used):
        return profile_text(game, [u[0] for u in used])
    parts = [
        f"{name}: {strategy_text(game, i, s, digits)}"
        for i, (name, s) in enumerate(zip(game.players, strategies, strict=True))
    ]
    return f"({'; '.join(parts)})"


def payoffs_text(game: Game, values: Sequence[Value], *, digits: int = 4) -> str:
    """One value per player, named: ``"US 3, China 4"`` (:func:`sim.game.value_text`)."""
    return ", ".join(
        f"{name} {value_text(v, digits)}" for name, v in zip(game.players, values, strict=True)
    )
