// Stub of 'k6/metrics': Trend, Counter, Rate, Gauge, recording samples for the check.
import { state } from './state.mjs';

const NAME = /^[\p{L}\p{N}._!?/&#()<>%-]{1,128}$/u;

class Metric {
  constructor(type, name, isTime) {
    if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
    const existing = state.metrics.get(name);
    if (existing && existing.type !== type) throw new Error(`metric "${name}" already registered as a ${existing.type}`);
    if (!existing) state.metrics.set(name, { type, isTime: !!isTime, samples: [] });
    this.name = name;
    this.type = type;
  }

  add(value, tags) {
    if (typeof value === 'boolean') value = value ? 1 : 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${this.name}.add(): not a finite number: ${value}`);
    if (tags !== undefined && tags !== null) {
      if (typeof tags !== 'object') throw new TypeError(`${this.name}.add(): tags must be an object`);
      for (const [k, v] of Object.entries(tags)) {
        if (typeof v !== 'string') throw new TypeError(`${this.name}.add(): tag ${k} must be a string`);
      }
    }
    state.metrics.get(this.name).samples.push({ value, tags: tags || {} });
    return true;
  }
}

export class Trend extends Metric { constructor(name, isTime) { super('trend', name, isTime); } }
export class Counter extends Metric { constructor(name, isTime) { super('counter', name, isTime); } }
export class Rate extends Metric { constructor(name, isTime) { super('rate', name, isTime); } }
export class Gauge extends Metric { constructor(name, isTime) { super('gauge', name, isTime); } }

export default { Trend, Counter, Rate, Gauge };
