"""Writes for the core app: each runs in a transaction and writes its audit record."""

from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import audit
from lantern.core.models import User


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is enrolling, created on first visit."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp_device(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest
) -> bool:
    """Confirm enrolment with a first code. Replaces any authenticator enrolled before."""
    if not device.verify_token(token):
        audit.record(action=audit.Action.SECOND_FACTOR_FAILED, actor=user, request=request)
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(action=audit.Action.SECOND_FACTOR_ENROLLED, actor=user, request=request)
    return True
