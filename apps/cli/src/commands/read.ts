import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CounterLayout } from '@metertwin/contracts';
import { assembleValue, checkDrive, evaluateReading, heldForReview, ReadingRulesSchema, withPointers } from '@metertwin/readings';
import { loadDigitClassifier, PointerReader, type PointerPrediction } from '@metertwin/recognizer';
import { detectCounter, ImageRejectedError, processFrame, quadLayout, type CounterDetection, type Crop, type Quad } from '@metertwin/vision';
import type { Command } from '../command.js';
import { loadMeterFile, MeterFileError, type MeterFile } from '../meter-file.js';

const HELP = `usage: metertwin read IMAGE [--meter meter.json [--reference PHOTO] | --decimals N] [--previous VALUE] [--model DIR] [--pointer-model DIR]

Reads the counter of one photo: crops the drums (and the layout's pointer dials), classifies them and
judges the value (packages/readings), as the recognize service does. Prints
{"value", "status", "confidence", "digits": [{value, confidence, box}], "dials": [{value, confidence, box}]}
(the dials are further decimals after the drums; plus "quad", the window's corners, when the meter gives
one); the reason of a status other than "accepted" goes to stderr. meter.json is a CounterLayout (what
compose writes) plus optional "decimals" (how many of its drums are decimals, default 0) and
"readingRules", or a counter marked on IMAGE as a quadrilateral: {"windowQuad": [[x,y] TL, TR, BR, BL in
reading order], "drums": N, "decimals": D, "dials": [[cx,cy,r], …]} (a turned or tilted counter is
rectified to a level strip before it is split); an invalid meter file exits 2. The quad's pixels are
of IMAGE, or of --reference PHOTO, the photo it was marked on: IMAGE is then registered to that photo
through alignment marks cut from it (as the services register later frames), so one meter file serves
every later frame of a camera that shifts a little.
Without --meter the counter window is detected in the photo at any angle (exit 2 when none is found;
the window is read both ways round, a turned one cut as a quad: the way whose drums stand as a
counter's can, else the way whose first drums read 0 as a meter in service does, else the way the digit model is surer of, wins) and --decimals says how many of its drums are decimals; such a reading is never "accepted" (at
best "needs_review"): a detected window may be another row of digits, such as a serial number. How sure
the detection is comes as "detected": {"confidence" and "rival" as locate gives them, "reversed" (the
drums read right to left on the photo), "wayRoundBy": "drive" | "leading-zeros" | "digit-model" (the
cue that chose the way round: the drive is evidence, the other two likelihoods)}. --previous is the last accepted value; it
has no time, so the max-flow rule is not checked. When the pointer model cannot be loaded, the dials are
left out with a warning.`;

export const command: Command = {
  summary: 'read a meter photo: read IMAGE --meter meter.json → value, status, per-digit results',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        meter: { type: 'string' },
        reference: { type: 'string' },
        previous: { type: 'string' },
        decimals: { type: 'string' },
        model: { type: 'string' },
        'pointer-model': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [image, ...extra] = positionals;
    if (values.help || !image || extra.length > 0) {
      process.stderr.write(`${HELP}\n`);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    const previous = values.previous === undefined ? undefined : Number(values.previous);
    if (previous !== undefined && !Number.isFinite(previous)) {
      throw new Error(`--previous must be a number, got "${values.previous}"`);
    }
    if (values.reference && !values.meter) throw new Error('--reference goes with --meter (the photo its quad was marked on)');
    const bytes = await readFile(image);
    const reference = values.reference ? await readFile(values.reference) : undefined;
    const candidates: { meter: MeterFile; crops: Crop[]; dialCrops: Crop[]; quad?: Quad }[] = [];
    let detected: CounterDetection | undefined;
    try {
      const detection = values.meter ? undefined : await detectedMeters(bytes, values.decimals);
      detected = detection?.found;
      const meters = values.meter ? [await loadMeterFile(values.meter, bytes, { reference })] : (detection?.meters ?? []);
      if (meters.length === 0) {
        print({ error: 'no counter window found: give the meter layout with --meter meter.json' });
        process.exitCode = 2;
        return;
      }
      for (const meter of meters) {
        const frame = await processFrame(bytes, meter.layout);
        candidates.push({
          meter,
          crops: frame.crops.filter((c) => c.kind === 'digit'),
          dialCrops: frame.crops.filter((c) => c.kind === 'pointer'),
          quad: frame.counter?.quad,
        });
      }
    } catch (error) {
      if (error instanceof MeterFileError) {
        print({ error: error.message });
        process.exitCode = 2;
        return;
      }
      // A photo that cannot be read (not an image, too dark, not aligned) is an answer, not a crash.
      if (!(error instanceof ImageRejectedError)) throw error;
      print({ error: error.message, reason: error.reason });
      process.exitCode = 1;
      return;
    }

    const classifier = await loadDigitClassifier(values.model ? path.resolve(values.model) : undefined);
    const read = await Promise.all(candidates.map(async (c) => ({ ...c, results: await classifier.classify(c.crops.map((crop) => crop.image)) })));
    classifier.dispose();
    // A detected counter reads one way or the other (the digit model reads an upside-down 0, 4 or 6
    // about as surely as an upright one): the way that is mechanically possible if only one is (the
    // drums at rest on whole digits, or each a tenth of its neighbour's turn past its digit), else the
    // way whose first drums stand at 0 (see leadingZeros), else the way the digit model is surer of.
    // Which of these decided is reported: the first is evidence, the others are likelihoods.
    const fitsDrive = (r: (typeof read)[number]) =>
      checkDrive(r.results, { digits: r.results.length, decimals: r.meter.decimals }, r.meter.readingRules.drive).contradiction === null;
    const sureness = (r: (typeof read)[number]) => r.results.reduce((a, d) => a + d.confidence, 0) / Math.max(1, r.results.length);
    const compare = (a: (typeof read)[number], b: (typeof read)[number]): { reversed: boolean; by: 'drive' | 'leading-zeros' | 'digit-model' } => {
      if (fitsDrive(a) !== fitsDrive(b)) return { reversed: fitsDrive(b), by: 'drive' };
      const [za, zb] = [leadingZeros(a.results), leadingZeros(b.results)];
      if (za !== zb) return { reversed: zb > za, by: 'leading-zeros' };
      return { reversed: sureness(b) > sureness(a), by: 'digit-model' };
    };
    const [asSeen, other] = read;
    const wayRound = other && compare(asSeen!, other);
    const { meter, crops, dialCrops, quad, results } = wayRound?.reversed ? other! : asSeen!;
    const dials = await readDials(dialCrops, values['pointer-model']);

    const shape = withPointers({ digits: crops.length, decimals: meter.decimals }, dials.length);
    const wheels = [...results, ...dials];
    const assembled = assembleValue(wheels, shape, meter.readingRules.drive);
    const now = new Date();
    const evaluated = evaluateReading({
      drums: wheels,
      assembled,
      shape,
      history: {
        previous: previous === undefined ? null : { numeric: previous, takenAt: now },
        rejected: [],
      },
      takenAt: now,
      rules: meter.readingRules,
    });
    // A window nobody marked may be another row of digits (a serial number): never taken as it stands.
    const evaluation = values.meter ? evaluated : heldForReview(evaluated, GUESSED_WINDOW);
    const output = {
      value: evaluation.value,
      status: evaluation.status,
      confidence: round(evaluation.confidence),
      digits: results.map((r, i) => ({
        value: r.value,
        confidence: round(r.confidence),
        box: crops[i]!.box,
      })),
      dials: dials.map((d, i) => ({ value: d.value, confidence: round(d.confidence), box: dialCrops[i]!.box })),
      ...(quad ? { quad } : {}),
      ...(detected && wayRound
        ? { detected: { confidence: detected.confidence, rival: detected.rival, reversed: wayRound.reversed, wayRoundBy: wayRound.by } }
        : {}),
    };
    print(output);
    if (evaluation.reason) process.stderr.write(`${evaluation.status}: ${evaluation.reason}\n`);
  },
};

