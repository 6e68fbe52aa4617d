// Shared plumbing for the scenarios. Not a test file itself: node --test only
// picks up *.test.mjs, so this module is only ever imported.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as tus from 'tus-js-client';

export { tus };

// A run without a server must be a red run, never a silently green or skipped
// one, so importing the helpers without TUS_ENDPOINT throws.
export const ENDPOINT = readEndpoint();

function readEndpoint() {
  const value = process.env.TUS_ENDPOINT;
  if (!value) {
    throw new Error(
      'TUS_ENDPOINT is not set. Point it at the tus creation URL of a running server, ' +
        'e.g. TUS_ENDPOINT=http://127.0.0.1:41234/files/ npm test',
    );
  }
  const url = new URL(value); // throws on garbage, which is what we want
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`TUS_ENDPOINT must be an http(s) URL, got ${value}`);
  }
  return value;
}

// Against one quiet server a scenario must finish fast and any error is a failure. Against a cluster under
// load (TUS_AS_REAL_CLIENTS=1: busy replicas, a slow S3, a 503 or 423 while a lock changes hands) the suite
// behaves as deployed clients do: tus-js-client's default retries, and more time.
const AS_REAL_CLIENTS = process.env.TUS_AS_REAL_CLIENTS === '1';
const TIME_SCALE = AS_REAL_CLIENTS ? 4 : 1;

// Per-scenario budget; on one server the whole suite has to stay well under a minute.
export const TEST_TIMEOUT_MS = 30_000 * TIME_SCALE;
export const UPLOAD_TIMEOUT_MS = 20_000 * TIME_SCALE;
export const KiB = 1024;
export const MiB = 1024 * KiB;

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

// Sizes are deliberately not multiples of the chunk size, so the last short
// chunk is always exercised.
export function randomPayload(size) {
  return randomBytes(size);
}

// Starts an upload and hands back both the Upload (so a scenario can abort it)
// and a promise for its completion. The timer turns a hung server into a
// failed test rather than a suite that never ends.
export function startUpload(input, options = {}, timeoutMs = UPLOAD_TIMEOUT_MS) {
  let upload;
  let timer;
  const finished = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      upload.abort().catch(() => {});
      reject(new Error(`upload did not finish within ${timeoutMs} ms (url: ${upload.url ?? 'not created yet'})`));
    }, timeoutMs);
    upload = new tus.Upload(input, {
      endpoint: ENDPOINT,
      // Against one server, retries would hide server errors behind a later
      // success; scenarios that expect transient conflicts (e.g. resuming
      // right after an abort) opt back in. As real clients: the library's default.
      retryDelays: AS_REAL_CLIENTS ? [0, 1000, 3000, 5000] : null,
      // Only what a healthy cluster may answer now and then; a 500 still fails the scenario.
      onShouldRetry: (err) => [0, 409, 423, 502, 503, 504].includes(err.originalResponse?.getStatus() ?? 0),
      // Each scenario must create its own upload, never pick up an old one.
      storeFingerprintForResuming: false,
      ...options,
      onSuccess: (payload) => {
        clearTimeout(timer);
        options.onSuccess?.(payload);
        resolve(upload);
      },
      onError: (err) => {
        clearTimeout(timer);
        options.onError?.(err);
        reject(err);
      },
    });
    upload.start();
  });
  // A deliberate abort never settles `finished`; this stops the timer so the
  // abandoned promise does not fail the run later.
  const abort = async () => {
    clearTimeout(timer);
    await upload.abort();
  };
  return { upload, finished, abort };
}

export async function uploadAll(input, options = {}, timeoutMs = UPLOAD_TIMEOUT_MS) {
  return startUpload(input, options, timeoutMs).finished;
}

// Starts an upload and aborts it from inside onProgress once 30% of the bytes
// are sent, i.e. usually in the middle of a request body: the realistic
// "connection dropped" case. Resolves with the URL of the interrupted upload.
export async function interruptUpload(source, options = {}) {
  let started;
  await new Promise((resolve, reject) => {
    let aborting = false;
    started = startUpload(source, {
      ...options,
      onProgress(sent) {
        if (aborting || sent < source.length * 0.3) return;
        aborting = true;
        started.abort().then(resolve, reject);
      },
    });
    started.finished.then(() => reject(new Error('upload finished before it could be interrupted')), reject);
  });
  assert.ok(started.upload.url, 'the upload should have been created before it was aborted');
  return started.upload.url;
}

// Resumes an interrupted upload at `url` and checks that it continued the
// same upload from a non-zero offset; returns the recorded exchanges.
export async function assertResumes(source, url, options = {}) {
  const log = recordExchanges();
  const resumed = await uploadAll(source, {
    uploadUrl: url,
    // The aborted PATCH may still be winding down on the server (lock held,
    // offset about to move), which tus-js-client handles by re-checking.
    retryDelays: [100, 500, 1500],
    ...options,
    ...log.options,
  });

  assert.equal(resumed.url, url, 'resuming must continue the same upload');
  assert.ok(!log.requests.some((r) => r.method === 'POST'), 'resuming must not create a new upload');
  const firstPatch = log.requests.find((r) => r.method === 'PATCH');
  assert.ok(firstPatch, 'resuming should have sent at least one PATCH');
  assert.ok(Number(firstPatch.uploadOffset) > 0, `resumed upload restarted at offset ${firstPatch.uploadOffset}`);
  return log;
}

// Records the method and selected headers of every request tus-js-client
// sends and every response it gets, so scenarios can assert on the protocol
// exchange and not just on the end result.
export function recordExchanges() {
  const requests = [];
  const responses = [];
  return {
    requests,
    responses,
    options: {
      onBeforeRequest(req) {
        requests.push({
          method: req.getMethod(),
          url: req.getURL(),
          uploadOffset: req.getHeader('Upload-Offset'),
          uploadConcat: req.getHeader('Upload-Concat'),
          contentType: req.getHeader('Content-Type'),
        });
      },
      onAfterResponse(req, res) {
        responses.push({
          method: req.getMethod(),
          status: res.getStatus(),
          uploadOffset: res.getHeader('Upload-Offset'),
          location: res.getHeader('Location'),
        });
      },
    },
  };
}

export async function download(url, headers = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body };
}

export async function head(url) {
  return fetch(url, {
    method: 'HEAD',
    headers: { 'Tus-Resumable': '1.0.0' },
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
}

// Downloads a finished upload and checks it is byte-for-byte the source.
export async function assertDownloadMatches(url, source) {
  const { res, body } = await download(url);
  assert.equal(res.status, 200, `GET ${url} returned ${res.status}`);
  assert.equal(body.length, source.length, `GET ${url} returned ${body.length} bytes, expected ${source.length}`);
  assert.equal(sha256(body), sha256(source), `GET ${url} returned different bytes than were uploaded`);
  return res;
}

// A server that does not advertise an extension will fail the scenario that
// needs it anyway; checking OPTIONS first makes the failure say why.
export async function assertExtension(name) {
  const res = await fetch(ENDPOINT, {
    method: 'OPTIONS',
    headers: { 'Tus-Resumable': '1.0.0' },
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  const advertised = (res.headers.get('Tus-Extension') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  assert.ok(
    advertised.includes(name),
    `server does not advertise the '${name}' extension (Tus-Extension: ${advertised.join(',') || 'none'})`,
  );
}
