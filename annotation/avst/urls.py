from django.urls import include, path
from rest_framework.routers import SimpleRouter

from annotation.avst import api, views

router = SimpleRouter()
router.register("event-docs", api.EventDocViewSet, basename="eventdoc")
router.register("qa-pairs", api.QAPairViewSet, basename="qapair")

urlpatterns = [
    path("projects/<int:pk>/avst/", views.avst_overview, name="avst-overview"),
    path("projects/<int:pk>/avst/filtering/", views.avst_filtering, name="avst-filtering"),
    path("projects/<int:pk>/avst/qa/", views.avst_qa, name="avst-qa"),
    path("avst/videos/<int:pk>/", views.avst_video, name="avst-video"),
    path("events/<int:pk>/review/", views.event_review, name="event-review"),
    path("events/<int:pk>/history/", views.event_history, name="event-history"),
    path("api/v1/", include(router.urls)),
]
