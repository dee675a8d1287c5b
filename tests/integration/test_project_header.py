"""The project header on every project page: tabs for the project's stages and queues, the current one marked, and
the review tabs only for those who may review."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, shows_review", [("annotator", False), ("reviewer", True), ("manager", True)])
@pytest.mark.parametrize("page", ["project-home", "project-videos", "project-releases", "project-jobs", "stage1"])
def test_the_review_tabs_follow_the_role_on_every_page(client, team, role, shows_review, page):
    client.force_login(team.user(role))
    html = client.get(reverse(page, args=[team.project.pk])).content.decode()
    assert 'aria-label="Project"' in html
    assert (reverse("review-queues", args=[team.project.pk]) in html) == shows_review
    assert (reverse("question-table", args=[team.project.pk]) in html) == shows_review
    quality = reverse("quality" if shows_review else "quality-me", args=[team.project.pk])
    assert f'href="{quality}"' in html


def test_the_current_tab_is_marked(client, team):
    client.force_login(team.manager)
    html = client.get(reverse("project-videos", args=[team.project.pk])).content.decode()
    videos = reverse("project-videos", args=[team.project.pk])
    assert f'<a href="{videos}" aria-current="page">' in html
