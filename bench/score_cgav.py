"""Time benchmark.metrics.cgav.score() on a synthetic truth set the size of CG-AV-Counting.

Run from the repository root:  .venv/bin/python bench/score_cgav.py [--seed N]

Makes 1,027 items with 5,845 clues (events, objects with several boxes per
frame, attribute clusters; seeded), predictions for the three task modes
(exact, off, number words, unparsable, empty or missing answers; intervals and
boxes jittered, reordered corners, two-point boxes, answers inside <answer>
tags or prose), then prints the best of 3 timings of score() in both modes.
Last, it swaps in a naive greedy matcher written the way VLMEvalKit's
greedy_matching is (rescan every free pair, recomputing each IoU, for every
match) and checks that every number comes out identical, with the speedup,
on the whole set and on single crowded frames (10, 40 and 80 boxes).
Target: score() <= 2 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmark.metrics import cgav  # noqa: E402

N_ITEMS = 1027
N_CLUES = 5845
WIDTH, HEIGHT = 1280, 720


def make_truth(rng: random.Random) -> list[dict]:
    cats = rng.choices(["event", "object", "attribute"], weights=[45, 35, 20], k=N_ITEMS)
    # skewed counts: most small, some crowds (mean about 5.7)
    counts = [max(1, min(60, int(rng.expovariate(1 / 5.2)) + 1)) for _ in range(N_ITEMS)]
    while sum(counts) != N_CLUES:
        i = rng.randrange(N_ITEMS)
        if sum(counts) < N_CLUES and counts[i] < 60:
            counts[i] += 1
        elif sum(counts) > N_CLUES and counts[i] > 1:
            counts[i] -= 1
    truth = []
    for i, (cat, n) in enumerate(zip(cats, counts)):
        qs = rng.uniform(0, 600)
        qe = qs + rng.uniform(20, 300)
        if cat == "event":
            starts = sorted(rng.uniform(qs, qe - 3) for _ in range(n))
            clue = [{"start": round(s, 2), "end": round(s + rng.uniform(0.3, 3), 2)} for s in starts]
        else:
            n_frames = max(1, round(n / rng.uniform(1.5, 4)))
            stamps = [round((int(rng.uniform(qs, qe) * 30) + 0.5) / 30, 4) for _ in range(n_frames)]
            boxes = []
            for _ in range(n):
                w, h = rng.uniform(30, 250), rng.uniform(30, 250)
                x, y = rng.uniform(0, WIDTH - w), rng.uniform(0, HEIGHT - h)
                bbox = [round(x), round(y), round(x + w), round(y + h)]
                boxes.append({"timestamp": rng.choice(stamps), "bbox": bbox})
            if cat == "object":
                clue = boxes
            else:
                k = min(n, rng.randint(2, 5))
                clue = [boxes[j::k] for j in range(k)]
        truth.append({"index": i, "video": f"synthetic_{i // 3:04d}.mp4", "question": "How many?",
                      "question_en": "How many?", "answer": n, "type": rng.choice(["V", "A", "V2A", "A2V", "AV"]),
                      "category": cat, "query_interval": [round(qs, 2), round(qe, 2)], "clue": clue})
    return truth


WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def count_answer(rng: random.Random, n: int) -> str | None:
    r = rng.random()
    if r < 0.40:
        return str(n)
    if r < 0.65:
        return str(max(0, n + rng.choice([-3, -2, -1, 1, 2, 4])))
    if r < 0.75:
        return WORDS[n] if n < len(WORDS) else f"twenty-{WORDS[max(1, n % 10)]}"
    if r < 0.85:
        return rng.choice([f"There are {n} of them.", f"{n}\n", "I cannot tell.", f"<answer>{n}</answer>"])
    if r < 0.90:
        return str(n * 3 + 150)
    if r < 0.95:
        return ""
    return None


def mmss(t: float) -> str:
    m, s = divmod(t, 60)
    return f"{int(m):02d}:{s:05.2f}"


def wrap(rng: random.Random, payload) -> str:
    text = json.dumps(payload)
    r = rng.random()
    if r < 0.6:
        return f"<answer>{text}</answer>"
    if r < 0.85:
        return f"Here is my answer: {text} (boxes in pixels)."
    return text


def jitter(rng: random.Random, box: list, px: float) -> list:
    b = [round(v + rng.uniform(-px, px)) for v in box]
    if rng.random() < 0.05:
        b = [b[2], b[3], b[0], b[1]]
    return b


def clue_answer(rng: random.Random, item: dict) -> str | None:
    r = rng.random()
    if r < 0.05:
        return rng.choice(["", None, "I am not sure.", "[[1, 2], [3"])
    exact = r < 0.25
    clue, cat = item["clue"], item["category"]
    if cat == "event":
        out = []
        for e in clue:
            if not exact and rng.random() < 0.15:
                continue
            d = 0 if exact else 1.0
            s, t = e["start"] + rng.uniform(-d, d), e["end"] + rng.uniform(-d, d)
            out.append([mmss(s), mmss(t)] if rng.random() < 0.3 else [round(s, 2), round(t, 2)])
        for _ in range(0 if exact else rng.choice([0, 0, 1, 2])):
            s = rng.uniform(*item["query_interval"])
            out.append([round(s, 2), round(s + 1.5, 2)])
        return wrap(rng, out)
    flat = clue if cat == "object" else [c for cluster in clue for c in cluster]
    frames: dict = {}
    for c in flat:
        frames.setdefault(c["timestamp"], len(frames))
    if cat == "object":
        j: dict = {f"Frame{k + 1}": [] for k in range(len(frames))}
        for c in clue:
            if not exact and rng.random() < 0.15:
                continue
            j[f"Frame{frames[c['timestamp']] + 1}"].append(jitter(rng, c["bbox"], 0 if exact else 12))
        if not exact and rng.random() < 0.3:
            j["Frame1"].append(jitter(rng, [100, 100, 200, 200], 50))
        for key, boxes in j.items():
            if boxes and rng.random() < 0.1:  # two-point form
                j[key] = [p for b in boxes for p in ([b[0], b[1]], [b[2], b[3]])]
        return wrap(rng, j)
    j = {f"Frame {k + 1}": [] for k in range(len(frames))}
    for ci, cluster in enumerate(clue):
        for c in cluster:
            if not exact and rng.random() < 0.15:
                continue
            label = f"group {ci if exact or rng.random() < 0.85 else (ci + 1) % len(clue)}"
            key = "bbox_2d" if rng.random() < 0.3 else "bbox"
            j[f"Frame {frames[c['timestamp']] + 1}"].append({key: jitter(rng, c["bbox"], 0 if exact else 12),
                                                             "label": label})
    return wrap(rng, j)


def make_predictions(rng: random.Random, truth: list[dict]) -> list[dict]:
    out = []
    for mode in ("long_acc", "ref_acc", "clue_acc"):
        for i, item in enumerate(truth):
            p = clue_answer(rng, item) if mode == "clue_acc" else count_answer(rng, item["answer"])
            if p is None and rng.random() < 0.5:
                continue  # no line at all
            out.append({"index": i, "task_mode": mode, "prediction": p})
    return out


# ---- naive greedy matching, the way VLMEvalKit's greedy_matching does it ----

def naive_greedy_matching(gt_instances, pred_instances, iou_func):
    unmatched_gt = set(range(len(gt_instances)))
    unmatched_pred = set(range(len(pred_instances)))
    matches = []
    while unmatched_gt and unmatched_pred:
        max_iou = -1
        best_match = None
        for gt_idx in unmatched_gt:
            for pred_idx in unmatched_pred:
                iou = iou_func(gt_instances[gt_idx], pred_instances[pred_idx])
                if iou > max_iou:
                    max_iou = iou
                    best_match = (gt_idx, pred_idx)
        if best_match is None:
            raise cgav._Timeout
        gt_idx, pred_idx = best_match
        matches.append((gt_idx, pred_idx))
        unmatched_gt.remove(gt_idx)
        unmatched_pred.remove(pred_idx)
    return matches


def naive_cluster_pair_siou(gt, pred, siou=None):
    gt_by_f, pred_by_f = defaultdict(list), defaultdict(list)
    for f, box in gt:
        gt_by_f[f].append(box)
    for f, box in pred:
        pred_by_f[f].append(box)
    all_f = set(gt_by_f) | set(pred_by_f)
    wcs = 0.0
    for f in all_f:
        gt_f, pred_f = gt_by_f.get(f, []), pred_by_f.get(f, [])
        matches = naive_greedy_matching(gt_f, pred_f, cgav.compute_siou)
        loc_sum = sum([cgav.compute_siou(gt_f[i], pred_f[j]) for i, j in matches])
        loc_acc = loc_sum / len(gt_f) if gt_f else 0.0
        count_penalty = 1.0 - abs(len(pred_f) - len(gt_f)) / max(len(gt_f), 1)
        wcs += math.sqrt(loc_acc * max(0, count_penalty))
    return wcs / max(len(all_f), 1)


def crowd_stress(rng: random.Random) -> None:
    """One frame with n gt boxes and n jittered, shuffled predictions: the matching alone."""
    for n in (10, 40, 80):
        gt = []
        for _ in range(n):
            w, h = rng.uniform(20, 80), rng.uniform(20, 80)
            x, y = rng.uniform(0, WIDTH - w), rng.uniform(0, HEIGHT - h)
            gt.append([round(x), round(y), round(x + w), round(y + h)])
        pred = [jitter(rng, b, 15) for b in gt]
        rng.shuffle(pred)
        t_naive, naive = best_of(3, lambda: naive_greedy_matching(gt, pred, cgav.compute_siou))
        t_fast, fast = best_of(3, lambda: cgav.greedy_match([[cgav.compute_siou(g, p) for p in pred] for g in gt]))
        ok = naive == [(g, p) for g, p, _ in fast]
        print(f"  one frame, {n} x {n} boxes: naive {t_naive * 1e3:.1f} ms, sorted {t_fast * 1e3:.2f} ms "
              f"({t_naive / t_fast:.0f}x), same matches in the same order: {ok}")
        if not ok:
            raise SystemExit("naive and sorted greedy matching disagree")


def best_of(n, fn):
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1027)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    truth = make_truth(rng)
    predictions = make_predictions(rng, truth)
    n_clues = sum(len(t["clue"]) if t["category"] != "attribute" else sum(len(c) for c in t["clue"]) for t in truth)
    by_cat = defaultdict(int)
    for t in truth:
        by_cat[t["category"]] += 1
    print(f"items {len(truth)} ({', '.join(f'{k} {v}' for k, v in sorted(by_cat.items()))}), clues {n_clues}, "
          f"prediction lines {len(predictions)}")

    t_default, rep = best_of(3, lambda: cgav.score(truth, predictions))
    t_compat, rep_c = best_of(3, lambda: cgav.score(truth, predictions, vlmevalkit_compat=True))
    print(f"score() default mode: {t_default:.3f} s (best of 3)")
    print(f"score() vlmevalkit_compat: {t_compat:.3f} s (best of 3)")
    for key in ("long_acc/acc", "long_acc/oboa", "long_acc/mae", "long_acc/rmse", "ref_acc/acc", "ref_acc/mae",
                "clue_acc/wcs", "clue_acc/ifa"):
        print(f"  {key:<16} default {rep.metrics[key]:.4f}   compat {rep_c.metrics[key]:.4f}")

    fast_pair = cgav._cluster_pair_siou
    cgav._cluster_pair_siou = naive_cluster_pair_siou
    try:
        t_naive, rep_n = best_of(1, lambda: cgav.score(truth, predictions))
    finally:
        cgav._cluster_pair_siou = fast_pair
    identical = rep.metrics.keys() == rep_n.metrics.keys() and all(
        same(rep.metrics[k], rep_n.metrics[k]) for k in rep.metrics) and all(
        same(a.wcs, b.wcs) and a.ifa == b.ifa for a, b in zip(rep.items, rep_n.items))
    print(f"naive rescanning greedy: {t_naive:.3f} s; every metric and item identical: {identical}; "
          f"speedup of score() {t_naive / t_default:.1f}x")
    if not identical:
        raise SystemExit("naive and sorted greedy matching disagree")
    print("crowded frames (matching alone, IoUs included, best of 3):")
    crowd_stress(rng)


if __name__ == "__main__":
    main()
