import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isImageFile, loadDigitClassifier, loadPointerClassifier, parseKind } from '@metertwin/recognizer';
import type { Command } from '../command.js';

const usage = 'usage: metertwin classify digits|pointers DIR [--model DIR]';
const BATCH = 256;

export const command: Command = {
  summary: 'classify crops: classify digits|pointers DIR → one JSON line per image',
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { model: { type: 'string' } },
    });
    const [kindArg, dir, ...extra] = positionals;
    if (!dir || extra.length > 0) throw new Error(usage);
    const kind = parseKind(kindArg);
    const entries = await readdir(dir, { withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile() && isImageFile(e.name))
      .map((e) => e.name)
      .sort();
    const modelDir = values.model ? path.resolve(values.model) : undefined;
    const classifier = kind === 'digits' ? await loadDigitClassifier(modelDir) : await loadPointerClassifier(modelDir);
    for (let start = 0; start < files.length; start += BATCH) {
      const names = files.slice(start, start + BATCH);
      const results = await classifier.classify(names.map((n) => path.join(dir, n)));
      const lines = names.map((file, i) => {
        const r = results[i]!;
        const digit = 'digit' in r ? `, "digit": ${String(r.digit)}` : '';
        return `{"file": ${JSON.stringify(file)}, "value": ${r.value.toFixed(1)}${digit}, "confidence": ${r.confidence}}\n`;
      });
      process.stdout.write(lines.join(''));
    }
    classifier.dispose();
  },
};
