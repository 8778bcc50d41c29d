#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs every benchmark against etcd servers that the benchmarks start on
# loopback ports (3 to 4 minutes on 2 cores). Results go to benchmarks/target/results/; see docs/benchmarks.md.
# Arguments are passed to Maven, e.g. -o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
mvn -B -ntp -q -pl benchmarks -am package -DskipTests "$@"
jar=benchmarks/target/benchmarks.jar
results=benchmarks/target/results
mkdir -p "$results"
java -jar "$jar" GetInstancesBenchmark -rf json -rff "$results/get-instances.json" | tee "$results/get-instances.txt"
for benchmark in Propagation Registration Heap Startup; do
	java -cp "$jar" "io.github.etcdspring.benchmarks.${benchmark}Benchmark" | tee "$results/${benchmark,,}.txt"
done
