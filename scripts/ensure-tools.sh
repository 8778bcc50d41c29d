#!/usr/bin/env bash
# Installs what building and running the project needs, when it is missing: a JDK (17 or newer), Maven, the etcd
# server that the tests and the sample start on loopback, and etcdctl (etcd's own Go client, which the README's
# commands use and the tests run against this starter's locks and elections). With the argument "tests", also Go with
# Debian's etcd Go sources: the tests build a Go program on etcd's own gRPC naming code; and Debian's chromium with its
# chromedriver, at /usr/bin, which the sample's registry page test drives headless. With the argument
# "benchmarks", also Debian's ZooKeeper server, the peer that PeerBenchmark starts. Debian and Ubuntu only.
set -euo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
if [ "${1:-}" = "tests" ]; then
	command -v go >/dev/null 2>&1 || missing+=(golang-go)
	[ -d /usr/share/gocode/src/go.etcd.io/etcd/clientv3/naming ] || missing+=(golang-etcd-server-dev)
	[ -x /usr/bin/chromium ] || missing+=(chromium)
	[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi
if [ "${1:-}" = "benchmarks" ]; then
	[ -n "${ZOOKEEPER_JAR:-}" ] || [ -f /usr/share/java/zookeeper.jar ] || missing+=(zookeeper)
fi
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "Missing: ${missing[*]}. Install them with your package manager: etcd and etcdctl (tested with 3.4; on macOS 'brew install etcd', or the archives of https://github.com/etcd-io/etcd/releases), a JDK 17+, Maven 3.8+; for the tests also Go with the etcd Go sources of Debian's golang-etcd-server-dev in /usr/share/gocode, and Chromium with its chromedriver at /usr/bin/chromium and /usr/bin/chromedriver; for the benchmarks a ZooKeeper 3.8 server jar, pointed at by ZOOKEEPER_JAR." >&2
	exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing ${missing[*]} with apt-get" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
