import { readFileSync, existsSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here, so the deployment files are checked against the repository instead:
// every role the compose file runs must exist in the entrypoint, and every entrypoint target in the build.
const root = resolve(import.meta.dirname, '../..');
// Compose resolves YAML merge keys (`<<: *service`), so the check must too.
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      image?: string;
      build?: { dockerfile?: string; target?: string };
      deploy?: { replicas?: unknown };
      environment?: Record<string, string>;
      ports?: string[];
      expose?: string[];
      volumes?: string[];
      container_name?: string;
      depends_on?: Record<string, { condition: string }>;
    }
  >;
  volumes: Record<string, unknown>;
};
const entrypoint = readFileSync(resolve(root, 'docker/entrypoint.sh'), 'utf8');
const dockerfile = readFileSync(resolve(root, 'docker/Dockerfile'), 'utf8');

/** The services that run in production, each in an image of its own. */
const RUNTIME = ['ingest', 'preprocess', 'recognize', 'notify', 'web'];
/** Dev tooling that must not reach a runtime image: packages, and the training fonts' and glyphs' libraries. */
const DEV_ONLY = ['@metertwin/composer', '@metertwin/training', 'opentype.js', 'dseg'];

interface Lockfile {
  importers: Record<string, { dependencies?: Record<string, { version: string }>; optionalDependencies?: Record<string, { version: string }> }>;
  snapshots: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } | null>;
}
const lockfile = parse(readFileSync(resolve(root, 'pnpm-lock.yaml'), 'utf8')) as Lockfile;

/**
 * Every package a workspace project needs at run time, as pnpm installs it (`deploy --prod`): its
 * dependencies and optional dependencies, through workspace links and the lockfile's snapshots; never
 * devDependencies.
 */
