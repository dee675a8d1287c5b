"""Where R-AVST asks the apps above it (quality control, in annotation.review, plugs these in)."""

from annotation.projects.hooks import Hook

#: ``(event, user)``: a reviewer accepted the event (its QA pairs are generated); in the accept's transaction.
event_accepted = Hook("after an event is accepted", default=lambda **kwargs: None)
#: ``(event) -> QuerySet``: the open comments the event review page shows beside the frames.
event_comments = Hook("comments on an event", default=lambda **kwargs: [])
