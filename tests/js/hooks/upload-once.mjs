// One tus-js-client upload, as a browser app would make it, for tests that look at what the server and
// its hook receivers saw. Not a *.test.mjs: the scenario suite does not pick it up. Reads
// TUS_ENDPOINT, TUS_HEADERS and TUS_METADATA (JSON objects) and TUS_SIZE; prints one JSON line:
// {"ok":true,"url":...} or {"ok":false,"status":...,"body":...}.
import { createHash, randomBytes } from 'node:crypto';
import * as tus from 'tus-js-client';

const source = randomBytes(Number(process.env.TUS_SIZE ?? '65536'));
const upload = new tus.Upload(source, {
  endpoint: process.env.TUS_ENDPOINT,
  headers: JSON.parse(process.env.TUS_HEADERS ?? '{}'),
  metadata: JSON.parse(process.env.TUS_METADATA ?? '{}'),
  chunkSize: 32 * 1024,
  // A refusal must reach the test as the client saw it, not be retried away.
  retryDelays: null,
  onSuccess: () => print({ ok: true, url: upload.url, sha256: createHash('sha256').update(source).digest('hex') }),
  onError: (error) => print({
    ok: false,
    status: error.originalResponse?.getStatus() ?? 0,
    body: error.originalResponse?.getBody() ?? String(error),
  }),
});
upload.start();

function print(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
