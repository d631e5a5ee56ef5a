"""Demo figures: time from `kalkan demo` to a served dashboard, and from post to alert.

Runs the real `kalkan demo` on a free port with a throwaway data dir, waits for /healthz,
lets the fictional feed run for a while, then reads the demo database: for every alert,
the delay between the first post's publication in the feed and the alert being raised.
Baseline for comparison: the source polling interval plus the pipeline interval, the
worst case the schedule allows before any processing time.

    .venv/bin/python bench/demo_latency.py [--seconds 75]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from monitor.demo.launch import SOURCE_INTERVAL_SECONDS

PIPELINE_INTERVAL_SECONDS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_served(url: str, process: subprocess.Popen[bytes], limit: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if process.poll() is not None:
            raise SystemExit(f"kalkan demo exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("the dashboard was not served in time")


def alert_delays(database: Path) -> list[tuple[str, str, float]]:
    engine = create_engine(f"sqlite:///{database}")
    query = text(
        "SELECT a.category, a.severity, a.opened_at, MIN(p.posted_at) FROM alerts a "
        "JOIN alert_posts ap ON ap.alert_id = a.id JOIN posts p ON p.id = ap.post_id "
        "GROUP BY a.id ORDER BY a.id"
    )
    rows = []
    with engine.connect() as connection:
        for category, severity, opened, posted in connection.execute(query):
            delay = datetime.fromisoformat(str(opened)) - datetime.fromisoformat(str(posted))
            rows.append((category, severity, delay.total_seconds()))
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=75.0)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kalkan-bench-"))
    port = free_port()
    env = {**os.environ, "KALKAN_DATA_DIR": str(workdir)}
    env.pop("KALKAN_DATABASE_URL", None)
    command = [sys.executable, "-m", "monitor", "demo", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        served = wait_until_served(f"http://127.0.0.1:{port}", process)
        time.sleep(args.seconds)
    finally:
        process.terminate()
        process.wait(timeout=30)
    delays = alert_delays(workdir / "demo.db")
    print(f"kalkan demo → dashboard served: {served:.1f} s (venv present)")
    print(f"alerts raised in {args.seconds:.0f} s of demo: {len(delays)}")
    for category, severity, delay in delays:
        print(f"  {category:<11} {severity:<8} post published → alert raised: {delay:5.1f} s")
    if delays:
        values = [d for _, _, d in delays]
        print(f"post → alert: median {statistics.median(values):.1f} s, max {max(values):.1f} s")
    bound = SOURCE_INTERVAL_SECONDS + PIPELINE_INTERVAL_SECONDS
    print(
        f"baseline (schedule alone, worst case): poll {SOURCE_INTERVAL_SECONDS} s + "
        f"pipeline {PIPELINE_INTERVAL_SECONDS} s = {bound} s before processing time"
    )


if __name__ == "__main__":
    main()
