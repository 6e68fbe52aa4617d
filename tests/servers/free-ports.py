#!/usr/bin/env python3
"""Prints N distinct free loopback TCP ports (default 1), space-separated.

Ports come from 10000-19999: below the kernel's ephemeral range (32768-60999), so no outgoing
connection and no other process asking for port 0 can take one between this pick and the server's
bind, and apart from the .NET tests' FreePort range (20000-32767), so the two never meet.
All N are bound at once while picking, so they are distinct.
"""
import random
import socket
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
held = []
for port in random.sample(range(10000, 20000), 10000):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        continue
    held.append(s)
    if len(held) == count:
        break
if len(held) < count:
    sys.exit("no free loopback port in 10000-19999")
print(" ".join(str(s.getsockname()[1]) for s in held))
