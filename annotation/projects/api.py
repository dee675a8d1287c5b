"""The project-scoped base every app's viewsets use, and the endpoints of projects and memberships.

Querysets only ever contain rows of projects the user may see, so a non-member gets 404 for anything of a
project; a member whose role is too low for the action gets 403.
"""

from django.db import IntegrityError, transaction
from rest_framework import mixins, permissions, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotation.projects import selectors
from annotation.projects.authentication import expired, token_lifetime
from annotation.projects.errors import NotAllowed, NotMember
from annotation.projects.models import Membership, Project
from annotation.projects.permissions import Capability
from annotation.projects.serializers import MembershipSerializer, ProjectSerializer

SAFE_ACTIONS = {"list", "retrieve", "metadata"}


class ProjectCapabilityPermission(permissions.BasePermission):
    """Checks the capability the view names for the current action against the user's role in the object's project."""

    def has_object_permission(self, request, view, obj) -> bool:
        return selectors.can(user=request.user, project=view.project_of(obj), capability=view.capability_for_action())


class ProjectScopedViewSet(viewsets.GenericViewSet):
    """Base for viewsets over rows that belong to a project through `project_field`."""

    permission_classes = [permissions.IsAuthenticated, ProjectCapabilityPermission]
    project_field = "project"
    capabilities: dict[str, Capability] = {}
    # Lists show only rows of projects where the user has this capability.
    list_capability = Capability.VIEW

    def capability_for_action(self) -> Capability:
        if self.action in self.capabilities:
            return self.capabilities[self.action]
        return Capability.VIEW if self.action in SAFE_ACTIONS else Capability.MANAGE

    def project_of(self, obj) -> Project:
        for part in self.project_field.split("__"):
            obj = getattr(obj, part)
        return obj

    def get_queryset(self):
        capability = self.list_capability if self.action == "list" else Capability.VIEW
        projects = selectors.projects_for(user=self.request.user, capability=capability)
        queryset = super().get_queryset().filter(**{f"{self.project_field}__in": projects})
        project_id = self.request.query_params.get("project")
        if project_id:
            if not project_id.isdigit():
                raise ValidationError({"project": "must be a project id"})
            queryset = queryset.filter(**{f"{self.project_field}__id": int(project_id)})
        return queryset

    def require(self, project: Project, capability: Capability) -> None:
        """For writes whose project comes from the request body rather than from an existing row."""
        if not selectors.can(user=self.request.user, project=project, capability=capability):
            if selectors.can(user=self.request.user, project=project, capability=Capability.VIEW):
                raise NotAllowed(f"your role in {project.name} does not allow this ({capability.value})")
            raise NotMember()


class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ProjectScopedViewSet
):
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    project_field = "pk"
    capabilities = {"summary": Capability.VIEW}

    def project_of(self, obj) -> Project:
        return obj

    def get_queryset(self):
        return selectors.projects_for(user=self.request.user)

    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """Counts per workflow state for every stage of the project."""
        return Response(selectors.project_summary(project=self.get_object()))


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProjectScopedViewSet,
):
    queryset = Membership.objects.select_related("user", "project")
    serializer_class = MembershipSerializer

    def perform_create(self, serializer):
        self.require(serializer.validated_data["project"], Capability.MANAGE)
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError({"username": "this user is already a member of the project"})

    def perform_update(self, serializer):
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError({"username": "this user is already a member of the project"})


class ObtainExpiringToken(ObtainAuthToken):
    """POST username and password: the user's token (a new one when the last has expired), and when it expires."""

    def get_serializer_context(self):
        # django-axes marks a locked-out attempt on Django's request, where its middleware answers it with 429.
        return {**super().get_serializer_context(), "request": self.request._request}

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        if expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires": (token.created + token_lifetime()).isoformat()})
