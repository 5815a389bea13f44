// pnpm bench:readings [--frames 1000] [--length 25] [--seed 1] [--min-confidence 0.9] [--workers 1] [--model DIR]
//                     [--digits DIR] [--pointers DIR] [--dials 3] [--drive mixed] [--show-wrong] [--sequence K] [--turned] [--known-drive]
// Sequences of composed frames of one camera each, advancing through drum rollovers (some through the
// counter's wrap at 99999.999, some at night as infrared frames), read by the real pipeline: vision
// crops → the committed digit and pointer models → assembleValue → evaluateReading with the sequence's
// history, as the recognize service keeps it. Printed for the pipeline and for a naive reader that joins
// the drums' integer digits: the share of readings right, wrong (and, for the pipeline, wrong AND
// accepted), sent to review, rejected, and the photos sent to review because their drums contradict
// each other mechanically (packages/readings drive.ts).
//
// The photos are composed from crops of meters the models never trained on: the val meters of
// ../shared/data/meter-digits and the val pointer (zeiger4) of ../shared/data/needles, unless
// --digits/--pointers name other folders (every crop in them is used). Half the sequences turn their
// drums continuously, half by jumps (--drive); every fourth sequence has --dials pointer dials after
// one red drum (5+1+N), the others 5 black and 3 red drums.
//
// "Right" means the value is one of the two the counter stands between: the last drum turns
// continuously, so 1234.5678 may be read 1234.567 or 1234.568; anything further off is wrong.
//
// --turned: every camera is mounted beside its meter, the counter turned anywhere (-180..180°) and
// tilted up to 10 %, every other one white on black; the layouts mark the window as a quad.
//
// Each sequence draws from its own seeded generator, so `--workers N` (child processes taking every
// N-th sequence) reads exactly the frames one process would, N times faster on N cores.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KINDS, loadDigitClassifier, PointerReader, scanDigitFolder, type RecognizerKind } from '@metertwin/recognizer';
import { composeMeter, createRng, type ComposeOptions, type Mount } from '@metertwin/composer';
import { cropDigits, ImageRejectedError } from '@metertwin/vision';
import {
  assembleValue,
  DEFAULT_MIN_CONFIDENCE,
  evaluateReading,
  ReadingRulesSchema,
  withPointers,
  type CounterShape,
  type ReadingHistory,
} from '../src/index.js';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000' },
    length: { type: 'string', default: '25' },
    seed: { type: 'string', default: '1' },
    /** readingRules.minConfidence (the service's MIN_DIGIT_CONFIDENCE): the review/accept trade-off. */
    'min-confidence': { type: 'string', default: String(DEFAULT_MIN_CONFIDENCE) },
    workers: { type: 'string', default: '1' },
    /** A digit model folder other than the committed one, to compare models. */
    model: { type: 'string' },
    /** Digit crops to compose from (default: the val meters of ../shared/data/meter-digits). */
    digits: { type: 'string' },
    /** Pointer crops for the dials (default: the val pointer of ../shared/data/needles). */
    pointers: { type: 'string' },
    /** Pointer dials of every fourth sequence (0: drums only). */
    dials: { type: 'string', default: '3' },
    /** How the composed counters turn their drums: jump, continuous or mixed (alternating by sequence). */
    drive: { type: 'string', default: 'mixed' },
    /** Internal: the worker's share, "k/N" (sequences k, k+N, k+2N, …). */
    shard: { type: 'string' },
    /** Read only sequence K (0-based, as --show-wrong names it) and print every frame of it. */
    sequence: { type: 'string' },
    /** Print each wrong accepted reading to stderr, with its drums, to see why. */
    'show-wrong': { type: 'boolean', default: false },
    /** Counters turned anywhere and tilted (see above). */
    turned: { type: 'boolean', default: false },
    /** Judge each counter with its own drive, as for a meter whose drive was learned from its reviews (or set). */
    'known-drive': { type: 'boolean', default: false },
  },
});
const FRAMES = Number(values.frames);
const LENGTH = Number(values.length);
const SEED = Number(values.seed);
const WORKERS = Number(values.workers);
const SEQUENCES = Math.ceil(FRAMES / LENGTH);
const DIALS = Number(values.dials);
if (!['jump', 'continuous', 'mixed'].includes(values.drive)) throw new Error('--drive must be jump, continuous or mixed');

