#!/usr/bin/env bash
# Rego engine benchmark: one gateway decision per operation (median, p99, bytes allocated per decision) and the
# bundle compile time, measured with JMH and -prof gc. Usage: bench/rego-bench.sh [extra JMH args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/rego"
mvn -o -q -B -Pjmh compile dependency:build-classpath -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=compile >&2
out="$(mktemp)"
java -cp "target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main RegoDecisionBench -prof gc \
  -rf json -rff target/jmh-result.json "$@" | tee "$out" >&2
python3 - target/jmh-result.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print()
print(f"{'benchmark':<30} {'median':>12} {'p99':>12} {'bytes/op':>10}")
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    m = r["primaryMetric"]
    unit = m["scoreUnit"].split("/")[0]
    pct = m.get("scorePercentiles", {})
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    med = pct.get("50.0", m["score"]); p99 = pct.get("99.0", m["score"])
    print(f"{name:<30} {med:>9.2f} {unit:<2} {p99:>9.2f} {unit:<2} {alloc if alloc is None else round(alloc):>10}")
PY
