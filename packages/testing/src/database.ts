import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The server tests create their databases on; CI and developers' machines have it on localhost. */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database with every committed migration applied. The migrations run once, through
 * `prisma migrate deploy`, into a template named after their content; each test database is then a
 * copy of that template, which takes a fraction of a second instead of a Prisma start-up.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `metertwin_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: databaseUrl(name),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function ensureTemplate(): Promise<string> {
  const name = `metertwin_tpl_${await migrationsHash()}`;
  return withAdmin(async (admin) => {
    // One test process builds the template; the others wait for it.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${building}"`);
        await run('pnpm', ['exec', 'prisma', 'migrate', 'deploy'], {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: databaseUrl(building) },
        });
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      }
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

async function migrationsHash(): Promise<string> {
  const dir = resolve(repoRoot, 'prisma/migrations');
  const hash = createHash('sha256');
  for (const entry of (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(entry.name).update(await readFile(resolve(dir, entry.name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 16);
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A BullMQ key prefix of its own, so parallel or earlier runs never see each other's jobs. */
export function uniqueQueuePrefix(): string {
  return `mt-test-${randomBytes(4).toString('hex')}`;
}
