import type { AgentConfig } from './config.js';
import { imageType } from './image.js';
import { runCommand } from './run-command.js';

/** Takes one photo as the config says (a command's stdout or a snapshot URL), the light on around it. */
export async function takePhoto(config: AgentConfig): Promise<Buffer> {
  const { light, timeoutMs, maxImageBytes } = config;
  if (light) {
    await runCommand(light.on, { timeoutMs });
    await new Promise((r) => setTimeout(r, light.settleMs));
  }
  try {
    const photo = 'command' in config.capture
      ? await runCommand(config.capture.command, { timeoutMs, maxBytes: maxImageBytes })
      : await fetchSnapshot(config.capture, timeoutMs, maxImageBytes);
    if (!imageType(photo)) throw new Error(`the camera gave ${photo.length} bytes that are not a JPEG or PNG`);
    return photo;
  } finally {
    if (light) await runCommand(light.off, { timeoutMs });
  }
}

async function fetchSnapshot(
  capture: { snapshotUrl: string; user?: string; password?: string },
  timeoutMs: number,
  maxBytes: number,
): Promise<Buffer> {
  const headers: Record<string, string> = {};
  if (capture.user !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${capture.user}:${capture.password ?? ''}`).toString('base64')}`;
  }
  const res = await fetch(capture.snapshotUrl, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) throw new Error(`the camera answered HTTP ${res.status}`);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`the camera sent more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
}
