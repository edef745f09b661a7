"""How a partner system signs in to the API: django-rest-knox's hashed tokens, checked first.

knox decodes the token as UTF-8 and looks its first characters up in the database without
checking them: a header holding a byte that is not UTF-8, or a NUL byte that PostgreSQL
refuses in a query, made a server error. A Lantern token (``lantern_`` and hex) and a key
migrated from DRF (hex) are letters, digits and underscores only; anything else is refused
as an invalid token (401) before any query. docs/adr/0018-hashed-api-tokens.md.
"""

import re

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions

from lantern.core.models import User

# Longer than any token Lantern issues (72 characters) or migrated (40).
_WELL_FORMED = re.compile(rb"[A-Za-z0-9_]{1,128}")


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <token>``, refused alike whether malformed, unknown or expired."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        if not _WELL_FORMED.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)
