"""Benchmark of the public pages at 100,000 documents (issue 5 "Benchmark"); not a test.

    .venv/bin/python bench/run.py [DATABASE_URL] [--documents 100000] [--duration 10]

Creates the database if missing, migrates, loads units and calendar, generates documents up to
--documents, collects static files, starts gunicorn (production settings plus the ceiling page of
bench/urls.py), and measures req/s and p50/p95 with --connections keep-alive connections for each
scenario; then prints the table and checks the targets. Stops gunicorn at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tongchuan_bench"
CEILING = "ceiling"

# (scenario, share of the ceiling's req/s at least, p95 below ms); None = not checked.
TARGETS = {
    "list": (0.50, 50.0),
    "document": (0.60, 50.0),
    "search-1": (None, 150.0),
    "search-2": (None, 150.0),
    "search-4": (None, 150.0),
    "search-number": (None, 150.0),
}


@dataclass
class Result:
    name: str
    paths: list[str]
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--documents", type=int, default=100_000, help="generate documents up to this many")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (>1: gthread)")
    parser.add_argument("--seed", type=int, default=2016, help="seed for generate_documents")
    parser.add_argument("--only", default="", help="comma-separated scenarios to run (ceiling always runs)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the commands' output

    env = bench_env(args.database_url)
    print(f"基准测试 {time.strftime('%Y-%m-%d %H:%M:%S')} · {machine()}")
    print(f"负载(开始):{load()}")
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_units")
    manage(env, "load_calendar")
    existing = public_count(args.database_url)
    if existing < args.documents:
        print(f"已有 {existing:,} 篇公开公文,补足到 {args.documents:,} 篇:")
        manage(env, "generate_documents", str(args.documents - existing), "--seed", str(args.seed))
    else:
        print(f"已有 {existing:,} 篇公开公文。")
    vacuum(args.database_url)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    pks, number = sample_documents(args.database_url)

    scenarios = {
        CEILING: ["/bench/ceiling/"],
        "list": ["/xxgk/wgk/"],
        "document": [f"/xxgk/documents/{pk}/" for pk in pks],
        "search-1": ["/xxgk/search/?q=" + quote("政")],
        "search-2": ["/xxgk/search/?q=" + quote("公开")],
        "search-4": ["/xxgk/search/?q=" + quote("政务公开")],
        "search-number": ["/xxgk/search/?q=" + quote(number)],
    }
    wanted = {s.strip() for s in args.only.split(",") if s.strip()}
    order = [CEILING] + [name for name in scenarios if name != CEILING and (not wanted or name in wanted)] + [CEILING]

    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads)
    try:
        wait_ready(port, server)
        print(f"gunicorn:127.0.0.1:{port},{args.workers} 个进程 × {args.threads} 线程;"
              f"{args.connections} 个并发连接,每项预热 {args.warmup:g} 秒、测量 {args.duration:g} 秒。")
        print(f"文号检索:{number};公文页轮换 {len(pks)} 篇。")
        results: list[Result] = []
        for name in order:
            run(port, Result(name, scenarios[name]), args.connections, args.warmup)  # warm-up, discarded
            result = run(port, Result(name, scenarios[name]), args.connections, args.duration)
            results.append(result)
            print(f"  {name:<14} {result.rps:8.1f} 次/秒  p95 {result.percentile(95):7.1f} ms", flush=True)
    finally:
        stop(server)
    print(f"负载(结束):{load()}")
    return report(results)


# --- environment ------------------------------------------------------------------------------


def bench_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PORTAL_BENCH_CEILING": "1",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
        "PORTAL_VAR_DIR": str(ROOT / "var" / "bench"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    })
    return env


def manage(env: dict, *argv: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *argv], cwd=ROOT, env=env, check=True)


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cores} 核 {model},内存 {mem_kb / 1024 / 1024:.0f} GiB"


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# --- database ---------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"创建数据库 {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def public_count(url: str) -> int:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM disclosure_document WHERE status = 'published' "
                       "AND attribute = 'proactive' AND confidentiality_cleared_at IS NOT NULL")
        return cursor.fetchone()[0]


def vacuum(url: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) disclosure_document")
    conn.close()


def sample_documents(url: str) -> tuple[list[int], str]:
    """1,000 public document ids to rotate over, and the 文号 of one of them."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT id FROM disclosure_document WHERE status = 'published' AND attribute = 'proactive' "
                       "ORDER BY md5(id::text) LIMIT 1000")
        pks = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT number_prefix, number_year, number_serial FROM disclosure_document "
                       "WHERE status = 'published' AND attribute = 'proactive' AND number_serial IS NOT NULL "
                       "AND number_prefix = '铜政办发' ORDER BY md5(id::text) LIMIT 1")
        row = cursor.fetchone()
    if not pks or row is None:
        raise SystemExit("数据库中没有可用的公开公文。")
    return pks, f"{row[0]}〔{row[1]}〕{row[2]}号"


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    log = open(ROOT / "var" / "bench" / "gunicorn.log", "w")
    argv = [PYTHON, "-m", "gunicorn", "tongchuan_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--timeout", "60", "--log-level", "warning"]
    if threads > 1:
        argv += ["--threads", str(threads)]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn 退出(代码 {server.returncode}),见 var/bench/gunicorn.log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/ceiling/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn 未能在时限内就绪,见 var/bench/gunicorn.log")


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers: the whole process group it leads."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


