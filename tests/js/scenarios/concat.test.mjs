import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MiB, TEST_TIMEOUT_MS, assertDownloadMatches, assertExtension, head, randomPayload, recordExchanges, uploadAll,
} from './helpers.mjs';

test('parallelUploads: partial uploads concatenated into a final one', { timeout: TEST_TIMEOUT_MS }, async () => {
  await assertExtension('concatenation');
  const source = randomPayload(5 * MiB + 777);
  const log = recordExchanges();

  const upload = await uploadAll(source, { parallelUploads: 3, ...log.options });

  // Make sure the library really went through concatenation and did not
  // quietly fall back to a plain upload.
  const concat = log.requests.filter((r) => r.method === 'POST').map((r) => r.uploadConcat);
  assert.equal(concat.filter((c) => c === 'partial').length, 3, `POST Upload-Concat headers: ${concat.join(' | ')}`);
  const final = concat.find((c) => c?.startsWith('final;'));
  assert.ok(final, 'a final upload with Upload-Concat: final;... should have been created');

  const status = await head(upload.url);
  assert.equal(status.status, 200);
  assert.equal(status.headers.get('Upload-Offset'), String(source.length));
  assert.equal(status.headers.get('Upload-Length'), String(source.length));

  await assertDownloadMatches(upload.url, source);
});
