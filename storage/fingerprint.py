"""The content key that decides whether a capture is a new version of its report.

A version is the page body and the attachments together: the key hashes the page's
fingerprint (``Document.fingerprint()``, which leaves page chrome out) with the sorted
sha256 of every attachment. Sorting and hashing bytes rather than URLs means the same
files re-uploaded at new URLs, or listed in another order, give the same key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def content_key(fingerprint: str, attachment_sha256s: Iterable[str]) -> str:
    digest = hashlib.sha256(b"page:" + fingerprint.encode("ascii"))
    for sha in sorted(set(attachment_sha256s)):
        digest.update(b"\nattachment:" + sha.encode("ascii"))
    return digest.hexdigest()
