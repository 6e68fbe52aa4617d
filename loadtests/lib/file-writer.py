#!/usr/bin/env python3
"""The ceilings for one stream with storage, for bench-foundation.sh's measurement A.

An HTTP server that writes every PATCH body to a file in DATA_DIR, in one of two ways:
  MODE=splice (default): splice(2) from the socket to a pipe to the file, inside
    the kernel, so the bytes never enter user space: the least work any server
    that keeps the bytes on this file system can do.
  MODE=copy: recv_into a 1 MiB buffer, then pwrite(2) it: the bytes pass through
    user space once, the least work of a server that looks at them (checksums,
    hooks, an HTTP stack of its own).
The discard server (discard-server.mjs) is the least work of a server that keeps
nothing. Not fsynced: TusCluster's default (Tus:Storage:FileSystem:Fsync off) is
compared with it.

Just enough of tus for measurement A: POST answers 201 + Location and creates
an empty file, PATCH appends its body and answers 204 with the new
Upload-Offset, HEAD reports the file's size, DELETE removes it, OPTIONS 204.
One request per connection (Connection: close). No checks beyond that.

Environment:
  PORT      TCP port to listen on (required)
  HOST      listen address (default 127.0.0.1)
  DATA_DIR  an existing directory for the files (required)
  MODE      splice (default) or copy
"""

import fcntl
import os
import re
import signal
import socket
import socketserver
import sys
import threading

F_SETPIPE_SZ = 1031
PIPE_SIZE = 1 << 20
MAX_HEADER_BYTES = 16 * 1024
PATH = re.compile(r"^/files/(\d+)?$")


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        head, body_start = read_head(sock)
        if head is None:
            return
        lines = head.split("\r\n")
        method, target = (lines[0].split(" ") + ["", ""])[:2]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        match = PATH.match(target)
        upload = match.group(1) if match else None
        path = os.path.join(self.server.data_dir, upload) if upload else None

        if match is None:
            answer(sock, "404 Not Found")
        elif method == "OPTIONS":
            answer(sock, "204 No Content", {"Tus-Version": "1.0.0"})
        elif method == "POST" and upload is None:
            created = self.server.next_id()
            open(os.path.join(self.server.data_dir, created), "wb").close()
            answer(sock, "201 Created", {"Location": f"/files/{created}"})
        elif method == "PATCH" and path and os.path.exists(path):
            length = int(headers.get("content-length", "0"))
            # Not O_APPEND: splice(2) refuses to write to a file opened for appending.
            fd = os.open(path, os.O_WRONLY)
            try:
                offset = os.fstat(fd).st_size
                first = body_start[:length]
                os.pwrite(fd, first, offset)
                move = splice_into if self.server.mode == "splice" else copy_into
                move(sock, fd, offset + len(first), length - len(first))
            finally:
                os.close(fd)
            answer(sock, "204 No Content", {"Upload-Offset": str(os.path.getsize(path))})
        elif method == "HEAD" and path and os.path.exists(path):
            answer(sock, "200 OK", {"Upload-Offset": str(os.path.getsize(path)), "Cache-Control": "no-store"})
        elif method == "DELETE" and path and os.path.exists(path):
            os.remove(path)
            answer(sock, "204 No Content")
        else:
            answer(sock, "404 Not Found")


def read_head(sock):
    """Reads up to the blank line; returns the head and whatever body bytes came with it."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEADER_BYTES:
            return None, b""
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def splice_into(sock, fd, offset, remaining):
    read_end, write_end = os.pipe()
    try:
        fcntl.fcntl(write_end, F_SETPIPE_SZ, PIPE_SIZE)
        while remaining > 0:
            moved = os.splice(sock.fileno(), write_end, min(remaining, PIPE_SIZE))
            if moved == 0:
                raise ConnectionError("the client closed the connection mid-body")
            remaining -= moved
            while moved > 0:
                written = os.splice(read_end, fd, moved, offset_dst=offset)
                offset += written
                moved -= written
    finally:
        os.close(read_end)
        os.close(write_end)


def copy_into(sock, fd, offset, remaining):
    buffer = bytearray(PIPE_SIZE)
    view = memoryview(buffer)
    while remaining > 0:
        received = sock.recv_into(view, min(remaining, PIPE_SIZE))
        if received == 0:
            raise ConnectionError("the client closed the connection mid-body")
        written = 0
        while written < received:
            written += os.pwrite(fd, view[written:received], offset + written)
        offset += received
        remaining -= received


def answer(sock, status, extra=None):
    fields = {"Tus-Resumable": "1.0.0", "Content-Length": "0", "Connection": "close", **(extra or {})}
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
    sock.sendall(head.encode("latin-1"))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, data_dir, mode):
        super().__init__(address, Handler)
        self.data_dir = data_dir
        self.mode = mode
        self._next = 0
        self._lock = threading.Lock()

    def next_id(self):
        with self._lock:
            self._next += 1
            return str(self._next)


def main():
    port = int(os.environ.get("PORT", "0"))
    data_dir = os.environ.get("DATA_DIR", "")
    mode = os.environ.get("MODE", "splice")
    if not 0 < port < 65536 or not os.path.isdir(data_dir) or mode not in ("splice", "copy"):
        print("file-writer: PORT must be a TCP port, DATA_DIR an existing directory, MODE splice or copy", file=sys.stderr)
        return 2
    host = os.environ.get("HOST", "127.0.0.1")
    server = Server((host, port), data_dir, mode)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"file-writer ({mode}) ready http://{host}:{port}/files/", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
