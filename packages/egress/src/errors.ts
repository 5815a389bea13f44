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

export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    readonly failure: OutboundFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
