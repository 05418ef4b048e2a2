"""Fetching pages and feeds over HTTP(S) with httpx: bounded, polite, and honest about failures.

Every failure is an :class:`~corpus.importers.ImportFailed` whose message is one line naming
the URL and the reason (HTTP status, timeout, too many redirects, too large, not a page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from corpus.importers import ImportFailed
from corpus.plaintext import decode_text

USER_AGENT = "reader/0.1 (terminal article reader; imports one page at a time)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8,*/*;q=0.1"
)
MAX_BYTES = 20_000_000
TIMEOUT = 15.0
MAX_REDIRECTS = 5
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w:.-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """A fetched resource: the URL it ended at (after redirects), its type and its bytes."""

    url: str
    content_type: str
    charset: str | None
    body: bytes

    @property
    def text(self) -> str:
        return decode_page(self.body, self.charset)


def decode_page(body: bytes, declared: str | None) -> str:
    """Decode a page: as :func:`~corpus.plaintext.decode_text`, trying the charset the server
    declared and then the page's own ``<meta charset>`` before falling back to cp1252."""
    meta = _META_CHARSET.search(body[:4096])
    return decode_text(body, (declared, meta.group(1).decode("ascii", "ignore") if meta else None))


def client(timeout: float | None = None) -> httpx.Client:
    """An HTTP client with reader's user agent, redirect limit and timeout (default
    :data:`TIMEOUT`, read when called)."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(TIMEOUT if timeout is None else timeout),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
    )


def fetch(
    url: str,
    *,
    session: httpx.Client | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Fetched:
    """GET ``url``, following redirects, refusing bodies over ``max_bytes`` (default
    :data:`MAX_BYTES`)."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    own = session is None
    http = session or client(timeout)
    timeout = http.timeout.read or TIMEOUT
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise ImportFailed(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ImportFailed(
                    f"{url}: too large ({int(declared) / 1e6:.1f} MB, limit {max_bytes / 1e6:g} MB)"
                )
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise ImportFailed(f"{url}: too large (over the {max_bytes / 1e6:g} MB limit)")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            mime = content_type.split(";")[0].strip().lower()
            charset = response.charset_encoding
            return Fetched(str(response.url), mime, charset, b"".join(chunks))
    except httpx.TimeoutException:
        raise ImportFailed(f"{url}: timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise ImportFailed(f"{url}: too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.InvalidURL as exc:
        raise ImportFailed(f"{url}: not a valid URL ({exc})") from None
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        raise ImportFailed(f"{url}: cannot fetch ({reason})") from None
    finally:
        if own:
            http.close()


def is_url(text: str) -> bool:
    """True for an http or https URL (what ``reader import`` fetches instead of opening)."""
    return text.startswith(("http://", "https://"))
