"""Statistics of a release, from its own files (so they also hold for imported data), like the paper's
Figure 3: what is asked (modality, target), over how long, and how many."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from benchmark.formats import ravst


def _histogram(values: list[float], edges: list[float], unit: str) -> list[dict]:
    bins = []
    for low, high in zip(edges, edges[1:] + [None]):
        n = sum(1 for v in values if v >= low and (high is None or v < high))
        label = f"{low:g}-{high:g} {unit}" if high is not None else f"{low:g}+ {unit}"
        bins.append({"label": label, "count": n})
    return bins


def _bars(counter: Counter, order: list[str] | None = None) -> list[dict]:
    keys = order if order is not None else sorted(counter)
    return [{"label": k, "count": counter.get(k, 0)} for k in keys]


def cgav_stats(path: Path) -> list[dict]:
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    lengths = [i["query_interval"][1] - i["query_interval"][0] for i in items]
    return [
        {"title": "Query modality", "bars": _bars(Counter(i["type"] for i in items), ["V", "A", "V2A", "A2V", "AV"])},
        {"title": "Counting target", "bars": _bars(Counter(i["category"] for i in items), ["event", "object", "attribute"])},
        {"title": "Reference interval length", "bars": _histogram(lengths, [0, 30, 60, 120, 300, 600], "s")},
        {"title": "Count (answer)", "bars": _histogram([i["answer"] for i in items], [0, 2, 5, 10, 20, 50], "")},
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
            objects_per_event[str(min(len(names), 5)) if len(names) < 5 else "5+"] += 1
            audible.update("visible and audible" if a else "visible only" for a in names.values())
    return [
        {"title": "Tasks", "bars": _bars(tasks, ["AVTR", "AVSR", "AVSTR"])},
        {"title": "Objects per event", "bars": _bars(objects_per_event, ["0", "1", "2", "3", "4", "5+"])},
        {"title": "Audibility of objects", "bars": _bars(audible, ["visible and audible", "visible only"])},
    ]


def with_scale(charts: list[dict]) -> list[dict]:
    """Adds each bar's width in percent of the chart's largest, for drawing."""
    for chart in charts:
        top = max((b["count"] for b in chart["bars"]), default=0) or 1
        chart["total"] = sum(b["count"] for b in chart["bars"])
        for bar in chart["bars"]:
            bar["percent"] = round(100 * bar["count"] / top, 1)
    return charts
