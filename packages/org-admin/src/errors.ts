import { DomainError, type DomainErrorKind } from '@metertwin/alarms';

/**
 * Why an organization-admin operation refused, as a stable code: the portal shows each code's text
 * in the user's language (messages `errors.codes.<code>`), the message is the English for logs and APIs.
 */
export type OrgAdminErrorCode =
  | 'user-not-found'
  | 'invitation-not-found'
  | 'already-member'
  | 'last-admin'
  | 'link-invalid'
  | 'account-deactivated';

const KIND: Record<OrgAdminErrorCode, DomainErrorKind> = {
  'user-not-found': 'not-found',
  'invitation-not-found': 'not-found',
  'already-member': 'conflict',
  'last-admin': 'conflict',
  'link-invalid': 'not-found',
  'account-deactivated': 'conflict',
};

export class OrgAdminError extends DomainError {
  override name = 'OrgAdminError';

  declare readonly code: OrgAdminErrorCode;

  constructor(code: OrgAdminErrorCode, message: string) {
    super(KIND[code], message, { code });
  }
}

/** The SMTP server refused or could not be reached: nothing was changed (an invitation is taken back). */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}
