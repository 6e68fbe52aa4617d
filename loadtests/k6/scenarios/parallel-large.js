// parallel-large: a few VUs, each uploading one large file (FILE_SIZE) in CHUNK_SIZE PATCHes.
// Measures sustained throughput (tus_upload_mb_per_s) as well as per-PATCH latency.
import { loadConfig, buildOptions, uploadFile, think } from '../lib/tus.js';
import { summaryOutputs } from '../lib/summary.js';

const cfg = loadConfig('parallel-large', {
  fileSize: 256 * 1048576, chunkSize: 8 * 1048576, vus: 4, duration: '5m', rampUp: '10s',
  maxP95PatchMs: 5000, gracefulRampDown: '5m', gracefulStop: '5m', requestTimeout: '300s',
});

export const options = buildOptions(cfg);

export default function () {
  uploadFile(cfg, cfg.fileSize);
  think(cfg);
}

export function handleSummary(data) {
  return summaryOutputs(data, cfg);
}
