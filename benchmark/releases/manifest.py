"""manifest.json of a release folder: what it is and a sha256 per file, so anyone can check it is intact.

Plain Python. Deterministic: no timestamps, sorted keys and paths, so exporting the
same selection twice gives byte-identical manifests.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_table(root: Path) -> dict[str, dict[str, Any]]:
    root = Path(root)
    table = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
        table[path.relative_to(root).as_posix()] = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
    return table


def build_manifest(root: Path, **fields: Any) -> dict[str, Any]:
    """`fields` are the release's description (format, schema_version, app_version, counts, sources, models...)."""
    return {**fields, "files": file_table(root)}


def dump_manifest(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def verify(root: Path) -> list[str]:
    """Problems found in a release folder against its manifest; an empty list means it is intact."""
    root = Path(root)
    path = root / MANIFEST
    if not path.is_file():
        return [f"no {MANIFEST} in {root}"]
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{MANIFEST} is not a valid manifest: {exc}"]
    problems = []
    present = file_table(root)
    for name, entry in sorted(listed.items()):
        found = present.get(name)
        if found is None:
            problems.append(f"missing: {name}")
        elif found["sha256"] != entry.get("sha256"):
            problems.append(f"changed: {name} (sha256 {found['sha256'][:12]}..., manifest {str(entry.get('sha256'))[:12]}...)")
    for name in sorted(set(present) - set(listed)):
        problems.append(f"not in the manifest: {name}")
    return problems
