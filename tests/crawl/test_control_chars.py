"""What acts instead of printing is left out of the portals' text; what prints is kept."""

from __future__ import annotations

import pytest

from harvester.control_chars import without_controls


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\r", "\x0b", "\x1f", "\x7f", "\x9b", "\u200b", "\u200e",
                                     "\u202e", "\u2066", "\ufeff", "\x00"])
def test_each_kind_of_control_is_left_out(control: str) -> None:
    assert without_controls(f"淄博市{control}2020年") == "淄博市2020年"


def test_line_breaks_tabs_and_every_printing_character_stay() -> None:
    text = "一、总体情况\n\t（一）主动公开　２０２０年 ①②③ ¹ m² 〇 — “引号” ＃"
    assert without_controls(text) == text
