"""Background work of the entities app: the correlation sweep after a large import.

An import too large to link in the request (``intelligence.imports``) enqueues this in
the transaction that stores its reports, so the sweep is never forgotten and never runs
for an import that was rolled back.
"""

from django.tasks import task

from lantern.entities import correlation


@task(queue_name="default")
def correlate_unresolved() -> dict[str, int]:
    """Link every mention still without an entity (``lantern entities correlate``)."""
    return {"resolved": correlation.correlate_unresolved()}
