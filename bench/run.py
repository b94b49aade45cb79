"""Benchmark of the public pages (and, with --staff, the staff pages) at 100,000 documents; not a test.

    .venv/bin/python bench/run.py [DATABASE_URL] [--documents 100000] [--duration 10] [--staff]

Creates the database if missing, migrates, loads units and calendar, generates documents up to
--documents, collects static files, starts gunicorn (production settings plus the ceiling page of
bench/urls.py), and loads each scenario with `wrk` (Debian package; --connections keep-alive
connections on 2 client threads), the ceiling first and last; then prints the table and checks the
targets. The document page is measured cold (page cache flushed, 20,000 pages each requested once)
and warm (1,000 rotating pages); every search both as served (repeats come from the page cache) and
fresh (a parameter the cache does not know makes each request render and search anew).
--staff adds 100,000 running deadlines, queues and opinion cases (manage.py bench_staff_data) and
measures the city office's staff pages instead. Stops gunicorn at the end.
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
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tongchuan_bench"
CEILING = "ceiling"
SPOT = "ceiling-spot"  # the ceiling measured right before a scenario

# (scenario, share of the ceiling's req/s at least, p95 below ms); None = not checked.
SEARCHES = {
    "search-1": "政", "search-2": "公开", "search-4": "政务公开", "search-zero-公开发展": "公开发展",
    "search-zero-〔〕": "〔〕", "search-zero-。。。": "。。。", "search-71号": "71号",
}
TARGETS = {
    "list": (0.80, 50.0),
    "document-cold": (0.30, 50.0),
    "document-warm": (0.80, 50.0),
    **{name: (0.10, 150.0) for name in [*SEARCHES, "search-number"]},
    **{f"{name}-fresh": (0.10, 150.0) for name in [*SEARCHES, "search-number"]},
}
STAFF_TARGETS = {name: (None, 200.0) for name in ("staff-我的时限", "staff-审核队列", "staff-保密审查队列",
                                                  "staff-舆情工作台", "staff-我的公文", "staff-站内消息")}


@dataclass
class Result:
    name: str
    paths: list[str]
    seconds: float = 0.0
    requests: int = 0
    p50: float = float("nan")
    p95: float = float("nan")
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return self.p50 if p == 50 else self.p95


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
    parser.add_argument("--ceiling-each", type=float, default=5.0,
                        help="seconds of ceiling measured right before every scenario (0: only first and last)")
    parser.add_argument("--staff", action="store_true", help="the staff pages at 100,000 deadlines instead")
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("BENCH_REDIS_DB", "13")),
                        help="Redis database of the portal's cache (flushed before the cold scenario)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the commands' output

    env = bench_env(args.database_url, args.redis_db)
    print(f"基准测试 {time.strftime('%Y-%m-%d %H:%M:%S')} · {machine()}")
    print(f"负载(开始):{load()}")
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_units")
    manage(env, "load_calendar")
    existing = document_count(args.database_url)
    if existing < args.documents:
        print(f"已有 {existing:,} 篇公文,补足到 {args.documents:,} 篇:")
        manage(env, "generate_documents", str(args.documents - existing), "--seed", str(args.seed))
    else:
        print(f"已有 {existing:,} 篇公文。")
    cookie = staff_session(env) if args.staff else ""
    vacuum(args.database_url)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    pks, number = sample_documents(args.database_url)
    if args.staff:
        scenarios = {CEILING: ["/bench/ceiling/"], "staff-我的时限": ["/deadlines/"],
                     "staff-审核队列": ["/work/review/"], "staff-保密审查队列": ["/work/confidentiality/"],
                     "staff-舆情工作台": ["/opinion/"], "staff-我的公文": ["/work/documents/"],
                     "staff-站内消息": ["/inbox/"]}
        targets = STAFF_TARGETS
    else:
        searches = {**SEARCHES, "search-number": number}
        scenarios = {
            CEILING: ["/bench/ceiling/"], "list": ["/xxgk/wgk/"],
            "document-cold": [f"/xxgk/documents/{pk}/" for pk in pks],
            "document-warm": [f"/xxgk/documents/{pk}/" for pk in pks[:1000]],
            **{name: ["/xxgk/search/?q=" + quote(q)] for name, q in searches.items()},
            **{f"{name}-fresh": ["/xxgk/search/?q=" + quote(q) + "&fresh="] for name, q in searches.items()},
        }
        targets = TARGETS
    wanted = {s.strip() for s in args.only.split(",") if s.strip()}
    order = [CEILING] + [name for name in scenarios if name != CEILING and (not wanted or name in wanted)] + [CEILING]

    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads)
    try:
        wait_ready(port, server)
        if args.staff:
            check_staff_pages(port, [p for name, ps in scenarios.items() if name != CEILING for p in ps], cookie)
        print(f"gunicorn:127.0.0.1:{port},{args.workers} 个进程 × {args.threads} 线程;wrk {args.connections} 个并发连接"
              f"(2 线程),每项预热 {args.warmup:g} 秒、测量 {args.duration:g} 秒。")
        print(f"文号检索:{number};冷页面 {len(pks):,} 篇各请求一次,热页面轮换 1,000 篇。")
        results: list[Result] = []
        for name in order:
            if name != CEILING and args.ceiling_each:
                # This VM's speed drifts within a run (the ceiling has moved by up to a quarter between the
                # first and the last measurement): each scenario is also compared with the ceiling next to it.
                spot = wrk(port, Result(SPOT, ["/bench/ceiling/"]), args.connections, args.ceiling_each, cookie)
                results.append(spot)
                print(f"  {SPOT:<22} {spot.rps:8.1f} 次/秒", flush=True)
            if name == "document-cold":
                flush_cache(args.redis_db)  # nothing cached: every page rendered for the first time
            else:
                if name == "document-warm":
                    prime(port, scenarios[name])  # each of the 1,000 pages rendered and cached once
                wrk(port, Result(name, scenarios[name]), args.connections, args.warmup, cookie)  # warm-up
            result = wrk(port, Result(name, scenarios[name]), args.connections, args.duration, cookie)
            if name == "document-cold" and result.requests > len(pks):
                result.error_samples.append(f"{result.requests} 次请求多于 {len(pks)} 篇:部分页面已缓存")
            results.append(result)
            print(f"  {name:<22} {result.rps:8.1f} 次/秒  p95 {result.p95:7.1f} ms  errors {result.errors}", flush=True)
    finally:
        stop(server)
    print(f"负载(结束):{load()}")
    return report(results, targets)


# --- environment ------------------------------------------------------------------------------


def bench_env(database_url: str, redis_db: int = 13) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PORTAL_BENCH_CEILING": "1",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{redis_db - 1}",
        "DISCLOSURE_SEARCH_RATE_IP": "100000000/m",  # one client address sends all the load here
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


def document_count(url: str) -> int:
    """Documents of any state (the staff data moves some published ones into the queues)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM disclosure_document")
        return cursor.fetchone()[0]