const INTEGER_DRUMS = 5;
const TURN = 10 ** INTEGER_DRUMS;
const HOUR = 3_600_000;
// A meter whose drive nobody configured: either drive is fine, drums that fit neither go to review.
const rules = ReadingRulesSchema.parse({
  maxFlowPerHour: 2,
  minConfidence: Number(values['min-confidence']),
  drive: 'auto',
});

/** A sequence's counter: 5 black and 3 red drums, or (every fourth) 5 black, 1 red and the dials. */
function styleOf(seq: number) {
  const dials = seq % 4 === 3 ? DIALS : 0;
  const decimals = dials > 0 ? 1 : 3;
  const drive: 'jump' | 'continuous' = values.drive === 'mixed' ? (seq % 8 < 4 ? 'jump' : 'continuous') : (values.drive as 'jump' | 'continuous');
  const shape: CounterShape = withPointers({ digits: INTEGER_DRUMS + decimals, decimals }, dials);
  return { dials, decimals, drive, shape, tick: 10 ** -shape.decimals, name: `${drive}${dials > 0 ? `+${dials} dials` : ''}` };
}

type Crops = NonNullable<ComposeOptions['digitCrops']>;

/**
 * The crops to compose from: every crop of a folder given on the command line, else the val meters of
 * the kind's shared data set (meters the committed models never trained on).
 */
async function cropsFor(kind: RecognizerKind, given: string | undefined): Promise<{ crops: Crops; source: string }> {
  const dir = path.resolve(given ?? KINDS[kind].defaultData);
  if (!existsSync(dir)) {
    throw new Error(
      `${dir} not found: the bench composes from meters the models never trained on (../shared/data). ` +
        'Pass --digits DIR --pointers DIR to use other crops; packages/sample-data/digits and .../needles are ' +
        'crops of TRAINING meters, so figures from them are training-meter figures.',
    );
  }
  const { samples } = await scanDigitFolder(dir, given ? { valMeters: [] } : KINDS[kind].scan);
  const picked = given ? samples : samples.filter((s) => s.split === 'val');
  if (picked.length === 0) throw new Error(`no labeled crops in ${dir}`);
  return {
    crops: picked.map((s) => ({ file: path.join(dir, s.relpath), value: s.value, meter: s.meter })),
    source: `${dir} (${given ? 'every crop' : 'val split'})`,
  };
}

/** Where a sequence starts: anywhere, or just before rollovers of several drums, or before the wrap. */
function startValue(i: number, rng: () => number): number {
  const kind = i % 4;
  if (kind === 0) return Math.floor(rng() * TURN * 1e4) / 1e4;
  if (kind === 1) return 99999 - rng() * 2; // wraps to 00000 within the sequence
  const integer = Math.floor(rng() * 10) * 10_000 + Math.floor(rng() * 10) * 1000 + 999; // x·999.y → (x+1)·000
  return integer + rng() * 0.8;
}

/** The camera's mount turned anywhere and tilted up to 10 % (its own generator: the readings stay the same). */
function turnedMount(mount: Mount, rng: () => number): Mount {
  return { ...mount, rotationDeg: Math.round(rng() * 360 - 180), tilt: [(rng() - 0.5) * 0.2, (rng() - 0.5) * 0.2] };
}

const CONFIDENCE_BINS = 100;

type StyleCounts = {
  frames: number;
  right: number;
  wrongAccepted: number;
  review: number;
};

interface Counts {
  /** The digit model's version. */
  model: string;
  /** Digit and pointer crops' meters. */
  meters: string[];
  frames: number;
  night: number;
  wrapped: number;
  pipeline: {
    right: number;
    wrongAccepted: number;
    wrongInReview: number;
    review: number;
    /** Sent to review because the drums contradict each other mechanically; and how many of those had the right value. */
    contradicting: number;
    contradictingRight: number;
    /** Drums that contradict each other mechanically yet accepted: must stay 0 (such a photo has no single true value). */
    contradictingAccepted: number;
    /** Drums that a jump and a continuous drive read differently (drive `auto`), and of those the ones sent to review. */
    twoReadings: number;
    twoReadingsInReview: number;
    rejected: number;
    unreadable: number;
  };
  naive: { right: number; wrong: number; unreadable: number };
  /** The pipeline by the sequences' drive and dials. */
  byStyle: Record<string, StyleCounts>;
  /** Accepted readings by their confidence (in hundredths), right and wrong: what a higher threshold would keep. */
  acceptedByConfidence: { right: number[]; wrong: number[] };
}

