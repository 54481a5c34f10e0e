"""A real `worksheet serve` server (uvicorn) in a thread, for tests and bench/: its address, token and secrets.

A program that uses this must guard its entry point with ``if __name__ == "__main__":`` (renders run in spawned
worker processes, which import the main module).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import worksheet


@dataclass
class RunningServer:
    host: str
    port: int
    token: str
    csrf: str

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def opened_address(self) -> str:
        return f"{self.base}/?token={self.token}"


def start_server(library: worksheet.Library | None = None, workers: int = 2, prefetch: bool = True):
    """Start a server on a free loopback port; returns (RunningServer, stop)."""
    import uvicorn

    from . import bind
    from ._app import create_app
    from ._security import Secrets

    library = library or worksheet.load_library()
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    secret = Secrets()
    app = create_app(library, "127.0.0.1", port, secret, workers=workers, prefetch=prefetch)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the worksheet server did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()

    return RunningServer("127.0.0.1", port, secret.access, secret.csrf), stop
