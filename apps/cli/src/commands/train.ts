import path from 'node:path';
import { parseArgs } from 'node:util';
import { KINDS, parseHead, parseKind } from '@metertwin/recognizer';
import { trainRecognizer } from '@metertwin/training';
import type { Command } from '../command.js';

const usage =
  'usage: metertwin train digits|pointers [--data DIR]... [--epochs N] [--steps N] [--batch N] [--out DIR] [--seed N] [--lr X] [--init MODEL_DIR] [--no-calibration] [--head tenths100|digits10|circular] [--synthetic SHARE]\n' +
  '  --synthetic: share of batch slots given to synthetic crops: drums rendered from fonts (digits, default 0.25), dials of many styles (pointers, default 0); 0 = real crops only\n' +
  '  several --data folders are merged (e.g. the shared set plus `metertwin export-training` output)';

export const command: Command = {
  summary: 'train a recognizer model: train digits|pointers [--data DIR]... [--epochs N] [--out DIR]',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string', multiple: true },
        epochs: { type: 'string' },
        steps: { type: 'string' },
        batch: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        lr: { type: 'string' },
        init: { type: 'string' },
        'no-calibration': { type: 'boolean' },
        head: { type: 'string' },
        synthetic: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new Error(usage);
    const kind = parseKind(positionals[0]);
    const int = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${v}'`);
      return n;
    };
    const positive = (name: string, v: string) => {
      const n = Number(v);
      if (!(n > 0)) throw new Error(`--${name} must be a positive number, got '${v}'`);
      return n;
    };
    const share = (name: string, v: string) => {
      const n = Number(v);
      if (!(n >= 0 && n < 1)) throw new Error(`--${name} must be a share in [0, 1), got '${v}'`);
      return n;
    };
    const outDir = path.resolve(values.out ?? KINDS[kind].defaultModelDir);
    const { report } = await trainRecognizer(kind, {
      dataDir: values.data?.map((d) => path.resolve(d)),
      outDir,
      epochs: int('epochs', values.epochs),
      stepsPerEpoch: int('steps', values.steps),
      batchSize: int('batch', values.batch),
      seed: int('seed', values.seed),
      learningRate: values.lr === undefined ? undefined : positive('lr', values.lr),
      initModelDir: values.init ? path.resolve(values.init) : undefined,
      calibrationMeters: values['no-calibration'] ? [] : undefined,
      head: parseHead(values.head),
      syntheticShare: values.synthetic === undefined ? undefined : share('synthetic', values.synthetic),
      log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
    const v = report.val;
    process.stdout.write(
      JSON.stringify({
        kind,
        out: outDir,
        version: report.version,
        seconds: report.training.seconds,
        head: report.calibration.head,
        temperature: report.calibration.temperature,
        val: v && {
          n: v.n,
          ...Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'number')),
          ece: v.reliability.ece,
        },
        junkRejected: report.junk.rejected,
      }) + '\n',
    );
  },
};
