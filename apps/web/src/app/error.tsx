'use client';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section role="alert" style={{ maxWidth: 560 }}>
      <h1 style={{ fontSize: 26, marginBottom: 8 }}>Something went wrong</h1>
      <p>The portal could not load this page. The database may be unreachable; try again in a moment.</p>
      {error.digest ? (
        <p className="muted">
          Reference: <code>{error.digest}</code>
        </p>
      ) : null}
      <button
        type="button"
        onClick={reset}
        style={{ font: 'inherit', padding: '6px 14px', cursor: 'pointer' }}
      >
        Try again
      </button>
    </section>
  );
}
