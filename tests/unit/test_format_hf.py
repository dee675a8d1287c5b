"""Tests for benchmark.formats.hf (Parquet + dataset card). No Django; `datasets` tests run offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmark.formats import hf
from benchmark.formats.cgav import attribute_clue, build_item, event_clue, object_clue
from tests.published import RAVST_TEST_SPLIT

RAVST_FILE = RAVST_TEST_SPLIT

RAVST_SAMPLE = [
    {
        "video_name": "zLfhRM6G0OU",
        "duration": 45.1,
        "annotation": [
            {
                "event_num": 1,
                # Keys deliberately not in the row order.
                "AV Spatial Reasoning": [
                    {"Q": "What visible object(s) make sound between 0.0 and 44.4319, and where is/are they?",
                     "A": "<answer>\n<object>A man</object>\n<where>\n0.0: [272.0, 208.0, 393.0, 359.0]\n</where>\n</answer>"},
                    {"Q": "What silent object(s) can be seen between 0.0 and 44.4319, and where is/are they?",
                     "A": "<answer>\n<object>chair</object>\n<where>\n0.0: [0.0, 0.0, 0.0, 0.0]\n</where>\n</answer>"},
                ],
                "AV Temporal Reasoning": [
                    {"Q": "When is the moment trombone makes sound and is visible?",
                     "A": "<answer>\n<object>trombone</object>\n<when>[0.0, 44.4]</when>\n</answer>"},
                ],
            },
            {
                "event_num": 2,
                "AV ST Reasoning": [
                    {"Q": 'When is the moment dog makes sound and is visible, and where is the "dog"?',
                     "A": "<answer>\n<object>dog</object>\n<when>[1.4, 3.0]</when>\n<where>\n1.4: [1.0, 2.0, 3.0, 4.0]\n</where>\n</answer>"},
                ],
            },
        ],
    },
    {"video_name": "ünïcode", "duration": 10.0, "annotation": []},
]


def cgav_items() -> list[dict]:
    return [
        build_item(index=0, video="demo_0001.mp4", question="How many times does the bell ring?", answer=2,
                   type="A", category="event", query_interval=[12.0, 61.499],
                   clue=[event_clue(14.2, 15.0), event_clue(33.9, 34.6)]),
        build_item(index=1, video="demo_0001.mp4", question="How many red balls appear?", answer=1,
                   type="V", category="object", query_interval=[70.0, 95.0],
                   clue=[object_clue(1787, 25.0, [100, 200, 180, 280])]),
        build_item(index=2, video="demo_0002.mp4", question="Combien de couleurs ?", answer=1,
                   type="AV", category="attribute", query_interval=[5.0, 40.0],
                   clue=attribute_clue([[object_clue(179, 30000 / 1001, [10, 20, 110, 300])]])),
    ]


# -- rows ---------------------------------------------------------------------------------------


def test_cgav_rows():
    items = cgav_items()
    rows = hf.cgav_rows(items)
    assert [list(r) for r in rows] == [hf.CGAV_SCHEMA.names] * 3
    assert rows[0]["ref_video"] == "demo_0001_12.00_61.50.mp4"
    assert rows[0]["query_interval"] == [12.0, 61.499]
    for row, item in zip(rows, items):
        assert json.loads(row["clue"]) == item["clue"]
        assert row["question"] == item["question"] and row["answer"] == item["answer"]
    assert rows[2]["clue"] == '[[{"timestamp":5.989317,"bbox":[10.0,20.0,110.0,300.0]}]]'


def test_ravst_rows_order():
    rows = hf.ravst_rows(RAVST_SAMPLE)
    assert [(r["event_num"], r["task"]) for r in rows] == [(1, "AVTR"), (1, "AVSR"), (1, "AVSR"), (2, "AVSTR")]
    assert rows[1]["question"].startswith("What visible") and rows[2]["question"].startswith("What silent")
    assert all(list(r) == hf.RAVST_SCHEMA.names for r in rows)
    assert rows[0]["video_name"] == "zLfhRM6G0OU" and rows[0]["duration"] == 45.1
    with pytest.raises(ValueError, match="video 0"):
        hf.ravst_rows([{"video_name": "x", "duration": 1.0, "annotation": [{"event_num": 1, "AV Bogus": []}]}])


def test_ravst_rows_of_the_public_test_split():
    rows = hf.ravst_rows(json.loads(RAVST_FILE.read_text()))
    assert len(rows) == 1638
    assert {r["task"] for r in rows} == {"AVTR", "AVSR", "AVSTR"}


# -- writing ----------------------------------------------------------------------------------------


def write_cgav(out: Path, **kwargs) -> list[Path]:
    return hf.write_parquet(hf.cgav_rows(cgav_items()), out, name="CG-AV-Counting (demo)",
                            features_doc=hf.CGAV_FEATURES_DOC, **kwargs)


def test_write_is_byte_identical(tmp_path):
    a = write_cgav(tmp_path / "a")
    b = write_cgav(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a").as_posix() for p in a] == ["data/test-00000-of-00001.parquet", "README.md"]
    for pa_, pb in zip(a, b):
        assert pa_.read_bytes() == pb.read_bytes()
    before = [p.read_bytes() for p in a]
    write_cgav(tmp_path / "a")  # re-export over itself
    assert [p.read_bytes() for p in a] == before
    assert sorted(p.name for p in (tmp_path / "a" / "data").iterdir()) == ["test-00000-of-00001.parquet"]
    r1 = hf.write_parquet(hf.ravst_rows(RAVST_SAMPLE), tmp_path / "r1", name="R-AVST", features_doc=hf.RAVST_FEATURES_DOC)
    r2 = hf.write_parquet(hf.ravst_rows(RAVST_SAMPLE), tmp_path / "r2", name="R-AVST", features_doc=hf.RAVST_FEATURES_DOC)
    assert [p.read_bytes() for p in r1] == [p.read_bytes() for p in r2]


def test_parquet_reads_back_with_pyarrow(tmp_path):
    parquet, _ = write_cgav(tmp_path)
    table = pq.read_table(parquet)
    assert table.schema.equals(hf.CGAV_SCHEMA)
    assert table.to_pylist() == hf.cgav_rows(cgav_items())
    parquet, _ = hf.write_parquet(hf.ravst_rows(RAVST_SAMPLE), tmp_path / "r", name="R-AVST",
                                  features_doc=hf.RAVST_FEATURES_DOC, split="validation")
    assert parquet.name == "validation-00000-of-00001.parquet"
    assert pq.read_table(parquet).to_pylist() == hf.ravst_rows(RAVST_SAMPLE)


def test_dataset_card_front_matter(tmp_path):
    yaml = pytest.importorskip("yaml")
    _, readme = write_cgav(tmp_path, license="cc-by-4.0", description="Demo export.",
                           citation="@misc{demo,\n  title = {Demo}\n}")
    text = readme.read_text()
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert meta["license"] == "cc-by-4.0"
    assert meta["pretty_name"] == "CG-AV-Counting (demo)"
    assert meta["configs"] == [{"config_name": "default", "data_files": [{"split": "test", "path": "data/test-*"}]}]
    features = meta["dataset_info"]["features"]
    assert [f["name"] for f in features] == hf.CGAV_SCHEMA.names
    assert {"name": "query_interval", "list": "float64"} in features
    assert {"name": "answer", "dtype": "int64"} in features
    assert "Demo export." in body and "@misc{demo," in body
    for column in hf.CGAV_SCHEMA.names:
        assert f"| `{column}` |" in body
    # Defaults: placeholder license and citation.
    _, readme = write_cgav(tmp_path / "d")
    default = readme.read_text()
    assert "license: other\n" in default and "@misc{TODO," in default and "TODO" in default


def test_loads_with_datasets(tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    out = tmp_path / "export"
    write_cgav(out)
    expected = hf.cgav_rows(cgav_items())

    ds = datasets.load_dataset("parquet", data_dir=str(out / "data"), cache_dir=str(tmp_path / "cache1"))
    assert list(ds) == ["test"]
    assert ds["test"].to_list() == expected

    # The folder as a dataset repository: its card's `configs` and features are used.
    ds = datasets.load_dataset(str(out), split="test", cache_dir=str(tmp_path / "cache2"))
    assert ds.to_list() == expected
    assert ds.features["query_interval"] == datasets.List(datasets.Value("float64"))
    assert ds.features["clue"] == datasets.Value("string")

    out = tmp_path / "ravst"
    hf.write_parquet(hf.ravst_rows(RAVST_SAMPLE), out, name="R-AVST", features_doc=hf.RAVST_FEATURES_DOC)
    ds = datasets.load_dataset(str(out), split="test", cache_dir=str(tmp_path / "cache3"))
    assert ds.to_list() == hf.ravst_rows(RAVST_SAMPLE)


def test_write_errors(tmp_path):
    rows = hf.cgav_rows(cgav_items())
    doc = dict(hf.CGAV_FEATURES_DOC)
    del doc["clue"]
    with pytest.raises(ValueError, match="pass schema="):
        hf.write_parquet(rows, tmp_path, name="x", features_doc=doc)
    with pytest.raises(ValueError, match=r"missing \['clue'\]"):
        hf.write_parquet(rows, tmp_path, name="x", features_doc=doc, schema=hf.CGAV_SCHEMA)
    with pytest.raises(ValueError, match=r"row 1: columns differ .*unexpected \['extra'\]"):
        hf.write_parquet([rows[0], {**rows[1], "extra": 1}], tmp_path, name="x", features_doc=hf.CGAV_FEATURES_DOC)
    with pytest.raises(ValueError, match="do not fit the schema"):
        hf.write_parquet([{**rows[0], "answer": "three"}], tmp_path, name="x", features_doc=hf.CGAV_FEATURES_DOC)
    with pytest.raises(ValueError, match="answer is missing"):
        hf.write_parquet([{**rows[0], "answer": None}], tmp_path, name="x", features_doc=hf.CGAV_FEATURES_DOC)
    with pytest.raises(ValueError, match="license"):
        write_cgav(tmp_path, license="CC BY 4.0")
    with pytest.raises(ValueError, match="split"):
        write_cgav(tmp_path, split="test/../x")
    assert not (tmp_path / "data").exists()  # nothing written by the failed calls


def test_empty_export(tmp_path):
    parquet, readme = hf.write_parquet([], tmp_path, name="empty", features_doc=hf.RAVST_FEATURES_DOC)
    assert pq.read_table(parquet).num_rows == 0
    assert pq.read_table(parquet).schema.equals(hf.RAVST_SCHEMA)
    assert "with 0 rows" in readme.read_text()


def test_formats_and_clips_do_not_import_django():
    code = (
        "import sys\n"
        "import benchmark.formats.cgav, benchmark.formats.hf, pipeline.media.clips\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
