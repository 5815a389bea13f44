import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { builtInRules } from './built-in-rules.js';
import type { RulePlugin } from './plugin.js';
import { RuleRegistry } from './registry.js';

/**
 * RULE_PLUGINS: the modules of a deployment's rule plugins, comma-separated (package names or
 * absolute paths), each exporting `rulePlugins`, an array of RulePlugin. notify and the portal both
 * read it, so a plugin's rule type is evaluated by notify and created and edited in the portal.
 */
export const RulePluginsEnvShape = {
  RULE_PLUGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean)),
};

const PluginModuleSchema = z.object({
  rulePlugins: z.array(z.custom<RulePlugin>((p) => typeof (p as RulePlugin | null)?.type === 'string', 'not a rule plugin')),
});

/** Imports the plugin modules; a module that does not export `rulePlugins` stops the caller at start. */
export async function loadRulePlugins(modules: readonly string[]): Promise<RulePlugin[]> {
  const plugins: RulePlugin[] = [];
  for (const name of modules) {
    const specifier = isAbsolute(name) ? pathToFileURL(name).href : name;
    // Loaded by Node at run time, never bundled: the portal's bundler cannot know a deployment's plugins.
    const loaded: unknown = await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ /* @vite-ignore */ specifier);
    const parsed = PluginModuleSchema.safeParse(loaded);
    if (!parsed.success) throw new Error(`rule plugin module ${name} must export rulePlugins, an array of rule plugins`);
    plugins.push(...parsed.data.rulePlugins);
  }
  return plugins;
}

/** The built-ins, the plugins of RULE_PLUGINS and any given in code; a type registered twice throws. */
export async function createRuleRegistry(modules: readonly string[], extra: readonly RulePlugin[] = []): Promise<RuleRegistry> {
  return new RuleRegistry([...builtInRules, ...(await loadRulePlugins(modules)), ...extra]);
}
