"""Crawl benchmark: the real crawl pipeline against a bare aiohttp client, and the cost of politeness.

nginx (Debian's) serves generated sites on loopback ports. Run: `.venv/bin/python benchmarks/crawl.py`
(options: --sites, --pages, --delay). Not part of the test suite; it prints figures for benchmarks/README.md.
`--workers N` measures the Redis-distributed crawl instead: a local redis-server, 1 and then N
`cahub crawl-worker` processes and one collector, against the single-process crawl of the same sites.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = {
    "en": "integrity compact members publish audits tenders ports agents bribery report annual board "
    "contracts suppliers training public procurement transparency commitment".split(),
    "es": "integridad pacto miembros publican auditorías licitaciones obras contratos proveedores "
    "formación compras públicas transparencia compromiso veeduría".split(),
    "fr": "intégrité alliance membres publient audits marchés ports transitaires contrats fournisseurs "
    "formation achats publics transparence engagement".split(),
    "de": "Integrität Initiative Mitglieder veröffentlichen Prüfungen Vergaben Verträge Lieferanten "
    "Schulung Beschaffung Transparenz Verpflichtung Stadtwerke".split(),
    "ru": "честность инициатива участники публикуют проверки закупки договоры поставщики обучение "
    "прозрачность обязательства компании".split(),
}
SECTIONS = ["about", "mission", "members", "partners", "governance", "contact", "activities", "reports"]


def free_ports(count: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


def generate(root: Path, ports: list[int], pages: int) -> list[str]:
    """Write one site per port: an index linking `pages - 1` pages of 2-4 KB prose; return every URL."""
    rng = random.Random(7)
    urls = []
    for port in ports:
        site = root / "sites" / str(port)
        site.mkdir(parents=True)
        lang = rng.choice(sorted(WORDS))
        names = [f"{SECTIONS[i % len(SECTIONS)]}-{i}.html" for i in range(pages - 1)]
        links = "".join(
            f'<li><a href="/{n}">{n.split("-")[0].title()} {i}</a></li>' for i, n in enumerate(names)
        )
        (site / "index.html").write_text(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Site {port}</title>'
            f"</head><body><h1>Site {port}</h1><ul>{links}</ul></body></html>",
            encoding="utf-8",
        )
        urls.append(f"http://127.0.0.1:{port}/")
        for name in names:
            paragraphs = "".join(
                "<p>" + " ".join(rng.choice(WORDS[lang]) for _ in range(rng.randint(40, 70))) + ".</p>"
                for _ in range(6)
            )
            (site / name).write_text(
                f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{name}</title></head>'
                f'<body><nav><a href="/">Home</a></nav><main>{paragraphs}</main></body></html>',
                encoding="utf-8",
            )
            urls.append(f"http://127.0.0.1:{port}/{name}")
    return urls


def start_nginx(root: Path, ports: list[int]) -> subprocess.Popen[bytes]:
    listens = "\n".join(f"    listen 127.0.0.1:{p};" for p in ports)
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  keepalive_requests 100000;
  client_body_temp_path {root}/tmp;
  proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp;
  scgi_temp_path {root}/tmp;
  server {{
{listens}
    root {root}/sites/$server_port;
    index index.html;
  }}
}}
""",
        encoding="utf-8",
    )
    (root / "tmp").mkdir()
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", ports[-1]), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                problem = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"nginx did not start: {problem}") from None
            time.sleep(0.05)
    process.kill()
    raise SystemExit("nginx did not start in time")


