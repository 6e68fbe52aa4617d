// Stub of 'k6/execution'.
import { state } from './state.mjs';

const exec = {
  get vu() {
    return {
      idInTest: globalThis.__VU, idInInstance: globalThis.__VU,
      iterationInInstance: globalThis.__ITER, iterationInScenario: globalThis.__ITER,
      tags: {}, metrics: { tags: {}, metadata: {} },
    };
  },
  get scenario() {
    return {
      name: state.scenarioName, executor: 'ramping-vus', startTime: Date.now(), progress: 0,
      iterationInInstance: state.iterationInTest, iterationInTest: state.iterationInTest,
    };
  },
  get instance() {
    return { iterationsCompleted: 0, iterationsInterrupted: 0, vusActive: 1, vusInitialized: 1, currentTestRunDuration: 0 };
  },
  test: {
    abort(message) { throw new Error(`test aborted: ${message || ''}`); },
    options: {},
  },
};

export const vu = exec.vu;
export const scenario = exec.scenario;
export const instance = exec.instance;
export const test = exec.test;
export default exec;
