import { describe, expect, it } from '@jest/globals';
import { procfsTable } from './procfs.js';
import { processStart } from './start-time.js';
import type { ProcessTable } from './table.js';

describe('processStart', () => {
  it("reads ps's lstart as whole seconds", () => {
    const table = {
      source: 'ps',
      stat: () => ({ state: 'S', ppid: 1, pgid: 1, startKey: 'Mon Nov 23 10:15:42 2026' }),
    } as unknown as ProcessTable;
    expect(processStart(table, 5)).toEqual({ atMs: new Date(2026, 10, 23, 10, 15, 42).getTime(), resolutionMs: 1000 });
  });

  (process.platform === 'linux' ? it : it.skip)(
    'puts a process just started by us within its tick of the wall clock (Linux /proc)',
    async () => {
      const { spawn } = await import('node:child_process');
      const before = Date.now();
      const child = spawn('sleep', ['5']);
      const after = Date.now();
      try {
        const start = processStart(procfsTable, child.pid ?? -1);
        expect(start).toBeDefined();
        expect(start?.atMs).toBeGreaterThanOrEqual(before - (start?.resolutionMs ?? 0));
        expect(start?.atMs).toBeLessThanOrEqual(after + (start?.resolutionMs ?? 0));
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
