import { Prisma } from './generated/client.js';

/** Prisma's codes for "the database could not be reached or did not answer in time". */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** Driver-adapter error kinds that say the same. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/**
 * Postgres SQLSTATEs of a connection lost or refused: class 08 (connection exception), 57P01–57P03
 * (server shut down / terminated the session / cannot connect now) and 53300 (too many connections).
 */
const unreachableSqlState = (code: unknown) =>
  typeof code === 'string' && (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code));

interface AdapterCause {
  kind?: string;
  code?: string;
  originalCode?: string;
}

/** The driver adapter's own description, whether thrown bare or wrapped in a Prisma error's meta. */
function adapterCause(error: unknown): AdapterCause | undefined {
  if (error instanceof Error && error.name === 'DriverAdapterError') return (error as Error & { cause?: AdapterCause }).cause;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return (error.meta?.driverAdapterError as { cause?: AdapterCause } | undefined)?.cause;
  }
  return undefined;
}

/**
 * Whether an error means Postgres was out of reach (restarted, connections terminated, pool
 * exhausted) rather than that the request was wrong: such a request is worth sending again later,
 * and the caller hears 503, not 500. A connection the server terminated while idle in the pool
 * surfaces as a bare DriverAdapterError on the next query, which is why the cause is read too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError && UNREACHABLE_CODES.has(error.code)) return true;
  const cause = adapterCause(error);
  if (!cause) return false;
  return UNREACHABLE_KINDS.has(cause.kind ?? '') || unreachableSqlState(cause.code ?? cause.originalCode);
}
