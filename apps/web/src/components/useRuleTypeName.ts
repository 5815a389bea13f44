import { useTranslations } from 'next-intl';
import type { Messages } from '../i18n/messages';

/**
 * A rule type's name in the portal's language ("flow-rate" → "Flow rate" / "유량"); a type of a
 * plugin without a message keeps its identifier.
 */
export function useRuleTypeName(): (type: string) => string {
  const t = useTranslations('ruleTypes');
  return (type) => {
    const key = type as keyof Messages['ruleTypes'];
    return t.has(key) ? t(key) : type;
  };
}
