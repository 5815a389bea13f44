// pnpm bench:photos DIR [--meter meter.json]
// Reads every photo in DIR named by its reading (`530.07077.jpg` = 00530 on the drums, then one
// digit per pointer dial) with the built command line (`metertwin read`), once with --meter and once
// without (counter detection), and compares with the file names: integer part right, accepted,
// wrong-but-accepted, and the dials within ±0.2 of the reading the name implies. The photos are not
// in the repo: real photos whose licence allows it belong in @metertwin/sample-data, others are
// measured from a local copy (see packages/vision/README.md, "Real photos").
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { meter: { type: 'string' } } });
const [dir] = positionals;
if (!dir) {
  process.stderr.write('usage: pnpm bench:photos DIR [--meter meter.json]\n');
  process.exit(2);
}
const cli = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = promisify(execFile);
const READING = /^(\d+)\.(\d+)\.(jpe?g|png)$/i;

interface Read {
  value?: string;
  status?: string;
  dials?: { value: number }[];
}

async function read(photo: string, meter?: string): Promise<Read> {
  const args = [cli, 'read', photo, ...(meter ? ['--meter', meter] : [])];
  // read exits 2 for review and for "no window found": the JSON on stdout says which.
  const stdout = await run(process.execPath, args).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '{}',
  );
  return JSON.parse(stdout) as Read;
}

/** Where each dial should stand: its digit plus a tenth of the next one (dial x0.1 of .07077 → 0.7). */
function dialTruth(fraction: string, dials: number): number[] {
  return Array.from(
    { length: dials },
    (_, i) => Number(fraction[i] ?? 0) + Number(fraction[i + 1] ?? 0) / 10,
  );
}

const turnDistance = (a: number, b: number) => Math.min(Math.abs(a - b) % 10, 10 - (Math.abs(a - b) % 10));

const photos = readdirSync(dir)
  .filter((name) => READING.test(name))
  .sort();
for (const [label, meter] of [
  ['with --meter', values.meter],
  ['without a layout', undefined],
] as const) {
  if (label === 'with --meter' && !meter) continue;
  let readCount = 0;
  let integerRight = 0;
  let accepted = 0;
  let wrongAccepted = 0;
  let dialsNear = 0;
  let dialsRead = 0;
  for (const name of photos) {
    const [, integer, fraction] = READING.exec(name)!;
    const result = await read(path.join(dir, name), meter);
    const integerOk = result.value !== undefined && Number(result.value.split('.')[0]) === Number(integer);
    if (result.value !== undefined) readCount++;
    if (integerOk) integerRight++;
    if (result.status === 'accepted') {
      accepted++;
      if (!integerOk) wrongAccepted++;
    }
    const dials = result.dials ?? [];
    const truth = dialTruth(fraction!, dials.length);
    dialsRead += dials.length;
    dialsNear += dials.filter((d, i) => turnDistance(d.value, truth[i]!) <= 0.2).length;
    process.stdout.write(
      `${label}  ${name}: ${result.value ?? 'no reading'} ${result.status ?? ''} ${result.value === undefined || integerOk ? '' : 'INTEGER WRONG '}dials ${dials.map((d) => d.value).join(',')} (name: ${truth.map((t) => t.toFixed(1)).join(',')})\n`,
    );
  }
  process.stdout.write(
    `${label}: ${photos.length} photos, ${readCount} read, integer right ${integerRight}, accepted ${accepted}, wrong accepted ${wrongAccepted}, dials within ±0.2 ${dialsNear}/${dialsRead}\n`,
  );
}
