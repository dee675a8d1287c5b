from django.urls import include, path
from rest_framework.routers import SimpleRouter

from annotation.review import api, views

router = SimpleRouter()
router.register("review-items", api.ReviewItemViewSet, basename="reviewitem")
router.register("comments", api.CommentViewSet, basename="comment")
router.register("question-table", api.QuestionTableViewSet, basename="questiontable")

urlpatterns = [
    path("projects/<int:pk>/review/", views.review_queues, name="review-queues"),
    path("review/<int:pk>/", views.review_item, name="review-item"),
    path("projects/<int:pk>/review/sample/", views.review_sample, name="review-sample"),
    path("projects/<int:pk>/double/next/", views.double_next, name="double-next"),
    path("projects/<int:pk>/agreement/", views.agreement_page, name="agreement"),
    path("projects/<int:pk>/quality/", views.quality_page, name="quality"),
    path("projects/<int:pk>/quality/me/", views.my_quality_page, name="quality-me"),
    path("projects/<int:pk>/funnel/", views.funnel_page, name="funnel"),
    path("projects/<int:pk>/questions/", views.question_table, name="question-table"),
    path("api/v1/", include(router.urls)),
]
