#!/usr/bin/env node
// Re-creates the curated crops of this package from the full data sets in ../shared/data.
// Usage: node scripts/curate.mjs [/work/shared/data]
// Deterministic: the same source data gives the same selection (sorted names, evenly spaced picks).
import fs from 'node:fs';
import path from 'node:path';

const source = process.argv[2] ?? '/work/shared/data';
const pkg = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Meters (all from the `train` split) with white-on-black mechanical drums and one crop size each. */
const METERS = [
  { id: 'iotson-emeter1', dir: 'images/collected/powermeter/unknown/iotson/emeter1', size: '24x44' },
  { id: 'jomjol-20220606', dir: 'images/jomjol_update_20220608/labeled_20220606', size: '21x41' },
  { id: 'iskra-t3f-2025', dir: 'images/collected/powermeter/ISKRA.T3F-01S1_20250630', size: '67x80' },
];
const PER_METER_AND_VALUE = 3;
const NEEDLES_PER_BAND = 10;
const NEEDLE_SIZE = '94x94';

function readCsv(file) {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [cols[i], v])));
}

function spread(list, n) {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

const digitRows = readCsv(path.join(source, 'meter-digits/manifest.csv'));
const out = [['file', 'value', 'meter', 'source']];
fs.rmSync(path.join(pkg, 'digits'), { recursive: true, force: true });
for (const meter of METERS) {
  const [w, h] = meter.size.split('x');
  const rows = digitRows
    .filter((r) => r.split === 'train' && r.label_kind === 'tenth' && r.width === w && r.height === h)
    .filter((r) => r.relpath.startsWith(meter.dir + '/'))
    .sort((a, b) => a.relpath.localeCompare(b.relpath));
  fs.mkdirSync(path.join(pkg, 'digits', meter.id), { recursive: true });
  for (let t = 0; t < 100; t++) {
    const value = (t / 10).toFixed(1);
    const candidates = rows.filter((r) => Number(r.value).toFixed(1) === value);
    for (const r of spread(candidates, PER_METER_AND_VALUE)) {
      const name = path.basename(r.relpath);
      const target = path.join(pkg, 'digits', meter.id, name);
      if (fs.existsSync(target)) continue; // same name in two date folders: keep the first
      fs.copyFileSync(path.join(source, 'meter-digits', r.relpath), target);
      out.push([`digits/${meter.id}/${name}`, value, meter.id, `meter-digits/${r.relpath}`]);
    }
  }
}
fs.copyFileSync(path.join(source, 'meter-digits/LICENSE'), path.join(pkg, 'digits/LICENSE'));

const needleRows = readCsv(path.join(source, 'needles/manifest.csv'))
  .filter((r) => `${r.width}x${r.height}` === NEEDLE_SIZE)
  .sort((a, b) => a.relpath.localeCompare(b.relpath));
fs.rmSync(path.join(pkg, 'needles'), { recursive: true, force: true });
fs.mkdirSync(path.join(pkg, 'needles'), { recursive: true });
for (let band = 0; band < 10; band++) {
  const candidates = needleRows.filter((r) => Math.floor(Number(r.value)) === band);
  for (const r of spread(candidates, NEEDLES_PER_BAND)) {
    const name = path.basename(r.relpath);
    fs.copyFileSync(path.join(source, 'needles', r.relpath), path.join(pkg, 'needles', name));
    out.push([`needles/${name}`, Number(r.value).toFixed(1), `needle-${r.pointer}`, `needles/${r.relpath}`]);
  }
}
fs.copyFileSync(path.join(source, 'needles/LICENSE'), path.join(pkg, 'needles/LICENSE'));
fs.writeFileSync(path.join(pkg, 'manifest.csv'), out.map((r) => r.join(',')).join('\n') + '\n');
console.log(`${out.length - 1} files`);
