import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { assembleValue, evaluateReading, ReadingRulesSchema } from '@metertwin/readings';
import { loadDigitClassifier } from '@metertwin/recognizer';
import { cropDigits } from '@metertwin/vision';
import type { Command } from '../command.js';

const HELP = `usage: metertwin read IMAGE --meter meter.json [--previous VALUE] [--model DIR]

Reads the counter of one photo: crops the drums at the layout's boxes, classifies them and judges the
value (packages/readings). meter.json is a CounterLayout (what compose writes) plus optional
"decimals" (how many of its drums are decimals, default 0) and "readingRules". --previous is the last
accepted value; it has no time, so the max-flow rule is not checked. Pointer dials are not read yet.`;

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
        model: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [image, ...extra] = positionals;
    if (values.help || !image || extra.length > 0) {
      process.stderr.write(`${HELP}\n`);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    if (!values.meter) {
      // Finding the counter without a layout comes with counter detection.
      process.stdout.write(
        `${JSON.stringify({ error: 'no --meter layout given: reading a photo without one is not supported yet' })}\n`,
      );
      process.exitCode = 2;
      return;
    }
    const previous = values.previous === undefined ? undefined : Number(values.previous);
    if (previous !== undefined && !Number.isFinite(previous)) {
      throw new Error(`--previous must be a number, got "${values.previous}"`);
    }
    const meter = MeterFileSchema.parse(JSON.parse(await readFile(values.meter, 'utf8')));
    const crops = (await cropDigits(await readFile(image), meter)).filter((c) => c.kind === 'digit');

    const classifier = await loadDigitClassifier(values.model ? path.resolve(values.model) : undefined);
    const results = await classifier.classify(crops.map((c) => c.image));
    classifier.dispose();

    const shape = { digits: crops.length, decimals: meter.decimals };
    const assembled = assembleValue(results, shape);
    const now = new Date();
    const evaluation = evaluateReading({
      drums: results,
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
      confidence: evaluation.confidence,
      reason: evaluation.reason,
      corrections: evaluation.corrections,
      digits: results.map((r, i) => ({ value: r.value, confidence: r.confidence, box: crops[i]!.box })),
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  },
};
