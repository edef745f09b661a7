"""Presenters: what templates show, computed from models, so templates stay logic-free."""

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property
from django_otp.plugins.otp_totp.models import TOTPDevice

PAGE_SIZE = 50


def paginate(request: HttpRequest, records: Any) -> dict[str, Any]:
    """The page of ``records`` the query's ``page`` asks for (the first or last if out of
    range), as ``intelligence/includes/pagination.html`` takes it: lists never silently
    leave records off."""
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
    }


@dataclass(frozen=True)
class TotpEnrolment:
    """The secret of an authenticator being enrolled, as a QR code and as text."""

    device: TOTPDevice
    account: str

    @cached_property
    def secret(self) -> str:
        return base64.b32encode(self.device.bin_key).decode("ascii").rstrip("=")

    @cached_property
    def spaced_secret(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    @cached_property
    def uri(self) -> str:
        issuer = quote(settings.OTP_TOTP_ISSUER)
        return (
            f"otpauth://totp/{issuer}:{quote(self.account)}?secret={self.secret}"
            f"&issuer={issuer}&digits={self.device.digits}&period={self.device.step}"
        )

    @cached_property
    def qr_code_data_uri(self) -> str:
        return segno.make(self.uri, error="m").svg_data_uri(scale=5, border=2)
