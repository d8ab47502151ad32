import { describe, expect, it } from '@jest/globals';
import { describeFrame, describeHangSite, summarizePythonStack } from './stack-summary.js';

const SITE = '/root/.pyenv/versions/3.11.7/lib/python3.11';

const importHang = [
  'leakhunt-probe armed pid=4242',
  'Current thread 0x00007f56a01c8b80 (most recent call first):',
  '  File "/proj/tests/test_slow_import.py", line 2 in <module>',
  '  File "<frozen importlib._bootstrap>", line 241 in _call_with_frames_removed',
  `  File "${SITE}/site-packages/_pytest/python.py", line 498 in importtestmodule`,
  `  File "${SITE}/site-packages/pytest/__main__.py", line 9 in <module>`,
].join('\n');

const testHang = [
  'Thread 0x00007f569e73f6c0 (most recent call first):',
  `  File "${SITE}/threading.py", line 982 in run`,
  '',
  'Current thread 0x00007f56a01c8b80 (most recent call first):',
  `  File "${SITE}/threading.py", line 320 in wait`,
  '  File "/proj/tests/helpers.py", line 9 in wait_for_server',
  '  File "/proj/tests/test_api.py", line 4 in test_hang',
  `  File "${SITE}/site-packages/_pytest/python.py", line 166 in pytest_pyfunc_call`,
].join('\r\n');

describe('summarizePythonStack', () => {
  it('points at the module line of a hang at import time, relative to the root', () => {
    const summary = summarizePythonStack(importHang, '/proj');
    expect(summary.where).toEqual({ file: 'tests/test_slow_import.py', line: 2, func: '<module>' });
    expect(describeFrame(summary.where!)).toBe('tests/test_slow_import.py line 2 (<module>)');
    expect(summary.hungTest).toBeUndefined();
    expect(summary.frames).toHaveLength(4);
  });

  it('reads the signalled thread, skips the stdlib, and names the test on the stack', () => {
    const summary = summarizePythonStack(testHang, '/proj');
    expect(summary.where).toEqual({ file: 'tests/helpers.py', line: 9, func: 'wait_for_server' });
    expect(summary.hungTest).toBe('tests/test_api.py::test_hang');
    expect(summary.frames[0]?.func).toBe('wait');
  });

  it('keeps absolute paths without a root and gives no frames for text that is not a dump', () => {
    expect(summarizePythonStack(importHang).where?.file).toBe('/proj/tests/test_slow_import.py');
    expect(summarizePythonStack('Killed\n')).toEqual({ frames: [] });
  });
});

describe('describeHangSite', () => {
  it('names the user frame and the library call it waits in', () => {
    const dump = [
      'Current thread 0x00007f (most recent call first):',
      '  File "/usr/lib/python3.11/subprocess.py", line 2053 in _wait',
      '  File "/usr/lib/python3.11/subprocess.py", line 550 in run',
      '  File "/p/tests/test_sync.py", line 7 in test_sync_with_exchange',
      '  File "/usr/lib/python3.11/site-packages/_pytest/python.py", line 157 in pytest_pyfunc_call',
    ].join('\n');
    expect(describeHangSite(summarizePythonStack(dump, '/p'))).toBe('tests/test_sync.py line 7 (test_sync_with_exchange) → subprocess.run');
  });

  it('names the frame alone when the user code itself is where it hangs', () => {
    const dump = ['Current thread 0x1 (most recent call first):', '  File "/p/tests/test_x.py", line 2 in <module>'].join('\n');
    expect(describeHangSite(summarizePythonStack(dump, '/p'))).toBe('tests/test_x.py line 2 (<module>)');
  });
});
