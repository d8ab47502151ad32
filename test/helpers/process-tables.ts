// The process tables a test of code that reads processes should run against: /proc where
// there is one (Linux), and ps everywhere (the only one on macOS).
import { procfsTable } from '../../src/execute/processes/procfs.js';
import { PsTable } from '../../src/execute/processes/ps.js';
import type { ProcessTable } from '../../src/execute/processes/table.js';

export const PROCESS_TABLES: Array<[string, ProcessTable]> =
  process.platform === 'linux'
    ? [
        ['/proc', procfsTable],
        ['ps', new PsTable()],
      ]
    : [['ps', new PsTable()]];
