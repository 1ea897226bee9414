"""Scenario loader: one test per class of mistake, each checking the reported line:column."""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path

import pytest

from sim import document
from sim.document import parse_document
from sim.errors import ScenarioError
from sim.scenario import load, parse_scenario

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

HEAD = """\
kind: normal_form
title: t
players:
  US: {moves: [ease, maintain]}
  China: {moves: [raise, restrict]}
"""
GOOD_PAYOFFS = """\
payoffs:
  ease, raise: [3, 3]
  ease, restrict: [0, 5]
  maintain, raise: [5, 0]
  maintain, restrict: [1, 1]
"""


def problems(text: str, base: Path | None = None) -> list[tuple[int, int, str]]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", base=base)
    return [(p.line, p.column, p.message) for p in info.value.problems]


def only(text: str, base: Path | None = None) -> tuple[int, int, str]:
    found = problems(text, base)
    assert len(found) == 1, found
    return found[0]


def test_valid_scenario_loads_exactly() -> None:
    scenario = parse_scenario(HEAD + "parameters: {a: 2.5, b: '2/3'}\n" + GOOD_PAYOFFS)
    assert scenario.game.is_exact
    assert scenario.parameter_values() == {"a": Fraction(5, 2), "b": Fraction(2, 3)}


def test_unknown_top_level_key() -> None:
    line, col, message = only(HEAD + GOOD_PAYOFFS + "colour: blue\n")
    assert (line, col) == (11, 1)
    assert "unknown key 'colour'" in message and "allowed keys here" in message


def test_unknown_nested_key_suggests_fix() -> None:
    text = HEAD + "parameters:\n  a: {value: 1, unti: kg}\n" + GOOD_PAYOFFS
    line, col, message = only(text)
    assert (line, col) == (7, 17)
    assert "did you mean 'unit'" in message


def test_duplicate_key() -> None:
    text = HEAD + GOOD_PAYOFFS + "  ease, raise: [1, 1]\n"
    line, col, message = only(text)
    assert (line, col) == (11, 3)
    assert "duplicate key 'ease, raise' (first at line 7)" in message


def test_wrong_row_length_in_matrix_form() -> None:
    text = HEAD + "payoffs:\n  US: [[3, 0], [5, 1, 9]]\n  China: [[3, 5], [0, 1]]\n"
    line, col, message = only(text)
    assert (line, col) == (7, 16)
    assert message == "payoffs row 2 of US has 3 entries; China has 2 moves (raise, restrict)"


def test_wrong_number_of_payoffs_in_profile_form() -> None:
    text = HEAD + GOOD_PAYOFFS.replace("[0, 5]", "[0]")
    line, col, message = only(text)
    assert (line, col) == (8, 19)
    assert "has 1 payoff(s); give one number per player: [US, China]" in message


def test_unknown_move_name() -> None:
    text = HEAD + GOOD_PAYOFFS.replace("maintain, raise", "maintian, raise")
    found = problems(text)
    assert (9, 3) in [(line, col) for line, col, _ in found]
    message = next(m for line, _, m in found if line == 9)
    assert "unknown move 'maintian' for US" in message and "did you mean 'maintain'" in message


def test_unknown_player_in_claim() -> None:
    text = (
        HEAD
        + GOOD_PAYOFFS
        + ("claims:\n  - {player: USA, prefers: [ease, raise], over: [maintain, restrict]}\n")
    )
    line, col, message = only(text)
    assert (line, col) == (12, 14)
    assert "unknown player 'USA'; did you mean 'US'?" in message


def test_missing_profile() -> None:
    text = HEAD + "\n".join(GOOD_PAYOFFS.splitlines()[:-1]) + "\n"
    line, col, message = only(text)
    assert (line, col) == (6, 1)
    assert "no payoffs for 1 profile(s): maintain, restrict" in message


def test_non_numeric_payoff() -> None:
    text = HEAD + GOOD_PAYOFFS.replace("[5, 0]", "[five!, 0]")
    line, col, message = only(text)
    assert (line, col) == (9, 25)
    assert "cannot parse the expression" in message


