from django.urls import include, path
from rest_framework.routers import SimpleRouter

from benchmark.releases import api, views

router = SimpleRouter()
router.register("releases", api.ReleaseViewSet, basename="release")
router.register("submissions", api.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("projects/<int:pk>/releases/", views.project_releases, name="project-releases"),
    path("releases/<int:pk>/", views.release_detail, name="release"),
    path("releases/<int:pk>/download.zip", views.release_zip, name="release-zip"),
    path("releases/<int:pk>/human-baseline/", views.release_human_baseline, name="release-human-baseline"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("api/v1/", include(router.urls)),
]
