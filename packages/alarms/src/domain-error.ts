import type { FieldIssue } from './field-issues.js';

/**
 * Why a domain operation refused. Each door (a portal route, a notify controller) maps the kind to
 * its own HTTP status, so the rule lives here and the status codes stay what each API promised.
 * - not-found: the thing acted on is not one of the organization's;
 * - reference: something the input names (a meter, an actuator, a user) is not the organization's;
 * - conflict: the thing is not in a state that allows the change;
 * - invalid: the input breaks a domain rule (a rule config its type refuses).
 */
export type DomainErrorKind = 'not-found' | 'reference' | 'conflict' | 'invalid';

/** Values a refusal's text is made of (a field's name, a count), for a client that words it itself. */
export type ErrorParams = Record<string, string | number>;

/**
 * A refusal may carry a stable `code` and its `params` next to the English message: the portal
 * answers them so a page shows its own text for the code in the user's language (messages
 * `errors.codes.<code>`); a refusal without a code is shown as its message.
 */
export interface ErrorDetail {
  code: string;
  params?: ErrorParams;
  /** For code `invalid-fields`: each field the input's schema refused. */
  issues?: FieldIssue[];
}

export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: string | undefined;
  readonly params: ErrorParams | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    detail?: ErrorDetail,
  ) {
    super(message);
    this.code = detail?.code;
    this.params = detail?.params;
    this.issues = detail?.issues;
  }
}
