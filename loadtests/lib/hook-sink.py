#!/usr/bin/env python3
"""A receiver of TusCluster's HTTP hooks for chaos.sh --hooks.

Appends one line per request it accepts to OUT_FILE: "<Type> <Upload.ID> <EventId>",
then answers 200 with "{}" (post-* events need nothing more). The line is written
and flushed before the answer, so an event the replica saw acknowledged is on
record. Bodies over 1 MiB and bodies that are not a hook event are answered 400
and not recorded.

Usage: hook-sink.py PORT OUT_FILE   (listens on 127.0.0.1; prints "hook sink ready" once listening)
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1 << 20


class Sink(BaseHTTPRequestHandler):
    lock = threading.Lock()
    out = None

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or -1)
        if length < 0 or length > MAX_BODY:
            return self.answer(400, b'{"error":"length"}')
        try:
            event = json.loads(self.rfile.read(length))
            line = f'{event["Type"]} {event["Event"]["Upload"]["ID"]} {event["EventId"]}\n'
        except (ValueError, KeyError, TypeError):
            return self.answer(400, b'{"error":"not a hook event"}')
        with Sink.lock:
            Sink.out.write(line)
            Sink.out.flush()
        self.answer(200, b"{}")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port, out_file = int(sys.argv[1]), sys.argv[2]
    Sink.out = open(out_file, "a", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", port), Sink)
    server.daemon_threads = True
    print("hook sink ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
