"""Template tags of project pages: what the viewing user may do in a project (the project header's tabs)."""

from django import template

from annotation.projects import selectors
from annotation.projects.permissions import Capability

register = template.Library()


@register.simple_tag(takes_context=True)
def project_can(context, project, capability: str) -> bool:
    """``{% project_can project "review" as may_review %}``: whether the request's user has the capability."""
    request = context.get("request")
    if request is None or project is None:
        return False
    return selectors.can(user=request.user, project=project, capability=Capability(capability))
