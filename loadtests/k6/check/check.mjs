#!/usr/bin/env node
// Syntax and structure check of the k6 scripts, runnable without k6 (Node >= 20.6, no dependencies):
//
//   node loadtests/k6/check/check.mjs
//
// 1. scenarios.json and the files in scenarios/ name the same scenarios (and, when the .NET load
//    driver is present, the same list in the same order as its ScenarioNames.All).
// 2. Every scenario module is imported under Node with 'k6' and 'k6/*' mapped to the stubs in
//    ./stubs (parse, link, top-level evaluation), as are the files in lib/.
// 3. It must export a default function, `options` with a ramping-vus scenario built from VUS and
//    DURATION and valid thresholds (http_req_failed rate<0.01, p(95) of tus_patch_duration and
//    tus_create_duration from MAX_P95_PATCH_MS / MAX_P95_CREATE_MS), and handleSummary.
// 4. A dry run: a few iterations of the default function against the stub's in-memory tus server,
//    with every check passing and no unexpected failed request, then handleSummary on a summary
//    built from that run (stdout text and the SUMMARY_JSON file).
// Exits 1 with a list of problems if anything is wrong.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const K6_DIR = fileURLToPath(new URL('../', import.meta.url));
const SCENARIO_DIR = path.join(K6_DIR, 'scenarios');
const LIB_DIR = path.join(K6_DIR, 'lib');
const ENV = {
  BASE_URL: 'http://tus.check.invalid/files/',
  FILE_SIZE: '10000',
  CHUNK_SIZE: '3000',
  VUS: '3',
  DURATION: '42s',
  MAX_P95_PATCH_MS: '1234',
  MAX_P95_CREATE_MS: '567',
  PARTS: '3',
  SUMMARY_JSON: 'check-summary.json',
};
const ITERATIONS = 3;

const problems = [];
const report = (where, message) => problems.push(`${where}: ${message}`);

globalThis.__ENV = { ...ENV };
await import('./register.mjs');
const { state } = await import('./stubs/state.mjs');
const { parseDuration } = await import('./stubs/http.mjs');

// ------------------------------------------------------------------ 1. names
let listed = [];
const listPath = path.join(K6_DIR, 'scenarios.json');
try {
  listed = JSON.parse(readFileSync(listPath, 'utf8'));
  if (!Array.isArray(listed) || listed.some((n) => typeof n !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(n))) {
    report('scenarios.json', 'must be a JSON array of kebab-case scenario names');
    listed = Array.isArray(listed) ? listed.filter((n) => typeof n === 'string') : [];
  }
  const dup = listed.filter((n, i) => listed.indexOf(n) !== i);
  if (dup.length) report('scenarios.json', `duplicate names: ${dup.join(', ')}`);
} catch (e) {
  report('scenarios.json', `cannot read: ${e.message}`);
}
const files = existsSync(SCENARIO_DIR)
  ? readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort()
  : [];
for (const n of listed) if (!files.includes(n)) report('scenarios.json', `lists "${n}" but scenarios/${n}.js does not exist`);
for (const n of files) if (!listed.includes(n)) report(`scenarios/${n}.js`, 'is not listed in scenarios.json');

