"""The year archive's manifest: the SHA-256 of every file in it (pure functions)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str


def entry(name: str, content: bytes) -> Entry:
    return Entry(
        name=name, size=len(content), sha256=hashlib.sha256(content).hexdigest()
    )


def manifest_json(year: int, created: str, entries: Iterable[Entry]) -> bytes:
    """manifest.json: the year, when it was made, and each file's name, size and hash."""
    document = {
        "year": year,
        "created": created,
        "algorithm": "sha256",
        "files": [
            {"name": e.name, "size": e.size, "sha256": e.sha256}
            for e in sorted(entries, key=lambda e: e.name)
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def sha256sums(entries: Iterable[Entry]) -> bytes:
    """The same hashes in `sha256sum -c` format (two spaces, then the name)."""
    lines = [f"{e.sha256}  {e.name}\n" for e in sorted(entries, key=lambda e: e.name)]
    return "".join(lines).encode()


def verify(files: dict[str, bytes], manifest: bytes) -> list[str]:
    """The names whose content does not match the manifest, or that are missing."""
    listed = json.loads(manifest)["files"]
    wrong = []
    for item in listed:
        content = files.get(item["name"])
        if content is None or hashlib.sha256(content).hexdigest() != item["sha256"]:
            wrong.append(item["name"])
    return wrong
