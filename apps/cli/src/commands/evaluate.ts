import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateRecognizer, parseKind } from '@metertwin/recognizer';
import type { Command } from '../command.js';

const usage = 'usage: metertwin evaluate digits|pointers --data DIR [--model DIR]';

export const command: Command = {
  summary: 'score a model on the val split: evaluate digits|pointers --data DIR → JSON report',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { data: { type: 'string' }, model: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new Error(usage);
    const report = await evaluateRecognizer(parseKind(positionals[0]), {
      dataDir: values.data ? path.resolve(values.data) : undefined,
      modelDir: values.model ? path.resolve(values.model) : undefined,
    });
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  },
};
