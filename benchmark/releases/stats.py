"""Statistics of a release, from its own files (so they also hold for imported data), like the paper's
Figure 3: what is asked (modality, target), over how long, and how many.

Each statistic is {"title", "unit", "bars": [{"label", "count"}], "total"}: the page renders it as a table
and the releases island draws it as a bar chart."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from benchmark.formats import ravst
from benchmark.releases.models import ReleaseFormat


def _histogram(values: list[float], edges: list[float], label) -> list[dict]:
    """Counts of `values` in [edges[i], edges[i+1]), the last bin open; `label(low, high)` names a bin."""
    bins = []
    for low, high in zip(edges, edges[1:] + [None]):
        n = sum(1 for v in values if v >= low and (high is None or v < high))
        bins.append({"label": label(low, high), "count": n})
    return bins


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 and seconds % 60 == 0 else f"{seconds:g} s"


def _length_label(low: float, high: float | None) -> str:
    if low == 0:
        return f"under {_duration(high)}"
    if high is None:
        return f"{_duration(low)} or more"
    first, last = _duration(low), _duration(high)
    if first.endswith(" min") and last.endswith(" min"):
        return f"{first[:-4]}–{last}"
    return f"{first} to {last}"


def _count_label(low: float, high: float | None) -> str:
    """Integer answers: [2, 5) reads "2–4"."""
    if high is None:
        return f"{low:g} or more"
    return f"{low:g}" if high - low == 1 else f"{low:g}–{high - 1:g}"


def _bars(counter: Counter, order: list[str] | None = None) -> list[dict]:
    keys = order if order is not None else sorted(counter)
    return [{"label": k, "count": counter.get(k, 0)} for k in keys]


def _stat(title: str, unit: str, bars: list[dict]) -> dict:
    return {"title": title, "unit": unit, "bars": bars, "total": sum(b["count"] for b in bars)}


def _clue_kinds(items: list[dict]) -> Counter:
    """Clues as the format writes them: an interval per event, a box per object, boxes grouped per attribute."""
    kinds: Counter = Counter()
    for item in items:
        clue = item.get("clue") or []
        if item["category"] == "event":
            kinds["event intervals"] += len(clue)
        elif item["category"] == "object":
            kinds["object boxes"] += len(clue)
        else:
            kinds["attribute boxes"] += sum(len(group) if isinstance(group, list) else 1 for group in clue)
    return kinds


def cgav_stats(path: Path) -> list[dict]:
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    lengths = [i["query_interval"][1] - i["query_interval"][0] for i in items]
    return [
        _stat("Query modality", "questions", _bars(Counter(i["type"] for i in items), ["V", "A", "V2A", "A2V", "AV"])),
        _stat("Counting target", "questions",
              _bars(Counter(i["category"] for i in items), ["event", "object", "attribute"])),
        _stat("Reference interval length", "questions", _histogram(lengths, [0, 30, 60, 120, 300, 600], _length_label)),
        _stat("Count (answer)", "questions", _histogram([i["answer"] for i in items], [0, 2, 5, 10, 20, 50], _count_label)),
        _stat("Clues by kind", "clues",
              _bars(_clue_kinds(items), ["event intervals", "object boxes", "attribute boxes"])),
    ]


def ravst_stats(path: Path) -> list[dict]:
    videos = ravst.load(Path(path))
    tasks: Counter = Counter()
    objects_per_event: Counter = Counter()
    audible: Counter = Counter()
    for video in videos:
        for event in video.events:
            names = {}
            for task, qas in event.qa.items():
                tasks[task] += len(qas)
                for qa in qas:
                    silent = task == "AVSR" and ravst.parse_question(task, qa.question).sounding is False
                    for obj in qa.answer.objects:
                        names.setdefault(obj.name, not silent)
            objects_per_event[str(len(names)) if len(names) < 5 else "5+"] += 1
            audible.update("visible and audible" if a else "visible only" for a in names.values())
    return [
        _stat("Tasks", "QA pairs", _bars(tasks, ["AVTR", "AVSR", "AVSTR"])),
        _stat("Objects per event", "events", _bars(objects_per_event, ["0", "1", "2", "3", "4", "5+"])),
        _stat("Audibility of objects", "objects", _bars(audible, ["visible and audible", "visible only"])),
    ]


def release_stats(*, format: str, path: Path) -> list[dict]:
    """The statistics of a release's truth file, by its format (CG-AV-Counting or R-AVST)."""
    return (cgav_stats if format == ReleaseFormat.CG_AV_COUNTING else ravst_stats)(path)
