"""The parse pool: real worker processes, real PDFs, real faults.

Faults a real PDF cannot produce on demand (a parse that sleeps, a parser bug, a worker that prints)
come from the worker's test-only hooks (``HKEXMON_PARSEWORKER_TEST_HOOKS=1``, see
``monitor/parseworker.py``); limits, kills and sandboxes are real.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from monitor.daemon import Daemon
from monitor.documents.parsepool import ParsePool, PoolConfig
from monitor.documents.parseworker import (
    PARSERS,
    TEST_HOOKS_ENV,
    TEST_PREFIX,
    FrameError,
    FrameTimeout,
    read_frame,
)
from monitor.errors import DocumentError, NotResultsError, from_parse_error
from monitor.settings import load_settings
from parsers.errors import ParseError
from parsers.results import parse_results

FIXTURES = Path(__file__).parents[1] / "fixtures"
SENSETIME = (FIXTURES / "0020-sensetime-interim-2025.pdf").read_bytes()
CLOUD_FACTORY = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()
ROOT = Path(__file__).resolve().parents[2]


def hook(command: str) -> bytes:
    return TEST_PREFIX + command.encode()


def bytes_read(pid: int) -> int:
    """What the process has read so far (any file or pipe), from /proc/PID/io."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError(f"/proc/{pid}/io has no rchar")


def running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie has exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_HOOKS_ENV, "1")


@pytest.fixture
def make_pool() -> Iterator[Callable[..., ParsePool]]:
    pools: list[ParsePool] = []

    def make(**config: Any) -> ParsePool:
        pool = ParsePool(PoolConfig(**{"workers": 1, **config}))
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


@pytest.fixture(scope="module")
def shared_pool() -> Iterator[ParsePool]:
    with ParsePool(PoolConfig(workers=2)) as pool:
        yield pool