/** The dials' positions, read as recognize reads them; none (with a warning) without a pointer model. */
async function readDials(crops: Crop[], modelDir: string | undefined): Promise<PointerPrediction[]> {
  if (crops.length === 0) return [];
  const reader = new PointerReader(modelDir && path.resolve(modelDir));
  const dials = await reader.read(crops.map((c) => c.image));
  await reader.dispose();
  if (!(dials instanceof Error)) return dials;
  process.stderr.write(`pointer dials not read: ${dials.message}\n`);
  return [];
}

const GUESSED_WINDOW = 'the counter window was detected, not marked (it may be another row of digits, such as a serial number): give --meter to have a reading accepted';

/** A drum read this close to 0 (either side, 9.8 or 0.2) stands at 0. */
const AT_ZERO = 0.3;

/**
 * How many drums from the first read 0. A counter has more drums than its meter's life fills (five
 * integer drums count 99 999 m³, decades of a household's water), so a meter in service reads with
 * leading zeros; read the other way round, its first drums are its least significant, any digit. The
 * upside-down 0 reads 0 too, but it then stands last, not first.
 */
function leadingZeros(drums: { value: number }[]): number {
  let n = 0;
  for (const { value } of drums) {
    const v = ((value % 10) + 10) % 10;
    if (Math.min(v, 10 - v) >= AT_ZERO) break;
    n++;
  }
  return n;
}

/** Below this angle an upright box holds its drum well (and follows the glyph); above, the window quad is cut. */
const TURNED_DEG = 5;

/**
 * Meter files for a photo without one: the detected window's drums, `decimals` of them after the
 * point. A turned window is cut as a quad, both ways round (which end reads first is open), the way
 * it reads left to right on the photo first; undefined when no window is found.
 */
async function detectedMeters(bytes: Uint8Array, decimals: string | undefined): Promise<{ found: CounterDetection; meters: MeterFile[] } | undefined> {
  const found = await detectCounter(bytes);
  if (!found) return undefined;
  const count = decimals === undefined ? 0 : Number(decimals);
  if (!Number.isInteger(count) || count < 0 || count > found.digits.length) {
    throw new Error(`--decimals must be an integer from 0 to ${found.digits.length} (the drums found), got "${decimals}"`);
  }
  const meter = (layout: CounterLayout) => ({ layout, decimals: count, readingRules: ReadingRulesSchema.parse({}) });
  const [tl, tr, br, bl] = found.quad;
  const upsideDown = meter(quadLayout({ windowQuad: [br, bl, tl, tr], drums: found.digits.length }, found.image));
  if (Math.abs(found.angleDeg) < TURNED_DEG) {
    // level: upright boxes, or the camera mounted upside down
    return { found, meters: [meter({ v: 1, reference: found.image, window: found.window, digits: found.digits, pointers: [] }), upsideDown] };
  }
  return { found, meters: [meter(quadLayout({ windowQuad: found.quad, drums: found.digits.length }, found.image)), upsideDown] };
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function round(confidence: number): number {
  return Number(confidence.toFixed(4));
}
