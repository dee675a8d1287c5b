import pytest

from annotation.projects.models import Role
from annotation.projects.permissions import Capability, role_allows

EXPECTED = {
    None: set(),
    Role.ANNOTATOR: {Capability.VIEW, Capability.ANNOTATE},
    Role.REVIEWER: {Capability.VIEW, Capability.ANNOTATE, Capability.REVIEW},
    Role.MANAGER: set(Capability),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_capabilities_of_each_role(role):
    assert {c for c in Capability if role_allows(role, c)} == EXPECTED[role]
