"""An ASGI app served for real: uvicorn on a free port of 127.0.0.1, in a daemon thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn


@dataclass(frozen=True)
class Served:
    url: str  # http://127.0.0.1:<port>
    thread: threading.Thread  # the server's thread (its own event loop)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1)


@contextmanager
def served(app: Any, **options: Any) -> Iterator[Served]:
    """`app` on a real port until the block ends; `options` are uvicorn.Config's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, name="served", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield Served(f"http://127.0.0.1:{port}", thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
