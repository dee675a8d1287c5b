"""The event proposal engine (pipeline/assist) on generated audio with known answers: beeps of random times,
lengths (0.15-0.8 s) and pitches over pink noise at 20 dB SNR; the audio of a real rendered video read through PyAV;
and CLAP scoring with a tiny random-initialised model saved to a folder and loaded through the production path."""

import numpy as np
import pytest

from pipeline.assist import events, synthetic as gen
from pipeline.assist.audio import NoAudio, read_audio
from pipeline.assist.propose import propose_events
from pipeline.media import synthetic

RATE = 16000


def _score(seeds, *, duration=60.0, snr_db=20.0):
    hits = truths = found = 0
    for seed in seeds:
        tones = gen.random_tones(seed, duration)
        x = gen.render_tones(tones, duration, sample_rate=RATE, snr_db=snr_db, seed=seed)
        proposed = events.detect_events(x, RATE)
        truth = [(t.start, t.end) for t in tones]
        hits += events.match([(e.start, e.end) for e in proposed], truth)
        truths += len(truth)
        found += len(proposed)
    return hits / truths, hits / max(found, 1), truths


def test_recall_and_precision_on_beeps_over_pink_noise():
    recall, precision, truths = _score(range(100, 110))
    assert truths >= 140
    assert recall >= 0.95 and precision >= 0.9, (recall, precision)


def test_louder_noise_still_finds_the_tones():
    recall, precision, _ = _score(range(200, 203), snr_db=5.0)
    assert recall >= 0.9 and precision >= 0.9, (recall, precision)


def test_noise_alone_and_silence_give_nothing():
    rng = np.random.default_rng(3)
    assert events.detect_events(gen.pink_noise(RATE * 20, rng) * 0.05, RATE) == []
    assert events.detect_events(np.zeros(RATE * 5, dtype=np.float32), RATE) == []


def test_a_broadband_burst_is_an_event_too():
    rng = np.random.default_rng(4)
    x = gen.pink_noise(RATE * 10, rng) * 0.01
    x[RATE * 4:int(RATE * 4.3)] += rng.standard_normal(int(RATE * 0.3)).astype(np.float32) * 0.2
    found = events.detect_events(x, RATE)
    assert len(found) == 1 and events.iou((found[0].start, found[0].end), (4.0, 4.3)) >= 0.5


def test_events_are_clipped_to_the_interval_and_placed_on_the_timeline():
    tones = [gen.Tone(1.0, 0.4, 600.0), gen.Tone(3.0, 0.5, 900.0), gen.Tone(5.9, 0.4, 1200.0)]
    x = gen.render_tones(tones, 8.0, sample_rate=RATE, seed=1)
    found = events.detect_events(x, RATE, offset=10.0, start=12.0, end=16.0)
    assert [(round(e.start, 1), round(e.end, 1)) for e in found] == [(13.0, 13.5), (15.9, 16.0)]
    assert all(0.0 <= e.score <= 1.0 for e in found)
    # A louder event scores higher.
    quiet = events.detect_events(gen.render_tones(tones[:1], 4.0, snr_db=6.0, seed=2), RATE)
    loud = events.detect_events(gen.render_tones(tones[:1], 4.0, snr_db=25.0, seed=2), RATE)
    assert quiet[0].score < loud[0].score


def test_an_event_clipped_at_an_interval_end_between_milliseconds_stays_inside_it():
    # A video of 4.0106 s (probed lengths are rarely whole milliseconds), the interval drawn to its very end, and a
    # sound that lasts to the end: the event ends at 4.010, not at 4.011 (after the video), and starts inside too.
    duration = 4.0106
    x = gen.render_tones([gen.Tone(3.6, 1.0, 1000.0)], 5.0, sample_rate=RATE, seed=3)[: int(duration * RATE)]
    found = events.detect_events(x, RATE, start=3.7003, end=duration)
    assert found and found[-1].end == 4.010 and found[0].start == 3.701
    assert all(3.7003 <= e.start < e.end <= duration for e in found)