// The .NET load driver names the same scenarios (ScenarioNames.All); compare when it is present.
const driverNames = path.join(K6_DIR, '..', 'TusCluster.LoadDriver', 'Scenarios', 'ScenarioNames.cs');
let driverNote = '';
if (existsSync(driverNames)) {
  const cs = readFileSync(driverNames, 'utf8');
  const consts = Object.fromEntries([...cs.matchAll(/const\s+string\s+(\w+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const all = /\bAll\b[^=]*=\s*(?:new\s*(?:string)?\s*\[\s*\]\s*)?[[{]([^\]}]*)[\]}]/.exec(cs);
  if (!all) report('ScenarioNames.cs', 'cannot find ScenarioNames.All');
  else {
    const names = all[1].split(',').map((x) => x.trim()).filter((x) => x)
      .map((x) => (/^"(.*)"$/.test(x) ? x.slice(1, -1) : consts[x.replace(/^ScenarioNames\./, '')]));
    if (JSON.stringify(names) !== JSON.stringify(listed)) {
      report('scenarios.json', `differs from ScenarioNames.All in ${path.relative(process.cwd(), driverNames)}: [${names.join(', ')}]`);
    } else driverNote = ' and ScenarioNames.All';
  }
}

// ------------------------------------------------------------------ helpers
const BUILTIN = {
  checks: 'rate', data_received: 'counter', data_sent: 'counter', dropped_iterations: 'counter',
  http_req_blocked: 'trend', http_req_connecting: 'trend', http_req_duration: 'trend', http_req_failed: 'rate',
  http_req_receiving: 'trend', http_req_sending: 'trend', http_req_tls_handshaking: 'trend',
  http_req_waiting: 'trend', http_reqs: 'counter', iteration_duration: 'trend', iterations: 'counter',
  vus: 'gauge', vus_max: 'gauge',
};
const AGG = {
  trend: /^(avg|min|max|med|p\(\d+(\.\d+)?\))$/, rate: /^rate$/, counter: /^(count|rate)$/, gauge: /^value$/,
};

function metricType(name) {
  if (BUILTIN[name]) return BUILTIN[name];
  const m = state.metrics.get(name);
  return m ? m.type : null;
}

function parseThresholdKey(key) {
  const m = /^([^{}\s]+)(?:\{([^{}:]+):([^{}]*)\})?$/.exec(key);
  return m ? { metric: m[1], tag: m[2], value: m[3] } : null;
}

function validDuration(v) {
  try { parseDuration(v); return typeof v === 'string' || typeof v === 'number'; } catch { return false; }
}

function checkOptions(where, options) {
  if (!options || typeof options !== 'object') { report(where, 'export `options` is missing or not an object'); return null; }
  const sc = options.scenarios;
  let scenarioName = null;
  if (!sc || typeof sc !== 'object' || Object.keys(sc).length === 0) {
    report(where, 'options.scenarios is missing or empty');
  } else {
    for (const [name, s] of Object.entries(sc)) {
      scenarioName = scenarioName || name;
      const w = `${where} options.scenarios["${name}"]`;
      if (!/^[0-9a-zA-Z_-]+$/.test(name)) report(w, 'k6 scenario names may only contain letters, digits, "_" and "-"');
      if (!s || s.executor !== 'ramping-vus') { report(w, `executor must be "ramping-vus", got ${s && s.executor}`); continue; }
      if (!Array.isArray(s.stages) || s.stages.length === 0) { report(w, 'stages must be a non-empty array'); continue; }
      s.stages.forEach((st, i) => {
        if (!st || !validDuration(st.duration)) report(w, `stages[${i}].duration is not a k6 duration: ${st && st.duration}`);
        if (!st || !Number.isInteger(st.target) || st.target < 0) report(w, `stages[${i}].target must be an integer >= 0`);
      });
      const peak = Math.max(...s.stages.map((st) => st.target));
      if (peak !== Number(ENV.VUS)) report(w, `peak VUs ${peak} does not follow VUS=${ENV.VUS}`);
      if (!s.stages.some((st) => st.duration === ENV.DURATION)) report(w, `no stage lasts DURATION=${ENV.DURATION}`);
      for (const k of ['gracefulRampDown', 'gracefulStop', 'startTime']) {
        if (s[k] !== undefined && !validDuration(s[k])) report(w, `${k} is not a k6 duration: ${s[k]}`);
      }
      if (s.startVUs !== undefined && (!Number.isInteger(s.startVUs) || s.startVUs < 0)) report(w, 'startVUs must be an integer >= 0');
    }
  }
  const th = options.thresholds;
  if (!th || typeof th !== 'object' || Object.keys(th).length === 0) {
    report(where, 'options.thresholds is missing or empty');
    return scenarioName;
  }
  const seen = {};
  for (const [key, list] of Object.entries(th)) {
    const w = `${where} options.thresholds["${key}"]`;
    const k = parseThresholdKey(key);
    if (!k) { report(w, 'is not "metric" or "metric{tag:value}"'); continue; }
    const type = metricType(k.metric);
    if (!type) { report(w, `unknown metric "${k.metric}" (not built in, not created by the script)`); continue; }
    if (!Array.isArray(list) || list.length === 0) { report(w, 'must be a non-empty array'); continue; }
    for (const t of list) {
      const expr = typeof t === 'string' ? t : t && t.threshold;
      const m = typeof expr === 'string' && /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expr);
      if (!m) { report(w, `invalid threshold expression ${JSON.stringify(t)}`); continue; }
      if (!AGG[type].test(m[1])) report(w, `"${m[1]}" is not an aggregation of a ${type} metric`);
      (seen[k.metric] = seen[k.metric] || []).push(expr.replace(/\s+/g, ''));
    }
  }
  const want = {
    http_req_failed: 'rate<0.01',
    tus_patch_duration: `p(95)<${ENV.MAX_P95_PATCH_MS}`,
    tus_create_duration: `p(95)<${ENV.MAX_P95_CREATE_MS}`,
  };
  for (const [metric, expr] of Object.entries(want)) {
    if (!(seen[metric] || []).includes(expr)) report(where, `options.thresholds has no ${metric} threshold "${expr}" (following the environment)`);
  }
  return scenarioName;
}

function trendValues(values, stats) {
  const v = values.slice().sort((a, b) => a - b);
  const pct = (p) => (v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : 0);
  const out = {};
  for (const s of stats) {
    if (s === 'avg') out.avg = v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
    else if (s === 'min') out.min = v.length ? v[0] : 0;
    else if (s === 'max') out.max = v.length ? v[v.length - 1] : 0;
    else if (s === 'med') out.med = pct(50);
    else if (s === 'count') out.count = v.length;
    else { const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(s); if (m) out[s] = pct(parseFloat(m[1])); }
  }
  return out;
}

/** A handleSummary() argument shaped like k6's, from what the dry run recorded. */
function summaryData(options) {
  const stats = options.summaryTrendStats || ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  const secs = 10;
  const metrics = {};
  const put = (name, type, contains, values) => { metrics[name] = { type, contains, values }; };
  for (const [name, m] of state.metrics) {
    const vals = m.samples.map((s) => s.value);
    const contains = m.isTime ? 'time' : 'default';
    if (m.type === 'trend') put(name, 'trend', contains, trendValues(vals, stats));
    else if (m.type === 'counter') { const c = vals.reduce((a, b) => a + b, 0); put(name, 'counter', contains, { count: c, rate: c / secs }); }
    else if (m.type === 'rate') { const p = vals.filter((x) => x).length; put(name, 'rate', contains, { rate: vals.length ? p / vals.length : 0, passes: p, fails: vals.length - p }); }
    else put(name, 'gauge', contains, { value: vals[vals.length - 1] || 0, min: Math.min(0, ...vals), max: Math.max(0, ...vals) });
  }
  const reqs = state.requests;
  const failed = reqs.filter((r) => !r.expected).length;
  put('http_reqs', 'counter', 'default', { count: reqs.length, rate: reqs.length / secs });
  put('http_req_failed', 'rate', 'default', { rate: reqs.length ? failed / reqs.length : 0, passes: failed, fails: reqs.length - failed });
  put('http_req_duration', 'trend', 'time', trendValues(reqs.map((r) => r.duration), stats));
  put('data_sent', 'counter', 'data', (() => { const b = reqs.reduce((a, r) => a + r.bodyBytes, 0); return { count: b, rate: b / secs }; })());
  put('iterations', 'counter', 'default', { count: ITERATIONS, rate: ITERATIONS / secs });
  const checks = [...state.checks].map(([name, c], i) => ({ name, path: `::${name}`, id: String(i), passes: c.passes, fails: c.fails }));
  const cp = checks.reduce((a, c) => a + c.passes, 0);
  const cf = checks.reduce((a, c) => a + c.fails, 0);
  put('checks', 'rate', 'default', { rate: cp + cf ? cp / (cp + cf) : 0, passes: cp, fails: cf });
  for (const [key, list] of Object.entries(options.thresholds || {})) {
    const k = parseThresholdKey(key);
    if (!k) continue;
    if (!metrics[key]) metrics[key] = { ...(metrics[k.metric] || { type: metricType(k.metric), contains: 'default', values: {} }) };
    metrics[key].thresholds = Object.fromEntries(list.map((t) => [typeof t === 'string' ? t : t.threshold, { ok: true }]));
  }
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks },
    options: { summaryTrendStats: stats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: secs * 1000 },
    metrics,
  };
}

