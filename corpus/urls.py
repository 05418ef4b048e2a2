"""One form for the many spellings of a web page's address, to match articles by URL.

Two links to the same page often differ in ways that do not change the page: ``http`` or
``https``, ``www.`` or not, the host's case, a trailing slash, a ``#fragment``, and the tracking
parameters that sharing adds (``utm_source``, ``fbclid``…). :func:`normalise_url` removes those
differences; the rest of the query is kept (it may choose the page), in sorted order.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say where a click came from, never which page it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "cmpid",
        "ocid",
        "smid",
    }
)


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMETERS


def normalise_url(url: str) -> str:
    """``url`` in the form two links to the same page share: the scheme ``https`` for
    ``http`` too, the host in lower case without ``www.`` and without the default port, no
    trailing slash, no fragment, no tracking parameters, the other parameters sorted. A text
    that is not an http(s) URL is returned stripped of surrounding white space only."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return text
    host = parts.hostname.lower().rstrip(".")
    host = host.removeprefix("www.")
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(name)
    )
    return urlunsplit(("https", host, path, urlencode(query), ""))


def is_url(text: str) -> bool:
    """True for an http or https URL, in any case (what ``reader import`` fetches instead of
    opening)."""
    return text[:8].lower().startswith(("http://", "https://"))
