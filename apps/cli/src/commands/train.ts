import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DIGIT_DATA, DEFAULT_DIGIT_MODEL_DIR, trainDigits } from '@metertwin/recognizer';
import type { Command } from '../command.js';

const usage = 'usage: metertwin train digits [--data DIR] [--epochs N] [--steps N] [--batch N] [--out DIR] [--seed N]';

export const command: Command = {
  summary: 'train a recognizer model: train digits [--data DIR] [--epochs N] [--out DIR]',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        epochs: { type: 'string' },
        steps: { type: 'string' },
        batch: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
      },
    });
    const kind = positionals[0];
    if (kind === 'pointers') throw new Error('pointers: not yet trained');
    if (kind !== 'digits' || positionals.length > 1) throw new Error(usage);
    const int = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${v}'`);
      return n;
    };
    const outDir = path.resolve(values.out ?? DEFAULT_DIGIT_MODEL_DIR);
    const { report } = await trainDigits({
      dataDir: path.resolve(values.data ?? DEFAULT_DIGIT_DATA),
      outDir,
      epochs: int('epochs', values.epochs),
      stepsPerEpoch: int('steps', values.steps),
      batchSize: int('batch', values.batch),
      seed: int('seed', values.seed),
      log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
    const v = report.val;
    process.stdout.write(
      JSON.stringify({
        out: outDir,
        version: report.version,
        seconds: report.training.seconds,
        val: v && { n: v.n, strictInteger: v.strictInteger, tolerantInteger: v.tolerantInteger, tenthsWithin1: v.tenthsWithin1 },
      }) + '\n',
    );
  },
};
