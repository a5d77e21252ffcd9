#!/usr/bin/env bash
# Job pick-up latency and no-op job throughput (see bench/README.md). Usage: bench/jobs.sh [path/to/vip-panel.jar]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
jar="${1:-target/vip-panel.jar}"
if [ ! -f "$jar" ]; then
  mvn -B -q -ntp -DskipTests package
fi
# The driver queues jobs through the panel's own service, so it needs the test classes (for the database helper).
mvn -B -q -ntp -DskipFrontend=true test-compile
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec "$JAVA_HOME/bin/java" -cp "target/classes:target/test-classes:$(cat "$classpath_file")" \
  io.vippanel.bench.JobBench "$jar"