# --- load -------------------------------------------------------------------------------------


def run(port: int, result: Result, connections: int, seconds: float) -> Result:
    """`connections` threads, each on its own keep-alive connection, for `seconds`."""
    lock = threading.Lock()
    start_gate = threading.Barrier(connections + 1)
    stop_at = [0.0]

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies, errors, samples = [], 0, []
        i = offset
        start_gate.wait()
        while time.monotonic() < stop_at[0]:
            path = result.paths[i % len(result.paths)]
            i += connections
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                status = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                ok, status = False, type(exc).__name__
                conn.close()
            elapsed = time.perf_counter() - t0
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
                if len(samples) < 3:
                    samples.append(f"{path} → {status}")
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            result.error_samples.extend(samples)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(connections)]
    for t in threads:
        t.start()
    begin = time.monotonic()
    stop_at[0] = begin + seconds
    start_gate.wait()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - begin
    return result


# --- report -----------------------------------------------------------------------------------


def report(results: list[Result]) -> int:
    ceilings = [r for r in results if r.name == CEILING]
    ceiling_rps = max(r.rps for r in ceilings)
    print()
    print("| scenario | req/s | p50 ms | p95 ms | errors | % of ceiling |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r.name} | {r.rps:.1f} | {r.percentile(50):.1f} | {r.percentile(95):.1f} | {r.errors} "
              f"| {100 * r.rps / ceiling_rps:.0f} % |")
    if len(ceilings) > 1:
        spread = statistics.pstdev([c.rps for c in ceilings]) / statistics.mean([c.rps for c in ceilings])
        print(f"\nceiling measured {len(ceilings)}× (first and last); the higher is used; spread {100 * spread:.0f} %.")
    for r in results:
        for sample in r.error_samples:
            print(f"error sample ({r.name}): {sample}")
    print()
    failed = 0
    for r in results:
        if r.name not in TARGETS:
            continue
        share, p95_max = TARGETS[r.name]
        checks, ok = [], r.errors == 0
        if share is not None:
            checks.append(f"≥ {share:.0%} of ceiling ({100 * r.rps / ceiling_rps:.0f} %)")
            ok &= r.rps >= share * ceiling_rps
        checks.append(f"p95 < {p95_max:.0f} ms ({r.percentile(95):.1f} ms)")
        ok &= r.percentile(95) < p95_max
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {r.name}: " + ", ".join(checks) + ("" if r.errors == 0 else
                                                                               f", {r.errors} errors"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
