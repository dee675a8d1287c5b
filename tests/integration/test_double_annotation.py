"""Double annotation: a blind second pass by another annotator, its agreement with the first pass (by the metric
code models are scored with), the agreement pages, and the human baseline on a release's leaderboard."""

import json
import math
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import Question
from annotation.projects import selectors
from annotation.projects.models import Membership, Role
from annotation.review import agreement
from annotation.review import decisions as review
from annotation.review.models import ReviewItem
from benchmark.releases import baseline, services
from benchmark.releases.exporters import cgav_items
from benchmark.releases.models import Release, Submission
from benchmark.releases.scoring import ScoringError, evaluate
from pipeline.jobs.services import run_job_here
from tests.integration.pooling import make_video, pooled_question

pytestmark = pytest.mark.django_db

THREE_EVENTS = ((10.0, 12.0), (20.0, 22.0), (30.0, 32.0))
TWO_BOXES = ((250, 0.0, 0.0, 10.0, 10.0), (250, 20.0, 20.0, 30.0, 30.0))


@pytest.fixture
def second_annotator(team, django_user_model):
    user = django_user_model.objects.create_user(username="second", password="pw")
    Membership.objects.create(project=team.project, user=user, role=Role.ANNOTATOR)
    return user


@pytest.fixture
def video(team):
    return make_video(team.project, external_id="clip.mp4")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def doc_url(question_or_pk):
    return reverse("questiondoc-detail", args=[getattr(question_or_pk, "pk", question_or_pk)])


def double_item(team, question):
    return ReviewItem.objects.create(project=team.project, queue="double", question=question)


def do_second_pass(user, second_pk, *, count, events=(), boxes=()):
    """Save a second pass's count and clues through the API and submit it; the submit response."""
    client = api(user)
    doc = client.get(doc_url(second_pk)).data
    clues = [{"kind": "event", "start": s, "end": e} for s, e in events] + [
        {"kind": "object", "frame_index": f, "x1": x1, "y1": y1, "x2": x2, "y2": y2} for f, x1, y1, x2, y2 in boxes]
    saved = client.put(doc_url(second_pk), {**doc, "drafted_answer": count, "clues": clues}, format="json")
    assert saved.status_code == 200, saved.content
    return client.post(reverse("questiondoc-submit", args=[second_pk]), {"version": saved.data["version"]},
                       format="json")


def test_claiming_makes_one_blind_second_pass(team, video, second_annotator):
    first = pooled_question(video, team.annotator, category="attribute",
                            boxes=(("red", 250, 0, 0, 10, 10), ("blue", 250, 20, 20, 30, 30)))
    item = double_item(team, first)
    assert review.claim_next(project=team.project, queue="double", user=team.annotator) is None  # own question
    assert review.claim_next(project=team.project, queue="double", user=second_annotator) == item
    assert review.claim_next(project=team.project, queue="double", user=second_annotator) == item  # idempotent
    second = Question.objects.get(second_pass_of=first)
    assert Question.objects.filter(second_pass_of=first).count() == 1
    assert (second.state, second.annotator, second.text, second.category, second.modality) == (
        "second_pass", second_annotator, first.text, "attribute", first.modality)
    assert (second.ref_start, second.ref_end) == (first.ref_start, first.ref_end)
    doc = api(second_annotator).get(doc_url(second)).data
    # What the second annotator sees: the question, its type and reference interval; not the count, the clues,
    # the cluster names (their number is an attribute question's count) nor the final interval.
    assert doc["drafted_answer"] is None and doc["clues"] == [] and doc["clusters"] == []
    assert doc["editable"] is True and doc["state"] == "second_pass" and "final_start" not in doc