def test_undefined_parameter_points_into_expression() -> None:
    text = HEAD + "parameters: {gain: 2}\n" + GOOD_PAYOFFS.replace("[5, 0]", "[gain + loss, 0]")
    line, col, message = only(text)
    assert (line, col) == (10, 28)
    assert message.startswith("undefined parameter 'loss'") and "known: gain" in message


def test_division_by_zero() -> None:
    text = HEAD + "parameters: {a: 1}\n" + GOOD_PAYOFFS.replace("[5, 0]", "['1 / (a - 1)', 0]")
    line, col, message = only(text)
    assert (line, col) == (10, 27)
    assert message == "division by zero: (a - 1) is 0 here"


@pytest.mark.parametrize(
    ("payoff", "fragment"),
    [
        pytest.param("x.__class__", "attribute access is not allowed", id="attribute"),
        pytest.param("__import__('os')", "function __import__() is not allowed", id="dunder-call"),
        pytest.param("open(1)", "function open() is not allowed", id="builtin-call"),
        pytest.param("(lambda: 1)()", "not allowed", id="lambda"),
        pytest.param("[i for i in a]", "not allowed", id="comprehension"),
        pytest.param("2 ^ 3", "write powers as a ** b", id="caret"),
    ],
)
def test_unsafe_expressions_are_refused(payoff: str, fragment: str) -> None:
    text = HEAD + "parameters: {a: 1, x: 1}\n" + GOOD_PAYOFFS.replace("[5, 0]", f'["{payoff}", 0]')
    line, _, message = only(text)
    assert line == 10
    assert fragment in message


def test_custom_python_tag_is_refused_not_run() -> None:
    text = HEAD + GOOD_PAYOFFS + "description: !!python/object/apply:os.system ['echo hi']\n"
    found = problems(text)
    assert any(line == 11 and "not allowed" in m for line, _, m in found)


def test_yaml_syntax_error_is_positioned() -> None:
    line, _col, message = only(HEAD + "payoffs: [1, 2\n")
    assert line == 7
    assert message.startswith("invalid YAML")


def test_empty_file() -> None:
    assert only("") == (1, 1, "the file is empty; start from `sim new NAME`")


def test_wrong_type_is_explained() -> None:
    line, col, message = only(HEAD.replace("title: t", "title: [a, b]") + GOOD_PAYOFFS)
    assert (line, col) == (2, 8)
    assert message == "'title' should be a text, not a list"


def test_bad_kind() -> None:
    line, col, message = only(HEAD.replace("normal_form", "extensive") + GOOD_PAYOFFS)
    assert (line, col) == (1, 7)
    assert "use one of 'normal_form', 'sequential', 'repeated'" in message


def test_unknown_evidence_id(tmp_path: Path) -> None:
    (tmp_path / "brief.md").write_text("- **E1** — a fact\n- **E2** — another\n")
    text = (
        HEAD + "source: brief.md\nparameters:\n  a: {value: 1, evidence: [E1, E9]}\n" + GOOD_PAYOFFS
    )
    line, col, message = only(text, base=tmp_path)
    assert (line, col) == (8, 32)
    assert message == "evidence E9 is not in brief.md (it has E1, E2)"


def test_evidence_without_source() -> None:
    text = HEAD + "parameters:\n  a: {value: 1, evidence: [E1]}\n" + GOOD_PAYOFFS
    line, col, message = only(text)
    assert (line, col) == (7, 28)
    assert "has no `source:` brief" in message


def test_missing_source_brief() -> None:
    line, col, message = only(HEAD + "source: nowhere.md\n" + GOOD_PAYOFFS)
    assert (line, col) == (6, 9)
    assert "cannot read the source brief 'nowhere.md'" in message


def test_parameter_value_not_a_number() -> None:
    line, col, message = only(HEAD + "parameters: {a: {value: lots}}\n" + GOOD_PAYOFFS)
    assert (line, col) == (6, 25)
    assert message == "'lots' is not a number; write e.g. 2, 2.5 or 2/3"


