"""Lighthouse on the home page, a search with a query and a resource page,
with the mobile and the desktop preset (issue 13's acceptance: performance
>= 95, accessibility, best practices and SEO 100).

Starts nothing itself: point it at a running site, such as `make run`'s
(DEBUG off, the static manifest on, as in production). Runs the pinned
Lighthouse (package.json; `npm ci` installs it) in Debian's Chromium with the
flags the browser tests use, never a downloaded browser. Prints a Markdown
table and writes each JSON report to bench/results/lighthouse/.

Usage: .venv/bin/python bench/lighthouse.py [BASE_URL] [--query WORD]
       [--resource PATH] [--runs N] [--preset mobile|desktop ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = Path(__file__).resolve().parent / "results" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# The flags of tests/browser/conftest.py, and the new headless mode, which
# renders as a real window does (the old one skews paint timings).
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = {
    "LCP ms": "largest-contentful-paint",
    "CLS": "cumulative-layout-shift",
    "TBT ms": "total-blocking-time",
}
RESOURCE_LINK = re.compile(r'href="(/resources/\d+-[\w-]+/)"')


def first_resource_path(base: str) -> str:
    """A published resource page, as a visitor finds it on the list."""
    with urllib.request.urlopen(f"{base}/resources/", timeout=30) as response:  # noqa: S310
        html = response.read().decode("utf-8")
    match = RESOURCE_LINK.search(html)
    if not match:
        sys.exit(f"No resource link on {base}/resources/: load the demo data (make run).")
    return match.group(1)


def run_lighthouse(url: str, preset: str, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    # Lighthouse now and then loses the trace (NO_NAVSTART): try again.
    for attempt in range(3):
        done = subprocess.run(command, env=env, timeout=300, check=False)  # noqa: S603
        if done.returncode == 0:
            break
        print(f"lighthouse failed on {url} ({preset}), attempt {attempt + 1}", file=sys.stderr)
    else:
        sys.exit(f"lighthouse failed three times on {url} ({preset})")
    result: dict[str, Any] = json.loads(report.read_text())
    # The page screenshots are nine tenths of a report; the scores and audits stay.
    result.pop("fullPageScreenshot", None)
    for audit in ("screenshot-thumbnails", "final-screenshot"):
        result["audits"].get(audit, {}).pop("details", None)
    report.write_text(json.dumps(result, indent=1))
    return result


def scores_of(result: dict[str, Any]) -> dict[str, float]:
    row: dict[str, float] = {
        name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES
    }
    for label, audit in METRICS.items():
        row[label] = result["audits"][audit]["numericValue"]
    return row


def failing_audits(result: dict[str, Any]) -> list[str]:
    """Audits below full marks that count towards a category under target."""
    lines = []
    for name in CATEGORIES:
        category = result["categories"][name]
        if round(100 * (category["score"] or 0)) >= TARGETS[name]:
            continue
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"  {name}: {ref['id']} ({audit['score']}) {shown}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--query", default="fotosynthese", help="the search page's query")
    parser.add_argument("--resource", help="a resource page's path (default: the first listed)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    parser.add_argument("--preset", action="append", choices=["mobile", "desktop"])
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` in the repository (make test does).")
    base = args.base.rstrip("/")
    pages = {
        "home": "/",
        "search": f"/search/?q={args.query}",
        "resource": args.resource or first_resource_path(base),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    header = ["page", "preset", *CATEGORIES, *METRICS]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    notes: list[str] = []
    for preset in args.preset or ["mobile", "desktop"]:
        for page, path in pages.items():
            rows = []
            for run in range(args.runs):
                report = RESULTS / f"{page}-{preset}-{run + 1}.json"
                result = run_lighthouse(base + path, preset, report)
                rows.append(scores_of(result))
                failing = failing_audits(result)
                if failing:
                    notes += [f"{page} {preset} (run {run + 1}):", *failing]
            median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
            cells = [f"{median[name]:.0f}" for name in CATEGORIES]
            cells += [f"{median['LCP ms']:.0f}", f"{median['CLS']:.3f}", f"{median['TBT ms']:.0f}"]
            print(f"| {page} | {preset} | " + " | ".join(cells) + " |", flush=True)
    if notes:
        print("\nAudits keeping a category under its target:")
        print("\n".join(notes))


if __name__ == "__main__":
    main()
