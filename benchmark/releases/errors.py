"""The errors of releases and submissions."""

from annotation.projects.errors import Invalid


class ReleaseError(Invalid):
    """A release or a submission cannot be made as asked; the message says why."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__({field: message} if field else None, message=message)
