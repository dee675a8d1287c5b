"""A zip of a folder produced while it is sent: the response starts at once and memory stays small."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

COMPRESSED_SUFFIXES = {".mp4", ".m4a", ".jpg", ".parquet", ".zip"}


class _Sink:
    """A write-only, unseekable file: zipfile then writes data descriptors instead of seeking back."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def zip_folder(root: Path, *, prefix: str, chunk: int = 1 << 20) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", allowZip64=True) as archive:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            name = f"{prefix}/{path.relative_to(root).as_posix()}"
            method = zipfile.ZIP_STORED if path.suffix.lower() in COMPRESSED_SUFFIXES else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = method
            with open(path, "rb") as source, archive.open(info, "w", force_zip64=True) as target:
                for block in iter(lambda: source.read(chunk), b""):
                    target.write(block)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