def test_every_problem_is_reported_at_once() -> None:
    text = (
        HEAD
        + "parameters: {a: 1}\n"
        + (
            "payoffs:\n"
            "  ease, raise: [a / 0, 3]\n"
            "  ease, restrct: [0, 5]\n"
            "  maintain, raise: [b, 0]\n"
            "  maintain, restrict: [1, 1]\n"
            "status_quo: [maintain, nope]\n"
        )
    )
    # missing profile (payoffs key), a / 0, unknown move, undefined b, bad status quo
    lines = sorted(line for line, _, _ in problems(text))
    assert lines == [7, 8, 9, 10, 12]


def test_ordinal_claim_violation_is_a_named_warning() -> None:
    text = (
        HEAD
        + GOOD_PAYOFFS
        + ("claims:\n  - {player: US, prefers: [ease, raise], over: [maintain, raise]}\n")
    )
    scenario = parse_scenario(text, "s.yaml")
    (warning,) = scenario.warnings()
    assert warning.startswith(
        "s.yaml:12:5: warning: claim 'US prefers (ease, raise) to (maintain, raise)'"
    )
    assert "the payoffs are 3 and 5" in warning


def test_with_parameters_reevaluates_payoffs() -> None:
    text = HEAD + "parameters: {t: 5}\n" + GOOD_PAYOFFS.replace("[5, 0]", "[t, 0]")
    scenario = parse_scenario(text)
    assert scenario.with_parameters(t="7/2").game.payoff(("maintain", "raise"))[0] == Fraction(7, 2)


def test_float_payoffs_make_a_float_game() -> None:
    scenario = parse_scenario(HEAD + GOOD_PAYOFFS.replace("[5, 0]", "['2 ** 0.5', 0]"))
    assert not scenario.game.is_exact


def test_load_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load(tmp_path / "absent.yaml")


def test_load_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        load(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, 11)
    assert "not UTF-8" in problem.message


def test_booleans_are_not_numbers() -> None:
    line, col, message = only(HEAD + GOOD_PAYOFFS.replace("[5, 0]", "[5, true]"))
    assert (line, col) == (9, 24)
    assert "should be a list or a number or a text, not True" in message


def test_flat_matrix_is_explained() -> None:
    text = HEAD + "payoffs:\n  US: [3, 0, 5, 1]\n  China: [[3, 5], [0, 1]]\n"
    line, col, message = only(text)
    assert (line, col) == (7, 7)
    assert message.startswith("matrix form needs a list of rows for US")


def test_unquoted_comma_in_expression_gets_a_hint() -> None:
    text = HEAD + "parameters: {a: 1, b: 2}\n" + GOOD_PAYOFFS.replace("[5, 0]", "[max(a, b), 0]")
    _, _, message = only(text)
    assert 'quote expressions that contain commas, e.g. ["max(a, b)", 1]' in message


def test_unknown_keys_do_not_hide_other_problems() -> None:
    text = HEAD + "colour: blue\n" + GOOD_PAYOFFS.replace("[5, 0]", "[zz, 0]")
    found = problems(text)
    assert [(line, m.split(";")[0]) for line, _, m in found] == [
        (6, "unknown key 'colour'"),
        (10, "undefined parameter 'zz'"),
    ]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param("1e400", "out of range", id="exponent"),
        pytest.param("1e99999999", "out of range", id="enormous-exponent"),
        pytest.param("'((3**600)**100)**1000'", "too large", id="tower"),
    ],
)
def test_huge_numbers_are_refused_with_a_position(value: str, fragment: str) -> None:
    line, _, message = only(HEAD + GOOD_PAYOFFS.replace("[5, 0]", f"[{value}, 0]"))
    assert line == 9
    assert fragment in message


def test_bad_range_value_gives_one_message() -> None:
    text = HEAD + "parameters:\n  a: {value: 1, range: [0, x]}\n" + GOOD_PAYOFFS
    line, col, message = only(text)
    assert (line, col) == (7, 28)
    assert message == "'x' is not a number; write e.g. 2, 2.5 or 2/3"


def test_one_player_is_explained() -> None:
    text = "kind: normal_form\ntitle: t\nplayers:\n  US: {moves: [a]}\npayoffs: {a: [1]}\n"
    line, col, message = only(text)
    assert (line, col) == (4, 3)
    assert message == "a scenario needs at least 2 players; add another"


