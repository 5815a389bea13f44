// pnpm bench:adapt [--data DIR] [--labels N] [--steps N]: per-meter adapters on meters the base model never
// trained on (the val meters of the shared data). For each: N crops spread over the meter's life are its
// labels (adaptRecognizer holds every fifth back), the rest of the meter is read by the base and the
// adapted model. Prints one JSON object per meter and the pooled figures, and what the platform would do
// with that run: the model it reads with (adapterVerdict), the meter's threshold (meterThreshold on that
// model's held-back answers) and trust (decideTrust), and the rest of the meter wrong at that threshold.
// (A root bench: it joins the recognizer with the platform's rules in @metertwin/readings and recognize.)
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decideTrust, meterThreshold } from '@metertwin/readings';
import { adaptRecognizer, DEFAULT_DIGIT_DATA, isTolerantHit, loadDigitClassifier, REVIEW_THRESHOLD, scanDigitFolder } from '@metertwin/recognizer';
import { digitsDir } from '@metertwin/sample-data';
import { adapterVerdict } from '../../apps/recognize/src/adapter-verdict.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, labels: { type: 'string' }, steps: { type: 'string' } } });
const data = path.resolve(values.data ?? DEFAULT_DIGIT_DATA);
const labels = Number(values.labels ?? 25);
const steps = values.steps === undefined ? undefined : Number(values.steps);
const { samples } = await scanDigitFolder(data);
const meters = [...new Set(samples.filter((s) => s.split === 'val').map((s) => s.meter))].sort();
const work = await mkdtemp(path.join(tmpdir(), 'metertwin-bench-adapt-'));
const base = await loadDigitClassifier();
// A review labels every drum of one photo: the labels are counted as coming from this many drums a reading.
const DRUMS_PER_READING = 5;
const pooled = { n: 0, base: 0, adapted: 0, baseWrongConfident: 0, adaptedWrongConfident: 0, inUse: 0, inUseWrongAtThreshold: 0, inUseAtThreshold: 0 };
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
    const report = await adaptRecognizer({ kind: 'digits', dataDir: dir, outDir: out, replayDirs: [digitsDir], steps });
    const seconds = (Date.now() - started) / 1000;
    const rest = own.filter((_, k) => !picked.has(k));
    const adapted = await loadDigitClassifier(out);
    const files = rest.map((s) => path.join(data, s.relpath));
    // What the platform does with this run: the model it reads the meter with, that model's threshold
    // and trust, all from the held-back labels (as recognize's AdaptHandler decides them).
    const verdict = adapterVerdict(report);
    const heldBack = verdict.promote ? report.heldBack.adapted : report.heldBack.base;
    const readings = Math.ceil(labels / DRUMS_PER_READING);
    const threshold = meterThreshold(heldBack.answers, readings, REVIEW_THRESHOLD);
    const trust = decideTrust(heldBack, readings);
    const minConfidence = threshold.minConfidence ?? REVIEW_THRESHOLD;
    const score = async (classifier: typeof base) => {
      const predictions = await classifier.classify(files);
      let right = 0;
      let wrongConfident = 0;
      let atThreshold = 0;
      let wrongAtThreshold = 0;
      predictions.forEach((p, i) => {
        const hit = isTolerantHit(rest[i]!.value, p.digit);
        if (hit) right++;
        else if (p.confidence >= REVIEW_THRESHOLD) wrongConfident++;
        if (p.confidence >= minConfidence) {
          atThreshold++;
          if (!hit) wrongAtThreshold++;
        }
      });
      return { right, wrongConfident, atThreshold, wrongAtThreshold };
    };
    const b = await score(base);
    const a = await score(adapted);
    adapted.dispose();
    const inUse = verdict.promote ? a : b;
    pooled.inUse += inUse.right;
    pooled.inUseAtThreshold += inUse.atThreshold;
    pooled.inUseWrongAtThreshold += inUse.wrongAtThreshold;
    pooled.n += rest.length;
    pooled.base += b.right;
    pooled.adapted += a.right;
    pooled.baseWrongConfident += b.wrongConfident;
    pooled.adaptedWrongConfident += a.wrongConfident;
    const share = (k: number) => Math.round((k / rest.length) * 10_000) / 10_000;
    console.log(
      JSON.stringify({ meter, labels, rest: rest.length, base: share(b.right), adapted: share(a.right), baseWrongConfident: b.wrongConfident, adaptedWrongConfident: a.wrongConfident, better: report.better, seconds,
        platform: {
          readsWith: verdict.promote ? 'adapter' : 'base',
          right: share(inUse.right),
          threshold: minConfidence,
          thresholdReason: threshold.reason,
          atThreshold: share(inUse.atThreshold),
          wrongAtThreshold: inUse.wrongAtThreshold,
          trust: trust.trust,
          trustReason: trust.reason,
        },
      }),
    );
  }
  const share = (k: number) => Math.round((k / pooled.n) * 10_000) / 10_000;
  console.log(JSON.stringify({ pooled: { n: pooled.n, base: share(pooled.base), adapted: share(pooled.adapted), baseWrongConfident: pooled.baseWrongConfident, adaptedWrongConfident: pooled.adaptedWrongConfident, platform: { right: share(pooled.inUse), atThreshold: share(pooled.inUseAtThreshold), wrongAtThreshold: pooled.inUseWrongAtThreshold } } }));
} finally {
  base.dispose();
  await rm(work, { recursive: true, force: true });
}
