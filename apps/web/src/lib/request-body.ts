import type { z } from 'zod';
import { fieldIssues, refusalResponse, type RefusalBody } from './refusal';

/**
 * The one way route handlers read a request body: streamed with a hard byte cap, so an oversized or
 * endless body costs at most the cap (plus one chunk) in memory before it is refused with 413.
 * request.json(), .text() and .formData() read everything first; do not call them in a route.
 */

/** Default cap of a small JSON body (rules, reviews, preferences, push subscriptions). */
export const JSON_BODY_MAX_BYTES = 64 * 1024;
/** The sign-in form: an e-mail (≤ 320), a password (≤ 1000) and a next path (≤ 2000), URL-encoded. */
export const SIGN_IN_FORM_MAX_BYTES = 8 * 1024;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Why a body could not be read: its status, the English text and the code the page words (see refusal.ts). */
export interface BodyRefusal extends RefusalBody {
  status: 400 | 413 | 415;
}

const tooLarge = (maxBytes: number): BodyRefusal => ({
  status: 413,
  error: `body larger than ${maxBytes} bytes`,
  code: 'body-too-large',
  params: { maxBytes },
});
const notJson: BodyRefusal = { status: 400, error: 'expected a JSON body', code: 'body-not-json' };
const notUtf8Form: BodyRefusal = { status: 400, error: 'the form is not UTF-8', code: 'form-not-utf8' };

function bodyRefusalResponse({ status, ...body }: BodyRefusal): Response {
  return refusalResponse(status, body);
}

/**
 * A refused body's stream is cancelled this long after the 413, not at once: under `next start`
 * cancelling destroys the request's socket, and a client still sending would then see a reset
 * instead of the 413. In the meantime nothing more is read: the socket's buffers fill up and TCP
 * holds the client back, so the wait costs no memory.
 */
const CANCEL_AFTER_MS = 1000;

/** The 415 refusal, unless the Content-Type's media type (parameters such as charset aside) is `expected`. */
function wrongContentType(request: Request, expected: string): BodyRefusal | null {
  const header = request.headers.get('content-type');
  const mediaType = header?.split(';')[0]!.trim().toLowerCase();
  if (mediaType === expected) return null;
  return {
    status: 415,
    error: `send the body as ${expected} (Content-Type was ${header ? `"${header}"` : 'missing'})`,
    code: 'wrong-content-type',
    params: { expected },
  };
}

/**
 * The body's bytes, or 413 when it is larger than `maxBytes`: at once for a larger Content-Length
 * (nothing is read; Node discards what the client still sends), otherwise as soon as the running
 * count passes the cap, so a chunked body without Content-Length cannot get around it.
 */
async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array | BodyRefusal> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      setTimeout(() => void reader.cancel().catch(() => {}), CANCEL_AFTER_MS).unref();
      return tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** UTF-8 text of the body (a BOM dropped), or null for bytes that are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The parsed JSON of an application/json body, or why not: 415 for another content type, 413 past
 * `maxBytes`, 400 for bytes that are not JSON. For routes that answer in an error shape of their own
 * (/api/v1); the others use readJsonBody.
 */
export async function readJson(
  request: Request,
  maxBytes: number = JSON_BODY_MAX_BYTES,
): Promise<{ json: unknown } | BodyRefusal> {
  const unsupported = wrongContentType(request, JSON_TYPE);
  if (unsupported) return unsupported;
  const bytes = await readBodyBytes(request, maxBytes);
  if (!(bytes instanceof Uint8Array)) return bytes;
  try {
    return { json: JSON.parse(decodeUtf8(bytes) ?? '') as unknown };
  } catch {
    return notJson;
  }
}

/**
 * An application/json body validated by `schema`, or the Response to return: 415 for another
 * content type, 413 past `maxBytes`, 400 for bytes that are not JSON, `refusedStatus` (400, or 422
 * where the data is a description the route checks for sense, such as a counter layout) for data
 * the schema refuses: every problem listed as "path: message" in `error`, and as `issues` with
 * a code per field (code `invalid-fields`) for the page to word in the user's language.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes: number = JSON_BODY_MAX_BYTES,
  refusedStatus: 400 | 422 = 400,
): Promise<z.output<S> | Response> {
  const body = await readJson(request, maxBytes);
  if (!('json' in body)) return bodyRefusalResponse(body);
  const parsed = schema.safeParse(body.json, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return refusalResponse(refusedStatus, {
      error: problems.join('; '),
      code: 'invalid-fields',
      issues: fieldIssues(parsed.error.issues),
    });
  }
  return parsed.data;
}

/**
 * The fields of an application/x-www-form-urlencoded body (what an HTML form posts), or the
 * Response to return: 415 for another content type, 413 past `maxBytes`, 400 for bytes that are
 * not UTF-8. The caller validates the fields (a form answers with a page, not with JSON).
 */
export async function readFormBody(request: Request, maxBytes: number): Promise<URLSearchParams | Response> {
  const unsupported = wrongContentType(request, FORM_TYPE);
  if (unsupported) return bodyRefusalResponse(unsupported);
  const bytes = await readBodyBytes(request, maxBytes);
  if (!(bytes instanceof Uint8Array)) return bodyRefusalResponse(bytes);
  const text = decodeUtf8(bytes);
  if (text === null) return bodyRefusalResponse(notUtf8Form);
  return new URLSearchParams(text);
}
