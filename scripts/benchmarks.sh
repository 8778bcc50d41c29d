#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the benchmarks against etcd servers that they start on loopback
# ports (all of them: 6 to 8 minutes on 2 cores). Results go to benchmarks/target/results/; see docs/benchmarks.md.
# Arguments are passed to Maven, e.g. -o to build offline. BENCHMARKS selects some, e.g.
#   BENCHMARKS="RefreshLatency RefreshCost ConfigStartup" scripts/benchmarks.sh -o
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=${BENCHMARKS:-GetInstances Propagation Registration Heap Startup RefreshLatency RefreshCost ConfigStartup Lock LeaderFailover}
scripts/ensure-tools.sh
mvn -B -ntp -q -pl benchmarks -am package -DskipTests "$@"
jar=benchmarks/target/benchmarks.jar
results=benchmarks/target/results
mkdir -p "$results"
for benchmark in $benchmarks; do
	case $benchmark in
	GetInstances)
		java -jar "$jar" GetInstancesBenchmark -rf json -rff "$results/get-instances.json" | tee "$results/get-instances.txt"
		;;
	Propagation | Registration | Heap | Startup | RefreshLatency | RefreshCost | ConfigStartup | Lock | LeaderFailover)
		java -cp "$jar" "io.github.etcdspring.benchmarks.${benchmark}Benchmark" | tee "$results/${benchmark,,}.txt"
		;;
	*)
		echo "Unknown benchmark: $benchmark" >&2
		exit 1
		;;
	esac
done
