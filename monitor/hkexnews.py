"""The HTTP client for HKEXnews: polite, paced, loud on surprises.

One ``requests.Session`` per client, shared by every thread: requests to the host are paced to
at most one per ``min_request_interval_s``; timeouts, connection errors and 5xx are retried with
backoff (honouring ``Retry-After``); a 403 or 503 (how the CDN answers while it blocks an IP)
pauses *all* requests for ``cooloff_s`` and calls made meanwhile raise ``HostCoolingOffError``
without touching the network. requests' exceptions become ``SourceError`` here, with the URL.
Use one client per process so the pacing and cool-off really cover the whole host.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import requests

from monitor.errors import DocumentError, FeedShapeError, ForbiddenURLError, HostCoolingOffError, SourceError
from monitor.feed import (
    FeedPage,
    TitleSearchPage,
    is_chinese_placeholder,
    load_json_body,
    parse_active_stocks,
    parse_latest_page,
    parse_title_search,
)
from monitor.filing import Filing
from monitor.metrics import Metrics
from monitor.settings import HKEXnewsSettings
from monitor.urls import HKEXnewsURLs, chinese_variant, without_query

log = logging.getLogger(__name__)

COOLOFF_STATUSES = frozenset({403, 503})
RETRY_STATUSES = frozenset({429, 500, 502, 504})
MAX_RETRY_WAIT_S = 60.0  # a longer Retry-After on a retryable answer becomes a cool-off
_CHUNK = 64 * 1024
_FEED_CACHE_SIZE = 64


def parse_retry_after(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; ``None`` if absent/bad."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        log.warning("ignoring unparseable Retry-After %r", value)
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class HKEXnewsClient:
    """Fetches feed pages, title searches, the stock list and documents from one HKEXnews host."""

    def __init__(self, settings: HKEXnewsSettings, metrics: Metrics | None = None, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 wall_clock: Callable[[], float] = time.time,
                 cache_buster: Callable[[], int | None] | None = None) -> None:
        """``clock``/``sleep`` drive pacing, backoff and cool-off; ``wall_clock`` reads HTTP dates.

        ``cache_buster`` gives the ``?_=`` value for feed pages: default epoch ms from
        ``wall_clock``; a callable returning ``None`` sends no cache-buster.
        """
        self.settings = settings
        self.urls = HKEXnewsURLs(settings.base_url)
        self.metrics = metrics
        self._clock = clock
        self._sleep = sleep
        self._wall = wall_clock
        self._cache_buster: Callable[[], int | None] = cache_buster or (lambda: int(self._wall() * 1000))
        self._session = requests.Session()
        self._session.headers.update({
            "User-Agent": settings.user_agent,
            "Referer": self.urls.referer(),
            "X-Requested-With": "XMLHttpRequest",
            "Accept": "application/json, text/javascript, */*; q=0.01",
            "Accept-Language": "en-GB,en;q=0.9",
        })
        self._pace_lock = threading.Lock()
        self._next_at = 0.0
        self._state_lock = threading.Lock()
        self._cooloff_until = 0.0
        self._feed_cache: OrderedDict[str, tuple[str | None, str | None, FeedPage]] = OrderedDict()

    # -- public API ---------------------------------------------------------------------------
    def latest_page(self, board: str = "sehk", window: int = 1, page: int = 1, lang: str = "e") -> FeedPage:
        """One latest-feed page, parsed; a 304 to our conditional request returns the cached page."""
        url = self.urls.latest(board, window, page, lang, cache_buster=self._cache_buster())
        key = without_query(url)
        with self._state_lock:
            cached = self._feed_cache.get(key)
        headers: dict[str, str] = {}
        if cached is not None:
            etag, modified, _ = cached
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        resp = self._request(url, "feed", headers=headers, allow_304=cached is not None)
        if resp.status_code == 304 and cached is not None:
            log.debug("%s not modified", key)
            return cached[2]
        page_obj = self._parse(url, lambda: parse_latest_page(self._json(resp, url), url))
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        if etag or modified:
            with self._state_lock:
                self._feed_cache[key] = (etag, modified, page_obj)
                self._feed_cache.move_to_end(key)
                while len(self._feed_cache) > _FEED_CACHE_SIZE:
                    self._feed_cache.popitem(last=False)
        return page_obj

    def title_search(self, stock_id: int, from_date: date, to_date: date, *, row_range: int = 100,
                     lang: str = "E", market: str = "SEHK") -> TitleSearchPage:
        """The first ``row_range`` title-search rows for one stock between two dates (inclusive)."""
        url = self.urls.title_search(stock_id, from_date, to_date, row_range=row_range, lang=lang,
                                     market=market)
        resp = self._request(url, "title_search")
        return self._parse(url, lambda: parse_title_search(self._json(resp, url), url))

    def active_stocks(self, board: str = "sehk") -> dict[str, int]:
        """The board's active-stock list as stock code -> stockId (uncached; see ``stockids``)."""
        url = self.urls.active_stocks(board)
        resp = self._request(url, "stock_list")
        return self._parse(url, lambda: parse_active_stocks(self._json(resp, url), url))

    def get_json(self, url: str, kind: str) -> Any:
        """GET any same-host URL and decode JSON; HTML or junk raises ``FeedShapeError``."""
        self._check_host(url)
        resp = self._request(url, kind)
        return self._parse(url, lambda: self._json(resp, url))

    def fetch_document(self, filing: Filing) -> bytes:
        """The filing's PDF bytes; a Chinese-only placeholder falls back to the ``_c.pdf``.

        Refuses other hosts (``ForbiddenURLError``, nothing requested), documents over
        ``max_document_bytes`` and anything that is not a PDF (``DocumentError``).
        """
        body, ctype = self._download(filing.url)
        if _is_pdf(body):
            return body
        if is_chinese_placeholder(body, ctype):
            zh = filing.zh_url or chinese_variant(filing.url)
            log.info("%s is the Chinese-only placeholder; fetching %s", filing.url, zh)
            body, ctype = self._download(zh)
            if _is_pdf(body):
                return body
            raise DocumentError(f"{zh}: expected a PDF (Chinese version of {filing.url}), "
                                f"received {ctype or 'no content type'}, {len(body)} bytes: {body[:60]!r}")
        raise DocumentError(f"{filing.url}: expected a PDF, received {ctype or 'no content type'}, "
                            f"{len(body)} bytes starting {body[:60]!r}")

    def cooling_off_for(self) -> float:
        """Seconds left before requests to the host resume (0 when not cooling off)."""
        with self._state_lock:
            return max(0.0, self._cooloff_until - self._clock())

    def close(self) -> None:
        self._session.close()

    # -- internals ----------------------------------------------------------------------------
    def _check_host(self, url: str) -> None:
        if not self.urls.is_same_host(url):
            raise ForbiddenURLError(f"{url} is not on the configured HKEXnews host "
                                    f"{self.settings.base_url}; not requested", url=url)

    def _parse(self, url: str, parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except FeedShapeError:
            if self.metrics is not None:
                self.metrics.feed_errors.inc()
            log.error("HKEXnews answered %s in an unexpected shape", url)
            raise

    @staticmethod
    def _json(resp: requests.Response, url: str) -> Any:
        return load_json_body(resp.content, resp.headers.get("Content-Type"), url)

    def _count(self, kind: str, status: str, nbytes: int = 0) -> None:
        if self.metrics is not None:
            self.metrics.requests.labels(kind, status).inc()
            if nbytes:
                self.metrics.bytes.labels(kind).inc(nbytes)

    def _raise_if_cooling_off(self, url: str) -> None:
        with self._state_lock:
            left = self._cooloff_until - self._clock()
            until = self._cooloff_until
        if left > 0:
            raise HostCoolingOffError(f"requests to {self.settings.base_url} are paused for another "
                                      f"{left:.0f}s after a 403/503; {url} not requested",
                                      url=url, until=until)
        if self.metrics is not None:
            self.metrics.cooling_off.set(0)

    def _start_cooloff(self, url: str, status: int, seconds: float) -> HostCoolingOffError:
        with self._state_lock:
            until = max(self._cooloff_until, self._clock() + seconds)
            self._cooloff_until = until
        log.warning("HKEXnews answered %s for %s: pausing ALL requests to %s for %.0fs (retrying during a "
                    "block extends it)", status, url, self.settings.base_url, seconds)
        if self.metrics is not None:
            self.metrics.cooloffs.inc()
            self.metrics.cooling_off.set(1)
        return HostCoolingOffError(f"HKEXnews answered {status} for {url}; requests paused for "
                                   f"{seconds:.0f}s", url=url, until=until)

    def _pace(self) -> None:
        """Block until this thread may send the next request to the host."""
        with self._pace_lock:
            wait = self._next_at - self._clock()
            if wait > 0:
                self._sleep(wait)
            self._next_at = self._clock() + self.settings.min_request_interval_s

    def _request(self, url: str, kind: str, *, headers: Mapping[str, str] | None = None,
                 allow_304: bool = False, stream: bool = False) -> requests.Response:
        """GET with pacing, retries, Retry-After and cool-off; returns a 200 (or allowed 304)."""
        s = self.settings
        attempt = 0
        while True:
            self._raise_if_cooling_off(url)
            self._pace()
            self._raise_if_cooling_off(url)  # another thread may have been blocked while we waited
            try:
                resp = self._session.get(url, headers=dict(headers or {}), timeout=s.timeout_s, stream=stream)
            except (requests.Timeout, requests.ConnectionError) as exc:
                self._count(kind, "timeout" if isinstance(exc, requests.Timeout) else "connection_error")
                if attempt >= s.retries:
                    raise SourceError(f"{url}: {type(exc).__name__} after {attempt + 1} attempts: {exc}",
                                      url=url) from exc
                delay = s.backoff_s * (2 ** attempt)
                log.warning("%s: %s; retry %d/%d in %.1fs", url, type(exc).__name__, attempt + 1,
                            s.retries, delay)
            except requests.RequestException as exc:
                self._count(kind, "error")
                raise SourceError(f"{url}: {type(exc).__name__}: {exc}", url=url) from exc
            else:
                status = resp.status_code
                self._count(kind, str(status), 0 if stream else len(resp.content))
                if status == 200 or (status == 304 and allow_304):
                    return resp
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), self._wall())
                resp.close()
                if status in COOLOFF_STATUSES:
                    raise self._start_cooloff(url, status, max(s.cooloff_s, retry_after or 0.0))
                if status not in RETRY_STATUSES:
                    raise SourceError(f"{url}: HTTP {status}", url=url)
                if retry_after is not None and retry_after > MAX_RETRY_WAIT_S:
                    raise self._start_cooloff(url, status, retry_after)
                if attempt >= s.retries:
                    raise SourceError(f"{url}: HTTP {status} after {attempt + 1} attempts", url=url)
                delay = retry_after if retry_after is not None else s.backoff_s * (2 ** attempt)
                log.warning("%s: HTTP %s; retry %d/%d in %.1fs", url, status, attempt + 1, s.retries, delay)
            attempt += 1
            if delay > 0:
                self._sleep(delay)

    def _download(self, url: str) -> tuple[bytes, str | None]:
        """Stream one document under the size and total-time limits."""
        self._check_host(url)
        limit = self.settings.max_document_bytes
        started = self._clock()
        resp = self._request(url, "document", stream=True)
        try:
            ctype = resp.headers.get("Content-Type")
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise DocumentError(f"{url}: Content-Length {int(declared)} bytes is over the "
                                    f"{limit}-byte document limit; not downloaded")
            chunks: list[bytes] = []
            total = 0
            try:
                for chunk in resp.iter_content(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise DocumentError(f"{url}: more than the {limit}-byte document limit; abandoned")
                    if self._clock() - started > self.settings.document_timeout_s:
                        raise SourceError(f"{url}: download took over "
                                          f"{self.settings.document_timeout_s:.0f}s; abandoned after "
                                          f"{total} bytes", url=url)
                    chunks.append(chunk)
            except requests.RequestException as exc:
                raise SourceError(f"{url}: download failed after {total} bytes: {exc}", url=url) from exc
            if self.metrics is not None:
                self.metrics.bytes.labels("document").inc(total)
            return b"".join(chunks), ctype
        finally:
            resp.close()


def _is_pdf(body: bytes) -> bool:
    return body.lstrip()[:5] == b"%PDF-"
