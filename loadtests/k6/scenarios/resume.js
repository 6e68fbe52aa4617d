// resume: create an upload, send about half of it in chunks, then interrupt the transfer and resume
// the way a tus client does: HEAD for the server's Upload-Offset, continue from there.
//
// INTERRUPT_MODE=timeout (default): the next chunk is sent with a very short client timeout
//   (INTERRUPT_TIMEOUT, default 10ms), so k6 drops the connection mid-body; the server keeps what it
//   received. These deliberate aborts are tagged tus_interrupted:true and are left out of the
//   http_req_failed threshold. If the chunk happens to finish within the timeout, nothing was
//   interrupted and the upload simply continues (tus_interruptions counts the real aborts).
// INTERRUPT_MODE=partial: the next PATCH carries only the first half of the chunk and the rest is
//   "lost", as if the connection had died after it; no request fails.
//
// After the HEAD, PATCHes accept 409 and 423 (the aborted PATCH may still be committing on the
// server): the script then HEADs again and continues, at most MAX_RETRIES times (tus_resumes).
import { check } from 'k6';
import {
  loadConfig, buildOptions, create, patch, head, uploadChunks, verifyComplete, terminate, payload,
  header, recordUpload, think, tusInterruptions, tusResumes, tusBytesUploaded,
} from '../lib/tus.js';
import { summaryOutputs } from '../lib/summary.js';

const cfg = loadConfig('resume', {
  fileSize: 8 * 1048576, chunkSize: 1048576, vus: 5, duration: '1m',
});

export const options = buildOptions(cfg, null, 'http_req_failed{tus_interrupted:false}');

export default function () {
  const size = cfg.fileSize;
  const started = Date.now();
  const c = create(cfg, { length: size });
  if (!c.ok) { recordUpload(false); return; }

  // 1. About half of the file, chunk by chunk (always leaves at least one byte to interrupt).
  const chunks = Math.ceil(size / cfg.chunkSize);
  const firstPart = Math.min(Math.floor(chunks / 2) * cfg.chunkSize, size - 1);
  let up = uploadChunks(cfg, c.url, 0, Math.max(firstPart, 0));
  if (!up.ok) { recordUpload(false); return; }
  const before = up.offset;

  // 2. The interruption.
  const n = Math.min(cfg.chunkSize, size - before);
  let sentUpTo = before + n;
  if (cfg.interruptMode === 'partial') {
    const half = Math.max(1, Math.floor(n / 2));
    const res = patch(cfg, c.url, before, payload(half), { op: 'patch_partial' });
    const partialOk = check(res, {
      'interrupt(partial): status 204': (r) => r.status === 204,
      'interrupt(partial): Upload-Offset advanced by the half chunk': (r) => header(r, 'Upload-Offset') === String(before + half),
    });
    if (partialOk) tusBytesUploaded.add(half);
    tusInterruptions.add(1);
    sentUpTo = before + half;
  } else {
    const res = patch(cfg, c.url, before, payload(n), {
      op: 'patch_interrupted', interrupted: true, timeout: cfg.interruptTimeout, expected: [204],
    });
    if (res.status === 0) tusInterruptions.add(1);
    check(res, { 'interrupt(timeout): aborted, or 204': (r) => r.status === 0 || r.status === 204 });
  }

  // 3. Resume: ask the server how much it has.
  tusResumes.add(1);
  const h = head(cfg, c.url, { op: 'head_resume' });
  const resumeOk = check(h.res, {
    'resume: server offset between the last acknowledged offset and what was sent': () =>
      h.offset >= before && h.offset <= sentUpTo,
  });
  if (!h.ok || !resumeOk) { recordUpload(false); return; }

  // 4. Continue from the server's offset to the end.
  up = uploadChunks(cfg, c.url, h.offset, size, { tolerant: true });
  const ok = up.ok && verifyComplete(cfg, c.url, size);
  recordUpload(ok, size, started);
  if (cfg.deleteAfter) terminate(cfg, c.url);
  think(cfg);
}

export function handleSummary(data) {
  return summaryOutputs(data, cfg);
}
