"""Load test: N clerks save figures at once against gunicorn + PostgreSQL, on loopback.

Each saved value carries a unique marker. Afterwards the script checks that every value the
server acknowledged is stored exactly once, that nothing unknown is stored, that the audit
trail has one entry per change and that no request failed with a 5xx. It also times the
monthly entry page (GET and POST) against a minimal logged-in request on the same server.

    python benchmarks/load.py [--clerks 50] [--saves 4] [--server postgres://...]

It creates its own database on that (loopback) server under a name it makes up,
`loadtest_<8 hex digits>`, works on no database with any other name, and drops it when
it ends, also after an error or Ctrl-C. It talks only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-pass-7731"
DEADLINE_SECONDS = 600
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DATABASE_PREFIX = "loadtest_"
_DATABASE_NAME = re.compile(rf"^{DATABASE_PREFIX}[0-9a-f]{{8}}$")


def new_database_name() -> str:
    return f"{DATABASE_PREFIX}{secrets.token_hex(4)}"


def checked_database_name(name: str) -> str:
    """The name, if it is one this script makes up; ValueError for any other, so that
    no real database can be created over or dropped by mistake."""
    if not _DATABASE_NAME.match(name):
        raise ValueError(
            f"refusing database {name!r}: the load test only uses databases named "
            f"{DATABASE_PREFIX}<8 hex digits>, which it creates itself"
        )
    return name


def database_url(server: str, name: str) -> str:
    parsed = urllib.parse.urlparse(server)
    return urllib.parse.urlunparse(
        parsed._replace(path="/" + checked_database_name(name))
    )


def _admin_connection(url: str):  # noqa: ANN202
    import psycopg2

    parsed = urllib.parse.urlparse(url)
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "root",
        password=parsed.password or "",
        dbname="postgres",
    )
    admin.autocommit = True
    return admin


def create_database(url: str) -> None:
    name = checked_database_name(urllib.parse.urlparse(url).path.lstrip("/"))
    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')  # fails if it exists: never reused
    admin.close()


def drop_database(url: str) -> None:
    name = checked_database_name(urllib.parse.urlparse(url).path.lstrip("/"))
    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def seed(clerks: int, saves: int) -> tuple[int, int]:
    """One department per clerk, `saves` indicators each; returns this year and month."""
    import django
    from django.core.management import call_command
    from django.utils import timezone

    django.setup()
    call_command("migrate", verbosity=0)
    from assessment.models import AssessmentYear, Department, Indicator, Role, User

    today = timezone.localdate()
    year = AssessmentYear.objects.create(year=today.year, title="load")
    departments = Department.objects.bulk_create(
        Department(code=f"load-{n}", name=f"Load {n}", order=n) for n in range(clerks)
    )
    for n, department in enumerate(departments):
        user = User.objects.create_user(f"load{n}", password=PASSWORD, role=Role.CLERK)
        user.departments.add(department)
    for i in range(saves):
        indicator = Indicator.objects.create(
            year=year, code=f"i{i}", name=f"Indicator {i}", decimals=0, order=i
        )
        indicator.departments.set(departments)
    from django.db import connections

    connections.close_all()
    return year.year, today.month


@dataclass
class Tally:
    acknowledged: set[tuple[str, str, int]] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    timings: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, kind: str, seconds: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.timings.setdefault(kind, []).append(seconds)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


class Session:
    def __init__(self, base: str, tally: Tally) -> None:
        self.base = base
        self.tally = tally
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar)
        )
        self.bare = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect
        )

    def request(self, kind: str, path: str, data: dict | None = None, follow=True):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        started = time.perf_counter()
        try:
            response = (self.opener if follow else self.bare).open(request, timeout=60)
            status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.tally.count(status, kind, time.perf_counter() - started)
        return status, text

    def log_in(self, username: str) -> None:
        _, page = self.request("login", "/login/")
        token = CSRF.search(page).group(1)
        self.request(
            "login",
            "/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )


def signed_in(base: str, username: str, tally: Tally) -> Session:
    session = Session(base, tally)
    session.log_in(username)
    return session


def clerk_journey(
    session: Session, n: int, year: int, month: int, saves: int, tally: Tally
) -> None:
    url = f"/years/{year}/departments/load-{n}/months/{month}/"
    for i in range(saves):
        status, page = session.request("entry GET", url)
        if status != 200:
            continue
        token = CSRF.search(page).group(1)
        pk = re.search(rf'name="f-(\d+)-value"[^>]*aria-label="Indicator {i}"', page)
        pk = pk or re.search(
            r'name="f-(\d+)-value"', page[page.find(f"Indicator {i}") :]
        )
        indicator_id = pk.group(1)
        version = re.search(rf'name="f-{indicator_id}-version" value="(\d+)"', page)
        value = n * 1000 + i + 1  # the marker
        status, page = session.request(
            "entry POST",
            url,
            {
                "csrfmiddlewaretoken": token,
                f"f-{indicator_id}-value": str(value),
                f"f-{indicator_id}-note": f"marker {n}-{i}",
                f"f-{indicator_id}-version": version.group(1) if version else "0",
            },
        )
        if status == 200 and "alert-success" in page:
            with tally.lock:
                tally.acknowledged.add((f"load-{n}", f"i{i}", value))


def floor_journey(session: Session, requests: int) -> None:
    for _ in range(requests):
        session.request("minimal logged-in", "/i18n/setlang/", follow=False)


def verify(tally: Tally) -> list[str]:
    import django

    django.setup()
    from assessment.models import Figure

    stored = {
        (f.monthly_return.department.code, f.indicator.code, int(f.value))
        for f in Figure.objects.select_related(
            "monthly_return__department", "indicator"
        )
    }
    history = Figure.history.count()
    problems = []
    if stored != tally.acknowledged:
        problems.append(
            f"stored {len(stored)} values, acknowledged {len(tally.acknowledged)}; "
            f"unknown: {sorted(stored - tally.acknowledged)[:5]}, "
            f"lost: {sorted(tally.acknowledged - stored)[:5]}"
        )
    if history != len(stored):
        problems.append(f"{history} audit entries for {len(stored)} changes")
    server_errors = sum(c for s, c in tally.statuses.items() if s >= 500)
    if server_errors:
        problems.append(f"{server_errors} responses were 5xx")
    return problems


def summary(tally: Tally) -> list[tuple[str, int, float, float]]:
    rows = []
    for kind, values in sorted(tally.timings.items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        rows.append((kind, len(values), statistics.median(values) * 1000, p95 * 1000))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--saves", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--server",
        default="postgres://root@127.0.0.1:5432",
        help="the PostgreSQL server (no database name: the script makes its own)",
    )
    args = parser.parse_args()
    if urllib.parse.urlparse(args.server).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the load test only runs against a database on this machine")
    if urllib.parse.urlparse(args.server).path.strip("/"):
        parser.error("give the server only: the script names its own database")
    url = database_url(args.server, new_database_name())
    # Ctrl-C raises KeyboardInterrupt; a plain kill is turned into the same, so the
    # database is dropped either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    create_database(url)
    try:
        return run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)
        print(f"dropped {urllib.parse.urlparse(url).path.lstrip('/')}")


def run(args: argparse.Namespace, url: str) -> int:

    static_root = tempfile.mkdtemp(prefix="load-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sanitation.settings",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "load-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": static_root,
        "AXES_FAILURE_LIMIT": "1000",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    year, month = seed(args.clerks, args.saves)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "sanitation.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    started = time.monotonic()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        # Every login happens before the clock starts: the figures are of the
        # requests a signed-in clerk makes, not of password hashing.
        floor = Tally()
        with ThreadPoolExecutor(args.clerks) as pool:
            floor_sessions = list(
                pool.map(lambda _: signed_in(base, "load0", floor), range(args.clerks))
            )
            sessions = list(
                pool.map(
                    lambda n: signed_in(base, f"load{n}", tally), range(args.clerks)
                )
            )
        with ThreadPoolExecutor(args.clerks) as pool:
            for future in [
                pool.submit(floor_journey, session, args.saves * 2)
                for session in floor_sessions
            ]:
                future.result(timeout=DEADLINE_SECONDS)
        load_started = time.monotonic()
        with ThreadPoolExecutor(args.clerks) as pool:
            futures = [
                pool.submit(clerk_journey, session, n, year, month, args.saves, tally)
                for n, session in enumerate(sessions)
            ]
            for future in futures:
                future.result(timeout=DEADLINE_SECONDS - (time.monotonic() - started))
        load_seconds = time.monotonic() - load_started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    problems = verify(tally)
    print(
        f"{args.clerks} clerks × {args.saves} saves, {args.workers} gunicorn workers, "
        f"{load_seconds:.1f} s; statuses {dict(sorted(tally.statuses.items()))}"
    )
    print(f"acknowledged values: {len(tally.acknowledged)}")
    print("| request | count | median ms | p95 ms |\n| --- | ---: | ---: | ---: |")
    rows = summary(tally) + [row for row in summary(floor) if row[0] != "login"]
    for kind, count, median, p95 in rows:
        print(f"| {kind} | {count} | {median:.1f} | {p95:.1f} |")
    medians = {kind: median for kind, _, median, _ in rows}
    floor_median = medians.get("minimal logged-in")
    for kind in ("entry GET", "entry POST"):
        if floor_median and kind in medians:
            print(
                f"{kind}: {medians[kind] / floor_median:.1f}× the minimal logged-in request"
            )
    if problems:
        print("FAILED:\n- " + "\n- ".join(problems))
        return 1
    print(
        "OK: every acknowledged value stored exactly once, audit entries match, no 5xx"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
