"""R-AVST avst-zero profile (benchmark.metrics.avst_zero).

The pinned rewards were produced by running ``spatial_temporal_reward`` of zhlllau/R-AVST
AVST-Zero/src/open_r1/grpo.py at f3171074ba1bfe6e29060fe0c5bf0611df75bf16 outside the project (its reward
classes and functions taken out of the module with ``ast``, as the module itself needs torch, trl and
transformers), with names normalised only (``object_mapping_context`` None), on exactly the cases built below
from the published test split.
"""

import json
import re

import numpy as np
import pytest

from benchmark.formats import ravst
from benchmark.metrics import avst_zero
from tests.integration.test_evaluate import PUBLISHED

PINNED = [
    0.6153846153846155, 0.23076923076923078, 0.9766899766899767, 0.9533799533799534, 0.9743589743589743,
    0.9487179487179487, 0.8717948717948717, 0.7435897435897437, 0.9722222222222222, 0.9444444444444444,
    0.9814814814814815, 0.9629629629629629, 0.8680536459530854, 0.8275423393143196, 0.8462470019133856,
    0.6995859086890746, 0.6887764061118993, 0.9227067045267401, 0.9929577464788731, 0.9859154929577463,
    0.9929577464788732, 0.9859154929577465, 0.9235399533884033, 0.96618478533061, 0.8887700399138143,
    0.7775400798276284, 0.7143757703113673, 0.8133364917940504, 0.7990703207124552, 0.619244126940514,
    0.6693238334273584, 0.6233413481511407, 0.9698585400081428, 0.9397170800162857, 0.4899598393574297,
    0.6486321733921551,
]


def perturb(solution: str, k: int) -> str:
    """The truth answer with its <when> moved, boxes shifted, seconds moved by 0.5 (k odd) and "The " names."""
    s = re.sub(r"<when>\[([\d.]+), ([\d.]+)\]",
               lambda m: f"<when>[{float(m.group(1)) + 0.7 * k}, {float(m.group(2)) - 0.3 * k}]", solution)
    s = re.sub(r"(\d+\.\d): \[([\d.]+), ", lambda m: f"{float(m.group(1)) + 0.5 * (k % 2)}: [{float(m.group(2)) + 9 * k}, ", s)
    return s.replace("<object>", "<object>The " if k == 1 else "<object>")


def cases():
    answers: dict = {}
    for _, _, task, _, qa in ravst.iter_questions(ravst.load(PUBLISHED)):
        answers.setdefault(task, []).append(qa.raw_answer)
    return [(task, sol, perturb(sol, k)) for task in ("AVTR", "AVSR", "AVSTR") for sol in answers[task][3:9]
            for k in (1, 2)]


def test_rewards_equal_the_authors_reward_functions():
    got = [avst_zero.score_question(task, sol, pred, avst_zero.normalise).reward for task, sol, pred in cases()]
    assert got == PINNED


def test_empty_answers_score_zero():
    for task, sol, _ in cases()[::4]:
        assert avst_zero.score_question(task, sol, None, avst_zero.normalise).reward == 0.0


def test_a_bad_escape_fails_the_question():
    # the authors' codecs.decode(..., "unicode_escape") raises here and stops the reward
    item = avst_zero.score_question("AVTR", cases()[0][1], "<when>[3, 1]</when> \\x", avst_zero.normalise)
    assert item.status == "failed" and item.reward == 0.0 and "unicode_escape" in item.note


def test_word_vectors_map_names_to_the_truth_vocabulary(tmp_path):
    # man = (1, 0, 0); guy = (0.8, 0.6, 0): cosine 0.8 >= 0.75; dog = (0, 0, 1): cosine 0 with everything
    path = tmp_path / "vectors.txt"
    path.write_text("3 3\nman 1 0 0\nguy 0.8 0.6 0\ndog 0 0 1\n")
    vectors, size = avst_zero.load_word_vectors(path)
    mapper = avst_zero.VocabularyMap(avst_zero.WordVectorMapper(vectors, size), ["man"])
    assert mapper("The guy") == "man" and mapper("dog") == "dog" and mapper("a cat") == "cat"
    binary = tmp_path / "vectors.bin"
    binary.write_bytes(b"2 3\n" + b"man " + np.array([1, 0, 0], "<f4").tobytes() + b"\n"
                       + b"guy " + np.array([0.8, 0.6, 0], "<f4").tobytes() + b"\n")
    vectors, size = avst_zero.load_word_vectors(binary)
    assert size == 3 and vectors["guy"].tolist() == pytest.approx([0.8, 0.6, 0])


def test_score_over_the_published_split_with_its_own_answers():
    """The authors' rewards do not give the truth 1 against itself on AVSR and AVSTR ([0, 0, 0, 0] boxes have no
    area: IoU 0). Means of spatial_temporal_reward over the 1,638 questions, each answered with its own truth,
    run as above."""
    from benchmark.metrics.ravst import load_predictions

    truth = ravst.load(PUBLISHED)
    lines = [json.dumps({"video_name": v, "event_num": e, "task": t, "qa_index": i, "prediction": qa.raw_answer})
             for v, e, t, i, qa in ravst.iter_questions(truth)]
    rep = avst_zero.score(truth, load_predictions(lines, truth))
    pinned = {"AVTR": (666, 1.0), "AVSR": (666, 0.9606430371955774), "AVSTR": (306, 0.9607814421044019)}
    for task, (n, reward) in pinned.items():
        assert rep.metrics[task]["n"] == n and rep.metrics[task]["n_missing"] == 0
        assert rep.metrics[task]["reward"] == pytest.approx(reward, rel=1e-12)
