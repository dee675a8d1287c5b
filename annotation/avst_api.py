"""REST endpoints of the R-AVST review: the event document the event review page edits."""

from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from annotation import avst, services
from annotation.api import ProjectScopedViewSet
from annotation.permissions import Capability


class EventDocViewSet(mixins.RetrieveModelMixin, ProjectScopedViewSet):
    """An R-AVST event under review: GET it, PUT it whole with the version it read (a stale save gets 409 with the
    current document, an invalid one 400 with every problem); ``"accept": true`` makes it the truth."""

    queryset = avst.event_queryset()
    project_field = "video__project"
    capabilities = {"retrieve": Capability.VIEW, "update": Capability.REVIEW}

    def retrieve(self, request, pk=None):
        return Response(avst.doc_for(self.get_object(), request.user))

    def update(self, request, pk=None):
        event = self.get_object()
        if not isinstance(request.data, dict):
            return Response({"detail": "send the event document as a JSON object", "errors": {}},
                            status=status.HTTP_400_BAD_REQUEST)
        version = request.data.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            return Response({"detail": "send the version you last read", "errors": {"version": "required"}},
                            status=status.HTTP_400_BAD_REQUEST)
        accept = request.data.get("accept", False)
        if not isinstance(accept, bool):
            return Response({"detail": "accept must be true or false", "errors": {"accept": "true or false"}},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            avst.save_event_doc(event=event, expected_version=version, doc=request.data, user=request.user,
                                accept=accept)
        except services.StaleEdit:
            return Response({"detail": "this event changed since you loaded it",
                             "current": avst.doc_for(self.get_queryset().get(pk=event.pk), request.user)},
                            status=status.HTTP_409_CONFLICT)
        except avst.InvalidEventDoc as invalid:
            return Response({"detail": "nothing was saved: " + "; ".join(f"{k}: {v}" for k, v in invalid.errors.items()),
                             "errors": invalid.errors}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(avst.doc_for(self.get_queryset().get(pk=event.pk), request.user))
