from django.urls import include, path
from rest_framework.routers import SimpleRouter

from annotation.counting import api, views

router = SimpleRouter()
router.register("candidates", api.CandidateQuestionViewSet, basename="candidate")
router.register("questions", api.QuestionViewSet, basename="question")
router.register("question-docs", api.QuestionDocViewSet, basename="questiondoc")

urlpatterns = [
    path("projects/<int:pk>/stage1/", views.stage1_overview, name="stage1"),
    path("videos/<int:pk>/stage1/", views.stage1_video, name="stage1-video"),
    path("projects/<int:pk>/workspace/next/", views.workspace_next, name="workspace-next"),
    path("questions/<int:pk>/workspace/", views.workspace_page, name="workspace"),
    path("questions/<int:pk>/history/", views.question_history, name="question-history"),
    path("api/v1/", include(router.urls)),
]
