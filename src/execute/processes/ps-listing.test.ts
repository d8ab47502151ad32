import { describe, expect, it } from '@jest/globals';
import { environmentArgs, listingArgs, parseListing, pidsWithWord, valueInListing, valuesInListing } from './ps-listing.js';

// Lines as procps (Linux) and BSD ps (macOS) print them for `listingArgs()`; the BSD ones
// carry state flags ("Ss", "R+") and a space-padded day, as `lstart` does in the C locale.
const PROCPS = [
  '    1     0     0  9380 S Mon Nov 23 09:04:06 2026 /sbin/init',
  '  812     1   812 20480 R Mon Nov 23 10:15:42 2026 python3 -m pytest -q tests/test_a.py',
  '  813   812   812     0 Z Mon Nov 23 10:15:43 2026 [sleep] <defunct>',
].join('\n');
const BSD = [
  '  501     1   501  5216 Ss   Tue Nov  3 08:00:01 2026     /usr/libexec/some daemon',
  '  902   501   902 131072 R+  Tue Nov  3 08:01:10 2026     node /repo/node_modules/jest/bin/jest.js --ci',
].join('\n');

describe('reading ps listings', () => {
  it('asks for every process with headerless columns', () => {
    expect(listingArgs()).toEqual([
      '-A',
      '-ww',
      '-o',
      'pid=',
      '-o',
      'ppid=',
      '-o',
      'pgid=',
      '-o',
      'rss=',
      '-o',
      'state=',
      '-o',
      'lstart=',
      '-o',
      'args=',
    ]);
  });

  it('reads pid, parent, group, resident bytes, state, start and command from procps', () => {
    const rows = parseListing(PROCPS);
    expect(rows.get(812)).toEqual({
      pid: 812,
      ppid: 1,
      pgid: 812,
      residentBytes: 20480 * 1024,
      state: 'R',
      started: 'Mon Nov 23 10:15:42 2026',
      command: 'python3 -m pytest -q tests/test_a.py',
    });
    expect(rows.get(813)?.state).toBe('Z');
    expect(rows.size).toBe(3);
  });

  it('reads BSD lines: first letter of the state, a padded day, a command with spaces', () => {
    const rows = parseListing(BSD);
    expect(rows.get(501)).toMatchObject({ state: 'S', started: 'Tue Nov 3 08:00:01 2026', command: '/usr/libexec/some daemon' });
    expect(rows.get(902)).toMatchObject({ ppid: 501, residentBytes: 128 * 1024 ** 2, state: 'R' });
  });

  it('skips lines it cannot read instead of inventing processes', () => {
    expect(parseListing('PID PPID\nnot a row\n\n').size).toBe(0);
  });
});

describe('reading environments from ps', () => {
  const listing = [
    ' 700 sleep 1000 HOME=/root LEAKHUNT_RUN_KEY=b001-42-1 PATH=/usr/bin',
    ' 701 sleep 1000 HOME=/root LEAKHUNT_RUN_KEY=b001-42-10 PATH=/usr/bin',
    ' 702 node x.js NODE_OPTIONS=--report-on-signal --report-signal=SIGUSR2 LEAKHUNT_STACKS_FILE=/o/s PATH=/bin',
  ].join('\n');

  it('appends the environment with `e` on procps and -E on BSD ps', () => {
    expect(environmentArgs('procps')).toEqual(['-A', '-ww', 'e', '-o', 'pid=', '-o', 'args=']);
    expect(environmentArgs('bsd', 7)).toEqual(['-p', '7', '-ww', '-E', '-o', 'pid=', '-o', 'args=']);
  });

  it('finds the processes holding an entry as a whole word, not as a prefix of a longer key', () => {
    expect(pidsWithWord(listing, 'LEAKHUNT_RUN_KEY=b001-42-1')).toEqual([700]);
  });

  it("lists every process's value of one variable, for the sweep of dead leakhunts' runs", () => {
    expect(valuesInListing(listing, 'LEAKHUNT_RUN_KEY')).toEqual(
      new Map([
        [700, 'b001-42-1'],
        [701, 'b001-42-10'],
      ]),
    );
    expect(valuesInListing(listing, 'NO_SUCH')).toEqual(new Map());
  });

  it('reads a value with spaces up to the next NAME= word', () => {
    expect(valueInListing(listing.split('\n')[2] ?? '', 'NODE_OPTIONS')).toBe('--report-on-signal --report-signal=SIGUSR2');
    expect(valueInListing(listing.split('\n')[2] ?? '', 'LEAKHUNT_STACKS_FILE')).toBe('/o/s');
    expect(valueInListing(listing.split('\n')[0] ?? '', 'NODE_OPTIONS')).toBeUndefined();
  });
});
