'use client';

import { useTranslations } from 'next-intl';

const CODES = [
  'user-not-found',
  'invitation-not-found',
  'already-member',
  'last-admin',
  'link-invalid',
  'account-deactivated',
  'mail-failed',
] as const;
type Code = (typeof CODES)[number];
const isCode = (code: string): code is Code => (CODES as readonly string[]).includes(code);

/** The text of an org-admin route's refusal `code` in the user's language (for useServerChange). */
export function useOrgAdminErrorText(): (code: string) => string | undefined {
  const t = useTranslations('admin.errors');
  return (code) => (isCode(code) ? t(code) : undefined);
}
