// Screenshots of portal pages with Debian's chromium (apt-get install -y chromium), for looking at.
// Usage: tsx apps/web/scripts/screenshot.ts BASE_URL OUT_DIR PATH… [--width 1280]
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { width: { type: 'string', default: '1280' }, height: { type: 'string', default: '900' } },
});
const [base, out, ...pages] = positionals;
if (!base || !out || pages.length === 0) {
  console.error('usage: screenshot.ts BASE_URL OUT_DIR PATH… [--width 1280]');
  process.exit(2);
}
await mkdir(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage({
    viewport: { width: Number(values.width), height: Number(values.height) },
  });
  for (const p of pages) {
    const response = await page
      .goto(new URL(p, base).toString(), { waitUntil: 'networkidle' })
      .catch(async () => null);
    const file = path.join(
      out,
      `${p.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'root'}-${values.width}.png`,
    );
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${response?.status() ?? '?'} ${p} → ${file}`);
  }
} finally {
  await browser.close();
}
