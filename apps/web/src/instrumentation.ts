/** Runs once when the server starts: a bad configuration stops it with a clear message. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