def test_iou_and_matching():
    assert events.iou((0, 1), (0.5, 1.5)) == pytest.approx(1 / 3)
    assert events.match([(0, 1), (0.1, 1.0), (5, 6)], [(0, 1), (2, 3)]) == 1


@pytest.fixture(scope="module")
def beeps_video(tmp_path_factory):
    spec = synthetic.SyntheticSpec(
        duration=12.0, width=160, height=90, fps=10,
        beeps=(synthetic.Beep(1.0, 0.3, 500.0), synthetic.Beep(4.2, 0.6, 1500.0), synthetic.Beep(7.5, 0.2, 3000.0),
               synthetic.Beep(10.0, 0.5, 800.0)),
    )
    path = tmp_path_factory.mktemp("assist") / "beeps.mp4"
    synthetic.render(spec, path)
    silent = path.with_name("silent.mp4")
    synthetic.render(synthetic.SyntheticSpec(duration=2.0, width=160, height=90, fps=10, audio=False), silent)
    return path, silent, spec


def test_reading_an_interval_of_a_videos_audio(beeps_video):
    path, silent, spec = beeps_video
    whole = read_audio(path, 0.0, 12.0)
    part = read_audio(path, 4.0, 8.0)
    assert len(part) == 4 * RATE
    # The same samples as the whole read, to within a millisecond (the decoder restarts after the seek).
    a = whole[4 * RATE:8 * RATE]
    corr = max(np.corrcoef(a[2000 + lag:-2000 + lag], part[2000:-2000])[0, 1] for lag in range(-16, 17))
    assert corr > 0.99
    with pytest.raises(NoAudio):
        read_audio(silent, 0.0, 1.0)


def test_proposals_from_a_rendered_video_inside_its_reference_interval(beeps_video):
    path, _, spec = beeps_video
    result = propose_events(path, start=3.0, end=9.0, duration=spec.duration)
    assert result.model == events.ENGINE and result.model_version
    truth = [(b.start, b.end) for b in spec.beeps if 3.0 <= b.start < 9.0]
    assert len(result.events) == 2
    assert events.match([(e.start, e.end) for e in result.events], truth) == 2


@pytest.fixture(scope="module")
def clap_folder(tmp_path_factory):
    import torch

    torch.set_num_threads(1)
    from tests.clap_models import save_clap

    return save_clap(tmp_path_factory.mktemp("clap") / "clap-tiny")


def test_clap_scores_candidates_and_drops_weak_matches(beeps_video, clap_folder):
    from pipeline.assist.clap import ClapScorer

    path, _, spec = beeps_video
    scorer = ClapScorer.load(clap_folder)
    assert scorer.name == "clap:clap-tiny" and len(scorer.version) == 12
    everything = propose_events(path, start=0.0, end=12.0, duration=12.0, text="How many beeps?", scorer=scorer,
                                min_score=0.0)
    assert everything.model == "clap:clap-tiny" and everything.candidates == 4 and len(everything.events) == 4
    # The scores are the model's: the cosine similarity of each clip's embedding with the text's, mapped to [0, 1].
    clips = [read_audio(path, e.start, e.end) for e in everything.events]
    direct = scorer.scores(clips, RATE, "How many beeps?")
    assert [e.score for e in everything.events] == pytest.approx(direct, abs=2e-3)
    middle = sorted(direct)[1] + 1e-4
    some = propose_events(path, start=0.0, end=12.0, duration=12.0, text="How many beeps?", scorer=scorer,
                          min_score=middle)
    assert some.candidates == 4 and len(some.events) == sum(s >= middle for s in direct)
    none = propose_events(path, start=0.0, end=12.0, duration=12.0, text="How many beeps?", scorer=scorer,
                          min_score=1.01)
    assert none.events == []


def test_a_folder_without_a_model_is_refused(tmp_path):
    from pipeline.assist.clap import ClapScorer, ClapUnavailable

    with pytest.raises(ClapUnavailable, match="CLUEBENCH_ASSIST_CLAP_PATH"):
        ClapScorer.load(tmp_path)
