// Module resolution hooks: 'k6' and 'k6/*' resolve to the stubs in ./stubs, remote imports are
// refused (the scripts must run offline), and .js files of the k6 tree load as ES modules.
const STUBS = {
  'k6': 'k6.mjs',
  'k6/http': 'http.mjs',
  'k6/crypto': 'crypto.mjs',
  'k6/metrics': 'metrics.mjs',
  'k6/execution': 'execution.mjs',
  'k6/data': 'data.mjs',
  'k6/encoding': 'encoding.mjs',
};
const K6_ROOT = new URL('../', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const file = specifier === 'k6/http' && process.env.K6_CHECK_LIVE === '1' ? 'http-live.mjs' : STUBS[specifier];
    if (!file) throw new Error(`no stub for "${specifier}" (imported by ${context.parentURL}); add one to loadtests/k6/check/stubs`);
    return { url: new URL(`./stubs/${file}`, import.meta.url).href, shortCircuit: true };
  }
  if (/^https?:\/\//.test(specifier)) {
    throw new Error(`remote import "${specifier}" in ${context.parentURL}: the scripts must not need the internet`);
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith(K6_ROOT) && !url.startsWith(new URL('./', import.meta.url).href) && /\.js(\?.*)?$/.test(url)) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
