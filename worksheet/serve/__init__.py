"""`worksheet serve`: a local web page where a clinician picks, doses, previews and prints a sheet.

The page is a fourth door to the same path as the CLI: it builds the options `worksheet build` takes, the CLI's
own merge and validation make the Request, ``resolve`` and ``build`` make the sheet. See _security for what keeps
the page safe on a machine whose browser visits other sites.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one), made before the server starts so its address is known."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def serve(library, host: str = "127.0.0.1", port: int = 0, workers: int | None = None, on_ready: Callable[[str], None] | None = None) -> None:
    """Run the page's server until Ctrl-C; on_ready gets the address (with its token) once it listens."""
    import uvicorn

    from ._app import create_app
    from ._security import Secrets

    sock = bind(host, port)
    port = sock.getsockname()[1]
    secret = Secrets()
    app = create_app(library, host, port, secret, workers)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", server_header=False, date_header=False,
                            h11_max_incomplete_event_size=64 * 1024)
    server = uvicorn.Server(config)
    url = address(host, port, secret.access)

    original_startup = server.startup

    async def startup(sockets=None):
        await original_startup(sockets=sockets)
        if on_ready is not None:
            on_ready(url)

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    sys.stdout.flush()
