import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MiB, TEST_TIMEOUT_MS, assertDownloadMatches, head, randomPayload, recordExchanges, uploadAll,
} from './helpers.mjs';

test('single upload in one request, with metadata', { timeout: TEST_TIMEOUT_MS }, async () => {
  // Odd size so nothing lines up with buffer or block boundaries on the server.
  const source = randomPayload(MiB + 12_345);
  const log = recordExchanges();

  const upload = await uploadAll(source, {
    metadata: { filename: 'a.bin', filetype: 'application/octet-stream' },
    ...log.options,
  });

  // Without chunkSize the whole body must go in one PATCH; more would mean
  // the server accepted only part of it.
  const patches = log.requests.filter((r) => r.method === 'PATCH');
  assert.equal(patches.length, 1, `expected exactly one PATCH, saw ${patches.length}`);

  const status = await head(upload.url);
  assert.equal(status.status, 200);
  assert.equal(status.headers.get('Upload-Offset'), String(source.length));
  assert.equal(status.headers.get('Upload-Length'), String(source.length));

  const res = await assertDownloadMatches(upload.url, source);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  assert.match(disposition, /a\.bin/, `Content-Disposition should name the file, got '${disposition}'`);
});
