#!/usr/bin/env node
// Smoke test of the k6 scripts against a real tus server, without k6: every scenario's default
// function runs a few iterations under Node, with k6/http requests sent through curl.
//
//   BASE_URL=http://127.0.0.1:8080/files/ node loadtests/k6/check/live.mjs [scenario ...]
//
// Other variables (FILE_SIZE, CHUNK_SIZE, PARTS, INTERRUPT_MODE, ...) are passed to the scripts as
// __ENV, as `k6 run` would; ITERATIONS (default 2) sets the iterations per scenario. Exits 1 if a
// check failed or a request failed unexpectedly. One curl process per request: not a load test.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

process.env.K6_CHECK_LIVE = '1';
const K6_DIR = fileURLToPath(new URL('../', import.meta.url));
if (!process.env.BASE_URL) { console.error('set BASE_URL to the tus files endpoint'); process.exit(2); }
globalThis.__ENV = { FILE_SIZE: '3MiB', CHUNK_SIZE: '1MiB', ...process.env };
await import('./register.mjs');
const { state } = await import('./stubs/state.mjs');

const names = process.argv.slice(2).length ? process.argv.slice(2) : JSON.parse(readFileSync(path.join(K6_DIR, 'scenarios.json'), 'utf8'));
const iterations = Number(process.env.ITERATIONS || 2);
let bad = 0;
for (const name of names) {
  const mod = await import(pathToFileURL(path.join(K6_DIR, 'scenarios', `${name}.js`)).href);
  state.reset();
  state.scenarioName = Object.keys(mod.options.scenarios)[0];
  const t0 = Date.now();
  for (let i = 0; i < iterations; i++) { globalThis.__ITER = i; state.iterationInTest = i; await mod.default(); }
  const reqs = state.requests;
  const failedChecks = [...state.checks].filter(([, c]) => c.fails > 0);
  const unexpected = reqs.filter((r) => !r.expected && r.tags.tus_interrupted !== 'true');
  const byStatus = {};
  for (const r of reqs) { const k = `${r.method} ${r.status}`; byStatus[k] = (byStatus[k] || 0) + 1; }
  const ok = failedChecks.length === 0 && unexpected.length === 0;
  if (!ok) bad++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${iterations} iterations in ${Date.now() - t0} ms, ${reqs.length} requests ${JSON.stringify(byStatus)}`);
  for (const [n, c] of failedChecks) console.log(`     check "${n}" failed ${c.fails}/${c.passes + c.fails}`);
  for (const r of unexpected.slice(0, 5)) console.log(`     unexpected ${r.status} ${r.method} ${r.url} ${r.error || ''}`);
}
process.exit(bad ? 1 : 0);
