// What the pytest probe writes is spelled from the project directory; every id and path
// leakhunt shows is spelled from where the selection is rooted: a test's allocation sites too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { createIdFrame } from '../selection/frame.js';
import { readProbeRecords } from './run-tests.js';

describe('readProbeRecords', () => {
  it('spells ids, files and per-test allocation sites in the user frame; paths outside the project stay', async () => {
    const dir = tempDir('leakhunt-records-');
    const probeFile = join(dir, 'probe.jsonl');
    const test = 'tests/test_metrics.py::test_export';
    const phase = { event: 'phase', test, pid: 7, file: 'tests/test_metrics.py', durationMs: 1, rssBeforeBytes: 1, rssAfterBytes: 2 };
    const topGrowth = [
      { site: 'shop/metrics.py:6', sizeBytes: 8e6, count: 3 },
      { site: '/usr/lib/python3.11/json/decoder.py:353', sizeBytes: 1e3, count: 1 },
      { site: '<frozen importlib._bootstrap>:241', sizeBytes: 1e3, count: 1 },
    ];
    writeFileSync(
      probeFile,
      [
        { event: 'start', test, pid: 7, file: 'tests/test_metrics.py' },
        { ...phase, phase: 'setup' },
        { ...phase, phase: 'call' },
        { ...phase, phase: 'teardown', topGrowth },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    // The selection sits above the project (/work/ci.txt naming shop-app/tests/…).
    const frame = createIdFrame('/work', '/work/shop-app');
    const [record] = await readProbeRecords({ frame }, probeFile);
    expect(record).toMatchObject({ test: 'shop-app/tests/test_metrics.py::test_export', file: 'shop-app/tests/test_metrics.py' });
    expect(record!.topGrowth.map((g) => g.site)).toEqual([
      'shop-app/shop/metrics.py:6',
      '/usr/lib/python3.11/json/decoder.py:353',
      '<frozen importlib._bootstrap>:241',
    ]);
  });
});
