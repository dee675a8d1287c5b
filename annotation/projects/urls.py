from django.urls import include, path
from rest_framework.routers import SimpleRouter

from annotation.projects import api, views

router = SimpleRouter()
router.register("projects", api.ProjectViewSet, basename="project")
router.register("memberships", api.MembershipViewSet, basename="membership")

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project_home, name="project-home"),
    path("api/v1/", include(router.urls)),
]
