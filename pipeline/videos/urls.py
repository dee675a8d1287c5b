from django.urls import include, path
from rest_framework.routers import SimpleRouter

from pipeline.videos import api, media_views, views

router = SimpleRouter()
router.register("videos", api.VideoViewSet, basename="video")

urlpatterns = [
    path("projects/<int:pk>/videos/", views.project_videos, name="project-videos"),
    path("videos/<int:pk>/", views.video_detail, name="video-detail-page"),
    path("videos/<int:pk>/delete/", views.video_action, {"action": "delete"}, name="video-delete-page"),
    path("videos/<int:pk>/reprocess/", views.video_action, {"action": "reprocess"}, name="video-reprocess-page"),
    path("api/v1/videos/<int:pk>/proxy.mp4", media_views.ProxyView.as_view(), name="video-proxy"),
    path("api/v1/videos/<int:pk>/audio.m4a", media_views.AudioView.as_view(), name="video-audio"),
    path("api/v1/videos/<int:pk>/peaks.json", media_views.PeaksView.as_view(), name="video-peaks"),
    path("api/v1/videos/<int:pk>/spectrogram.json", media_views.SpectrogramView.as_view(), name="video-spectrogram"),
    path("api/v1/videos/<int:pk>/thumbnails.jpg", media_views.ThumbnailsView.as_view(), name="video-thumbnails"),
    path("api/v1/videos/<int:pk>/frames/<int:index>.jpg", media_views.FrameView.as_view(), name="video-frame"),
    path("api/v1/", include(router.urls)),
]
