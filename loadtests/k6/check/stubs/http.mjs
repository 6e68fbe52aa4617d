// Stub of 'k6/http' with a strict in-memory tus 1.0 server behind it, so the check can run an
// iteration of every scenario without a network. It rejects what a real k6 or a real tus server
// would reject (unknown params, bad timeouts, string bodies for uploads, wrong offsets...).
import { state } from './state.mjs';

const PARAM_KEYS = new Set(['headers', 'tags', 'timeout', 'responseCallback', 'responseType', 'redirects',
  'auth', 'cookies', 'jar', 'compression']);
const EXPECTED = Symbol('expectedStatuses');
let defaultCallback = null;

export function expectedStatuses(...statuses) {
  if (statuses.length === 0) throw new TypeError('expectedStatuses(): no statuses');
  for (const s of statuses) {
    const ok = (Number.isInteger(s) && s >= 0 && s < 1000)
      || (s && typeof s === 'object' && Number.isInteger(s.min) && Number.isInteger(s.max));
    if (!ok) throw new TypeError(`expectedStatuses(): invalid argument ${JSON.stringify(s)}`);
  }
  return { [EXPECTED]: statuses };
}

export function setResponseCallback(cb) {
  if (cb !== null && !(cb && cb[EXPECTED])) throw new TypeError('setResponseCallback(): use http.expectedStatuses(...)');
  defaultCallback = cb;
}

/** k6 durations: a number of milliseconds, or "10ms", "1.5s", "2m", "1h30m". */
export function parseDuration(v) {
  if (typeof v === 'number' && v >= 0) return v;
  const s = String(v);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(s)) throw new TypeError(`invalid duration "${s}"`);
  let ms = 0;
  let m;
  while ((m = re.exec(s)) !== null) ms += parseFloat(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2]];
  return ms;
}

function canonical(name) {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase());
}

function isExpected(cb, status) {
  const statuses = (cb || defaultCallback || { [EXPECTED]: [{ min: 200, max: 399 }] })[EXPECTED];
  if (status === 0) return false;
  return statuses.some((s) => (typeof s === 'number' ? s === status : status >= s.min && status <= s.max));
}

// ------------------------------------------------------------ fake tus server
function byteLength(body) {
  if (body === null || body === undefined) return 0;
  if (body instanceof ArrayBuffer) return body.byteLength;
  throw new TypeError(`upload bodies must be ArrayBuffers, got ${typeof body}`);
}

function server(method, url, headers, body, timeoutMs) {
  const h = {};
  for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
  const base = globalThis.__ENV.BASE_URL;
  if (h['tus-resumable'] !== '1.0.0') return { status: 412 };
  const r = (status, hdrs) => ({ status, headers: Object.assign({ 'Tus-Resumable': '1.0.0' }, hdrs || {}) });

  if (method === 'POST') {
    if (url !== base) return r(404);
    if (h['upload-metadata'] !== undefined) {
      for (const pair of h['upload-metadata'].split(',')) {
        if (!/^[^\s,]+( [A-Za-z0-9+/]+=*)?$/.test(pair)) return r(400);
      }
    }
    const concat = h['upload-concat'];
    const id = (state.nextId++).toString(16).padStart(32, '0');
    const loc = base + id;
    if (concat !== undefined && concat.startsWith('final;')) {
      if (body !== null && body !== undefined) return r(400);
      const urls = concat.slice(6).split(/[ \t]+/).filter((x) => x);
      if (urls.length === 0) return r(400);
      let total = 0;
      for (const u of urls) {
        const p = state.uploads.get(u);
        if (!p || p.concat !== 'partial' || p.offset !== p.length) return r(400);
        total += p.length;
      }
      state.uploads.set(loc, { length: total, offset: total, concat: 'final' });
      return r(201, { Location: loc });
    }
    if (concat !== undefined && concat !== 'partial') return r(400);
    if (!/^\d+$/.test(h['upload-length'] || '')) return r(400);
    const length = parseInt(h['upload-length'], 10);
    const n = byteLength(body);
    if (n > 0 && h['content-type'] !== 'application/offset+octet-stream') return r(415);
    if (n > length) return r(413);
    state.uploads.set(loc, { length, offset: n, concat: concat || null });
    return r(201, { Location: loc, 'Upload-Offset': String(n) });
  }

  const up = state.uploads.get(url);
  if (!up) return r(404);
  if (method === 'HEAD') {
    const out = { 'Upload-Offset': String(up.offset), 'Cache-Control': 'no-store' };
    if (up.length !== null) out['Upload-Length'] = String(up.length);
    if (up.concat) out['Upload-Concat'] = up.concat;
    // The aborted PATCH of a timeout commits the rest of what it read only after this HEAD
    // answered, as a slow replica would: the client's next PATCH then gets a 409.
    if (up.late) { up.offset += up.late; up.late = 0; }
    return r(200, out);
  }
  if (method === 'DELETE') { state.uploads.delete(url); return r(204); }
  if (method === 'PATCH') {
    if (h['content-type'] !== 'application/offset+octet-stream') return r(415);
    if (!/^\d+$/.test(h['upload-offset'] || '')) return r(400);
    if (up.concat === 'final') return r(403);
    const offset = parseInt(h['upload-offset'], 10);
    if (offset !== up.offset) return r(409, { 'Upload-Offset': String(up.offset) });
    const n = byteLength(body);
    if (offset + n > up.length) return r(413);
    if (timeoutMs < 1000 && n > 1) {
      // A client timeout this short aborts the body: the server keeps about two thirds of it, one
      // third at once and one third later (see HEAD).
      up.offset += Math.floor(n / 3);
      up.late = Math.floor(n / 3);
      return { status: 0, error: `request timeout`, errorCode: 1050 };
    }
    up.offset += n;
    return r(204, { 'Upload-Offset': String(up.offset) });
  }
  return r(405);
}

