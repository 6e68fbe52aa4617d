// create-and-patch: POST creates an upload of FILE_SIZE bytes, then PATCHes of CHUNK_SIZE bytes
// send it; every PATCH must answer 204 with Upload-Offset advanced by exactly the chunk.
import { loadConfig, buildOptions, uploadFile, think } from '../lib/tus.js';
import { summaryOutputs } from '../lib/summary.js';

const cfg = loadConfig('create-and-patch', {
  fileSize: 8 * 1048576, chunkSize: 1048576, vus: 10, duration: '1m',
});

export const options = buildOptions(cfg);

export default function () {
  uploadFile(cfg, cfg.fileSize);
  think(cfg);
}

export function handleSummary(data) {
  return summaryOutputs(data, cfg);
}
