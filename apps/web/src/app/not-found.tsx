import Link from 'next/link';

export default function NotFound() {
  return (
    <section style={{ maxWidth: 560 }}>
      <h1 style={{ fontSize: 26, marginBottom: 8 }}>Not found</h1>
      <p>There is no meter or page at this address. It may have been removed, or the link is mistyped.</p>
      <p>
        <Link href="/">Back to all meters</Link>
      </p>
    </section>
  );
}
