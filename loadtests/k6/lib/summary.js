// handleSummary helpers: the full k6 summary as JSON to SUMMARY_JSON, and a compact text summary
// to stdout. Self-contained (no jslib download), so it works in clusters without internet access.

function fmtNumber(v, contains) {
  if (typeof v !== 'number' || !isFinite(v)) return String(v);
  if (contains === 'time') {
    if (v >= 1000) return (v / 1000).toFixed(2) + 's';
    if (v >= 1) return v.toFixed(2) + 'ms';
    return (v * 1000).toFixed(2) + 'µs';
  }
  if (contains === 'data') {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return v.toFixed(i === 0 ? 0 : 2) + ' ' + units[i];
  }
  return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/\.?0+$/, '');
}

function describeMetric(m, trendStats) {
  const v = m.values || {};
  switch (m.type) {
    case 'trend':
      return trendStats.filter((s) => v[s] !== undefined)
        .map((s) => `${s}=${s === 'count' ? v[s] : fmtNumber(v[s], m.contains)}`).join(' ');
    case 'rate':
      return `${(100 * (v.rate || 0)).toFixed(2)}% (${v.passes || 0} true, ${v.fails || 0} false)`;
    case 'counter':
      return `${fmtNumber(v.count, m.contains)} (${fmtNumber(v.rate, m.contains)}/s)`;
    case 'gauge':
      return `${fmtNumber(v.value, m.contains)} (min ${fmtNumber(v.min, m.contains)}, max ${fmtNumber(v.max, m.contains)})`;
    default:
      return JSON.stringify(v);
  }
}

function collectChecks(group, out) {
  if (!group) return out;
  (group.checks || []).forEach((c) => out.push(c));
  (group.groups || []).forEach((g) => collectChecks(g, out));
  return out;
}

/** A plain-text summary: thresholds first, then checks, then metrics. */
export function textSummary(data, title) {
  const lines = [];
  const metrics = data.metrics || {};
  const trendStats = (data.options && data.options.summaryTrendStats) || ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  const ms = data.state && data.state.testRunDurationMs;
  lines.push('');
  lines.push(`== ${title}` + (ms ? ` (ran ${(ms / 1000).toFixed(1)}s)` : ''));

  lines.push('', 'thresholds:');
  let failed = 0;
  const names = Object.keys(metrics).sort();
  names.forEach((name) => {
    const th = metrics[name].thresholds || {};
    Object.keys(th).forEach((expr) => {
      const ok = th[expr].ok;
      if (!ok) failed++;
      lines.push(`  ${ok ? 'PASS' : 'FAIL'}  ${name}: ${expr}   [${describeMetric(metrics[name], trendStats)}]`);
    });
  });

  const checks = collectChecks(data.root_group, []);
  lines.push('', 'checks:');
  if (checks.length === 0) lines.push('  (none ran)');
  checks.forEach((c) => {
    const total = c.passes + c.fails;
    lines.push(`  ${c.fails === 0 ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.passes}/${total}`);
  });

  lines.push('', 'metrics:');
  const width = names.reduce((w, n) => Math.max(w, n.length), 0);
  names.forEach((name) => {
    lines.push(`  ${name}${' '.repeat(width - name.length)}  ${describeMetric(metrics[name], trendStats)}`);
  });
  lines.push('', failed === 0 ? 'result: all thresholds passed' : `result: ${failed} threshold(s) FAILED`, '');
  return lines.join('\n');
}

/** The object handleSummary returns: text to stdout, JSON to cfg.summaryJson. */
export function summaryOutputs(data, cfg) {
  const out = { stdout: textSummary(data, `tus ${cfg.scenario} against ${cfg.baseUrl}`) };
  out[cfg.summaryJson] = JSON.stringify(data, null, 2);
  return out;
}