// ------------------------------------------------------------ request API
export function request(method, url, body, params) {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new TypeError(`${method}: invalid URL ${url}`);
  const p = params || {};
  for (const k of Object.keys(p)) if (!PARAM_KEYS.has(k)) throw new TypeError(`${method} ${url}: unknown request param "${k}"`);
  const headers = p.headers || {};
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v !== 'string') throw new TypeError(`${method} ${url}: header ${k} must be a string, got ${typeof v}`);
  }
  const tags = p.tags || {};
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== 'string') throw new TypeError(`${method} ${url}: tag ${k} must be a string`);
  }
  if (p.responseCallback !== undefined && !(p.responseCallback && p.responseCallback[EXPECTED])) {
    throw new TypeError(`${method} ${url}: responseCallback must come from http.expectedStatuses()`);
  }
  const timeoutMs = p.timeout === undefined ? 60000 : parseDuration(p.timeout);
  const out = server(method, url, headers, body, timeoutMs);
  const duration = 1 + Math.random() * 10;
  const hdrs = {};
  for (const [k, v] of Object.entries(out.headers || {})) hdrs[canonical(k)] = v;
  const res = {
    status: out.status, headers: hdrs, body: null, url, error: out.error || '', error_code: out.errorCode || 0,
    proto: 'HTTP/1.1', remote_ip: '127.0.0.1', remote_port: 80, cookies: {},
    timings: { duration, blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0.1, waiting: duration - 0.2, receiving: 0.1 },
    request: { method, url, headers, body: '' },
    json() { throw new Error('the stub server sends no bodies'); },
  };
  state.requests.push({
    method, url, status: out.status, expected: isExpected(p.responseCallback, out.status), tags, headers,
    bodyBytes: body instanceof ArrayBuffer ? body.byteLength : 0, duration,
  });
  return res;
}

export const get = (url, params) => request('GET', url, null, params);
export const head = (url, params) => request('HEAD', url, null, params);
export const post = (url, body, params) => request('POST', url, body, params);
export const put = (url, body, params) => request('PUT', url, body, params);
export const patch = (url, body, params) => request('PATCH', url, body, params);
export const del = (url, body, params) => request('DELETE', url, body, params);
export const options = (url, body, params) => request('OPTIONS', url, body, params);
export function batch(requests) {
  return requests.map((rq) => (Array.isArray(rq) ? request(rq[0], rq[1], rq[2] ?? null, rq[3]) : request(rq.method, rq.url, rq.body ?? null, rq.params)));
}

export default {
  request, get, head, post, put, patch, del, options, batch, expectedStatuses, setResponseCallback,
};
