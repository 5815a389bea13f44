// pnpm bench:readings [--frames 1000] [--length 25] [--seed 1] [--min-confidence 0.9] [--workers 1] [--model DIR] [--show-wrong] [--sequence K] [--turned]
// Sequences of composed frames of one camera each, advancing through drum rollovers (some through the
// counter's wrap at 99999.999, some at night as infrared frames), read by the real pipeline: vision
// crops → the committed digit model → assembleValue → evaluateReading with the sequence's history, as
// the recognize service keeps it. Printed for the pipeline and for a naive reader that joins the drums'
// integer digits: the share of readings right, wrong (and, for the pipeline, wrong AND accepted), sent
// to review, rejected.
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
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDigitClassifier } from '@metertwin/recognizer';
import { composeMeter, createRng, cropDigits, ImageRejectedError, type Mount } from '@metertwin/vision';
import {
  assembleValue,
  DEFAULT_MIN_CONFIDENCE,
  evaluateReading,
  ReadingRulesSchema,
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
    /** Internal: the worker's share, "k/N" (sequences k, k+N, k+2N, …). */
    shard: { type: 'string' },
    /** Read only sequence K (0-based, as --show-wrong names it) and print every frame of it. */
    sequence: { type: 'string' },
    /** Print each wrong accepted reading to stderr, with its drums, to see why. */
    'show-wrong': { type: 'boolean', default: false },
    /** Counters turned anywhere and tilted (see above). */
    turned: { type: 'boolean', default: false },
  },
});
const FRAMES = Number(values.frames);
const LENGTH = Number(values.length);
const SEED = Number(values.seed);
const WORKERS = Number(values.workers);
const SEQUENCES = Math.ceil(FRAMES / LENGTH);

const INTEGER_DRUMS = 5;
const DECIMAL_DRUMS = 3;
const shape: CounterShape = { digits: INTEGER_DRUMS + DECIMAL_DRUMS, decimals: DECIMAL_DRUMS };
const TURN = 10 ** INTEGER_DRUMS;
const TICK = 10 ** -DECIMAL_DRUMS;
const HOUR = 3_600_000;
const rules = ReadingRulesSchema.parse({
  maxFlowPerHour: 2,
  minConfidence: Number(values['min-confidence']),
});

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

interface Counts {
  /** The digit model's version. */
  model: string;
  frames: number;
  night: number;
  wrapped: number;
  pipeline: { right: number; wrongAccepted: number; wrongInReview: number; review: number; rejected: number; unreadable: number };
  naive: { right: number; wrong: number; unreadable: number };
  /** Accepted readings by their confidence (in hundredths), right and wrong: what a higher threshold would keep. */
  acceptedByConfidence: { right: number[]; wrong: number[] };
}

function emptyCounts(): Counts {
  return {
    model: '',
    frames: 0,
    night: 0,
    wrapped: 0,
    pipeline: { right: 0, wrongAccepted: 0, wrongInReview: 0, review: 0, rejected: 0, unreadable: 0 },
    naive: { right: 0, wrong: 0, unreadable: 0 },
    acceptedByConfidence: { right: new Array<number>(CONFIDENCE_BINS).fill(0), wrong: new Array<number>(CONFIDENCE_BINS).fill(0) },
  };
}

/** Reads sequences first, first + step, … and counts what the pipeline and the naive reader made of them. */
async function readSequences(first: number, step: number): Promise<Counts> {
  const classifier = await loadDigitClassifier(values.model && path.resolve(values.model));
  const counts = { ...emptyCounts(), model: classifier.version };
  for (let seq = first; seq < SEQUENCES; seq += step) {
    const rng = createRng(SEED * 1_000_003 + seq);
    const base = await composeMeter({
      value: 0,
      digits: INTEGER_DRUMS,
      decimals: DECIMAL_DRUMS,
      seed: 10_000 + seq,
    });
    const mount = values.turned ? turnedMount(base.truth.mount, createRng(SEED * 7919 + seq)) : base.truth.mount;
    const whiteOnBlack = values.turned && seq % 2 === 0;
    let value = startValue(seq, rng);
    let at = Date.UTC(2026, 0, 1) + Math.floor(rng() * 24) * HOUR;
    const history: ReadingHistory = { previous: null, rejected: [] };
    let didWrap = false;
    for (let f = 0, frame = seq * LENGTH; f < LENGTH && frame < FRAMES; f++, frame++) {
      counts.frames++;
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
        value: value.toFixed(4),
        digits: INTEGER_DRUMS,
        decimals: DECIMAL_DRUMS,
        seed: 1_000_000 + frame,
        look,
        meter: base.truth.meter,
        mount,
        whiteOnBlack,
      });
      let crops;
      try {
        crops = (await cropDigits(photo.jpeg, photo.layout)).filter((c) => c.kind === 'digit');
      } catch (error) {
        if (!(error instanceof ImageRejectedError)) throw error;
        counts.pipeline.unreadable++;
        counts.naive.unreadable++;
        continue;
      }
      const drums = await classifier.classify(crops.map((c) => c.image));
      const isRight = (numeric: number) => {
        const d = Math.abs(numeric - value) % TURN;
        return Math.min(d, TURN - d) < TICK - 1e-9;
      };

      const naive = Number(drums.map((d) => Math.floor(d.value + 1e-9) % 10).join('')) * TICK;
      if (isRight(naive)) counts.naive.right++;
      else counts.naive.wrong++;

      const takenAt = new Date(at);
      const assembled = assembleValue(drums, shape);
      const verdict = evaluateReading({ drums, assembled, shape, history, takenAt, rules });
      const right = isRight(verdict.numeric);
      const accepted = verdict.status === 'accepted' || verdict.status === 'corrected';
      if (values.sequence !== undefined || (accepted && !right && values['show-wrong'])) {
        const read = drums.map((d) => `${d.value.toFixed(1)}@${d.confidence.toFixed(2)}`).join(' ');
        process.stderr.write(
          `${accepted && !right ? 'wrong' : right ? 'right' : 'off'} (sequence ${seq}, frame ${frame}): ${verdict.status} ${verdict.value}, truth ${value.toFixed(4)} (${look}, ${base.truth.meter}); drums ${read}; ${verdict.reason ?? ''}\n`,
        );
      }
      if (accepted) {
        if (right) counts.pipeline.right++;
        else counts.pipeline.wrongAccepted++;
        const bin = Math.min(CONFIDENCE_BINS - 1, Math.floor(verdict.confidence * CONFIDENCE_BINS));
        counts.acceptedByConfidence[right ? 'right' : 'wrong'][bin]!++;
        history.previous = { numeric: verdict.numeric, takenAt };
        history.rejected = [];
      } else if (verdict.status === 'needs_review') {
        counts.pipeline.review++;
        if (!right) counts.pipeline.wrongInReview++;
      } else {
        counts.pipeline.rejected++;
        if (history.previous) history.rejected.push({ numeric: verdict.numeric, takenAt });
      }
    }
    if (didWrap) counts.wrapped++;
    process.stderr.write(`sequence ${seq + 1}/${SEQUENCES} read\n`);
  }
  classifier.dispose();
  return counts;
}

function add(total: Counts, part: Counts): Counts {
  const sum = <T extends Record<string, number>>(a: T, b: T) =>
    Object.fromEntries(Object.keys(a).map((k) => [k, a[k]! + b[k]!])) as T;
  return {
    model: part.model || total.model,
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
          rejectedPct: share(counts.pipeline.rejected),
          unreadablePct: share(counts.pipeline.unreadable),
        },
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
