"""A job that takes long the first time it runs, for the test that kills its worker."""

import os
import time
from pathlib import Path

from django.tasks import task


@task(queue_name="default")
def slow_once(*, marker: str) -> int:
    """Append a line to ``marker`` each time it starts; the first run then sleeps for long."""
    path = Path(marker)
    with path.open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    starts = len(path.read_text().splitlines())
    if starts == 1:
        time.sleep(300)
    return starts
