#!/usr/bin/env bash
# Runs the whole test suite against real etcd servers that the tests start on loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh tests
exec mvn -B -ntp verify "$@"
