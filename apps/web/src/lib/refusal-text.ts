'use client';

import { useTranslations } from 'next-intl';
import type { Messages } from '../i18n/messages';
import type { FieldIssue, RefusalBody } from './refusal';

type Code = keyof Messages['errors']['codes'];
type Field = keyof Messages['errors']['fields'];
type ErrorsTranslator = ReturnType<typeof useTranslations<'errors'>>;

/**
 * A route's refusal (refusal.ts) in the translator's language: the message `errors.codes.<code>`
 * with its params, a `field` param named by `errors.fields` (the last word of its path:
 * `camera.snapshotUrl` is the snapshot URL; a field without a message keeps its path), and for
 * `invalid-fields` every field issue. Undefined when the code (or one issue's code) has no message:
 * the page then shows the server's English text, never half of it.
 */
export function refusalText(t: ErrorsTranslator, { code, params, issues }: Omit<RefusalBody, 'error'>): string | undefined {
  const fieldName = (path: string) => {
    if (path === '(body)') return t('fields.body');
    const word = path.split('.').findLast((part) => !/^\d+$/.test(part)) ?? path;
    return t.has(`fields.${word as Field}`) ? t(`fields.${word as Field}`) : path;
  };
  const text = (code: string, params: FieldIssue['params'] = {}) => {
    if (!t.has(`codes.${code as Code}`)) return undefined;
    const values = 'field' in params ? { ...params, field: fieldName(String(params.field)) } : params;
    return t(`codes.${code as Code}`, values as never);
  };

  if (code === 'invalid-fields' && issues?.length) {
    const texts = issues.map((issue) => text(issue.code, { ...issue.params, field: issue.field }));
    return texts.every((part) => part !== undefined) ? texts.join(' ') : undefined;
  }
  return code ? text(code, params) : undefined;
}

/** refusalText in the user's language. */
export function useRefusalText(): (refusal: Omit<RefusalBody, 'error'>) => string | undefined {
  const t = useTranslations('errors');
  return (refusal) => refusalText(t, refusal);
}
