/**
 * Why an outbound request did not happen or did not finish. The message is safe to show to the
 * organization that asked (it never carries a socket error, a resolved internal address or a body
 * from somewhere it should not have gone); `cause` keeps the detail for the service's log.
 */
export type OutboundFailure =
  | 'invalid-url'
  | 'refused'
  | 'unresolvable'
  | 'unreachable'
  | 'timeout'
  | 'too-large'
  | 'redirect';

/**
 * Which refusal of a URL it was, for a client that words it in its own language: the URL does not
 * parse, names another protocol (`protocol`), carries credentials, or its host (`host`) is a private
 * address outside the organization's device networks, or one the platform never connects to.
 */
export type UrlRefusalCode = 'url-not-valid' | 'url-protocol' | 'url-credentials' | 'url-private-address' | 'url-forbidden-address';

export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    readonly failure: OutboundFailure,
    message: string,
    options?: { cause?: unknown; refusal?: { code: UrlRefusalCode; params?: Record<string, string> } },
  ) {
    super(message, options);
    this.refusal = options?.refusal;
  }

  /** For `invalid-url` and `refused`: which one, with its values. */
  readonly refusal: { code: UrlRefusalCode; params?: Record<string, string> } | undefined;
}
