"""API tokens that expire: a token is accepted for CLUEBENCH_TOKEN_HOURS after it was issued, and asking for one
again after that issues a new one (``annotation.projects.api.ObtainExpiringToken``). No DRF view is imported here:
DRF loads authentication classes while its views module is being set up."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from axes.backends import AxesStandaloneBackend
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.CLUEBENCH_TOKEN_HOURS)


def expired(token: Token) -> bool:
    return token.created < timezone.now() - token_lifetime()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than its lifetime (the client asks for a new one)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expired(token):
            raise exceptions.AuthenticationFailed("the token has expired: ask /api/v1/auth/token/ for a new one")
        return user, token


class LoginThrottle(AxesStandaloneBackend):
    """django-axes' lockout check for logins over HTTP. An authentication without a request (a management command,
    a shell) has no address to throttle: it passes on to the model backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
