#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the benchmarks against etcd servers that they start on loopback
# ports (all of them: 6 to 8 minutes on 2 cores; Peer, against a ZooKeeper server too, about 10 more). Results go to
# benchmarks/target/results/; see docs/benchmarks.md. Arguments are passed to Maven, e.g. -o to build offline.
# BENCHMARKS selects some, e.g.
#   BENCHMARKS="RefreshLatency RefreshCost ConfigStartup" scripts/benchmarks.sh -o
# PEER_ARGS gives Peer smaller counts, e.g. PEER_ARGS="registrations=200 startups=3".
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=${BENCHMARKS:-GetInstances Propagation Registration Heap Startup RefreshLatency RefreshCost ConfigStartup Lock LeaderFailover Peer}
scripts/ensure-tools.sh benchmarks
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
	Peer)
		# shellcheck disable=SC2086 # PEER_ARGS holds several name=count arguments
		java -cp "$jar" io.github.etcdspring.benchmarks.PeerBenchmark ${PEER_ARGS:-} | tee "$results/peer.txt"
		;;
	*)
		echo "Unknown benchmark: $benchmark" >&2
		exit 1
		;;
	esac
done
