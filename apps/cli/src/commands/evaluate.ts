import path from 'node:path';
import { parseArgs } from 'node:util';
import { KINDS, parseKind } from '@metertwin/recognizer';
import { evaluateRecognizer, leaveOneMeterOut, saveEvaluation } from '@metertwin/training';
import type { Command } from '../command.js';

const usage = `usage: metertwin evaluate digits|pointers --data DIR [--model DIR] [--save]
       metertwin evaluate digits --leave-one-out [--data DIR] [--meters A,B,…] [--epochs N] [--steps N] [--seed N]

The first form scores a saved model on the val split; --save writes its val and junk figures into
the model's report.json. --leave-one-out trains one model per train meter without that meter (a short
budget: --epochs 1 --steps 400 by default, about 5 minutes a fold on 2 cores) and scores it on that
meter: per-meter and overall figures for meters not trained on, as JSON. --meters holds out only those.`;

export const command: Command = {
  summary: 'score a model on the val split, or leave-one-meter-out over the train meters → JSON report',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        model: { type: 'string' },
        'leave-one-out': { type: 'boolean' },
        meters: { type: 'string' },
        epochs: { type: 'string' },
        steps: { type: 'string' },
        seed: { type: 'string' },
        save: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new Error(usage);
    const kind = parseKind(positionals[0]);
    const dataDir = values.data ? path.resolve(values.data) : undefined;
    if (!values['leave-one-out']) {
      const modelDir = values.model ? path.resolve(values.model) : KINDS[kind].defaultModelDir;
      const report = await evaluateRecognizer(kind, { dataDir, modelDir });
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      if (values.save) await saveEvaluation(modelDir, report, `pnpm -s metertwin evaluate ${argv.join(' ')}`);
      return;
    }
    if (kind !== 'digits') throw new Error('--leave-one-out is for digits (the needle set is one meter)');
    if (values.model) throw new Error('--leave-one-out trains its own models: --model does not apply');
    const report = await leaveOneMeterOut({
      dataDir,
      meters: values.meters?.split(',').map((m) => m.trim()),
      epochs: positiveInt('epochs', values.epochs),
      stepsPerEpoch: positiveInt('steps', values.steps),
      seed: positiveInt('seed', values.seed),
      log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  },
};

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
}
