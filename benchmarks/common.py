"""Shared setup for the benchmarks: stand-ins in a child process, settings, filings, tables.

The HKEXnews stand-in (``monitor.hkexnews.standin``) and the Slack stand-in (``tests/slackstandin.py``; the
tests folder is put on ``sys.path`` for it, and it imports pytest, so install ``.[test]``) run in
a *child process* (``StandIns``), so the CPU time and resident memory measured in the benchmark
process are the monitor's alone, not the servers'. The child logs every HKEXnews request and
every publish with its wall-clock time, and every Slack post and ``chat.update`` with the moment
it was recorded, so latencies can be split from timestamps.

With a bot token the monitor announces first: a watched filing's alert is posted ("figures coming")
as soon as a poll finds it, and its figures are added to the same message with ``chat.update`` when
the document has been read. Hence two moments per filing (``Deliveries``): the **first notice** (its
first post) and the **figures** (the update that adds them; or the post itself when that post already
carried them: announce first off, or the document read before the announcement went out).

Redis: database 13 by default (``HKEXMON_BENCH_REDIS_URL`` to change; 0, 14 and 15 are refused),
claimed as the test suites claim theirs (so neither flushes the other's data), flushed before and
after each benchmark.

Every benchmark script keeps its work under ``if __name__ == "__main__":``: the stand-in child
(spawn) re-runs the main module's top level. The daemon's parse workers do not (they start as
``python -P -m monitor.documents.parseworker``), so what a script imports no longer costs each document.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import redis  # noqa: E402

from monitor.filing import HKT  # noqa: E402
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling  # noqa: E402
from monitor.settings import Settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
BENCH_REDIS_URL = os.environ.get("HKEXMON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
FIXTURE_REF = b"@fixture:"

# The three results fixtures, rotated: (file, title, category label, t2 code).
RESULTS_PDFS: tuple[tuple[str, str, str, str], ...] = (
    ("2512-cloud-factory-interim-2025.pdf",
     "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025", "Interim Results", "13400"),
    ("0020-sensetime-interim-2025.pdf",
     "INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED JUNE 30, 2025", "Interim Results", "13400"),
    ("1856-ernest-borel-final-2014.pdf",
     "ANNUAL RESULTS ANNOUNCEMENT FOR THE YEAR ENDED 31 DECEMBER 2014", "Final Results", "13300"),
)
# Everyday filings nobody parses: (title, category label, t2 code, t1 code).
OTHER_FILINGS: tuple[tuple[str, str, str, str], ...] = (
    ("MONTHLY RETURN OF EQUITY ISSUER ON MOVEMENTS IN SECURITIES", "Monthly Returns", "NaN", "50000"),
    ("NEXT DAY DISCLOSURE RETURN", "Next Day Disclosure Returns", "NaN", "50000"),
    ("VOLUNTARY ANNOUNCEMENT - BUSINESS UPDATE", "Voluntary Announcement", "NaN", "10000"),
    ("CHANGE OF COMPANY SECRETARY AND AUTHORISED REPRESENTATIVE",
     "Change in Directors or of Important Executive Functions or Responsibilities", "NaN", "10000"),
    ("CONNECTED TRANSACTION - PROVISION OF SERVICES", "Connected Transaction", "NaN", "10000"),
    ("NOTICE OF EXTRAORDINARY GENERAL MEETING", "Notice of General Meeting", "NaN", "40000"),
)


# -- codes, filings ---------------------------------------------------------------------------------
def universe(n: int = 2000) -> list[str]:
    """``n`` Main Board codes (00001 upwards, skipping GEM's 08000-08999 so one feed is read)."""
    return [f"{c:05d}" for c in itertools.islice((c for c in itertools.count(1) if not 8000 <= c < 9000), n)]


def gem_codes(n: int) -> list[str]:
    """``n`` GEM codes (08001 upwards)."""
    return [f"{c:05d}" for c in range(8001, 8001 + min(n, 999))]


def board_of(code: str) -> str:
    """The HKEXnews board a code is listed on: GEM for 08000-08999, else the Main Board."""
    return "gem" if 8000 <= int(code) < 9000 else "sehk"


class FilingFactory:
    """Distinct filings (news id, document stem) for one benchmark run, released "now" by default."""

    def __init__(self, seed: int = 6) -> None:
        self.rng = random.Random(seed)
        self._seq = itertools.count(1)
        self._news = itertools.count(12_200_000)

    def _path(self, when: datetime, board: str) -> str:
        d = when.astimezone(HKT)
        return f"/listedco/listconews/{board}/{d:%Y}/{d:%m%d}/{d:%Y%m%d}{next(self._seq):05d}.pdf"

    def other(self, code: str, when: datetime | None = None) -> StandInFiling:
        title, category, t2, t1 = self.rng.choice(OTHER_FILINGS)
        when = when or datetime.now(HKT)
        board = board_of(code)
        return StandInFiling(next(self._news), [(code, f"STOCK {code}")], title, category, t2, when,
                             self._path(when, board), b"%PDF-1.4 not parsed " + code.encode(), t1_code=t1,
                             board=board)

    def results(self, code: str, index: int, when: datetime | None = None) -> StandInFiling:
        """A results announcement with fixture PDF ``index % 3`` (sent to the child by name only)."""
        name, title, category, t2 = RESULTS_PDFS[index % len(RESULTS_PDFS)]
        when = when or datetime.now(HKT)
        board = board_of(code)
        return StandInFiling(next(self._news), [(code, f"STOCK {code}")], title, category, t2, when,
                             self._path(when, board), FIXTURE_REF + name.encode(), board=board)

    def feed(self, codes: Sequence[str], n: int, *, spread_s: float = 6 * 3600) -> list[StandInFiling]:
        """``n`` everyday filings on random ``codes``, released over the last ``spread_s`` seconds
        (but not before midnight HKT, so they are all in today's 1-day feed)."""
        now = datetime.now(HKT)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        spread = max(60.0, min(spread_s, (now - midnight).total_seconds() - 60))
        return [self.other(self.rng.choice(codes), now - timedelta(seconds=spread * (i + 1) / (n + 1)))
                for i in range(n)]


def _resolve(filing: StandInFiling) -> StandInFiling:
    doc = filing.document
    if doc is not None and doc.startswith(FIXTURE_REF):
        filing.document = (FIXTURES / doc[len(FIXTURE_REF):].decode()).read_bytes()
    return filing


# -- the stand-ins, in a child process ---------------------------------------------------------------
class _TimedHKEXnews(HKEXnewsStandIn):
    """The HKEXnews stand-in, also logging (wall time, path) of every request it routes."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.log: list[tuple[float, str]] = []

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes | None, str]:
        self.log.append((time.time(), path))
        return super()._route(path, query)


PLACEHOLDER = "; figures coming."  # in the text of a first notice posted before its figures


def _filing_ids(metadata: dict[str, Any] | None) -> tuple[str, ...]:
    return tuple((metadata or {}).get("event_payload", {}).get("filing_ids", ()))


def _timed_slack() -> Any:
    """The Slack stand-in, also logging (wall time, channel, ts, filing ids) of every ``chat.update``
    it applied (a post's time is its ``ts``: the stand-in's wall clock when it recorded it)."""
    from slackstandin import SlackStandin

    class TimedSlack(SlackStandin):
        def __init__(self) -> None:
            super().__init__()
            self.update_log: list[tuple[float, str, str, tuple[str, ...]]] = []

        def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
            body: dict[str, Any] = super()._m_chat_update(params)
            if body.get("ok"):
                new = self.updates[-1]
                self.update_log.append((time.time(), new.channel, new.ts, _filing_ids(new.metadata)))
            return body

    return TimedSlack()


def _child(conn: Connection, page_size: int, regen_period_s: float | None) -> None:
    cache: dict[bytes, bytes] = {}
    hk = _TimedHKEXnews(page_size=page_size, regen_period_s=regen_period_s)
    with hk, _timed_slack() as slack:
        conn.send((hk.base_url, slack.api_url, slack.token))
        while True:
            cmd, arg = conn.recv()
            if cmd == "stop":
                conn.send(None)
                return
            if cmd == "publish":
                times = []
                for f in arg:
                    ref = f.document
                    if ref is not None and ref.startswith(FIXTURE_REF):
                        if ref not in cache:
                            cache[ref] = _resolve(f).document or b""
                        f.document = cache[ref]
                    hk.publish(f)
                    times.append(time.time())
                conn.send(times)
            elif cmd == "add_stocks":
                for code in arg:
                    hk.add_stock(code)
                conn.send(None)
            elif cmd == "add_channels":
                for name in arg:
                    slack.add_channel(name)
                conn.send(None)
            elif cmd == "counters":
                conn.send((len(hk.log), hk.bytes_sent))
            elif cmd == "log":
                conn.send(hk.log[arg:])
            elif cmd == "posts":
                conn.send([(float(p.ts), p.channel, tuple((p.metadata or {}).get("event_payload", {})
                                                          .get("filing_ids", ())), p.text[:200])
                           for p in slack.posts[arg:]])
            elif cmd == "post_count":
                conn.send(len(slack.posts))
            elif cmd == "deliveries":
                conn.send(([(float(p.ts), p.channel, p.ts, _filing_ids(p.metadata), PLACEHOLDER in p.text)
                            for p in slack.posts], list(slack.update_log)))
            else:
                conn.send(ValueError(f"unknown command {cmd!r}"))


@dataclass
class Deliveries:
    """What reached Slack, per filing id: ``first`` = when its first post was recorded (the first
    notice); ``figures`` = when its figures reached Slack (the first ``chat.update`` carrying it, or
    its first post when that post was not a "figures coming" placeholder). ``posts_per_filing`` counts
    every post carrying a filing (more than one in a channel would be a duplicate)."""

    first: dict[str, float]
    figures: dict[str, float]
    posts: int
    updates: int
    posts_per_filing: dict[str, int]

    @classmethod
    def of(cls, posts: Sequence[tuple[float, str, str, tuple[str, ...], bool]],
           updates: Sequence[tuple[float, str, str, tuple[str, ...]]]) -> Deliveries:
        first: dict[str, float] = {}
        figures: dict[str, float] = {}
        count: dict[str, int] = {}
        for at, _channel, _ts, fids, placeholder in sorted(posts):
            for fid in fids:
                first.setdefault(fid, at)
                count[fid] = count.get(fid, 0) + 1
                if not placeholder:
                    figures.setdefault(fid, at)
        for at, _channel, _ts, fids in sorted(updates):
            for fid in fids:
                figures[fid] = min(at, figures.get(fid, at))
        return cls(first, figures, len(posts), len(updates), count)


class StandIns:
    """HKEXnews + Slack stand-ins served by a child process; commands go over a pipe.

    ``publish(filings) -> [publish wall time]``, ``counters() -> (requests, bytes sent)``,
    ``log(since) -> [(time, path)]``, ``posts(since) -> [(time, channel id, filing ids, text)]``,
    ``deliveries() -> Deliveries`` (first notice and figures per filing).
    ``regen_period_s``: the feed is regenerated only on that grid of wall-clock time (``genDate``
    moves and new filings appear only then), as HKEXnews does; ``None``: on every publish.
    """

    def __init__(self, *, page_size: int = 100, regen_period_s: float | None = None) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_child, args=(child, page_size, regen_period_s), name="standins",
                                 daemon=True)
        self._proc.start()
        child.close()
        self.hkex_url, self.slack_api_url, self.slack_token = self._conn.recv()
        import threading

        self._lock = threading.Lock()

    def _call(self, cmd: str, arg: Any = None) -> Any:
        with self._lock:
            self._conn.send((cmd, arg))
            out = self._conn.recv()
        if isinstance(out, Exception):
            raise out
        return out

    def publish(self, filings: Sequence[StandInFiling]) -> list[float]:
        return list(self._call("publish", list(filings)))

    def add_stocks(self, codes: Sequence[str]) -> None:
        self._call("add_stocks", list(codes))

    def add_channels(self, names: Sequence[str]) -> None:
        """Slack channels (names without ``#``) the bot is a member of."""
        self._call("add_channels", list(names))

    def counters(self) -> tuple[int, int]:
        n, b = self._call("counters")
        return int(n), int(b)

    def log(self, since: int = 0) -> list[tuple[float, str]]:
        return list(self._call("log", since))

    def posts(self, since: int = 0) -> list[tuple[float, str, tuple[str, ...], str]]:
        return list(self._call("posts", since))

    def post_count(self) -> int:
        return int(self._call("post_count"))

    def deliveries(self) -> Deliveries:
        posts, updates = self._call("deliveries")
        return Deliveries.of(posts, updates)

    def close(self) -> None:
        try:
            self._call("stop")
        except (EOFError, OSError):
            pass
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()

    def __enter__(self) -> StandIns:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- real `hkex-monitor run` processes ----------------------------------------------------------------
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_cpu_s(root: int) -> float:
    """User + system seconds of ``root`` and every live descendant, each with its reaped children
    (a parse worker replaced after its 50 documents counts through its parent), from /proc."""
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(f) for f in fields[11:15]) / _TICKS  # utime stime cutime cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(c for c, p in parent.items() if p == pid)
    return total


def _tree(root: int) -> list[int]:
    """``root`` and its live descendants, from /proc."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(c for c, p in parent.items() if p == pid)
    return out


def proc_rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of one process in kB; (0, 0) once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and its live descendants (the parse workers), kB."""
    return sum(proc_rss_kb(pid)[0] for pid in _tree(root))


def watchlist_toml(codes: Sequence[str], *, alert_on: dict[str, str] | None = None,
                   channel: str | None = None, default_alert_on: str = "results",
                   **sections: dict[str, Any]) -> str:
    """A watchlist file: each code posts to its own channel ``#s<code>`` (so Slack's one message a
    second per channel does not cap a throughput figure), or all to ``channel``; a code may be "*"
    (the whole market, channel ``#market`` unless ``channel``); ``sections``: ``[section]`` key = value."""
    alert_on = alert_on or {}

    def where(code: str) -> str:
        return channel or ("#market" if code == "*" else f"#s{code}")

    out = [f'[[watch]]\ncode = "{c}"\nchannel = "{where(c)}"\n'
           f'alert_on = "{alert_on.get(c, default_alert_on)}"\n' for c in codes]
    for name, values in sections.items():
        out.append(f"[{name}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items()))
    return "\n".join(out)


def toml_value(value: Any) -> str:
    """A TOML literal for a bool, number or string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))


class Instances:
    """``n`` real ``hkex-monitor run`` processes on one config, against the stand-ins and a store;
    each with its own /metrics port; output to log files in ``folder``."""

    def __init__(self, n: int, config: Path, standins: StandIns, store_url: str, folder: Path, *,
                 code: Path | None = None) -> None:
        """``code``: a source tree of another version of the monitor (e.g. ``git archive`` of an
        older commit) to run instead of this one, with this venv's packages."""
        env = {**os.environ, "HKEX_MONITOR_HKEXNEWS_URL": standins.hkex_url,
               "HKEX_MONITOR_STORE_URL": store_url, "SLACK_BOT_TOKEN": standins.slack_token,
               "SLACK_API_URL": standins.slack_api_url}
        if code is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])
        self.folder = folder
        self.ports = [free_port() for _ in range(n)]
        self.procs: list[subprocess.Popen[bytes]] = []
        for i, port in enumerate(self.ports):
            with open(folder / f"{config.stem}-{i}.log", "wb") as log:
                self.procs.append(subprocess.Popen(
                    [sys.executable, "-m", "monitor.cli", "run", "--config", str(config)],
                    env={**env, "HKEX_MONITOR_HTTP_PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT,
                    cwd=code))

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def cpu_s(self) -> float:
        return sum(tree_cpu_s(p.pid) for p in self.procs)

    def rss_kb(self) -> tuple[int, int]:
        """(resident memory of every process of the instances now, the largest daemon's peak
        VmHWM), kB; the parse workers' peaks are not kept once they are replaced, so a caller that
        wants the whole tree's peak samples the first figure."""
        return (sum(tree_rss_kb(p.pid) for p in self.procs),
                max((proc_rss_kb(p.pid)[1] for p in self.procs), default=0))

    def metric(self, name: str) -> list[float]:
        """The sum of a counter's samples (``name`` + ``_total``) from each instance's /metrics."""
        out = []
        for port in self.ports:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
                    text = resp.read().decode()
            except OSError:
                out.append(float("nan"))
                continue
            out.append(sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                           if line.startswith((f"{name}_total{{", f"{name}_total "))))
        return out

    def stop(self) -> list[int]:
        """SIGTERM each, as a service manager does; the exit statuses of those that failed."""
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        bad = [p.returncode for p in self.procs if p.returncode not in (0, -signal.SIGTERM)]
        if bad:
            print(f"WARNING: instances exited {bad}; their logs are in {self.folder}", file=sys.stderr)
        return bad

    def __enter__(self) -> Instances:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def source_at(ref: str, folder: Path) -> Path:
    """The monitor's source (``monitor``, ``parsers``, ``notifiers``) as it was at git ``ref``,
    extracted into ``folder`` (``git archive``), to run as a baseline with ``Instances(code=...)``."""
    from gitsource import extract_at

    found = extract_at(ref, ["monitor", "parsers", "notifiers"], folder)
    if found is None:
        raise RuntimeError(f"git archive could not give the source at {ref}")
    return found