function emptyCounts(): Counts {
  return {
    model: '',
    meters: [],
    frames: 0,
    night: 0,
    wrapped: 0,
    pipeline: { right: 0, wrongAccepted: 0, wrongInReview: 0, review: 0, contradicting: 0, contradictingRight: 0, contradictingAccepted: 0, twoReadings: 0, twoReadingsInReview: 0, rejected: 0, unreadable: 0 },
    naive: { right: 0, wrong: 0, unreadable: 0 },
    byStyle: {},
    acceptedByConfidence: { right: new Array<number>(CONFIDENCE_BINS).fill(0), wrong: new Array<number>(CONFIDENCE_BINS).fill(0) },
  };
}

/** Reads sequences first, first + step, … and counts what the pipeline and the naive reader made of them. */
async function readSequences(first: number, step: number): Promise<Counts> {
  const classifier = await loadDigitClassifier(values.model && path.resolve(values.model));
  const pointers = new PointerReader(undefined);
  const digitCrops = await cropsFor('digits', values.digits);
  const pointerCrops = DIALS > 0 ? await cropsFor('pointers', values.pointers) : undefined;
  const counts = { ...emptyCounts(), model: classifier.version };
  const meters = new Set<string>();
  for (let seq = first; seq < SEQUENCES; seq += step) {
    const rng = createRng(SEED * 1_000_003 + seq);
    const style = styleOf(seq);
    const judging = values['known-drive'] ? { ...rules, drive: style.drive } : rules;
    const { shape, tick } = style;
    const composing = {
      digits: INTEGER_DRUMS,
      decimals: style.decimals,
      pointers: style.dials,
      drive: style.drive,
      digitCrops: digitCrops.crops,
      pointerCrops: pointerCrops?.crops,
    };
    const base = await composeMeter({ ...composing, value: 0, seed: 10_000 + seq });
    meters.add(base.truth.meter);
    const byStyle = (counts.byStyle[style.name] ??= { frames: 0, right: 0, wrongAccepted: 0, review: 0 });
    const mount = values.turned ? turnedMount(base.truth.mount, createRng(SEED * 7919 + seq)) : base.truth.mount;
    const whiteOnBlack = values.turned && seq % 2 === 0;
    let value = startValue(seq, rng);
    let at = Date.UTC(2026, 0, 1) + Math.floor(rng() * 24) * HOUR;
    const history: ReadingHistory = { previous: null, rejected: [] };
    let didWrap = false;
    for (let f = 0, frame = seq * LENGTH; f < LENGTH && frame < FRAMES; f++, frame++) {
      counts.frames++;
      byStyle.frames++;
      // 0–0.6 m³ an hour: the last two drums roll on almost every frame, the others now and then.
      const step = rng() < 0.15 ? 0 : rng() * 0.6;
      const next = (value + step) % TURN;
      if (next < value) didWrap = true;
      value = Math.round(next * 1e4) / 1e4;
      at += HOUR;
      const hour = new Date(at).getUTCHours();
      const look = hour >= 22 || hour < 6 ? 'infrared' : 'day';
      if (look === 'infrared') counts.night++;
      const photo = await composeMeter({
        ...composing,
        value: value.toFixed(4),
        seed: 1_000_000 + frame,
        look,
        meter: base.truth.meter,
        mount,
        whiteOnBlack,
      });
      let crops;
      try {
        crops = await cropDigits(photo.jpeg, photo.layout);
      } catch (error) {
        if (!(error instanceof ImageRejectedError)) throw error;
        counts.pipeline.unreadable++;
        counts.naive.unreadable++;
        continue;
      }
      const drumResults = await classifier.classify(crops.filter((c) => c.kind === 'digit').map((c) => c.image));
      const dials = await pointers.read(crops.filter((c) => c.kind === 'pointer').map((c) => c.image));
      if (dials instanceof Error) throw dials;
      const drums = [...drumResults, ...dials];
      const isRight = (numeric: number) => {
        const d = Math.abs(numeric - value) % TURN;
        return Math.min(d, TURN - d) < tick - 1e-9;
      };

      const naive = Number(drums.map((d) => Math.floor(d.value + 1e-9) % 10).join('')) * tick;
      if (isRight(naive)) counts.naive.right++;
      else counts.naive.wrong++;

      const takenAt = new Date(at);
      const assembled = assembleValue(drums, shape, judging.drive);
      const verdict = evaluateReading({ drums, assembled, shape, history, takenAt, rules: judging });
      const right = isRight(verdict.numeric);
      const accepted = verdict.status === 'accepted' || verdict.status === 'corrected';
      if (assembled.alternative) {
        counts.pipeline.twoReadings++;
        if (verdict.status === 'needs_review') counts.pipeline.twoReadingsInReview++;
      }
      if (values.sequence !== undefined || (accepted && !right && values['show-wrong'])) {
        const read = drums.map((d) => `${d.value.toFixed(1)}@${d.confidence.toFixed(2)}`).join(' ');
        process.stderr.write(
          `${accepted && !right ? 'wrong' : right ? 'right' : 'off'} (sequence ${seq}, frame ${frame}): ${verdict.status} ${verdict.value}, truth ${value.toFixed(4)} (${look}, ${style.name}, ${base.truth.meter}); drums ${read}; ${verdict.reason ?? ''}\n`,
        );
      }
      if (accepted) {
        if (assembled.contradiction) counts.pipeline.contradictingAccepted++;
        if (right) counts.pipeline.right++;
        else counts.pipeline.wrongAccepted++;
        if (right) byStyle.right++;
        else byStyle.wrongAccepted++;
        const bin = Math.min(CONFIDENCE_BINS - 1, Math.floor(verdict.confidence * CONFIDENCE_BINS));
        counts.acceptedByConfidence[right ? 'right' : 'wrong'][bin]!++;
        history.previous = { numeric: verdict.numeric, takenAt };
        history.rejected = [];
      } else if (verdict.status === 'needs_review') {
        counts.pipeline.review++;
        byStyle.review++;
        if (!right) counts.pipeline.wrongInReview++;
        if (assembled.contradiction) {
          counts.pipeline.contradicting++;
          if (right) counts.pipeline.contradictingRight++;
        }
      } else {
        counts.pipeline.rejected++;
        if (history.previous) history.rejected.push({ numeric: verdict.numeric, takenAt });
      }
    }
    if (didWrap) counts.wrapped++;
    process.stderr.write(`sequence ${seq + 1}/${SEQUENCES} read\n`);
  }
  classifier.dispose();
  await pointers.dispose();
  return { ...counts, meters: [...meters].sort() };
}

