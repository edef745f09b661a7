"""Every read of background work: the jobs page is for system administrators only."""

from django.db.models import QuerySet

from lantern.core import access
from lantern.core.models import User
from lantern.housekeeping.models import Job


def jobs(user: User) -> QuerySet[Job]:
    """Every background job for a system administrator; none for anyone else."""
    if not access.can_administer(user):
        return Job.objects.none()
    return Job.objects.all()
