import os
from dataclasses import dataclass
from urllib.parse import quote

# Playwright's sync API runs an event loop in the test thread; Django's live_server tests need this then.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402


@dataclass
class ProjectTeam:
    project: object
    other_project: object
    annotator: object
    reviewer: object
    manager: object
    outsider: object

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def team(db, django_user_model):
    """A counting project with one member per role, a user of another project, and that other project."""
    from annotation.models import Membership, Project, ProjectKind, Role

    project = Project.objects.create(name="alpha", kind=ProjectKind.COUNTING)
    other = Project.objects.create(name="beta", kind=ProjectKind.AVST)
    users = {}
    for role in ("annotator", "reviewer", "manager", "outsider"):
        users[role] = django_user_model.objects.create_user(username=f"{role}-user", password="pw-" + role)
    for role in (Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER):
        Membership.objects.create(project=project, user=users[role.value], role=role)
    Membership.objects.create(project=other, user=users["outsider"], role=Role.MANAGER)
    return ProjectTeam(project=project, other_project=other, **users)


def database_url_for_tests() -> str:
    """The URL of the test database (test_<name>), for processes the tests start."""
    from django.db import connection

    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = quote(s["HOST"] or "localhost", safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgresql://{auth}@{host}{port}/{s['NAME']}"
