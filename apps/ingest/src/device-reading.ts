import { z } from 'zod';
import { OutboundError, outboundRequest, type OutboundPolicy } from '@metertwin/egress';

/**
 * AI-on-the-edge-device's `/json`: one entry per number sequence of the device, e.g.
 * `{"main": {"value": "521.17108", "raw": "521.17108", "pre": "521.17108", "error": "no error",
 * "rate": "0.023780", "timestamp": "2023-01-13T16:00:42+0100"}}` (jomjol/AI-on-the-edge-device-docs, REST API).
 */
const AiOnTheEdgeJson = z.record(
  z.string(),
  z.object({
    value: z.string(),
    raw: z.string().optional(),
    pre: z.string().optional(),
    error: z.string().optional(),
    rate: z.string().optional(),
    timestamp: z.string().optional(),
  }),
);

/** The camera's own reading as stored on the capture (Capture.deviceReading). */
export type DeviceReading =
  | { firmware: 'ai-on-the-edge'; number: string; value: string | null; raw: string | null; error: string | null; timestamp: string | null }
  | { firmware: 'ai-on-the-edge'; error: string };

const MAX_BYTES = 64 * 1024;

/** The first number sequence named `main` (the firmware's default), else the first one. */
export function parseAiOnTheEdge(body: string): DeviceReading {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { firmware: 'ai-on-the-edge', error: 'the camera did not answer JSON' };
  }
  const parsed = AiOnTheEdgeJson.safeParse(json);
  if (!parsed.success || Object.keys(parsed.data).length === 0) return { firmware: 'ai-on-the-edge', error: 'the camera answered JSON without a reading' };
  const [number, entry] = Object.entries(parsed.data).find(([name]) => name === 'main') ?? Object.entries(parsed.data)[0]!;
  const text = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : null);
  return {
    firmware: 'ai-on-the-edge',
    number,
    value: text(entry.value),
    raw: text(entry.raw),
    // The firmware says "no error" when there is none.
    error: entry.error && entry.error.trim().toLowerCase() !== 'no error' ? entry.error.trim() : null,
    timestamp: text(entry.timestamp),
  };
}

/**
 * Fetches the camera's own reading through the organization's outbound policy. Never throws for the
 * camera's failings: a reading that could not be had is recorded with why, and the photo goes on.
 */
export async function fetchDeviceReading(
  url: string,
  options: { policy: OutboundPolicy; timeoutMs: number; authorization?: string },
): Promise<DeviceReading> {
  try {
    const response = await outboundRequest(url, {
      policy: options.policy,
      timeoutMs: options.timeoutMs,
      maxBytes: MAX_BYTES,
      headers: { accept: 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
    });
    if (response.status < 200 || response.status >= 300) return { firmware: 'ai-on-the-edge', error: `the camera answered HTTP ${response.status}` };
    return parseAiOnTheEdge(response.body.toString('utf8'));
  } catch (error) {
    if (error instanceof OutboundError) return { firmware: 'ai-on-the-edge', error: error.message };
    throw error;
  }
}
