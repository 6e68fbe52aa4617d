// Bundles the demo page into dist/ (index.html, demo/demo.js, demo/demo.css); the service serves dist/.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist/demo', { recursive: true });
await build({
  entryPoints: { demo: 'src/demo.js' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  outdir: 'dist/demo',
  logLevel: 'warning',
});
await copyFile('src/index.html', 'dist/index.html');
