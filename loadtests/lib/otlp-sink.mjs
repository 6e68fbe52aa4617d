// otlp-sink.mjs PORT - a local OTLP/HTTP endpoint for benchmarks: accepts POST /v1/traces,
// /v1/metrics and /v1/logs, reads and discards each protobuf body, answers 200 with an empty
// ExportServiceResponse, and counts what it received. Prints the counts when stopped (SIGTERM).
import http from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node otlp-sink.mjs PORT');
  process.exit(2);
}

const received = { requests: 0, bytes: 0 };
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || !/^\/v1\/(traces|metrics|logs)$/.test(req.url)) {
    res.writeHead(404).end();
    return;
  }

  req.on('data', (chunk) => { received.bytes += chunk.length; });
  req.on('end', () => {
    received.requests += 1;
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': 0 }).end();
  });
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  console.log(`otlp-sink: ${received.requests} export requests, ${received.bytes} bytes`);
  process.exit(0);
});
