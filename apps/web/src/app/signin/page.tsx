import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { safeNextPath } from '../../lib/next-path';
import { currentUser } from '../../lib/session';
import styles from './signin.module.css';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  invalid: 'That e-mail and password do not match an account. Check both and try again.',
  missing: 'Enter your e-mail and your password.',
  throttled: 'Too many failed attempts.',
  unavailable:
    'Sign-in is paused for a moment: the guard against password guessing does not answer. Try again shortly.',
};

// Seconds until the throttle lets this sign-in try again (the sign-in route adds it to `throttled`).
const RetrySchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 3600);

function tryAgainIn(retry: unknown): string {
  const seconds = RetrySchema.safeParse(retry);
  if (!seconds.success) return 'Try again later.';
  if (seconds.data < 90) return `Try again in ${seconds.data} seconds.`;
  return `Try again in ${Math.ceil(seconds.data / 60)} minutes.`;
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  if (await currentUser()) redirect(next);
  const reason = typeof params.error === 'string' ? ERRORS[params.error] : undefined;
  const error = params.error === 'throttled' ? `${reason} ${tryAgainIn(params.retry)}` : reason;

  return (
    <section className={styles.card} aria-labelledby="signin-title">
      <h1 id="signin-title" className={styles.title}>
        Sign in
      </h1>
      <p className="muted">Use the account your organization gave you.</p>
      {error ? (
        <p className={styles.error} role="alert" id="signin-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/api/auth/signin" className={styles.form}>
        <input type="hidden" name="next" value={next} />
        <label htmlFor="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <button type="submit" className={styles.submit}>
          Sign in
        </button>
      </form>
    </section>
  );
}
