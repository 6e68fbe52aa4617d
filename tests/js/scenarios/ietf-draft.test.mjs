import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KiB, MiB, TEST_TIMEOUT_MS, UPLOAD_TIMEOUT_MS, assertDownloadMatches, assertResumes, interruptUpload, randomPayload, uploadAll,
} from './helpers.mjs';

// tus-js-client speaks the IETF "Resumable Uploads for HTTP" draft -03 as interop version 5 and -05 as 6.
const PROTOCOLS = [
  { protocol: 'ietf-draft-03', interopVersion: '5' },
  { protocol: 'ietf-draft-05', interopVersion: '6' },
];

async function draftHead(url, interopVersion) {
  return fetch(url, {
    method: 'HEAD',
    headers: { 'Upload-Draft-Interop-Version': interopVersion },
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
}

for (const { protocol, interopVersion } of PROTOCOLS) {
  test(`${protocol}: interrupted upload resumes from the server offset`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const chunkSize = 256 * KiB;
    const source = randomPayload(3 * MiB + 777);

    const url = await interruptUpload(source, { protocol, chunkSize });

    const status = await draftHead(url, interopVersion);
    assert.equal(status.status, 204);
    assert.equal(status.headers.get('Upload-Complete'), '?0');
    assert.equal(status.headers.get('Tus-Resumable'), null, 'a draft answer carries no tus header');
    const offset = Number(status.headers.get('Upload-Offset'));
    assert.ok(offset > 0 && offset < source.length, `offset after interrupt should be inside (0, ${source.length}), got ${offset}`);

    const log = await assertResumes(source, url, { protocol, chunkSize });
    if (interopVersion === '6') {
      assert.ok(log.requests.filter((r) => r.method === 'PATCH').every((r) => r.contentType === 'application/partial-upload'));
    }

    const done = await draftHead(url, interopVersion);
    assert.equal(done.headers.get('Upload-Complete'), '?1');
    await assertDownloadMatches(url, source);
  });

  test(`${protocol}: upload with data in the creation request`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const source = randomPayload(MiB + 4321);
    const upload = await uploadAll(source, { protocol, uploadDataDuringCreation: true, chunkSize: 300 * KiB });
    await assertDownloadMatches(upload.url, source);
  });
}
