"""Hugging Face dataset export: one Parquet file per split and a dataset card.

Layout written by :func:`write_parquet` into ``out_dir``::

    README.md                                dataset card (YAML front matter + text)
    data/<split>-00000-of-00001.parquet      the rows

which ``datasets`` loads both ways::

    load_dataset("parquet", data_dir="<out_dir>/data", split="test")
    load_dataset("<out_dir>", split="test")    # or the Hub repository: uses the card's `configs`

Decisions
---------
* **Explicit Arrow schemas** (:data:`CGAV_SCHEMA`, :data:`RAVST_SCHEMA`): no type
  inference, so an empty column or a whole-number float never changes a type.
* **CG-AV-Counting clues are a JSON string column** (``clue``), compact JSON of
  exactly the item's ``clue`` (``json.loads(row["clue"])`` gives it back).  The
  clue's shape depends on the category (a list of ``{start, end}``, a list of
  ``{timestamp, bbox}``, or a list of *clusters* of those), which no single
  Arrow type holds without padding or unions; a string loads cleanly in
  ``datasets``, pandas, DuckDB and the Hub viewer alike.  ``query_interval`` is
  a ``list<double>`` of two numbers.
* **R-AVST rows**: one per question-answer pair (``video_name, duration,
  event_num, task, question, answer``), videos in file order, events in
  annotation order, tasks in the order AVTR, AVSR, AVSTR, pairs in list order.
* **Byte-identical re-exports**: Parquet written with fixed options (snappy,
  format 2.6, data page v1, statistics, dictionary encoding, one row group)
  and no timestamps (pyarrow's only embedded metadata are its ``created_by``
  version string and the Arrow schema); the card has no date either.  Writing
  the same rows twice gives the same bytes with the same pyarrow version.
* Files are written atomically (temporary file + rename).

Plain Python (pyarrow, no Django).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.media.clips import clip_name
from pipeline.media.files import atomic_path, write_bytes_atomic

__all__ = [
    "CGAV_SCHEMA",
    "RAVST_SCHEMA",
    "CGAV_FEATURES_DOC",
    "RAVST_FEATURES_DOC",
    "RAVST_TASK_KEYS",
    "cgav_rows",
    "ravst_rows",
    "parquet_file_name",
    "dataset_card",
    "write_parquet",
]

PathLike = Union[str, "os.PathLike[str]"]

CGAV_SCHEMA = pa.schema(
    [
        pa.field("index", pa.int64(), nullable=False),
        pa.field("video", pa.string(), nullable=False),
        pa.field("ref_video", pa.string(), nullable=False),
        pa.field("question", pa.string(), nullable=False),
        pa.field("answer", pa.int64(), nullable=False),
        pa.field("type", pa.string(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("query_interval", pa.list_(pa.float64()), nullable=False),
        pa.field("clue", pa.string(), nullable=False),
    ]
)

CGAV_FEATURES_DOC = {
    "index": "Position of the question in cg-av-counting.json.",
    "video": "File name of the full 720p video in cg_videos_720p/.",
    "ref_video": "File name of the reference clip in ref_videos/ (`<stem>_<start>_<end>.mp4`, seconds with two decimals).",
    "question": "The counting question (English).",
    "answer": "The count.",
    "type": "Query modality: V (visual), A (audio), V2A, A2V or AV (joint audio-visual).",
    "category": "Counting target: event, object or attribute.",
    "query_interval": "Reference interval [start, end] in seconds of the full video.",
    "clue": (
        "JSON text of the counting clues (json.loads gives the list): events as {start, end} in seconds; "
        "objects as {timestamp, bbox}, the box [x_min, y_min, x_max, y_max] in 720p pixels on frame "
        "int(timestamp * fps); attributes as a list of clusters of objects."
    ),
}

RAVST_SCHEMA = pa.schema(
    [
        pa.field("video_name", pa.string(), nullable=False),
        pa.field("duration", pa.float64(), nullable=False),
        pa.field("event_num", pa.int64(), nullable=False),
        pa.field("task", pa.string(), nullable=False),
        pa.field("question", pa.string(), nullable=False),
        pa.field("answer", pa.string(), nullable=False),
    ]
)

RAVST_FEATURES_DOC = {
    "video_name": "UnAV-100 / YouTube id of the video.",
    "duration": "Duration of the video in seconds.",
    "event_num": "1-based number of the audio-visual event inside the video.",
    "task": "AVTR (temporal), AVSR (spatial) or AVSTR (spatio-temporal reasoning).",
    "question": "The question, from the R-AVST templates.",
    "answer": "The answer string: `<answer>`, `<object>`, `<when>` and `<where>` blocks as in R-AVST.",
}

#: R-AVST task abbreviation -> key in the JSON annotation, in row order.
RAVST_TASK_KEYS = {"AVTR": "AV Temporal Reasoning", "AVSR": "AV Spatial Reasoning", "AVSTR": "AV ST Reasoning"}

_KNOWN_SCHEMAS = (CGAV_SCHEMA, RAVST_SCHEMA)

#: Options of every Parquet write (fixed so that re-exports are byte-identical).
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "snappy",
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": True,
}

_SPLIT_RE = re.compile(r"^[A-Za-z0-9_]+$")
_LICENSE_RE = re.compile(r"^[a-z0-9][a-z0-9.+\-]*$")


# -- rows ----------------------------------------------------------------------------


def cgav_rows(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per CG-AV-Counting item (see :data:`CGAV_SCHEMA`), in the items' order."""

    rows = []
    for n, item in enumerate(items):
        question = item.get("question", item.get("question_en"))
        try:
            start, end = item["query_interval"]
            rows.append(
                {
                    "index": item.get("index", n),
                    "video": item["video"],
                    "ref_video": clip_name(item["video"], start, end),
                    "question": question,
                    "answer": item["answer"],
                    "type": item["type"],
                    "category": item["category"],
                    "query_interval": [float(start), float(end)],
                    "clue": json.dumps(item["clue"], ensure_ascii=False, separators=(",", ":"), allow_nan=False),
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"item {n}: cannot make a row: {exc!r}") from None
    return rows


def ravst_rows(videos: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per R-AVST question-answer pair (see :data:`RAVST_SCHEMA`).

    ``videos`` is the R-AVST JSON shape (``/work/shared/formats/r-avst/FORMAT.md``):
    ``[{"video_name", "duration", "annotation": [{"event_num", "<task key>": [{"Q", "A"}]}]}]``.
    """
    rows = []
    for n, video in enumerate(videos):
        try:
            name, duration = video["video_name"], float(video["duration"])
            for event in video["annotation"]:
                unknown = sorted(set(event) - {"event_num", *RAVST_TASK_KEYS.values()})
                if unknown:
                    raise ValueError(f"unknown annotation key(s) {unknown}")
                for task, key in RAVST_TASK_KEYS.items():
                    for qa in event.get(key, ()):
                        rows.append(
                            {
                                "video_name": name,
                                "duration": duration,
                                "event_num": event["event_num"],
                                "task": task,
                                "question": qa["Q"],
                                "answer": qa["A"],
                            }
                        )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"video {n}: cannot make rows: {exc!r}") from None
    return rows


# -- writing -------------------------------------------------------------------------------


def parquet_file_name(split: str) -> str:
    """``<split>-00000-of-00001.parquet`` (the Hub's shard naming; ``datasets`` takes the split from it)."""
    return f"{split}-00000-of-00001.parquet"


def _pick_schema(features_doc: Mapping[str, str]) -> pa.Schema:
    for schema in _KNOWN_SCHEMAS:
        if set(schema.names) == set(features_doc):
            return schema
    raise ValueError(
        "pass schema=: the documented columns match no known schema "
        f"({sorted(features_doc)})"
    )


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _yaml_dtype(name: str, t: pa.DataType, indent: str) -> list[str]:
    simple = {
        pa.int64(): "int64", pa.int32(): "int32", pa.float64(): "float64", pa.float32(): "float32",
        pa.string(): "string", pa.bool_(): "bool", pa.large_string(): "large_string",
    }
    if t in simple:
        return [f"{indent}- name: {name}", f"{indent}  dtype: {simple[t]}"]
    if pa.types.is_list(t) and t.value_type in simple:
        return [f"{indent}- name: {name}", f"{indent}  list: {simple[t.value_type]}"]
    raise ValueError(f"column {name!r}: type {t} is not supported in the card")


def _md_cell(s: str) -> str:
    return " ".join(str(s).split()).replace("|", "\\|")


def dataset_card(
    schema: pa.Schema,
    *,
    name: str,
    features_doc: Mapping[str, str],
    split: str,
    num_rows: int,
    license: str = "other",  # noqa: A002 - the card's field
    description: str = "",
    citation: Optional[str] = None,
) -> str:
    """The ``README.md`` text: YAML front matter and a description.

    The front matter holds ``license``, ``pretty_name``, ``configs`` (one
    ``default`` config whose ``split`` reads ``data/<split>-*``) and
    ``dataset_info.features`` (the schema in the card's syntax; no ``splits``
    entry: ``datasets`` wants byte sizes there that depend on its own version).
    """
    if not _LICENSE_RE.match(license):
        raise ValueError(f"license must be a Hub license identifier such as cc-by-4.0 or other, got {license!r}")
    lines = [
        "---",
        f"license: {license}",
        f"pretty_name: {_yaml_str(name)}",
        "configs:",
        "- config_name: default",
        "  data_files:",
        f"  - split: {split}",
        f"    path: data/{split}-*",
        "dataset_info:",
        "  features:",
    ]
    for field in schema:
        lines += _yaml_dtype(field.name, field.type, "  ")
    lines += [
        "---",
        "",
        f"# {name}",
        "",
        description.strip() or "TODO: describe the dataset (source videos, how the questions and clues were made).",
        "",
        "## Loading",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'ds = load_dataset("parquet", data_dir="data", split="{split}")',
        f'# or, from this folder or its Hub repository: load_dataset("<repo or folder>", split="{split}")',
        "```",
        "",
        f"One split, `{split}`, with {num_rows} rows.",
        "",
        "## Fields",
        "",
        "| field | type | description |",
        "|---|---|---|",
    ]
    for field in schema:
        lines.append(f"| `{field.name}` | `{field.type}` | {_md_cell(features_doc[field.name])} |")
    lines += [
        "",
        "## License",
        "",
        f"`{license}`" + (" (TODO: name the license and link it)." if license == "other" else "."),
        "",
        "## Citation",
        "",
        "```bibtex",
        (citation or "@misc{TODO,\n  title  = {TODO},\n  author = {TODO},\n  year   = {TODO},\n  url    = {TODO}\n}").strip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def _check_rows(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> None:
    names = set(schema.names)
    for n, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ValueError(f"row {n}: must be a dict, got {type(row).__name__}")
        if set(row) != names:
            missing, extra = sorted(names - set(row)), sorted(set(row) - names)
            raise ValueError(f"row {n}: columns differ from the schema (missing {missing}, unexpected {extra})")
        for field in schema:
            value = row[field.name]
            if value is None:
                raise ValueError(f"row {n}: {field.name} is missing (None)")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"row {n}: {field.name} is {value}")


def write_parquet(
    rows: Sequence[Mapping[str, Any]],
    out_dir: PathLike,
    *,
    name: str,
    features_doc: Mapping[str, str],
    schema: Optional[pa.Schema] = None,
    split: str = "test",
    license: str = "other",  # noqa: A002 - the card's field
    description: str = "",
    citation: Optional[str] = None,
) -> list[Path]:
    """Write ``rows`` as ``out_dir/data/<split>-00000-of-00001.parquet`` and the card ``out_dir/README.md``.

    ``schema`` defaults to the known schema (:data:`CGAV_SCHEMA`,
    :data:`RAVST_SCHEMA`) whose columns ``features_doc`` documents;
    ``features_doc`` must describe every column (it fills the card's table).
    ``license`` is the card's license identifier (``other`` as a placeholder),
    ``citation`` a BibTeX entry (a TODO placeholder when omitted).
    Returns ``[parquet path, README path]``.  Deterministic: the same
    arguments give byte-identical files.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("name must be a non-empty string")
    if not _SPLIT_RE.match(split):
        raise ValueError(f"split must be letters, digits and underscores, got {split!r}")
    if schema is None:
        schema = _pick_schema(features_doc)
    missing = [n for n in schema.names if not str(features_doc.get(n, "")).strip()]
    extra = sorted(set(features_doc) - set(schema.names))
    if missing or extra:
        raise ValueError(f"features_doc must describe exactly the columns: missing {missing}, unknown {extra}")
    rows = list(rows)
    _check_rows(rows, schema)
    try:
        table = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(f"rows do not fit the schema: {exc}") from exc

    card = dataset_card(  # before writing anything: it checks the license
        schema,
        name=name,
        features_doc=features_doc,
        split=split,
        num_rows=table.num_rows,
        license=license,
        description=description,
        citation=citation,
    )
    out = Path(out_dir)
    parquet_path = out / "data" / parquet_file_name(split)
    with atomic_path(parquet_path, suffix=".parquet") as tmp:
        pq.write_table(table, tmp, row_group_size=max(1, table.num_rows), **PARQUET_OPTIONS)
    readme = write_bytes_atomic(out / "README.md", card.encode("utf-8"))
    return [parquet_path, readme]
