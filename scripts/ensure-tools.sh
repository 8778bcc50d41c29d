#!/usr/bin/env bash
# Installs what building, testing and running the project needs, when it is missing: a JDK (17 or newer),
# Maven, the etcd server that the tests and the sample start on loopback, and etcdctl (etcd's own Go client, which
# the tests run against this starter's locks and elections). Debian and Ubuntu only.
set -euo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "Missing: ${missing[*]}. Install them with your package manager (etcd 3.4 or newer, a JDK 17+, Maven 3.8+)." >&2
	exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing ${missing[*]} with apt-get" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
