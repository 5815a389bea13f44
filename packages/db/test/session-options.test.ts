import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createPrismaClient } from '../src/index.js';

async function jitOf(url: string): Promise<string> {
  const prisma = createPrismaClient(url);
  try {
    const [row] = await prisma.$queryRaw<{ jit: string }[]>`SHOW jit`;
    return row!.jit;
  } finally {
    await prisma.$disconnect();
  }
}

describe('createPrismaClient session options', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('turns JIT off for its connections (the server default is on)', async () => {
    expect(await jitOf(db.url)).toBe('off');
  });

  it("keeps the URL's own options", async () => {
    const url = new URL(db.url);
    url.searchParams.set('options', '-c jit=on');
    expect(await jitOf(url.toString())).toBe('on');
  });
});
