import type { RulePlugin } from './plugin.js';
import { thresholdRule } from './threshold.rule.js';

/** The rule types the engine knows, by type name. */
export class RuleRegistry {
  private readonly plugins = new Map<string, RulePlugin>();

  constructor(plugins: RulePlugin<never>[] = [thresholdRule as RulePlugin<never>]) {
    for (const plugin of plugins) this.register(plugin);
  }

  register(plugin: RulePlugin<never>): void {
    if (this.plugins.has(plugin.type)) throw new Error(`rule type "${plugin.type}" is registered twice`);
    this.plugins.set(plugin.type, plugin as RulePlugin);
  }

  get(type: string): RulePlugin | undefined {
    return this.plugins.get(type);
  }
}
