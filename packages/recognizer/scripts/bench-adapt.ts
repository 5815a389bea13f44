// pnpm bench:adapt [--data DIR] [--labels N] [--steps N]: per-meter adapters on meters the base model never
// trained on (the val meters of the shared data). For each: N crops spread over the meter's life are its
// labels (adaptRecognizer holds every fifth back), the rest of the meter is read by the base and the
// adapted model. Prints one JSON object per meter and the pooled figures.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { adaptRecognizer } from '../src/adapt.js';
import { loadDigitClassifier } from '../src/classifier.js';
import { DEFAULT_DIGIT_DATA, REPO_ROOT, scanDigitFolder } from '../src/dataset.js';
import { isTolerantHit } from '../src/metrics.js';
import { REVIEW_THRESHOLD } from '../src/score.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, labels: { type: 'string' }, steps: { type: 'string' } } });
const data = path.resolve(values.data ?? DEFAULT_DIGIT_DATA);
const labels = Number(values.labels ?? 25);
const steps = values.steps === undefined ? undefined : Number(values.steps);
const { samples } = await scanDigitFolder(data);
const meters = [...new Set(samples.filter((s) => s.split === 'val').map((s) => s.meter))].sort();
const work = await mkdtemp(path.join(tmpdir(), 'metertwin-bench-adapt-'));
const base = await loadDigitClassifier();
const pooled = { n: 0, base: 0, adapted: 0, baseWrongConfident: 0, adaptedWrongConfident: 0 };
try {
  for (const meter of meters) {
    const own = samples.filter((s) => s.meter === meter);
    const step = own.length / labels;
    const picked = new Set(Array.from({ length: labels }, (_, k) => Math.floor(k * step)));
    const dir = path.join(work, meter.replace(/\W+/g, '_'));
    await mkdir(dir, { recursive: true });
    await Promise.all([...picked].map((k) => copyFile(path.join(data, own[k]!.relpath), path.join(dir, `${own[k]!.value.toFixed(1)}_${k}${path.extname(own[k]!.relpath)}`))));
    const out = `${dir}-model`;
    const started = Date.now();
    const report = await adaptRecognizer({ kind: 'digits', dataDir: dir, outDir: out, replayDirs: [path.join(REPO_ROOT, 'packages/sample-data/digits')], steps });
    const seconds = (Date.now() - started) / 1000;
    const rest = own.filter((_, k) => !picked.has(k));
    const adapted = await loadDigitClassifier(out);
    const files = rest.map((s) => path.join(data, s.relpath));
    const score = async (classifier: typeof base) => {
      const predictions = await classifier.classify(files);
      let right = 0;
      let wrongConfident = 0;
      predictions.forEach((p, i) => {
        if (isTolerantHit(rest[i]!.value, p.digit)) right++;
        else if (p.confidence >= REVIEW_THRESHOLD) wrongConfident++;
      });
      return { right, wrongConfident };
    };
    const b = await score(base);
    const a = await score(adapted);
    adapted.dispose();
    pooled.n += rest.length;
    pooled.base += b.right;
    pooled.adapted += a.right;
    pooled.baseWrongConfident += b.wrongConfident;
    pooled.adaptedWrongConfident += a.wrongConfident;
    const share = (k: number) => Math.round((k / rest.length) * 10_000) / 10_000;
    console.log(JSON.stringify({ meter, labels, rest: rest.length, base: share(b.right), adapted: share(a.right), baseWrongConfident: b.wrongConfident, adaptedWrongConfident: a.wrongConfident, better: report.better, seconds }));
  }
  const share = (k: number) => Math.round((k / pooled.n) * 10_000) / 10_000;
  console.log(JSON.stringify({ pooled: { n: pooled.n, base: share(pooled.base), adapted: share(pooled.adapted), baseWrongConfident: pooled.baseWrongConfident, adaptedWrongConfident: pooled.adaptedWrongConfident } }));
} finally {
  base.dispose();
  await rm(work, { recursive: true, force: true });
}
