"""The parser's name changes whenever its output may: an edit of its source or a new release of a
library it reads files with. With a number bumped by hand, the archive took an upgraded
parser's reading of an unchanged page for the agency's change."""

from __future__ import annotations

import shutil
from pathlib import Path

import parsers
from parsers import PARSER_VERSION
from parsers.version import RELEASE, installed_versions, parser_version, source_digest

PACKAGE = Path(parsers.__file__).parent


def _copy_of_parsers(tmp_path: Path) -> Path:
    copy = tmp_path / "parsers"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _site(tmp_path: Path, name: str, *dist_infos: str) -> str:
    site = tmp_path / name
    for dist_info in dist_infos:
        (site / dist_info).mkdir(parents=True)
    site.mkdir(exist_ok=True)
    return str(site)


def test_the_running_parser_is_named_by_its_release_and_its_source(tmp_path: Path) -> None:
    assert PARSER_VERSION == parser_version()
    assert PARSER_VERSION.startswith(RELEASE + "+")
    assert parser_version(_copy_of_parsers(tmp_path)) == PARSER_VERSION


def test_an_edit_of_any_parser_module_gives_another_name(tmp_path: Path) -> None:
    copy = _copy_of_parsers(tmp_path)
    before = parser_version(copy)
    table3 = copy / "tables" / "applications.py"
    table3.write_text(table3.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    edited = parser_version(copy)
    (copy / "tables" / "extra_rule.py").write_text("RULE = 1\n", encoding="utf-8")
    added = parser_version(copy)
    assert len({before, edited, added}) == 3


def test_a_module_moved_with_the_same_text_is_another_source(tmp_path: Path) -> None:
    copy = _copy_of_parsers(tmp_path)
    before = source_digest(copy)
    (copy / "tables" / "appeals.py").rename(copy / "appeals.py")
    assert source_digest(copy) != before


def test_compiled_files_are_not_the_source(tmp_path: Path) -> None:
    copy = _copy_of_parsers(tmp_path)
    before = source_digest(copy)
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "api.cpython-311.pyc").write_bytes(b"\x00compiled")
    assert source_digest(copy) == before


def test_a_new_release_of_a_reading_library_gives_another_name(tmp_path: Path) -> None:
    old = _site(tmp_path, "old", "pdfminer.six-20231228.dist-info", "lxml-5.2.1.dist-info")
    new = _site(tmp_path, "new", "pdfminer.six-20260107.dist-info", "lxml-5.2.1.dist-info")
    assert parser_version(PACKAGE, [old]) != parser_version(PACKAGE, [new])
    unrelated = _site(tmp_path, "unrelated", "pdfminer.six-20231228.dist-info", "lxml-5.2.1.dist-info",
                      "rich-13.7.1.dist-info")
    assert parser_version(PACKAGE, [old]) == parser_version(PACKAGE, [unrelated])


def test_library_versions_are_read_from_the_first_entry_of_the_path(tmp_path: Path) -> None:
    user = _site(tmp_path, "user", "python_docx-1.2.0.dist-info", "opencv_python-4.10.0.84.dist-info")
    system = _site(tmp_path, "system", "python-docx-0.8.11.dist-info", "Pillow-9.4.0.dist-info")
    found = installed_versions(["python_docx", "opencv_python", "pillow", "pikepdf"],
                               [user, system, str(tmp_path / "absent")])
    assert found == {"python_docx": "1.2.0", "opencv_python": "4.10.0.84", "pillow": "9.4.0"}


def test_a_missing_library_is_part_of_the_name(tmp_path: Path) -> None:
    with_ocr = _site(tmp_path, "with", "rapidocr_onnxruntime-1.4.4.dist-info")
    without = _site(tmp_path, "without")
    assert parser_version(PACKAGE, [with_ocr]) != parser_version(PACKAGE, [without])
