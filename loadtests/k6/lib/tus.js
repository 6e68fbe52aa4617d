// Shared tus 1.0 client code for the k6 scenarios in ../scenarios.
// Plain k6 JavaScript: no Node APIs, no remote imports.
import http from 'k6/http';
import { check, sleep } from 'k6';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import { Trend, Counter } from 'k6/metrics';

export const TUS_VERSION = '1.0.0';
const OCTET = 'application/offset+octet-stream';

// ---------------------------------------------------------------- metrics
// Created once per VU in the init context, like any k6 custom metric.
export const tusCreateDuration = new Trend('tus_create_duration', true);
export const tusPatchDuration = new Trend('tus_patch_duration', true);
export const tusHeadDuration = new Trend('tus_head_duration', true);
export const tusUploadDuration = new Trend('tus_upload_duration', true);
export const tusUploadThroughput = new Trend('tus_upload_mb_per_s'); // MB = 10^6 bytes
export const tusBytesUploaded = new Counter('tus_bytes_uploaded');
export const tusUploadsCompleted = new Counter('tus_uploads_completed');
export const tusUploadsFailed = new Counter('tus_uploads_failed');
export const tusResumes = new Counter('tus_resumes');
export const tusInterruptions = new Counter('tus_interruptions');

// ---------------------------------------------------------------- configuration
const UNITS = {
  '': 1, b: 1,
  k: 1000, kb: 1000, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9,
  ki: 1024, kib: 1024, mi: 1048576, mib: 1048576, gi: 1073741824, gib: 1073741824,
};

/** "1024", "512KiB", "8MiB", "5MB", "1GiB" -> bytes (MB = 10^6, MiB = 2^20). */
export function parseSize(value, fallback) {
  if (value === undefined || value === null || String(value).trim() === '') return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(String(value));
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`invalid size "${value}" (use e.g. 1024, 512KiB, 8MiB, 5MB, 1GiB)`);
  return Math.round(parseFloat(m[1]) * unit);
}

