import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseKind } from '@metertwin/recognizer';
import { ensembleRecognizer } from '@metertwin/training';
import type { Command } from '../command.js';

const usage =
  'usage: metertwin ensemble digits|pointers --member DIR --member DIR [--member DIR]... --out DIR [--data DIR] [--shifts=-1,0,1]';

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
        shifts: { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.out || (values.member?.length ?? 0) < 2) throw new Error(usage);
    const kind = parseKind(positionals[0]);
    const outDir = path.resolve(values.out);
    const report = await ensembleRecognizer(kind, {
      memberDirs: values.member!.map((d) => path.resolve(d)),
      dataDir: values.data ? path.resolve(values.data) : undefined,
      outDir,
      shifts: values.shifts === undefined ? undefined : parseShifts(values.shifts),
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

/** `-1,0,1` → [-1, 0, 1]: whole-pixel horizontal shifts averaged at inference. */
function parseShifts(text: string): number[] {
  const shifts = text.split(',').map((s) => Number(s.trim()));
  if (shifts.length === 0 || !shifts.every((s) => Number.isInteger(s) && Math.abs(s) <= 4)) {
    throw new Error(
      `--shifts must be whole pixels within ±4, comma-separated (e.g. --shifts=-1,0,1), got '${text}'`,
    );
  }
  return shifts;
}
