#!/usr/bin/env bash
# The leakhunt action's one step: builds the argv from the LH_* inputs (never through eval,
# so a test id with spaces or quotes stays one argument), runs leakhunt, and decides whether
# the step fails: usage/environment errors and bugs always, culprits only when asked.
set -uo pipefail

case "$LH_COMMAND" in
  install) exit 0 ;;
  plan-matrix)
    matrix="$(leakhunt plan "$LH_TEST_FILE" --batch-size "$LH_BATCH_SIZE" --shards "$LH_SHARDS" --format github-matrix)" || exit $?
    echo "matrix=$matrix" >> "$GITHUB_OUTPUT"
    echo "shard matrix: $matrix"
    exit 0 ;;
esac

args=()
if [ "$LH_COMMAND" = merge ]; then
  shopt -s nullglob
  # shellcheck disable=SC2206 # the glob is meant to expand
  reports=( $LH_REPORTS )
  if [ "${#reports[@]}" -eq 0 ]; then echo "::error::leakhunt merge: no report matches $LH_REPORTS"; exit 2; fi
  args=(merge "${reports[@]}" -o "$LH_OUT/leakhunt-report.json")
elif [ "$LH_COMMAND" = run ]; then
  if [ -z "$LH_TEST_FILE" ]; then echo "::error::leakhunt: the test_file input is empty"; exit 2; fi
  args=(run "$LH_TEST_FILE" --batch-size "$LH_BATCH_SIZE" --memory "$LH_MEMORY" --timeout "$LH_TIMEOUT" --out "$LH_OUT")
  if [ -n "$LH_CMD" ]; then args+=(--cmd "$LH_CMD"); elif [ "$LH_RUNNER" != auto ]; then args+=(--runner "$LH_RUNNER"); fi
  [ "$LH_BISECT" = true ] || args+=(--no-bisect)
  [ -z "$LH_SHARD" ] || args+=(--shard "$LH_SHARD")
  [ "$LH_RESUME" != true ] || args+=(--resume)
else
  echo "::error::leakhunt action: unknown command '$LH_COMMAND' (run, plan-matrix, merge, install)"; exit 2
fi
if [ -n "$LH_BASELINE" ] && [ -f "$LH_BASELINE" ]; then args+=(--baseline "$LH_BASELINE"); fi
# shellcheck disable=SC2206 # extra flags are split on spaces by design
[ -z "$LH_EXTRA_ARGS" ] || args+=( $LH_EXTRA_ARGS )

leakhunt "${args[@]}"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
echo "report=$LH_OUT/leakhunt-report.json" >> "$GITHUB_OUTPUT"
case "$code" in
  0) exit 0 ;;
  1) if [ "$LH_FAIL_ON_CULPRITS" = true ]; then exit 1; fi
     echo "::warning::leakhunt found failing batches or culprits (exit 1); see the report artifact. Set fail_on_culprits to fail the job."
     exit 0 ;;
  *) exit "$code" ;;
esac
