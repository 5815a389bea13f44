import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { assembleValue, evaluateReading, ReadingRulesSchema, withPointers } from '@metertwin/readings';
import { loadDigitClassifier, PointerReader, type PointerPrediction } from '@metertwin/recognizer';
import { cropDigits, detectCounter, ImageRejectedError, type Crop } from '@metertwin/vision';
import type { Command } from '../command.js';

const HELP = `usage: metertwin read IMAGE [--meter meter.json | --decimals N] [--previous VALUE] [--model DIR] [--pointer-model DIR]

Reads the counter of one photo: crops the drums (and the layout's pointer dials) at the layout's boxes,
classifies them and judges the value (packages/readings), as the recognize service does. Prints
{"value", "status", "confidence", "digits": [{value, confidence, box}], "dials": [{value, confidence, box}]}
(the dials are further decimals after the drums); the reason of a status other than "accepted" goes to
stderr. meter.json is a CounterLayout (what compose writes) plus optional "decimals" (how many of its
drums are decimals, default 0) and "readingRules". Without --meter the counter window is detected in the
photo (exit 2 when none is found) and --decimals says how many of its drums are decimals. --previous is
the last accepted value; it has no time, so the max-flow rule is not checked. When the pointer model
cannot be loaded, the dials are left out with a warning.`;

/** The layout's `digits` are the drum boxes, so the drum count comes from them. */
const MeterFileSchema = CounterLayoutSchema.extend({
  decimals: z.int().min(0).default(0),
  readingRules: ReadingRulesSchema.prefault({}),
}).refine((m) => m.decimals <= m.digits.length, { message: 'decimals exceed the number of digit boxes' });

export const command: Command = {
  summary: 'read a meter photo: read IMAGE --meter meter.json → value, status, per-digit results',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        meter: { type: 'string' },
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
    const bytes = await readFile(image);
    let crops;
    let dialCrops;
    let meter;
    try {
      meter = values.meter
        ? MeterFileSchema.parse(JSON.parse(await readFile(values.meter, 'utf8')))
        : await detectedMeter(bytes, values.decimals);
      if (!meter) {
        print({ error: 'no counter window found: give the meter layout with --meter meter.json' });
        process.exitCode = 2;
        return;
      }
      const all = await cropDigits(bytes, meter);
      crops = all.filter((c) => c.kind === 'digit');
      dialCrops = all.filter((c) => c.kind === 'pointer');
    } catch (error) {
      // A photo that cannot be read (not an image, too dark, not aligned) is an answer, not a crash.
      if (!(error instanceof ImageRejectedError)) throw error;
      print({ error: error.message, reason: error.reason });
      process.exitCode = 1;
      return;
    }

    const classifier = await loadDigitClassifier(values.model ? path.resolve(values.model) : undefined);
    const results = await classifier.classify(crops.map((c) => c.image));
    classifier.dispose();
    const dials = await readDials(dialCrops, values['pointer-model']);

    const shape = withPointers({ digits: crops.length, decimals: meter.decimals }, dials.length);
    const wheels = [...results, ...dials];
    const assembled = assembleValue(wheels, shape, meter.readingRules.drive);
    const now = new Date();
    const evaluation = evaluateReading({
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

/** A meter file for a photo without one: the detected window's drums, `decimals` of them after the point. */
async function detectedMeter(bytes: Uint8Array, decimals: string | undefined) {
  const found = await detectCounter(bytes);
  if (!found) return undefined;
  return MeterFileSchema.parse({
    v: 1,
    reference: found.image,
    window: found.window,
    digits: found.digits,
    decimals: decimals === undefined ? 0 : Number(decimals),
  });
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function round(confidence: number): number {
  return Number(confidence.toFixed(4));
}
