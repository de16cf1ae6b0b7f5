"""A parse worker: a long-lived child process that reads documents into records, one at a time.

``monitor.documents.parsepool.ParsePool`` starts it as
``python -P -m monitor.documents.parseworker --memory-mb N`` and talks to it over its stdin and
stdout in frames (``write_frame`` / ``read_frame``: two big-endian 32-bit lengths, a JSON header, a
binary body):

    worker -> pool   {"ready": true, "pid": 123}                            once, when warm
    pool -> worker   {"parser": "parsers.results:parse_results"} + PDF     one per document
    worker -> pool   {"status": "ok"} + the record's to_json_dict() as JSON
                     {"status": "parse_error", "error": "WrongDocumentError", "message": "..."}
                     {"status": "no_parser" | "bug", "message": "..."}
                     {"status": "memory"}                                   over its memory limit

It imports only the standard library and ``parsers`` (not the CLI, not pydantic), so it is warm in
about a quarter of a second. Its address space is capped (``RLIMIT_AS``) after the imports. Its
lifetime is the pool's: it runs in a session of its own (a terminal's Ctrl-C goes to the daemon,
not to it, even while it starts) and ignores SIGINT and SIGTERM (a service stop signals every
process of the service, and the daemon finishes the document in flight before it stops the
workers); it exits when its stdin closes, and a watchdog thread ends it if the parent dies
mid-document.
Anything written to stdout by a library goes to stderr, which the pool logs.

Test-only: with ``HKEXMON_PARSEWORKER_TEST_HOOKS=1`` in the worker's environment, a document that
starts with ``%HKEXMON-TEST `` (or carries it on the line after a ``%PDF-`` header) is a fault to
inject instead of a PDF: ``sleep SECONDS``, ``allocate MB``, ``raise MESSAGE`` (a parser bug),
``print TEXT`` (to stdout) or ``exit STATUS``. Only the tests set it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from parsers.errors import ParseError

# kind -> "module:function"; each function takes the PDF's bytes and returns a record with
# to_json_dict(). Modules are imported on first use, in the worker only; "results" is imported at
# start so a new worker is warm for the common case.
PARSERS: dict[str, str] = {
    "results": "parsers.results:parse_results",
    "board_meeting": "parsers.board_meeting:parse_board_meeting",
    "profit_warning": "parsers.profit_warning:parse_profit_warning",
}
PRELOAD = "results"
TEST_HOOKS_ENV = "HKEXMON_PARSEWORKER_TEST_HOOKS"
TEST_PREFIX = b"%HKEXMON-TEST "

_LENGTHS = struct.Struct(">II")
MAX_HEADER = 64 * 1024 * 1024  # a record is kilobytes; anything near this is a broken stream
MAX_BODY = 1024 * 1024 * 1024


class FrameError(Exception):
    """The other side sent something that is not a frame, or closed the pipe part-way through one."""


class FrameTimeout(Exception):
    """No whole frame arrived before the deadline."""


# -- frames (used by both sides) --------------------------------------------------------------------
def write_frame(fd: int, header: dict[str, Any], body: bytes = b"") -> None:
    """Write one frame to ``fd`` (blocking). Raises OSError (BrokenPipeError) if the reader is gone."""
    head = json.dumps(header, separators=(",", ":")).encode()
    for part in (_LENGTHS.pack(len(head), len(body)) + head, body):  # the body is not copied
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view):]


ALIVE_CHECK_S = 1.0  # how often a reader with ``alive`` asks whether the silent writer still lives


def read_frame(fd: int, deadline: float | None = None,
               alive: Callable[[], bool] | None = None) -> tuple[dict[str, Any], bytes] | None:
    """Read one frame from ``fd``; ``None`` at a clean end of stream (the writer closed).

    ``deadline`` (``time.monotonic()``) bounds the wait: FrameTimeout when it passes. ``alive``
    (with a deadline): asked each second nothing arrives; once the writer is dead its stream counts as
    ended, even if another process still holds the pipe's write end (so no end of stream would come)."""
    lengths = _read_exact(fd, _LENGTHS.size, deadline, at_start=True, alive=alive)
    if lengths is None:
        return None
    head_len, body_len = _LENGTHS.unpack(lengths)
    if head_len > MAX_HEADER or body_len > MAX_BODY:
        raise FrameError(f"a frame of {head_len} + {body_len} bytes is out of bounds")
    head = _read_exact(fd, head_len, deadline, alive=alive) or b""
    body = _read_exact(fd, body_len, deadline, alive=alive) or b""
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise FrameError(f"a frame header is not JSON ({exc})") from None
    if not isinstance(header, dict):
        raise FrameError("a frame header is not a JSON object")
    return header, body


def _read_exact(fd: int, size: int, deadline: float | None, *, at_start: bool = False,
                alive: Callable[[], bool] | None = None) -> bytes | None:
    chunks: list[bytes] = []
    missing = size
    poller = select.poll() if deadline is not None else None
    if poller is not None:
        poller.register(fd, select.POLLIN)
    while missing:
        if poller is not None and deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(max(1, int(min(left, ALIVE_CHECK_S) * 1000 + 0.999))):
                if time.monotonic() >= deadline:
                    raise FrameTimeout()
                if alive is None or alive():
                    continue
                chunk = b""  # the writer is dead and nothing came: the stream has ended
            else:
                chunk = os.read(fd, min(missing, 1 << 20))
        else:
            chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            if at_start and missing == size:
                return None
            raise FrameError(f"the stream ended {size - missing} bytes into a {size}-byte part of a frame")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


