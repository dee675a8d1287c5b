"""Hardened defaults: login throttling (django-axes) on the login page and the token endpoint, API tokens that
expire, a content security policy on every page, and `check --deploy` clean with the production settings that
the README documents."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import database_url_for_tests

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_passwords_lock_the_login_out_even_for_the_right_one(team):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(4):
        failed = client.post(reverse("login"), {"username": "annotator-user", "password": "wrong"})
        assert failed.status_code == 200  # the form again, with its error
    assert client.post(reverse("login"), {"username": "annotator-user", "password": "wrong"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "annotator-user", "password": "pw-annotator"})
    assert locked.status_code == 429 and "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out for this user.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post(reverse("login"), {"username": "annotator-user", "password": "pw-annotator"}).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_token_endpoint_is_throttled_too(team):
    client = APIClient(REMOTE_ADDR="10.1.2.4")
    for _ in range(2):
        assert client.post(reverse("api-token"), {"username": "manager-user", "password": "no"}).status_code == 400
    assert client.post(reverse("api-token"), {"username": "manager-user", "password": "no"}).status_code == 429
    locked = client.post(reverse("api-token"), {"username": "manager-user", "password": "pw-manager"})
    assert locked.status_code == 429 and not Token.objects.filter(user=team.manager).exists()


@override_settings(CLUEBENCH_TOKEN_HOURS=2)
def test_tokens_expire_and_a_new_one_is_issued(team):
    client = APIClient()
    issued = client.post(reverse("api-token"), {"username": "manager-user", "password": "pw-manager"})
    assert issued.status_code == 200 and issued.data["expires"]
    key = issued.data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("project-list")).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=3))
    expired = client.get(reverse("project-list"))
    assert expired.status_code == 401 and "expired" in expired.data["detail"]
    client.credentials()
    renewed = client.post(reverse("api-token"), {"username": "manager-user", "password": "pw-manager"})
    assert renewed.status_code == 200 and renewed.data["token"] != key


def test_pages_carry_a_content_security_policy(team, client):
    client.force_login(team.manager)
    for url in (reverse("home"), reverse("project-home", args=[team.project.pk]), reverse("swagger-ui")):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    # The API docs have no inline script: the split view serves it as a file of this site.
    docs = client.get(reverse("swagger-ui")).content.decode()
    assert "<script>" not in docs.replace(" ", "")


def test_check_deploy_is_clean_with_the_documented_production_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
           "DJANGO_ALLOWED_HOSTS": "cluebench.example.org", "CLUEBENCH_HTTPS": "true",
           "DATABASE_URL": database_url_for_tests()}
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
