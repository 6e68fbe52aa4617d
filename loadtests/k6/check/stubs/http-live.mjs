// 'k6/http' for live.mjs: the same API as the stub, but every request really goes to a server,
// through curl (synchronous, like k6's http calls). Slow (one process per request): for smoke
// tests of the scripts against a real tus server, not for load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { state } from './state.mjs';
import { expectedStatuses, setResponseCallback, parseDuration } from './http.mjs';

export { expectedStatuses, setResponseCallback, parseDuration };

const dir = mkdtempSync(path.join(tmpdir(), 'k6-live-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const EXPECTED = Object.getOwnPropertySymbols(expectedStatuses(200))[0];

function canonical(name) {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase());
}

export function request(method, url, body, params) {
  const p = params || {};
  const timeoutMs = p.timeout === undefined ? 60000 : parseDuration(p.timeout);
  const hdrFile = path.join(dir, 'headers');
  const args = ['-sS', '-o', '/dev/null', '-D', hdrFile, '-w', '%{http_code} %{time_total}',
    '--max-time', String(timeoutMs / 1000), '-H', 'Expect:'];
  if (method === 'HEAD') args.push('--head'); else args.push('-X', method);
  for (const [k, v] of Object.entries(p.headers || {})) args.push('-H', `${k}: ${v}`);
  if (body instanceof ArrayBuffer) {
    const f = path.join(dir, 'body');
    writeFileSync(f, Buffer.from(body));
    args.push('--data-binary', `@${f}`);
  } else if (body !== null && body !== undefined) {
    throw new TypeError('live http: only ArrayBuffer bodies');
  }
  args.push(url);
  writeFileSync(hdrFile, '');
  const r = spawnSync('curl', args, { encoding: 'utf8' });
  const [code, secs] = String(r.stdout).trim().split(' ');
  let status = r.status === 0 ? parseInt(code, 10) : 0;
  const headers = {};
  const blocks = readFileSync(hdrFile, 'utf8').split(/\r?\n\r?\n/).filter((b) => b.trim());
  if (status !== 0 && blocks.length) {
    for (const line of blocks[blocks.length - 1].split(/\r?\n/).slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[canonical(line.slice(0, i).trim())] = line.slice(i + 1).trim();
    }
  }
  const duration = parseFloat(secs || '0') * 1000;
  const cb = p.responseCallback || { [EXPECTED]: [{ min: 200, max: 399 }] };
  const expected = status !== 0 && cb[EXPECTED].some((s) => (typeof s === 'number' ? s === status : status >= s.min && status <= s.max));
  state.requests.push({ method, url, status, expected, tags: p.tags || {}, headers: p.headers || {},
    bodyBytes: body instanceof ArrayBuffer ? body.byteLength : 0, duration, error: r.status ? r.stderr.trim() : '' });
  return {
    status, headers, body: null, url, error: r.status ? r.stderr.trim() : '', error_code: r.status ? 1000 + r.status : 0,
    timings: { duration, blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: duration, receiving: 0 },
    request: { method, url, headers: p.headers || {}, body: '' },
  };
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