def test_the_second_annotator_is_blind_to_the_first_pass_and_the_first_never_sees_the_second(
        team, video, second_annotator, client):
    first = pooled_question(video, team.reviewer, events=THREE_EVENTS)  # a reviewer's own question
    audit = ReviewItem.objects.create(project=team.project, queue="audit", question=first)
    double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    second = Question.objects.get(second_pass_of=first)
    blind = api(second_annotator)
    # While they hold it: no document, no page, no history, no question row, no audit of the first pass.
    assert blind.get(doc_url(first)).status_code == 404
    assert blind.get(reverse("question-detail", args=[first.pk])).status_code == 404
    assert first.pk not in [q["id"] for q in blind.get(reverse("question-list")).data["results"]]
    client.force_login(second_annotator)
    assert client.get(reverse("workspace", args=[first.pk])).status_code == 404
    assert client.get(reverse("question-history", args=[first.pk])).status_code == 404
    assert review.claim_next(project=team.project, queue="audit", user=second_annotator) is None
    # The first pass's annotator never sees the second pass, reviewer as they are, before or after it is done.
    own = api(team.reviewer)

    def hidden_from_the_first_annotator():
        assert own.get(doc_url(second)).status_code == 404
        assert own.put(doc_url(second), {"version": second.version}, format="json").status_code == 404
        client.force_login(team.reviewer)
        assert client.get(reverse("workspace", args=[second.pk])).status_code == 404
        assert client.get(reverse("question-history", args=[second.pk])).status_code == 404
        assert second.pk not in [q["id"] for q in own.get(reverse("question-list")).data["results"]]
        return True

    assert hidden_from_the_first_annotator()
    assert do_second_pass(second_annotator, second.pk, count=2, events=THREE_EVENTS[:2]).status_code == 200
    assert hidden_from_the_first_annotator()
    # A reviewer who made neither pass reads it (not edits it); an annotator who made neither does not see it.
    assert api(team.manager).get(doc_url(second)).data["editable"] is False
    assert api(team.annotator).get(doc_url(second)).status_code == 404
    # Done: the second annotator may now see the first pass, and the audit is free for them.
    assert blind.get(doc_url(first)).status_code == 200
    assert review.claim_next(project=team.project, queue="audit", user=team.manager) == audit


def test_agreement_of_event_passes_computed_by_hand(team, video):
    """First pass: 3 events; second: the first 2 of them. Counts 3 vs 2: not exact, within one. WCS (VLMEvalKit's
    tIoU rule): each truth interval's best tIoU is 1, 1, 0, so the localisation is 2/3; the count penalty is
    1 - |2 - 3| / 3 = 2/3; WCS = sqrt(2/3 * 2/3) = 2/3. Intervals: 2 matches, precision 2/2, recall 2/3, F1 0.8;
    boundaries: 4 of 4 matched against 6, F1 0.8."""
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    item = double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=team.reviewer)
    second = Question.objects.get(second_pass_of=first)
    response = do_second_pass(team.reviewer, second.pk, count=2, events=THREE_EVENTS[:2])
    assert response.status_code == 200 and response.data["outcome"] == "agreement"
    assert response.data["question"]["editable"] is False
    item.refresh_from_db()
    assert item.state == "done" and item.decision == "agreement" and item.decided_by == team.reviewer
    row = item.result
    assert (row["exact"], row["off_by_one"], row["abs_error"]) == (False, True, 1)
    assert row["wcs"] == pytest.approx(2 / 3)
    assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((1.0, 2 / 3, 0.8))
    assert row["mean_iou_matched"] == pytest.approx(1.0) and row["boundary_f1"] == pytest.approx(0.8)
    assert (row["first_count"], row["second_count"], row["first_annotator"], row["second_annotator"]) == (
        3, 2, team.annotator.pk, team.reviewer.pk)
    # The first pass is untouched; the second stays out of everything.
    first.refresh_from_db()
    assert first.state == "pooled" and first.version == 1


def test_agreement_of_box_passes_computed_by_hand(team, video, second_annotator):
    """Two boxes on one frame; the second pass's second box is twice as tall: IoU 100 / 200 = 0.5. Greedy
    matching sums 1 + 0.5 over 2 truth boxes: 0.75, no count penalty, one frame: WCS = sqrt(0.75)."""
    first = pooled_question(video, team.annotator, category="object", boxes=TWO_BOXES, modality="V")
    item = double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    second = Question.objects.get(second_pass_of=first)
    response = do_second_pass(second_annotator, second.pk, count=2,
                              boxes=(TWO_BOXES[0], (250, 20.0, 20.0, 30.0, 40.0)))
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.result["exact"] is True and item.result["wcs"] == pytest.approx(math.sqrt(0.75))
    assert "f1" not in item.result  # temporal values are for events only


