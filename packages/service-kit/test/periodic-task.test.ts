import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PeriodicTask } from '../src/periodic-task.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real pino logger whose lines are kept for the test to read. */
function recordingLogger() {
  const lines: { level: number; msg: string; err?: string; [k: string]: unknown }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('PeriodicTask', () => {
  const started: PeriodicTask[] = [];
  const task = (...args: ConstructorParameters<typeof PeriodicTask>) => {
    const t = new PeriodicTask(...args);
    started.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.stop()));
  });

  it('runs at start, then every period, never two runs at once', async () => {
    const { log } = recordingLogger();
    let active = 0;
    let most = 0;
    let runs = 0;
    const t = task(log, {
      run: async () => {
        runs++;
        most = Math.max(most, ++active);
        await sleep(60);
        active--;
      },
      failure: { message: 'failed' },
    });
    t.start(10);
    expect(runs).toBe(1); // the first run starts at once, before start() returns
    await sleep(400);
    await t.stop();
    expect(most).toBe(1);
    // ticks fell due about every 10 ms, but a run takes 60: only the ones after a run ended started one
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThanOrEqual(8);
  });

  it('uses `first` for the run at start and `run` after it', async () => {
    const { log } = recordingLogger();
    const calls: string[] = [];
    const t = task(log, {
      first: async () => void calls.push('first'),
      run: async () => void calls.push('run'),
      failure: { message: 'failed' },
    });
    t.start(20);
    await sleep(70);
    await t.stop();
    expect(calls[0]).toBe('first');
    expect(calls.slice(1).length).toBeGreaterThanOrEqual(1);
    expect(calls.slice(1).every((c) => c === 'run')).toBe(true);
  });

  it('logs a failed run (rejected or thrown) and runs again on the next tick', async () => {
    const { log, lines } = recordingLogger();
    let runs = 0;
    const t = task(log, {
      run: () => {
        runs++;
        if (runs === 1) throw new Error('thrown at once');
        return Promise.reject(new Error(`broker down ${runs}`));
      },
      failure: { message: 'sweep failed', level: 'warn', fields: { scheduler: 's1' } },
    });
    t.start(20);
    await sleep(100);
    await t.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    const failures = lines.filter((l) => l.msg === 'sweep failed');
    expect(failures).toHaveLength(runs);
    expect(failures[0]).toMatchObject({ level: 40, err: 'thrown at once', scheduler: 's1' });
    expect(failures[1]).toMatchObject({ level: 40, err: 'broker down 2', scheduler: 's1' });
  });

  it('logs at error level unless told otherwise', async () => {
    const { log, lines } = recordingLogger();
    const t = task(log, { run: () => Promise.reject(new Error('no')), failure: { message: 'pass failed' } });
    t.start(1_000);
    await t.stop();
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'pass failed', err: 'no' })]);
  });

  it('stop waits for the run in flight, and no run starts after it', async () => {
    const { log } = recordingLogger();
    let runs = 0;
    let finished = 0;
    const t = task(log, {
      run: async () => {
        runs++;
        await sleep(150);
        finished++;
      },
      failure: { message: 'failed' },
    });
    t.start(10);
    await sleep(20);
    await t.stop();
    expect(finished).toBe(runs);
    await sleep(60);
    expect(runs).toBe(finished);
  });
});
