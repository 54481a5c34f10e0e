"""The guard in front of every request: any web page the clinician visits can try to reach localhost.

- The Host header must name the address the server is bound to (a DNS-rebinding page sends its own name).
- The access token (random, in the address the server opens) must come with every request: in the query once,
  then in a cookie that is HttpOnly and SameSite=Strict, so another site's page cannot send it.
- A state-changing request (POST) must carry the page's CSRF token and, if the browser says, our own Origin.
- Bodies have a size limit, checked on the declared length and again on the bytes that arrive.
- Every answer forbids framing, sniffing, referrers and any script, style or image from elsewhere; answers about a
  patient are not stored by the browser's cache (which is on disk).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode

TOKEN_PARAMETER = "token"
CSRF_HEADER = b"x-csrf-token"
CSRF_FIELD = "csrf_token"
UPLOAD_PATHS = ("/upload", "/open", "/settings")
FORM_LIMIT = 256 * 1024  # a sheet's form is a few KB
UPLOAD_LIMIT = 10 * 1024 * 1024  # a phone photo or a logo; Pillow downscales it to print size anyway

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
     b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]  # fmt: skip
CACHEABLE_PREFIXES = ("/static/", "/figure/")  # the program's own files, nothing about a patient


@dataclass
class Secrets:
    """The run's secrets: a fresh pair each time the server starts."""

    access: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values that name this server: the bound address, and loopback's names when on loopback."""
    names = {host}
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    if host in ("0.0.0.0", "::"):
        import socket

        hostname = socket.gethostname()
        names |= {"127.0.0.1", "localhost", "[::1]", hostname, f"{hostname}.local"}
        try:
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
    if ":" in host and not host.startswith("["):
        names.add(f"[{host}]")
    return {f"{name}:{port}".lower() for name in names}


def cookie_name(port: int) -> str:
    # Cookies ignore ports: two servers on one machine must not overwrite each other's token.
    return f"worksheet-{port}"


class Guard:
    """ASGI middleware enforcing the rules above before the app sees a request."""

    def __init__(self, app, secret: Secrets, hosts: set[str], port: int) -> None:
        self.app = app
        self.secret = secret
        self.hosts = hosts
        self.origins = {f"http://{host}" for host in hosts}
        self.cookie = cookie_name(port)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {name.lower(): value for name, value in scope["headers"]}
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            return await _refuse(send, 400, "This address is not the worksheet server's; open the address it printed.")
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        from_query = (query.get(TOKEN_PARAMETER) or [""])[0]
        cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        from_cookie = cookies[self.cookie].value if self.cookie in cookies else ""
        if from_query and _same(from_query, self.secret.access) and scope["method"] == "GET":
            # First visit from the opened address: keep the token in a cookie and take it out of the address bar.
            rest = urlencode([(k, v) for k, values in query.items() if k != TOKEN_PARAMETER for v in values])
            return await _redirect_with_cookie(send, scope["path"] + (f"?{rest}" if rest else ""), self.cookie, from_query)
        if not _same(from_cookie, self.secret.access):
            return await _refuse(send, 403, "Open the address 'worksheet serve' printed; it carries the access token.")
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get(b"origin", b"").decode("latin-1").lower()
            if origin and origin not in self.origins:
                return await _refuse(send, 403, "A request from another site was refused.")
            csrf = headers.get(CSRF_HEADER, b"").decode("latin-1")
            if not _same(csrf, self.secret.csrf):
                return await _refuse(send, 403, "The page's form token is missing or old; reload the page.")
            limit = UPLOAD_LIMIT if scope["path"] in UPLOAD_PATHS else FORM_LIMIT
            declared = headers.get(b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                return await _refuse(send, 413, f"Too large: the limit is {limit // 1024:,} KB.")
            body = await _read_body(receive, limit)
            if body is None:
                return await _refuse(send, 413, f"Too large: the limit is {limit // 1024:,} KB.")
            receive = _replay(body)
        cacheable = scope["path"].startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = SECURITY_HEADERS + ([] if cacheable else [(b"cache-control", b"no-store")])
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole body, or None once it grows past the limit (whatever its Content-Length said)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        size += len(message.get("body", b""))
        if size > limit:
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes):
    """receive() for the app, giving the body already read, then waiting for the client to go."""
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        import asyncio

        await asyncio.Event().wait()  # the app only asks again to learn of a disconnect; never in our routes

    return receive


def _same(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


async def _refuse(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"), *SECURITY_HEADERS],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send, location: str, name: str, token: str) -> None:
    cookie = f"{name}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({
        "type": "http.response.start", "status": 303,
        "headers": [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")),
                    (b"content-length", b"0"), (b"cache-control", b"no-store"), *SECURITY_HEADERS],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": b""})
