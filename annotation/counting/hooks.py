"""Where counting asks the apps above it (quality control, in annotation.review, plugs these in).

A question leaves its annotator's hands for the review queues: held by a reviewer in arbitration or audit, or
annotated a second time, blind, by another annotator. Counting owns the question and its document; what the
queues decide about them is asked here. Defaults: nobody holds a question, nothing is hidden, nothing happens
after a save or a submit.
"""

from django.db.models import Q

from annotation.projects.errors import NotEditable
from annotation.projects.hooks import Hook


def _nothing_hidden(*, user) -> Q:
    return Q(pk__in=[])


def _held_by_nobody(*, question, user) -> bool:
    return False


def _no_restart(*, question, user):
    return None


def _no_second_pass(*, question, user):
    raise NotEditable("second passes are submitted through double annotation, which is not installed")


def _nothing(**kwargs) -> None:
    return None


#: ``(user) -> Q``: the questions this user must not see (double annotation is blind).
hidden_questions = Hook("questions hidden from a user", default=_nothing_hidden)
#: ``(question, user) -> bool``: whether the user holds the question in a review queue (arbitration, audit, or a
#: second pass's double-annotation item), and so may edit it outside stages 2 and 3.
held_by = Hook("question held in a review queue", default=_held_by_nobody)
#: ``(question, user) -> datetime | None``: from when a second pass's history is its current annotator's own.
history_start = Hook("history start of a restarted second pass", default=_no_restart)
#: ``(question, user) -> (question, outcome, message)``: submit a second pass (the question is locked).
submit_second_pass = Hook("submit a second pass", default=_no_second_pass)
#: ``(question, user)``: after a document save, in its transaction.
question_saved = Hook("after a question's document is saved", default=_nothing)
#: ``(question, outcome, user)``: after a submit ("pooled" or "arbitration"), in its transaction.
question_submitted = Hook("after a question is submitted", default=_nothing)
#: ``(question, user)``: a manager restored the question and it returns to work; in the restore's transaction.
question_reopened = Hook("after a question is reopened by a restore", default=_nothing)
#: ``(question, request) -> dict``: what the workspace page shows beside the document (comments and whether the
#: user may write one: ``{"comments": [...], "can_comment": bool}``).
workspace_extras = Hook("workspace page extras", default=lambda **kwargs: {"comments": [], "can_comment": False})
