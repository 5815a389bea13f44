/**
 * Where to send the browser after sign-in. Kept apart from lib/auth.ts so proxy.ts can use it
 * without node:crypto.
 */

// Any fixed origin will do: only whether a value stays on it matters.
const BASE = 'http://next-path.invalid';
// Browsers drop tabs and newlines from URLs and read "\" as "/": "/\t/evil" and "/\evil" go to evil.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/** The path, query and fragment `value` resolves to on this site, or null when it leaves it. */
function localPath(value: string): string | null {
  if (!value.startsWith('/') || CONTROL_OR_BACKSLASH.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil" parses to the path "//evil", which a browser reads as the host "evil".
  return url.origin === BASE && !path.startsWith('//') ? path : null;
}

/**
 * A same-site path (with query and fragment) to return to after sign-in, normalized by the WHATWG
 * URL parser; "/" for anything else. The value is checked once more percent-decoded, so "/%09/evil"
 * or "/%2F%2Fevil" is refused too: nothing that reads it later can decode it into an off-site URL.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next) return '/';
  const path = localPath(next);
  if (path === null) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return '/';
  }
  return localPath(decoded) === null ? '/' : path;
}