/** For a SyntaxError, Node reports file:line and the offending code only when it is uncaught. */
function syntaxLocation(file) {
  const child = spawnSync(process.execPath, ['--import', fileURLToPath(new URL('./register.mjs', import.meta.url)), file], {
    encoding: 'utf8', timeout: 30000, env: { ...process.env, NODE_OPTIONS: '' },
  });
  const lines = String(child.stderr || '').split('\n');
  const end = lines.findIndex((l) => /^SyntaxError/.test(l));
  return end > 0 ? lines.slice(0, end).filter((l) => l.trim() !== '').map((l) => `    ${l}`).join('\n') + '\n' : '';
}

function firstLines(err, n) {
  return String((err && err.stack) || err).split('\n').slice(0, n).map((l) => `    ${l}`).join('\n');
}

// ------------------------------------------------------------------ 2.-4. per scenario
const perScenario = {
  'create-and-patch': (where, reqs) => expectChunked(where, reqs),
  'parallel-large': (where, reqs) => expectChunked(where, reqs),
  'small-files': (where, reqs) => {
    const posts = reqs.filter((r) => r.method === 'POST');
    if (posts.length !== ITERATIONS) report(where, `expected one POST per iteration, got ${posts.length}`);
    if (posts.some((r) => r.bodyBytes !== Number(ENV.FILE_SIZE))) report(where, 'every POST must carry FILE_SIZE bytes (creation-with-upload)');
    if (reqs.some((r) => r.method === 'PATCH')) report(where, 'must not PATCH');
  },
  'resume': (where, reqs, variant) => {
    if (variant === 'timeout' && !reqs.some((r) => r.method === 'PATCH' && r.status === 0 && r.tags.tus_interrupted === 'true')) {
      report(where, 'no PATCH was aborted by the short INTERRUPT_TIMEOUT');
    }
    if (!reqs.some((r) => r.method === 'HEAD' && r.tags.tus_op === 'head_resume')) report(where, 'no HEAD after the interruption');
    if (variant === 'timeout' && !reqs.some((r) => r.method === 'PATCH' && r.status === 409 && r.expected)) {
      report(where, 'the stub answered a PATCH after the interruption with 409, and the script did not treat it as expected');
    }
    if (variant === 'partial' && reqs.some((r) => !r.expected)) report(where, 'INTERRUPT_MODE=partial must not fail any request');
  },
  'concatenation': (where, reqs) => {
    const partials = reqs.filter((r) => r.method === 'POST' && r.headers['Upload-Concat'] === 'partial');
    const finals = reqs.filter((r) => r.method === 'POST' && /^final;/.test(r.headers['Upload-Concat'] || ''));
    if (partials.length !== ITERATIONS * Number(ENV.PARTS)) report(where, `expected PARTS=${ENV.PARTS} partial uploads per iteration, got ${partials.length} in ${ITERATIONS}`);
    if (finals.length !== ITERATIONS || finals.some((r) => r.status !== 201)) report(where, 'expected one successful final concatenation per iteration');
  },
};

