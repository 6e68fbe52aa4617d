import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  KiB, MiB, TEST_TIMEOUT_MS, assertDownloadMatches, assertExtension, head, randomPayload, recordExchanges, uploadAll,
} from './helpers.mjs';

// Yields the buffer in uneven pieces, like a socket or a pipe would, so chunk
// boundaries never line up with the reads.
function trickle(buffer, pieceSize) {
  return Readable.from((function* pieces() {
    for (let at = 0; at < buffer.length; at += pieceSize) yield buffer.subarray(at, at + pieceSize);
  })());
}

test('stream upload with deferred length', { timeout: TEST_TIMEOUT_MS }, async () => {
  await assertExtension('creation-defer-length');
  const source = randomPayload(2 * MiB + 4_321);
  const log = recordExchanges();

  const upload = await uploadAll(trickle(source, 40_000), {
    uploadLengthDeferred: true,
    chunkSize: 512 * KiB,
    ...log.options,
  });

  assert.ok(log.requests.some((r) => r.method === 'POST'), 'upload should have been created');
  const status = await head(upload.url);
  assert.equal(status.status, 200);
  // Once the last PATCH declared the length, the server must report it and
  // drop the deferred marker.
  assert.equal(status.headers.get('Upload-Length'), String(source.length));
  assert.equal(status.headers.get('Upload-Defer-Length'), null);
  assert.equal(status.headers.get('Upload-Offset'), String(source.length));

  await assertDownloadMatches(upload.url, source);
});
