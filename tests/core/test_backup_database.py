"""The PostgreSQL client tools' version is checked before they are trusted with a backup."""

import pytest

from lantern.core.backup.database import BackupError, ensure_tool_version

DEBIAN_15 = "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"


def accepted(version_output: str, *, server_version: int) -> bool:
    """Whether the check lets these tools through; the counterpart of the refusals below."""
    try:
        ensure_tool_version("pg_dump", version_output, server_version=server_version)
    except BackupError:
        return False
    return True


def test_tools_of_the_servers_version_or_newer_are_accepted():
    assert accepted(DEBIAN_15, server_version=150020)
    assert accepted("pg_dump (PostgreSQL) 17.2\n", server_version=150020)
    # The nearest case refused: one major version short of the server.
    assert not accepted(DEBIAN_15, server_version=160001)


@pytest.mark.parametrize("output", ["pg_dump (PostgreSQL) 14.9\n", "pg_dump (PostgreSQL) 9.6.24\n"])
def test_older_tools_are_refused_with_the_version_to_install(output):
    with pytest.raises(
        BackupError, match="server is PostgreSQL 15: install client tools of version 15"
    ):
        ensure_tool_version("pg_dump", output, server_version=150020)
