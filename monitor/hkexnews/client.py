"""The HTTP client for HKEXnews: polite, paced, loud on surprises.

One ``requests.Session`` per client, shared by every thread. The politeness budget lives in a
``HostLimiter`` handed in (``limiter.py``), so it outlives the client: requests to the host are
paced to one per ``min_request_interval_s``; timeouts, connection errors and 5xx are retried with
backoff (honouring ``Retry-After``); a 403 or 503 (how the CDN answers while it blocks an IP)
pauses *all* requests for ``cooloff_s`` and calls made meanwhile raise ``HostCoolingOffError``
without touching the network. The title search first warms a session (one GET of the search page,
which sets a cookie) and takes an empty body as a failed request. A document download ends at
``document_timeout_s`` on the clock, however slowly the server sends. requests' and urllib3's
exceptions become ``SourceError`` here, with the URL; ``permanent`` says asking again won't help.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from monitor.errors import DocumentError, FeedShapeError, ForbiddenURLError, HostCoolingOffError, SourceError
from monitor.filing import Filing
from monitor.hkexnews.chinese import is_unresolved, unresolved_reason
from monitor.hkexnews.feed import (
    FeedPage,
    TitleSearchPage,
    is_chinese_placeholder,
    load_json_body,
    parse_active_stocks,
    parse_latest_page,
    parse_title_search,
)
from monitor.hkexnews.folders import choose_folder_document, folder_page_links, is_folder_url
from monitor.hkexnews.limiter import HostLimiter, LocalLimiter
from monitor.hkexnews.urls import HKEXnewsURLs, without_query
from monitor.metrics import Metrics
from monitor.settings import HKEXnewsSettings

log = logging.getLogger(__name__)

COOLOFF_STATUSES = frozenset({403, 503})
RETRY_STATUSES = frozenset({429, 500, 502, 504})
GONE_STATUSES = frozenset({404, 410})  # for a document: it will not appear by asking again
MAX_RETRY_WAIT_S = 60.0  # a longer Retry-After on a retryable answer becomes a cool-off
_CHUNK = 64 * 1024
_FEED_CACHE_SIZE = 64
_READ_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


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


def _categories(filing: Filing) -> str:
    return " / ".join(filing.categories) or "no category"


class HKEXnewsClient:
    """Fetches feed pages, title searches, the stock list and documents from one HKEXnews host."""

    def __init__(self, settings: HKEXnewsSettings, metrics: Metrics | None = None, *,
                 limiter: HostLimiter | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 wall_clock: Callable[[], float] = time.time,
                 cache_buster: Callable[[], int | None] | None = None) -> None:
        """``limiter`` holds pacing and cool-off (default: a new ``LocalLimiter`` on ``clock``); hand
        every client of a process (or a cluster) the same one so a rebuilt client keeps them.

        ``clock``/``sleep`` drive backoff and the document time limit; ``wall_clock`` reads HTTP
        dates. ``cache_buster`` gives the ``?_=`` value for feed pages: default epoch ms from
        ``wall_clock``; a callable returning ``None`` sends no cache-buster.
        """
        self.settings = settings
        self.urls = HKEXnewsURLs(settings.base_url)
        self.metrics = metrics
        self.limiter: HostLimiter = limiter if limiter is not None else LocalLimiter(clock)
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
        self._state_lock = threading.Lock()
        self._feed_cache: OrderedDict[str, tuple[str | None, str | None, FeedPage]] = OrderedDict()
        self._session_lock = threading.Lock()
        self._warm_gave_cookie: bool | None = None  # None: the session was never warmed

    def latest_page(self, board: str = "sehk", window: int = 1, page: int = 1, lang: str = "e") -> FeedPage:
        """One latest-feed page, parsed; a 304 to our conditional request returns the cached page
        with ``not_modified=True``. ``lang="c"`` reads the Chinese listings."""
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
            return replace(cached[2], not_modified=True)
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
        """The first ``row_range`` title-search rows for one stock between two dates (inclusive).

        Warms the session first when it has no cookie; an empty body (the servlet's answer to a
        request without a live session) re-warms it and asks once more, then raises
        ``SourceError``: it is never read as "no filings". A ``"null"`` result comes back as a page
        with ``unconfirmed=True``.
        """
        url = self.urls.title_search(stock_id, from_date, to_date, row_range=row_range, lang=lang,
                                     market=market)
        resp = self._title_search_answer(url)
        return self._parse(url, lambda: parse_title_search(self._json(resp, url), url))

    def _title_search_answer(self, url: str) -> requests.Response:
        for attempt in range(2):
            self.warm_session(force=attempt > 0)
            resp = self._request(url, "title_search")
            if resp.content.strip():
                return resp
            log.warning("%s answered an empty body (no live session?)%s", url,
                        "; warming a new session and asking again" if attempt == 0 else "")
        raise SourceError(f"{url}: HKEXnews answered an empty body twice, the second time with a fresh "
                          f"session; taken as a failed request, not as 'no filings'", url=url)

    def warm_session(self, *, force: bool = False) -> None:
        """GET the title-search page once, which sets the session cookie the servlet wants; again when
        the cookie it set is gone (expired) or ``force`` (an empty answer suggests it expired)."""
        with self._session_lock:
            if not force and self._warm_gave_cookie is not None \
                    and (self._has_cookie() or not self._warm_gave_cookie):
                return
            url = self.urls.title_search_page()
            try:
                resp = self._request(url, "session", headers={"Accept": "text/html,*/*"})
            except HostCoolingOffError:
                raise
            except SourceError as exc:  # the search itself will say whether it needs the session
                log.warning("could not warm a title-search session (%s); asking without one", exc)
                return
            resp.close()
            self._warm_gave_cookie = self._has_cookie()
            if not self._warm_gave_cookie:
                log.info("%s set no cookie; the title search is asked without one", url)

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
        """The filing's PDF bytes, read within ``document_timeout_s`` on the clock in all.

        A multi-file filing's ``.htm`` folder page is read and the PDF holding the announcement
        fetched from it (same host only). Permanent failures raise ``SourceError(permanent=True)``
        with the reason: a Chinese-only filing whose Chinese document was not found (nothing is
        requested), the placeholder page itself, a folder page without a PDF, HTTP 404/410, another
        host (``ForbiddenURLError``). Too big or not a PDF raises ``DocumentError``.
        """
        if is_unresolved(filing):
            raise SourceError(f"{filing.url}: Chinese-only filing ({_categories(filing)}): its Chinese "
                              f"document could not be found in the Chinese listings "
                              f"({unresolved_reason(filing)}); not downloaded", url=filing.url,
                              permanent=True)
        deadline = self._clock() + self.settings.document_timeout_s
        body, ctype = self._download(filing.url, deadline)
        if _is_pdf(body):
            return body
        if is_chinese_placeholder(body, ctype):
            raise SourceError(f"{filing.url}: this is the placeholder of a Chinese-only filing "
                              f"({_categories(filing)}); its Chinese document could not be found in the "
                              f"Chinese listings (not resolved when it was discovered)", url=filing.url,
                              permanent=True)
        if is_folder_url(filing.url) and "html" in (ctype or "text/html").lower():
            links = folder_page_links(body, filing.url)
            allowed = [link for link in links if self.urls.is_same_host(link.url)]
            choice = choose_folder_document(allowed, filing)
            if choice is None:
                others = f" ({len(links)} on other hosts, not fetched)" if links else ""
                raise SourceError(f"{filing.url}: the multi-file folder page lists no PDF on "
                                  f"{self.settings.base_url}{others}", url=filing.url, permanent=True)
            log.info("%s is a folder page of %d PDFs; reading %s (%r)", filing.url, len(allowed), choice.url,
                     choice.text)
            body, ctype = self._download(choice.url, deadline)
            if _is_pdf(body):
                return body
            raise DocumentError(f"{choice.url} (from folder page {filing.url}): expected a PDF, received "
                                f"{ctype or 'no content type'}, {len(body)} bytes starting {body[:60]!r}")
        raise DocumentError(f"{filing.url}: expected a PDF, received {ctype or 'no content type'}, "
                            f"{len(body)} bytes starting {body[:60]!r}")

    def cooling_off_for(self) -> float:
        """Seconds left before requests to the host resume (0 when not cooling off)."""
        return self.limiter.cooloff_remaining()

    def close(self) -> None:
        self._session.close()

    def _has_cookie(self) -> bool:
        host = (urlsplit(self.settings.base_url).hostname or "").lower()
        jar = self._session.cookies
        jar.clear_expired_cookies()
        for cookie in jar:
            domain = cookie.domain.lstrip(".").lower()
            if domain in (host, f"{host}.local") or host.endswith("." + domain):
                return True
        return False

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
        left = self.limiter.cooloff_remaining()
        if left > 0:
            raise HostCoolingOffError(f"requests to {self.settings.base_url} are paused for another "
                                      f"{left:.0f}s after a 403/503; {url} not requested",
                                      url=url, until=self._clock() + left)
        if self.metrics is not None:
            self.metrics.cooling_off.set(0)

    def _start_cooloff(self, url: str, status: int, seconds: float) -> HostCoolingOffError:
        lasts = self.limiter.start_cooloff(seconds)
        log.warning("HKEXnews answered %s for %s: pausing ALL requests to %s for %.0fs (retrying during a "
                    "block extends it)", status, url, self.settings.base_url, lasts)
        if self.metrics is not None:
            self.metrics.cooloffs.inc()
            self.metrics.cooling_off.set(1)
        return HostCoolingOffError(f"HKEXnews answered {status} for {url}; requests paused for "
                                   f"{lasts:.0f}s", url=url, until=self._clock() + lasts)

    def _pace(self) -> None:
        """Block until this thread may send the next request to the host."""
        wait = self.limiter.reserve(self.settings.min_request_interval_s)
        if wait > 0:
            self._sleep(wait)

    def _timed_out(self, url: str, deadline: float, done: str) -> SourceError:
        return SourceError(f"{url}: download took over {self.settings.document_timeout_s:.0f}s "
                           f"(the document time limit); abandoned {done}", url=url)

    def _request(self, url: str, kind: str, *, headers: Mapping[str, str] | None = None,
                 allow_304: bool = False, stream: bool = False,
                 deadline: float | None = None) -> requests.Response:
        """GET with pacing, retries, Retry-After and cool-off; returns a 200 (or allowed 304).

        With a ``deadline`` (on ``clock``) no wait, timeout or retry reaches past it.
        """
        s = self.settings
        attempt = 0
        while True:
            self._raise_if_cooling_off(url)
            self._pace()
            self._raise_if_cooling_off(url)  # another thread may have been blocked while we waited
            timeout = s.timeout_s
            if deadline is not None:
                left = deadline - self._clock()
                if left <= 0:
                    raise self._timed_out(url, deadline, "before the answer began")
                timeout = min(timeout, left)
            try:
                resp = self._session.get(url, headers=dict(headers or {}), timeout=timeout, stream=stream)
            except (requests.Timeout, requests.ConnectionError) as exc:
                self._count(kind, "timeout" if isinstance(exc, requests.Timeout) else "connection_error")
                if deadline is not None and deadline - self._clock() <= 0:
                    raise self._timed_out(url, deadline, "before the answer began") from exc
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
                if status in GONE_STATUSES and kind == "document":
                    raise SourceError(f"{url}: HTTP {status}: the document is not on HKEXnews", url=url,
                                      permanent=True)
                if status not in RETRY_STATUSES:
                    raise SourceError(f"{url}: HTTP {status}", url=url)
                if retry_after is not None and retry_after > MAX_RETRY_WAIT_S:
                    raise self._start_cooloff(url, status, retry_after)
                if attempt >= s.retries:
                    raise SourceError(f"{url}: HTTP {status} after {attempt + 1} attempts", url=url)
                delay = retry_after if retry_after is not None else s.backoff_s * (2 ** attempt)
                log.warning("%s: HTTP %s; retry %d/%d in %.1fs", url, status, attempt + 1, s.retries, delay)
            if deadline is not None and self._clock() + delay >= deadline:
                raise self._timed_out(url, deadline, f"after {attempt + 1} attempts")
            attempt += 1
            if delay > 0:
                self._sleep(delay)

    def _download(self, url: str, deadline: float) -> tuple[bytes, str | None]:
        """Stream one document under the size limit and the ``deadline`` (on ``clock``).

        Each socket read is given only the time left, and reads return what has arrived, so a
        server that trickles (or stalls) is cut off at the deadline, not a chunk later.
        """
        self._check_host(url)
        limit = self.settings.max_document_bytes
        resp = self._request(url, "document", stream=True, deadline=deadline)
        try:
            ctype = resp.headers.get("Content-Type")
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise DocumentError(f"{url}: Content-Length {int(declared)} bytes is over the "
                                    f"{limit}-byte document limit; not downloaded")
            sock = getattr(getattr(resp.raw, "connection", None), "sock", None)
            chunks: list[bytes] = []
            total = 0
            while True:
                left = deadline - self._clock()
                if left <= 0:
                    raise self._timed_out(url, deadline, f"after {total} bytes")
                if sock is not None:
                    sock.settimeout(max(0.001, min(left, self.settings.timeout_s)))
                try:
                    chunk = resp.raw.read1(_CHUNK, decode_content=True)
                except _READ_ERRORS as exc:
                    if deadline - self._clock() <= 0:
                        raise self._timed_out(url, deadline, f"after {total} bytes") from exc
                    raise SourceError(f"{url}: download failed after {total} bytes: {exc}", url=url) from exc
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise DocumentError(f"{url}: more than the {limit}-byte document limit; abandoned")
                chunks.append(chunk)
            if self.metrics is not None:
                self.metrics.bytes.labels("document").inc(total)
            return b"".join(chunks), ctype
        finally:
            resp.close()


def _is_pdf(body: bytes) -> bool:
    return body.lstrip()[:5] == b"%PDF-"
