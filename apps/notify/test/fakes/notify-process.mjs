// notify as its own process, with FCM and web push pointed at the fake providers on
// 127.0.0.1:$FAKE_PROVIDERS_PORT (see providers.ts), so a test can kill it hard (SIGKILL).
// Runs the built service: `pnpm turbo run build --filter @metertwin/notify...` first.
import 'reflect-metadata';
import { Agent } from 'node:https';
import { connect } from 'node:net';
import { startNotify } from '@metertwin/notify';

class LoopbackHttpsAgent extends Agent {
  constructor(port) {
    super();
    this.port = port;
  }
  createConnection() {
    return connect({ host: '127.0.0.1', port: this.port });
  }
}

const port = Number(process.env.FAKE_PROVIDERS_PORT);
await startNotify(process.env, {
  delivery: {
    fcm: {
      credential: { getAccessToken: async () => ({ access_token: 'fake-fcm-access-token', expires_in: 3600 }) },
      httpAgent: new LoopbackHttpsAgent(port),
    },
    webPushAgent: () => new LoopbackHttpsAgent(port),
  },
});
process.stdout.write('notify-process ready\n');
