"""CG-AV-Counting stage 1: an LLM proposes counting questions and query intervals for a video.

Every provider call is an LLMCall row (the key never is). A stage run whose
conversation start (provider, model, prompt version, input hash) already has a
valid answer reuses it: running the stage again makes no provider call.
Proposals are CandidateQuestion rows; they become questions only when a person
accepts them.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.models import Source
from pipeline.jobs.base import JobFailure
from pipeline.jobs.llm import ThrottledProvider, build_provider, llm_status, log_call
from pipeline.jobs.models import LLMCall, LLMOutcome
from pipeline.llm import engine
from pipeline.llm.dedup import Deduplicator
from pipeline.llm.prompts import load_prompt
from pipeline.llm.sampling import media_fingerprint, sample_frames
from pipeline.llm.types import MediaInput
from pipeline.llm.validate import validate_stage1
from pipeline.videos.models import Video, VideoStatus

PROMPT = ("stage1_questions", "v1")
FRAME_MAX_SIDE = 512


class Stage1Failed(JobFailure):
    """Stage 1 could not propose questions for this video; the message says why, for a person."""


@dataclass(frozen=True)
class Stage1Report:
    created: int
    duplicates: int
    cached: bool
    provider_calls: int


def _media(video: Video, *, native_video: bool, frames: bool) -> MediaInput:
    """What the provider is given: the proxy itself (with its sound) for native video, else sampled frames and,
    when enabled, the audio track."""
    root = Path(settings.MEDIA_ROOT)
    proxy = root / video.proxy.name
    separate_audio = not native_video and settings.CLUEBENCH_LLM_SEND_AUDIO and bool(video.audio.name)
    budget = settings.CLUEBENCH_LLM_FRAME_BUDGET
    return MediaInput(
        duration=video.duration,
        fingerprint=media_fingerprint(
            video.sha256, budget=budget, max_side=FRAME_MAX_SIDE,
            with_audio=separate_audio or (native_video and bool(video.has_audio)), native_video=native_video,
        ),
        video_path=proxy if native_video else None,
        audio_path=(root / video.audio.name) if separate_audio else None,
        frames=sample_frames(proxy, budget=budget, max_side=FRAME_MAX_SIDE) if frames and not native_video else (),
    )


def propose_questions(*, video: Video, provider=None, sleep=time.sleep) -> Stage1Report:
    if video.status != VideoStatus.READY:
        raise Stage1Failed(f"the video is not processed yet ({video.get_status_display().lower()})")
    if provider is None:
        status = llm_status(video.project)
        if not status.configured:
            raise Stage1Failed(status.message)
        provider = ThrottledProvider(build_provider(video.project))
        try:
            return propose_questions(video=video, provider=provider, sleep=sleep)
        finally:
            # Gemini keeps uploaded videos for the invalid-answer retry; they are deleted here.
            close = getattr(provider.inner, "close", None)
            if close is not None:
                close()
    prompt = load_prompt(*PROMPT)
    native = provider.name == "gemini"
    # The cache key is that of the conversation's start without the frames' bytes (the media fingerprint covers
    # how they are sampled): frames are decoded only on a miss, and every attempt is logged under this key.
    key = engine.input_hash(engine.stage1_request(prompt, _media(video, native_video=native, frames=False)))
    cached = (
        LLMCall.objects.filter(
            provider=provider.name, model=provider.model, prompt_version=prompt.id, input_hash=key,
            outcome=LLMOutcome.OK,
        )
        .order_by("-created_at")
        .first()
    )
    calls = 0
    if cached is not None:
        result = validate_stage1(cached.response["text"], duration=video.duration)
        questions, call = result.questions, cached
    else:
        request = engine.stage1_request(prompt, _media(video, native_video=native, frames=True))
        logged: list[LLMCall] = []
        outcome = engine.propose_stage1(
            provider, request, duration=video.duration,
            policy=engine.RetryPolicy(
                max_retries=settings.CLUEBENCH_LLM_MAX_RETRIES, base_delay=settings.CLUEBENCH_LLM_RETRY_BASE_DELAY,
                sleep=sleep,
            ),
            on_attempt=lambda attempt: logged.append(log_call(video.project, provider, key, attempt, prompt_id=prompt.id)),
        )
        calls = len(logged)
        if not outcome.ok:
            raise Stage1Failed(f"{provider.model} gave no usable questions: {outcome.error}")
        questions = outcome.questions
        call = next(row for row in reversed(logged) if row.outcome == LLMOutcome.OK)
    return _store(video, questions, call, cached=cached is not None, calls=calls)


def _store(video: Video, questions, call: LLMCall, *, cached: bool, calls: int) -> Stage1Report:
    existing = list(CandidateQuestion.objects.filter(video=video).values_list("text", flat=True))
    existing += list(Question.objects.filter(video=video).values_list("text", flat=True))
    keep = Deduplicator(threshold=settings.CLUEBENCH_LLM_DEDUP_THRESHOLD).filter(
        [q.text for q in questions], existing
    ) if questions else []
    with transaction.atomic():
        for index in keep:
            q = questions[index]
            CandidateQuestion.objects.create(
                video=video, text=q.text, category=q.category, modality=q.modality, query_start=q.start,
                query_end=q.end, source=Source.MODEL, llm_call=call, model=call.model,
                prompt_version=call.prompt_version,
            )
    return Stage1Report(created=len(keep), duplicates=len(questions) - len(keep), cached=cached, provider_calls=calls)
