import json

from django.core.management.base import BaseCommand, CommandError

from annotation.counting import proposals
from annotation.counting.models import Category, ClueProposal, Question, QuestionState
from annotation.projects.models import Project
from pipeline.jobs.models import JobState
from pipeline.jobs.services import run_job_here


def line(question_id: int, p: ClueProposal) -> dict:
    if p.kind == Category.EVENT:
        return {"question": question_id, "kind": p.kind, "start": p.start, "end": p.end, "score": p.score,
                "model": p.model}
    return {"question": question_id, "kind": "object", "frame_index": p.frame_index,
            "box": [p.x1, p.y1, p.x2, p.y2], "label": p.label, "score": p.score, "model": p.model,
            "category": p.kind}


class Command(BaseCommand):
    help = (
        "Annotator assistance: compute the clue proposals of a project's questions that have a reference interval "
        "(or of one question): sound events for event questions (media queue; gpu with a CLAP folder), distinct "
        "objects for object and attribute questions (gpu queue), as jobs or here with --wait, and print one JSON "
        "object per line per proposal (rejected ones left out)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("--question", type=int, metavar="ID", help="only this question")
        parser.add_argument("--wait", action="store_true", help="compute here and wait; non-zero exit on a failure")

    def handle(self, *args, project, question, wait, **options):
        target = Project.objects.filter(name=project).first()
        if target is None:
            raise CommandError(f"no project named {project!r}")
        questions = Question.objects.filter(video__project=target).exclude(
            state__in=[QuestionState.REJECTED, QuestionState.SECOND_PASS]).select_related("video").order_by("id")
        if question is not None:
            questions = questions.filter(pk=question)
            if not questions.exists():
                raise CommandError(f"project {project!r} has no question {question} to propose clues for")
        failed = 0
        for q in questions:
            reason = proposals.why_not(q)
            if reason:
                if question is not None:
                    raise CommandError(f"question {q.pk}: {reason}")
                self.stderr.write(f"question {q.pk} skipped: {reason}")
                continue
            job = proposals.request(question=q, dispatch=not wait)
            if wait:
                job = run_job_here(job=job)
                if job.state == JobState.FAILED:
                    failed += 1
                    self.stderr.write(f"question {q.pk} failed: {job.error}")
                    continue
            else:
                self.stderr.write(f"question {q.pk} queued as job {job.pk} ({job.queue} queue)")
            for p in proposals.proposals_of(q):
                if p.state == "rejected":
                    continue
                self.stdout.write(json.dumps(line(q.pk, p)))
        if failed:
            raise CommandError(f"proposals failed for {failed} question(s)")