function envInt(name, fallback, min) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || Math.floor(n) !== n || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function envNumber(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

function envNonNegative(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number >= 0, got "${raw}"`);
  return n;
}

function envString(name, fallback) {
  const raw = __ENV[name];
  return raw === undefined || raw === '' ? fallback : String(raw);
}

function envBool(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const v = String(raw).toLowerCase();
  if (['1', 'true', 'yes', 'on'].indexOf(v) >= 0) return true;
  if (['0', 'false', 'no', 'off'].indexOf(v) >= 0) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/**
 * Reads the configuration from __ENV. `defaults` holds the scenario's own defaults
 * (fileSize, chunkSize, vus, duration, ...). Every value is documented in ../README.md.
 */
export function loadConfig(scenario, defaults) {
  const d = Object.assign({
    fileSize: 8 * 1048576, chunkSize: 1048576, vus: 10, duration: '1m', rampUp: '30s', rampDown: '10s',
    gracefulRampDown: '30s', gracefulStop: '30s', maxP95PatchMs: 2000, maxP95CreateMs: 500, parts: 4,
    deleteAfter: true, requestTimeout: '120s', thinkTime: 0,
  }, defaults || {});
  let baseUrl = envString('BASE_URL', 'http://localhost:8080/files/');
  if (!/^https?:\/\/[^/]+/i.test(baseUrl)) throw new Error(`BASE_URL must be an absolute http(s) URL, got "${baseUrl}"`);
  const cfg = {
    scenario,
    baseUrl,
    fileSize: parseSize(__ENV.FILE_SIZE, d.fileSize),
    chunkSize: parseSize(__ENV.CHUNK_SIZE, d.chunkSize),
    vus: envInt('VUS', d.vus, 1),
    duration: envString('DURATION', d.duration),
    rampUp: envString('RAMP_UP', d.rampUp),
    rampDown: envString('RAMP_DOWN', d.rampDown),
    gracefulRampDown: envString('GRACEFUL_RAMP_DOWN', d.gracefulRampDown),
    gracefulStop: envString('GRACEFUL_STOP', d.gracefulStop),
    maxP95PatchMs: envNumber('MAX_P95_PATCH_MS', d.maxP95PatchMs),
    maxP95CreateMs: envNumber('MAX_P95_CREATE_MS', d.maxP95CreateMs),
    parts: envInt('PARTS', d.parts, 1),
    deleteAfter: envBool('DELETE_AFTER', d.deleteAfter),
    requestTimeout: envString('REQUEST_TIMEOUT', d.requestTimeout),
    thinkTime: envNonNegative('THINK_TIME', d.thinkTime),
    summaryJson: envString('SUMMARY_JSON', 'summary.json'),
    interruptMode: envString('INTERRUPT_MODE', 'timeout'),
    interruptTimeout: envString('INTERRUPT_TIMEOUT', '10ms'),
    maxRetries: envInt('MAX_RETRIES', 5, 0),
  };
  if (cfg.fileSize < 1) throw new Error('FILE_SIZE must be at least 1 byte');
  if (cfg.chunkSize < 1) throw new Error('CHUNK_SIZE must be at least 1 byte');
  if (cfg.interruptMode !== 'timeout' && cfg.interruptMode !== 'partial') {
    throw new Error(`INTERRUPT_MODE must be "timeout" or "partial", got "${cfg.interruptMode}"`);
  }
  return cfg;
}

/**
 * k6 options: one ramping-VUs scenario (ramp up to VUS over RAMP_UP, hold for DURATION,
 * ramp down over RAMP_DOWN) and the thresholds shared by every scenario.
 */
export function buildOptions(cfg, extraThresholds, failedMetric) {
  const thresholds = {};
  thresholds[failedMetric || 'http_req_failed'] = ['rate<0.01'];
  thresholds.tus_patch_duration = [`p(95)<${cfg.maxP95PatchMs}`];
  thresholds.tus_create_duration = [`p(95)<${cfg.maxP95CreateMs}`];
  thresholds.checks = ['rate>0.99'];
  Object.assign(thresholds, extraThresholds || {});
  const scenarios = {};
  scenarios[cfg.scenario] = {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: cfg.rampUp, target: cfg.vus },
      { duration: cfg.duration, target: cfg.vus },
      { duration: cfg.rampDown, target: 0 },
    ],
    gracefulRampDown: cfg.gracefulRampDown,
    gracefulStop: cfg.gracefulStop,
  };
  return {
    scenarios,
    thresholds,
    // Upload responses have no useful body; do not buffer them.
    discardResponseBodies: true,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    tags: { tus_scenario: cfg.scenario },
  };
}

// ---------------------------------------------------------------- payload
// One random buffer per VU, created on first use and reused for every request: a chunk body
// is a view-free ArrayBuffer of the requested size, never a string, and never the whole file.
let baseBuffer = null;
let sized = {};
let sizedCount = 0;

/** An ArrayBuffer of exactly n random bytes, reused across calls (at most a few sizes are kept). */
export function payload(n) {
  if (n <= 0) return new ArrayBuffer(0);
  if (sized[n]) return sized[n];
  if (baseBuffer === null || baseBuffer.byteLength < n) {
    baseBuffer = crypto.randomBytes(n);
    sized = {};
    sizedCount = 0;
  }
  if (sizedCount >= 4) { sized = {}; sizedCount = 0; }
  const buf = n === baseBuffer.byteLength ? baseBuffer : baseBuffer.slice(0, n);
  sized[n] = buf;
  sizedCount++;
  return buf;
}

// ---------------------------------------------------------------- helpers
/** A response header, case-insensitively (k6 canonicalises names, proxies may not). */
export function header(res, name) {
  if (!res || !res.headers) return undefined;
  if (res.headers[name] !== undefined) return res.headers[name];
  const lower = name.toLowerCase();
  for (const k in res.headers) if (k.toLowerCase() === lower) return res.headers[k];
  return undefined;
}

function intHeader(res, name) {
  const v = header(res, name);
  if (v === undefined || v === null || !/^\d+$/.test(String(v).trim())) return -1;
  return parseInt(String(v).trim(), 10);
}

/** Resolves a Location header against the files endpoint (absolute, host-relative or relative). */
export function resolveUrl(base, location) {
  if (/^https?:\/\//i.test(location)) return location;
  const origin = /^(https?:\/\/[^/]+)/i.exec(base)[1];
  if (location.charAt(0) === '/') return origin + location;
  return base.replace(/[^/]*$/, '') + location;
}

function tags(op, extra) {
  return Object.assign({ tus_op: op, tus_interrupted: 'false' }, extra || {});
}

function metadata(cfg, suffix) {
  const name = `k6-${cfg.scenario}-vu${exec.vu.idInTest}-it${exec.vu.iterationInScenario}${suffix || ''}.bin`;
  return `filename ${encoding.b64encode(name)},filetype ${encoding.b64encode('application/octet-stream')}`;
}

function baseHeaders(extra) {
  return Object.assign({ 'Tus-Resumable': TUS_VERSION }, extra || {});
}

// ---------------------------------------------------------------- protocol operations
/**
 * POST to the files endpoint. opts: length (Upload-Length), body (ArrayBuffer, creation-with-upload),
 * concat ('partial' or 'final;<urls>'), suffix (file name suffix), op (tag).
 * Returns { ok, url, offset, res }.
 */
export function create(cfg, opts) {
  const h = { 'Upload-Metadata': metadata(cfg, opts.suffix) };
  if (opts.length !== undefined) h['Upload-Length'] = String(opts.length);
  if (opts.concat) h['Upload-Concat'] = opts.concat;
  let body = null;
  if (opts.body !== undefined && opts.body !== null) {
    h['Content-Type'] = OCTET;
    body = opts.body;
  }
  const op = opts.op || 'create';
  const res = http.post(cfg.baseUrl, body, {
    headers: baseHeaders(h),
    tags: tags(op),
    timeout: cfg.requestTimeout,
    responseCallback: http.expectedStatuses(201),
  });
  if (res.status !== 0) tusCreateDuration.add(res.timings.duration, { tus_op: op });
  const location = header(res, 'Location');
  const ok = check(res, {
    [`${op}: status 201`]: (r) => r.status === 201,
    [`${op}: has Location`]: () => !!location,
  });
  const offset = intHeader(res, 'Upload-Offset');
  if (body !== null) {
    const sent = body.byteLength;
    check(res, { [`${op}: Upload-Offset equals body size`]: () => offset === sent });
    if (res.status === 201) tusBytesUploaded.add(sent);
  }
  return { ok: ok && !!location, url: location ? resolveUrl(cfg.baseUrl, location) : null, offset, res };
}

/** PATCH `body` at `offset`. opts: timeout, expected (array of statuses), op, interrupted. */
export function patch(cfg, url, offset, body, opts) {
  const o = opts || {};
  const op = o.op || 'patch';
  const res = http.patch(url, body, {
    headers: baseHeaders({ 'Upload-Offset': String(offset), 'Content-Type': OCTET }),
    tags: tags(op, o.interrupted ? { tus_interrupted: 'true' } : null),
    timeout: o.timeout || cfg.requestTimeout,
    responseCallback: http.expectedStatuses(...(o.expected || [204])),
  });
  if (res.status === 204) {
    tusPatchDuration.add(res.timings.duration, { tus_op: op });
  }
  return res;
}

/** HEAD an upload. Returns { ok, offset, length, res }. */
export function head(cfg, url, opts) {
  const o = opts || {};
  const res = http.head(url, {
    headers: baseHeaders(),
    tags: tags(o.op || 'head'),
    timeout: cfg.requestTimeout,
    responseCallback: http.expectedStatuses(200),
  });
  if (res.status !== 0) tusHeadDuration.add(res.timings.duration);
  const offset = intHeader(res, 'Upload-Offset');
  const ok = check(res, {
    'head: status 200': (r) => r.status === 200,
    'head: has Upload-Offset': () => offset >= 0,
  });
  return { ok, offset, length: intHeader(res, 'Upload-Length'), res };
}

/** DELETE an upload (termination extension). */
export function terminate(cfg, url) {
  const res = http.del(url, null, {
    headers: baseHeaders(),
    tags: tags('delete'),
    timeout: cfg.requestTimeout,
    responseCallback: http.expectedStatuses(204),
  });
  check(res, { 'delete: status 204': (r) => r.status === 204 });
  return res;
}

/**
 * Sends bytes [from, size) in CHUNK_SIZE PATCHes, checking every 204 and its Upload-Offset.
 * With opts.tolerant, a 409/423/timeout is answered by a HEAD and the upload continues from the
 * server's offset (at most cfg.maxRetries times); otherwise the first failure ends the upload.
 * Returns { ok, offset }.
 */
export function uploadChunks(cfg, url, from, size, opts) {
  const o = opts || {};
  let offset = from;
  let retries = 0;
  while (offset < size) {
    const n = Math.min(cfg.chunkSize, size - offset);
    const res = patch(cfg, url, offset, payload(n), o.tolerant ? { expected: [204, 409, 423] } : null);
    const newOffset = intHeader(res, 'Upload-Offset');
    if (res.status === 204 && newOffset === offset + n) {
      check(res, { 'patch: status 204': () => true, 'patch: Upload-Offset advanced by the chunk': () => true });
      tusBytesUploaded.add(n);
      offset = newOffset;
      continue;
    }
    if (o.tolerant && retries < cfg.maxRetries && (res.status === 409 || res.status === 423 || res.status === 0)) {
      // Another request still held the upload, or its offset moved: ask the server where it is.
      retries++;
      tusResumes.add(1);
      if (res.status === 423) sleep(0.1 * retries);
      const h = head(cfg, url, { op: 'head_resume' });
      if (!h.ok || h.offset < 0 || h.offset > size) return { ok: false, offset };
      offset = h.offset;
      continue;
    }
    check(res, {
      'patch: status 204': (r) => r.status === 204,
      'patch: Upload-Offset advanced by the chunk': () => newOffset === offset + n,
    });
    if (res.status === 0) console.warn(`PATCH ${url} at ${offset} failed: ${res.error}`);
    return { ok: false, offset };
  }
  return { ok: true, offset };
}

/** HEAD after an upload: Upload-Offset (and Upload-Length if sent) must equal `size`. */
export function verifyComplete(cfg, url, size, op) {
  const h = head(cfg, url, { op: op || 'head_verify' });
  const ok = check(h.res, {
    'verify: Upload-Offset equals the file size': () => h.offset === size,
    'verify: Upload-Length equals the file size': () => h.length === -1 || h.length === size,
  });
  return ok && h.ok;
}

/** Records a finished (or failed) upload. */
export function recordUpload(ok, size, startedMs) {
  if (!ok) { tusUploadsFailed.add(1); return; }
  const ms = Date.now() - startedMs;
  tusUploadsCompleted.add(1);
  tusUploadDuration.add(ms);
  if (ms > 0) tusUploadThroughput.add(size / 1e6 / (ms / 1000));
}

/** Create, upload in chunks, verify with HEAD, optionally delete: the whole life of one upload. */
export function uploadFile(cfg, size) {
  const started = Date.now();
  const c = create(cfg, { length: size });
  if (!c.ok) { recordUpload(false); return false; }
  const up = uploadChunks(cfg, c.url, 0, size);
  const ok = up.ok && verifyComplete(cfg, c.url, size);
  recordUpload(ok, size, started);
  if (cfg.deleteAfter) terminate(cfg, c.url);
  return ok;
}

/** Optional pause between iterations (THINK_TIME seconds). */
export function think(cfg) {
  if (cfg.thinkTime > 0) sleep(cfg.thinkTime);
}
