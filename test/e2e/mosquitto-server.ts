import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@metertwin/testing';
import { freePort } from './redis-server.js';

/** Debian's mosquitto package ships the plugin under the architecture's library directory. */
async function dynsecPlugin(): Promise<string> {
  for (const dir of await readdir('/usr/lib')) {
    const candidate = join('/usr/lib', dir, 'mosquitto_dynamic_security.so');
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error('mosquitto_dynamic_security.so not found under /usr/lib/*/ (apt-get install mosquitto)');
}

/**
 * A Mosquitto of the test's own on a free port, with the dynamic-security plugin and no anonymous
 * access (as production runs it; Debian's mosquitto package ships the plugin): only the admin
 * account exists at first, and MqttAccounts creates the rest.
 */
export async function startMosquitto(admin = { username: 'admin', password: 'admin-password-0123' }) {
  const dir = await mkdtemp(join(tmpdir(), 'metertwin-mosquitto-'));
  const port = await freePort();
  const dynsec = join(dir, 'dynamic-security.json');
  await promisify(execFile)('mosquitto_ctrl', ['dynsec', 'init', dynsec, admin.username, admin.password]);
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    // run as whoever runs the tests (as root, mosquitto would switch to its own user, who cannot read this directory)
    [`user ${userInfo().username}`, `listener ${port} 127.0.0.1`, 'allow_anonymous false', `plugin ${await dynsecPlugin()}`, `plugin_opt_config_file ${dynsec}`, 'persistence false', ''].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  await waitFor(listening, { timeoutMs: 10_000, what: 'mosquitto to listen' });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    admin,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