function add(total: Counts, part: Counts): Counts {
  const sum = <T extends Record<string, number>>(a: T, b: T) =>
    Object.fromEntries(Object.keys(a).map((k) => [k, a[k]! + b[k]!])) as T;
  const byStyle = { ...total.byStyle };
  for (const [name, style] of Object.entries(part.byStyle)) {
    const before = byStyle[name];
    byStyle[name] = before ? sum(before, style) : style;
  }
  return {
    model: part.model || total.model,
    meters: [...new Set([...total.meters, ...part.meters])].sort(),
    byStyle,
    frames: total.frames + part.frames,
    night: total.night + part.night,
    wrapped: total.wrapped + part.wrapped,
    pipeline: sum(total.pipeline, part.pipeline),
    naive: sum(total.naive, part.naive),
    acceptedByConfidence: {
      right: total.acceptedByConfidence.right.map((n, i) => n + part.acceptedByConfidence.right[i]!),
      wrong: total.acceptedByConfidence.wrong.map((n, i) => n + part.acceptedByConfidence.wrong[i]!),
    },
  };
}

/** Forks WORKERS copies of this script, each with its shard, and adds up what they send back. */
async function readInWorkers(): Promise<Counts> {
  const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--workers') && all[i - 1] !== '--workers');
  const parts = await Promise.all(
    Array.from(
      { length: WORKERS },
      (_, k) =>
        new Promise<Counts>((resolve, reject) => {
          const child = fork(process.argv[1]!, [...args, '--shard', `${k}/${WORKERS}`], { execArgv: process.execArgv });
          let counts: Counts | undefined;
          child.on('message', (message) => (counts = message as Counts));
          child.on('error', reject);
          child.on('exit', (code) => (counts && code === 0 ? resolve(counts) : reject(new Error(`worker ${k} exited with ${code}`))));
        }),
    ),
  );
  return parts.reduce(add, emptyCounts());
}

