import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { WEBHOOK_EVENT_TYPES } from '@metertwin/contracts';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../src/i18n/locales';
import { appDir } from './support/portal';

const repo = path.resolve(appDir, '../..');

/** Every .ts file under a source folder, tests left out. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(file);
    return file.endsWith('.ts') && !file.endsWith('.test.ts') ? [file] : [];
  });
}

/** What an audit action starts with: the kind of thing it changed. */
const ENTITY = /^(actuation|actuator|adapter|alarm|api-key|meter|organization|photos|reading|readings|rule|slack-channel|user|webhook)\./;
/** The live-update event a review publishes (`reading.stored`), in a file that also writes audit rows. */
const LIVE_EVENTS = ['reading.stored'];

/**
 * The audit actions the code writes: the dotted names quoted in every file that writes an audit row
 * (webhook and live event names, which such a file may also quote, are not actions), plus the ones made from
 * a template (`alarm.${change}`, `actuation.${status}`).
 */
function auditActions(): string[] {
  const roots = ['packages', 'apps'].flatMap((top) =>
    readdirSync(path.join(repo, top)).map((name) => path.join(repo, top, name, 'src')),
  );
  const writers = roots
    .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(sources)
    .map((file) => readFileSync(file, 'utf8'))
    .filter((text) => /recordAudit\(|auditLog\.create\(|this\.audit\(|await audit\(/.test(text));
  const quoted = writers.flatMap((text) => [...text.matchAll(/['`]([a-z-]+(?:\.[a-z-]+)+)['`]/g)].map((m) => m[1]!));
  const events = new Set<string>([...WEBHOOK_EVENT_TYPES, ...LIVE_EVENTS]);
  const templated = ['alarm.acknowledged', 'alarm.cleared', 'actuation.confirmed', 'actuation.timeout', 'actuation.failed'];
  const actions = quoted.filter((name) => !events.has(name) && ENTITY.test(name));
  return [...new Set([...actions, ...templated])].sort();
}

describe('audit action names', () => {
  const actions = auditActions();

  it('finds the actions the code writes', () => {
    expect(actions).toEqual(expect.arrayContaining(['meter.archived', 'user.invited', 'alarm.cleared', 'actuator.override.set']));
  });

  it.each(LOCALES)('has a human name for every action in %s', (locale) => {
    const names = JSON.parse(readFileSync(path.join(appDir, 'messages', `${locale}.json`), 'utf8')).admin.audit.actions;
    const missing = actions.filter((action) => typeof action.split('.').reduce((node, key) => node?.[key], names) !== 'string');
    expect(missing).toEqual([]);
  });
});
