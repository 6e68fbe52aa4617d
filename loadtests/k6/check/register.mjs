// `node --import ./loadtests/k6/check/register.mjs some-k6-script.js` runs a k6 script's module
// (parse, link, top-level code) under Node with the k6 stubs. check.mjs imports it too.
import { register } from 'node:module';
import './stubs/globals.mjs';

register('./hooks.mjs', import.meta.url);
