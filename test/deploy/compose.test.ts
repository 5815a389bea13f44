import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here, so the deployment files are checked against the repository instead:
// every role the compose file runs must exist in the entrypoint, and every entrypoint target in the build.
const root = resolve(import.meta.dirname, '../..');
// Compose resolves YAML merge keys (`<<: *service`), so the check must too.
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; image?: string; deploy?: { replicas?: unknown }; environment?: Record<string, string> }>;
};
const entrypoint = readFileSync(resolve(root, 'docker/entrypoint.sh'), 'utf8');

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
    const ours = Object.values(compose.services).filter((s) => s.image === 'metertwin:latest');
    expect(ours.length).toBeGreaterThanOrEqual(8);
    const roles = new Set(ours.map((s) => s.command![0]!));
    for (const role of roles) expect(entrypoint, role).toMatch(new RegExp(`(^|[|\\s])${role}[|)]`, 'm'));
    for (const app of ['ingest', 'preprocess', 'recognize', 'notify']) {
      expect(existsSync(resolve(root, `apps/${app}/src/main.ts`)), app).toBe(true);
      expect(JSON.parse(readFileSync(resolve(root, `apps/${app}/package.json`), 'utf8')).scripts.build).toMatch(/tsc/);
    }
    expect(existsSync(resolve(root, 'tools/camera-sim/src/main.ts'))).toBe(true);
    expect(existsSync(resolve(root, 'scripts/seed-demo.ts'))).toBe(true);
  });

  it('ships no default secret: compose stops unless the admin token and the secrets key are given', () => {
    const text = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
    for (const name of ['ADMIN_TOKEN', 'SECRETS_KEY']) {
      expect(compose.services.ingest?.environment?.[name], name).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
      expect(text, name).not.toMatch(new RegExp(`\\$\\{${name}:-`));
    }
  });
});
