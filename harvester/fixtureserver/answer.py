"""What a dynamic route answers with, before the server adds validators and chrome."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str
    status: int = 200
