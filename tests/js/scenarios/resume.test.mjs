import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, MiB, TEST_TIMEOUT_MS, assertDownloadMatches, assertResumes, head, interruptUpload, randomPayload,
} from './helpers.mjs';

test('interrupted upload resumes from the server offset', { timeout: TEST_TIMEOUT_MS }, async () => {
  const chunkSize = 256 * KiB;
  const source = randomPayload(4 * MiB + 999);

  const url = await interruptUpload(source, { chunkSize });

  const status = await head(url);
  assert.equal(status.status, 200);
  const offset = Number(status.headers.get('Upload-Offset'));
  assert.ok(offset > 0 && offset < source.length, `offset after interrupt should be inside (0, ${source.length}), got ${offset}`);

  await assertResumes(source, url, { chunkSize });
  await assertDownloadMatches(url, source);
});
