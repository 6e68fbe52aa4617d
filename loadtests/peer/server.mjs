// Reference tus server used as the benchmark peer: @tus/server with
// @tus/file-store, default options (absolute Location, no expiration).
//
// Environment:
//   PORT      TCP port to listen on (required)
//   DATA_DIR  directory where FileStore keeps uploads (required)
//   HOST      listen address (default 127.0.0.1)
//
// Prints "tus-peer ready http://HOST:PORT/files/" once it is listening.

import http from 'node:http';
import fs from 'node:fs';
import process from 'node:process';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const port = Number.parseInt(process.env.PORT ?? '', 10);
const dataDir = process.env.DATA_DIR;
const host = process.env.HOST || '127.0.0.1';

if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('tus-peer: PORT must be set to a valid TCP port');
  process.exit(2);
}
if (!dataDir) {
  console.error('tus-peer: DATA_DIR must be set');
  process.exit(2);
}

// FileStore creates the directory asynchronously in its constructor; create
// it up front so the first request never races with that.
fs.mkdirSync(dataDir, { recursive: true });

const tus = new Server({
  path: '/files',
  datastore: new FileStore({ directory: dataDir }),
});

const httpServer = http.createServer((req, res) => {
  tus.handle(req, res).catch((err) => {
    console.error('tus-peer: unhandled error', err);
    if (!res.headersSent) {
      res.statusCode = 500;
    }
    res.end();
  });
});

httpServer.on('error', (err) => {
  console.error('tus-peer: server error', err);
  process.exit(1);
});

httpServer.listen(port, host, () => {
  console.log(`tus-peer ready http://${host}:${port}/files/`);
});

function shutdown(signal) {
  httpServer.close(() => process.exit(0));
  // Do not wait for keep-alive connections to drain.
  httpServer.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
  console.log(`tus-peer: ${signal}, shutting down`);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
