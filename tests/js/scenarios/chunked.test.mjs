import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, MiB, TEST_TIMEOUT_MS, assertDownloadMatches, head, randomPayload, recordExchanges, uploadAll,
} from './helpers.mjs';

test('chunked upload, 256 KiB per PATCH', { timeout: TEST_TIMEOUT_MS }, async () => {
  const chunkSize = 256 * KiB;
  const source = randomPayload(3 * MiB + 4_321);
  const log = recordExchanges();

  const upload = await uploadAll(source, { chunkSize, ...log.options });

  // Each PATCH must continue exactly where the previous one ended; this is
  // what proves the server reports offsets correctly after every chunk.
  const offsets = log.requests.filter((r) => r.method === 'PATCH').map((r) => Number(r.uploadOffset));
  const expected = [];
  for (let at = 0; at < source.length; at += chunkSize) expected.push(at);
  assert.deepEqual(offsets, expected);

  const status = await head(upload.url);
  assert.equal(status.headers.get('Upload-Offset'), String(source.length));

  await assertDownloadMatches(upload.url, source);
});
