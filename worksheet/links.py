"""Web links on the sheet: what the QR code holds (plain ASCII, so every scanner reads it the same way) and what is
printed beneath it (the link as the patient would type it, where the bundled fonts can print it)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

# Characters a URL may carry as they are; anything else (spaces, non-ASCII) is percent-encoded. '%' stays, so a
# link that is already encoded is not encoded twice.
_SAFE = "/:@!$&'()*+,;=-._~%?#[]"


def ascii_url(url: str) -> str:
    """The link as a QR code should hold it: the host IDNA-encoded (IDNA 2008, UTS 46), the rest percent-encoded.

    Raises ValueError, saying why, for a host that no IDNA form exists for."""
    import idna

    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"has no host name (found {url!r})")
    try:
        encoded_host = idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
    except idna.IDNAError as error:
        raise ValueError(f"host {host!r} is not a valid international domain name ({error})") from None
    netloc = encoded_host
    if parts.port:
        netloc += f":{parts.port}"
    if parts.username:  # kept as given: rare in a video link, and not ours to drop
        netloc = f"{quote(parts.username, safe='')}{':' + quote(parts.password or '', safe='') if parts.password else ''}@{netloc}"
    return urlunsplit((
        parts.scheme, netloc, quote(parts.path, safe=_SAFE), quote(parts.query, safe=_SAFE),
        quote(parts.fragment, safe=_SAFE),
    ))  # fmt: skip


def printed_url(url: str) -> str:
    """The link as printed under the QR code: without 'https://' and 'www.', in its own script where the bundled
    font prints every character of it, else in the ASCII form the QR code holds (never as empty boxes)."""
    from .glyphs import first_unprintable

    readable = url
    if first_unprintable({"url": url}, allow_cjk=True) is not None:  # the layouts set CJK in the fallback font
        readable = ascii_url(url)
    return re.sub(r"^https?://(www\.)?", "", readable).rstrip("/")


def check_url(url: str) -> str:
    """A pydantic validator: the link must have an ASCII form for the QR code."""
    ascii_url(url)
    return url
