// Stub of the 'k6' module: check, group, sleep, fail, randomSeed.
import { state } from './state.mjs';

export function check(val, sets, tags) {
  if (sets === null || typeof sets !== 'object') throw new TypeError('check(): the second argument must be an object of checks');
  if (tags !== undefined && (tags === null || typeof tags !== 'object')) throw new TypeError('check(): tags must be an object');
  let all = true;
  for (const name of Object.keys(sets)) {
    const c = sets[name];
    const ok = typeof c === 'function' ? !!c(val) : !!c;
    const entry = state.checks.get(name) || { passes: 0, fails: 0 };
    if (ok) entry.passes++; else entry.fails++;
    state.checks.set(name, entry);
    all = all && ok;
  }
  return all;
}

export function group(name, fn) {
  if (typeof name !== 'string' || typeof fn !== 'function') throw new TypeError('group(name, fn)');
  return fn();
}

export function sleep(seconds) {
  if (typeof seconds !== 'number' || !(seconds >= 0)) throw new TypeError(`sleep(): expected seconds >= 0, got ${seconds}`);
}

export function fail(message) {
  throw new Error(message);
}

export function randomSeed() {}

export default { check, group, sleep, fail, randomSeed };