def test_second_pass_rules(team, video, second_annotator):
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    second = Question.objects.get(second_pass_of=first)
    client = api(second_annotator)
    doc = client.get(doc_url(second)).data
    changed = client.put(doc_url(second), {**doc, "text": "How many claps?", "ref_end": 41.0}, format="json")
    assert changed.status_code == 400 and set(changed.data["errors"]) == {"text", "ref_end"}
    assert "keeps the question as asked" in changed.data["errors"]["text"]
    submit = reverse("questiondoc-submit", args=[second.pk])
    assert "draft your count" in client.post(submit, {"version": doc["version"]}, format="json").data["detail"]
    saved = client.put(doc_url(second), {**doc, "drafted_answer": 2,
                                         "clues": [{"kind": "event", "start": 10.0, "end": 12.0}]}, format="json")
    assert saved.status_code == 200 and saved.data["state"] == "second_pass"
    refused = client.post(submit, {"version": saved.data["version"]}, format="json")
    assert refused.status_code == 400 and "1 clue(s) for a count of 2" in refused.data["detail"]
    # Other people cannot edit it; a manager cannot restore it.
    assert workspace.editable_by(Question.objects.get(pk=second.pk), team.manager) is False
    assert api(team.manager).put(doc_url(second), saved.data, format="json").status_code == 409
    with pytest.raises(workspace.NotEditable):
        workspace.restore(question=second, entry=second_entry(second), user=team.manager)


def second_entry(question):
    from annotation.projects.audit import history

    return history(target_type="question", target_id=question.pk).first()


def test_an_expired_claim_goes_to_the_next_annotator_who_starts_blind(team, video, second_annotator):
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    item = double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    second = Question.objects.get(second_pass_of=first)
    client = api(second_annotator)
    doc = client.get(doc_url(second)).data
    # Saving keeps the claim alive.
    ReviewItem.objects.filter(pk=item.pk).update(claimed_at=timezone.now() - timedelta(minutes=5))
    client.put(doc_url(second), {**doc, "drafted_answer": 1, "clues": [{"kind": "event", "start": 10, "end": 12}]},
               format="json")
    assert timezone.now() - ReviewItem.objects.get(pk=item.pk).claimed_at < timedelta(minutes=1)
    ReviewItem.objects.filter(pk=item.pk).update(claimed_at=timezone.now() - review.CLAIM_TTL - timedelta(seconds=1))
    assert review.claim_next(project=team.project, queue="double", user=team.reviewer) == item
    second.refresh_from_db()
    assert second.annotator == team.reviewer and second.drafted_answer is None and second.clues.count() == 0
    assert client.get(doc_url(second)).status_code == 404  # no longer theirs
    assert api(team.reviewer).get(doc_url(second)).data["editable"] is True
    # Its history shows the new annotator their own work only, not their predecessor's count and clues.
    web = Client()
    web.force_login(team.reviewer)
    history = web.get(reverse("question-history", args=[second.pk])).content.decode()
    assert "double.restart" not in history and "question.save" not in history


def test_while_blind_the_first_pass_stays_out_of_review_items_and_releases(team, video, second_annotator):
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    arbitration = ReviewItem.objects.create(project=team.project, queue="arbitration", question=first,
                                            comment="the count is 3")
    double_item(team, first)
    reviewer = api(team.reviewer)
    assert arbitration.pk in [i["id"] for i in reviewer.get(reverse("reviewitem-list")).data["results"]]
    review.claim_next(project=team.project, queue="double", user=team.reviewer)
    listed = reviewer.get(reverse("reviewitem-list")).data["results"]
    assert arbitration.pk not in [i["id"] for i in listed]
    assert reviewer.get(reverse("reviewitem-detail", args=[arbitration.pk])).status_code == 404
    release = Release.objects.create(project=team.project, version="1.0.0", format="cg-av-counting")
    web = Client()
    web.force_login(team.reviewer)
    assert web.get(reverse("release-zip", args=[release.pk])).status_code == 403


def test_who_saw_the_first_pass_does_not_annotate_it_again(team, video):
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    audit = ReviewItem.objects.create(project=team.project, queue="audit", question=first)
    item = double_item(team, first)
    review.claim_next(project=team.project, queue="audit", user=team.reviewer)
    review.decide_audit(item=audit, user=team.reviewer, decision="approve")
    assert review.claim_next(project=team.project, queue="double", user=team.reviewer) is None
    assert review.claim_next(project=team.project, queue="double", user=team.manager) == item


def test_second_passes_stay_out_of_work_pools_releases_and_counts(team, video, second_annotator):
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    assert workspace.next_question(project=team.project, user=second_annotator) is None
    release = Release(project=team.project, version="1.0.0", format="cg-av-counting")
    items, questions = cgav_items(release)
    assert [q.pk for q in questions] == [first.pk]
    summary = selectors.project_summary(project=team.project)
    states = {s["state"]: s["count"] for stage in summary["stages"] if stage["key"] == "questions"
              for s in stage["states"]}
    assert "second_pass" not in states and sum(states.values()) == 1
    ids = [q["id"] for q in api(team.manager).get(reverse("question-list")).data["results"]]
    assert ids == [first.pk]


def test_annotators_take_a_double_item_from_the_project_page(team, video, second_annotator, client):
    first = pooled_question(video, team.annotator, events=THREE_EVENTS)
    item = double_item(team, first)
    client.force_login(second_annotator)
    assert 'id="double-next"' in client.get(reverse("project-home", args=[team.project.pk])).content.decode()
    response = client.post(reverse("double-next", args=[team.project.pk]))
    second = Question.objects.get(second_pass_of=first)
    assert response.status_code == 302 and response["Location"] == reverse("workspace", args=[second.pk])
    page = client.get(response["Location"]).content.decode()
    assert '"state": "second_pass"' in page and '"drafted_answer": null' in page
    # Reviewers take it from the queues page; the item page sends the claimer to their second pass only.
    client.force_login(team.reviewer)
    assert client.post(reverse("double-next", args=[team.project.pk]), follow=True).redirect_chain[-1][0] == \
        reverse("project-home", args=[team.project.pk])
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert "open-second-pass" not in page and "review-count" not in page and "Another annotator holds" in page


def test_agreement_selectors_and_page(team, video, second_annotator, client):
    e = pooled_question(video, team.annotator, events=THREE_EVENTS)
    o = pooled_question(video, team.annotator, category="object", boxes=TWO_BOXES, text="How many squares?",
                        modality="V")
    for question, user in ((e, team.reviewer), (o, second_annotator)):
        double_item(team, question)
        review.claim_next(project=team.project, queue="double", user=user)
    do_second_pass(team.reviewer, Question.objects.get(second_pass_of=e).pk, count=2, events=THREE_EVENTS[:2])
    do_second_pass(second_annotator, Question.objects.get(second_pass_of=o).pk, count=2,
                   boxes=(TWO_BOXES[0], (250, 20.0, 20.0, 30.0, 40.0)))
    total = agreement.project_agreement(project=team.project)
    assert (total["n"], total["n_event"], total["exact"], total["off_by_one"], total["abs_error"]) == (2, 1, 0.5, 1.0, 0.5)
    assert total["wcs"] == pytest.approx((2 / 3 + math.sqrt(0.75)) / 2) and total["f1"] == pytest.approx(0.8)
    people = {r["username"]: r for r in agreement.per_annotator(project=team.project)}
    assert (people["annotator-user"]["n"], people["annotator-user"]["as_first"]) == (2, 2)
    assert (people["reviewer-user"]["as_second"], people["reviewer-user"]["exact"]) == (1, 0.0)
    assert people["second"]["wcs"] == pytest.approx(math.sqrt(0.75))
    # The first pass's annotator is not shown the second pass's count.
    assert {p.second_count for p in agreement.pairs(project=team.project, viewer=team.annotator)} == {None}
    assert {p.second_count for p in agreement.pairs(project=team.project, viewer=team.manager)} == {2}
    client.force_login(team.reviewer)
    page = client.get(reverse("agreement", args=[team.project.pk])).content.decode()
    assert "0.7663" in page and "How many squares?" in page and "second" in page
    client.force_login(team.manager)
    done = ReviewItem.objects.get(queue="double", question=e)
    page = client.get(reverse("review-item", args=[done.pk])).content.decode()
    assert 'id="agreement"' in page and "0.6667" in page and "review-count" not in page


@pytest.fixture
def inline_jobs(monkeypatch):
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: run_job_here(job=job))


