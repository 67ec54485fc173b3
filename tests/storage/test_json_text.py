"""The archive's JSON text is json.dumps(value, ensure_ascii=False), made without json.dumps's cost per call."""

from __future__ import annotations

import json

from storage.db import to_json
from tests.storage.conftest import SEED_ZHANGDIAN_2023, capture_of


def test_json_text_is_that_of_json_dumps(seed) -> None:
    report = capture_of(seed(SEED_ZHANGDIAN_2023)).parse.report
    odd = {"printed": "收到申请4件", "quote\"\\": ["\n\t\x00\u2028", 1.5, -0.0, 1e300, float("nan"), True, None], "empty": {}}
    for value in (report, odd, "中文", 3, [], None):
        assert to_json(value) == json.dumps(value, ensure_ascii=False)