# ------------------------------------------------------------ distributions and seed
def with_distribution(spec: str, value: str = "1", extra: str = "") -> str:
    """HEAD + parameter ``a`` on line 7, its distribution written as ``spec`` from column 31."""
    return (
        HEAD + f"parameters:\n  a: {{value: {value}, {extra}distribution: {spec}}}\n" + GOOD_PAYOFFS
    )


@pytest.mark.parametrize(
    ("spec", "column", "message"),
    [
        pytest.param(
            "{kind: uniform, low: 4, high: 1}",
            61,
            "uniform high 1 is not above low 4; write low < high "
            "(for a constant parameter use kind: fixed)",
            id="uniform-low-above-high",
        ),
        pytest.param(
            "{kind: uniform, low: 1, high: 1}",
            61,
            "uniform high 1 is not above low 1; write low < high "
            "(for a constant parameter use kind: fixed)",
            id="uniform-low-equals-high",
        ),
        pytest.param(
            "{kind: triangular, low: 0, mode: 5, high: 2}",
            64,
            "triangular mode 5 is outside [low, high] = [0, 2]; put the mode between low and high",
            id="triangular-mode-outside",
        ),
        pytest.param(
            "{kind: triangular, low: 2, mode: 2, high: 2}",
            73,
            "triangular high 2 is not above low 2; write low < high "
            "(for a constant parameter use kind: fixed)",
            id="triangular-low-equals-high",
        ),
        pytest.param(
            "{kind: normal, mean: 0, sd: 0}",
            59,
            "normal sd 0 must be above 0 (for a constant parameter use kind: fixed)",
            id="normal-sd-zero",
        ),
        pytest.param(
            "{kind: lognormal, mu: 0, sigma: -1}",
            63,
            "lognormal sigma -1 must be above 0 (for a constant parameter use kind: fixed)",
            id="lognormal-sigma-negative",
        ),
        pytest.param(
            "{kind: beta, alpha: 0, beta: 2}",
            51,
            "beta alpha 0 must be above 0; use e.g. alpha: 2, beta: 2 for a hump in the middle",
            id="beta-alpha-zero",
        ),
        pytest.param(
            "{kind: beta, alpha: 2, beta: -1}",
            60,
            "beta beta -1 must be above 0; use e.g. alpha: 2, beta: 2 for a hump in the middle",
            id="beta-beta-negative",
        ),
        pytest.param(
            "{kind: beta, alpha: 2, beta: 2, low: 3, high: 1}",
            77,
            "beta high 1 is not above low 3; write low < high",
            id="beta-low-above-high",
        ),
        pytest.param(
            "{kind: choice, values: []}",
            54,
            "a choice needs at least one value; e.g. values: [1, 2]",
            id="choice-no-values",
        ),
        pytest.param(
            "{kind: choice, values: [1, x]}",
            58,
            "'x' is not a number; write e.g. 2, 2.5 or 2/3",
            id="choice-value-not-a-number",
        ),
        pytest.param(
            "{kind: choice, values: [1, 2], weights: [1]}",
            71,
            "choice has 2 value(s) but 1 weight(s); give one weight per value",
            id="choice-too-few-weights",
        ),
        pytest.param(
            "{kind: choice, values: [1, 2], weights: [1, -1]}",
            75,
            "weight -1 is negative; weights must be 0 or more",
            id="choice-negative-weight",
        ),
        pytest.param(
            "{kind: choice, values: [1, 2], weights: [0, 0]}",
            71,
            "the weights add up to 0; give at least one value a positive weight",
            id="choice-zero-total-weight",
        ),
        pytest.param(
            "{kind: uniform, low: 0, high: .inf}",
            61,
            "'.inf' is not a finite number; write e.g. 2, 2.5 or 2/3",
            id="infinite-bound",
        ),
        pytest.param(
            "{kind: normal, mean: .nan, sd: 1}",
            52,
            "'.nan' is not a finite number; write e.g. 2, 2.5 or 2/3",
            id="nan-mean",
        ),
        pytest.param(
            "{kind: uniform, low: 0, high: 1e999}",
            61,
            "exponent 999 is out of range; use |exponent| <= 301 (exact values have at most "
            "1000 bits; SIM_MAX_BITS raises that, up to 1023)",
            id="bound-beyond-float-range",
        ),
        pytest.param(
            "{kind: gamma, low: 0}",
            31,
            "unknown distribution kind 'gamma'; use one of 'uniform', 'triangular', 'normal', "
            "'lognormal', 'beta', 'choice', 'fixed'",
            id="unknown-kind",
        ),
    ],
)
def test_bad_distribution_is_positioned(spec: str, column: int, message: str) -> None:
    assert only(with_distribution(spec)) == (7, column, message)


