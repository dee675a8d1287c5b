"""Event clue proposals for one question: candidate sound events inside its reference interval, read from the
proxy's audio, optionally scored by CLAP against the sound the question names (weak matches dropped).

Plain Python: no Django. ``propose_events`` is what the counting app's task and ``propose_clues`` call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Union

from pipeline.assist.audio import SAMPLE_RATE, read_audio
from pipeline.assist.clap import ClapScorer
from pipeline.assist.events import ENGINE, ENGINE_VERSION, EventParams, SoundEvent, detect_events

# Seconds of audio read on each side of the interval, so the noise floor is known at its edges.
CONTEXT = 2.0


@dataclass(frozen=True)
class EventProposals:
    events: list[SoundEvent]
    model: str
    model_version: str
    candidates: int  # acoustic candidates before CLAP dropped weak matches


def propose_events(path: Union[str, os.PathLike], *, start: float, end: float, duration: float | None = None,
                   text: str = "", scorer: ClapScorer | None = None, min_score: float = 0.5,
                   params: EventParams = EventParams()) -> EventProposals:
    """Candidate events of ``path``'s audio in ``[start, end]``. With ``scorer``, each is scored against ``text``
    and those under ``min_score`` are dropped; without, the score is the acoustic one."""
    lo = max(0.0, start - CONTEXT)
    hi = end + CONTEXT if duration is None else min(duration, end + CONTEXT)
    hi = max(hi, end)
    samples = read_audio(path, lo, hi, sample_rate=SAMPLE_RATE)
    found = detect_events(samples, SAMPLE_RATE, offset=lo, start=start, end=end, params=params)
    version = f"{ENGINE_VERSION}"
    if scorer is None:
        return EventProposals(found, ENGINE, version, len(found))
    clips = [samples[int((e.start - lo) * SAMPLE_RATE):int((e.end - lo) * SAMPLE_RATE)] for e in found]
    scores = scorer.scores(clips, SAMPLE_RATE, text)
    kept = [SoundEvent(e.start, e.end, round(s, 4), e.peak_db) for e, s in zip(found, scores) if s >= min_score]
    return EventProposals(kept, scorer.name, f"{scorer.version}+{ENGINE}-{version}", len(found))
