import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { JobGate, runScheduled, TrialLanes, validateSchedule } from './schedule.js';

const MiB = 1024 * 1024;

/** Tasks that finish when told to, recording how many ran at once. */
function trackedTasks() {
  let running = 0;
  let maxRunning = 0;
  const finishers: (() => void)[] = [];
  const task = async (id: number): Promise<number> => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => finishers.push(resolve));
    running -= 1;
    return id;
  };
  /** Lets tasks start, then ends them one by one until `done` settles. */
  const finishAll = async (done: Promise<unknown>): Promise<void> => {
    let settled = false;
    void done.finally(() => {
      settled = true;
    });
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      finishers.shift()?.();
    }
  };
  return { task, finishAll, maxRunning: () => maxRunning };
}

describe('runScheduled', () => {
  it('runs one at a time when the total holds only one budget, whatever --jobs says', async () => {
    const tracked = trackedTasks();
    const done = runScheduled([1, 2, 3, 4], { jobs: 4, totalMemoryBytes: 300 * MiB }, () => 200 * MiB, tracked.task);
    await tracked.finishAll(done);
    expect(await done).toEqual([1, 2, 3, 4]);
    expect(tracked.maxRunning()).toBe(1);
  });

  it('runs --jobs at once when the total holds them', async () => {
    const tracked = trackedTasks();
    const done = runScheduled([1, 2, 3, 4, 5], { jobs: 3, totalMemoryBytes: 10_000 * MiB }, () => 200 * MiB, tracked.task);
    await tracked.finishAll(done);
    expect(await done).toEqual([1, 2, 3, 4, 5]);
    expect(tracked.maxRunning()).toBe(3);
  });

  it('returns results in item order when later items finish first', async () => {
    const results = await runScheduled(
      [30, 1, 10],
      { jobs: 3, totalMemoryBytes: 1000 },
      () => 1,
      async (ms) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ms;
      },
    );
    expect(results).toEqual([30, 1, 10]);
  });
});

describe('JobGate', () => {
  it('admits waiters in arrival order once memory is released', async () => {
    const gate = new JobGate({ jobs: 10, totalMemoryBytes: 100 });
    const releaseFirst = await gate.acquire(60);
    const order: string[] = [];
    const big = gate.acquire(80).then((release) => {
      order.push('big');
      return release;
    });
    const small = gate.acquire(10).then((release) => {
      order.push('small');
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    releaseFirst();
    (await big)();
    (await small)();
    expect(order).toEqual(['big', 'small']);
  });
});

describe('validateSchedule', () => {
  it('refuses a batch budget larger than the total before anything runs', () => {
    expect(() => validateSchedule({ jobs: 2, totalMemoryBytes: 100 * MiB }, 200 * MiB)).toThrow(UsageError);
    expect(() => validateSchedule({ jobs: 2, totalMemoryBytes: 100 * MiB }, 200 * MiB)).toThrow(
      /--memory 200 ?MiB per batch exceeds --total-memory 100 ?MiB/,
    );
  });

  it('accepts a batch budget equal to the total', () => {
    expect(() => validateSchedule({ jobs: 2, totalMemoryBytes: 100 * MiB }, 100 * MiB)).not.toThrow();
  });
});

describe('JobGate and TrialLanes', () => {
  it('lends a bisection free slots for its independent trials, never more than --jobs in all', async () => {
    const gate = new JobGate({ jobs: 3, totalMemoryBytes: 10_000 * MiB });
    const own = await gate.acquire(200 * MiB); // the slot the hunt was admitted with
    const lanes = new TrialLanes(gate, () => 200 * MiB, 3);
    const tracked = trackedTasks();
    const done = Promise.all([1, 2, 3, 4, 5].map((id) => lanes.run(() => tracked.task(id))));
    await tracked.finishAll(done);
    expect(await done).toEqual([1, 2, 3, 4, 5]);
    expect(tracked.maxRunning()).toBe(3);
    own();
  });

  it('runs one trial at a time when the other slots are taken or the memory total is full', async () => {
    for (const limits of [
      { jobs: 2, totalMemoryBytes: 10_000 * MiB },
      { jobs: 4, totalMemoryBytes: 300 * MiB },
    ]) {
      const gate = new JobGate(limits);
      const own = await gate.acquire(200 * MiB);
      const other = limits.jobs === 2 ? await gate.acquire(200 * MiB) : () => undefined;
      const tracked = trackedTasks();
      const lanes = new TrialLanes(gate, () => 200 * MiB, limits.jobs);
      const done = Promise.all([1, 2, 3].map((id) => lanes.run(() => tracked.task(id))));
      await tracked.finishAll(done);
      expect(tracked.maxRunning()).toBe(1);
      other();
      own();
    }
  });

  it('takes a slot another holder frees while its trials wait', async () => {
    const gate = new JobGate({ jobs: 2, totalMemoryBytes: 10_000 * MiB });
    const own = await gate.acquire(1);
    const other = await gate.acquire(1);
    let running = 0;
    let maxRunning = 0;
    const finishers: (() => void)[] = [];
    const task = async (): Promise<void> => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => finishers.push(resolve));
      running -= 1;
    };
    const lanes = new TrialLanes(gate, () => 1, 2);
    const done = Promise.all([lanes.run(task), lanes.run(task)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(1);
    other(); // another batch's hunt ends
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    for (const finish of finishers.splice(0)) finish();
    await done;
    expect(maxRunning).toBe(2);
    own();
  });

  it('never lends a slot that a waiting batch asked for first', async () => {
    const gate = new JobGate({ jobs: 2, totalMemoryBytes: 10_000 * MiB });
    const own = await gate.acquire(1);
    const other = await gate.acquire(1);
    const waiting = gate.acquire(1);
    other();
    expect(gate.tryAcquire(1)).toBeUndefined(); // the waiter got the freed slot
    (await waiting)();
    const lent = gate.tryAcquire(1);
    expect(lent).toBeDefined();
    lent?.();
    own();
  });
});