function productionClosure(importer: string): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visitImporter = (dir: string) => {
    if (seen.has(`importer:${dir}`)) return;
    seen.add(`importer:${dir}`);
    const project = lockfile.importers[dir];
    if (!project) throw new Error(`${dir} is not in pnpm-lock.yaml`);
    for (const [name, { version }] of Object.entries({ ...project.dependencies, ...project.optionalDependencies })) {
      names.add(name);
      if (version.startsWith('link:')) visitImporter(posix.normalize(posix.join(dir, version.slice('link:'.length))));
      else visitSnapshot(name, version);
    }
  };
  const visitSnapshot = (name: string, version: string) => {
    const key = `${name}@${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (!(key in lockfile.snapshots)) throw new Error(`${key} is not in pnpm-lock.yaml`);
    const snapshot = lockfile.snapshots[key] ?? {};
    for (const [dep, v] of Object.entries({ ...snapshot.dependencies, ...snapshot.optionalDependencies })) {
      names.add(dep);
      visitSnapshot(dep, v);
    }
  };
  visitImporter(importer);
  return names;
}

/** Fonts the portal itself serves (its package.json's own @fontsource dependencies): allowed in the web image. */
const portalFonts = Object.keys(JSON.parse(readFileSync(resolve(root, 'apps/web/package.json'), 'utf8')).dependencies).filter((n) =>
  n.startsWith('@fontsource'),
);

describe('docker-compose.yml and docker/', () => {
  it('runs the four services with a replica count each, the portal, Postgres and Redis', () => {
    for (const name of ['ingest', 'preprocess', 'recognize', 'notify']) {
      const service = compose.services[name]!;
      expect(service.command, name).toEqual([name]);
      expect(String(service.deploy?.replicas), name).toMatch(/REPLICAS/);
      expect(service.environment?.DATABASE_URL, name).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
      expect(service.environment?.REDIS_URL, name).toBe('redis://redis:6379');
    }
    expect(compose.services.web?.command).toEqual(['web']);
    expect(compose.services.postgres?.image).toMatch(/^postgres:1[5-9]/);
    expect(compose.services.redis?.image).toMatch(/^redis:7/);
    expect(compose.services.redis?.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(compose.services.migrate?.command).toEqual(['migrate']);
  });

  it('gives every role it runs a case in the entrypoint, pointing at files the build makes', () => {
    const ours = Object.values(compose.services).filter((s) => s.image?.startsWith('metertwin-'));
    expect(ours.length).toBeGreaterThanOrEqual(8);
    const roles = new Set(ours.map((s) => s.command![0]!));
    for (const role of roles) expect(entrypoint, role).toMatch(new RegExp(`(^|[|\\s])${role}[|)]`, 'm'));
    for (const app of ['ingest', 'preprocess', 'recognize', 'notify']) {
      expect(existsSync(resolve(root, `apps/${app}/src/main.ts`)), app).toBe(true);
      expect(JSON.parse(readFileSync(resolve(root, `apps/${app}/package.json`), 'utf8')).scripts.build).toMatch(/tsc/);
    }
    expect(existsSync(resolve(root, 'tools/camera-sim/src/main.ts'))).toBe(true);
    expect(existsSync(resolve(root, 'scripts/seed-demo.ts'))).toBe(true);
    expect(existsSync(resolve(root, 'scripts/mqtt-accounts.ts'))).toBe(true);
  });

  it('ships no default secret: compose stops unless the admin token, the secrets key and the broker passwords are given', () => {
    const text = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
    for (const name of ['ADMIN_TOKEN', 'SECRETS_KEY']) {
      expect(compose.services.ingest?.environment?.[name], name).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
      expect(text, name).not.toMatch(new RegExp(`\\$\\{${name}:-`));
    }
    expect(compose.services.mosquitto?.environment?.MQTT_ADMIN_PASSWORD).toMatch(/^\$\{MQTT_ADMIN_PASSWORD:\?/);
    expect(compose.services.ingest?.environment?.MQTT_PASSWORD).toMatch(/^\$\{MQTT_INGEST_PASSWORD:\?/);
    for (const name of ['MQTT_ADMIN_PASSWORD', 'MQTT_INGEST_PASSWORD']) expect(text, name).not.toMatch(new RegExp(`\\$\\{${name}:-`));
  });

  it('runs Mosquitto 2 with dynamic security on a volume, and ingest subscribes to it with an account made before it starts', () => {
    const broker = compose.services.mosquitto!;
    expect(broker.image).toMatch(/^eclipse-mosquitto:2(\.|$)/);
    expect(broker.volumes).toContain('./docker/mosquitto:/mosquitto/config:ro');
    const data = broker.volumes!.find((v) => v.endsWith(':/mosquitto/data'))!.split(':')[0]!;
    expect(Object.keys(compose.volumes)).toContain(data);
    expect(broker.ports).toEqual(['1883:1883']);

    const conf = readFileSync(resolve(root, 'docker/mosquitto/mosquitto.conf'), 'utf8');
    const setting = (name: string) => new RegExp(`^${name} (.+)$`, 'm').exec(conf)?.[1];
    expect(setting('listener')).toBe('1883');
    expect(setting('allow_anonymous')).toBe('false');
    // the plugin's path in eclipse-mosquitto's image (its Dockerfile installs it there)
    expect(setting('plugin')).toBe('/usr/lib/mosquitto_dynamic_security.so');
    const dynsec = setting('plugin_opt_config_file')!;
    expect(dynsec.startsWith('/mosquitto/data/'), 'the accounts live on the volume').toBe(true);
    expect(setting('persistence')).toBe('true');
    expect(setting('persistence_location')).toBe('/mosquitto/data/');

    // The start script makes the admin account in that same file on the first start, then runs that config.
    expect(broker.command).toEqual(['sh', '/mosquitto/config/start.sh']);
    const start = readFileSync(resolve(root, 'docker/mosquitto/start.sh'), 'utf8');
    expect(start).toContain(`dynsec=${dynsec}`);
    expect(start).toMatch(/mosquitto_ctrl dynsec init "\$dynsec" metertwin-admin "\$MQTT_ADMIN_PASSWORD"/);
    expect(start).toMatch(/exec \/usr\/sbin\/mosquitto -c \/mosquitto\/config\/mosquitto\.conf$/m);

    // Ingest's account is made with that admin account (scripts/mqtt-accounts.ts) before ingest starts.
    const accounts = compose.services['mqtt-accounts']!;
    expect(accounts.command).toEqual(['mqtt-accounts']);
    expect(accounts.depends_on?.mosquitto?.condition).toBe('service_healthy');
    expect(accounts.environment?.MQTT_ADMIN_PASSWORD).toBe(broker.environment?.MQTT_ADMIN_PASSWORD);
    expect(readFileSync(resolve(root, 'scripts/mqtt-accounts.ts'), 'utf8')).toMatch(/username: 'metertwin-admin'[^]*ensureIngestAccount\(env\.MQTT_USERNAME, env\.MQTT_PASSWORD\)/);
    const ingest = compose.services.ingest!;
    expect(ingest.depends_on?.['mqtt-accounts']?.condition).toBe('service_completed_successfully');
    expect(ingest.environment?.MQTT_URL).toBe('mqtt://mosquitto:1883');
    for (const name of ['MQTT_URL', 'MQTT_USERNAME', 'MQTT_PASSWORD']) expect(ingest.environment?.[name], name).toBe(accounts.environment?.[name]);
    // each replica's client id defaults to its own hostname: none is set for all of them
    expect(ingest.environment?.MQTT_CLIENT_ID).toBeUndefined();
  });

  it('can scale every service (`--scale ingest=2`): no replicated service binds a host port or a container name; devices reach ingest through the gateway', () => {
    for (const [name, service] of Object.entries(compose.services).filter(([, s]) => s.deploy?.replicas !== undefined)) {
      expect(service.ports, name).toBeUndefined();
      expect(service.container_name, name).toBeUndefined();
    }
    // Host ports are each bound once.
    const hostPorts = Object.values(compose.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);

    const ingestPort = compose.services.ingest!.environment!.PORT!;
    expect(compose.services.ingest!.expose).toEqual([ingestPort]);
    const gateway = compose.services['device-gateway']!;
    expect(gateway.image).toMatch(/^caddy:2/);
    expect(gateway.ports).toEqual([`${ingestPort}:${ingestPort}`]);
    expect(gateway.depends_on?.ingest).toBeDefined();
    expect(gateway.volumes).toContain('./docker/caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
    const caddyfile = readFileSync(resolve(root, 'docker/caddy/Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(new RegExp(`^:${ingestPort} \\{`, 'm'));
    // every replica's address from Docker's DNS, refreshed as replicas come and go
    expect(caddyfile).toMatch(new RegExp(`dynamic a ingest ${ingestPort} \\{\\s*refresh \\d+s`));
  });

  it('builds each service from a target of its own that holds only its production dependencies', () => {
    const deploy = /for service in ([\w ]+); do[^]*?deploy --prod "\/deploy\/\$service"/.exec(dockerfile);
    expect(deploy, 'a pnpm deploy --prod per service in docker/Dockerfile').not.toBeNull();
    expect(deploy![1]!.split(' ').sort()).toEqual([...RUNTIME].sort());
    for (const name of RUNTIME) {
      const service = compose.services[name]!;
      expect(service.build?.target, name).toBe(name);
      expect(service.image, name).toBe(`metertwin-${name}:latest`);
      // The target stage copies the deployed folder and nothing else from the build.
      const stage = new RegExp(`^FROM runtime AS ${name}\\n((?:(?!FROM ).*\\n?)*)`, 'm').exec(dockerfile);
      expect(stage, `stage ${name}`).not.toBeNull();
      expect(stage![1]!.trim(), name).toBe(`COPY --from=build /deploy/${name} /app/apps/${name}`);
    }
    // What is not a service (migrations, the demo) runs the tools image.
    for (const name of ['migrate', 'mqtt-accounts', 'camera-sim', 'seed-demo']) expect(compose.services[name]?.build?.target, name).toBe('tools');
  });

  it('keeps the composer, training and their fonts out of every runtime image', () => {
    // The check sees dev tooling where it is: the CLI (train, compose) needs all of it.
    const cli = productionClosure('apps/cli');
    for (const name of [...DEV_ONLY, '@metertwin/sample-data', '@fontsource/oswald']) expect(cli, name).toContain(name);
    for (const name of RUNTIME) {
      const closure = productionClosure(`apps/${name}`);
      expect(closure.size, name).toBeGreaterThan(10);
      const devOnly = [...closure].filter((n) => DEV_ONLY.includes(n) || (n.startsWith('@fontsource') && !portalFonts.includes(n)));
      expect(devOnly, name).toEqual([]);
    }
  });
});
