import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, TEST_TIMEOUT_MS, assertDownloadMatches, download, randomPayload, uploadAll,
} from './helpers.mjs';

test('ranged GET of a finished upload', { timeout: TEST_TIMEOUT_MS }, async () => {
  const source = randomPayload(64 * KiB + 123);
  const size = source.length;
  const { url } = await uploadAll(source);
  await assertDownloadMatches(url, source);

  const middle = await download(url, { Range: 'bytes=100-199' });
  assert.equal(middle.res.status, 206);
  assert.equal(middle.res.headers.get('Content-Range'), `bytes 100-199/${size}`);
  assert.equal(middle.body.length, 100);
  assert.ok(middle.body.equals(source.subarray(100, 200)), 'bytes 100-199 differ from the source');

  const suffix = await download(url, { Range: 'bytes=-50' });
  assert.equal(suffix.res.status, 206);
  assert.equal(suffix.res.headers.get('Content-Range'), `bytes ${size - 50}-${size - 1}/${size}`);
  assert.ok(suffix.body.equals(source.subarray(size - 50)), 'last 50 bytes differ from the source');

  // A range that starts at the end of the file cannot be satisfied.
  const beyond = await download(url, { Range: `bytes=${size}-` });
  assert.equal(beyond.res.status, 416);
});
