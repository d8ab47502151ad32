// `--shard auto`: this job's shard from the CI's own parallelism variables. Pure: the
// environment is passed in. The first source present wins, and is named so the log says
// which one was used. Indices are converted to leakhunt's 1-based i/N.
import { UsageError } from '../errors.js';
import { parseShard, type ShardSpec } from './shards.js';

export interface CiShard {
  readonly shard: ShardSpec;
  /** For people: "GitLab CI (CI_NODE_INDEX=2, CI_NODE_TOTAL=4)". */
  readonly source: string;
}

interface Source {
  readonly name: string;
  readonly index: string;
  readonly total: string;
  /** The CI counts from 0 (Buildkite, CircleCI, Kubernetes) or from 1 (GitLab). */
  readonly base: 0 | 1;
}

const SOURCES: readonly Source[] = [
  { name: 'GitLab CI parallel', index: 'CI_NODE_INDEX', total: 'CI_NODE_TOTAL', base: 1 },
  { name: 'Buildkite parallelism', index: 'BUILDKITE_PARALLEL_JOB', total: 'BUILDKITE_PARALLEL_JOB_COUNT', base: 0 },
  { name: 'CircleCI parallelism', index: 'CIRCLE_NODE_INDEX', total: 'CIRCLE_NODE_TOTAL', base: 0 },
  // An Indexed Job sets the index only; the total is spec.completions, passed by the manifest.
  { name: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX', total: 'LEAKHUNT_SHARD_TOTAL', base: 0 },
];

export function shardFromCi(env: Readonly<Record<string, string | undefined>>): CiShard {
  // GitHub Actions has no variable for a matrix job's place: the matrix from
  // `leakhunt plan --format github-matrix` is handed in as LEAKHUNT_SHARD: ${{ matrix.shard }}.
  const explicit = env['LEAKHUNT_SHARD'];
  if (explicit !== undefined && explicit !== '') {
    const where = env['GITHUB_ACTIONS'] === 'true' ? 'GitHub Actions matrix' : 'LEAKHUNT_SHARD';
    return { shard: parseShard(explicit), source: `${where} (LEAKHUNT_SHARD=${explicit})` };
  }
  for (const source of SOURCES) {
    const index = env[source.index];
    const total = env[source.total];
    if (index === undefined || index === '') continue;
    const shown = `${source.index}=${index}, ${source.total}=${total ?? '(unset)'}`;
    const i = Number(index) + (1 - source.base);
    const n = Number(total);
    if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 1 || i > n) {
      throw new UsageError(
        `--shard auto: ${source.name} says ${shown}, which is not a shard`,
        source.total === 'LEAKHUNT_SHARD_TOTAL'
          ? "set LEAKHUNT_SHARD_TOTAL to the Job's spec.completions"
          : `check the job's parallelism settings, or pass --shard i/N`,
      );
    }
    return { shard: { index: i, count: n }, source: `${source.name} (${shown})` };
  }
  throw new UsageError(
    '--shard auto: no CI parallelism found (looked for LEAKHUNT_SHARD, CI_NODE_INDEX/CI_NODE_TOTAL, BUILDKITE_PARALLEL_JOB/_COUNT, CIRCLE_NODE_INDEX/_TOTAL, JOB_COMPLETION_INDEX with LEAKHUNT_SHARD_TOTAL)',
    'on GitHub Actions set LEAKHUNT_SHARD: ${{ matrix.shard }}; elsewhere pass --shard i/N (docs/ci.md)',
  );
}
