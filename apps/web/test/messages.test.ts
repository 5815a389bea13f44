import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../src/i18n/locales';
import { appDir } from './support/portal';

/**
 * The locales' messages stay in step: the same keys, and each message with the same arguments (ICU
 * placeholders, their types, and rich-text tags) in every language, so no page falls back to a key or
 * loses a figure in one of them. Every message also parses and formats.
 */

type Tree = { [key: string]: string | Tree };

const load = (locale: string): Tree =>
  JSON.parse(readFileSync(path.join(appDir, 'messages', `${locale}.json`), 'utf8')) as Tree;

/** "a.b.c" → message, for every leaf. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

/**
 * The arguments of an ICU message: `name` or `name:type` (plural, select, number, …) and `<tag>`s,
 * with the arguments inside plural and select branches too. Quoted text ('{…}') is literal.
 */
export function icuArguments(message: string): string[] {
  const found = new Set<string>();
  // '' is an apostrophe; ' before a special character quotes up to the next '
  const text = message.replace(/''/g, '').replace(/'[{}#|<][^']*'?/g, '');
  for (const m of text.matchAll(/<(\w+)>/g)) found.add(`<${m[1]}>`);
  let i = 0;
  const skipSpace = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  // a message up to the `}` that closes its branch (or the end)
  const messageBody = () => {
    while (i < text.length && text[i] !== '}') {
      if (text[i] === '{') argument();
      else i++;
    }
  };
  const argument = () => {
    i++; // {
    const head = /^\s*(\w+)\s*(?:,\s*(\w+)\s*)?/.exec(text.slice(i))!;
    i += head[0].length;
    const [, name, type] = head;
    found.add(type ? `${name}:${type}` : name!);
    if (type === 'plural' || type === 'select' || type === 'selectordinal') {
      i++; // ,
      skipSpace();
      while (i < text.length && text[i] !== '}') {
        while (i < text.length && text[i] !== '{') i++; // the selector (=1, one, other, offset:…)
        i++;
        messageBody();
        i++; // } of the branch
        skipSpace();
      }
    } else {
      while (i < text.length && text[i] !== '}') i++; // a style (", integer")
    }
    i++; // } of the argument
  };
  messageBody();
  return [...found].sort();
}

const [reference, ...others] = LOCALES;
const messages = Object.fromEntries(LOCALES.map((l) => [l, flatten(load(l))]));

describe('messages', () => {
  it('reads the arguments of ICU messages', () => {
    expect(icuArguments('{count, plural, =1 {# meter} other {# meters}} in {place}')).toEqual([
      'count:plural',
      'place',
    ]);
    expect(icuArguments('{q, select, energy {Energy} other {Volume ({unit})}} <link>more</link>')).toEqual([
      '<link>',
      'q:select',
      'unit',
    ]);
    expect(icuArguments("it's '{literal}' {real}")).toEqual(['real']);
    expect(icuArguments('{n, plural, other {a word {inner} and {x, number}}}')).toEqual(['inner', 'n:plural', 'x:number']);
  });

  it.each(others)(`%s has exactly the keys of ${reference}`, (locale) => {
    const expected = [...messages[reference]!.keys()].sort();
    const actual = [...messages[locale]!.keys()].sort();
    expect({ missing: expected.filter((k) => !messages[locale]!.has(k)), extra: actual.filter((k) => !messages[reference]!.has(k)) }).toEqual({
      missing: [],
      extra: [],
    });
  });

  it.each(others)(`%s uses the same placeholders as ${reference} in every message`, (locale) => {
    const differing = [...messages[reference]!].flatMap(([key, message]) => {
      const other = messages[locale]!.get(key);
      if (other === undefined) return [];
      const [a, b] = [icuArguments(message), icuArguments(other)];
      // a plural may be written as a plain number in a language without plural forms (Korean)
      const loose = (args: string[]) => args.map((x) => x.replace(/:(plural|number)$/, ''));
      return loose(a).join() === loose(b).join() ? [] : [`${key}: ${a.join(', ')} ≠ ${b.join(', ')}`];
    });
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('%s: every message parses and formats', (locale) => {
    const errors: string[] = [];
    const t = createTranslator({
      locale,
      messages: load(locale),
      onError: (error) => errors.push(error.message),
    });
    for (const [key, message] of messages[locale]!) {
      const values: Record<string, unknown> = {};
      for (const arg of icuArguments(message)) {
        if (arg.startsWith('<')) values[arg.slice(1, -1)] = (chunks: unknown) => chunks;
        else {
          const [name, type] = arg.split(':') as [string, string | undefined];
          values[name] = type === 'plural' || type === 'number' ? 2 : 'other';
        }
      }
      (t.rich as (key: string, values: Record<string, unknown>) => unknown)(key, values);
    }
    expect(errors).toEqual([]);
  });
});
