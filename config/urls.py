"""The site's URLs: each app's own, and what belongs to the site as a whole (login, admin, API schema)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotation.projects.api import ObtainExpiringToken

urlpatterns = [
    path("", include("annotation.projects.urls")),
    path("", include("pipeline.jobs.urls")),
    path("", include("pipeline.videos.urls")),
    path("", include("annotation.counting.urls")),
    path("", include("annotation.avst.urls")),
    path("", include("annotation.review.urls")),
    path("", include("benchmark.releases.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("cluebench/favicon.svg"), permanent=True)),
    path("api/v1/auth/token/", ObtainExpiringToken.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's script as a file: no inline script, so the content security policy holds.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
