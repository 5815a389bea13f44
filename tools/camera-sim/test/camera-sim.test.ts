import { afterEach, describe, expect, it } from 'vitest';
import { CounterLayoutSchema } from '@metertwin/contracts';
import { ImageRejectedError, cropDigits, probeImage } from '@metertwin/vision';
import { startCameraSimulator, type CameraSimulator } from '../src/index.js';

let sim: CameraSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('camera-sim', () => {
  it('serves a 640×480 JPEG marked as composed, its layout, status and truth', async () => {
    sim = await startCameraSimulator({ start: 1234.5, rate: 2.5 });
    const res = await fetch(`${sim.url}/capture`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-composed')).toBe('true');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(await probeImage(bytes)).toMatchObject({ format: 'jpeg', width: 640, height: 480 });

    const layout = CounterLayoutSchema.parse(await (await fetch(`${sim.url}/layout`)).json());
    expect(layout.digits).toHaveLength(8);
    expect(layout.reference).toEqual({ width: 640, height: 480 });
    const crops = await cropDigits(bytes, layout);
    expect(crops).toHaveLength(8);

    const status = (await (await fetch(`${sim.url}/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ composed: true, mode: 'ok', captures: 1, digits: 5, decimals: 3 });
    const truth = (await (await fetch(`${sim.url}/truth`)).json()) as { value: number };
    expect(truth.value).toBeGreaterThanOrEqual(1234.5);
    expect(truth.value).toBeLessThan(1234.51);
  });

  it('advances the reading with the clock (rate in L/min) and shows it on the drums', async () => {
    let t = Date.UTC(2026, 0, 1, 12);
    sim = await startCameraSimulator({ start: 100, rate: 2.5, now: () => t });
    expect(sim.trueValue()).toBe(100);
    t += 60_000; // one minute: 2.5 L = 0.0025 m³
    expect(sim.trueValue()).toBeCloseTo(100.0025, 9);
    t += 10_000;
    const res = await fetch(`${sim.url}/capture`);
    expect(Number(res.headers.get('x-true-value'))).toBeCloseTo(100 + (70 / 60) * 0.0025, 6);
    expect(res.headers.get('x-true-display')).toBe('00100.002');
    t += 24 * 60 * 60_000; // a day later: 3.6 m³ more
    const truth = (await (await fetch(`${sim.url}/truth`)).json()) as { value: number };
    expect(truth.value).toBeCloseTo(100 + (70 / 60 + 1440) * 0.0025, 6);
  });

  it('advances by the real wall clock by default', async () => {
    sim = await startCameraSimulator({ start: 5, rate: 600 }); // 10 L/s
    const a = sim.trueValue();
    await new Promise((r) => setTimeout(r, 250));
    expect(sim.trueValue() - a).toBeGreaterThan(0.001);
  });

  it('honours basic auth', async () => {
    sim = await startCameraSimulator({ user: 'cam', password: 's3cret' });
    const none = await fetch(`${sim.url}/capture`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await fetch(`${sim.url}/status`, { headers: { authorization: `Basic ${btoa('cam:nope')}` } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${sim.url}/capture`, { headers: { authorization: `Basic ${btoa('cam:s3cret')}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
  });

  it('fault modes: hang does not answer, error500, corrupt, and back to ok', async () => {
    sim = await startCameraSimulator();
    const set = (mode: string) =>
      fetch(`${sim!.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });

    expect((await set('hang')).status).toBe(200);
    const t0 = performance.now();
    await expect(fetch(`${sim.url}/capture`, { signal: AbortSignal.timeout(800) })).rejects.toThrow(/timeout|abort/i);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(700);
    // the control endpoint still answers while captures hang
    expect((await set('error500')).status).toBe(200);
    expect((await fetch(`${sim.url}/capture`)).status).toBe(500);

    sim.setMode('corrupt');
    const bad = await fetch(`${sim.url}/capture`);
    expect(bad.status).toBe(200);
    await expect(probeImage(new Uint8Array(await bad.arrayBuffer()))).rejects.toBeInstanceOf(ImageRejectedError);

    expect((await set('sideways')).status).toBe(400);
    await set('ok');
    expect((await fetch(`${sim.url}/capture`)).status).toBe(200);
    // a one-off fault through the query string
    expect((await fetch(`${sim.url}/capture?fault=error500`)).status).toBe(500);
  });
  it("answers the stock CameraWebServer's LED control and records it around each capture", async () => {
    sim = await startCameraSimulator({ seed: 2 });
    const on = await fetch(`${sim.url}/control?var=led_intensity&val=180`);
    expect([on.status, await on.text()]).toEqual([200, '']);
    expect(sim.ledIntensity()).toBe(180);
    await (await fetch(`${sim.url}/capture`)).arrayBuffer();
    expect((await fetch(`${sim.url}/control?var=led_intensity&val=0`)).status).toBe(200);
    expect((await fetch(`${sim.url}/control?var=no_such_setting&val=1`)).status).toBe(500);
    expect(sim.events().map(({ at: _at, ...event }) => event)).toEqual([
      { kind: 'led', intensity: 180 },
      { kind: 'capture', led: 180 },
      { kind: 'led', intensity: 0 },
    ]);
    expect(((await (await fetch(`${sim.url}/status`)).json()) as { ledIntensity: number }).ledIntensity).toBe(0);
    // the simulator's own fault switch still answers on the same path
    expect(await (await fetch(`${sim.url}/control`)).json()).toEqual({ mode: 'ok' });
  });

  it('can be a firmware without LED control', async () => {
    sim = await startCameraSimulator({ seed: 2, ledControl: false });
    expect((await fetch(`${sim.url}/control?var=led_intensity&val=180`)).status).toBe(404);
    expect(sim.ledIntensity()).toBe(0);
  });
});
