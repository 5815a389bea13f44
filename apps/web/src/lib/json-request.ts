import type { z } from 'zod';

/** A JSON body checked against a schema: the data, or a 400 Response that says what is wrong. */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.infer<S> | Response> {
  const body: unknown = await request.json().catch(() => undefined);
  if (body === undefined) return badRequest('expected a JSON body');
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return badRequest(problems.join('; '));
  }
  return parsed.data;
}

export function badRequest(error: string): Response {
  return Response.json({ error }, { status: 400, headers: { 'cache-control': 'no-store' } });
}