if (values.shard) {
  // A worker has no reason to go on once the bench that forked it is gone. (Listening keeps the IPC
  // channel referenced, so the worker lets go of both once its counts are sent.)
  const orphaned = () => process.exit(1);
  process.on('disconnect', orphaned);
  const [k, n] = values.shard.split('/').map(Number);
  const counts = await readSequences(k!, n!);
  process.send!(counts, () => {
    process.off('disconnect', orphaned);
    process.disconnect();
  });
} else {
  const started = performance.now();
  // Missing crops are a setup problem, said in one line before any work starts.
  const [digitSource, pointerSource] = await Promise.all([
    cropsFor('digits', values.digits).then((c) => c.source),
    DIALS > 0 ? cropsFor('pointers', values.pointers).then((c) => c.source) : undefined,
  ]).catch((error: unknown) => {
    process.stderr.write(`bench:readings: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
  const counts = values.sequence
    ? await readSequences(Number(values.sequence), SEQUENCES)
    : WORKERS > 1
      ? await readInWorkers()
      : await readSequences(0, 1);
  const frames = counts.frames;
  const share = (n: number) => Number(((100 * n) / frames).toFixed(2));
  console.log(
    JSON.stringify(
      {
        frames,
        composed: true,
        turned: values.turned,
        seed: SEED,
        model: counts.model,
        minConfidence: rules.minConfidence,
        // Where the photos' crops come from, and the meters the sequences drew (one per sequence).
        crops: { digits: digitSource, pointers: DIALS > 0 ? pointerSource : 'none (--dials 0)', meters: counts.meters },
        drive: values.drive,
        judgedWith: values['known-drive'] ? "each counter's own drive (--known-drive)" : 'drive auto',
        dialsEveryFourthSequence: DIALS,
        sequences: SEQUENCES,
        framesPerSequence: LENGTH,
        infraredFrames: counts.night,
        sequencesThroughTheWrap: counts.wrapped,
        pipeline: {
          rightAcceptedPct: share(counts.pipeline.right),
          wrongAcceptedPct: share(counts.pipeline.wrongAccepted),
          wrongAccepted: counts.pipeline.wrongAccepted,
          reviewPct: share(counts.pipeline.review),
          wrongCaughtInReview: counts.pipeline.wrongInReview,
          // Photos whose drums fit neither drive: sent to review with that reason (some with the right value).
          contradictingDrums: counts.pipeline.contradicting,
          contradictingDrumsWithRightValue: counts.pipeline.contradictingRight,
          contradictingDrumsAccepted: counts.pipeline.contradictingAccepted,
          // Drums two drives read differently: the history chose one, or (this many) they went to review.
          twoDriveReadings: counts.pipeline.twoReadings,
          twoDriveReadingsInReview: counts.pipeline.twoReadingsInReview,
          rejectedPct: share(counts.pipeline.rejected),
          unreadablePct: share(counts.pipeline.unreadable),
        },
        byStyle: Object.fromEntries(
          Object.entries(counts.byStyle).map(([name, c]) => [
            name,
            {
              frames: c.frames,
              rightAcceptedPct: Number(((100 * c.right) / c.frames).toFixed(2)),
              wrongAccepted: c.wrongAccepted,
              reviewPct: Number(((100 * c.review) / c.frames).toFixed(2)),
            },
          ]),
        ),
        naiveIntegerDigits: {
          rightPct: share(counts.naive.right),
          wrongAcceptedPct: share(counts.naive.wrong),
          wrongAccepted: counts.naive.wrong,
        },
        // Of the readings accepted here, those a higher MIN_DIGIT_CONFIDENCE would still accept (the others
        // would go to review; history built on them may differ, so re-run at that threshold to be sure).
        ifThresholdWere: [0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99]
          .filter((t) => t > rules.minConfidence)
          .map((t) => {
            const from = Math.round(t * CONFIDENCE_BINS);
            const kept = (bins: number[]) => bins.slice(from).reduce((a, b) => a + b, 0);
            return {
              minConfidence: t,
              rightAcceptedPct: share(kept(counts.acceptedByConfidence.right)),
              wrongAccepted: kept(counts.acceptedByConfidence.wrong),
            };
          }),
        workers: WORKERS,
        /** Wall-clock time per frame (divided among the workers). */
        msPerFrame: Math.round((performance.now() - started) / frames),
      },
      null,
      2,
    ),
  );
}
