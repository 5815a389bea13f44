import type { ErrorParams, FieldIssue } from '@metertwin/alarms';

/**
 * How every portal route refuses: `error` is the English text (logs, scripts, curl), `code` and
 * `params` let the page say it in the user's language (messages `errors.codes.<code>`, a `field`
 * param through `errors.fields`), `issues` list each field a body's schema refused. A refusal
 * without a code is shown as its text.
 */
export interface RefusalBody {
  error: string;
  code?: string;
  params?: ErrorParams;
  issues?: FieldIssue[];
}

export { fieldIssues, type FieldIssue } from '@metertwin/alarms';

/** The JSON answer of a refusal, never cached. */
export function refusalResponse(status: number, body: RefusalBody, headers?: HeadersInit): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** A refusal from an error that may carry a code (DomainError, OnboardError): the code only when it has one. */
export function refusalOf(error: Error & { code?: string; params?: ErrorParams; issues?: FieldIssue[] }): RefusalBody {
  return {
    error: error.message,
    ...(error.code ? { code: error.code } : {}),
    ...(error.params ? { params: error.params } : {}),
    ...(error.issues ? { issues: error.issues } : {}),
  };
}
