import { describe, expect, it } from '@jest/globals';
import { describeNodeHangSite, entryOnStack, importedModules, nodeProjectFiles } from './import-site.js';

const PYTHON_IMPORT_HANG = `leakhunt-probe armed pid=12993
Current thread 0x00007f31578aab80 (most recent call first):
  File "/proj/pkg/helpers/locks.py", line 4 in <module>
  File "<frozen importlib._bootstrap>", line 241 in _call_with_frames_removed
  File "/proj/pkg/tests/test_c_deadlock.py", line 2 in <module>
  File "/usr/lib/python3/site-packages/_pytest/assertion/rewrite.py", line 197 in exec_module
  File "<frozen importlib._bootstrap>", line 690 in _load_unlocked
  File "/usr/lib/python3.11/importlib/__init__.py", line 126 in import_module
  File "/usr/lib/python3/site-packages/_pytest/python.py", line 507 in importtestmodule
  File "/usr/lib/python3/site-packages/pytest/__main__.py", line 9 in <module>
  File "<frozen runpy>", line 88 in _run_code
`;

const PYTHON_TEST_HANG = `Current thread 0x00007f31578aab80 (most recent call first):
  File "/proj/pkg/tests/test_sync.py", line 7 in test_sync
  File "/usr/lib/python3/site-packages/_pytest/python.py", line 159 in pytest_pyfunc_call
`;

const NODE_SYNC_HANG = `node pid 4242 paused:
  at spin (/proj/tests/sync-hang.test.js:2:30)
  at <anonymous> (/proj/tests/sync-hang.test.js:5:1)
  at Runtime._execModule (/proj/node_modules/jest-runtime/build/index.js:1439:24)
  at jestAdapter (/proj/node_modules/jest-circus/build/legacy-code-todo-rewrite/jestAdapter.js:75:9)
`;

describe('entryOnStack', () => {
  it('names the test module being imported, not the helper it was importing', () => {
    expect(importedModules(PYTHON_IMPORT_HANG, '/proj')).toEqual(['pkg/helpers/locks.py', 'pkg/tests/test_c_deadlock.py']);
    expect(entryOnStack(PYTHON_IMPORT_HANG, 'pytest', ['pkg/tests/test_a.py', 'pkg/tests/test_c_deadlock.py'], '/proj')).toBe(
      'pkg/tests/test_c_deadlock.py',
    );
  });

  it('matches a node-id entry by its file', () => {
    expect(entryOnStack(PYTHON_IMPORT_HANG, 'pytest', ['pkg/tests/test_c_deadlock.py::test_x'], '/proj')).toBe(
      'pkg/tests/test_c_deadlock.py::test_x',
    );
  });

  it('says nothing for a hang inside a test (the per-test records name that one) or a file not in the batch', () => {
    expect(entryOnStack(PYTHON_TEST_HANG, 'pytest', ['pkg/tests/test_sync.py'], '/proj')).toBeUndefined();
    expect(entryOnStack(PYTHON_IMPORT_HANG, 'pytest', ['pkg/tests/test_a.py'], '/proj')).toBeUndefined();
  });

  it('reads a Node stack: the project file outside node_modules', () => {
    expect(nodeProjectFiles(NODE_SYNC_HANG, '/proj')).toEqual(['tests/sync-hang.test.js']);
    expect(entryOnStack(NODE_SYNC_HANG, 'jest', ['tests/a.test.js', 'tests/sync-hang.test.js'], '/proj')).toBe('tests/sync-hang.test.js');
  });

  it('says where a Node stack hung: the innermost project frame', () => {
    expect(describeNodeHangSite(NODE_SYNC_HANG, '/proj')).toBe('tests/sync-hang.test.js line 2 (spin)');
  });
});
