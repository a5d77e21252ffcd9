#!/usr/bin/env bash
# Time from "create" to ready for a custom server on fresh test hosts, split by step (see bench/README.md).
# Usage (as root): bench/provision.sh [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/provision.sh makes test hosts in network namespaces: run it as root" >&2
  exit 1
fi
# The driver runs the panel in-process with a worker and the test host helper, so it needs the test classes.
mvn -B -q -ntp test-compile
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec "$JAVA_HOME/bin/java" -cp "target/classes:target/test-classes:$(cat "$classpath_file")" \
  io.vippanel.bench.ProvisionBench "${1:-3}"
