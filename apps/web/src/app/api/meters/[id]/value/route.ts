import { setMeterValue, SetMeterValueSchema } from '@metertwin/meters';
import { apiRoute, noStore } from '../../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/meters/:id/value {value, at?, reason} (operator+): "the meter reads value from at (now)". */
export const POST = apiRoute<{ id: string }, typeof SetMeterValueSchema>(
  { role: 'operator', body: SetMeterValueSchema },
  async ({ db, actor, params: { id }, body }) => {
    const anchor = await setMeterValue(db, actor, id, body);
    return Response.json(
      { id: anchor.id, value: body.value, setAt: anchor.setAt.toISOString(), reason: anchor.reason },
      { status: 201, headers: noStore },
    );
  },
);
