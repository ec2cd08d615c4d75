"""Issue 12 item 16: scripts/serve starts again whatever dies, and stops all."""

import os
import signal

import pytest

from tests.faults.harness import Site, alive, descendants, wait_until


@pytest.mark.faults
@pytest.mark.timeout(300)
def test_item16_serve_restarts_each_process_killed_and_stops_all_on_term(tmp_path):
    site = Site(tmp_path, {"TASKS_BACKEND": "database"}, workers=1)
    site.manage("migrate", "--noinput", "-v", "0")
    client = site.client()
    site.start()
    try:
        wait_until(lambda: client.get("/healthz").status == 200, timeout=90, step=0.5)
        first = {name: site.started(name) for name in ("web", "worker", "scheduler")}
        assert [len(pids) for pids in first.values()] == [1, 1, 1]

        back_after = {}
        for name in ("worker", "scheduler", "web"):
            os.kill(site.started(name)[-1], signal.SIGKILL)
            back_after[name] = wait_until(lambda n=name: len(site.started(n)) == 2, timeout=20)
            assert alive(site.started(name)[-1])
        # The new gunicorn serves again.
        wait_until(lambda: client.get("/healthz").status == 200, timeout=90, step=0.5)
        print(f"\nitem 16: started again after kill -9 in {back_after} s")
        assert all(seconds < 5 for seconds in back_after.values())
        serving = descendants(site.process.pid)
    finally:
        took, left = site.stop()

    assert left == []
    assert not any(alive(pid) for pid in serving)
    assert took < 40
    log = site.log.read_text()
    for name in ("worker", "scheduler", "web"):
        assert f"serve: {name} exited with status 137, restarting in 2 s" in log
    assert log.count("serve: stopping") == 1