def test_human_baseline_row_on_the_leaderboard(team, video, second_annotator, client, inline_jobs,
                                               django_capture_on_commit_callbacks):
    """Three released questions, two annotated twice: the baseline is scored on those two only. Counts 2 vs 3 and
    2 vs 2: acc 1/2, OBOA 1, MAE 1/2, RMSE sqrt(1/2); WCS (2/3 + sqrt(0.75)) / 2 (see the agreement tests)."""
    e = pooled_question(video, team.annotator, events=THREE_EVENTS)
    o = pooled_question(video, team.annotator, category="object", boxes=TWO_BOXES, text="How many squares?",
                        modality="V")
    pooled_question(video, team.annotator, text="How many claps?")
    release, _ = services.create_release(project=team.project, version="1.0.0", format="cg-av-counting",
                                         metadata_only=True, dispatch=False)
    release = services.export_release(release)
    with pytest.raises(services.ReleaseError, match="none of the release's 3 questions has a finished second pass"):
        baseline.build_human_baseline(release=release, dispatch=False)
    for question, user in ((e, team.reviewer), (o, second_annotator)):
        double_item(team, question)
        review.claim_next(project=team.project, queue="double", user=user)
    do_second_pass(team.reviewer, Question.objects.get(second_pass_of=e).pk, count=2, events=THREE_EVENTS[:2])
    do_second_pass(second_annotator, Question.objects.get(second_pass_of=o).pk, count=2,
                   boxes=(TWO_BOXES[0], (250, 20.0, 20.0, 30.0, 40.0)))

    client.force_login(team.reviewer)
    assert client.post(reverse("release-human-baseline", args=[release.pk])).status_code == 403
    client.force_login(team.manager)
    page = client.get(reverse("release", args=[release.pk])).content.decode()
    assert 'id="build-human-baseline"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("release-human-baseline", args=[release.pk]))
    submission = Submission.objects.get(release=release)
    assert submission.state == "scored", submission.error
    assert submission.is_human_baseline and submission.scored_indices == [0, 1]
    m = submission.metrics
    for mode in ("long_acc", "ref_acc"):
        assert (m[f"{mode}/acc"], m[f"{mode}/oboa"], m[f"{mode}/mae"]) == pytest.approx((0.5, 1.0, 0.5))
        assert m[f"{mode}/rmse"] == pytest.approx(math.sqrt(0.5))
    assert m["clue_acc/wcs"] == pytest.approx((2 / 3 + math.sqrt(0.75)) / 2) and m["clue_acc/ifa"] == 1.0
    page = client.get(reverse("release", args=[release.pk])).content.decode()
    assert "human baseline (2 of 3 questions)" in page and "0.7663" in page
    detail = client.get(reverse("submission", args=[submission.pk])).content.decode()
    assert "#0 long_acc" in detail or "#0 clue_acc" in detail


def test_scoring_part_of_a_truth_refuses_a_prediction_outside_it(team, video, tmp_path):
    pooled_question(video, team.annotator)
    pooled_question(video, team.annotator, text="How many claps?")
    release, _ = services.create_release(project=team.project, version="1.0.0", format="cg-av-counting",
                                         metadata_only=True, dispatch=False)
    release = services.export_release(release)
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(json.dumps({"index": 0, "task_mode": "long_acc", "prediction": "2"}) + "\n")
    truth = services.truth_path(release)
    with pytest.raises(ScoringError, match="index 0 is not one of the items"):
        evaluate(format="cg-av-counting", truth_path=truth, predictions_path=predictions, indices=[1])
    scored = evaluate(format="cg-av-counting", truth_path=truth, predictions_path=predictions, indices=[0])
    assert scored["metrics"]["long_acc/acc"] == 1.0 and [i["index"] for i in scored["items"]] == [0]
    with pytest.raises(services.ReleaseError, match="only a human baseline"):
        services.submit_predictions(release=release, model_name="m", upload=predictions.open("rb"),
                                    scored_indices=[0], dispatch=False)


