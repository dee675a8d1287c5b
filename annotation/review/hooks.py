"""Where quality control asks the app above it (releases plug these in)."""

from annotation.projects.hooks import Hook


def _none_released(*, project, key):
    return None, "no frozen release yet"


#: ``(project, key) -> (count | None, note)``: how many questions ("questions") or QA pairs ("qa_pairs") the
#: project's latest frozen release holds, and a note saying which release, for the funnel's last step.
released_count = Hook("released count", default=_none_released)
#: ``(project) -> list[Release]``: the frozen CG-AV-Counting releases a human baseline can be built for, newest
#: first, for the agreement page.
baseline_releases = Hook("releases for a human baseline", default=lambda **kwargs: [])
