from django.urls import include, path
from rest_framework.routers import SimpleRouter

from pipeline.jobs import api, views

router = SimpleRouter()
router.register("jobs", api.JobViewSet, basename="job")
router.register("llm-calls", api.LLMCallViewSet, basename="llmcall")

urlpatterns = [
    path("jobs/", views.jobs, name="jobs"),
    path("projects/<int:pk>/jobs/", views.project_jobs, name="project-jobs"),
    path("projects/<int:pk>/llm/", views.llm_spend, name="llm-spend"),
    path("api/v1/", include(router.urls)),
]
