"""Lighthouse on the mentor's pages, as a phone on a slow network sees them.

A benchmark, not a test: it prints figures and PASS/FAIL against the targets, and exits 0.

    .venv/bin/python bench/lighthouse.py                     # the mentor home, 5 runs
    .venv/bin/python bench/lighthouse.py --skip-seed --runs 3
    .venv/bin/python bench/lighthouse.py --path /mentor/ --path '/mentor/pairs/{pair}/'

Served as bench/weight.py serves it (production's hashed, compressed static files through
whitenoise, gunicorn, DEBUG off), signed in as the demo mentor: Lighthouse's own Chromium
(Debian's, CHROME_PATH) sends her session cookie with every request (--extra-headers).
Lighthouse 12's default config is the mobile preset: a phone's screen, a 4x slower CPU and
simulated slow 4G. Scores move from run to run on a small shared machine, so each page is
run several times and the median is reported.

Targets, on the median of 5 runs: performance at least 95, accessibility 100, best practices 100.

Adding a page: add its path to PAGES (or pass --path). `{pair}` in a path is the signed-in
mentor's first active pair.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench` and the apps import from the project root

from bench.weight import CHROMIUM, MENTOR, Served, production_assets  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
PAGES = ["/mentor/", "/mentor/pairs/{pair}/sessions/new/"]


@dataclass
class Run:
    scores: dict[str, int]
    lcp_ms: float
    total_bytes: int
    findings: list[str]


def findings(report: dict[str, Any]) -> list[str]:
    """What cost points: failed audits of the scored categories, and the performance opportunities."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            score = audit.get("score")
            if score is None or score >= 1 or audit.get("scoreDisplayMode") in ("notApplicable", "informative"):
                continue
            if name == "performance" and not ref.get("weight"):
                continue
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            found.append(f"{name}: {audit['id']}{value}")
    for audit in report["audits"].values():
        details = audit.get("details") or {}
        if details.get("type") == "opportunity" and (audit.get("score") or 0) < 1 and details.get("overallSavingsMs"):
            found.append(f"opportunity: {audit['id']} (saves ~{details['overallSavingsMs']:.0f} ms)")
    return found


def run_lighthouse(served: Served, path: str, workdir: Path) -> Run:
    headers = workdir / "headers.json"  # a file, so the session cookie is not on a command line
    cookie = "; ".join(f"{name}={value}" for name, value in served.cookies.items())
    headers.write_text(json.dumps({"Cookie": cookie}))
    headers.chmod(0o600)
    output = workdir / "report.json"
    command = [
        str(LIGHTHOUSE),
        served.url(path),
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={headers}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse failed on {path}: {report['runtimeError'].get('message')}")
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    if "/accounts/login/" in final:
        raise SystemExit(f"Lighthouse was sent to the login page from {path}: the session cookie was not taken")
    return Run(
        scores={name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES},
        lcp_ms=report["audits"]["largest-contentful-paint"]["numericValue"],
        total_bytes=int(report["audits"]["total-byte-weight"]["numericValue"]),
        findings=findings(report),
    )


def report_page(path: str, url: str, runs: list[Run]) -> bool:
    print(f"\n{path}: {len(runs)} runs" + (f" ({urlsplit(url).path})" if "{" in path else ""))
    for number, run in enumerate(runs, 1):
        scores = "  ".join(f"{name} {run.scores[name]:3}" for name in CATEGORIES)
        print(f"  run {number}: {scores}  LCP {run.lcp_ms / 1000:.2f} s  {run.total_bytes / 1024:.1f} KB")
    met = True
    for name in CATEGORIES:
        median = statistics.median(run.scores[name] for run in runs)
        ok = median >= TARGETS[name]
        met &= ok
        print(f"{'PASS' if ok else 'FAIL'}  {name}: median {median:g} (target >= {TARGETS[name]})")
    print(f"      LCP: median {statistics.median(run.lcp_ms for run in runs) / 1000:.2f} s")
    print(f"      total bytes: median {statistics.median(run.total_bytes for run in runs) / 1024:.1f} KB")
    seen = sorted({finding for run in runs for finding in run.findings})
    if seen:
        print("  what cost points (in any run):")
        for finding in seen:
            print(f"    {finding}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already in the benchmark database")
    parser.add_argument("--path", action="append", help="a page to run (repeatable; default: PAGES, the mentor home)")
    parser.add_argument("--runs", type=int, default=5, help="runs per page; the median is reported (default 5)")
    parser.add_argument("--account", default=MENTOR, help=f"who is signed in (default {MENTOR})")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make assets` (npm ci) first")
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True).stdout
    print(f"Alongside Lighthouse {version.strip()} (mobile preset), Chromium {CHROMIUM}")
    paths = args.path or PAGES
    met = []
    with production_assets(account=args.account, seed=not args.skip_seed) as served:
        workdir = Path(tempfile.mkdtemp(prefix="alongside-lighthouse-"))
        try:
            for path in paths:
                runs = [run_lighthouse(served, path, workdir) for _ in range(args.runs)]
                met.append(report_page(path, served.url(path), runs))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(f"{'PASS' if all(met) else 'FAIL'}  {sum(met)} of {len(met)} pages meet every target")


if __name__ == "__main__":
    main()
