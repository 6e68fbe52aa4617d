// Shared state of the k6 stubs: what the scripts did during a dry run. Not part of k6.
export const state = globalThis.__k6stub || (globalThis.__k6stub = {
  checks: new Map(),      // name -> { passes, fails }
  metrics: new Map(),     // name -> { type, isTime, samples: [{ value, tags }] }
  requests: [],           // { method, url, status, expected, tags, bodyBytes, duration, error }
  uploads: new Map(),     // fake tus server: url -> upload
  nextId: 1,
  scenarioName: 'default',
  iterationInTest: 0,
  reset() {
    this.checks.clear();
    this.requests.length = 0;
    this.uploads.clear();
    for (const m of this.metrics.values()) m.samples.length = 0;
  },
});
