"""The errors of releases and submissions, and the words of a failure as the pages show them."""

import re

from annotation.projects.errors import Invalid

# An absolute path of two parts or more: /srv/media/submissions/7/predictions.jsonl
_PATH = re.compile(r"(?<![\w.])/(?:[\w.+@=-]+/)+([\w.+@=-]+)")


class ReleaseError(Invalid):
    """A release or a submission cannot be made as asked; the message says why."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__({field: message} if field else None, message=message)


def public(message: str) -> str:
    """A failure's words for every member to read: server paths cut down to the file's name."""
    return _PATH.sub(r"\1", message)
