"""Editing a seed's text export the way a careless report author would, for validation tests."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def set_row(text: str, label: str, values: list[str]) -> str:
    """Replace the value cells following the first cell line equal to ``\\t<label>``."""
    lines = text.split("\n")
    start = lines.index(f"\t{label}") + 1
    for offset, value in enumerate(values):
        assert lines[start + offset].startswith("\t"), lines[start + offset]
        lines[start + offset] = f"\t{value}"
    return "\n".join(lines)


def replace_section_text(text: str, heading: str, new_body: str) -> str:
    """Replace the paragraphs after a section heading line, up to the next blank-separated heading."""
    lines = text.split("\n")
    start = lines.index(heading) + 1
    end = start
    while end < len(lines) and not lines[end].startswith(("六、", "[bookmark: _GoBack]六、")):
        end += 1
    return "\n".join(lines[:start] + [new_body] + lines[end:])
