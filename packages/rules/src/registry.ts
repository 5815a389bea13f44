import { builtInRules } from './built-in-rules.js';
import type { RulePlugin } from './plugin.js';

/** The rule types the engine knows, by type name: the built-ins unless told otherwise. */
export class RuleRegistry {
  private readonly plugins = new Map<string, RulePlugin>();

  constructor(plugins: readonly RulePlugin[] = builtInRules) {
    for (const plugin of plugins) this.register(plugin);
  }

  register(plugin: RulePlugin): void {
    if (this.plugins.has(plugin.type)) throw new Error(`rule type "${plugin.type}" is registered twice`);
    this.plugins.set(plugin.type, plugin);
  }

  get(type: string): RulePlugin | undefined {
    return this.plugins.get(type);
  }

  /** Every registered plugin, in registration order (built-ins first). */
  list(): RulePlugin[] {
    return [...this.plugins.values()];
  }
}
