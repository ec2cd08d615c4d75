"""Issue 19 item 3: the cluster behind nginx, in Chromium. deploy/cluster/
cluster.py (CLUSTER_MINIMAL: PostgreSQL, Redis, two gunicorns, nginx with TLS
from a local CA) in a folder and on ports of the test's own; a member signs
in through nginx and the session holds while nginx sends the requests to
both web processes in turn (X-Upstream names the one that served). Then TERM
stops every process it started. Runs with `make faults`.

The second test starts the whole cluster (a streaming replica, s3rver as the
bucket of STORAGE_URL, X-Accel previews, the worker, JSON logs) and runs
tests/load/storage_check.py against it: files only in the bucket, and only
through the permission check; /readyz lists every part and /metrics
answers on loopback."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.faults.harness import ROOT, alive, descendants, wait_until

PAGES = ["/resources/", "/library/saved/", "/staffroom/", "/messages/", "/feed/"]


def free_base() -> int:
    """A port whose 31 successors are free too (the cluster's port block)."""
    for _ in range(50):
        base = random.randrange(20000, 60000)
        with socket.socket() as probe:
            if all(probe.connect_ex(("127.0.0.1", base + n)) != 0 for n in range(31)):
                return base
    raise RuntimeError("no free port block")


def start_cluster(
    prefix: str, tmp_path: Path, base: int, *, minimal: bool = False
) -> tuple[Path, dict[str, str], subprocess.Popen[bytes]]:
    """`cluster.py run` on ports from ``base``, in a VAR_DIR of its own (not
    under pytest's tmp_path: the postgres user must reach it), with none of
    the shared servers' settings; its log in tmp_path/cluster.log."""
    var = Path(tempfile.mkdtemp(prefix=prefix))
    var.chmod(0o755)
    (var / "secret_key").write_text("cluster-test-secret-key-" + "x" * 40)
    env = {**os.environ, "VAR_DIR": str(var), "CLUSTER_PORT": str(base),
           "CLUSTER_WEB_WORKERS": "1"}  # fmt: skip
    env.pop("CLUSTER_MINIMAL", None)
    if minimal:
        env["CLUSTER_MINIMAL"] = "1"
    for name in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "SECRET_KEY", "EMAIL_URL"):
        env.pop(name, None)
    cluster = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "deploy/cluster/cluster.py", "run"], cwd=ROOT, env=env,
        stdout=(tmp_path / "cluster.log").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    return var, env, cluster


@pytest.mark.faults
@pytest.mark.browser
@pytest.mark.timeout(400)
def test_r_issue19_session_moves_between_both_web_processes_behind_nginx(tmp_path, monkeypatch):
    if not CHROMIUM.exists() or not Path("/usr/sbin/nginx").exists():
        pytest.skip("needs Debian's chromium and nginx (make cluster-deps)")
    var, _env, cluster = start_cluster(
        "commonroom-cluster-test-", tmp_path, free_base(), minimal=True
    )
    state_file = var / "cluster/run/cluster.json"
    seen: list[str] = []
    started: list[int] = []
    try:
        wait_until(
            lambda: "nginx" in json.loads(state_file.read_text() or "{}").get("pids", {}),
            timeout=300, step=1,
        )  # fmt: skip
        state = json.loads(state_file.read_text())
        started = descendants(cluster.pid)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            # The cluster's own CA is not in Chromium's store.
            context = browser.new_context(
                base_url=state["url"], locale="en-GB", ignore_https_errors=True
            )
            context.set_default_timeout(30_000)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("Email").first.fill("teacher@demo.commonroom.example")
            page.get_by_label("Password").first.fill("demo-Commonroom-2026")
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            for path in PAGES * 2:
                answer = page.goto(path)
                assert answer is not None
                assert answer.status == 200, path
                assert answer.url.startswith(state["url"] + path), answer.url
                # Signed in on whichever process served the page.
                assert page.get_by_role("button", name="Sign out").count() == 1, path
                seen.append(answer.headers["x-upstream"])
            cookies = {c["name"]: c for c in context.cookies()}
            browser.close()
    finally:
        took, left = stop(cluster)
        leftovers = [pid for pid in started if alive(pid)]
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(var, ignore_errors=True)
    ports = {f"127.0.0.1:{state['ports']['web1']}", f"127.0.0.1:{state['ports']['web2']}"}
    print(f"\ncluster test: served by {sorted(set(seen))}; stopped in {took:.1f} s")
    assert set(seen) == ports
    assert cookies["sessionid"]["secure"] is True
    assert left == 0
    assert leftovers == []


@pytest.mark.faults
@pytest.mark.timeout(480)
def test_r_issue19_full_cluster_files_only_in_the_bucket_and_through_the_permission_check(
    tmp_path: Path,
) -> None:
    # What `make faults` installs (cluster-deps, node_modules/.installed).
    needed = [Path("/usr/sbin/nginx"), ROOT / "node_modules/.bin/s3rver"]
    if missing := [str(path) for path in needed if not path.exists()]:
        pytest.skip(f"needs {', '.join(missing)} (make cluster-deps node_modules/.installed)")
    var, env, cluster = start_cluster("commonroom-cluster-full-", tmp_path, free_base())
    state_file = var / "cluster/run/cluster.json"
    started: list[int] = []
    try:
        wait_until(
            lambda: "nginx" in json.loads(state_file.read_text() or "{}").get("pids", {}),
            timeout=360, step=1,
        )  # fmt: skip
        state = json.loads(state_file.read_text())
        started = descendants(cluster.pid)
        check = subprocess.run(  # noqa: S603
            [str(ROOT / ".venv/bin/python"), "tests/load/storage_check.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        ready = json.loads(fetch(state, "/readyz"))
        metrics = fetch(state, "/metrics", port=state["ports"]["web1"])
    finally:
        took, left = stop(cluster)
        leftovers = [pid for pid in started if alive(pid)]
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(var, ignore_errors=True)
    print(f"\nfull cluster: {check.stdout}{check.stderr[-3000:]}\nstopped in {took:.1f} s")
    figures = json.loads(check.stdout)
    assert figures["failed checks"] == []
    assert figures["storage"] == "commonroom.core.storage_s3.S3Storage"
    assert figures["copies on disk"] == []
    assert figures["visitor"]["status"] == 302
    assert figures["member download"]["status"] == 200
    assert sorted(ready["checks"]) == ["cache", "database", "queue", "replica_1", "storage"]
    assert ready["status"] == "ok"
    assert "lag_seconds" in ready["checks"]["replica_1"]
    assert "commonroom_http_responses_total{" in metrics
    assert left == 0
    assert leftovers == []


def fetch(state: dict[str, Any], path: str, *, port: int | None = None) -> str:
    """Through nginx (TLS, the cluster's CA), or straight from a web process."""
    import ssl
    import urllib.request

    if port:
        url, context = f"http://127.0.0.1:{port}{path}", None
    else:
        url, context = state["url"] + path, ssl.create_default_context(cafile=state["ca"])
    with urllib.request.urlopen(url, timeout=60, context=context) as answer:  # noqa: S310
        return str(answer.read().decode())


def stop(cluster: subprocess.Popen[bytes]) -> tuple[float, int]:
    """TERM as Ctrl-C would; seconds it took and its exit status."""
    start = time.monotonic()
    cluster.send_signal(signal.SIGTERM)
    try:
        status = cluster.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(cluster.pid, signal.SIGKILL)
        status = -9
    return time.monotonic() - start, status
