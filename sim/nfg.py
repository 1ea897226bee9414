"""Gambit strategic-form files (``.nfg``): read into a :class:`~sim.game.Game`, write back.

A Gambit ``.nfg`` file is a header followed by a body::

    NFG 1 R "title" { "Player 1" "Player 2" }      header: format tag, title, players
    { { "U" "D" } { "L" "R" } }                     strategy names, one list per player
    "an optional comment"                           (or counts instead of names: { 2 2 })
    1 2  3 4  5 6  7 8                              body: payoffs, or outcomes + indices

The format tag is ``NFG 1 R`` or ``NFG 1 D`` (Gambit no longer distinguishes them). The
body comes in two versions:

* **payoff version**: a flat list of numbers, one payoff per player for each pure profile;
* **outcome version**: a list of outcomes ``{ { "name" 1, 2 } { "" 3 4 } ... }`` (payoffs
  separated by spaces or commas) followed by one outcome index per pure profile; index
  ``k`` is the ``k``-th outcome and ``0`` the null outcome, which pays everyone ``0``.

**Profile order.** Both bodies list profiles with the *first* player's strategy changing
fastest: for two players ``(1,1), (2,1), ..., (k_0,1), (1,2), ...``. This is the reverse
of :meth:`sim.game.Game.profiles` (last player fastest) and of the package's indexing
``payoffs[s_0, s_1, ...][i]``; :func:`parse_nfg` and :func:`format_nfg` translate between
the two, so ``game.payoffs`` is always indexed by the package convention.

**Numbers.** Integers, decimals (``0.1``, ``.5``, ``2.``), fractions (``2/3``) and
exponent forms (``1e3``, ``2.5e-2``) are all read exactly as :class:`~fractions.Fraction`,
in both ``R`` and ``D`` files, so a parsed game is always exact. A leading ``+`` and an
exponent sign ``e+`` are accepted too; the writer never emits them, because Gambit
rejects them. So that every payoff still converts to a float (as the solvers' tolerance
needs), a number may have at most 4000 characters, an exponent of at most 400 in size and
a magnitude below about ``1.8e308``.

**Strings** are double-quoted and may span lines; ``\\"`` stands for a quote and ``\\\\``
for a backslash (the escapes Gambit's own writer produces); any other backslash is kept
as written. The optional comment after the strategy block is read and discarded: a
:class:`~sim.game.Game` has a title but no comment. Outcome names are discarded too.
When the strategy block gives counts, strategies are named ``"1"``, ``"2"``, ... as
Gambit names them.

**Limits.** Files are untrusted, so the reader bounds its work by what the header
declares: a game with more than :data:`MAX_PAYOFFS` payoffs (pure profiles times players;
a keyword of :func:`parse_nfg` raises it) or more than :data:`MAX_PLAYERS` players is
refused at the strategy count or name that takes it over, before the body is read, and at
most a thousand numbers past the expected count are read before a too-long body is
refused. The text is read token by token, so nothing in proportion to a header's claims
is ever allocated.

Every malformed input raises :class:`~sim.errors.ScenarioError` carrying one
:class:`~sim.errors.Problem` with the 1-based line and column of the offending token (or,
when the file ends too early, of the position just after its last token). Names must be distinct per
player and there must be at least two players, since a :class:`~sim.game.Game` requires
both (Gambit itself allows repeats and one-player games).

>>> text = '''NFG 1 R "Prisoner's dilemma" { "Row" "Column" }
... { { "cooperate" "defect" } { "cooperate" "defect" } }
... 3 3  5 0  0 5  1 1'''
>>> game = parse_nfg(text)
>>> game.payoff(("defect", "cooperate"))
(Fraction(5, 1), Fraction(0, 1))
>>> parse_nfg(format_nfg(game)).payoff_matrix(0).tolist() == game.payoff_matrix(0).tolist()
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.errors import Problem, ScenarioError
from sim.game import Game

__all__ = ["MAX_PAYOFFS", "MAX_PLAYERS", "format_nfg", "parse_nfg"]

MAX_PAYOFFS = 100_000
"""Most payoffs (pure profiles times players) :func:`parse_nfg` reads by default
(``SIM_MAX_PAYOFFS`` for the ``sim`` command, ``max_payoffs=`` here).

A header declaring more is refused before the body is read, so that memory stays small
whatever the file declares. Reading is fast (about 3 µs a payoff here): a file of
:data:`sim.scenario.MAX_FILE_BYTES` holds at most about 50,000 payoffs (two bytes each,
``1 ``) and is read in about 0.3 s, so the file size, not this limit, bounds the reading
time of the ``sim`` command; this limit bounds :func:`parse_nfg` on text from elsewhere.
"""
MAX_PLAYERS = 30
"""Most players a game may have (numpy arrays have at most 32 axes: players plus one)."""
_EXTRA_COUNTED = 1000
"""Numbers past the expected count that are still counted for the error message."""

_SPACE_RUN = re.compile(r"[ \t\n\r\v\f]+")
_WORD = re.compile(r'[^ \t\n\r\v\f{},"]+')
_STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
"""A string's content after its opening quote, up to the closing quote (a backslash makes
the next character part of the content; :data:`_UNESCAPE` then decides what it stands for)."""
_UNESCAPE = re.compile(r'\\(["\\])')
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE](?P<exp>[+-]?[0-9]+))?)"
)
_MAX_EXPONENT = 400
"""Largest decimal exponent read; larger ones could not be converted to floats anyway."""
_MAX_DIGITS = 4000
"""Longest number read (Python refuses to convert longer digit strings to integers)."""


@dataclass(frozen=True)
class _Token:
    """One lexical token with its 1-based position.

    ``kind`` is ``"{"``, ``"}"``, ``","``, ``"number"``, ``"string"``, ``"word"`` or
    ``"end"``; ``value`` is the exact number of a ``"number"`` token.
    """

    kind: str
    text: str
    line: int
    column: int
    value: Fraction | None = None

    def describe(self) -> str:
        """How the token is named in error messages."""
        if self.kind == "end":
            return "the end of the file"
        if self.kind == "string":
            return f"the string {_named(self.text)}"
        if self.kind == "number":
            return f"the number {_shorten(self.text)}"
        return f"'{_shorten(self.text)}'"


def _shorten(text: str, limit: int = 40) -> str:
    """``text`` for an error message: at most ``limit`` characters, control characters and
    other unprintable ones escaped (``\\x00``), so a hostile name cannot flood or garble it."""
    short = text if len(text) <= limit else text[: limit - 3] + "..."
    if short.isprintable():
        return short
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in short)


def _named(text: str) -> str:
    """A name quoted for an error message (shortened, unprintable characters escaped)."""
    return _quote(_shorten(text))


def _problem(path: str, line: int, column: int, message: str) -> ScenarioError:
    return ScenarioError([Problem(path, line, column, message)])


# ------------------------------------------------------------------------------ lexer
def _tokens(text: str, path: str) -> Iterator[_Token]:
    """Split ``text`` into tokens lazily, ending with one ``"end"`` token.

    Lazy, so that a header declaring a game too large to read is refused before the rest of
    the file is looked at; numbers written more than once are converted once.
    """
    pos = 1 if text.startswith("\ufeff") else 0  # a byte-order mark left by some editors
    line, line_start = 1, pos  # line_start: index of the first character of the line
    after_last = (1, 1)  # where the end token goes: just after the last real token
    values: dict[str, Fraction] = {}
    length = len(text)
    while True:
        space = _SPACE_RUN.match(text, pos)
        if space is not None:
            newlines = text.count("\n", pos, space.end())
            if newlines:
                line += newlines
                line_start = text.rindex("\n", pos, space.end()) + 1
            pos = space.end()
        if pos >= length:
            break
        char = text[pos]
        column = pos - line_start + 1
        if char in "{},":
            yield _Token(char, char, line, column)
            pos += 1
        elif char == '"':
            body = _STRING_BODY.match(text, pos + 1)
            assert body is not None  # the pattern also matches the empty string
            if body.end() >= length or text[body.end()] != '"':
                raise _problem(
                    path,
                    line,
                    column,
                    "unterminated string: the quote opened here is never closed; add the "
                    'closing " (write \\" for a quote inside a name)',
                )
            yield _Token("string", _UNESCAPE.sub(r"\1", body.group()), line, column)
            newlines = text.count("\n", pos, body.end())
            if newlines:
                line += newlines
                line_start = text.rindex("\n", pos, body.end()) + 1
            pos = body.end() + 1
        else:
            match = _WORD.match(text, pos)
            assert match is not None
            word = match.group()
            value = values.get(word)
            if value is not None:
                yield _Token("number", word, line, column, value)
            else:
                token = _classify_word(word, path, line, column)
                if token.value is not None:
                    values[word] = token.value
                yield token
            pos = match.end()
        after_last = (line, pos - line_start + 1)
    yield _Token("end", "", *after_last)


def _classify_word(word: str, path: str, line: int, column: int) -> _Token:
    """A bare word is a number if it looks like one, else a symbol such as ``NFG``."""
    if word[0] not in "0123456789+-.":
        return _Token("word", word, line, column)
    match = _NUMBER.fullmatch(word)
    if match is None:
        raise _problem(
            path,
            line,
            column,
            f"invalid number '{_shorten(word)}'; write an integer (3), a decimal (0.25), "
            "a fraction (2/3) or an exponent form (1e3), separated by spaces",
        )
    return _Token("number", word, line, column, _exact(word, match, path, line, column))


def _exact(word: str, match: re.Match[str], path: str, line: int, column: int) -> Fraction:
    """The exact value of a number token, refusing values no float could hold."""
    exponent = match.group("exp")
    if len(word) > _MAX_DIGITS or (exponent is not None and abs(int(exponent)) > _MAX_EXPONENT):
        raise _problem(
            path,
            line,
            column,
            f"number '{_shorten(word)}' is too long or its exponent too large; payoffs must "
            "have magnitude below about 1.8e308 so that they convert to floats",
        )
    try:
        value = Fraction(word)
    except ZeroDivisionError:
        raise _problem(
            path,
            line,
            column,
            f"fraction '{_shorten(word)}' divides by zero; use a positive denominator",
        ) from None
    try:
        float(value)
    except OverflowError:
        raise _problem(
            path,
            line,
            column,
            f"number '{_shorten(word)}' is too large; payoffs must have magnitude below about "
            "1.8e308 so that they convert to floats",
        ) from None
    return value


# ----------------------------------------------------------------------------- parser
class _Cursor:
    """Reads tokens front to back; every error it raises is positioned."""

    def __init__(self, tokens: Iterator[_Token], path: str, max_payoffs: int) -> None:
        self._tokens = tokens
        self._ahead: list[_Token] = []  # tokens read from the lexer but not yet taken
        self.path = path
        self.max_payoffs = max_payoffs

    def peek(self, count: int) -> list[_Token]:
        """The next ``count`` tokens (fewer if the file ends first: the last is ``"end"``)."""
        while len(self._ahead) < count and not (self._ahead and self._ahead[-1].kind == "end"):
            self._ahead.append(next(self._tokens))
        return self._ahead[:count]

    @property
    def current(self) -> _Token:
        return self._ahead[0] if self._ahead else self.peek(1)[0]

    def take(self) -> _Token:
        token = self.current
        if token.kind != "end":
            del self._ahead[0]
        return token

    def fail(self, token: _Token, message: str) -> ScenarioError:
        return _problem(self.path, token.line, token.column, message)

    def expect(self, kind: str, what: str) -> _Token:
        """Take a token of ``kind`` or fail with "expected <what>, found <token>"."""
        token = self.current
        if token.kind != kind:
            raise self.fail(token, f"expected {what}, found {token.describe()}")
        return self.take()


@dataclass(frozen=True)
class _Header:
    title: str
    players: tuple[str, ...]
    moves: tuple[tuple[str, ...], ...] | None
    """Strategy names, or None when the file gives counts (names made after validation)."""
    shape: tuple[int, ...]


def _read_header(cursor: _Cursor) -> _Header:
    first = cursor.current
    if first.kind == "end":
        raise cursor.fail(
            first, "the file is empty; a Gambit strategic-form file starts with 'NFG 1 R'"
        )
    lead = cursor.peek(3)
    wanted = (("NFG",), ("1",), ("R", "D"))
    bad = next(
        (
            token
            for token, allowed in zip(lead, wanted, strict=False)
            if token.kind not in ("word", "number") or token.text not in allowed
        ),
        None,
    )
    shown = " ".join(
        _named(t.text) if t.kind == "string" else _shorten(t.text) for t in lead if t.kind != "end"
    )
    if bad is not None:
        hint = " (this looks like an extensive-form .efg file)" if first.text == "EFG" else ""
        raise cursor.fail(bad, f"unknown header '{shown}'{hint}; expected 'NFG 1 R' or 'NFG 1 D'")
    for _ in lead:
        cursor.take()
    title = cursor.expect("string", f"the game title as a quoted string after '{shown}'").text
    players = _read_players(cursor)
    moves, shape = _read_strategies(cursor, players)
    if cursor.current.kind == "string":
        cursor.take()  # the optional comment
    return _Header(title, players, moves, shape)


def _read_players(cursor: _Cursor) -> tuple[str, ...]:
    opening = cursor.expect("{", "'{' opening the list of quoted player names")
    names: list[_Token] = []
    while cursor.current.kind == "string":
        if len(names) == MAX_PLAYERS:
            raise cursor.fail(
                cursor.current,
                f"the game has more than {MAX_PLAYERS} players, the most the .nfg reader "
                "accepts; use a game with fewer players",
            )
        names.append(cursor.take())
    cursor.expect("}", "a quoted player name or '}' closing the player list")
    if len(names) < 2:
        count = "no players" if not names else "1 player"
        raise cursor.fail(opening, f"the game has {count}; list at least 2 quoted player names")
    _check_distinct(
        cursor, names, "the player list repeats the name", "give each player a distinct name"
    )
    return tuple(t.text for t in names)


def _read_strategies(
    cursor: _Cursor, players: tuple[str, ...]
) -> tuple[tuple[tuple[str, ...], ...] | None, tuple[int, ...]]:
    """Read ``{ { "a" "b" } { "c" } }`` (names) or ``{ 2 1 }`` (counts)."""
    n = len(players)
    if cursor.current.kind == "string":
        raise cursor.fail(
            cursor.current,
            f"expected '{{' opening the strategy block, found {cursor.current.describe()}; "
            "the optional comment string comes after the strategy block",
        )
    cursor.expect("{", "'{' opening the strategy block (a '{ \"name\" ... }' list per player)")
    first = cursor.current
    if first.kind == "}":
        raise cursor.fail(
            first,
            f"the strategy block is empty; give a list of strategy names (or a count) for "
            f"each of the {n} players",
        )
    if first.kind == "number":
        counts: list[int] = []
        for player in players:
            token = cursor.current
            counts.append(_read_count(cursor, player))
            _check_size(cursor, token, counts, n)
        shape = tuple(counts)
        if cursor.current.kind == "number":
            raise cursor.fail(
                cursor.current,
                f"the strategy block gives more counts than there are players ({n}); "
                "remove the extra counts or add players",
            )
        cursor.expect("}", "'}' closing the strategy block")
        return None, shape
    lists: list[tuple[str, ...]] = []
    for _ in players:
        lists.append(_read_names(cursor, players, [len(m) for m in lists]))
    moves = tuple(lists)
    if cursor.current.kind == "{":
        raise cursor.fail(
            cursor.current,
            f"the strategy block has more lists than there are players ({n}); "
            "remove the extra list or add a player",
        )
    cursor.expect("}", "'}' closing the strategy block")
    return moves, tuple(len(m) for m in moves)


def _read_count(cursor: _Cursor, player: str) -> int:
    token = cursor.current
    if token.kind == "number" and token.value is not None:
        if token.value.denominator == 1 and token.value > 0:
            cursor.take()
            return int(token.value)
        raise cursor.fail(
            token,
            f"player {_named(player)} has {_shorten(token.text)} strategies; a strategy "
            "count must be a positive whole number",
        )
    raise cursor.fail(
        token,
        f"expected the number of strategies of player {_named(player)}, found "
        f"{token.describe()}; give one count per player, like {{ 2 2 }}",
    )


def _read_names(cursor: _Cursor, players: tuple[str, ...], before: list[int]) -> tuple[str, ...]:
    """Player ``len(before)``'s strategy names; ``before``: the earlier players' counts."""
    i = len(before)
    player = _named(players[i])
    if cursor.current.kind == "}":
        missing = ", ".join(_named(p) for p in players[i:])
        raise cursor.fail(
            cursor.current,
            f"the strategy block has lists for {i} of the {len(players)} players; add a "
            f"'{{ \"name\" ... }}' list for {missing}",
        )
    cursor.expect("{", f"'{{' opening the strategy names of player {player}")
    names: list[_Token] = []
    while cursor.current.kind == "string":
        token = cursor.take()
        names.append(token)
        _check_size(cursor, token, [*before, len(names)], len(players))
    closing = cursor.expect("}", f"a quoted strategy name or '}}' closing {player}'s list")
    if not names:
        raise cursor.fail(
            closing, f"player {player} has no strategies; list at least one quoted name"
        )
    _check_distinct(
        cursor, names, f"player {player} repeats the strategy name", "give each a distinct name"
    )
    return tuple(t.text for t in names)


def _check_size(cursor: _Cursor, token: _Token, counts: list[int], n: int) -> None:
    """Fail at ``token`` once the strategies read so far make too many payoffs to read."""
    payoffs = math.prod(counts) * n
    if payoffs > cursor.max_payoffs:
        so_far = "" if len(counts) == n else " at least"
        amount = str(payoffs) if payoffs < 10**15 else f"about 10^{len(str(payoffs)) - 1}"
        shape = _shorten("×".join(map(str, counts)), 60)
        raise cursor.fail(
            token,
            f"the game has{so_far} {amount} payoffs ({shape} profiles × {n} players), over "
            f"the limit of {cursor.max_payoffs} that the .nfg reader "
            "accepts; use a smaller game, or raise the limit (SIM_MAX_PAYOFFS for the sim "
            "command, max_payoffs= for sim.nfg.parse_nfg)",
        )


def _check_distinct(cursor: _Cursor, names: list[_Token], what: str, fix: str) -> None:
    """Fail at the first name that repeats an earlier one (``what`` introduces the name)."""
    seen: dict[str, _Token] = {}
    for token in names:
        if token.text in seen:
            first = seen[token.text]
            raise cursor.fail(
                token,
                f"{what} {_named(token.text)} (first at line {first.line}, column "
                f"{first.column}); {fix}",
            )
        seen[token.text] = token


def _profiles_phrase(shape: tuple[int, ...]) -> str:
    count = math.prod(shape)
    return f"{'×'.join(map(str, shape))} profile{'' if count == 1 else 's'}"


def _read_numbers(cursor: _Cursor, expected: int) -> list[_Token]:
    """The numbers that come next, at most ``expected + _EXTRA_COUNTED + 1`` of them."""
    numbers: list[_Token] = []
    most = expected + _EXTRA_COUNTED + 1
    while cursor.current.kind == "number" and len(numbers) < most:
        numbers.append(cursor.take())
    return numbers


def _check_count(
    cursor: _Cursor, found: list[_Token], expected: int, what: str, breakdown: str
) -> None:
    """Fail unless exactly ``expected`` numbers were read and the file ends after them."""
    if len(found) > expected:
        count = len(found)
        shown = f"more than {count - 1}" if count > expected + _EXTRA_COUNTED else str(count)
        raise cursor.fail(
            found[expected],
            f"expected {expected} {what} ({breakdown}), found {shown}; remove the extra "
            "numbers (the first extra one is here)",
        )
    token = cursor.current
    if token.kind == "end":
        if len(found) < expected:
            raise cursor.fail(
                token,
                f"expected {expected} {what} ({breakdown}), found {len(found)}; add the "
                "missing ones",
            )
        return
    if len(found) == expected:
        raise cursor.fail(
            token,
            f"unexpected {token.describe()} after the last of the {expected} {what}; "
            "the file should end here",
        )
    comma = "; separate numbers with spaces, not commas" if token.kind == "," else ""
    raise cursor.fail(
        token,
        f"expected a number but found {token.describe()} after {len(found)} of the {expected} "
        f"{what} ({breakdown}){comma}",
    )


def _payoff_body(cursor: _Cursor, header: _Header) -> list[Fraction]:
    """The payoff version: one number per player per profile, Gambit order."""
    n = len(header.players)
    expected = math.prod(header.shape) * n
    breakdown = f"{_profiles_phrase(header.shape)} × {n} players"
    numbers = _read_numbers(cursor, expected)
    _check_count(cursor, numbers, expected, "payoffs", breakdown)
    return [_value(t) for t in numbers]


def _outcome_body(cursor: _Cursor, header: _Header) -> list[Fraction]:
    """The outcome version: outcome list, then one outcome index per profile."""
    n = len(header.players)
    cursor.expect("{", "'{' opening the outcome list")
    outcomes: list[tuple[Fraction, ...]] = []
    while cursor.current.kind != "}":
        token = cursor.current
        if token.kind == "end":
            raise cursor.fail(token, "the file ends inside the outcome list; close it with '}'")
        if token.kind != "{":
            raise cursor.fail(
                token,
                f"expected '{{' opening an outcome or '}}' closing the outcome list, found "
                f"{token.describe()}",
            )
        if (len(outcomes) + 1) * n > cursor.max_payoffs:
            raise cursor.fail(
                token,
                f"the outcome list has more than {len(outcomes)} outcomes ({n} payoffs each), "
                f"over the limit of {cursor.max_payoffs} payoffs that the .nfg reader accepts; "
                "remove unused outcomes, or raise the limit with "
                "SIM_MAX_PAYOFFS for the sim command, max_payoffs= for sim.nfg.parse_nfg",
            )
        outcomes.append(_read_outcome(cursor, header.players, len(outcomes) + 1))
    cursor.take()
    profiles = math.prod(header.shape)
    indices = _read_numbers(cursor, profiles)
    _check_count(cursor, indices, profiles, "outcome indices", _profiles_phrase(header.shape))
    table = [(Fraction(0),) * n, *outcomes]  # index 0 is the null outcome
    values: list[Fraction] = []
    for token in indices:
        values.extend(table[_outcome_index(cursor, token, len(outcomes))])
    return values


def _read_outcome(cursor: _Cursor, players: tuple[str, ...], number: int) -> tuple[Fraction, ...]:
    """Read ``{ "name" 1, 2 }``: a quoted name, then one payoff per player."""
    cursor.take()  # "{"
    cursor.expect("string", f"the quoted name of outcome {number} (\"\" for none) after '{{'")
    payoffs: list[Fraction] = []
    for player in players:
        token = cursor.current
        if token.kind == "}":
            raise cursor.fail(
                token,
                f"outcome {number} has {len(payoffs)} payoff{'' if len(payoffs) == 1 else 's'} "
                f"but there are {len(players)} players; give one payoff per player",
            )
        payoffs.append(
            _value(cursor.expect("number", f"the payoff of {_named(player)} in outcome {number}"))
        )
        if cursor.current.kind == ",":
            cursor.take()
    if cursor.current.kind == "number":
        raise cursor.fail(
            cursor.current,
            f"outcome {number} has more than {len(players)} payoffs; give one payoff per player",
        )
    cursor.expect("}", f"'}}' closing outcome {number}")
    return tuple(payoffs)


def _outcome_index(cursor: _Cursor, token: _Token, defined: int) -> int:
    value = _value(token)
    allowed = "0 (the null outcome)" + (f" or 1..{defined}" if defined else "")
    if value.denominator != 1:
        raise cursor.fail(
            token, f"outcome index {_shorten(token.text)} is not a whole number; use {allowed}"
        )
    if not 0 <= value <= defined:
        if defined == 0:
            have = "no outcomes are defined"
        else:
            have = f"only {defined} outcome{' is' if defined == 1 else 's are'} defined"
        raise cursor.fail(token, f"outcome index {_shorten(token.text)} but {have}; use {allowed}")
    return int(value)


def _value(token: _Token) -> Fraction:
    assert token.value is not None
    return token.value


def _to_array(values: list[Fraction], shape: tuple[int, ...]) -> np.ndarray:
    """Gambit's flat list (first player fastest) as an array ``[s_0, ..., s_{n-1}, player]``."""
    n = len(shape)
    flat = np.empty(len(values), dtype=object)
    flat[:] = values
    reversed_axes = flat.reshape((*shape[::-1], n))
    return reversed_axes.transpose((*range(n - 1, -1, -1), n))


