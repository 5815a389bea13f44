import type { z } from 'zod';

/** A JSON request body validated by `schema`, or the 400 Response that says what is wrong. */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes: number,
): Promise<z.output<S> | Response> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes)
    return Response.json({ error: `body larger than ${maxBytes} bytes` }, { status: 413 });
  const text = await request.text();
  if (text.length > maxBytes)
    return Response.json({ error: `body larger than ${maxBytes} bytes` }, { status: 413 });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return Response.json({ error: 'body is not JSON' }, { status: 400 });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const error = parsed.error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    return Response.json({ error }, { status: 400 });
  }
  return parsed.data;
}
