import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/index.js';

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }
    >
  >;
  components: { schemas: Record<string, unknown> };
}

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as unknown as Doc;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, ...op })),
  );

  it('is OpenAPI 3.1 with unique operationIds and every $ref resolving to a component', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && doc.components.schemas[name], ref).toBeTruthy();
    }
  });

  it('declares each path placeholder as a path parameter, and the errors every operation has', () => {
    for (const op of operations) {
      const placeholders = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(
        op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        op.operationId,
      ).toEqual(placeholders);
      expect(Object.keys(op.responses), op.operationId).toEqual(
        expect.arrayContaining(['401', '403', '429']),
      );
    }
  });

  it('describes requests as sent (defaults optional) and responses as received', () => {
    const schemas = doc.components.schemas as Record<string, { required?: string[] }>;
    expect(schemas.NewRule?.required).toEqual(['type', 'config']);
    expect(schemas.Meter?.required).toContain('createdAt');
  });
});
