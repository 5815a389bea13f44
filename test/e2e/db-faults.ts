import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@metertwin/db';

/**
 * Makes Postgres refuse writes to one table (a trigger raising an exception, optionally only for rows
 * matching `when`) until the returned function is called: a database failure at a chosen point of a
 * real worker's job, without touching the code under test.
 */
export async function refuseWrites(prisma: PrismaClient, table: string, when = 'true'): Promise<() => Promise<void>> {
  const name = `test_refuse_${randomBytes(4).toString('hex')}`;
  await prisma.$executeRawUnsafe(
    `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault: % refused', TG_TABLE_NAME; END $$`,
  );
  await prisma.$executeRawUnsafe(`CREATE TRIGGER "${name}" BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION "${name}"()`);
  return async () => {
    await prisma.$executeRawUnsafe(`DROP TRIGGER "${name}" ON "${table}"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION "${name}"()`);
  };
}
