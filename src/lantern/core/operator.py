"""Who ran an operator's command, for the audit log, when no user is signed in."""

import getpass
import os
import socket


def operator_name() -> str:
    """``user@host`` as the machine knows them: what the audit log records for a CLI run."""
    try:
        user = getpass.getuser()
    except OSError:  # no name for this uid, e.g. in a container
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"[:254]