def parse_nfg(text: str, path: str = "<string>", *, max_payoffs: int | None = None) -> Game:
    """Read a Gambit strategic-form file (payoff or outcome version) into an exact game.

    See the module docstring for the format, the profile order and the number syntax.

    Parameters
    ----------
    text : str
        The whole file content.
    path : str, optional
        The file's name, used only in error messages.
    max_payoffs : int, optional
        Most payoffs (pure profiles times players) to read; a file declaring more is
        refused as soon as its strategy block shows it (default :data:`MAX_PAYOFFS`).

    Returns
    -------
    Game
        An exact game (every payoff a :class:`~fractions.Fraction`) with the file's title,
        player names and strategy names (``"1"``, ``"2"``, ... when the file gives counts).

    Raises
    ------
    ScenarioError
        For any malformed input, with one problem giving the line and column of the
        offending token and how to fix it.

    Examples
    --------
    Gambit lists profiles with the first player's strategy changing fastest:

    >>> game = parse_nfg('NFG 1 R "" { "Row" "Col" } { { "U" "D" } { "L" "R" } } 1 2 3 4 5 6 7 8')
    >>> game.payoff(("D", "L")), game.payoff(("U", "R"))
    ((Fraction(3, 1), Fraction(4, 1)), (Fraction(5, 1), Fraction(6, 1)))
    >>> try:
    ...     parse_nfg('NFG 1 R "" { "Row" "Col" } { 2 2 } 1 2 3', path="g.nfg")
    ... except ScenarioError as err:
    ...     print(err)
    g.nfg:1:41: expected 8 payoffs (2×2 profiles × 2 players), found 3; add the missing ones
    """
    limit = MAX_PAYOFFS if max_payoffs is None else max_payoffs  # read now: it can be raised
    cursor = _Cursor(_tokens(text, path), path, limit)
    header = _read_header(cursor)
    body = cursor.current
    if body.kind == "{":
        values = _outcome_body(cursor, header)
    elif body.kind == "number":
        values = _payoff_body(cursor, header)
    else:
        expected = math.prod(header.shape) * len(header.players)
        extra = (
            "; only one optional comment string may follow the strategy block"
            if body.kind == "string"
            else ""
        )
        raise cursor.fail(
            body,
            f"expected the payoffs ({expected} numbers) or an outcome list starting with '{{' "
            f"after the strategy block, found {body.describe()}{extra}",
        )
    moves = header.moves
    if moves is None:
        moves = tuple(tuple(str(j + 1) for j in range(k)) for k in header.shape)
    return Game.from_payoffs(
        _to_array(values, header.shape), players=header.players, moves=moves, title=header.title
    )