def test_distribution_mistakes_are_reported_together() -> None:
    text = with_distribution("{kind: choice, values: [1, 2, 3], weights: [-1, 0, .inf]}")
    assert problems(text) == [
        (7, 75, "weight -1 is negative; weights must be 0 or more"),
        (7, 82, "'.inf' is not a finite number; write e.g. 2, 2.5 or 2/3"),
    ]


def test_distribution_fields_are_floats_and_accept_fractions() -> None:
    text = with_distribution("{kind: triangular, low: '1/3', mode: 0.5, high: 2}", value="1/2")
    (parameter,) = parse_scenario(text).parameters
    assert dict(parameter.distribution or {}) == {
        "kind": "triangular",
        "low": 1 / 3,
        "mode": 0.5,
        "high": 2.0,
    }
    assert all(type(v) is float for k, v in (parameter.distribution or {}).items() if k != "kind")


def test_choice_distribution_is_stored_as_tuples() -> None:
    text = with_distribution("{kind: choice, values: [1, '3/2'], weights: [1, 3]}")
    (parameter,) = parse_scenario(text).parameters
    assert dict(parameter.distribution or {}) == {
        "kind": "choice",
        "values": (1.0, 1.5),
        "weights": (1.0, 3.0),
    }


@pytest.mark.parametrize(
    ("spec", "value", "extra", "warning"),
    [
        pytest.param(
            "{kind: uniform, low: 0, high: 10}",
            "1",
            "range: [0, 5], ",
            "parameter a: its uniform distribution takes values in [0, 10], outside its range "
            "[0, 5]; make them agree (sweeps use the range, Monte Carlo runs the distribution)",
            id="support-beyond-range",
        ),
        pytest.param(
            "{kind: beta, alpha: 2, beta: 2, low: 2, high: 3}",
            "1",
            "",
            "parameter a = 1 is outside [2, 3], where its beta distribution lies; widen the "
            "distribution or change the value",
            id="value-outside-bounded-support",
        ),
        pytest.param(
            "{kind: choice, values: [2, 3, 4], weights: [1, 1, 0]}",
            "4",
            "",
            "parameter a = 4 is not one of its choice values (2, 3), so Monte Carlo runs never "
            "take it; add it to the values or change the value",
            id="value-not-a-positive-weight-choice",
        ),
        pytest.param(
            "{kind: lognormal, mu: 0, sigma: 1}",
            "-1",
            "",
            "parameter a = -1 is not positive, but its lognormal distribution takes only "
            "positive values; change the value or the distribution",
            id="lognormal-value-not-positive",
        ),
    ],
)
def test_distribution_disagreeing_with_range_or_value_is_a_warning(
    spec: str, value: str, extra: str, warning: str
) -> None:
    scenario = parse_scenario(with_distribution(spec, value, extra), "s.yaml")
    assert scenario.warnings() == (f"s.yaml:7:3: warning: {warning}",)


@pytest.mark.parametrize(
    "spec",
    [
        "{kind: normal, mean: 100, sd: 1}",  # unbounded: no warning about the range
        "{kind: lognormal, mu: 5, sigma: 1}",
        "{kind: uniform, low: 0, high: 5}",
        "{kind: fixed}",
    ],
)
def test_distribution_within_range_has_no_warning(spec: str) -> None:
    scenario = parse_scenario(with_distribution(spec, "1", "range: [0, 5], "), "s.yaml")
    assert scenario.warnings() == ()


