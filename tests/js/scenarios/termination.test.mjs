import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, TEST_TIMEOUT_MS, assertExtension, download, head, randomPayload, startUpload, tus, uploadAll,
} from './helpers.mjs';

async function assertGone(url) {
  const status = await head(url);
  assert.ok([404, 410].includes(status.status), `HEAD after termination returned ${status.status}`);
  const { res } = await download(url);
  assert.ok([404, 410].includes(res.status), `GET after termination returned ${res.status}`);
}

test('terminating a finished upload', { timeout: TEST_TIMEOUT_MS }, async () => {
  await assertExtension('termination');
  const upload = await uploadAll(randomPayload(300 * KiB + 5));
  await tus.Upload.terminate(upload.url);
  await assertGone(upload.url);
});

test('terminating a half-finished upload', { timeout: TEST_TIMEOUT_MS }, async () => {
  await assertExtension('termination');
  const source = randomPayload(1024 * KiB + 5);

  // Stop between chunks, once the server has acknowledged some data.
  let handle;
  await new Promise((resolve, reject) => {
    handle = startUpload(source, {
      chunkSize: 128 * KiB,
      onChunkComplete(_chunk, accepted) {
        if (accepted >= source.length / 2) handle.abort().then(resolve, reject);
      },
    });
    handle.finished.then(() => reject(new Error('upload finished before it could be stopped')), reject);
  });
  const url = handle.upload.url;
  const before = await head(url);
  assert.equal(before.status, 200);
  assert.ok(Number(before.headers.get('Upload-Offset')) < source.length, 'upload should still be incomplete');

  // A lock from the stopped request may linger briefly; retry like a client would.
  await tus.Upload.terminate(url, { retryDelays: [100, 500, 1500] });
  await assertGone(url);
});