def test_click_jobs_stay_as_blind_as_the_questions_they_are_about(team, video, second_annotator):
    from annotation.counting import proposals
    from pipeline.jobs.models import Job
    from pipeline.jobs.services import enqueue_job

    first = pooled_question(video, team.annotator, category="object", boxes=TWO_BOXES[:1])
    # The first annotator's click while annotating: its point and answer are one of their clues.
    mine = enqueue_job(kind=proposals.KIND_CLICK, project=team.project, target=first, dispatch=False,
                       params={"question_id": first.pk, "frame_index": 250, "x": 5.0, "y": 5.0})
    Job.objects.filter(pk=mine.pk).update(result={"proposal": {"frame_index": 250, "box": [0.0, 0.0, 10.0, 10.0]}})
    double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    second = Question.objects.get(second_pass_of=first)
    theirs = enqueue_job(kind=proposals.KIND_CLICK, project=team.project, target=second, dispatch=False,
                         params={"question_id": second.pk, "frame_index": 250, "x": 25.0, "y": 25.0})

    def listed(user):
        page = api(user).get(f"/api/v1/jobs/?project={team.project.pk}").json()
        return {row["id"] for row in page.get("results", page)}

    # Each side sees its own click, never the other's: not listed, not readable, not on the jobs page.
    assert mine.pk not in listed(second_annotator) and theirs.pk in listed(second_annotator)
    assert api(second_annotator).get(f"/api/v1/jobs/{mine.pk}/").status_code == 404
    assert theirs.pk not in listed(team.annotator) and mine.pk in listed(team.annotator)
    assert api(team.annotator).get(f"/api/v1/jobs/{theirs.pk}/").status_code == 404
    # A reviewer, who may see both passes, sees both.
    assert {mine.pk, theirs.pk} <= listed(team.reviewer)


def test_a_restarted_second_pass_shows_nothing_of_the_predecessors_proposals(team, video, second_annotator,
                                                                             django_user_model):
    from annotation.counting.models import ClueProposal

    third = django_user_model.objects.create_user(username="third", password="pw")
    Membership.objects.create(project=team.project, user=third, role=Role.ANNOTATOR)
    first = pooled_question(video, team.annotator, category="object", boxes=TWO_BOXES[:1])
    item = double_item(team, first)
    review.claim_next(project=team.project, queue="double", user=second_annotator)
    second = Question.objects.get(second_pass_of=first)
    fps = second.video.fps
    clicked = ClueProposal.objects.create(question=second, kind="object", source="click", frame_index=250,
                                          timestamp=250.5 / fps, x1=5, y1=5, x2=50, y2=50, score=0.9, model="sam2",
                                          model_version="v")
    found = ClueProposal.objects.create(question=second, kind="object", frame_index=250, timestamp=250.5 / fps,
                                        x1=60, y1=5, x2=90, y2=50, score=0.8, model="grounded-sam2",
                                        model_version="v")
    from annotation.counting import proposals
    from pipeline.jobs.models import Job
    from pipeline.jobs.services import enqueue_job

    click = enqueue_job(kind=proposals.KIND_CLICK, project=team.project, target=second, dispatch=False,
                        params={"question_id": second.pk, "frame_index": 250, "x": 20.0, "y": 20.0})
    client = api(second_annotator)
    doc = client.get(doc_url(second)).data
    clue = {"kind": "object", "frame_index": 250, "x1": 5, "y1": 5, "x2": 50, "y2": 50, "cluster": "",
            "proposal": clicked.pk}
    saved = client.put(doc_url(second), {**doc, "drafted_answer": 1, "clues": [clue],
                                         "rejected_proposals": [found.pk]}, format="json")
    assert saved.status_code == 200, saved.content
    # They leave it; the next claimer starts blind: no clicks of theirs, and the detector's proposals undecided.
    ReviewItem.objects.filter(pk=item.pk).update(claimed_at=timezone.now() - review.CLAIM_TTL - timedelta(seconds=1))
    assert review.claim_next(project=team.project, queue="double", user=third) == item
    listed = api(third).get(reverse("questiondoc-detail", args=[second.pk]) + "proposals/").json()["proposals"]
    assert [(p["id"], p["state"]) for p in listed] == [(found.pk, "proposed")]
    assert not ClueProposal.objects.filter(pk=clicked.pk).exists()
    # Nor their click jobs (a point and a box: one of their clues), which no longer count against the cap either.
    assert not Job.objects.filter(pk=click.pk).exists()
    assert api(third).get(f"/api/v1/jobs/{click.pk}/").status_code == 404
