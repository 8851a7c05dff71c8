#!/usr/bin/env python3
"""A counting, delaying reverse proxy for measuring remote reads.

Forwards every request to UPSTREAM (an S3 stand-in such as moto, or any HTTP server),
optionally after DELAY_MS (a stand-in for a network round trip), and counts what crossed
it: requests, and response-body bytes actually delivered to the client (a client that
closes a long open-ended GET early, as ffprobe does, is charged only what it received).
When UPSTREAM is a directory, its files are served directly, with Range and ETag
support (moto copies a whole 1 GiB object per ranged GET, which hides round-trip
latency behind seconds of its own work).

    scripts/range-proxy.py UPSTREAM_URL|DIR PORT [DELAY_MS]

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

import os
import re

SERVE_DIR = sys.argv[1] if os.path.isdir(sys.argv[1]) else None
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
        if SERVE_DIR is not None:
            return self._serve_file()
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

    def _serve_file(self):
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
        path = os.path.join(SERVE_DIR, os.path.basename(name))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        start, end, status = 0, size - 1, 200
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "") or "")
        if m and (m.group(1) or m.group(2)):
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            else:
                start = max(0, size - int(m.group(2)))
            status = 206
        if start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("ETag", f'"{int(os.path.getmtime(path))}-{size}"')
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(path, "rb") as f:
            at = start
            try:
                while at <= end:
                    chunk = os.pread(f.fileno(), min(256 * 1024, end - at + 1), at)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    at += len(chunk)
                    with LOCK:
                        STATS["bytes"] += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _forward


ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
