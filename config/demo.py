"""The demo project: three accounts (one per role) and synthetic audio-visual videos whose answers are known.

Passwords come from CLUEBENCH_DEMO_PASSWORD when set; otherwise each account
gets a random one at creation, kept in var/demo-logins.json (mode 0600) so
`make run` can print it again. No password is in the repository.
"""

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from annotation.avst.ingest import apply_filtering
from annotation.avst.models import AVObject, Event
from annotation.counting.models import Question, QuestionState
from annotation.projects.admin import managers_group
from annotation.projects.models import Membership, Project, ProjectKind, Role, Source
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import enqueue_job
from pipeline.media import synthetic
from pipeline.videos.models import Video, VideoStatus

DEMO_PROJECT = "demo"
DEMO_USERS = {Role.ANNOTATOR: "demo-annotator", Role.REVIEWER: "demo-reviewer", Role.MANAGER: "demo-manager"}
SYNTHESIZE = "media.synthesize_video"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


def _logins_file() -> Path:
    return Path(settings.DEMO_LOGINS_FILE)


def _saved_passwords() -> dict:
    try:
        return json.loads(_logins_file().read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _save_passwords(passwords: dict) -> None:
    path = _logins_file()
    path.write_text(json.dumps(passwords, indent=2))
    path.chmod(0o600)


def ensure_demo_users(password: str | None) -> list[DemoLogin]:
    User = get_user_model()
    saved = _saved_passwords()
    logins = []
    for role, username in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            chosen = password or secrets.token_urlsafe(9)
            user = User.objects.create_user(username=username, password=chosen)
            saved[username] = chosen
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            saved[username] = password
        if role == Role.MANAGER and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(managers_group())
        logins.append(DemoLogin(role=role, username=username, password=saved.get(username, "(set before; unknown)")))
    _save_passwords(saved)
    return logins


def ensure_demo_project(*, videos: int, seconds: float, dispatch: bool = True) -> tuple[Project, list[Job]]:
    """Create the demo project once; queue the synthesis of any demo video that has no file yet."""
    User = get_user_model()
    with transaction.atomic():
        project, _ = Project.objects.get_or_create(
            name=DEMO_PROJECT,
            defaults={
                "kind": ProjectKind.COUNTING,
                "description": "Synthetic videos with a known number of audible beeps and moving coloured squares.",
                "settings": {"labels": _demo_labels()},
            },
        )
        for role, username in DEMO_USERS.items():
            Membership.objects.get_or_create(project=project, user=User.objects.get(username=username), defaults={"role": role})
        jobs = []
        for number in range(1, videos + 1):
            spec = synthetic.demo_spec(seed=number, duration=seconds)
            video, _ = Video.objects.get_or_create(
                project=project,
                external_id=f"demo-{number}",
                defaults={"title": f"Beeps and squares {number}", "status": VideoStatus.UPLOADED},
            )
            if video.file:
                continue
            pending = Job.objects.filter(
                kind=SYNTHESIZE, target_id=video.pk, state__in=[JobState.QUEUED, JobState.RUNNING, JobState.RETRYING]
            ).exists()
            if not pending:
                jobs.append(
                    enqueue_job(
                        kind=SYNTHESIZE,
                        project=project,
                        target=video,
                        params={"video_id": video.pk, "spec": spec.to_dict()},
                        dispatch=dispatch,
                    )
                )
            if number == 1:
                _ensure_demo_question(video, spec)
    return project, jobs


DEMO_QUESTION = "How many times does a beep sound?"


def _ensure_demo_question(video: Video, spec: synthetic.SyntheticSpec) -> None:
    """One event question in stage 3 on the first demo video: its count drafted and its reference interval marked
    (the first minute), so that its event clue proposals are computed (with no model weights: acoustic onsets)
    once the video is ready and the question is opened in the workspace; the clues are left to people."""
    end = round(min(spec.duration, 60.0), 3)
    count = sum(1 for b in spec.beeps if b.end <= end)
    Question.objects.get_or_create(
        video=video, text=DEMO_QUESTION,
        defaults={"category": "event", "modality": "A", "drafted_answer": count, "ref_start": 0.0, "ref_end": end,
                  "state": QuestionState.ANSWERED},
    )


def _demo_labels() -> dict[str, list[str]]:
    """The demo projects' vocabulary: what their videos show (a speaker, squares of the demo colours)."""
    return {"objects": ["speaker", *(f"{c} square" for c in synthetic.DEMO_COLORS)],
            "clusters": list(synthetic.DEMO_COLORS)}


DEMO_AVST_PROJECT = "demo-avst"
DEMO_AVST_SECONDS = 20.0


def _demo_events(spec: synthetic.SyntheticSpec) -> list[tuple[float, float, str, list[tuple[str, str]]]]:
    """One event per video from the synthetic truth: the stretch from the first beep to the last, captioned with
    what beeps and what is seen, and its objects (a person's list, proposed for review like the LLM's would be)."""
    truth = synthetic.truth(spec)
    beeps = truth["beeps"]
    start = max(0.0, round(beeps[0]["start"] - 0.5, 2)) if beeps else 0.0
    end = min(spec.duration, round(beeps[-1]["end"] + 0.5, 2)) if beeps else spec.duration
    colours = sorted({s["color"] for s in truth["shapes"]})
    caption = "beeping while " + " and ".join(f"{c} squares" for c in colours) + " move across the screen"
    objects = [("speaker", "audible")] + [(f"{c} square", "visible_only") for c in colours]
    return [(start, end, caption, objects)]


def ensure_demo_avst_project(*, videos: int = 2, seconds: float = DEMO_AVST_SECONDS,
                             dispatch: bool = True) -> tuple[Project, list[Job]]:
    """An R-AVST demo project: synthetic videos with one captioned event each and its objects proposed for review,
    filtered like an UnAV-100 import. Boxes come from the reviewer on the event review page (or from a GPU worker
    with the models installed)."""
    User = get_user_model()
    with transaction.atomic():
        project, _ = Project.objects.get_or_create(
            name=DEMO_AVST_PROJECT,
            defaults={"kind": ProjectKind.AVST,
                      "description": "R-AVST on synthetic videos: beeps, and coloured squares to box.",
                      "settings": {"labels": _demo_labels()}},
        )
        for role, username in DEMO_USERS.items():
            Membership.objects.get_or_create(project=project, user=User.objects.get(username=username),
                                             defaults={"role": role})
        jobs = []
        for number in range(1, videos + 1):
            spec = synthetic.demo_spec(seed=100 + number, duration=seconds)
            video, created = Video.objects.get_or_create(
                project=project, external_id=f"demo-avst-{number}",
                defaults={"title": f"Squares and beeps {number}", "status": VideoStatus.UPLOADED,
                          "duration": spec.duration},
            )
            if created:
                for n, (start, end, caption, objects) in enumerate(_demo_events(spec), start=1):
                    event = Event.objects.create(video=video, number=n, label=caption, start=start, end=end)
                    AVObject.objects.bulk_create([
                        AVObject(event=event, name=name, audibility=audibility, source=Source.HUMAN)
                        for name, audibility in objects
                    ])
            if video.file:
                continue
            pending = Job.objects.filter(
                kind=SYNTHESIZE, target_id=video.pk, state__in=[JobState.QUEUED, JobState.RUNNING, JobState.RETRYING]
            ).exists()
            if not pending:
                jobs.append(enqueue_job(kind=SYNTHESIZE, project=project, target=video,
                                        params={"video_id": video.pk, "spec": spec.to_dict()}, dispatch=dispatch))
        apply_filtering(project=project, dispatch=False)
    return project, jobs
