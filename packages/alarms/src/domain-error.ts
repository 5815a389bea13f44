/**
 * Why a domain operation refused. Each door (a portal route, a notify controller) maps the kind to
 * its own HTTP status, so the rule lives here and the status codes stay what each API promised.
 * - not-found: the thing acted on is not one of the organization's;
 * - reference: something the input names (a meter, an actuator, a user) is not the organization's;
 * - conflict: the thing is not in a state that allows the change;
 * - invalid: the input breaks a domain rule (a rule config its type refuses).
 */
export type DomainErrorKind = 'not-found' | 'reference' | 'conflict' | 'invalid';

export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
  }
}
