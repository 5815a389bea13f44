import path from 'node:path';
import { parseArgs } from 'node:util';
import { adaptRecognizer, parseKind } from '@metertwin/recognizer';
import { digitsDir, needlesDir } from '@metertwin/sample-data';
import type { Command } from '../command.js';

const HELP = `usage: metertwin adapt digits|pointers --data DIR --out DIR [--model DIR] [--replay DIR]... [--steps N] [--seed S]

Adapts a recognizer to one meter: fine-tunes --model (default: the committed model) on DIR, labeled
crops of that meter named like the shared data (3.4_….jpg, png or bmp), with crops of other meters
replayed beside them (--replay, default: the crops in @metertwin/sample-data). Every fifth crop (by name)
is held back and read by the base model and the adapted one. Writes to --out a model that
\`classify … --model OUT\` and \`read --model OUT\` load, with adapter.json; prints that report:
{"kind", "baseVersion", "version", "labels": {train, heldBack}, "heldBack": {"base", "adapted"}: {n, right,
wrongConfident, truthMass}, "better"} ("better": no fewer held-back crops right, no more wrong at
confidence ≥ 0.9, and more probability on the true value than the base model).`;

export const command: Command = {
  summary: 'adapt a recognizer to one meter: adapt digits|pointers --data DIR --out DIR → adapted model + report',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        model: { type: 'string' },
        replay: { type: 'string', multiple: true },
        steps: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [kindArg, ...extra] = positionals;
    if (values.help || !kindArg || extra.length > 0 || !values.data || !values.out) {
      process.stderr.write(`${HELP}\n`);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    const kind = parseKind(kindArg);
    const steps = values.steps === undefined ? undefined : positiveInteger('--steps', values.steps);
    const seed = values.seed === undefined ? undefined : positiveInteger('--seed', values.seed);
    const report = await adaptRecognizer({
      kind,
      dataDir: path.resolve(values.data),
      outDir: path.resolve(values.out),
      modelDir: values.model && path.resolve(values.model),
      replayDirs: (values.replay ?? [kind === 'digits' ? digitsDir : needlesDir]).map((d) => path.resolve(d)),
      steps,
      seed,
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  },
};

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}
