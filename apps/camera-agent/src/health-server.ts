import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CameraAgent } from './agent.js';

/** GET /healthz: the agent's health as JSON, 200 when ok and 503 when degraded (for a watchdog or a monitoring probe). */
export async function startHealthServer(agent: CameraAgent, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    agent.health().then(
      (health) => res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health)),
      (error: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message })),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${bound}` };
}
