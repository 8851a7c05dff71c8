#!/usr/bin/env python3
"""A counting, delaying reverse proxy for measuring remote reads.

Forwards every request to UPSTREAM (an S3 stand-in such as moto, or any HTTP server),
optionally after DELAY_MS (a stand-in for a network round trip), and counts what crossed
it: requests, and response-body bytes actually delivered to the client (a client that
closes a long open-ended GET early, as ffprobe does, is charged only what it received).

    scripts/range-proxy.py UPSTREAM_URL PORT [DELAY_MS]

GET /__stats returns the counters as JSON; POST /__reset zeroes them. Used by
scripts/remote-figures.sh for the README's request, byte and latency figures.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
PORT = int(sys.argv[2])
DELAY = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.0
LOCK = threading.Lock()
STATS = {"requests": 0, "bytes": 0, "ranges": []}
HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _local(self):
        if self.path == "/__stats":
            with LOCK:
                body = json.dumps(STATS).encode()
        elif self.path == "/__reset":
            with LOCK:
                STATS.update(requests=0, bytes=0, ranges=[])
            body = b"{}"
        else:
            return False
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def _forward(self):
        if self._local():
            return
        if DELAY:
            time.sleep(DELAY)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        with LOCK:
            STATS["requests"] += 1
            STATS["ranges"].append(f"{self.command} {self.headers.get('Range', '-')}")
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port or 80, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            while True:
                chunk = resp.read(64 * 1024)
                if not chunk:
                    break
                self.wfile.write(chunk)
                with LOCK:
                    STATS["bytes"] += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            conn.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _forward


ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
