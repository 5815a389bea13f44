import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { appDir } from './support/portal';

/**
 * Every word a component shows comes from the messages (messages/<locale>.json), so Korean users
 * never meet an English leftover. This scans the portal's TSX for user-visible text written in place:
 * JSX text, text-bearing attributes (title, placeholder, alt, aria-label, label) and string literals
 * rendered from a JSX expression (`{busy ? 'Saving…' : 'Save'}`). Text without words passes: digits,
 * units, punctuation, separators ("·", "–"), URLs as examples, the product's name and <code>.
 */

const TEXT_ATTRIBUTES = new Set(['title', 'placeholder', 'alt', 'aria-label', 'label', 'aria-description']);

/** Tokens that are not language: the product's name, units, and the time zone's own abbreviation. */
const NON_LANGUAGE = /\b(MeterTwin|kWh|m³|UTC)\b|https?:\/\/\S+/g;
const hasWords = (text: string) => /[A-Za-z]{2,}/.test(text.replace(NON_LANGUAGE, ''));

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

/**
 * A string that reaches the screen as it is: a JSX expression's value itself, or a branch of a
 * conditional or a fallback (`??`, `||`, `&&`) that is. A string passed to a call (a message key, a
 * join separator), compared or used as a key is not.
 */
function isRendered(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (parent) {
    if (ts.isJsxExpression(parent)) {
      const holder = parent.parent;
      // {…} as a child of an element, or as a text-bearing attribute's value
      if (ts.isJsxElement(holder) || ts.isJsxFragment(holder)) return true;
      return ts.isJsxAttribute(holder) && TEXT_ATTRIBUTES.has(holder.name.getText());
    }
    if (ts.isParenthesizedExpression(parent) || ts.isTemplateSpan(parent)) {
      // a template literal's parts are checked with the template itself
    } else if (ts.isConditionalExpression(parent)) {
      if (child === parent.condition) return false;
    } else if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      const fallback =
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.AmpersandAmpersandToken;
      if (!fallback || (op === ts.SyntaxKind.AmpersandAmpersandToken && child === parent.left)) return false;
    } else if (ts.isTemplateExpression(parent)) {
      // a ${…} inside a template: the template as a whole is what is rendered
    } else {
      return false;
    }
    child = parent;
    parent = parent.parent;
  }
  return false;
}

/** Text inside <code> is an API path, a header or a command: the same in every language. */
const isCode = (node: ts.JsxText) =>
  ts.isJsxElement(node.parent) && node.parent.openingElement.tagName.getText() === 'code';

const templateText = (node: ts.TemplateExpression) =>
  [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');

function literalTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    if (!hasWords(text)) return;
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${path.relative(appDir, file)}:${line + 1}: ${JSON.stringify(text.trim())}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      if (!isCode(node)) report(node, node.text);
    }
    else if (ts.isJsxAttribute(node) && TEXT_ATTRIBUTES.has(node.name.getText()) && node.initializer) {
      if (ts.isStringLiteral(node.initializer)) report(node, node.initializer.text);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (isRendered(node)) report(node, node.text);
    } else if (ts.isTemplateExpression(node)) {
      if (isRendered(node)) report(node, templateText(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('components render words only from the messages', () => {
  it('finds no text literal in any component of src/', () => {
    const files = tsxFiles(path.join(appDir, 'src'));
    expect(files.length).toBeGreaterThan(30);
    const found = files.flatMap((file) => literalTexts(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches each way text can be written in place', () => {
    const sample = `
      export function Sample({ busy, name }: { busy: boolean; name?: string }) {
        return (
          <section title="Meter details" aria-label={'Main area'}>
            Add a meter
            <button>{busy ? 'Saving…' : t('save')}</button>
            <span>{name ?? 'No name'}</span>
            <img alt={\`Photo of \${name}\`} />
            <span>{t('fleet.count', { count: 2 })} · m³ · 1,234.5 kWh</span>
            <a href="/alarms" className={busy ? 'busy' : 'idle'}>{['a', 'b'].join(', ')}</a>
            <input placeholder="http://192.168.1.20/capture" />
            <code>POST /v1/actuators</code>
          </section>
        );
      }`;
    expect(literalTexts(path.join(appDir, 'src/Sample.tsx'), sample)).toEqual([
      'src/Sample.tsx:4: "Meter details"',
      'src/Sample.tsx:4: "Main area"',
      'src/Sample.tsx:5: "Add a meter"',
      'src/Sample.tsx:6: "Saving…"',
      'src/Sample.tsx:7: "No name"',
      'src/Sample.tsx:8: "Photo of"',
    ]);
  });
});