def letter_pdf() -> bytes:
    """A readable one-page PDF that is not a results announcement."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "NOTICE OF ANNUAL GENERAL MEETING\n" + "Shareholders are invited to attend the "
                   "annual general meeting of the Company, to be held at its principal office. " * 12)
    return bytes(pdf.output())


def inflate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates from ~2 MB to ``megabytes`` MB."""
    squeeze = zlib.compressobj(1)
    chunk = b"BT /F1 12 Tf 72 720 Td (Revenue 1,234) Tj ET\n" * 20_000
    stream = b"".join(squeeze.compress(chunk) for _ in range(megabytes * 1024 * 1024 // len(chunk)))
    stream += squeeze.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- same answers as the parser in-process ----------------------------------------------------------
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.pdf")))
def test_a_worker_returns_what_the_parser_returns_in_process(shared_pool: ParsePool, name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert shared_pool.parse(data) == parse_results(data).to_json_dict()


def test_a_worker_reads_a_real_announcement(shared_pool: ParsePool) -> None:
    report = shared_pool.parse(SENSETIME)
    # 0020 SenseTime interim 2025, consolidated statement of profit or loss (RMB'000), page 2
    assert report["metrics"]["revenue"]["current"] == 2_358_198_000
    assert report["metrics"]["profit_for_period"]["current"] == -1_489_270_000


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param(b"%PDF-1.4\n%%EOF garbage", DocumentError, id="damaged"),
    pytest.param(b"<html>not found</html>", DocumentError, id="not-a-pdf"),
    pytest.param(letter_pdf(), NotResultsError, id="not-results"),
])
def test_parser_errors_are_translated_as_in_process(shared_pool: ParsePool, data: bytes,
                                                    expected: type[DocumentError]) -> None:
    with pytest.raises(ParseError) as in_process:
        parse_results(data)
    with pytest.raises(DocumentError) as pooled:
        shared_pool.parse(data)
    assert type(pooled.value) is expected is type(from_parse_error(in_process.value))
    assert str(pooled.value) == str(in_process.value)


# -- reuse and replacement ----------------------------------------------------------------------------
def test_a_worker_is_reused_then_replaced_after_max_documents(make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool(max_documents=3)
    assert pool.stats().alive == 0  # lazy: nothing runs before the first document
    pool.parse(CLOUD_FACTORY)
    (first,) = pool.stats().pids
    for _ in range(2):
        assert pool.stats().pids == (first,)
        pool.parse(SENSETIME)
    stats = pool.stats()
    assert stats.documents == 3 and stats.restarts["max_documents"] == 1 and stats.alive == 1
    (second,) = stats.pids
    assert second != first
    assert wait_until(lambda: not running(first))
    assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000
    assert pool.stats().pids == (second,)


def test_a_document_over_the_time_limit_is_stopped_and_the_next_gets_a_fresh_worker(
        hooks: None, make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool(timeout_s=3.0)  # room for a real parse on a busy machine
    slow_worker = pool.parse(hook("sleep 0"))["pid"]  # warm, so the clock measures the document alone
    started = time.monotonic()
    with pytest.raises(DocumentError, match=r"^parsing took longer than 3s; the worker was stopped$"):
        pool.parse(hook("sleep 600"))
    assert time.monotonic() - started < 30  # stopped at its limit, not after the 600 s it asked for
    assert not running(slow_worker)
    assert pool.stats().restarts["timeout"] == 1
    assert pool.parse(CLOUD_FACTORY) == parse_results(CLOUD_FACTORY).to_json_dict()
    assert pool.parse(hook("sleep 0"))["pid"] != slow_worker


def test_a_real_pdf_over_a_tiny_time_limit_is_stopped(make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool(timeout_s=0.02)
    with pytest.raises(DocumentError, match=r"longer than 0.02s; the worker was stopped"):
        pool.parse(CLOUD_FACTORY)
    stats = pool.stats()
    assert stats.restarts["timeout"] == 1 and stats.alive == 1  # the replacement is already starting


def test_a_python_allocation_over_the_memory_limit_gives_a_clear_error(
        hooks: None, make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool(memory_mb=256)
    with pytest.raises(DocumentError, match=r"parsing needed more than the 256 MB allowed; the worker was "
                                            r"replaced"):
        pool.parse(hook("allocate 1024"))
    assert pool.stats().restarts["memory"] == 1
    assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000


def test_a_pdf_that_inflates_past_the_memory_limit_gives_a_clear_error(
        make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool(memory_mb=256)
    # pdfium aborts when an allocation fails (the worker dies: SIGABRT); Python raises MemoryError.
    # (Under 2048 MB the same PDF is read, in ~10 s, and refused as having no text layer.)
    with pytest.raises(DocumentError, match=r"the parse worker died while reading this document \(killed "
                                            r"by SIGABRT; its memory limit is 256 MB\)"
                                            r"|needed more than the 256 MB"):
        pool.parse(inflate_bomb(100))
    assert pool.stats().restarts["died"] + pool.stats().restarts["memory"] == 1
    assert pool.parse(CLOUD_FACTORY) == parse_results(CLOUD_FACTORY).to_json_dict()


def test_a_worker_killed_mid_document_gives_a_clear_error_and_a_replacement(
        hooks: None, make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool()
    pool.parse(hook("sleep 0"))
    (victim,) = pool.stats().pids
    outcome: list[BaseException] = []

    def parse_slowly() -> None:
        try:
            pool.parse(hook("sleep 600"))
        except DocumentError as exc:
            outcome.append(exc)

    before = bytes_read(victim)
    thread = threading.Thread(target=parse_slowly)
    thread.start()
    # Killed only once it has read the document: killed before, the document would be untouched and
    # rightly given to a fresh worker, which would then sleep its 600 s (seen on a busy machine when
    # this waited for the pool to count the worker busy, which it does before sending).
    assert wait_until(lambda: bytes_read(victim) >= before + len(hook("sleep 600")))
    os.kill(victim, signal.SIGKILL)
    thread.join(30)
    assert not thread.is_alive()
    assert len(outcome) == 1
    assert str(outcome[0]) == ("the parse worker died while reading this document (killed by SIGKILL; "
                               "its memory limit is 2048 MB)")
    stats = pool.stats()
    assert stats.restarts["died"] == 1 and victim not in stats.pids
    assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000


def test_a_worker_finishes_its_document_through_ctrl_c_and_a_service_stop(
        hooks: None, make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool()
    worker = pool.parse(hook("sleep 0"))["pid"]
    assert os.getsid(worker) != os.getsid(0)  # its own session: a terminal's Ctrl-C is not sent to it
    answers: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: answers.append(pool.parse(hook("sleep 1.5"))))
    thread.start()
    assert wait_until(lambda: pool.stats().busy == 1)
    for signum in (signal.SIGINT, signal.SIGTERM):  # as `kill` or systemd would send them
        os.kill(worker, signum)
    thread.join(30)
    assert [a["pid"] for a in answers] == [worker] and running(worker)
    assert sum(pool.stats().restarts.values()) == 0


def test_a_worker_that_died_while_idle_is_replaced_without_failing_a_document(
        make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool()
    pool.parse(CLOUD_FACTORY)
    (victim,) = pool.stats().pids
    os.kill(victim, signal.SIGKILL)
    assert wait_until(lambda: not running(victim))
    assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000
    assert pool.stats().restarts["died"] == 1 and victim not in pool.stats().pids


def test_a_parser_bug_fails_the_document_and_keeps_the_worker(
        hooks: None, make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool()
    with pytest.raises(DocumentError, match=r"^the parser failed on this document \(RuntimeError: list index "
                                            r"out of range on page 3\)$"):
        pool.parse(hook("raise list index out of range on page 3"))
    (worker,) = pool.stats().pids
    assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000
    assert pool.stats().pids == (worker,) and sum(pool.stats().restarts.values()) == 0


def test_a_worker_that_exits_mid_document_reports_its_status(
        hooks: None, make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool()
    with pytest.raises(DocumentError, match=r"died while reading this document \(exit status 7;"):
        pool.parse(hook("exit 7"))
    assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000


# -- kinds --------------------------------------------------------------------------------------------
def test_an_unknown_kind_is_refused_and_the_pool_goes_on(make_pool: Callable[..., ParsePool]) -> None:
    pool = make_pool()
    with pytest.raises(DocumentError, match=r"no parser for documents of kind 'annual_report' \(known kinds: "
                                            r"board_meeting, profit_warning, results\)"):
        pool.parse(SENSETIME, kind="annual_report")
    assert pool.parse(SENSETIME, kind="results")["metrics"]["revenue"]["current"] == 2_358_198_000


def test_a_parser_module_that_is_missing_fails_clearly_and_keeps_the_worker() -> None:
    # the kinds this branch does not have yet (board_meeting, profit_warning) fail the same way
    parsers = {**PARSERS, "ghost": "parsers.ghost_notice:parse_ghost", "shell": "os:system"}
    pool = ParsePool(PoolConfig(workers=1), parsers=parsers)
    try:
        pool.parse(CLOUD_FACTORY)
        (worker,) = pool.stats().pids
        with pytest.raises(DocumentError, match=r"^no parser available for 'ghost' documents: "
                                                r"parsers.ghost_notice cannot be imported \(No module named "
                                                r"'parsers.ghost_notice'\)$"):
            pool.parse(SENSETIME, kind="ghost")
        with pytest.raises(DocumentError, match=r"'os:system' is not a parser"):
            pool.parse(b"true", kind="shell")
        assert pool.parse(SENSETIME)["metrics"]["revenue"]["current"] == 2_358_198_000
        assert pool.stats().pids == (worker,)
    finally:
        pool.close()


# -- threads, logs, environment -----------------------------------------------------------------------
@pytest.mark.parametrize("workers", [1, 2])
def test_threads_share_the_workers(hooks: None, make_pool: Callable[..., ParsePool], workers: int) -> None:
    pool = make_pool(workers=workers)
    results: list[dict[str, Any]] = []
    gate = threading.Barrier(2)

    def parse() -> None:
        gate.wait()
        results.append(pool.parse(hook("sleep 2.5")))

    threads = [threading.Thread(target=parse) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    first, second = sorted(results, key=lambda r: r["started"])
    overlap = first["ended"] > second["started"]
    if workers == 2:  # one document each, at the same time
        assert first["pid"] != second["pid"] and overlap
    else:  # the second thread waited for the one worker
        assert first["pid"] == second["pid"] and not overlap
    assert pool.stats().busy == 0 and pool.stats().documents == 2


def test_default_size_is_the_usable_cores_and_the_settings_map_onto_the_pool() -> None:
    with ParsePool() as default, ParsePool(PoolConfig(workers=3)) as three:
        assert default.size == len(os.sched_getaffinity(0)) and three.size == 3
    settings = load_settings(None, env={})
    assert PoolConfig.from_settings(settings.daemon) == PoolConfig()  # the same defaults
    tuned = settings.daemon.model_copy(update={"parse_workers": 4, "parse_timeout_s": 30.0,
                                               "parse_memory_mb": 512, "parse_worker_max_documents": 7})
    assert PoolConfig.from_settings(tuned) == PoolConfig(workers=4, timeout_s=30.0, memory_mb=512,
                                                         max_documents=7)


def test_a_worker_imports_the_parsers_but_not_the_cli_or_pydantic() -> None:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-P", "-m", "monitor.documents.parseworker",
                           "--memory-mb", "2048"], input=b"", capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr.decode()
    imported = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.decode().splitlines()
                if line.startswith("import time:") and "|" in line}
    # parsers.results itself is imported by importlib (not logged by -X importtime); these are its own imports
    assert {"parsers.statements", "parsers.document", "parsers.layout", "pypdfium2"} <= imported
    assert not {name for name in imported if name.split(".")[0] == "pydantic" or name in (
        "monitor.cli", "monitor.settings", "monitor.errors", "redis", "requests", "slack_sdk")}


def test_worker_output_goes_to_the_log_and_secrets_stay_out_of_its_environment(
        hooks: None, make_pool: Callable[..., ParsePool], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-for-parsers")
    monkeypatch.setenv("HKEX_MONITOR_STORE_URL", "redis://:hunter2@127.0.0.1:6379/0")
    pool = make_pool()
    with caplog.at_level(logging.WARNING, logger="monitor.documents.parsepool"):
        # what a library prints goes to the log, not into the protocol on the worker's stdout
        pid = pool.parse(hook("print a chatty library"))["pid"]
        assert wait_until(lambda: f"parse worker {pid}: a chatty library" in caplog.messages)
        assert pool.parse(CLOUD_FACTORY) == parse_results(CLOUD_FACTORY).to_json_dict()
    environ = Path(f"/proc/{pid}/environ").read_bytes()
    assert b"xoxb-not-for-parsers" not in environ and b"hunter2" not in environ
    assert b"SLACK_BOT_TOKEN" not in environ and b"HKEX_MONITOR_STORE_URL" not in environ


# -- no process left behind ---------------------------------------------------------------------------
def test_close_stops_every_worker_and_fails_the_document_in_flight(hooks: None) -> None:
    pool = ParsePool(PoolConfig(workers=3))
    outcome: list[BaseException] = []

    def parse(command: str) -> None:
        try:
            pool.parse(hook(command))
        except DocumentError as exc:
            outcome.append(exc)

    warm = [threading.Thread(target=parse, args=("sleep 0.5",)) for _ in range(2)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join(60)
    before = {pid: bytes_read(pid) for pid in pool.stats().pids}
    in_flight = threading.Thread(target=parse, args=("sleep 600",))
    in_flight.start()
    # closed once a worker has read the document (closed before, the document would be untouched)
    assert wait_until(lambda: any(bytes_read(pid) >= n + len(hook("sleep 600")) for pid, n in before.items()))
    assert pool.stats().busy == 1 and pool.stats().alive == 2
    pids = pool.stats().pids
    pool.close()
    in_flight.join(30)
    assert not in_flight.is_alive()
    assert [str(e) for e in outcome] == ["the parse pool was closed while it was reading this document"]
    assert not [pid for pid in pids if running(pid)]
    assert pool.stats().alive == 0
    pool.close()  # idempotent
    with pytest.raises(DocumentError, match="the parse pool is closed"):
        pool.parse(SENSETIME)


PARENT = """
import json, sys, threading, time
from monitor.documents.parsepool import ParsePool, PoolConfig
pool = ParsePool(PoolConfig(workers=2))
warm = [threading.Thread(target=pool.parse, args=(b"%HKEXMON-TEST sleep 0.5",)) for _ in range(2)]
[t.start() for t in warm]
[t.join() for t in warm]
threading.Thread(target=pool.parse, args=(b"%HKEXMON-TEST sleep 600",), daemon=True).start()
while pool.stats().busy != 1:
    time.sleep(0.01)
print(json.dumps(pool.stats().pids), flush=True)
time.sleep(600)
"""


def test_workers_do_not_outlive_a_parent_killed_with_sigkill() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, TEST_HOOKS_ENV: "1"})
    try:
        assert parent.stdout is not None
        pids = json.loads(parent.stdout.readline())
        assert len(pids) == 2 and all(running(pid) for pid in pids)  # one idle, one mid-document
        parent.kill()
        parent.wait(10)
        assert wait_until(lambda: not any(running(pid) for pid in pids), timeout=10), \
            [pid for pid in pids if running(pid)]
    finally:
        parent.kill()
        parent.wait(10)
        if parent.stdout is not None:
            parent.stdout.close()


# -- no temporary directory ---------------------------------------------------------------------------
SANDBOXED = f"""
import tempfile
try:
    tempfile.gettempdir()
    print("a temporary directory is usable")
except FileNotFoundError as exc:
    print("no temporary directory:", exc)
from monitor.documents.parsepool import ParsePool
with ParsePool() as pool:
    print("revenue", pool.parse(open({str(FIXTURES / "0020-sensetime-interim-2025.pdf")!r}, "rb").read())
          ["metrics"]["revenue"]["current"])
"""


def test_the_pool_needs_no_temporary_directory_tmpdir_nonexistent(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", SANDBOXED], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TMPDIR": "/nonexistent"}, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "revenue 2358198000" in proc.stdout


def test_the_pool_works_on_a_read_only_filesystem_like_protectsystem_strict(tmp_path: Path) -> None:
    """The shipped systemd unit's sandbox: every directory read-only, no writable temp dir."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare(1) for a private read-only mount namespace")
    script = tmp_path / "sandboxed.py"
    script.write_text(SANDBOXED)
    env = {k: v for k, v in os.environ.items() if k not in ("TMPDIR", "TEMP", "TMP")}
    proc = subprocess.run(
        [unshare, "--mount", "--propagation", "private", "sh", "-c",
         f'mount -o remount,ro,bind / && cd / && exec "$0" {script}', sys.executable],
        capture_output=True, text=True, timeout=120, env=env)
    if "mount:" in proc.stderr and proc.returncode != 0:
        pytest.skip(f"cannot remount / read-only here: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    # the control: the forkserver's temp dir really is unavailable in there
    assert "no temporary directory: [Errno 2] No usable temporary directory found" in proc.stdout
    assert "revenue 2358198000" in proc.stdout


# -- the daemon keeps its pool across reloads ---------------------------------------------------------
def test_a_reload_keeps_the_pool_unless_its_settings_change(tmp_path: Path) -> None:
    cfg = tmp_path / "watchlist.toml"
    base = '[store]\nurl = "memory://"\n[daemon]\nhttp_port = 0\nparse_workers = 1\n'
    cfg.write_text('[[watch]]\ncode = "2512"\n' + base)
    daemon = Daemon(load_settings(cfg), config_path=cfg)
    try:
        pool = daemon.components.parse_pool
        assert pool is not None
        pool.parse(CLOUD_FACTORY)
        (worker,) = pool.stats().pids
        cfg.write_text('[[watch]]\ncode = "2512"\n[[watch]]\ncode = "0020"\n' + base)
        assert daemon.reload_if_changed()
        assert daemon.components.parse_pool is pool and pool.stats().pids == (worker,) and running(worker)
        cfg.write_text('[[watch]]\ncode = "2512"\n' + base + "parse_timeout_s = 30\n")
        assert daemon.reload_if_changed()
        assert daemon.components.parse_pool is not pool and pool.closed and not running(worker)
        assert daemon.components.parse_pool.config.timeout_s == 30
    finally:
        daemon.components.close()
    assert daemon.components.parse_pool.closed


def test_a_dead_writer_ends_its_stream_even_while_another_process_holds_the_pipe() -> None:
    """A worker killed while something else still holds its stdout's write end (a process forked at
    the wrong moment) gives no end of stream: the reader asks whether the writer lives instead of
    waiting out the parse time limit (a suspected cause of a parse that outlived its killed worker)."""
    read_end, write_end = os.pipe()  # the write end stays open here: the "other process"
    try:
        with pytest.raises(FrameTimeout):  # a live, silent writer: the deadline, as before
            read_frame(read_end, time.monotonic() + 0.2, alive=lambda: True)
        assert read_frame(read_end, time.monotonic() + 60, alive=lambda: False) is None  # not 60 s
        os.write(write_end, b"\x00\x00\x00\x02")  # half a frame, then the writer died
        with pytest.raises(FrameError, match="the stream ended 4 bytes into"):
            read_frame(read_end, time.monotonic() + 60, alive=lambda: False)
    finally:
        os.close(read_end)
        os.close(write_end)
