// Starts dynalite (the DynamoDB API, in memory) on a loopback port and counts the requests it serves,
// so tests and benchmarks can count backend round trips.
//
//   node dynalite.mjs --port 8000 [--host 127.0.0.1] [--create-table-ms 50] [--path DIR]
//
// Without --path the data lives in memory and is gone when the process ends; with it, in a LevelDB
// directory, so a restart on the same path keeps the tables (for outage tests).
// Prints "DYNALITE_LISTENING http://HOST:PORT" once it accepts connections. The side route
// GET /__requests answers {"total":N,"byOperation":{"UpdateItem":N,...}} and is not counted itself.
// On SIGTERM/SIGINT it prints "DYNALITE_REQUESTS <json>" and exits.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    'create-table-ms': { type: 'string', default: '50' },
    path: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}
if (!['127.0.0.1', 'localhost', '::1'].includes(values.host)) {
  console.error(`--host must be a loopback address, not ${values.host}`);
  process.exit(2);
}

const tableMs = Number(values['create-table-ms']);
const server = dynalite({ createTableMs: tableMs, deleteTableMs: tableMs, updateTableMs: tableMs, path: values.path });
const counts = { total: 0, byOperation: {} };

// dynalite registers its handler on the server; put a counting front in its place.
const [handler] = server.listeners('request');
server.removeAllListeners('request');
server.on('request', (request, response) => {
  if (request.method === 'GET' && request.url === '/__requests') {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify(counts));
    return;
  }

  counts.total++;
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.includes('.') ? target.slice(target.indexOf('.') + 1) : 'other';
  counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
  handler(request, response);
});

server.on('error', (error) => {
  console.error(`dynalite: ${error.message}`);
  process.exit(1);
});

server.listen(port, values.host, () => {
  console.log(`DYNALITE_LISTENING http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`DYNALITE_REQUESTS ${JSON.stringify(counts)}`);
    process.exit(0);
  });
}
