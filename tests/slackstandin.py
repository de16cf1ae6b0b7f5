"""A stand-in for the Slack Web API: a real local HTTP server speaking the few methods we use.

Point the real slack-sdk client at it with ``SlackSettings(api_url=standin.api_url, bot_token=...)``;
nothing is patched. It implements ``chat.postMessage`` (with message metadata and ``thread_ts``),
``chat.update``, ``conversations.history`` (paginated, metadata only with ``include_all_metadata``,
thread replies left out as Slack does), ``conversations.replies``, ``conversations.list`` (paginated),
``auth.test`` and an incoming webhook at ``standin.webhook_url``, and records every request.

    from slackstandin import Fail, SlackStandin

    with SlackStandin() as slack:                      # or the ``slack_standin`` pytest fixture
        settings = SlackSettings(api_url=slack.api_url, bot_token=SecretStr(slack.token))
        slack.fail("chat.postMessage", Fail.ratelimited(retry_after=0), times=2)
        slack.fail("*", Fail.down())                   # every method: drop the connection unanswered
        slack.down = True                              # same, until set back to False
        slack.fail("chat.postMessage", Fail.accept_then_drop())  # posted, but the answer never comes
        slack.refuse()                                 # port closed: connections refused until resume()
        ...
        assert len(slack.posts) == 1 and slack.calls("chat.postMessage") == 3

Scripted failures are consumed one per request, in order, per method ("*" = any method, used after
the method's own). A failure with ``accept`` first handles the request as usual (a post is recorded
and visible in the history), then answers badly: the faults where the sender cannot know whether
its message went out. Channels: ``hkex-filings`` (id ``C0HKEX0001``), ``results`` and ``alerts`` exist
and the bot is a member; ``add_channel`` adds more (archived, or without the bot). Only ``token``
is accepted; any other token gets ``invalid_auth``.

To use the fixture in a test folder, import it in that folder's conftest.py:
``from slackstandin import slack_standin  # noqa: F401``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = ["Fail", "Post", "Request", "SlackStandin", "Timed", "slack_standin"]


@dataclass(frozen=True)
class Fail:
    """One scripted bad answer."""

    status: int = 200
    body: dict[str, Any] | str = field(default_factory=dict)
    headers: tuple[tuple[str, str], ...] = ()
    drop: bool = False  # close the connection without answering
    accept: bool = False  # handle the request as usual first (a post is recorded), then fail
    delay_s: float = 0.0  # wait before answering or dropping (math.inf: until the stand-in stops)
    real_answer: bool = False  # after the delay, give the real answer instead of status/body

    @classmethod
    def ratelimited(cls, retry_after: int = 0) -> Fail:
        return cls(429, {"ok": False, "error": "ratelimited"}, (("Retry-After", str(retry_after)),))

    @classmethod
    def server_error(cls, status: int = 500) -> Fail:
        return cls(status, "<html><body>Internal Server Error</body></html>")

    @classmethod
    def error(cls, code: str) -> Fail:
        """An ``{"ok": false, "error": code}`` answer, e.g. "invalid_auth", "channel_not_found"."""
        return cls(200, {"ok": False, "error": code})

    @classmethod
    def down(cls) -> Fail:
        return cls(drop=True)

    @classmethod
    def accept_then_hang(cls, delay_s: float = math.inf) -> Fail:
        """Record the post, then answer (the real answer) only after ``delay_s``: a client timeout."""
        return cls(accept=True, delay_s=delay_s, real_answer=True)

    @classmethod
    def accept_then_drop(cls) -> Fail:
        """Record the post, then close the connection without answering."""
        return cls(accept=True, drop=True)

    @classmethod
    def accept_then_error(cls, status: int = 500) -> Fail:
        """Record the post, then answer an HTTP error page (a 5xx from behind Slack's front door)."""
        return cls(status, "<html><body>Internal Server Error</body></html>", accept=True)

    @classmethod
    def hang(cls, delay_s: float = math.inf) -> Fail:
        """Read the request, do nothing with it, and close the connection after ``delay_s``."""
        return cls(drop=True, delay_s=delay_s)


@dataclass(frozen=True)
class Request:
    method: str  # "chat.postMessage", ..., or "webhook"
    params: dict[str, Any]
    token: str | None
    answered: str  # "ok", an error code, an HTTP status, or "dropped"


@dataclass(frozen=True)
class Timed:
    """When a call reached the stand-in and when its answer left (``time.monotonic``), for judging
    whether a client respected a ``Retry-After``."""

    method: str
    received_at: float
    answered_at: float
    status: int  # the HTTP status answered (0: dropped)
    retry_after: float | None = None  # the Retry-After it was told, on a 429


@dataclass(frozen=True)
class Post:
    channel: str  # channel id
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    metadata: dict[str, Any] | None
    params: dict[str, Any]  # everything the client sent
    via: str = "bot"  # "bot" | "webhook"
    thread_ts: str | None = None  # a reply in that message's thread


@dataclass
class _Channel:
    id: str
    name: str
    archived: bool = False
    member: bool = True
    messages: list[Post] = field(default_factory=list)  # oldest first


class SlackStandin:
    def __init__(self, *, token: str = "xoxb-standin-token", host: str = "127.0.0.1") -> None:
        self.token = token
        self.down = False
        self.posts: list[Post] = []
        self.updates: list[Post] = []  # each chat.update, as the message read after it
        self.requests: list[Request] = []
        self.timeline: list[Timed] = []  # every call with its times, in the order answered
        self._failures: dict[str, deque[Fail]] = defaultdict(deque)
        self._channels: dict[str, _Channel] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._last_ts = 0.0
        self.add_channel("hkex-filings", id="C0HKEX0001")
        self.add_channel("results")
        self.add_channel("alerts")
        self._stopping = threading.Event()  # releases requests held by a hanging failure
        self._server = self._serve((host, 0))
        self._address: tuple[str, int] = self._server.server_address[:2]  # type: ignore[assignment]
        self._thread: threading.Thread | None = None

    def _serve(self, address: tuple[str, int]) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(address, _handler_for(self))
        server.daemon_threads = True
        return server

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._address
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    @property
    def webhook_url(self) -> str:
        return self.base_url + "/services/T0STANDIN/B0STANDIN/webhooksecret0123456789"

    def start(self) -> SlackStandin:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="slack-standin",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._close()

    def _close(self) -> None:
        if self._thread:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()

    def refuse(self) -> None:
        """Close the listening socket: every connection is refused (nothing is read) until ``resume``."""
        self._close()

    def resume(self) -> None:
        """Listen again on the same port after ``refuse``."""
        self._server = self._serve(self._address)
        self.start()

    def __enter__(self) -> SlackStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting and inspection ----------------------------------------------------------------
    def fail(self, method: str, failure: Fail, times: int = 1) -> None:
        with self._lock:
            self._failures[method].extend([failure] * times)

    def clear_failures(self) -> None:
        """Forget every scripted failure not yet used."""
        with self._lock:
            self._failures.clear()

    def add_channel(self, name: str, *, id: str | None = None, archived: bool = False,
                    member: bool = True) -> str:
        with self._lock:
            cid = id or f"C0{next(self._ids):08d}"
            self._channels[cid] = _Channel(cid, name, archived, member)
            return cid

    def channel_id(self, name: str) -> str:
        found = self._find(name)
        if found is None:
            raise KeyError(name)
        return found.id

    def add_message(self, channel: str, text: str, metadata: dict[str, Any] | None = None) -> Post:
        """Put a message in a channel as if someone else had posted it."""
        with self._lock:
            ch = self._find(channel)
            assert ch is not None, channel
            post = Post(ch.id, self._ts(), text, None, metadata, {}, via="other")
            ch.messages.append(post)
            return post

    def filing_counts(self) -> Counter[str]:
        """How many messages (as Slack holds them) carry each filing id in their metadata."""
        with self._lock:
            return Counter(fid for post in self.posts
                           for fid in (post.metadata or {}).get("event_payload", {}).get("filing_ids", []))

    def calls_inside_retry_after(self) -> list[tuple[Timed, Timed]]:
        """(the 429, a call that reached Slack before its Retry-After had passed), for every such
        pair: the pause starts when the 429's answer leaves the stand-in."""
        with self._lock:
            timeline = list(self.timeline)
        out = []
        for limited in (t for t in timeline if t.status == 429 and t.retry_after):
            assert limited.retry_after is not None
            end = limited.answered_at + limited.retry_after
            out.extend((limited, t) for t in timeline if limited.answered_at < t.received_at < end)
        return out

    def calls(self, method: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.method == method)

    def posts_to(self, channel: str) -> list[Post]:
        cid = self.channel_id(channel)
        with self._lock:
            return [p for p in self.posts if p.channel == cid]

    def read_to(self, channel: str) -> list[Post]:
        """The messages posted to a channel as they read now: a first notice after the edit that added
        its figures (announce first), in the order posted."""
        cid = self.channel_id(channel)
        with self._lock:
            posted = [p for p in self.posts if p.channel == cid]
            current = {m.ts: m for m in self._channels[cid].messages}
        return [current.get(p.ts, p) for p in posted]

    def message(self, channel: str, ts: str) -> Post | None:
        """A channel's message as it reads now (after any ``chat.update``)."""
        with self._lock:
            ch = self._find(channel)
            return next((m for m in ch.messages if m.ts == ts), None) if ch else None

    def _timed(self, call: Timed) -> None:
        with self._lock:
            self.timeline.append(call)

    # -- the API -----------------------------------------------------------------------------------
    def _find(self, channel: str) -> _Channel | None:
        if channel in self._channels:
            return self._channels[channel]
        name = channel.lstrip("#")
        return next((c for c in self._channels.values() if c.name == name), None)

    def _ts(self) -> str:
        now = max(time.time(), self._last_ts + 0.000001)
        self._last_ts = now
        return f"{now:.6f}"

    def _scripted(self, method: str) -> Fail | None:
        if self.down:
            return Fail.down()
        for key in (method, "*"):
            if self._failures[key]:
                return self._failures[key].popleft()
        return None

    def handle(self, method: str, params: dict[str, Any], token: str | None, *, scripted: bool = True
               ) -> tuple[int, Any, dict[str, str]]:
        """One API call -> (status, body, headers); raises ConnectionAbortedError to drop it."""
        with self._lock:
            failure = self._scripted(method) if scripted else None
        if failure is not None and (failure.accept or failure.delay_s):
            return self._fail_later(failure, method, params, token)  # waits without the lock
        with self._lock:
            if failure is not None:
                answered = "dropped" if failure.drop else (
                    failure.body.get("error", "?") if isinstance(failure.body, dict) else str(failure.status))
                self.requests.append(Request(method, params, token, answered))
                if failure.drop:
                    raise ConnectionAbortedError
                return failure.status, failure.body, dict(failure.headers)
            if method != "webhook" and token is None:
                body: dict[str, Any] = {"ok": False, "error": "not_authed"}
            elif method != "webhook" and token != self.token:
                body = {"ok": False, "error": "invalid_auth"}
            else:
                body = getattr(self, "_m_" + method.replace(".", "_"), self._m_unknown)(params)
            self.requests.append(Request(method, params, token, "ok" if body.get("ok") else body["error"]))
            if method == "webhook":
                return (200, "ok", {}) if body["ok"] else (404, body["error"], {})
            return 200, body, self._headers(token)

    # Slack names the token's scopes in a header on every Web API answer; set ``scopes`` to change them.
    scopes = "chat:write,channels:history,channels:read,groups:history,groups:read"

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"x-oauth-scopes": self.scopes} if token == self.token else {}

    def _m_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        ch = self._channels.get(str(params.get("channel", "")))  # ids only, like Slack
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": ch.id, "name": ch.name, "is_archived": ch.archived,
                                        "is_member": ch.member, "is_private": False}}

    def _fail_later(self, failure: Fail, method: str, params: dict[str, Any], token: str | None
                    ) -> tuple[int, Any, dict[str, str]]:
        """A failure that first handles the request (``accept``) and/or keeps the client waiting."""
        with self._lock:
            real = self.handle(method, params, token, scripted=False) if failure.accept else None
            then = ("dropped" if failure.drop else "answered" if failure.real_answer else str(failure.status))
            first = f"{self.requests.pop().answered}, then " if real else ""
            delay = "" if not failure.delay_s else f" after {failure.delay_s:g} s"
            self.requests.append(Request(method, params, token, f"{first}{then}{delay}"))
        self._stopping.wait(None if math.isinf(failure.delay_s) else failure.delay_s)
        if failure.drop or self._stopping.is_set():
            raise ConnectionAbortedError
        if failure.real_answer and real is not None:
            return real
        return failure.status, failure.body, dict(failure.headers)

    def _m_unknown(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": False, "error": "unknown_method"}

    def _m_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://standin.slack.com/", "team": "Standin", "user": "hkexbot",
                "team_id": "T0STANDIN", "user_id": "U0BOT", "bot_id": "B0BOT"}

    def _m_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ch = self._find(str(params.get("channel", "")))
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        if ch.archived:
            return {"ok": False, "error": "is_archived"}
        if not ch.member:
            return {"ok": False, "error": "not_in_channel"}
        return {"ok": True, "channel": ch.id, "ts": self._record(ch, params, "bot").ts}

    def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        ch = self._channels.get(str(params.get("channel", "")))  # ids only, like Slack
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        at = next((i for i, m in enumerate(ch.messages) if m.ts == str(params.get("ts"))), None)
        if at is None:
            return {"ok": False, "error": "message_not_found"}
        old = ch.messages[at]
        if old.via == "other":
            return {"ok": False, "error": "cant_update_message"}
        blocks, metadata = params.get("blocks"), params.get("metadata")
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
        new = dataclasses.replace(old, text=str(params.get("text", old.text)), params=params,
                                  blocks=blocks if "blocks" in params else old.blocks,
                                  metadata=metadata or old.metadata)
        ch.messages[at] = new
        self.updates.append(new)
        return {"ok": True, "channel": ch.id, "ts": new.ts, "text": new.text}

    def _m_webhook(self, params: dict[str, Any]) -> dict[str, Any]:
        self._record(self._channels["C0HKEX0001"], params, "webhook")
        return {"ok": True}

    def _record(self, ch: _Channel, params: dict[str, Any], via: str) -> Post:
        blocks, metadata = params.get("blocks"), params.get("metadata")
        post = Post(ch.id, self._ts(), str(params.get("text", "")),
                    json.loads(blocks) if isinstance(blocks, str) else blocks,
                    json.loads(metadata) if isinstance(metadata, str) else metadata, params, via,
                    str(params["thread_ts"]) if params.get("thread_ts") else None)
        ch.messages.append(post)
        self.posts.append(post)
        return post

    def _m_conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        ch = self._channels.get(str(params.get("channel", "")))  # ids only, like Slack
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(params.get("oldest") or 0)
        with_meta = _truthy(params.get("include_all_metadata"))
        latest = float(params.get("latest") or math.inf)
        # Like Slack: thread replies are not in the channel's history unless also sent to the channel.
        found = [m for m in reversed(ch.messages) if oldest < float(m.ts) < latest
                 and (m.thread_ts is None or _truthy(m.params.get("reply_broadcast")))]
        return self._page(found, params, with_meta)

    def _page(self, found: list[Post], params: dict[str, Any], with_meta: bool) -> dict[str, Any]:
        start, limit = int(params.get("cursor") or 0), int(params.get("limit") or 100)
        page = found[start:start + limit]
        more = start + limit < len(found)
        messages = []
        for m in page:
            msg: dict[str, Any] = {"type": "message", "ts": m.ts, "text": m.text}
            if m.thread_ts:
                msg["thread_ts"] = m.thread_ts
            if with_meta and m.metadata:
                msg["metadata"] = m.metadata
            messages.append(msg)
        return {"ok": True, "messages": messages, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _m_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        ch = self._channels.get(str(params.get("channel", "")))
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(params.get("ts", ""))
        if not any(m.ts == ts for m in ch.messages):
            return {"ok": False, "error": "thread_not_found"}
        oldest = float(params.get("oldest") or 0)
        thread = [m for m in ch.messages if m.ts == ts or (m.thread_ts == ts and float(m.ts) > oldest)]
        return self._page(thread, params, _truthy(params.get("include_all_metadata")))

    def _m_conversations_list(self, params: dict[str, Any]) -> dict[str, Any]:
        chans = list(self._channels.values())
        if str(params.get("exclude_archived", "")).lower() in ("1", "true"):
            chans = [c for c in chans if not c.archived]
        start, limit = int(params.get("cursor") or 0), int(params.get("limit") or 100)
        more = start + limit < len(chans)
        return {"ok": True, "channels": [{"id": c.id, "name": c.name, "is_archived": c.archived,
                                          "is_member": c.member, "is_private": False}
                                         for c in chans[start:start + limit]],
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _handler_for(standin: SlackStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if raw:
                if (self.headers.get("Content-Type") or "").startswith("application/json"):
                    params.update(json.loads(raw))
                else:
                    params.update({k: v[-1] for k, v in parse_qs(raw.decode()).items()})
            auth = self.headers.get("Authorization") or ""
            token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
            if url.path.startswith("/services/"):
                method = "webhook"
            elif url.path.startswith("/api/"):
                method = url.path.removeprefix("/api/")
            else:
                self.send_error(404)
                return
            received = time.monotonic()
            try:
                status, body, headers = standin.handle(method, params, token)
            except ConnectionAbortedError:
                self.close_connection = True
                standin._timed(Timed(method, received, time.monotonic(), 0))
                return
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            ctype = "text/plain" if isinstance(body, str) else "application/json; charset=utf-8"
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            try:
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
            except OSError:  # the client gave up waiting (a hanging failure): nothing to answer
                self.close_connection = True
            wait = headers.get("Retry-After")
            standin._timed(Timed(method, received, time.monotonic(), status,
                                 float(wait) if status == 429 and wait is not None else None))

        do_GET = do_POST = _serve

    return Handler


@pytest.fixture
def slack_standin() -> Iterator[SlackStandin]:
    """A started ``SlackStandin``, stopped after the test."""
    with SlackStandin() as standin:
        yield standin