# -- the worker -------------------------------------------------------------------------------------
class _Parsers:
    """Parser functions by "module:function", imported on first use and kept."""

    def __init__(self) -> None:
        self._loaded: dict[str, Callable[[bytes], Any]] = {}

    def get(self, target: str) -> Callable[[bytes], Any]:
        if target not in self._loaded:
            module_name, _, function = target.partition(":")
            if not module_name.startswith("parsers.") or not function:
                raise LookupError(f"{target!r} is not a parser (expected parsers.<module>:<function>)")
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                raise LookupError(f"{module_name} cannot be imported ({exc})") from None
            parse = getattr(module, function, None)
            if not callable(parse):
                raise LookupError(f"{module_name} has no function {function}")
            self._loaded[target] = parse
        return self._loaded[target]


def _test_hook(body: bytes) -> dict[str, Any]:
    command, _, arg = body[len(TEST_PREFIX):].decode("ascii", "replace").strip().partition(" ")
    started = time.time()
    if command == "sleep":
        time.sleep(float(arg))
    elif command == "allocate":
        block = bytearray(int(arg) * 1024 * 1024)
        del block
    elif command == "raise":
        raise RuntimeError(arg)
    elif command == "print":  # a chatty library
        sys.stdout.write(arg + "\n")
        sys.stdout.flush()
    elif command == "exit":
        os._exit(int(arg))
    else:
        raise ValueError(f"unknown test hook {command!r}")
    return {"pid": os.getpid(), "started": started, "ended": time.time()}


def _hook_in(body: bytes) -> bytes | None:
    """The test hook a document carries: at its start, or on the line after a ``%PDF-`` header (so a
    test document also passes the download's check that it is a PDF)."""
    if body.startswith(b"%PDF-"):
        body = body.partition(b"\n")[2]
    return body if body.startswith(TEST_PREFIX) else None


def handle(parsers: _Parsers, header: dict[str, Any], body: bytes, *,
           hooks: bool = False) -> tuple[dict[str, Any], bytes]:
    """One request -> one reply, header and body (never raises: whatever the parser does is a reply)."""
    try:
        hook = _hook_in(body) if hooks else None
        if hook is not None:
            record = _test_hook(hook)
        else:
            try:
                parse = parsers.get(str(header.get("parser", "")))
            except LookupError as exc:
                return {"status": "no_parser", "message": str(exc)}, b""
            record = parse(body).to_json_dict()
        # encoded here, so a record that is not JSON is this document's parser bug, not a dead worker
        return {"status": "ok"}, json.dumps(record, separators=(",", ":")).encode()
    except MemoryError:
        return {"status": "memory"}, b""
    except ParseError as exc:
        return {"status": "parse_error", "error": type(exc).__name__, "message": str(exc)}, b""
    except Exception as exc:  # a parser bug costs one document's figures, never the worker
        return {"status": "bug", "message": f"{type(exc).__name__}: {exc}"}, b""


def _watch_parent(fd: int, parent: int) -> None:
    """End the process when the parent is gone: its end of our stdin closes (POLLHUP, reported even
    though no event is asked for) or, should another process still hold that end, we are re-parented."""
    poller = select.poll()
    poller.register(fd, 0)
    while True:
        if poller.poll(1000) or os.getppid() != parent:
            os._exit(0)


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # pragma: no cover - a platform without RLIMIT_AS
        pass


def serve(fd_in: int, fd_out: int, *, memory_mb: int) -> int:
    parsers = _Parsers()
    parsers.get(PARSERS[PRELOAD])
    hooks = os.environ.get(TEST_HOOKS_ENV) == "1"
    threading.Thread(target=_watch_parent, args=(fd_in, os.getppid()), name="watch-parent",
                     daemon=True).start()
    _limit_memory(memory_mb)
    write_frame(fd_out, {"ready": True, "pid": os.getpid()})
    while True:
        try:
            request = read_frame(fd_in)
        except FrameError as exc:
            sys.stderr.write(f"parse worker: {exc}; exiting\n")
            return 2
        if request is None:  # the pool closed our stdin: stop
            return 0
        header, body = request
        reply, record = handle(parsers, header, body, hooks=hooks)
        del body
        try:
            write_frame(fd_out, reply, record)
        except BrokenPipeError:
            return 0


def main(argv: list[str] | None = None) -> int:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    ap = argparse.ArgumentParser(description="A parse worker for hkex-monitor's parse pool (not for users).")
    ap.add_argument("--memory-mb", type=int, required=True)
    args = ap.parse_args(argv)
    # the protocol owns the real stdout; fd 1 (and print) now lead to stderr, which the pool logs
    fd_out = os.dup(1)
    os.dup2(2, 1)
    return serve(0, fd_out, memory_mb=args.memory_mb)


if __name__ == "__main__":
    sys.exit(main())
