"""An event's recorded changes in words: objects added, removed, renamed or flipped, and boxes added, removed,
moved or resized (by how much), from the documents the audit log keeps."""

from __future__ import annotations

from annotation.projects.audit import Change, shift

AUDIBILITY = {"audible": "visible and audible", "visible_only": "visible only"}


def _box_name(obj: dict, box: dict) -> str:
    when = f"{box['t']:.1f} s" if box.get("t") is not None else f"frame {box.get('frame_index')}"
    return f"box of {obj['name']!r} at {when}"


def _box_changes(obj: dict, before: list[dict], after: list[dict]) -> list[Change]:
    old = {b["id"]: b for b in before if b.get("id") is not None}
    new = {b["id"]: b for b in after if b.get("id") is not None}
    changes = [Change("removed", _box_name(obj, b)) for i, b in old.items() if i not in new]
    changes += [Change("added", _box_name(obj, b)) for b in after if b.get("id") not in old]
    for i in sorted(set(old) & set(new)):
        a, b = old[i], new[i]
        if (a["x1"], a["y1"], a["x2"], a["y2"]) == (b["x1"], b["y1"], b["x2"], b["y2"]):
            continue
        same_size = (a["x2"] - a["x1"], a["y2"] - a["y1"]) == (b["x2"] - b["x1"], b["y2"] - b["y1"])
        if same_size:
            changes.append(Change("moved", _box_name(obj, a), f"by {shift(b['x1'] - a['x1'], b['y1'] - a['y1'])}"))
        else:
            changes.append(Change("resized", _box_name(obj, a),
                                  f"from {a['x2'] - a['x1']:.0f}×{a['y2'] - a['y1']:.0f} to "
                                  f"{b['x2'] - b['x1']:.0f}×{b['y2'] - b['y1']:.0f} px"))
    return changes


def event_changes(before: dict | None, after: dict | None) -> list[Change]:
    before, after = before or {}, after or {}
    changes = []
    if before.get("state") != after.get("state") and after.get("state"):
        changes.append(Change("changed", "State", f"{before.get('state') or '—'} → {after.get('state')}"))
    if after.get("review_comment"):
        changes.append(Change("changed", "Review comment", after["review_comment"]))
    old = {o["id"]: o for o in before.get("objects") or [] if o.get("id") is not None}
    new = {o["id"]: o for o in after.get("objects") or [] if o.get("id") is not None}
    for i, obj in old.items():
        if i not in new:
            changes.append(Change("removed", f"object {obj['name']!r}",
                                  f"with {len(obj.get('boxes') or [])} box(es)"))
    for obj in after.get("objects") or []:
        if obj.get("id") not in old:
            changes.append(Change("added", f"object {obj['name']!r}", AUDIBILITY.get(obj.get("audibility"), "")))
    for i in sorted(set(old) & set(new)):
        a, b = old[i], new[i]
        if a["name"] != b["name"]:
            changes.append(Change("changed", f"object {a['name']!r}", f"renamed {b['name']!r}"))
        if a.get("audibility") != b.get("audibility"):
            changes.append(Change("changed", f"object {b['name']!r}",
                                  f"{AUDIBILITY.get(a.get('audibility'))} → {AUDIBILITY.get(b.get('audibility'))}"))
        changes += _box_changes(b, a.get("boxes") or [], b.get("boxes") or [])
    return changes
