import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensembleRecognizer, parseKind } from '@metertwin/recognizer';
import type { Command } from '../command.js';

const usage =
  'usage: metertwin ensemble digits|pointers --member DIR --member DIR [--member DIR]... --out DIR [--data DIR]';

export const command: Command = {
  summary:
    'combine trained models into one averaging model: ensemble digits|pointers --member DIR... --out DIR',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        member: { type: 'string', multiple: true },
        out: { type: 'string' },
        data: { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.out || (values.member?.length ?? 0) < 2) throw new Error(usage);
    const kind = parseKind(positionals[0]);
    const outDir = path.resolve(values.out);
    const report = await ensembleRecognizer(kind, {
      memberDirs: values.member!.map((d) => path.resolve(d)),
      dataDir: values.data ? path.resolve(values.data) : undefined,
      outDir,
      log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    });
    const v = report.val;
    process.stdout.write(
      JSON.stringify({
        kind,
        out: outDir,
        version: report.version,
        members: report.members.map((m) => m.version),
        temperature: report.calibration.temperature,
        val: {
          n: v.n,
          ...Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'number')),
          ece: v.reliability.ece,
        },
        junkRejected: report.junk.rejected,
      }) + '\n',
    );
  },
};
