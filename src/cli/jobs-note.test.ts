// The --jobs line says what really runs side by side: never "batches" when there is one process.
import { describe, expect, it } from '@jest/globals';
import { jobsNote } from './jobs-note.js';

const GIB = 1024 ** 3;

describe('jobsNote', () => {
  it('says the selection runs in one process in survey mode, and only its confirmations and trials go side by side', () => {
    const note = jobsNote({ jobs: 2, survey: true, batches: 1, totalMemoryBytes: 4 * GIB });
    expect(note).toBe(
      '--jobs 2: the selection runs in one process; the runs that confirm and narrow a failure go side by side within a 4.00 GiB memory total',
    );
    expect(note).not.toMatch(/batches run side by side/);
  });

  it('does not say batches run side by side for a single batch', () => {
    expect(jobsNote({ jobs: 3, survey: false, batches: 1, totalMemoryBytes: undefined })).toBe(
      '--jobs 3: one batch; the runs that narrow a failure go side by side within no memory total',
    );
  });

  it('says batches run side by side when there are several', () => {
    expect(jobsNote({ jobs: 2, survey: false, batches: 5, totalMemoryBytes: 4 * GIB })).toBe(
      '--jobs 2: batches run side by side within a 4.00 GiB memory total',
    );
  });

  it('says nothing with --jobs 1', () => {
    expect(jobsNote({ jobs: 1, survey: true, batches: 1, totalMemoryBytes: undefined })).toBeUndefined();
  });
});
