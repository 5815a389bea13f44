import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isImageFile, loadDigitClassifier } from '@metertwin/recognizer';
import type { Command } from '../command.js';

const usage = 'usage: metertwin classify digits DIR [--model DIR]';
const BATCH = 256;

export const command: Command = {
  summary: 'classify crops: classify digits DIR → one JSON line per image',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { model: { type: 'string' } },
    });
    const [kind, dir, ...extra] = positionals;
    if (kind === 'pointers') throw new Error('pointers: not yet trained');
    if (kind !== 'digits' || !dir || extra.length > 0) throw new Error(usage);
    const entries = await readdir(dir, { withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile() && isImageFile(e.name))
      .map((e) => e.name)
      .sort();
    const classifier = await loadDigitClassifier(values.model ? path.resolve(values.model) : undefined);
    for (let start = 0; start < files.length; start += BATCH) {
      const names = files.slice(start, start + BATCH);
      const results = await classifier.classify(names.map((n) => path.join(dir, n)));
      const lines = names.map((file, i) => {
        const r = results[i]!;
        return `{"file": ${JSON.stringify(file)}, "value": ${r.value.toFixed(1)}, "digit": ${r.digit}, "confidence": ${r.confidence}}\n`;
      });
      process.stdout.write(lines.join(''));
    }
    classifier.dispose();
  },
};
