"""One rounding rule for the CG-AV-Counting release: object timestamps to 6 decimals, boxes min/max to 1 decimal,
as benchmark/formats/cgav.py's docstring says; after rounding, int(timestamp * fps) still gives the annotated
frame for every clue (the exporter gets the mid-frame time (i + 0.5) / fps from annotation.counting.clues)."""

import json
import random

from benchmark.formats import cgav

FPS = [23.976023976023978, 24000 / 1001, 24.0, 25.0, 29.97002997002997, 30000 / 1001, 30.0, 48.0, 50.0,
       59.94005994005994, 60000 / 1001, 60.0, 90.0, 100.0, 119.88, 120.0, 144.0, 240.0, 12.5, 7.5, 1.0]


def item(clue, category="object"):
    return cgav.build_item(index=0, video="v.mp4", question="How many?", answer=len(clue), type="V",
                           category=category, query_interval=[0.0, 10.0], clue=clue)


def test_timestamps_keep_the_frame_index_for_many_rates_and_indices():
    rng = random.Random(5)
    for fps in FPS:
        indices = list(range(0, 5000)) + [rng.randrange(0, int(fps * 6 * 3600)) for _ in range(3000)]
        clue = [{"timestamp": (i + 0.5) / fps, "bbox": [1, 2, 30, 40]} for i in indices]
        written = item(clue)["clue"]
        back = sorted(int(c["timestamp"] * fps) for c in written)
        assert back == sorted(indices), fps
        assert all(c["timestamp"] == round(c["timestamp"], 6) for c in written)
        # and after the JSON the release is written as
        assert sorted(int(c["timestamp"] * fps) for c in json.loads(cgav.dump([item(clue)]))[0]["clue"]) == back


def test_full_precision_is_not_written():
    written = item([{"timestamp": 0.5 / 29.97002997002997, "bbox": [180.123, 280.06, 100.04, 200.0]}])["clue"][0]
    assert written == {"timestamp": 0.016683, "bbox": [100.0, 200.0, 180.1, 280.1]}
    cluster = item([[{"timestamp": 1.5 / 30, "bbox": [10.26, 0, 5, 5]}]], "attribute")["clue"][0][0]
    assert cluster == {"timestamp": 0.05, "bbox": [5.0, 0.0, 10.3, 5.0]}
    assert b'0.016683333333333335' not in cgav.dump([item([{"timestamp": 0.5 / 29.97002997002997,
                                                             "bbox": [1, 2, 3, 4]}])])