def staff_session(env: dict) -> str:
    """Staff data up to 100,000 running deadlines; the city office's session cookie."""
    out = subprocess.run([PYTHON, str(ROOT / "manage.py"), "bench_staff_data"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    print(out.strip())
    key = next(line.split()[1] for line in out.splitlines() if line.startswith("SESSION "))
    return f"sessionid={key}"


def flush_cache(redis_db: int) -> None:
    subprocess.run(["redis-cli", "-n", str(redis_db), "FLUSHDB"], check=True, capture_output=True)


def vacuum(url: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # every table: the staff data adds 100,000 deadlines
    conn.close()


def sample_documents(url: str) -> tuple[list[int], str]:
    """20,000 public document ids (the first 1,000 rotate warm), and the 文号 of one of them."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT id FROM disclosure_document WHERE status = 'published' AND attribute = 'proactive' "
                       "ORDER BY md5(id::text) LIMIT 20000")
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


def prime(port: int, paths: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in paths:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        conn.getresponse().read()
    conn.close()


def check_staff_pages(port: int, paths: list[str], cookie: str) -> None:
    """Every staff page answers 200 to the city office's session (not a redirect to the login page)."""
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path} → {response.status}:{body[:200]!r}")
        conn.close()


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


# --- load ---------------------------------------------------------------------------------------

WRK_SCRIPT = r"""
local paths, counter, step = {}, 0, 1
function setup(thread)
  thread:set("id", SETUP_ID); SETUP_ID = SETUP_ID + 1
end
SETUP_ID = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter, step = id, tonumber(args[2])
  if args[3] and args[3] ~= "" then wrk.headers["Cookie"] = args[3] end
end
function request()
  local path = paths[(counter % #paths) + 1]
  if path:sub(-1) == "=" then path = path .. counter end
  counter = counter + step
  return wrk.format("GET", path)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.3f %.3f %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk(port: int, result: Result, connections: int, seconds: float, cookie: str = "") -> Result:
    """Load `result.paths` with wrk (2 threads, `connections` connections) for `seconds`."""
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    (work / "paths.txt").write_text("\n".join(result.paths) + "\n")
    (work / "rotate.lua").write_text(WRK_SCRIPT)
    threads = min(2, connections)
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(seconds, 1):g}s", "--timeout", "10s",
            "-H", "Host: 127.0.0.1", "-s", str(work / "rotate.lua"), f"http://127.0.0.1:{port}",
            "--", str(work / "paths.txt"), str(threads), cookie]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        result.errors += 1
        result.error_samples.append((out.stderr or out.stdout).strip()[:200])
        return result
    requests, micros, p50, p95, errors = line.split()[1:]
    result.requests, result.seconds = int(requests), int(micros) / 1_000_000
    result.p50, result.p95, result.errors = float(p50), float(p95), int(errors)
    if result.errors:
        result.error_samples.append(f"{result.errors} 次非 2xx/3xx 或连接错误")
        result.requests -= result.errors
    return result


# --- report -----------------------------------------------------------------------------------


def adjacent_ceiling(results: list[Result], index: int) -> float:
    """The faster of the ceilings measured right before and right after the scenario at `index`."""
    before = next((r.rps for r in reversed(results[:index]) if r.name in (CEILING, SPOT)), 0.0)
    after = next((r.rps for r in results[index + 1:] if r.name in (CEILING, SPOT)), 0.0)
    return max(before, after)


def report(results: list[Result], targets: dict) -> int:
    """The table, and PASS/FAIL per target. A ratio is checked against the faster of the two ceilings
    measured around its scenario when there are spot ceilings (`--ceiling-each`), else against the
    faster of the first and last; both ratios are printed."""
    ceilings = [r for r in results if r.name == CEILING]
    ceiling_rps = max(r.rps for r in ceilings)
    spots = any(r.name == SPOT for r in results)
    print()
    print("| scenario | req/s | p50 ms | p95 ms | errors | % of first/last ceiling | % of adjacent ceiling |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for index, r in enumerate(results):
        if r.name == SPOT:
            continue
        near = adjacent_ceiling(results, index) if r.name != CEILING else r.rps
        adjacent = f"{100 * r.rps / near:.0f} %" if near else "—"
        print(f"| {r.name} | {r.rps:.1f} | {r.percentile(50):.1f} | {r.percentile(95):.1f} | {r.errors} "
              f"| {100 * r.rps / ceiling_rps:.0f} % | {adjacent} |")
    all_ceilings = [r.rps for r in results if r.name in (CEILING, SPOT)]
    if len(all_ceilings) > 1:
        spread = statistics.pstdev(all_ceilings) / statistics.mean(all_ceilings)
        print(f"\nceiling measured {len(all_ceilings)}× ({min(all_ceilings):.0f}–{max(all_ceilings):.0f} 次/秒, spread "
              f"{100 * spread:.0f} %); ratios checked against the "
              + ("faster ceiling next to each scenario." if spots else "faster of the first and last."))
    for r in results:
        for sample in r.error_samples:
            print(f"error sample ({r.name}): {sample}")
    print()
    failed = 0
    for index, r in enumerate(results):
        if r.name not in targets:
            continue
        share, p95_max = targets[r.name]
        checks, ok = [], r.errors == 0
        if share is not None:
            reference = adjacent_ceiling(results, index) if spots else ceiling_rps
            checks.append(f"≥ {share:.0%} of ceiling ({100 * r.rps / reference:.0f} %; "
                          f"{100 * r.rps / ceiling_rps:.0f} % of the first/last)")
            ok &= r.rps >= share * reference
        checks.append(f"p95 < {p95_max:.0f} ms ({r.percentile(95):.1f} ms)")
        ok &= r.percentile(95) < p95_max
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {r.name}: " + ", ".join(checks) + ("" if r.errors == 0 else
                                                                               f", {r.errors} errors"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
