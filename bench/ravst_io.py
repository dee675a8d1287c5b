"""Time reading, writing and scoring the published R-AVST test split (pure Python, no Django).

Run: .venv/bin/python bench/ravst_io.py [--file tests/fixtures/r-avst/xml_test_QA.json] [--rounds 5]
     [--no-embeddings]

Measures, best and median of the rounds:
  * load (JSON + strict parsing of every answer) and dump (answers regenerated + json.dumps), and whether
    the dump is byte-identical to the file;
  * load_predictions of a JSON Lines file with one prediction per question;
  * score with perfect predictions (each truth answer fed back), and with perturbed ones (fixed seed):
    shifted <when>, jittered and integer boxes, dropped seconds, reworded object names, 5% missing and
    5% garbage answers; with normalised-name matching only, then with the default embedding matcher
    (the model's one-off load is timed separately, then the scoring with embeddings cached).
The Django import / export targets for the whole file are 30 s / 10 s; this is the pure-Python share.
Prints figures; it passes or fails nothing.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmark.formats import ravst as R  # noqa: E402
from benchmark.metrics import ravst as M  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "fixtures" / "r-avst" / "xml_test_QA.json"

REWORDINGS = {
    "A man": "the guy", "A person": "human", "A woman": "lady", "Baby": "infant", "People": "crowd",
    "Car": "automobile", "Cars": "automobiles", "Helicopter": "chopper", "Trees": "tree",
}


def timed(fn, rounds):
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, min(times), statistics.median(times)


def perturb(videos, seed=7):
    rng = random.Random(seed)
    out = []
    for v, e, t, i, qa in R.iter_questions(videos):
        roll = rng.random()
        if roll < 0.05:
            continue  # missing
        if roll < 0.10:
            text = "I am not sure what is happening in this video."
        else:
            lines = ["Let me think. <answer>"]
            for obj in qa.answer.objects:
                name = REWORDINGS.get(obj.name, obj.name) if rng.random() < 0.5 else obj.name
                lines.append(f"<object> {name} </object>")
                if obj.when is not None:
                    s, en = obj.when
                    d = rng.uniform(-2, 2)
                    lines.append(f"<when>[{max(0.0, s + d):.1f}, {en + d + rng.uniform(-1, 1):.1f}]</when>")
                if obj.where is not None:
                    lines.append("<where>")
                    for tt, (x1, y1, x2, y2) in obj.where:
                        if rng.random() < 0.1:
                            continue
                        j = [rng.uniform(-15, 15) for _ in range(4)]
                        lines.append(f"{round(tt)} : [{round(x1 + j[0])}, {round(y1 + j[1])}, {round(x2 + j[2])}, {round(y2 + j[3])}]")
                    lines.append("</where>")
            text = "\n".join(lines)  # no closing </answer>
        out.append(M.Prediction(v, e, t, i, text))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-embeddings", action="store_true")
    args = ap.parse_args()

    raw = args.file.read_bytes()
    print(f"file: {args.file} ({len(raw) / 1e6:.2f} MB)")
    videos, best, med = timed(lambda: R.load(raw), args.rounds)
    questions = list(R.iter_questions(videos))
    boxes = sum(len(o.where or ()) for *_, qa in questions for o in qa.answer.objects)
    print(f"  {len(videos)} videos, {len(questions)} questions, {boxes} boxes")
    print(f"load                      best {best:6.3f} s   median {med:6.3f} s")
    text, best, med = timed(lambda: R.dump(videos), args.rounds)
    print(f"dump                      best {best:6.3f} s   median {med:6.3f} s   byte-identical: {text.encode() == raw}")

    perfect = [M.Prediction(v, e, t, i, qa.raw_answer) for v, e, t, i, qa in questions]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.jsonl"
        path.write_text("".join(json.dumps({"video_name": p.video_name, "event_num": p.event_num, "task": p.task,
                                            "qa_index": p.qa_index, "prediction": p.prediction}) + "\n" for p in perfect))
        _, best, med = timed(lambda: M.load_predictions(path, videos), args.rounds)
    print(f"load_predictions (perfect) best {best:6.3f} s   median {med:6.3f} s")

    report, best, med = timed(lambda: M.score(videos, perfect, name_matcher="exact"), args.rounds)
    print(f"score perfect             best {best:6.3f} s   median {med:6.3f} s")
    print("   ", json.dumps(report.metrics))

    noisy = perturb(videos)
    report, best, med = timed(lambda: M.score(videos, noisy, name_matcher="exact"), args.rounds)
    print(f"score perturbed, exact    best {best:6.3f} s   median {med:6.3f} s")
    print("   ", json.dumps({t: {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}
                             for t, m in report.metrics.items()}))

    if not args.no_embeddings:
        matcher = M.EmbeddingNameMatcher()
        start = time.perf_counter()
        matcher.prepare(["warm-up"])
        print(f"embedding model load      {time.perf_counter() - start:6.3f} s (once per process)")
        start = time.perf_counter()
        report = M.score(videos, noisy, name_matcher=matcher)
        print(f"score perturbed, embeddings (cold cache) {time.perf_counter() - start:6.3f} s")
        report, best, med = timed(lambda: M.score(videos, noisy, name_matcher=matcher), args.rounds)
        print(f"score perturbed, embeddings (warm cache) best {best:6.3f} s   median {med:6.3f} s")
        print("   ", json.dumps({t: {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}
                                 for t, m in report.metrics.items()}))


if __name__ == "__main__":
    main()
