// concatenation: PARTS partial uploads (Upload-Concat: partial) of FILE_SIZE bytes each, sent in
// CHUNK_SIZE PATCHes, then a final upload (Upload-Concat: final;<url> <url> ...) whose HEAD must
// report PARTS * FILE_SIZE bytes. The final POST's latency is in tus_create_duration{tus_op:concat_final}.
import { check } from 'k6';
import {
  loadConfig, buildOptions, create, uploadChunks, head, terminate, recordUpload, think,
} from '../lib/tus.js';
import { summaryOutputs } from '../lib/summary.js';

const cfg = loadConfig('concatenation', {
  fileSize: 2 * 1048576, chunkSize: 1048576, vus: 5, duration: '1m', parts: 4,
});

export const options = buildOptions(cfg, {
  'tus_create_duration{tus_op:concat_final}': [`p(95)<${cfg.maxP95CreateMs}`],
});

export default function () {
  const started = Date.now();
  const partials = [];
  let ok = true;
  for (let i = 0; i < cfg.parts && ok; i++) {
    const p = create(cfg, { length: cfg.fileSize, concat: 'partial', suffix: `-part${i}`, op: 'create_partial' });
    if (!p.ok) { ok = false; break; }
    partials.push(p.url);
    ok = uploadChunks(cfg, p.url, 0, cfg.fileSize).ok;
  }

  const total = cfg.parts * cfg.fileSize;
  let finalUrl = null;
  if (ok) {
    const f = create(cfg, { concat: 'final;' + partials.join(' '), op: 'concat_final' });
    ok = f.ok;
    finalUrl = f.url;
  }
  if (ok) {
    const h = head(cfg, finalUrl, { op: 'head_verify' });
    ok = check(h.res, {
      'concat: final Upload-Length equals the sum of the parts': () => h.length === total,
      'concat: final Upload-Offset equals the sum of the parts': () => h.offset === total,
    }) && h.ok;
  }
  recordUpload(ok, total, started);

  if (cfg.deleteAfter) {
    if (finalUrl) terminate(cfg, finalUrl);
    partials.forEach((u) => terminate(cfg, u));
  }
  think(cfg);
}

export function handleSummary(data) {
  return summaryOutputs(data, cfg);
}
