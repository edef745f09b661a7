"""What django-axes counts sign-in failures against: the account and the client address.

Sign-in finds an account by its email trimmed and lower-cased (``normalise_email``), so
``Name@Example.org`` and `` name@example.org`` are one account. Axes, left to itself,
counts the email exactly as typed: five wrong passwords would lock one spelling and leave
every other spelling of the same account open to guessing. ``username`` gives axes the
account's own spelling instead, so the lock-out holds whatever the attacker types.

``client_address`` is the client both axes and the public portal's rate limit count: an
IPv6 client by its /64 network (one household or server is given a whole /64, and
counting its addresses one by one would let it try 2**64 times as often), and behind a
proxy the address the proxy saw, not one the client wrote into a header.
"""

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from lantern.core.models import normalise_email

IPV6_PREFIX = 64
# What a header that holds no address counts as: one client (an address, for the rate
# limit parses it), from the documentation range no real client has.
UNKNOWN_CLIENT = "192.0.2.0"


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
    """The client address sign-in failures and the public portal's sends are counted by.

    ``REMOTE_ADDR``, or behind a reverse proxy the header it sets
    (``CLIENT_ADDRESS_HEADER``, e.g. ``HTTP_X_FORWARDED_FOR``). Of that header only the
    last address counts: the proxy appends the address it saw, and everything before it
    is whatever the client chose to send, which would give every request a counter of
    its own (and a list of addresses is not one address). An IPv6 client is counted by
    its /64.
    """
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        address = request.META.get(header, "").split(",")[-1].strip()
    else:
        address = request.META.get("REMOTE_ADDR", "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        # Not an address (a misconfigured proxy): all such requests count as one client.
        return UNKNOWN_CLIENT
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)
