#!/usr/bin/env python3
"""A scriptable HTTP hook receiver for the tests (stdlib only).

Every POST is recorded as <record-dir>/<6-digit sequence>.json: {"method", "path", "headers": {name: [values]},
"body"}. The answer comes from the script file (JSON, re-read whenever it changes, so a test can change it
while the receiver runs):

  {
    "responses": [ANSWER, ...],     # used one per request, in order, before anything else
    "requireHeader": {"name": "Authorization", "value": "Bearer ok", "otherwise": ANSWER},
    "byType": {"pre-create": ANSWER},
    "default": ANSWER
  }

  ANSWER = {"status": 200, "json": {...} | "text": "raw body", "headers": {...}, "sleep": seconds}

GET /ready answers 200 once the server listens.
"""
import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hook_script import Script


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer({"status": 200 if self.path == "/ready" else 404, "text": "ok"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        headers = {}
        for name, value in self.headers.items():
            headers.setdefault(name, []).append(value)
        try:
            hook_type = json.loads(body).get("Type")
        except ValueError:
            hook_type = None
        lowered = {name.lower(): values for name, values in headers.items()}
        record = {"method": self.command, "path": self.path, "headers": headers, "body": body}
        answer = self.server.script.take(record, hook_type, lowered) or {"status": 200, "json": {}}
        time.sleep(answer.get("sleep", 0))
        self.answer(answer)

    def answer(self, answer):
        if "json" in answer:
            payload = json.dumps(answer["json"]).encode("utf-8")
            content_type = "application/json"
        else:
            payload = answer.get("text", "").encode("utf-8")
            content_type = "text/plain"
        try:
            self.send_response(answer.get("status", 200))
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in answer.get("headers", {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); nothing to answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record-dir", required=True)
    parser.add_argument("--script", required=True)
    arguments = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True
    server.script = Script(arguments.script, arguments.record_dir)
    server.serve_forever()


if __name__ == "__main__":
    main()
