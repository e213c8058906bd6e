#!/usr/bin/env bash
# Audit ledger benchmark: appends/s with fsync for 1, 8 and 64 concurrent appenders, alone and each with a deferred
# result entry per decision, against this disk's raw fsync rate measured in the same run (appending to a growing
# file, and overwriting zeros fsynced beforehand as the ledger does), plus the folder store's own commit rate, and
# offline verification in entries/s.
# Usage: bench/ledger-bench.sh [seconds per measurement, default 5] [folder on the disk to measure, default $TMPDIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# One reactor run: the classpath file is written per module, audit-ledger's last.
mvn -o -q -B -ntp -pl audit-ledger -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
exec java -Xmx1g -cp "audit-ledger/target/test-classes:audit-ledger/target/classes:$(cat "$cp_file")" \
  dev.portcullis.ledger.LedgerBench "${1:-5}" "${2:-${TMPDIR:-/tmp}}"
