import { describe, expect, it } from '@jest/globals';
import { createIdFrame, pathFrom, siteToUser, splitFilePart, userTestId } from './frame.js';

describe('createIdFrame', () => {
  it('spells a runner id the way the selection did, and back', () => {
    // The selection sits at the project root; the runner ran in tests/ (the observed bug's frame).
    const frame = createIdFrame('/p', '/p/tests');
    expect(frame.toUser('test_window_cache.py::WindowCacheTests::test_evict')).toBe(
      'tests/test_window_cache.py::WindowCacheTests::test_evict',
    );
    expect(frame.toRunner('tests/test_window_cache.py::WindowCacheTests')).toBe('test_window_cache.py::WindowCacheTests');
    expect(frame.same).toBe(false);
  });

  it('keeps the runner\'s part byte for byte, and jest per-test names after " > "', () => {
    const frame = createIdFrame('/m', '/m/packages/cart');
    expect(frame.toUser('cart.test.js > adds > two items')).toBe('packages/cart/cart.test.js > adds > two items');
    expect(frame.toUser('a.py::t[x::y > z/../w]')).toBe('packages/cart/a.py::t[x::y > z/../w]');
    expect(frame.toRunner('packages/cart/cart.test.js')).toBe('cart.test.js');
  });

  it('spells files outside the selection\'s root with "../" as a selection does, and absolute for the runner', () => {
    const frame = createIdFrame('/p/tests', '/p');
    expect(frame.toUser('conftest.py')).toBe('../conftest.py');
    expect(createIdFrame('/p/ci/selections', '/p/svc').toUser('tests/a.py::t')).toBe('../../svc/tests/a.py::t');
    expect(createIdFrame('/home/u', '/usr/lib/pkg').toUser('tests/a.py')).toBe('/usr/lib/pkg/tests/a.py');
    expect(frame.toUser('tests')).toBe('.');
    expect(frame.toRunner('/elsewhere/test_x.py::t')).toBe('/elsewhere/test_x.py::t');
  });

  it('is the identity when both frames are one directory', () => {
    const frame = createIdFrame('/p/', '/p');
    expect(frame.same).toBe(true);
    expect(frame.toUser('x.py::t')).toBe('x.py::t');
  });
});

describe('helpers', () => {
  it('splits at the first separator of either runner', () => {
    expect(splitFilePart('a/b.py')).toEqual(['a/b.py', '']);
    expect(splitFilePart('a/b.py::C::d[1]')).toEqual(['a/b.py', '::C::d[1]']);
    expect(splitFilePart('x.test.ts > y :: z')).toEqual(['x.test.ts', ' > y :: z']);
  });

  it('spells a selected test as the selection did', () => {
    expect(userTestId({ absolutePath: '/r/tests/test_a.py', nodeSuffix: '::T::t[1]' }, '/r')).toBe('tests/test_a.py::T::t[1]');
    expect(userTestId({ absolutePath: '/r/tests', nodeSuffix: '' }, '/r/ci')).toBe('../tests');
  });

  it('names runner paths relative inside the base, absolute outside', () => {
    expect(pathFrom('/a', '/a/b/c.py')).toBe('b/c.py');
    expect(pathFrom('/a', '/ab/c.py')).toBe('/ab/c.py');
    expect(pathFrom('/a/b', '/a')).toBe('/a');
  });
});

describe('siteToUser', () => {
  it('spells a project allocation site from the selection, its line kept', () => {
    const frame = createIdFrame('/repo/selections', '/repo/test/examples/pytest');
    expect(siteToUser(frame, 'shop/metrics.py:20')).toBe('../test/examples/pytest/shop/metrics.py:20');
    expect(siteToUser(frame, 'tests/test_a.py:7')).toBe('../test/examples/pytest/tests/test_a.py:7');
  });

  it('leaves sites outside the project, pseudo-files and one frame alone', () => {
    const frame = createIdFrame('/repo/selections', '/repo/test/examples/pytest');
    expect(siteToUser(frame, '/usr/lib/python3.11/json/decoder.py:353')).toBe('/usr/lib/python3.11/json/decoder.py:353');
    expect(siteToUser(frame, '<string>:1')).toBe('<string>:1');
    expect(siteToUser(createIdFrame('/repo', '/repo'), 'shop/metrics.py:20')).toBe('shop/metrics.py:20');
  });
});