def peak_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(args: argparse.Namespace) -> None:
    """Run one measured job in this (child) process and print its figures as JSON."""
    if args.child == "aiohttp":
        urls = json.loads(Path(args.urls).read_text())
        started = time.perf_counter()
        fetched = asyncio.run(fetch_all(urls, args.concurrency))
        seconds = time.perf_counter() - started
        print(json.dumps({"pages": fetched, "seconds": seconds, "peak_mb": peak_mb()}))
        return
    import crawlers
    import crawlers.spiders.sites  # noqa: F401 - imported before the clock starts, like a warm worker
    import db
    import lexicons
    from crawlers.pages import page_record
    from db import hub

    page_record(
        initiative_id="warm",
        url="http://x/",
        final_url="http://x/",
        status=200,
        headers={},
        body=b"<html><body><p>warming the text extractor and the language detector</p></body></html>",
        fetched_at="",
        body_cap=1000,
    )
    lexicons.detect_language("warming up")

    data = Path(args.data)
    db.init(data)
    sites = json.loads(Path(args.urls).read_text())
    sites = [u for u in sites if u.endswith("/")]
    records = [{"id": f"site-{i}", "name": f"Site {i}", "website": [u]} for i, u in enumerate(sites)]
    hub.import_records(db.open_hub(data), records)
    settings = {
        "DOWNLOAD_DELAY": args.delay,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "LOG_LEVEL": "ERROR",
    }
    if args.child == "redis":
        print(json.dumps(distributed_crawl(args, data, settings)))
        return
    started = time.perf_counter()
    summary = crawlers.crawl(data, allow_local=True, max_pages=args.pages, settings=settings)
    seconds = time.perf_counter() - started
    print(json.dumps({"pages": summary["pages"], "seconds": seconds, "peak_mb": peak_mb()}))


def distributed_crawl(args: argparse.Namespace, data: Path, settings: dict) -> dict:
    """Enqueue on a fresh redis-server, start `args.workers` worker processes, collect here; time it all."""
    from crawlers import distributed

    port = free_ports(1)[0]
    redis = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=data,
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    workers: list[subprocess.Popen[bytes]] = []
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                distributed.connect(url)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        started = time.perf_counter()
        distributed.enqueue(data, url, allow_local=True, max_pages=args.pages, settings=settings)
        per_worker = max(1, args.concurrency // args.workers)
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from cahub.cli import cli; cli()",
                    "crawl-worker",
                    "--redis",
                    url,
                    "--sites",
                    str(per_worker),
                    "--exit-when-idle",
                ],
                stdout=subprocess.DEVNULL,
                cwd=ROOT,
            )
            for _ in range(args.workers)
        ]
        summary = distributed.collect(data, url)
        seconds = time.perf_counter() - started
        for worker in workers:
            worker.wait(timeout=60)
        return {"pages": summary["pages"], "seconds": seconds, "peak_mb": peak_mb()}
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        redis.terminate()
        redis.wait(timeout=10)


async def fetch_all(urls: list[str], concurrency: int) -> int:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=0)
    count = 0
    async with aiohttp.ClientSession(connector=connector) as session:
        semaphore = asyncio.Semaphore(concurrency)
        locks: dict[str, asyncio.Lock] = {}

        async def one(url: str) -> None:
            nonlocal count
            # the same rule as the crawl: one request at a time per site
            lock = locks.setdefault(url.split("/")[2], asyncio.Lock())
            async with semaphore, lock, session.get(url) as response:
                await response.read()
                count += response.status == 200

        await asyncio.gather(*(one(u) for u in urls))
    return count


def measure(
    kind: str, urls_file: Path, work: Path, pages: int, delay: float, concurrency: int, workers: int = 0
) -> dict:
    data = work / f"data-{kind}-{delay}-{urls_file.stem}-{workers}"
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--urls",
        str(urls_file),
        "--data",
        str(data),
        "--pages",
        str(pages),
        "--delay",
        str(delay),
        "--concurrency",
        str(concurrency),
        "--workers",
        str(workers),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def run_workers(args: argparse.Namespace, work: Path, urls: list[str], urls_file: Path) -> None:
    """Pages/s of the distributed crawl with 1 and N workers, against the single-process crawl, same run."""
    print(
        f"{args.sites} sites, {len(urls)} pages on nginx (loopback), no delay; "
        "distributed on a local redis-server"
    )
    single = measure("crawl", urls_file, work, args.pages, 0.0, args.concurrency)
    single_rate = single["pages"] / single["seconds"]
    print(
        f"single process:  {single['pages']} pages in {single['seconds']:.2f} s = {single_rate:.0f} pages/s"
    )
    for count in sorted({1, args.workers}):
        result = measure("redis", urls_file, work, args.pages, 0.0, args.concurrency, count)
        rate = result["pages"] / result["seconds"]
        print(
            f"redis, {count} worker{'s' if count > 1 else ' '}: {result['pages']} pages in "
            f"{result['seconds']:.2f} s = {rate:.0f} pages/s ({rate / count:.0f} per worker), ratio to "
            f"single process {rate / single_rate:.2f}; collector peak memory {result['peak_mb']} MB"
        )


