"""`make load` / `make load-faults`: the Locust mix against a running
`make cluster`, then the figures and the checks.

    .venv/bin/python tests/load/run.py --users 200 --minutes 10 [--faults]

1. creates the load-test members (tests/load/seed.py) in the cluster's database;
2. runs Locust headless (tests/load/locustfile.py, from .venv-load) through
   nginx, every acknowledged write appended to the ledger;
3. with --faults, tests/load/faults.py's five faults during the load;
4. waits for the background work to finish, then tests/load/check.py: every
   acknowledged write present, no file missing or orphaned, no notification
   or mail duplicated, the search index equal to the public objects;
5. prints requests, failures and p95 per route, and writes it all to
   $VAR_DIR/cluster/load/report-<time>.json.
Exit status 1 when a request failed, a write is missing or a check differs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.load import faults  # noqa: E402


def django(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "-m", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"load: {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def routes(stats_csv: Path) -> list[dict[str, Any]]:
    with stats_csv.open() as file:
        return [
            {
                "route": row["Name"] if row["Name"] != "Aggregated" else "ALL",
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median ms": row["50%"],
                "p95 ms": row["95%"],
                "p99 ms": row["99%"],
                "max ms": round(float(row["Max Response Time"] or 0)),
                "req/s": round(float(row["Requests/s"] or 0), 2),
            }
            for row in csv.DictReader(file)
        ]


def print_routes(rows: list[dict[str, Any]]) -> None:
    print(f"\n{'route':<24}{'requests':>9}{'failed':>8}{'median':>8}{'p95':>8}{'p99':>8}"
          f"{'max':>8}{'req/s':>8}")  # fmt: skip
    for row in rows:
        print(f"{row['route'][:23]:<24}{row['requests']:>9}{row['failures']:>8}"
              f"{row['median ms']:>8}{row['p95 ms']:>8}{row['p99 ms']:>8}{row['max ms']:>8}"
              f"{row['req/s']:>8}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--settle", type=float, default=300, help="max s for background work")
    args = parser.parse_args()

    var_dir = Path(os.environ.get("VAR_DIR", ROOT / "var")).resolve()
    try:
        cluster = faults.state(var_dir)
    except FileNotFoundError:
        raise SystemExit("load: no cluster runs here (start `make cluster` first)") from None
    env = {**os.environ, **cluster["env"]}
    out = var_dir / "cluster/load"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    setup, ledger = out / "setup.json", out / f"writes-{stamp}.jsonl"
    ledger.touch()
    print(django(["tests.load.seed", "--members", str(args.users), "--out", str(setup)], env))

    seconds = int(args.minutes * 60)
    command = [
        str(ROOT / ".venv-load/bin/locust"), "-f", str(ROOT / "tests/load/locustfile.py"),
        "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", f"{seconds}s", "--host", cluster["url"], "--csv", str(out / stamp),
        "--only-summary", "--stop-timeout", "30", "--exit-code-on-error", "0",
        "--logfile", str(out / f"locust-{stamp}.log"),
    ]  # fmt: skip
    locust_env = {**os.environ, "LOAD_SETUP": str(setup), "LOAD_LEDGER": str(ledger),
                  "LOAD_CA": cluster["ca"]}  # fmt: skip
    print(f"load: {args.users} members for {args.minutes} min against {cluster['url']}"
          + (" with the five faults" if args.faults else ""), flush=True)  # fmt: skip
    started = time.monotonic()
    locust = subprocess.Popen(command, cwd=ROOT, env=locust_env)  # noqa: S603
    fault_figures: dict[str, Any] = {}
    if args.faults:
        # After the ramp-up, spread over the run (at least 40 s apart).
        ramp = args.users / args.spawn_rate
        gap = max(40.0, (seconds - ramp - 60) / 5)

        def run_faults() -> None:
            fault_figures.update(faults.run_all(var_dir, start_after=ramp + 20, gap=gap))

        thread = threading.Thread(target=run_faults, daemon=True)
        thread.start()
    locust.wait()
    if args.faults:
        thread.join(timeout=600)
    took = time.monotonic() - started

    # Background work (mail, notifications, indexing) first, then the checks.
    settle_start = time.monotonic()
    while True:
        checks = json.loads(
            django(["tests.load.check", "--ledger", str(ledger), "--mail", cluster["mail"]], env)
        )
        if not checks["background work not done"] or time.monotonic() - settle_start > args.settle:
            break
        time.sleep(15)
    settled = round(time.monotonic() - settle_start, 1)

    rows = routes(out / f"{stamp}_stats.csv")
    print_routes(rows)
    report = {
        "users": args.users, "minutes": args.minutes, "took (s)": round(took),
        "faults": fault_figures, "routes": rows, "checks": checks,
        "background work settled after (s)": settled, "ledger": str(ledger),
    }  # fmt: skip
    (out / f"report-{stamp}.json").write_text(json.dumps(report, indent=1))
    print("\nfaults:", json.dumps(fault_figures, indent=1))
    print("checks:", json.dumps(checks, indent=1))
    print(f"background work settled after {settled} s; report in {out}/report-{stamp}.json")

    total = next(r for r in rows if r["route"] == "ALL")
    lost = sum(missing for _n, missing in checks["writes (acknowledged, missing)"].values())
    bad_files = checks["files"]["missing count"] + checks["files"]["orphaned count"]
    duplicated = (
        checks["duplicates"]["notifications duplicated"] + checks["duplicates"]["mails duplicated"]
    )
    index = sum(
        k["public, not indexed"] + k["indexed, not public"] for k in checks["search index"].values()
    )
    print(
        f"\nfailed requests {total['failures']} of {total['requests']}; writes lost {lost}; "
        f"files missing/orphaned {bad_files}; duplicates {duplicated}; index differences {index}"
    )
    return 1 if total["failures"] or lost or bad_files or duplicated or index else 0


if __name__ == "__main__":
    sys.exit(main())
