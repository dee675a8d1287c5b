"""The evaluate command: JSON metrics on stdout, clear errors naming the bad line."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from benchmark.formats import ravst
from tests.integration.test_releases import CGAV_ITEMS, PUBLISHED


def lines(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_ravst_perfect_predictions_score_one(tmp_path, capsys):
    rows = [
        {"video_name": name, "event_num": num, "task": task, "qa_index": k, "prediction": qa.raw_answer}
        for name, num, task, k, qa in ravst.iter_questions(ravst.load(PUBLISHED))
    ]
    preds = lines(tmp_path / "p.jsonl", rows)
    call_command("evaluate", "--format", "r-avst", "--truth", str(PUBLISHED), "--predictions", str(preds),
                 "--out", str(tmp_path / "scores.json"))
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["AVTR"]["m_tIoU"] == pytest.approx(1.0) and metrics["AVTR"]["R1@0.7"] == pytest.approx(1.0)
    assert metrics["AVSR"]["obj_acc"] == pytest.approx(1.0) and metrics["AVSTR"]["m_vIoU"] == pytest.approx(1.0)
    saved = json.loads((tmp_path / "scores.json").read_text())
    assert len(saved["items"]) == 1638


def test_bad_prediction_line_is_named(tmp_path):
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps(CGAV_ITEMS))
    preds = tmp_path / "p.jsonl"
    preds.write_text('{"index": 0, "task_mode": "long_acc", "prediction": "3"}\nnot json\n')
    with pytest.raises(CommandError, match=r"p.jsonl:2: not JSON"):
        call_command("evaluate", "--format", "cg-av-counting", "--truth", str(truth), "--predictions", str(preds))
    preds.write_text('{"index": 7, "task_mode": "long_acc", "prediction": "3"}\n')
    with pytest.raises(CommandError, match=r"p.jsonl:1: .*index"):
        call_command("evaluate", "--format", "cg-av-counting", "--truth", str(truth), "--predictions", str(preds))


def test_cgav_black_box_numbers(tmp_path, capsys):
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps(CGAV_ITEMS))
    preds = lines(tmp_path / "p.jsonl", [
        # VLMEvalKit reads a bare number or number words only.
        {"index": 0, "task_mode": "long_acc", "prediction": "three"},  # gt 3: exact
        {"index": 1, "task_mode": "long_acc", "prediction": "3"},  # gt 2: off by one
        {"index": 2, "task_mode": "long_acc", "prediction": "I count 2 colours."},  # gt 2: unparsable -> 0
    ])
    call_command("evaluate", "--format", "cg-av-counting", "--truth", str(truth), "--predictions", str(preds))
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["long_acc/acc"] == pytest.approx(1 / 3)
    assert metrics["long_acc/oboa"] == pytest.approx(2 / 3)
    assert metrics["long_acc/mae"] == pytest.approx((0 + 1 + 2) / 3)
    assert metrics["long_acc/rmse"] == pytest.approx(((0 + 1 + 4) / 3) ** 0.5)