# -- store, settings --------------------------------------------------------------------------------
@contextmanager
def bench_redis() -> Iterator[str]:
    """The benchmarks' Redis database URL, flushed before and after.

    The test suites claim a free database each (``tests/conftest.py``: a lock key per database in
    database 0, 15 downwards), so a benchmark claims its database the same way while it runs and
    refuses one a test session holds, instead of flushing that session's data. A caller that already
    holds the claim (the smoke tests run the scripts in their own claimed database) says so with
    ``HKEXMON_BENCH_REDIS_CLAIMED=1``."""
    db = int(BENCH_REDIS_URL.rstrip("/").rsplit("/", 1)[-1] or 0)
    claimed = os.environ.get("HKEXMON_BENCH_REDIS_CLAIMED") == "1"
    if db in (0, 14, 15) and not claimed:
        raise SystemExit(f"{BENCH_REDIS_URL}: database 0 holds the test sessions' claims and 14 and 15 "
                         "are the first they claim; pick another")
    client = redis.Redis.from_url(BENCH_REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise SystemExit(f"the benchmarks need a Redis at {BENCH_REDIS_URL}: {exc}") from None
    with _claim(db, skip=claimed):
        client.flushdb()
        try:
            yield BENCH_REDIS_URL
        finally:
            client.flushdb()
            client.close()


CLAIM_KEY = "hkexmon-tests:db-lock:{db}"  # the test suites' claim on a database (tests/conftest.py)
CLAIM_TTL_S = 60


@contextmanager
def _claim(db: int, *, skip: bool) -> Iterator[None]:
    """Hold the test suites' claim on database ``db`` (in database 0 of the same server), renewed
    while held; refuse a database another session holds."""
    if skip:
        yield
        return
    base = BENCH_REDIS_URL.rstrip("/").rsplit("/", 1)[0]
    locks = redis.Redis.from_url(f"{base}/0")
    key = CLAIM_KEY.format(db=db)
    if not locks.set(key, f"benchmark:{socket.gethostname()}:{os.getpid()}", nx=True, ex=CLAIM_TTL_S):
        holder = locks.get(key)
        locks.close()
        raise SystemExit(f"{BENCH_REDIS_URL}: another session holds this database ({key} = {holder!r}); "
                         "set HKEXMON_BENCH_REDIS_URL to another")
    import threading

    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(CLAIM_TTL_S / 4):
            try:
                locks.expire(key, CLAIM_TTL_S)
            except redis.RedisError:
                pass

    keeper = threading.Thread(target=renew, name="bench-db-claim", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join(5)
        try:
            locks.delete(key)
        except redis.RedisError:
            pass
        locks.close()


def settings(standins: StandIns, store_url: str, codes: Sequence[str], *, pacing_s: float = 1.0,
             alert_on: str = "results", interval_s: float | None = 60.0, slack: bool = True,
             all_codes: Sequence[str] = (), announce_first: bool | None = None) -> Settings:
    """Settings for the real daemon against the stand-ins; ``all_codes`` are watched with "all".
    ``interval_s``: a fixed poll interval in and out of the windows; ``None``: the default schedule
    (inside the windows, polls timed by the feed's learnt cadence). ``announce_first``: the
    ``slack.announce_first`` setting (``None``: left out, i.e. on with the bot token)."""
    everything = set(all_codes)
    schedule = {} if interval_s is None else {"in_window_s": interval_s, "off_window_s": interval_s}
    bot: dict[str, Any] = {"api_url": standins.slack_api_url, "bot_token": standins.slack_token}
    if announce_first is not None:
        bot["announce_first"] = announce_first
    return Settings.model_validate({
        "watch": [{"code": c, "alert_on": "all" if c in everything else alert_on} for c in codes],
        "hkexnews": {"base_url": standins.hkex_url, "min_request_interval_s": pacing_s},
        "schedule": schedule,
        "slack": bot if slack else {},
        "store": {"url": store_url, "namespace": "hkexbench"},
        "daemon": {"http_port": 0},
        "source_path": "<benchmark>",
    })


# -- the clock ----------------------------------------------------------------------------------------
def inside_publication_window(*, hours: float = 1.0) -> str:
    """Make the daemons of this process schedule as inside an HKEXnews publication window, where
    the default schedule polls fast; returns a note saying how.

    Inside a window already (for ``hours``): nothing changes. Otherwise the poll plan's window test
    (``monitor.schedule.plan.in_window``) is replaced, in this process only, by one that says "inside":
    the one thing of the real clock that cannot be had here on demand. Everything else (the
    cadence, pacing, timers) runs on the real clock. libfaketime was tried instead and is not usable
    here: with the monotonic clock shifted, Python's timed waits never wake; unshifted, they fail.
    """
    import monitor.schedule.plan
    from monitor.schedule.windows import in_window

    now = datetime.now(HKT)
    end = now + timedelta(hours=hours)
    if in_window(now) and in_window(end) and end.date() == now.date():
        return "inside a publication window by the real clock"
    monitor.schedule.plan.in_window = lambda moment: True  # type: ignore[assignment]
    return (f"real clock {now:%a %H:%M} HKT is outside the publication windows: the poll plan is told "
            "it is inside one")


# -- measuring, printing ----------------------------------------------------------------------------
def rss_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in kB, from /proc/self/status."""
    rss = hwm = 0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank style percentile (``q`` in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def render(self) -> str:
        cells = [[str(c) for c in self.headers]] + [[_fmt(c) for c in r] for r in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.headers))]
        lines = [f"### {self.title}", ""]
        for n, r in enumerate(cells):
            lines.append("| " + " | ".join(c.rjust(w) if n and i else c.ljust(w)
                                           for i, (c, w) in enumerate(zip(r, widths, strict=True))) + " |")
            if n == 0:
                lines.append("|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":")
                                            for i, w in enumerate(widths)) + "|")
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()}"


def header(name: str, quick: bool) -> None:
    print(f"== {name} ({'quick' if quick else 'full'}) on {machine()}", flush=True)
