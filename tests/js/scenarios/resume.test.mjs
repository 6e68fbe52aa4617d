import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, MiB, TEST_TIMEOUT_MS, assertDownloadMatches, head, randomPayload, recordExchanges, startUpload, uploadAll,
} from './helpers.mjs';

test('interrupted upload resumes from the server offset', { timeout: TEST_TIMEOUT_MS }, async () => {
  const chunkSize = 256 * KiB;
  const source = randomPayload(4 * MiB + 999);

  // Abort from inside onProgress, i.e. usually in the middle of a PATCH body,
  // which is the realistic "connection dropped" case.
  let first;
  const interrupted = new Promise((resolve, reject) => {
    let aborting = false;
    first = startUpload(source, {
      chunkSize,
      onProgress(sent) {
        if (aborting || sent < source.length * 0.3) return;
        aborting = true;
        first.abort().then(resolve, reject);
      },
    });
    first.finished.then(
      () => reject(new Error('upload finished before it could be interrupted')),
      reject,
    );
  });
  await interrupted;
  const url = first.upload.url;
  assert.ok(url, 'the first upload should have been created before it was aborted');

  const status = await head(url);
  assert.equal(status.status, 200);
  const offset = Number(status.headers.get('Upload-Offset'));
  assert.ok(offset > 0 && offset < source.length, `offset after interrupt should be inside (0, ${source.length}), got ${offset}`);

  const log = recordExchanges();
  const resumed = await uploadAll(source, {
    uploadUrl: url,
    chunkSize,
    // The aborted PATCH may still be winding down on the server (lock held,
    // offset about to move), which tus-js-client handles by re-checking.
    retryDelays: [100, 500, 1500],
    ...log.options,
  });

  assert.equal(resumed.url, url, 'resuming must continue the same upload');
  assert.ok(!log.requests.some((r) => r.method === 'POST'), 'resuming must not create a new upload');
  const firstPatch = log.requests.find((r) => r.method === 'PATCH');
  assert.ok(firstPatch, 'resuming should have sent at least one PATCH');
  assert.ok(Number(firstPatch.uploadOffset) > 0, `resumed upload restarted at offset ${firstPatch.uploadOffset}`);

  await assertDownloadMatches(url, source);
});
