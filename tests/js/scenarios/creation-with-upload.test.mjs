import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, TEST_TIMEOUT_MS, assertDownloadMatches, assertExtension, randomPayload, recordExchanges, uploadAll,
} from './helpers.mjs';

test('creation-with-upload sends the data in the POST', { timeout: TEST_TIMEOUT_MS }, async () => {
  await assertExtension('creation-with-upload');
  const source = randomPayload(40 * KiB + 3);
  const log = recordExchanges();

  const upload = await uploadAll(source, { uploadDataDuringCreation: true, ...log.options });

  const post = log.requests.find((r) => r.method === 'POST');
  assert.equal(post?.contentType, 'application/offset+octet-stream', 'the POST should carry the file body');
  // The spec requires Upload-Offset on a creation response that accepted data;
  // a small file has to fit in that one request.
  const created = log.responses.find((r) => r.method === 'POST');
  assert.equal(created?.status, 201);
  assert.equal(created?.uploadOffset, String(source.length));
  assert.ok(!log.requests.some((r) => r.method === 'PATCH'), 'no PATCH should be needed after a complete creation-with-upload');

  await assertDownloadMatches(upload.url, source);
});
