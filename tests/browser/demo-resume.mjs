// Uploads a file through the demo page in Debian's chromium, reloads the page mid-upload, adds the same
// file again and checks that the upload resumed (its first PATCH after the reload starts past zero, so
// fewer bytes than the file's size were sent again) and that the download equals the file.
// Usage: DEMO_URL=http://127.0.0.1:8080/ node demo-resume.mjs   (prints one JSON line; exit 1 on failure)
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const MiB = 1024 * 1024;
const SIZE = 24 * MiB + 12_345;
const base = process.env.DEMO_URL ?? assert.fail('DEMO_URL is not set');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function until(what, condition, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function serverOffset(url) {
  const res = await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  return res.ok ? Number(res.headers.get('Upload-Offset')) : -1;
}

const directory = await mkdtemp(join(tmpdir(), 'demo-resume-'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const data = randomBytes(SIZE);
  const file = join(directory, 'demo-upload.bin');
  await writeFile(file, data);

  const page = await browser.newPage();
  // A slow uplink, so that the reload lands in the middle of the upload.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });

  const requests = [];
  let phase = 'before';
  page.on('request', (r) => requests.push({ phase, method: r.method(), url: r.url(), offset: r.headers()['upload-offset'] }));

  await page.goto(base);
  await page.locator('input.uppy-Dashboard-input').first().setInputFiles(file);
  const uploadUrl = await until('the upload URL in localStorage', () => page.evaluate(() =>
    Object.entries(localStorage).filter(([k]) => k.startsWith('tus::')).map(([, v]) => JSON.parse(v).uploadUrl)[0]));
  const sentBefore = await until('a quarter of the file sent', () => page.evaluate((quarter) => {
    const sent = window.uppy.getFiles()[0]?.progress?.bytesUploaded ?? 0;
    return sent >= quarter ? sent : 0;
  }, SIZE / 4));

  phase = 'after';
  await page.reload();
  // The cut PATCH commits what reached the server; the same file added again resumes from there.
  const offsetBefore = await until('the cut upload to be committed', async () => {
    const offset = await serverOffset(uploadUrl);
    return offset > 0 ? offset : 0;
  });
  assert.ok(offsetBefore < SIZE, 'the upload finished before the page was reloaded');
  await page.locator('input.uppy-Dashboard-input').first().setInputFiles(file);
  const href = await until('the download link', async () => {
    const link = page.locator('a.download-link');
    return (await link.count()) > 0 ? link.first().getAttribute('href') : null;
  }, 120_000);

  const after = requests.filter((r) => r.phase === 'after');
  const patches = after.filter((r) => r.method === 'PATCH');
  assert.equal(after.filter((r) => r.method === 'POST').length, 0, 'after the reload no new upload may be created');
  assert.ok(patches.length > 0, 'after the reload the upload must continue with PATCH');
  const resumedAt = Number(patches[0].offset);
  assert.ok(resumedAt > 0, `the first PATCH after the reload started at ${resumedAt}`);
  assert.equal(new URL(href, base).href, uploadUrl, 'the download link is the resumed upload');

  const download = Buffer.from(await (await fetch(new URL(href, base))).arrayBuffer());
  assert.equal(sha256(download), sha256(data), 'the download differs from the file');
  console.log(JSON.stringify({ ok: true, size: SIZE, sentBefore, offsetBefore, resumedAt, bytesSentAfterReload: SIZE - resumedAt }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e?.stack ?? e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
  await rm(directory, { recursive: true, force: true });
}
