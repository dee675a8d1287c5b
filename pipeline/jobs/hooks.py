"""Where the jobs app asks the apps above it (counting plugs this in).

A job's parameters and result can show what its target holds: a click job on a question carries the point and
the box of one of its clues. Whoever may not see the question (double annotation is blind) must not see its
jobs either. Default: nothing is hidden.
"""

from django.db.models import Q

from annotation.projects.hooks import Hook


def _nothing_hidden(*, user) -> Q:
    return Q(pk__in=[])


#: ``(user) -> Q`` over jobs: the jobs this user must not see (those of questions hidden from them).
hidden_jobs = Hook("jobs hidden from a user", default=_nothing_hidden)