def run_all(args: argparse.Namespace, work: Path, ports: list[int], urls: list[str], urls_file: Path) -> None:
    print(
        f"{args.sites} sites, {len(urls)} pages on nginx (loopback), concurrency {args.concurrency}, "
        "one request at a time per site"
    )
    bare = measure("aiohttp", urls_file, work, args.pages, 0.0, args.concurrency)
    crawl = measure("crawl", urls_file, work, args.pages, 0.0, args.concurrency)
    bare_rate = bare["pages"] / bare["seconds"]
    crawl_rate = crawl["pages"] / crawl["seconds"]
    print(
        f"aiohttp (fetch only):        {bare['pages']} pages in {bare['seconds']:.2f} s = "
        f"{bare_rate:.0f} pages/s, peak memory {bare['peak_mb']} MB"
    )
    print(
        f"cahub crawl (full pipeline): {crawl['pages']} pages in {crawl['seconds']:.2f} s = "
        f"{crawl_rate:.0f} pages/s, peak memory {crawl['peak_mb']} MB"
    )
    print(f"ratio crawl/aiohttp: {crawl_rate / bare_rate:.3f} ({bare_rate / crawl_rate:.1f}x slower)")

    waves = -(-args.sites // args.concurrency)
    ideal = args.pages * args.delay * waves
    polite = measure("crawl", urls_file, work, args.pages, args.delay, args.concurrency)
    floor = max(ideal, crawl["seconds"])
    print(
        f"polite crawl, {args.delay} s per site, {args.sites} sites: {polite['pages']} pages in "
        f"{polite['seconds']:.2f} s; ideal {ideal:.2f} s ({args.pages} pages per site x {args.delay} s"
        f"{f' x {waves} waves' if waves > 1 else ''}); ratio {polite['seconds'] / ideal:.2f}; "
        f"against max(ideal, unthrottled time) {polite['seconds'] / floor:.2f}"
    )
    # With few sites the CPU is not the limit, and the ratio shows the cost of politeness alone.
    hosts = {f"127.0.0.1:{p}" for p in ports[: args.polite_sites]}
    few_file = work / "few.json"
    few_file.write_text(json.dumps([u for u in urls if u.split("/")[2] in hosts]))
    few = measure("crawl", few_file, work, args.pages, args.delay, args.concurrency)
    ideal_few = args.pages * args.delay
    print(
        f"polite crawl, {args.delay} s per site, {args.polite_sites} sites: {few['pages']} pages in "
        f"{few['seconds']:.2f} s; ideal {ideal_few:.2f} s; ratio {few['seconds'] / ideal_few:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--pages", type=int, default=41, help="Pages per site, index included.")
    parser.add_argument("--delay", type=float, default=0.2, help="Per-site delay of the politeness run.")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--polite-sites", type=int, default=5, help="Sites of the second politeness run.")
    parser.add_argument("--workers", type=int, default=0, help="Measure the Redis-distributed crawl instead.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx-light)")
    work = Path(tempfile.mkdtemp(prefix="cahub-bench-"))
    work.chmod(0o755)  # nginx's workers run as an unprivileged user
    try:
        ports = free_ports(args.sites)
        urls = generate(work, ports, args.pages)
        urls_file = work / "urls.json"
        urls_file.write_text(json.dumps(urls))
        server = start_nginx(work, ports)
        try:
            if args.workers:
                run_workers(args, work, urls, urls_file)
            else:
                run_all(args, work, ports, urls, urls_file)
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
