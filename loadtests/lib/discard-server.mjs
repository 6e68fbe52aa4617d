// The ceiling for one stream: an HTTP server that reads every request body and
// drops it, with just enough of tus for bench-foundation.sh's measurement A
// (POST answers 201 + Location, PATCH reads the body and answers 204 with the
// bytes received as Upload-Offset, HEAD reports them, DELETE forgets them).
// No storage, no checks: whatever a tus server does more than this is what its
// throughput is compared against.
//
// Environment:
//   PORT   TCP port to listen on (required)
//   HOST   listen address (default 127.0.0.1)
//
// Prints "discard ready http://HOST:PORT/files/" once it is listening.

import http from 'node:http';
import process from 'node:process';

const port = Number.parseInt(process.env.PORT ?? '', 10);
const host = process.env.HOST || '127.0.0.1';
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('discard: PORT must be set to a valid TCP port');
  process.exit(2);
}

// Bytes received per upload; bounded so a long run cannot grow it for ever.
const MAX_UPLOADS = 10000;
const received = new Map();
let next = 0;

const tusHeaders = { 'Tus-Resumable': '1.0.0' };

const server = http.createServer((req, res) => {
  const match = /^\/files\/(\d+)?$/.exec(req.url ?? '');
  if (!match) {
    req.resume();
    res.writeHead(404, tusHeaders).end();
    return;
  }
  const id = match[1];
  if (req.method === 'OPTIONS') {
    req.resume();
    res.writeHead(204, { ...tusHeaders, 'Tus-Version': '1.0.0' }).end();
  } else if (req.method === 'POST' && id === undefined) {
    req.resume();
    if (received.size >= MAX_UPLOADS) {
      received.delete(received.keys().next().value);
    }
    const created = String(++next);
    received.set(created, 0);
    res.writeHead(201, { ...tusHeaders, Location: `/files/${created}` }).end();
  } else if (req.method === 'PATCH' && received.has(id)) {
    let bytes = received.get(id);
    req.on('data', (chunk) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      received.set(id, bytes);
      res.writeHead(204, { ...tusHeaders, 'Upload-Offset': String(bytes) }).end();
    });
  } else if (req.method === 'HEAD' && received.has(id)) {
    res.writeHead(200, { ...tusHeaders, 'Upload-Offset': String(received.get(id)), 'Cache-Control': 'no-store' }).end();
  } else if (req.method === 'DELETE' && received.delete(id)) {
    res.writeHead(204, tusHeaders).end();
  } else {
    req.resume();
    res.writeHead(404, tusHeaders).end();
  }
});

server.on('error', (err) => {
  console.error('discard: server error', err);
  process.exit(1);
});
server.listen(port, host, () => console.log(`discard ready http://${host}:${port}/files/`));

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
