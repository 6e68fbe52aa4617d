// k6 globals for running k6 scripts under Node: __ENV, __VU, __ITER, open().
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

if (globalThis.__ENV === undefined) globalThis.__ENV = {};
if (globalThis.__VU === undefined) globalThis.__VU = 1;
if (globalThis.__ITER === undefined) globalThis.__ITER = 0;
if (globalThis.open === undefined) {
  // k6's open(path, mode): the file's text, or an ArrayBuffer with mode 'b'.
  globalThis.open = function open(path, mode) {
    const data = readFileSync(resolve(process.cwd(), String(path)));
    if (mode === 'b') return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    return data.toString('utf8');
  };
}