def test_warning_follows_a_changed_value() -> None:
    scenario = parse_scenario(with_distribution("{kind: uniform, low: 0, high: 2}"), "s.yaml")
    assert scenario.warnings() == ()
    (warning,) = scenario.with_parameters(a=3).warnings()
    assert warning.startswith("s.yaml:7:3: warning: parameter a = 3 is outside [0, 2]")


def test_seed_is_read() -> None:
    assert parse_scenario(HEAD + GOOD_PAYOFFS + "seed: 20250609\n").seed == 20250609
    assert parse_scenario(HEAD + GOOD_PAYOFFS).seed is None


@pytest.mark.parametrize(
    ("seed", "column", "shown"),
    [
        pytest.param("-1", 7, "-1", id="negative"),
        pytest.param("2.5", 7, "2.5", id="fraction"),
        pytest.param("'3'", 8, "'3'", id="quoted"),
        pytest.param("true", 7, "true", id="boolean"),
    ],
)
def test_bad_seed_is_positioned(seed: str, column: int, shown: str) -> None:
    found = only(HEAD + GOOD_PAYOFFS + f"seed: {seed}\n")
    assert found == (11, column, f"seed is {shown}; it must be a whole number 0 or more, e.g. 42")


# ------------------------------------------------- the YAML limits, checked while composing
ROOT = Path(__file__).resolve().parent.parent


def yaml_events(text: str, scanner: object) -> list[tuple[object, ...]] | str:
    """The parser's events for ``text`` read with ``scanner`` (or its error, as text)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = scanner
    try:
        return [
            (
                type(e).__name__,
                getattr(e, "value", None),
                getattr(e, "anchor", None),
                getattr(e, "tag", None),
                getattr(e, "style", None),
                e.start_mark.index,
                e.end_mark.index,
            )
            for e in yaml.parse(text)
        ]
    except YAMLError as err:
        return str(err)


TRICKY_YAML = [
    "x: " + "[" * 70 + "1" + "]" * 70,
    "x: [" + ", ".join("[" * 9 + str(i) + "]" * 9 for i in range(200)) + "]",
    "x: {" + ", ".join(f"k{i}: [{{a: {i}}}, b]" for i in range(300)) + "}",
    "x: {" + "k" * 1100 + ": 1}",  # a key longer than a simple key may be
    "x: [" + "y" * 1100 + ", {a: 1}]",
    "x: [a\n, b: c,\n {d: e}]",
    "x: {? [a, b] : c, ? {d: e} : f}",
    "a: &x [1, {b: *x}]\nc: *x",
    "key without value\n: x",
    "x: [1, 2\ny: 3",
    "- [a, b]: c\n- {d: [e, f]}",
]


@pytest.mark.parametrize(
    "text",
    [
        *[pytest.param(t, id=f"tricky-{i}") for i, t in enumerate(TRICKY_YAML)],
        *[
            pytest.param(p.read_text(encoding="utf-8"), id=p.name)
            for p in sorted((ROOT / "scenarios").glob("*.yaml"))
        ],
    ],
)
def test_the_faster_scanner_reads_yaml_exactly_as_ruamel_does(text: str) -> None:
    from ruamel.yaml.scanner import Scanner

    faster, _ = document._parts()
    assert yaml_events(text, faster) == yaml_events(text, Scanner)


def test_the_limit_applies_at_the_node_that_crosses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document, "MAX_NODES", 10)
    assert parse_document("x: [1, 2, 3, 4, 5, 6, 7]\n").nodes == 10
    with pytest.raises(ScenarioError) as info:  # root, key, list: the 8th item is the 11th
        parse_document("x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n", "s.yaml")
    assert str(info.value).startswith("s.yaml:1:26: document has more than 10 nodes")
    assert "SIM_MAX_NODES" in str(info.value)


def test_composing_stops_at_the_limit_before_reading_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A document over a limit is refused there, so what follows is never read (here, a
    syntax error that would otherwise be reported)."""
    monkeypatch.setattr(document, "MAX_NODES", 100)
    with pytest.raises(ScenarioError, match="more than 100 nodes"):
        parse_document("x: [" + "0, " * 200 + "]]]\n")
    with pytest.raises(ScenarioError, match="nested deeper than 64 levels"):
        parse_document("x: " + "[" * 70 + "]]]: :\n")


