import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, TEST_TIMEOUT_MS, assertDownloadMatches, randomPayload, uploadAll,
} from './helpers.mjs';

test('8 uploads in parallel stay independent', { timeout: TEST_TIMEOUT_MS }, async () => {
  // Distinct sizes, so bytes landing in the wrong upload also change lengths.
  const sources = Array.from({ length: 8 }, (_, i) => randomPayload(512 * KiB + i * 37_111));

  const uploads = await Promise.all(
    sources.map((source, i) => uploadAll(source, {
      chunkSize: 128 * KiB,
      metadata: { filename: `parallel-${i}.bin` },
    })),
  );

  const urls = new Set(uploads.map((u) => u.url));
  assert.equal(urls.size, sources.length, 'every upload must get its own URL');

  await Promise.all(uploads.map((u, i) => assertDownloadMatches(u.url, sources[i])));
});
