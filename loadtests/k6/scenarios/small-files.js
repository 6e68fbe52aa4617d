// small-files: creation-with-upload: each iteration is one POST carrying the whole file
// (FILE_SIZE bytes), which must answer 201 with Location and Upload-Offset = FILE_SIZE.
import { loadConfig, buildOptions, create, payload, terminate, recordUpload, think } from '../lib/tus.js';
import { summaryOutputs } from '../lib/summary.js';

const cfg = loadConfig('small-files', {
  fileSize: 1024, vus: 20, duration: '1m', deleteAfter: false,
});

export const options = buildOptions(cfg);

export default function () {
  const started = Date.now();
  const c = create(cfg, { length: cfg.fileSize, body: payload(cfg.fileSize), op: 'create_with_upload' });
  const ok = c.ok && c.offset === cfg.fileSize;
  recordUpload(ok, cfg.fileSize, started);
  if (c.ok && cfg.deleteAfter) terminate(cfg, c.url);
  think(cfg);
}

export function handleSummary(data) {
  return summaryOutputs(data, cfg);
}