def test_aliases_count_as_the_nodes_they_stand_for(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    assert parse_document(text).nodes == 16  # root; a, [1, 2, 3]; b, [4 + 4 nodes]
    monkeypatch.setattr(document, "MAX_NODES", 15)
    with pytest.raises(ScenarioError) as info:
        parse_document(text, "s.yaml")
    assert str(info.value).startswith("s.yaml:2:9: document has more than 15 nodes")


@pytest.mark.parametrize(
    ("text", "column"),
    [
        pytest.param("x: &a [1, *a]\n", 11, id="list"),
        pytest.param("x: &a {k: *a}\n", 11, id="mapping"),
        pytest.param("x: &a [*a, *a, *a, *a, *a, *a, *a, *a]\n", 8, id="branching"),
    ],
)
def test_an_alias_inside_its_own_node_is_refused(text: str, column: int) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_document(text, "s.yaml")
    assert str(info.value).startswith(f"s.yaml:1:{column}: alias '*a' is used inside the node")


def test_a_reused_anchor_is_legal_and_silent(capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = parse_document("a: &x 1\nb: &x 2\nc: *x\n")
    assert doc.data == {"a": 1, "b": 2, "c": 2}
    assert capsys.readouterr() == ("", "")


def test_a_stage_file_shares_the_node_limit_with_its_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage = tmp_path / "stage.yaml"
    stage.write_text(HEAD + GOOD_PAYOFFS)
    repeated = "kind: repeated\ntitle: r\nstage: stage.yaml\nrepeated: {target: [ease, raise]}\n"
    own = parse_document(repeated).nodes
    needed = parse_document(stage.read_text()).nodes
    monkeypatch.setattr(document, "MAX_NODES", own + needed)
    assert parse_scenario(repeated, "r.yaml", base=tmp_path).kind == "repeated"
    monkeypatch.setattr(document, "MAX_NODES", own + needed - 1)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(repeated, "r.yaml", base=tmp_path)
    lines = str(info.value).splitlines()
    assert "r.yaml:3:8: cannot read the stage file stage.yaml (reported with it)" in lines
    over = (
        f"document has more than {needed - 1} nodes (aliases expanded), which with the {own} of "
        f"the scenario that names it is over the limit of {own + needed - 1}; for a file you "
        "trust, raise the limit with SIM_MAX_NODES"
    )
    assert f"{stage}:10:27: {over}" in lines  # at the stage file's last payoff


ALIAS_CHAIN = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 399))
"""A list 400 deep once its aliases are expanded, though its text nests 2 levels."""


@pytest.mark.parametrize(
    ("text", "deepest", "refused"),
    [
        pytest.param(
            "x: " + "[" * 399 + "1" + "]" * 399 + "\n",
            ("x", *(0,) * 399),
            "x: " + "[" * 400 + "1" + "]" * 400 + "\n",
            id="nested",
        ),
        pytest.param(
            ALIAS_CHAIN, ("a398", *(0,) * 399), ALIAS_CHAIN + "b: [*a398]\n", id="aliases"
        ),
    ],
)
def test_a_document_at_the_highest_depth_limit_is_read_from_a_deep_call_stack(
    text: str, deepest: tuple[str | int, ...], refused: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Composing and walking get room for their recursion: a value 400 levels deep (the
    largest SIM_MAX_DEPTH) is read even 300 frames down, and one deeper is refused."""
    monkeypatch.setattr(document, "MAX_DEPTH", 400)
    monkeypatch.setattr(document, "MAX_NODES", 100_000)  # the chain expands to 80,000

    def nested(frames: int, text: str) -> document.Document:
        return nested(frames - 1, text) if frames else parse_document(text, "s.yaml")

    doc = nested(300, text)
    assert deepest in doc.values
    with pytest.raises(ScenarioError, match="document is nested deeper than 400 levels"):
        nested(300, refused)
