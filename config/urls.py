from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from annotation import api as annotation_api
from annotation import avst_api, avst_views
from annotation import media_views
from annotation import views as annotation_views
from benchmark import api as benchmark_api
from benchmark import views as benchmark_views
from pipeline import api as pipeline_api
from pipeline import views as pipeline_views

router = DefaultRouter()
router.register("projects", annotation_api.ProjectViewSet, basename="project")
router.register("memberships", annotation_api.MembershipViewSet, basename="membership")
router.register("videos", annotation_api.VideoViewSet, basename="video")
router.register("candidates", annotation_api.CandidateQuestionViewSet, basename="candidate")
router.register("questions", annotation_api.QuestionViewSet, basename="question")
router.register("question-docs", annotation_api.QuestionDocViewSet, basename="questiondoc")
router.register("review-items", annotation_api.ReviewItemViewSet, basename="reviewitem")
router.register("event-docs", avst_api.EventDocViewSet, basename="eventdoc")
router.register("comments", annotation_api.CommentViewSet, basename="comment")
router.register("jobs", pipeline_api.JobViewSet, basename="job")
router.register("llm-calls", pipeline_api.LLMCallViewSet, basename="llmcall")
router.register("releases", benchmark_api.ReleaseViewSet, basename="release")
router.register("submissions", benchmark_api.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("", annotation_views.home, name="home"),
    path("projects/<int:pk>/", annotation_views.project_home, name="project-home"),
    path("projects/<int:pk>/jobs/", pipeline_views.project_jobs, name="project-jobs"),
    path("projects/<int:pk>/videos/", annotation_views.project_videos, name="project-videos"),
    path("videos/<int:pk>/", annotation_views.video_detail, name="video-detail-page"),
    path("projects/<int:pk>/stage1/", annotation_views.stage1_overview, name="stage1"),
    path("questions/<int:pk>/workspace/", annotation_views.workspace_page, name="workspace"),
    path("questions/<int:pk>/history/", annotation_views.question_history, name="question-history"),
    path("projects/<int:pk>/review/", annotation_views.review_queues, name="review-queues"),
    path("review/<int:pk>/", annotation_views.review_item, name="review-item"),
    path("projects/<int:pk>/review/sample/", annotation_views.review_sample, name="review-sample"),
    path("projects/<int:pk>/double/next/", annotation_views.double_next, name="double-next"),
    path("projects/<int:pk>/agreement/", annotation_views.agreement_page, name="agreement"),
    path("projects/<int:pk>/quality/", annotation_views.quality_page, name="quality"),
    path("projects/<int:pk>/quality/me/", annotation_views.my_quality_page, name="quality-me"),
    path("projects/<int:pk>/funnel/", annotation_views.funnel_page, name="funnel"),
    path("projects/<int:pk>/workspace/next/", annotation_views.workspace_next, name="workspace-next"),
    path("videos/<int:pk>/stage1/", annotation_views.stage1_video, name="stage1-video"),
    path("projects/<int:pk>/llm/", annotation_views.llm_spend, name="llm-spend"),
    path("projects/<int:pk>/avst/", avst_views.avst_overview, name="avst-overview"),
    path("projects/<int:pk>/avst/filtering/", avst_views.avst_filtering, name="avst-filtering"),
    path("avst/videos/<int:pk>/", avst_views.avst_video, name="avst-video"),
    path("events/<int:pk>/review/", avst_views.event_review, name="event-review"),
    path("events/<int:pk>/history/", avst_views.event_history, name="event-history"),
    path("projects/<int:pk>/releases/", benchmark_views.project_releases, name="project-releases"),
    path("releases/<int:pk>/", benchmark_views.release_detail, name="release"),
    path("releases/<int:pk>/download.zip", benchmark_views.release_zip, name="release-zip"),
    path("releases/<int:pk>/human-baseline/", benchmark_views.release_human_baseline, name="release-human-baseline"),
    path("submissions/<int:pk>/", benchmark_views.submission_detail, name="submission"),
    path("jobs/", pipeline_views.jobs, name="jobs"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/videos/<int:pk>/proxy.mp4", media_views.ProxyView.as_view(), name="video-proxy"),
    path("api/v1/videos/<int:pk>/audio.m4a", media_views.AudioView.as_view(), name="video-audio"),
    path("api/v1/videos/<int:pk>/peaks.json", media_views.PeaksView.as_view(), name="video-peaks"),
    path("api/v1/videos/<int:pk>/spectrogram.json", media_views.SpectrogramView.as_view(), name="video-spectrogram"),
    path("api/v1/videos/<int:pk>/thumbnails.jpg", media_views.ThumbnailsView.as_view(), name="video-thumbnails"),
    path("api/v1/videos/<int:pk>/frames/<int:index>.jpg", media_views.FrameView.as_view(), name="video-frame"),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
