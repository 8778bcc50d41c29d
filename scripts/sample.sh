#!/usr/bin/env bash
# Builds the project and runs the sample application, which starts a local etcd of its own.
# Arguments go to the application, e.g. scripts/sample.sh --server.port=8081
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
mvn -B -ntp -q -DskipTests install
exec java -jar etcd-spring-boot-sample/target/etcd-spring-boot-sample-0.1.0-SNAPSHOT.jar "$@"
