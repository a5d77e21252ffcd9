#!/usr/bin/env bash
# Sites on a fresh test host: create to answering, redeploys by step, nginx requests per second (see bench/README.md).
# Usage (as root): bench/sites.sh [runs] [load seconds] [connections]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/sites.sh makes test hosts in network namespaces: run it as root" >&2
  exit 1
fi
# The driver runs the panel in-process with a worker and the test host helper, so it needs the test classes.
mvn -B -q -ntp test-compile
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec "$JAVA_HOME/bin/java" -cp "target/classes:target/test-classes:$(cat "$classpath_file")" \
  io.vippanel.bench.SiteBench "${1:-3}" "${2:-15}" "${3:-32}"
