"""A question's recorded changes in words: which fields changed (the text as a word diff), and which clues were
added, removed, moved or resized, from the before and after documents the audit log keeps."""

from __future__ import annotations

from annotation.projects.audit import Change, interval, shift, text_diff

FIELDS = {"category": "Category", "modality": "Type", "drafted_answer": "Drafted count", "state": "State",
          "review_comment": "Review comment"}


def _clue_name(clue: dict) -> str:
    if clue.get("kind") == "event":
        return f"event {interval(clue.get('start'), clue.get('end'))}"
    cluster = f" in cluster {clue['cluster']!r}" if clue.get("cluster") else ""
    return f"{clue.get('kind', 'box')} box on frame {clue.get('frame_index')}{cluster}"


def _key(clue: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in clue.items() if not isinstance(v, (list, dict))))


def _clue_changes(before: list[dict], after: list[dict]) -> list[Change]:
    """Clues are matched first as identical, then in order within their kind (an edited clue is one that
    changed); what is left over was added or removed."""
    old, new = list(before), list(after)
    for clue in list(new):
        if any(_key(clue) == _key(o) for o in old):
            old.remove(next(o for o in old if _key(o) == _key(clue)))
            new.remove(clue)
    changes = []
    for kind in sorted({c.get("kind") for c in old + new}, key=str):
        olds = [c for c in old if c.get("kind") == kind]
        news = [c for c in new if c.get("kind") == kind]
        for a, b in zip(olds, news):
            changes.append(_edited(a, b))
        changes += [Change("removed", _clue_name(c)) for c in olds[len(news):]]
        changes += [Change("added", _clue_name(c)) for c in news[len(olds):]]
    return changes


def _edited(a: dict, b: dict) -> Change:
    if a.get("kind") == "event":
        return Change("changed", _clue_name(a), f"now {interval(b.get('start'), b.get('end'))}")
    if a.get("frame_index") != b.get("frame_index"):
        return Change("moved", _clue_name(a), f"to frame {b.get('frame_index')}")
    size = lambda c: (c["x2"] - c["x1"], c["y2"] - c["y1"])  # noqa: E731
    if size(a) == size(b):
        return Change("moved", _clue_name(a), f"by {shift(b['x1'] - a['x1'], b['y1'] - a['y1'])}")
    (w0, h0), (w1, h1) = size(a), size(b)
    return Change("resized", _clue_name(a), f"from {w0:.0f}×{h0:.0f} to {w1:.0f}×{h1:.0f} px")


def question_changes(before: dict | None, after: dict | None) -> list[Change]:
    before, after = before or {}, after or {}
    changes = []
    if before.get("text") != after.get("text") and (before.get("text") or after.get("text")):
        changes.append(Change("changed", "Question", after.get("text", ""),
                              words=text_diff(before.get("text", ""), after.get("text", ""))))
    for field, label in FIELDS.items():
        if before.get(field) != after.get(field) and (field in before or field in after):
            old, new = before.get(field), after.get(field)
            changes.append(Change("changed", label, f"{'—' if old in (None, '') else old} → "
                                                    f"{'—' if new in (None, '') else new}"))
    old_ref, new_ref = (before.get("ref_start"), before.get("ref_end")), (after.get("ref_start"), after.get("ref_end"))
    if old_ref != new_ref and ("ref_start" in before or "ref_start" in after):
        changes.append(Change("changed", "Reference interval", f"{interval(*old_ref)} → {interval(*new_ref)}"))
    if "final_start" in after and after.get("final_start") is not None and before.get("final_start") is None:
        changes.append(Change("changed", "Final interval", interval(after.get("final_start"), after.get("final_end"))))
    old_clusters = {c.get("name") for c in before.get("clusters") or []}
    new_clusters = {c.get("name") for c in after.get("clusters") or []}
    changes += [Change("added", f"cluster {name!r}") for name in sorted(new_clusters - old_clusters, key=str)]
    changes += [Change("removed", f"cluster {name!r}") for name in sorted(old_clusters - new_clusters, key=str)]
    changes += _clue_changes(before.get("clues") or [], after.get("clues") or [])
    if "claimed_by" in before or "claimed_by" in after:
        changes.append(Change("changed", "Held by", f"{before.get('claimed_by') or '—'} → {after.get('claimed_by')}"))
    return changes
