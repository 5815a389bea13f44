import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { safeNextPath } from '../../lib/next-path';
import { currentUser } from '../../lib/session';
import styles from './signin.module.css';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  invalid: 'That e-mail and password do not match an account. Check both and try again.',
  missing: 'Enter your e-mail and your password.',
  throttled: 'Too many failed attempts for this account. Wait 15 minutes, then try again.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  if (await currentUser()) redirect(next);
  const error = typeof params.error === 'string' ? ERRORS[params.error] : undefined;

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
