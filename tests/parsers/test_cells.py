"""parse_cell: printed values typed, never invented."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.cells import DASH_MARKS, cell_state, parse_cell


@pytest.mark.parametrize(
    ("text", "money", "header_unit", "expected"),
    [
        ("0", False, None, (0, None, "number", None)),
        ("+113", False, None, (113, None, "number", None)),
        ("-1", False, None, (-1, None, "number", None)),
        ("0\u3000", False, None, (0, None, "number", None)),
        ("22（其中修订16件）", False, None, (22, None, "number", None)),
        ("11522.96万元", True, None, (11522.96, "万元", "number", 11522.96)),
        ("251000元", True, None, (251000, "元", "number", 25.1)),
        ("0万", True, None, (0, "万元", "number", 0)),
        ("3.5", True, "万元", (3.5, "万元", "number", 3.5)),
        ("1,200", False, None, (1200, None, "number", None)),
        ("", False, None, (None, None, "blank", None)),
        ("/", False, None, (None, None, "dash", None)),
        ("—", True, None, (None, None, "dash", None)),
        ("――", False, None, (None, None, "dash", None)),  # "——" converted from GB2312: two U+2015
        ("— —", False, None, (None, None, "dash", None)),
        ("−", False, None, (None, None, "dash", None)),  # Word's minus sign alone
        ("−12", False, None, (-12, None, "number", None)),  # Word's minus sign: 本年增/减 printed −12
        ("\u200b5", False, None, (5, None, "number", None)),  # a zero-width space pasted before the count
        ("1\u00ad2", False, None, (12, None, "number", None)),  # a soft hyphen inside it
        ("\ufeff0", False, None, (0, None, "number", None)),
        ("〇", False, None, (None, None, "text", None)),  # a numeral, read by a person: not a dash, not typed
        ("无", False, None, (None, None, "text", None)),
    ],
)
def test_printed_values(text: str, money: bool, header_unit: str | None, expected: tuple) -> None:
    cell = parse_cell(text, money=money, header_unit=header_unit)
    assert (cell.value, cell.unit, cell.state, cell.value_wan) == expected


@given(st.text())
def test_never_raises_and_keeps_the_print(text: str) -> None:
    cell = parse_cell(text)
    printed = "".join(char for char in text if char not in "\u200b\u200c\u200d\u2060\ufeff\u00ad")
    assert cell.raw == " ".join(printed.split())
    assert (cell.value is None) == (cell.state != "number")


@given(st.text(alphabet=" \t\u3000\xa0\n"), st.text(alphabet=sorted(DASH_MARKS), min_size=1, max_size=3), st.booleans())
def test_blank_and_dash_never_get_a_value(space: str, dash: str, money: bool) -> None:
    for text in (space, space + dash + space):
        cell = parse_cell(text, money=money, header_unit="万元")
        assert cell.value is None and cell.value_wan is None
        assert cell.state in ("blank", "dash")


@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from(["", " ", "\u3000"]))
def test_printed_integers_round_trip(number: int, pad: str) -> None:
    cell = parse_cell(f"{pad}{number}{pad}")
    assert cell.state == "number" and cell.value == number and isinstance(cell.value, int)


@given(st.text(alphabet=st.sampled_from("0123456789,.+-/万元件 \u3000（）无—"), max_size=12))
def test_cell_state_is_the_state_parse_cell_reads(text: str) -> None:
    assert cell_state(text) == parse_cell(text).state
