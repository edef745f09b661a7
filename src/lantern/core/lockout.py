"""What django-axes counts sign-in failures against: the account and the client address.

Sign-in finds an account by its email trimmed and lower-cased (``normalise_email``), so
``Name@Example.org`` and `` name@example.org`` are one account. Axes, left to itself,
counts the email exactly as typed: five wrong passwords would lock one spelling and leave
every other spelling of the same account open to guessing. ``username`` gives axes the
account's own spelling instead, so the lock-out holds whatever the attacker types.

``client_address`` counts an IPv6 client by its /64 network, as the public portal's rate
limit does (django-ratelimit's default mask): one household or server is given a whole
/64, and counting its addresses one by one would let it try 2**64 times as often.
"""

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from lantern.core.models import normalise_email

IPV6_PREFIX = 64


def username(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str | None:
    """The account a sign-in attempt is about, spelt as sign-in would look it up."""
    if credentials:
        typed = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        typed = data.get("username")
    if not isinstance(typed, str):
        return None
    return normalise_email(typed)


def client_address(request: HttpRequest) -> str | None:
    """The client address axes counts: REMOTE_ADDR, an IPv6 one reduced to its /64."""
    address = request.META.get("REMOTE_ADDR")
    if not address:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)
