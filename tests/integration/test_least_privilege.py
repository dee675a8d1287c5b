"""Least privilege: a manager sees and picks only the users and rows of the projects they manage, in the admin
and in the API; memberships are made by username within a project, and their user never changes."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.admin import managers_group
from annotation.projects.models import Membership, Source
from pipeline.jobs.models import LLMCall
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_manager(team, client):
    team.manager.is_staff = True
    team.manager.save()
    team.manager.groups.add(managers_group())
    client.force_login(team.manager)
    return client


@pytest.fixture
def foreign(team, django_user_model):
    """Rows of a project the manager does not manage, and an account that is in none of theirs."""
    stranger = django_user_model.objects.create_user(username="stranger-of-beta", password="pw")
    Membership.objects.create(project=team.other_project, user=stranger, role="annotator")
    call = LLMCall.objects.create(project=team.other_project, provider="openai", model="gpt-secret-beta",
                                  prompt_version="v1", input_hash="f" * 64, outcome="ok")
    return {"user": stranger, "call": call}


def _select(form: str, name: str) -> str:
    return form.split(f'name="{name}"')[1].split("</select>")[0]


def test_user_choices_in_admin_forms_are_the_managers_members(team, staff_manager, foreign):
    video = Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0)
    question = Question.objects.create(video=video, text="How many?", category="event", modality="A")
    form = staff_manager.get(reverse("admin:counting_question_change", args=[question.pk])).content.decode()
    annotators = _select(form, "annotator")
    assert "annotator-user" in annotators and "stranger-of-beta" not in annotators
    assert "outsider-user" not in annotators  # a member of beta only


def test_llm_call_choices_are_the_managers_projects(team, staff_manager, foreign):
    video = Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0)
    own = LLMCall.objects.create(project=team.project, provider="openai", model="gpt-own", prompt_version="v1",
                                 input_hash="e" * 64, outcome="ok")
    candidate = CandidateQuestion.objects.create(video=video, text="How many?", category="event", modality="A",
                                                 source=Source.HUMAN)
    form = staff_manager.get(reverse("admin:counting_candidatequestion_change", args=[candidate.pk])).content.decode()
    calls = _select(form, "llm_call")
    assert f'value="{own.pk}"' in calls and f'value="{foreign["call"].pk}"' not in calls
    listed = staff_manager.get(reverse("admin:jobs_llmcall_changelist")).content.decode()
    assert "gpt-own" in listed and "gpt-secret-beta" not in listed


def test_admin_list_filters_name_only_the_managers_rows(team, staff_manager, foreign):
    page = staff_manager.get(reverse("admin:projects_membership_changelist")).content.decode()
    assert "alpha" in page and "beta" not in page
    assert "stranger-of-beta" not in page


def test_admin_membership_is_added_by_username(team, staff_manager, foreign):
    add = staff_manager.get(reverse("admin:projects_membership_add")).content.decode()
    assert 'name="username"' in add and 'name="user"' not in add and "stranger-of-beta" not in add
    response = staff_manager.post(reverse("admin:projects_membership_add"),
                                  {"project": team.project.pk, "username": "stranger-of-beta", "role": "annotator"})
    assert response.status_code == 302
    assert Membership.objects.filter(project=team.project, user=foreign["user"], role="annotator").exists()
    again = staff_manager.post(reverse("admin:projects_membership_add"),
                               {"project": team.project.pk, "username": "stranger-of-beta", "role": "reviewer"})
    assert again.status_code == 200 and "already a member" in again.content.decode()
    other = staff_manager.post(reverse("admin:projects_membership_add"),
                               {"project": team.other_project.pk, "username": "annotator-user", "role": "annotator"})
    assert other.status_code == 200 and not Membership.objects.filter(project=team.other_project,
                                                                      user=team.annotator).exists()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_memberships_are_made_by_username_and_keep_their_user(team, foreign):
    client = api(team.manager)
    made = client.post(reverse("membership-list"),
                       {"project": team.project.pk, "username": "stranger-of-beta", "role": "annotator"}, format="json")
    assert made.status_code == 201 and made.data["username"] == "stranger-of-beta"
    unknown = client.post(reverse("membership-list"),
                          {"project": team.project.pk, "username": "nobody-here", "role": "annotator"}, format="json")
    assert unknown.status_code == 400 and "nobody-here" in unknown.data["errors"]["username"]
    duplicate = client.post(reverse("membership-list"),
                            {"project": team.project.pk, "username": "stranger-of-beta", "role": "reviewer"},
                            format="json")
    assert duplicate.status_code == 400 and "already a member" in duplicate.data["errors"]["username"]

    url = reverse("membership-detail", args=[made.data["id"]])
    handed = client.patch(url, {"username": "annotator-user"}, format="json")
    assert handed.status_code == 400 and "does not change" in handed.data["errors"]["username"]
    forged = client.patch(url, {"user": team.annotator.pk, "role": "reviewer"}, format="json")
    assert forged.status_code == 200 and forged.data["username"] == "stranger-of-beta"
    moved = client.patch(url, {"project": team.other_project.pk}, format="json")
    assert moved.status_code in (400, 404)
    membership = Membership.objects.get(pk=made.data["id"])
    assert membership.user == foreign["user"] and membership.project == team.project and membership.role == "reviewer"


def test_memberships_list_only_the_projects_members(team, foreign):
    listed = api(team.manager).get(reverse("membership-list")).data["results"]
    assert {m["username"] for m in listed} == {"annotator-user", "reviewer-user", "manager-user"}


def test_a_frozen_release_is_read_only_in_the_admin(team, staff_manager):
    from django.utils import timezone

    from benchmark.releases.models import Release

    release = Release.objects.create(project=team.project, version="1.0.0", format="cg-av-counting", state="frozen",
                                     manifest={"counts": {}}, frozen_at=timezone.now())
    url = reverse("admin:releases_release_change", args=[release.pk])
    page = staff_manager.get(url)
    assert page.status_code == 200 and 'name="version"' not in page.content.decode()  # shown, not a form field
    posted = staff_manager.post(url, {"project": team.project.pk, "version": "9.9.9", "format": "cg-av-counting",
                                      "state": "pending"})
    assert posted.status_code == 403
    release.refresh_from_db()
    assert release.version == "1.0.0" and release.state == "frozen"


def test_failures_shown_to_members_name_no_server_path():
    from benchmark.releases.errors import public

    said = public("scoring failed: ValueError: /srv/cluebench/media/submissions/12/preds.jsonl line 3: bad JSON")
    assert said == "scoring failed: ValueError: preds.jsonl line 3: bad JSON"
    assert public("a/b is a ratio, 3/4 too") == "a/b is a ratio, 3/4 too"


def test_a_staff_manager_sees_the_project_home_with_the_admin_link(team, staff_manager):
    page = staff_manager.get(reverse("project-home", args=[team.project.pk]))
    assert page.status_code == 200
    assert reverse("admin:projects_membership_changelist") in page.content.decode()
