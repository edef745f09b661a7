"""The chart renderer starts when a web or worker process starts, not on a first request."""

import importlib
import threading

from lantern.evaluation import charts


def test_the_warm_up_starts_the_renderer_in_a_thread_of_its_own():
    thread = charts.warm_up_in_background()

    assert thread.daemon and thread is not threading.current_thread()
    thread.join(timeout=120)
    assert not thread.is_alive()
    svg = charts.bar_chart([{"label": "2025/26", "value": 3}], title="Three reports")
    assert svg.startswith("<svg ") and 'aria-label="Three reports"' in svg


def test_the_web_entry_point_and_the_worker_warm_it_up(monkeypatch, db):
    started = []
    monkeypatch.setattr(charts, "warm_up_in_background", lambda: started.append("chart"))
    from lantern import wsgi  # the first import in this process warms up already

    started.clear()
    importlib.reload(wsgi)  # as each web worker loads it
    assert started == ["chart"]
    from lantern.housekeeping.management.commands import worker

    monkeypatch.setattr(worker.DatabaseWorkerCommand, "handle", lambda *args, **options: None)
    # The worker's heartbeat thread writes through its own connection: not needed here.
    monkeypatch.setattr(worker.workers, "Heartbeat", _NoHeartbeat)
    worker.Command().handle(daily=False, worker_id="charts-test")

    assert started == ["chart", "chart"]


class _NoHeartbeat:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass
