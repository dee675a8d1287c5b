"""Who may do what in a project. Every page and endpoint asks these functions; none decides on its own.

Roles are ranked: a reviewer can also annotate, a manager can do everything
in the project. A user who is not a member sees nothing of the project
(pages and endpoints answer 404, so its existence is not disclosed).
"""

from enum import Enum

from annotation.projects.models import Role

ROLE_RANK = {Role.ANNOTATOR: 1, Role.REVIEWER: 2, Role.MANAGER: 3}


class Capability(str, Enum):
    VIEW = "view"  # see the project, its videos, questions and jobs
    ANNOTATE = "annotate"  # propose, answer and clue questions
    REVIEW = "review"  # work the quality-control queues, accept or reject proposals
    MANAGE = "manage"  # members, settings, automation runs, releases and exports


MINIMUM_ROLE = {
    Capability.VIEW: Role.ANNOTATOR,
    Capability.ANNOTATE: Role.ANNOTATOR,
    Capability.REVIEW: Role.REVIEWER,
    Capability.MANAGE: Role.MANAGER,
}


def role_allows(role: str | None, capability: Capability) -> bool:
    if role is None:
        return False
    return ROLE_RANK[Role(role)] >= ROLE_RANK[MINIMUM_ROLE[capability]]
