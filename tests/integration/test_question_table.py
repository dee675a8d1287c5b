"""The manager's work table: the project's questions filtered, searched, sorted and paged on the server; bulk
reassign, return, reject and reopen, each in the audit log; reviewers read it, managers act."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting.models import Question
from annotation.projects.models import AuditEntry
from annotation.review.models import Comment, ReviewItem
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(team):
    street = Video.objects.create(project=team.project, title="street", duration=60.0, fps=25.0)
    park = Video.objects.create(project=team.project, title="park", duration=60.0, fps=25.0)
    q = {
        "draft": Question.objects.create(video=street, text="How many cars?", category="object", modality="V"),
        "answered": Question.objects.create(video=street, text="How many horns?", category="event", modality="A",
                                            drafted_answer=2, ref_start=1.0, ref_end=9.0, state="answered",
                                            annotator=team.annotator),
        "arbitration": Question.objects.create(video=park, text="How many dogs bark?", category="event",
                                               modality="A", drafted_answer=3, ref_start=1.0, ref_end=9.0,
                                               state="arbitration", annotator=team.annotator),
        "pooled": Question.objects.create(video=park, text="How many red shirts?", category="attribute",
                                          modality="V", drafted_answer=1, ref_start=2.0, ref_end=5.0, final_start=2.0,
                                          final_end=5.0, state="pooled", annotator=team.annotator),
    }
    ReviewItem.objects.create(project=team.project, queue="arbitration", question=q["arbitration"], state="claimed",
                              claimed_by=team.reviewer, claimed_at=q["arbitration"].created_at)
    Comment.objects.create(project=team.project, question=q["pooled"], author=team.reviewer, text="check 2 s")
    return q


def listed(client, project, **params):
    response = client.get(reverse("question-table", args=[project.pk]), params)
    assert response.status_code == 200
    return [int(x.split('"')[0]) for x in response.content.decode().split('data-question="')[1:]]


def test_filters_search_and_sorting(team, client, table):
    client.force_login(team.reviewer)
    project = team.project
    assert sorted(listed(client, project)) == sorted(q.pk for q in table.values())
    assert listed(client, project, stage="3") == [table["answered"].pk]
    assert listed(client, project, annotator="none") == [table["draft"].pk]
    assert listed(client, project, reviewer=team.reviewer.pk) == [table["arbitration"].pk]
    assert listed(client, project, has_comments="1") == [table["pooled"].pk]
    assert listed(client, project, in_arbitration="1") == [table["arbitration"].pk]
    assert listed(client, project, category="event", sort="id") == [table["answered"].pk, table["arbitration"].pk]
    assert listed(client, project, search="park", sort="-id") == [table["pooled"].pk, table["arbitration"].pk]
    assert listed(client, project, sort="id") == sorted(q.pk for q in table.values())
    client.force_login(team.annotator)
    assert client.get(reverse("question-table", args=[project.pk])).status_code == 403


def test_bulk_actions_are_applied_where_they_fit_and_logged(team, client, table, django_user_model):
    client.force_login(team.manager)
    url = reverse("question-table", args=[team.project.pk])
    client.post(url, {"action": "reassign", "annotator": team.reviewer.pk,
                      "question": [table["draft"].pk, table["pooled"].pk]})
    assert Question.objects.get(pk=table["draft"].pk).annotator == team.reviewer
    assert Question.objects.get(pk=table["pooled"].pk).annotator == team.annotator  # in the pool: skipped
    refused = client.post(url, {"action": "reject", "question": [table["answered"].pk]}, follow=True).content.decode()
    assert "Nothing was done: Say why the questions are rejected." in refused
    assert Question.objects.get(pk=table["answered"].pk).state == "answered"
    # The choice is kept for the next try: the ticked question and the action.
    assert f'value="{table["answered"].pk}" aria-label="choose question {table["answered"].pk}" checked' in refused
    assert '<option value="reject" selected>' in refused
    assert "checked" not in client.get(url).content.decode().split("<tbody>")[1]  # once only
    done = client.post(url, {"action": "reject", "reason": "duplicate of another",
                             "question": [table["answered"].pk, table["arbitration"].pk]}, follow=True)
    assert "Rejected 2 questions." in done.content.decode()
    assert set(Question.objects.filter(state="rejected").values_list("pk", flat=True)) == {
        table["answered"].pk, table["arbitration"].pk}
    item = ReviewItem.objects.get(question=table["arbitration"])
    assert item.state == "done" and item.decision == "rejected" and item.decided_by == team.manager
    client.post(url, {"action": "reopen", "question": [table["answered"].pk]})
    assert Question.objects.get(pk=table["answered"].pk).state == "answered"
    client.post(url, {"action": "return", "question": [table["pooled"].pk]})
    returned = Question.objects.get(pk=table["pooled"].pk)
    assert returned.state == "answered" and returned.final_start is None
    actions = set(AuditEntry.objects.filter(actor=team.manager).values_list("action", flat=True))
    assert actions == {"question.reassign", "question.reject", "question.reopen", "question.return"}
    rejected = AuditEntry.objects.filter(action="question.reject", target_id=table["answered"].pk).get()
    assert rejected.before["state"] == "answered" and rejected.after["review_comment"] == "duplicate of another"


def test_the_api_lists_and_acts_alike(team, table):
    api = APIClient()
    api.force_authenticate(team.reviewer)
    rows = api.get(reverse("questiontable-list"), {"project": team.project.pk, "stage": "review", "sort": "id"})
    assert [r["id"] for r in rows.data["results"]] == [table["arbitration"].pk, table["pooled"].pk]
    assert rows.data["results"][1]["comments"] == 1
    assert api.get(reverse("questiontable-list"), {"project": team.project.pk, "sort": "nope"}).status_code == 400
    body = {"project": team.project.pk, "ids": [table["pooled"].pk], "action": "return"}
    assert api.post(reverse("questiontable-bulk"), body, format="json").status_code == 403
    manager = APIClient()
    manager.force_authenticate(team.manager)
    done = manager.post(reverse("questiontable-bulk"), {**body, "ids": [table["pooled"].pk, table["draft"].pk]},
                        format="json")
    assert done.status_code == 200 and done.data["done"] == [table["pooled"].pk]
    assert done.data["skipped"] == [{"id": table["draft"].pk, "why": "draft (stage 2): nothing to return"}]
    outsider = APIClient()
    outsider.force_authenticate(team.outsider)
    assert outsider.get(reverse("questiontable-list"), {"project": team.project.pk}).status_code == 404