function expectChunked(where, reqs) {
  const size = Number(ENV.FILE_SIZE);
  const chunk = Number(ENV.CHUNK_SIZE);
  const patches = reqs.filter((r) => r.method === 'PATCH');
  if (patches.length !== ITERATIONS * Math.ceil(size / chunk)) report(where, `expected ${Math.ceil(size / chunk)} PATCHes per iteration, got ${patches.length} in ${ITERATIONS}`);
  if (patches.some((r) => r.bodyBytes > chunk)) report(where, 'a PATCH body is larger than CHUNK_SIZE');
  if (patches.some((r) => r.status !== 204)) report(where, 'a PATCH did not answer 204');
}

async function dryRun(where, mod, name, scenarioName, variant) {
  state.reset();
  state.scenarioName = scenarioName || 'default';
  for (let i = 0; i < ITERATIONS; i++) {
    globalThis.__ITER = i;
    state.iterationInTest = i;
    try {
      await mod.default();
    } catch (e) {
      report(where, `iteration ${i} threw:\n${firstLines(e, 6)}`);
      return;
    }
  }
  const reqs = state.requests;
  if (reqs.length === 0) report(where, 'the default function made no request');
  const failedChecks = [...state.checks].filter(([, c]) => c.fails > 0);
  for (const [n, c] of failedChecks) report(where, `check "${n}" failed ${c.fails} of ${c.passes + c.fails} times`);
  if (state.checks.size === 0) report(where, 'the default function ran no check');
  const unexpected = reqs.filter((r) => !r.expected && r.tags.tus_interrupted !== 'true');
  for (const r of unexpected.slice(0, 5)) report(where, `unexpected ${r.status} for ${r.method} ${r.url}`);
  if (reqs.some((r) => !r.tags.tus_op)) report(where, 'every request should carry a tus_op tag');
  const creates = state.metrics.get('tus_create_duration');
  if (!creates || creates.samples.length === 0) report(where, 'recorded no tus_create_duration sample');
  if (reqs.some((r) => r.method === 'PATCH' && r.status === 204)) {
    const patches = state.metrics.get('tus_patch_duration');
    if (!patches || patches.samples.length === 0) report(where, 'recorded no tus_patch_duration sample');
  }
  if (perScenario[name]) perScenario[name](where, reqs, variant);

  const summary = summaryData(mod.options || {});
  let out;
  try {
    out = mod.handleSummary(summary);
  } catch (e) {
    report(where, `handleSummary threw:\n${firstLines(e, 6)}`);
    return { reqs: reqs.length, checks: 0 };
  }
  if (!out || typeof out !== 'object') report(where, 'handleSummary must return an object');
  else {
    if (typeof out.stdout !== 'string' || out.stdout.trim() === '') report(where, 'handleSummary must return a text summary as `stdout`');
    if (typeof out[ENV.SUMMARY_JSON] !== 'string') report(where, `handleSummary must write JSON to SUMMARY_JSON (${ENV.SUMMARY_JSON})`);
    else {
      try {
        const back = JSON.parse(out[ENV.SUMMARY_JSON]);
        if (!back.metrics || !back.metrics.http_req_duration) report(where, 'the SUMMARY_JSON output is not the k6 summary');
      } catch (e) { report(where, `the SUMMARY_JSON output is not JSON: ${e.message}`); }
    }
  }
  return { reqs: reqs.length, checks: [...state.checks.values()].reduce((a, c) => a + c.passes + c.fails, 0) };
}

