"""Secrets out of everything we show: log lines, /healthz, /metrics, config errors, command output.

``redact_url`` removes the credentials of one URL, wherever they are: the user-info
(``redis://:pw@host`` -> ``redis://:***@host``; a lone user name such as a token
``https://TOKEN@host`` is masked too) and query parameters whose name says secret (``password``,
``token``, ``secret``, ``key``, ``auth``, ``sig``...). ``redact`` does that to every URL in a free
text and masks Slack tokens and webhook URLs wherever they appear. ``looks_secret`` tells whether a
key name or a value should never be shown. Nothing else in the program removes secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

MASK = "***"

# Slack tokens (bot, user, app-level, refresh...), webhook URLs on any host, bearer headers.
_SECRET_PATTERNS = (
    re.compile(r"\bxox[abposre]-[A-Za-z0-9-]+"),
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),
    re.compile(r"https?://hooks\.slack(?:-gov)?\.com/[^\s\"'<>]*[^\s\"'<>:;,.)\]]"),
    re.compile(r"/services/T[A-Z0-9]+/B[A-Z0-9]+/[^\s\"'<>/]*[^\s\"'<>/:;,.)\]]"),
    re.compile(r"(?i)(authorization:\s*bearer\s+)[^\s\"']+"),
)
# A URL inside free text: scheme, then anything up to a space, a quote or an angle bracket, less the
# punctuation of the sentence around it ("...?token=x: HTTP 500" keeps its colon).
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]*[^\s\"'<>:;,.)\]]")
# Names that say "the value is a credential", in query strings and configuration keys alike.
_SECRET_NAME = re.compile(r"(?i)pass|pwd|token|secret|key|auth|sig|credential|cookie|session|webhook")


def looks_secret(name: str | None = None, value: object = None) -> bool:
    """True when ``name`` names a credential or ``value`` (or anything inside it) holds one."""
    if name and _SECRET_NAME.search(name):
        return True
    if isinstance(value, dict):
        return any(looks_secret(str(k), v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(looks_secret(None, v) for v in value)
    if isinstance(value, str):
        return redact(value) != value
    return False


def redact_url(url: str) -> str:
    """``url`` without its credentials (user-info password or token, secret query parameters)."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            user, sep, _password = userinfo.partition(":")
            netloc = f"{user}:{MASK}@{host}" if sep else f"{MASK}@{host}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(_SECRET_NAME.search(k) for k, _ in pairs):
                query = urlencode([(k, MASK if _SECRET_NAME.search(k) else v) for k, v in pairs], safe="*/:")
        if (netloc, query) == (parts.netloc, parts.query):
            return url
        rebuilt = f"{parts.scheme}://{netloc}{parts.path}"  # urlunsplit would drop an empty "//"
        return rebuilt + (f"?{query}" if query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    except ValueError:  # not parseable as a URL: mask anything between "://" and "@"
        return re.sub(r"://[^/@\s]*@", f"://{MASK}@", url)


def redact(text: str, extra_secrets: Iterable[str] = ()) -> str:
    """``text`` with every URL's credentials removed, Slack tokens and webhook URLs masked, and
    each of ``extra_secrets`` (exact values, e.g. from the environment) replaced by ``***``."""
    for secret in extra_secrets:
        if secret:
            text = text.replace(secret, MASK)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return _URL.sub(lambda m: redact_url(m.group(0)), text)
