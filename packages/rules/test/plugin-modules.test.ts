import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuleRegistry, RulePluginsEnvShape } from '../src/index.js';

describe('RULE_PLUGINS', () => {
  it('splits the comma-separated list of modules', () => {
    expect(RulePluginsEnvShape.RULE_PLUGINS.parse(' a , /b/c.js,,')).toEqual(['a', '/b/c.js']);
    expect(RulePluginsEnvShape.RULE_PLUGINS.parse(undefined)).toEqual([]);
  });

  it('refuses at start a module that does not export rulePlugins, and a type registered twice', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rule-plugins-'));
    const empty = path.join(dir, 'empty.mjs');
    await writeFile(empty, 'export const something = 1;\n');
    await expect(createRuleRegistry([empty])).rejects.toThrow(/must export rulePlugins/);
    const twice = path.join(dir, 'twice.mjs');
    await writeFile(twice, "export const rulePlugins = [{ type: 'threshold' }];\n");
    await expect(createRuleRegistry([twice])).rejects.toThrow(/registered twice/);
  });
});
