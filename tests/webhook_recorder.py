"""A tiny HTTP server on 127.0.0.1 that records each request it receives (method, path, body) and answers 200."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def webhook_recorder() -> Iterator[tuple[str, list[dict]]]:
    """(URL, the requests so far): each a dict of method, path and the JSON body."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append({"method": "POST", "path": self.path, "json": json.loads(body or b"null")})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