for (const f of existsSync(LIB_DIR) ? readdirSync(LIB_DIR).filter((x) => x.endsWith('.js')) : []) {
  try { await import(pathToFileURL(path.join(LIB_DIR, f)).href); } catch (e) { const loc = e instanceof SyntaxError ? syntaxLocation(path.join(LIB_DIR, f)) : ''; report(`lib/${f}`, `does not load:\n${loc}${firstLines(e, loc ? 1 : 8)}`); }
}

const runs = files.map((n) => ({ name: n, variant: null, env: {} }));
if (files.includes('resume')) {
  runs.find((r) => r.name === 'resume').variant = 'timeout';
  runs.push({ name: 'resume', variant: 'partial', env: { INTERRUPT_MODE: 'partial' } });
}

const lines = [];
for (const run of runs) {
  const where = `scenarios/${run.name}.js` + (run.variant === 'partial' ? ' (INTERRUPT_MODE=partial)' : '');
  const before = problems.length;
  globalThis.__ENV = { ...ENV, ...run.env };
  let mod;
  try {
    const url = pathToFileURL(path.join(SCENARIO_DIR, `${run.name}.js`)).href + (run.variant ? `?variant=${run.variant}` : '');
    mod = await import(url);
  } catch (e) {
    const loc = e instanceof SyntaxError ? syntaxLocation(path.join(SCENARIO_DIR, `${run.name}.js`)) : '';
    report(where, `does not load:\n${loc}${firstLines(e, loc ? 1 : 8)}`);
    lines.push(`FAIL ${where}`);
    continue;
  }
  let ok = true;
  if (typeof mod.default !== 'function') { report(where, 'must export a default function'); ok = false; }
  if (typeof mod.handleSummary !== 'function') { report(where, 'must export handleSummary'); ok = false; }
  const scenarioName = checkOptions(where, mod.options);
  let stats = null;
  if (ok) stats = await dryRun(where, mod, run.name, scenarioName, run.variant);
  const th = mod.options && mod.options.thresholds ? Object.keys(mod.options.thresholds).length : 0;
  lines.push(`${problems.length === before ? 'ok  ' : 'FAIL'} ${where}: ${th} thresholds` +
    (stats ? `, dry run ${ITERATIONS} iterations, ${stats.reqs} requests, ${stats.checks} checks` : ''));
}
globalThis.__ENV = { ...ENV };

console.log(lines.join('\n'));
if (problems.length) {
  console.error(`\nk6 check FAILED (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`k6 check passed: ${files.length} scenarios match scenarios.json${driverNote} (${listed.join(', ')})`);
