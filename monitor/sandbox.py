"""Parse a document in a child process with a time and memory limit.

pdfplumber on a hostile or pathological PDF can take minutes or gigabytes. The daemon must
survive that and still send the alert, so the parse runs in a child (forked from a clean
forkserver, not from the threaded daemon) that is killed when it overruns.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
from multiprocessing.connection import Connection
from typing import Any

from monitor.errors import DocumentError

_CTX = mp.get_context("forkserver")
_CTX.set_forkserver_preload(["parsers.results"])


def _child(data: bytes, memory_mb: int, conn: Connection) -> None:
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
        pass
    try:
        from parsers.results import parse_results

        report = parse_results(data)
        conn.send(("ok", report.to_json_dict()))
    except MemoryError:
        conn.send(("error", f"parsing needed more than the {memory_mb} MB allowed"))
    except DocumentError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # a parser bug must cost one figure table, not the alert
        conn.send(("bug", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def parse_isolated(data: bytes, *, timeout_s: float, memory_mb: int) -> dict[str, Any]:
    """Parse in a child; returns ``ResultsReport.to_json_dict()``.

    Raises ``DocumentError`` with the reason when the document cannot be read, the parser
    fails, or the child exceeds ``timeout_s`` or ``memory_mb``."""
    receiver, sender = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(data, memory_mb, sender), name="parse", daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise DocumentError(f"parsing took longer than {timeout_s:g}s; the child was stopped")
        try:
            status, payload = receiver.recv()
        except EOFError:
            proc.join(5)
            raise DocumentError(f"the parser process died without an answer (exit code {proc.exitcode}; "
                                f"the memory limit is {memory_mb} MB)") from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "ok":
        return dict(payload)
    if status == "bug":
        raise DocumentError(f"the parser failed on this document ({payload})")
    raise DocumentError(str(payload))