# ----------------------------------------------------------------------------- writer
def _quote(text: str) -> str:
    """A Gambit string literal: backslashes and quotes escaped with a backslash."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: object) -> str:
    if isinstance(value, Fraction):
        return str(value)
    # Gambit reads 1e16 but not 1e+16.
    return repr(float(value)).replace("e+", "e")  # type: ignore[arg-type]


def format_nfg(game: Game) -> str:
    """Write a game as a Gambit strategic-form file, payoff version.

    Exact games are written as ``NFG 1 R`` with payoffs ``p`` or ``p/q``; float games as
    ``NFG 1 D`` with each payoff's shortest round-tripping decimal (``repr``), so reading
    the file back gives an exact game whose payoffs convert to the same floats. One line
    per pure profile, first player's strategy changing fastest (Gambit's order). No
    comment string is written.

    Names are written as they are, with ``"`` and ``\\`` escaped. Gambit 16.7 refuses
    labels that are not printable ASCII or that have leading, trailing or doubled spaces,
    and renames empty ones; games with such names round-trip through :func:`parse_nfg`
    but not through Gambit.

    Parameters
    ----------
    game : Game
        Any game; names and title may contain quotes, backslashes and newlines.

    Returns
    -------
    str
        The file content, ending with a newline.

    Examples
    --------
    >>> from sim.game import Game
    >>> game = Game.from_arrays([[1, 0], [Fraction(1, 2), 2]], [[0, 1], [3, -1]],
    ...                         players=("Row", 'The "Col"'), moves=(("U", "D"), ("L", "R")))
    >>> print(format_nfg(game), end="")
    NFG 1 R "" { "Row" "The \\"Col\\"" }
    <BLANKLINE>
    { { "U" "D" }
      { "L" "R" }
    }
    <BLANKLINE>
    1 0
    1/2 3
    0 1
    2 -1
    """
    kind = "R" if game.is_exact else "D"
    players = " ".join(_quote(p) for p in game.players)
    strategies = "\n  ".join("{ " + " ".join(_quote(m) for m in own) + " }" for own in game.moves)
    n = game.n_players
    gambit_order = game.payoffs.transpose((*range(n - 1, -1, -1), n)).reshape(-1, n)
    rows = [" ".join(_number(v) for v in row) for row in gambit_order.tolist()]
    lines = [
        f"NFG 1 {kind} {_quote(game.title)} {{ {players} }}",
        "",
        f"{{ {strategies}\n}}",
        "",
        *rows,
    ]
    return "\n".join(lines) + "\n"
