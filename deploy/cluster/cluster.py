"""`make cluster`: Commonroom's scale-out mode on one machine, every part a
process of its own on loopback (docs/operations.md, "The local cluster").

    PostgreSQL primary  + one streaming replica (pg_basebackup -R)
    Redis               cache, sessions (cached_db), rate limits, RQ queue
    s3rver (S3 server)  the bucket of STORAGE_URL, objects on disk in s3/
    2 x gunicorn        --preload, each on a port of its own
    RQ worker           TASKS_BACKEND=rq
    scheduler           periodic jobs (one per installation)
    nginx               TLS (local CA), round robin to both gunicorns,
                        static and media files, upload limit, timeouts

    python deploy/cluster/cluster.py run     start all, stay in the foreground
    python deploy/cluster/cluster.py stop    stop a cluster started elsewhere

Everything lives in $VAR_DIR/cluster. A process that dies is started again
after a second (as scripts/serve does), unless `hold/<name>` exists there (the
fault script, tests/load/faults.py, holds Redis and the S3 server down for
10 s that way). The running cluster is described in run/cluster.json (ports,
pids, URLs) for the load and fault scripts. Ctrl-C, TERM or `stop` ends every
process it started, by process group, and both PostgreSQL servers.

CLUSTER_MINIMAL=1 starts only what the browser test needs (tests/faults/
test_cluster.py): PostgreSQL without replica, Redis, both gunicorns and nginx;
no S3 server (files on disk), no worker, no scheduler.

Ports: CLUSTER_PORT (nginx, default 8443); the others follow it: +1/+2 the
two gunicorns, +10/+11 PostgreSQL primary/replica, +20 Redis, +30 S3.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = os.environ.get("CLUSTER_MINIMAL", "") == "1"
BIN = ROOT / ".venv/bin"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VAR_DIR = Path(os.environ.get("VAR_DIR", ROOT / "var")).resolve()
HOME = VAR_DIR / "cluster"
RUN = HOME / "run"
LOGS = HOME / "logs"
HOLD = HOME / "hold"
STATE = RUN / "cluster.json"
BUCKET = "commonroom"
# s3rver's one built-in key pair (it takes no other); nothing leaves loopback.
AWS_KEY = "S3RVER"
AWS_SECRET = "S3RVER"  # noqa: S105 -- a local S3 server's
S3RVER = ROOT / "node_modules/.bin/s3rver"  # package.json (s3rver), `make node_modules/.installed`
S3_DATA = HOME / "s3"
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def ports() -> dict[str, int]:
    base = int(os.environ.get("CLUSTER_PORT", "8443"))
    return {
        "https": base,
        "web1": base + 1,
        "web2": base + 2,
        "pg_primary": base + 10,
        "pg_replica": base + 11,
        "redis": base + 20,
        "s3": base + 30,
    }


def say(text: str) -> None:
    print(f"cluster: {text}", flush=True)


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def wait_for(port: int, name: str, timeout: float = 90) -> None:
    start = time.monotonic()
    while not answers(port):
        if time.monotonic() - start > timeout:
            raise SystemExit(f"cluster: {name} did not answer on port {port} in {timeout:.0f} s")
        time.sleep(0.2)


def run(*args: object, env: dict[str, str] | None = None, user_pg: bool = False) -> str:
    command = [*(AS_POSTGRES if user_pg else []), *map(str, args)]
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode:
        raise SystemExit(
            f"cluster: {' '.join(command[:4])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return done.stdout


# --- PostgreSQL (started and stopped with pg_ctl, not supervised) -----------


def pg_dir(name: str) -> Path:
    return HOME / name


def pg_ctl(name: str, *args: str, port: int | None = None) -> None:
    command: list[object] = [PG_BIN / "pg_ctl", "-D", pg_dir(name), "-l", LOGS / f"{name}.log"]
    if port:
        # The socket in the data directory: /var/run/postgresql may not be ours.
        command += ["-o", f"-p {port} -k {pg_dir(name)} -c listen_addresses=127.0.0.1"]
    run(*command, "-w", "-t", "120", *args, user_pg=True)


def pg_running(name: str) -> bool:
    done = subprocess.run(  # noqa: S603
        [*AS_POSTGRES, str(PG_BIN / "pg_ctl"), "-D", str(pg_dir(name)), "status"],
        capture_output=True,
    )
    return done.returncode == 0


def postgres_start(port: dict[str, int]) -> bool:
    """Both servers up; True when the primary was created now (first start)."""
    primary, replica = pg_dir("pg-primary"), pg_dir("pg-replica")
    created = not (primary / "PG_VERSION").exists()
    if created:
        shutil.rmtree(primary, ignore_errors=True)
        shutil.rmtree(replica, ignore_errors=True)
        primary.mkdir(parents=True)
        if AS_POSTGRES:
            shutil.chown(primary, "postgres")
        say("initdb (PostgreSQL primary)")
        run(PG_BIN / "initdb", "-D", primary, "-A", "trust", "-U", "postgres", "-N", user_pg=True)
        with (primary / "postgresql.conf").open("a") as conf:
            # Streaming replication (initdb's pg_hba lets loopback replicate).
            conf.write(
                "\n# make cluster\nwal_level = replica\nmax_wal_senders = 5\n"
                "wal_keep_size = 256MB\nhot_standby = on\nmax_connections = 200\n"
                "shared_buffers = 128MB\nsynchronous_commit = on\n"
            )
    if AS_POSTGRES:
        shutil.chown(LOGS, "postgres")  # pg_ctl -l writes there as postgres
    if not pg_running("pg-primary"):
        pg_ctl("pg-primary", "start", port=port["pg_primary"])
    if created:
        run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", port["pg_primary"], "-U", "postgres",
            "commonroom", user_pg=True)  # fmt: skip
    if MINIMAL:
        return created
    if not (replica / "PG_VERSION").exists():
        shutil.rmtree(replica, ignore_errors=True)
        replica.mkdir(mode=0o700)
        if AS_POSTGRES:
            shutil.chown(replica, "postgres")
        say("pg_basebackup -R (PostgreSQL replica)")
        backup = ["-D", replica, "-R", "-X", "stream", "-c", "fast"]
        run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", port["pg_primary"],
            "-U", "postgres", *backup, user_pg=True)  # fmt: skip
    if not pg_running("pg-replica"):
        pg_ctl("pg-replica", "start", port=port["pg_replica"])
    return created


def postgres_stop() -> None:
    for name in ("pg-replica", "pg-primary"):
        if pg_running(name):
            with contextlib.suppress(SystemExit):
                pg_ctl(name, "-m", "fast", "stop")


# --- TLS and nginx ----------------------------------------------------------


def certificate() -> tuple[Path, Path, Path]:
    """A local CA (trustme) and a certificate for localhost / 127.0.0.1."""
    tls = HOME / "tls"
    ca, cert, key = tls / "ca.pem", tls / "server.pem", tls / "server.key"
    if not cert.exists():
        import trustme

        tls.mkdir(parents=True, exist_ok=True)
        authority = trustme.CA(organization_name="Commonroom local cluster")
        server = authority.issue_cert("localhost", "127.0.0.1", "::1")
        authority.cert_pem.write_to_path(str(ca))
        server.cert_chain_pems[0].write_to_path(str(cert))
        for extra in server.cert_chain_pems[1:]:
            extra.write_to_path(str(cert), append=True)
        server.private_key_pem.write_to_path(str(key))
        key.chmod(0o600)
    return ca, cert, key


NGINX_CONF = """\
# Written by deploy/cluster/cluster.py from deploy/nginx.conf: the same site
# with the cluster's ports, paths and local certificate.
worker_processes 1;
pid {run}/nginx.pid;
error_log {logs}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # Which web process served each request (also in the X-Upstream header).
    log_format cluster '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent '
                       'upstream=$upstream_addr rt=$request_time urt=$upstream_response_time';
    access_log {logs}/nginx-access.log cluster;

    upstream commonroom_web {{
        # Round robin; a process that refuses connections (killed, starting)
        # is skipped for fail_timeout and the request goes to the other. An
        # answer, even a 503 while the database restarts, is not a failure:
        # counting those would take both out at once.
        server 127.0.0.1:{web1} max_fails=2 fail_timeout=3s;
        server 127.0.0.1:{web2} max_fails=2 fail_timeout=3s;
        keepalive 16;
    }}

    server {{
        listen 127.0.0.1:{https} ssl http2;
        server_name localhost 127.0.0.1;
        ssl_certificate     {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:SSL:10m;
        # UPLOAD_MAX_FILE_BYTES plus room for the form's other fields.
        client_max_body_size {body_max};
        client_body_timeout 60s;
        send_timeout 60s;
        keepalive_timeout 30s;

        location /static/ {{
            alias {static}/;
            gzip_static on;
            gzip_vary on;
            expires 1y;
            add_header Cache-Control "public, immutable";
        }}
        location /media/ {{
            alias {media}/;
            add_header X-Content-Type-Options nosniff;
            add_header Content-Security-Policy "default-src 'none'; sandbox";
        }}
        # Audio and video previews from the bucket (STORAGE_X_ACCEL): the
        # application answers with X-Accel-Redirect to a signed address here;
        # the browser never sees the plain-http bucket under this https site.
        location /_storage/ {{
            internal;
            proxy_pass http://127.0.0.1:{s3}/;
            proxy_set_header Host 127.0.0.1:{s3};
            # The application's Content-Disposition and Cache-Control are
            # kept through X-Accel-Redirect: the bucket's would be second copies.
            proxy_hide_header Content-Disposition;
            proxy_hide_header Cache-Control;
            proxy_hide_header Access-Control-Allow-Origin;
            # The bucket's own headers (S3's; s3rver's, moto's and MinIO's also).
            proxy_hide_header x-amz-request-id;
            proxy_hide_header x-amz-id-2;
            proxy_hide_header x-amz-version-id;
            proxy_hide_header x-amz-server-side-encryption;
            proxy_hide_header x-amz-storage-class;
            proxy_hide_header x-amz-expiration;
            proxy_hide_header x-amz-checksum-crc32;
            proxy_hide_header x-amz-checksum-crc64nvme;
            proxy_hide_header x-amz-checksum-sha256;
            proxy_hide_header x-amz-meta-sha256;
            proxy_hide_header x-amz-sdk-checksum-algorithm;
            proxy_hide_header x-amz-content-sha256;
            proxy_hide_header x-amzn-requestid;
            proxy_hide_header x-minio-deployment-id;
            proxy_hide_header x-amz-bucket-region;
            add_header X-Content-Type-Options nosniff always;
            add_header Content-Security-Policy
                "default-src 'none'; img-src 'self'; media-src 'self'; sandbox" always;
            proxy_buffering off;
        }}
        location / {{
            proxy_pass http://commonroom_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            gzip off;
            proxy_set_header Host $http_host;
            # Set here, never passed on from the client: the application
            # trusts these only from 127.0.0.1 (TRUSTED_PROXIES, BEHIND_PROXY).
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_connect_timeout 5s;
            proxy_send_timeout 60s;
            proxy_read_timeout 60s;
            # Only what never reached a process is sent again (nginx never
            # resends a POST once sent): no write is done twice.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_request_buffering on;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_conf(port: dict[str, int], env: dict[str, str]) -> Path:
    _ca, cert, key = certificate()
    tmp = HOME / "nginx-tmp"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(tmp / sub, "nobody")
    body_max = int(env["UPLOAD_MAX_FILE_BYTES"]) + 1024 * 1024
    conf = HOME / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            run=RUN,
            logs=LOGS,
            tmp=tmp,
            cert=cert,
            key=key,
            body_max=body_max,
            static=env["STATIC_ROOT"],
            media=env["MEDIA_ROOT"],
            user="user nobody nogroup;" if os.geteuid() == 0 else "",
            **port,
        )
    )
    return conf


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise SystemExit("cluster: nginx is missing (make cluster-deps installs it)")
    return found


# --- the application's environment -------------------------------------------


def app_env(port: dict[str, int]) -> dict[str, str]:
    url = f"https://localhost:{port['https']}"
    env = {
        **os.environ,
        "VAR_DIR": str(VAR_DIR),
        "DEBUG": "false",
        "HTTPS": "true",
        # A laptop's browser must not remember HSTS for localhost.
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "BEHIND_PROXY": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"{url},https://127.0.0.1:{port['https']}",
        "SITE_URL": url,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port['pg_primary']}/commonroom",
        "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{port['pg_replica']}/commonroom",
        "REDIS_URL": f"redis://127.0.0.1:{port['redis']}/0",
        "TASKS_BACKEND": "rq",
        "STORAGE_URL": (f"s3://{BUCKET}?endpoint=http://127.0.0.1:{port['s3']}&region=us-east-1"),
        "AWS_ACCESS_KEY_ID": AWS_KEY,
        "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
        "STORAGE_X_ACCEL": "true",
        "LOG_FORMAT": "json",
        "DEMO_DATA": "true",
        "EMAIL_URL": f"filemail:///{HOME / 'mail'}",  # four slashes: an absolute path
        "STATIC_ROOT": str(VAR_DIR / "static"),
        "MEDIA_ROOT": str(VAR_DIR / "media"),
        "UPLOAD_MAX_FILE_BYTES": os.environ.get("UPLOAD_MAX_FILE_BYTES", str(100 * 1024 * 1024)),
        "PYTHONUNBUFFERED": "1",
    }
    if MINIMAL:
        for name in (
            "STORAGE_URL",
            "DATABASE_REPLICA_URLS",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "STORAGE_X_ACCEL",
        ):
            env.pop(name)
    # Jobs lost with a killed worker or Redis are queued again after this
    # (core.outbox), not after the hour of the default; overridable.
    env.setdefault("OUTBOX_LEASE_SECONDS", os.environ.get("OUTBOX_LEASE_SECONDS", "120"))
    return env


# --- supervised processes ----------------------------------------------------


@dataclass
class Part:
    name: str
    command: list[str]
    port: int | None = None
    env: dict[str, str] | None = None
    after_start: Any = None
    process: subprocess.Popen[bytes] | None = None
    starts: list[float] = field(default_factory=list)

    def start(self) -> None:
        log = (LOGS / f"{self.name}.log").open("ab")
        # A session of its own: Ctrl-C on the terminal reaches only this
        # script, which stops the parts in order; their children go with them.
        self.process = subprocess.Popen(  # noqa: S603
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self.starts.append(time.time())

    def ready(self) -> None:
        if self.port:
            wait_for(self.port, self.name)
        if self.after_start:
            self.after_start()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20) -> None:
        if not self.process:
            return
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        # Whatever it left behind (gunicorn workers, a frozen process) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGCONT)
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.process = None


def parts(port: dict[str, int], env: dict[str, str]) -> list[Part]:
    web_workers = os.environ.get("CLUSTER_WEB_WORKERS", "3")
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    (HOME / "redis").mkdir(exist_ok=True)
    S3_DATA.mkdir(exist_ok=True)

    def gunicorn(name: str) -> Part:
        return Part(
            name,
            [str(BIN / "gunicorn"), "commonroom.wsgi", "--preload",
             "--config", "python:commonroom.core.gunicorn_hooks",
             "--bind", f"127.0.0.1:{port[name]}", "--workers", web_workers,
             "--timeout", "60", "--graceful-timeout", "20", "--keep-alive", "30",
             "--access-logfile", "-", "--no-control-socket",
             "--forwarded-allow-ips", "127.0.0.1"],
            port=port[name], env=env,
        )  # fmt: skip

    conf = nginx_conf(port, env)
    every = [
        # appendonly: queued jobs and sessions' cache survive a Redis restart.
        Part(
            "redis",
            [
                redis,
                "--port",
                str(port["redis"]),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(HOME / "redis"),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
            ],
            port=port["redis"],
        ),
        # s3rver keeps every object as files in S3_DATA, so the bucket
        # outlives a restart; --configure-bucket creates it when missing.
        Part(
            "s3",
            [
                str(S3RVER),
                "--directory",
                str(S3_DATA),
                "--address",
                "127.0.0.1",
                "--port",
                str(port["s3"]),
                "--configure-bucket",
                BUCKET,
                "--silent",
            ],
            port=port["s3"],
            # A listing of more than 1,000 keys needs a continuation token,
            # which s3rver 3.7.1 enciphers with DES: OpenSSL 3's legacy provider.
            env={**os.environ, "NODE_OPTIONS": "--openssl-legacy-provider"},
        ),
        gunicorn("web1"),
        gunicorn("web2"),
        Part(
            "worker",
            [
                str(BIN / "python"),
                "manage.py",
                "rqworker",
                "--job-class",
                "django_tasks_rq.Job",
                "default",
            ],
            env=env,
        ),
        Part(
            "scheduler",
            [
                str(BIN / "python"),
                "manage.py",
                "scheduler",
                "--interval",
                os.environ.get("SCHEDULER_INTERVAL", "60"),
            ],
            env=env,
        ),
        Part(
            "nginx",
            [
                nginx_binary(),
                "-p",
                str(HOME),
                "-c",
                str(conf),
                "-e",
                str(LOGS / "nginx-error.log"),
                "-g",
                "daemon off;",
            ],
            port=port["https"],
        ),
    ]
    left_out = ("s3", "worker", "scheduler") if MINIMAL else ()
    return [part for part in every if part.name not in left_out]


def write_state(port: dict[str, int], running: list[Part], env: dict[str, str]) -> None:
    state = {
        "pid": os.getpid(),
        "url": f"https://localhost:{port['https']}",
        "ports": port,
        "ca": str(HOME / "tls/ca.pem"),
        "var_dir": str(VAR_DIR),
        "hold": str(HOLD),
        "logs": str(LOGS),
        "mail": str(HOME / "mail"),
        "pg_data": {"primary": str(pg_dir("pg-primary")), "replica": str(pg_dir("pg-replica"))},
        "pg_bin": str(PG_BIN),
        "pids": {p.name: p.process.pid for p in running if p.process},
        "starts": {p.name: p.starts for p in running},
        "env": {k: env[k] for k in env if k not in os.environ or k == "VAR_DIR"},
    }
    tmp = STATE.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.replace(STATE)


def cluster_pid() -> int | None:
    with contextlib.suppress(FileNotFoundError, ValueError, KeyError):
        pid = int(json.loads(STATE.read_text())["pid"])
        os.kill(pid, 0)
        return pid
    return None


def command_run() -> int:
    if pid := cluster_pid():
        say(f"already running (pid {pid}); `make cluster-stop` stops it")
        return 1
    for folder in (HOME, RUN, LOGS, HOLD, HOME / "mail"):
        folder.mkdir(parents=True, exist_ok=True)
    HOME.chmod(0o755)
    for held in HOLD.iterdir():
        held.unlink()
    port = ports()
    busy = [f"{n}={p}" for n, p in port.items() if answers(p)]
    if busy:
        say(f"ports in use: {', '.join(busy)} (set CLUSTER_PORT to move them all)")
        return 1
    env = app_env(port)
    stopping = threading.Event()
    supervising = threading.Event()

    def on_signal(number: int, _frame: object) -> None:
        stopping.set()
        if not supervising.is_set():  # still starting: abandon it, then stop
            raise SystemExit(f"cluster: signal {number} while starting")

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, on_signal)

    running: list[Part] = []
    write_state(port, running, env)  # the pid, for `make cluster-stop`, at once
    try:
        first = postgres_start(port)
        if first:  # a new database: a new bucket
            shutil.rmtree(S3_DATA, ignore_errors=True)
            shutil.rmtree(HOME / "redis", ignore_errors=True)
        everything = parts(port, env)
        by_name = {p.name: p for p in everything}
        if "s3" in by_name and not S3RVER.exists():
            raise SystemExit("cluster: s3rver is missing (`make node_modules/.installed`)")
        for name in ("redis", "s3"):
            if name not in by_name:
                continue
            by_name[name].start()
            running.append(by_name[name])
            by_name[name].ready()
        manage = [str(BIN / "python"), "manage.py"]
        say("migrate, collectstatic" + (", demo data" if first else ""))
        run(*manage, "migrate", "--noinput", "-v", "0", env=env)
        run(*manage, "createcachetable", "-v", "0", env=env)
        run(*manage, "collectstatic", "--noinput", "-v", "0", env=env)
        sign_ins = run(*manage, "demo_data", "--if-empty", env=env)
        for name in ("web1", "web2", "worker", "scheduler", "nginx"):
            if name not in by_name:
                continue
            by_name[name].start()
            running.append(by_name[name])
        for part in running:
            part.ready()
        write_state(port, running, env)
        url = f"https://localhost:{port['https']}"
        print(
            f"\nCommonroom cluster: {url}  (CA certificate: {HOME / 'tls/ca.pem'})\n"
            f"  nginx {port['https']} -> gunicorn {port['web1']}, {port['web2']}; "
            f"PostgreSQL {port['pg_primary']} (replica {port['pg_replica']}); "
            f"Redis {port['redis']}; S3 {port['s3']}\n"
            f"  logs in {LOGS}, mails in {HOME / 'mail'}\n"
            + "\n".join("  " + line for line in sign_ins.strip().splitlines()[-12:])
            + "\nCtrl-C (or `make cluster-stop`) stops everything.\n",
            flush=True,
        )
        supervising.set()
        while not stopping.wait(0.5):
            for part in running:
                if part.alive() or (HOLD / part.name).exists() or stopping.is_set():
                    continue
                status = part.process.returncode if part.process else None
                say(f"{part.name} exited (status {status}); starting it again")
                part.stop(timeout=1)
                part.start()
                with contextlib.suppress(SystemExit):
                    part.ready()
                write_state(port, running, env)
    finally:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
        say("stopping")
        # nginx first (no new requests), then the rest together: each
        # finishes what it is doing (gunicorn's graceful timeout) in parallel.
        started = time.monotonic()
        stoppers = [threading.Thread(target=p.stop) for p in running if p.name != "nginx"]
        for part in running:
            if part.name == "nginx":
                part.stop()
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()
        say(f"processes stopped in {time.monotonic() - started:.1f} s")
        postgres_stop()
        with contextlib.suppress(FileNotFoundError):
            STATE.unlink()
        say("stopped")
    return 0


def command_stop() -> int:
    """`make cluster-stop`: TERM to the foreground script, which stops all; if
    it is gone, whatever it left (by process group) and PostgreSQL."""
    if pid := cluster_pid():
        os.kill(pid, signal.SIGTERM)
        for _ in range(600):
            if cluster_pid() is None:
                say("stopped")
                return 0
            time.sleep(0.1)
        say(f"pid {pid} did not stop in 60 s")
        return 1
    with contextlib.suppress(FileNotFoundError, ValueError):
        for name, child in json.loads(STATE.read_text())["pids"].items():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(int(child), signal.SIGKILL)
                say(f"killed the {name} left running (process group {child})")
        STATE.unlink()
    if (HOME / "pg-primary").exists():
        postgres_stop()
    say("nothing running")
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "run"
    sys.exit({"run": command_run, "stop": command_stop}[action]())
