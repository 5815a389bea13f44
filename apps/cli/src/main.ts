#!/usr/bin/env node
// `pnpm -s metertwin <command> …`: commands and their JSON output are an interface other tools use.
import type { Command } from './command.js';

// Loaded on demand so that `classify` does not pay for the composer, nor `compose` for TensorFlow.
const commands: Record<string, () => Promise<Command>> = {
  adapt: async () => (await import('./commands/adapt.js')).command,
  classify: async () => (await import('./commands/classify.js')).command,
  compose: async () => (await import('./commands/compose.js')).command,
  ensemble: async () => (await import('./commands/ensemble.js')).command,
  evaluate: async () => (await import('./commands/evaluate.js')).command,
  'export-training': async () => (await import('./commands/export-training.js')).command,
  locate: async () => (await import('./commands/locate.js')).command,
  read: async () => (await import('./commands/read.js')).command,
  train: async () => (await import('./commands/train.js')).command,
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const load = name ? commands[name] : undefined;
  if (!load) {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([n, l]) => `  ${n.padEnd(10)} ${(await l()).summary}`),
    );
    process.stderr.write(`usage: metertwin <command> [options]\n\n${lines.join('\n')}\n`);
    process.exitCode = name ? 2 : 0;
    return;
  }
  await (await load()).run(rest);
}

main().catch((error: unknown) => {
  process.stderr.write(`metertwin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
