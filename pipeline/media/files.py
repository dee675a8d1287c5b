"""Writing media files so that a reader never sees half of one: a hidden temporary file next to the target,
renamed over it only when the write succeeded, and removed when it did not."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Union

PathLike = Union[str, "os.PathLike[str]"]


@contextmanager
def atomic_path(target: PathLike, *, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside `target` (keeping `suffix`, for tools that pick a format by extension);
    on success it replaces `target`, on any exception it is deleted."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp{suffix}")
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(target: PathLike, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(target)
