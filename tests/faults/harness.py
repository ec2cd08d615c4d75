"""Real servers for the fault tests: a PostgreSQL cluster and a Redis of the
test's own on free ports (never the shared ones on 5432/6379), the site
served by scripts/serve, and a small HTTP client that keeps a session.

Every server is started by the test and stopped in its `finally`, by pid.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv/bin/python"
SECRET_KEY = "fault-test-secret-key-" + "x" * 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], *, timeout: float, step: float = 0.1) -> float:
    """Seconds until `check()` held; raises TimeoutError after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(step)
    raise TimeoutError(f"not ready after {timeout} s: {check}")


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise FileNotFoundError(f"PostgreSQL's {name} is not installed")
    return found[-1]


class Postgres:
    """A throw-away cluster run as the postgres user (we may be root)."""

    def __init__(self) -> None:
        self.port = free_port()
        # Not under pytest's tmp_path: the postgres user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="commonroom-faults-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.data.mkdir()
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.data, "postgres")
        self._run(_pg_bin("initdb"), "-D", self.data, "-A", "trust", "-U", "postgres", "-N")
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self._ctl = [_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w"]
        self._run(*self._ctl, "-o", options, "start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/commonroom"
        self._run(_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "commonroom")

    def _run(self, *args: object) -> None:
        done = subprocess.run(  # noqa: S603
            [*self._as_postgres, *map(str, args)], capture_output=True, text=True, timeout=120
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stdout[-1500:]}{done.stderr[-1500:]}")

    def restart(self) -> None:
        self._run(*self._ctl, "-m", "fast", "restart")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(*self._ctl, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql).fetchall()  # type: ignore[arg-type]


class Redis:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = root / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603
            [redis, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.log.parent)],
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(self.answers, timeout=10)

    def answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Site:
    """scripts/serve with the given environment, in a session of its own so
    that it and everything it started can be stopped together."""

    def __init__(self, root: Path, env: dict[str, str], *, workers: int = 2) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "VAR_DIR": str(root / "var"),
            "SECRET_KEY": SECRET_KEY,
            "DEBUG": "false",
            "HTTPS": "false",
            "STATIC_MANIFEST": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        for name in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND"):
            if name not in env:
                self.env.pop(name, None)
        (root / "var").mkdir(parents=True, exist_ok=True)
        self.log = root / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(  # noqa: S603
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [str(ROOT / "scripts/serve")], cwd=ROOT, env=self.env,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def stop(self) -> tuple[float, list[int]]:
        """TERM, as Ctrl-C or systemd would: seconds until scripts/serve
        returned, and the processes it had started still running then
        (then killed)."""
        if not self.process:
            return 0.0, []
        start = time.monotonic()
        started = descendants(self.process.pid)
        try:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            started.append(self.process.pid)  # did not stop: counted as left running
        finally:
            took = time.monotonic() - start
            left = [pid for pid in started if alive(pid)]
            if left:
                ps = ["ps", "-o", "pid,ppid,etimes,cmd", "-p", ",".join(map(str, left))]
                with self.log.open("a") as log:
                    log.write(subprocess.run(ps, capture_output=True, text=True).stdout)  # noqa: S603
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process = None
        return took, left

    def started(self, name: str) -> list[int]:
        """Pids scripts/serve reported for `name` ("web", "worker", "scheduler")."""
        text = self.log.read_text(errors="replace")
        return [int(pid) for pid in re.findall(rf"serve: {name} started \(pid (\d+)\)", text)]

    def client(self) -> Client:
        return Client(self.port)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (whatever session it moved to)."""
    out = subprocess.run(
        ["ps", "-e", "-o", "pid=,ppid="],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        child, parent = map(int, line.split())
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie is dead
    except FileNotFoundError:
        return False


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str]


@dataclass
class Client:
    """Just enough of a browser: cookies, CSRF tokens, forms and uploads."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        timeout: float = 15,
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            all_headers = {"Host": "127.0.0.1", **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=all_headers)
            answer = conn.getresponse()
            text = answer.read().decode(errors="replace")
            for header in answer.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Response(answer.status, text, dict(answer.headers.items()))
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def csrf(self, path: str = "/resources/new/") -> str:
        # The cookie's secret is a valid token for any form of this session.
        if token := self.cookies.get("csrftoken"):
            return token
        page = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if not found:
            raise RuntimeError(f"no form at {path} ({page.status})")
        return found.group(1)

    def post(
        self,
        path: str,
        fields: dict[str, str | list[str]],
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        token: str,
        headers: dict[str, str] | None = None,
    ) -> Response:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        items = [("csrfmiddlewaretoken", token)]
        for name, value in fields.items():
            items += [(name, v) for v in ([value] if isinstance(value, str) else value)]
        for name, value in items:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data, mime) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
                **(headers or {}),
            },
        )

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf("/accounts/login/")
        answer = self.post("/accounts/login/", {"login": email, "password": password}, token=token)
        if answer.status != 302:
            raise RuntimeError(f"sign-in of {email} answered {answer.status}")
