"""A NUL byte in a URL is not found, on every database (PostgreSQL refuses it in queries)."""

import pytest

from lantern.core.roles import Role


@pytest.mark.parametrize(
    "path",
    [
        "/intelligence/%00/",
        "/hub/public-reports/%00/",
        "/hub/public-reports/%00/photos/1/",
        "/report/follow-up/%00/",
        "/help/signs/%00/",
    ],
)
def test_a_nul_byte_in_a_path_is_not_found(signed_in, path):
    client = signed_in(Role.HUB_ANALYST)
    assert client.get(path).status_code == 404
