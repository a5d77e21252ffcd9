#!/usr/bin/env bash
# Certificates on a fresh test host: "issue" to "served" by step, HTTP-01, DNS-01 wildcard, forced renewal (see bench/README.md).
# Usage (as root): bench/ssl.sh [runs]
# BENCH_MAVEN_ARGS passes extra Maven flags, e.g. "-o -DskipFrontend=true -Dvip.build.dir=/tmp/x/target" for a
# checkout that builds into its own folder (the classes are then taken from there).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/ssl.sh makes test hosts in network namespaces and Pebble validates HTTP-01 on port 80: run it as root" >&2
  exit 1
fi
for tool in /usr/bin/pebble /usr/sbin/pdns_server /usr/bin/sqlite3 /usr/bin/dig curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench/ssl.sh needs $tool (apt-get install -y pebble pdns-server pdns-backend-sqlite3 sqlite3 bind9-dnsutils curl)" >&2
    exit 1
  fi
done
read -r -a maven_args <<< "${BENCH_MAVEN_ARGS:-}"
build_dir="target"
for arg in "${maven_args[@]}"; do
  case "$arg" in -Dvip.build.dir=*) build_dir="${arg#-Dvip.build.dir=}" ;; esac
done
# The driver runs the panel in-process with a worker, Pebble, PowerDNS and the test host helper: it needs the test classes.
mvn -B -q -ntp "${maven_args[@]}" -Djacoco.skip=true test-compile
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -B -q -ntp "${maven_args[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec "$JAVA_HOME/bin/java" -cp "$build_dir/classes:$build_dir/test-classes:$(cat "$classpath_file")" \
  io.vippanel.bench.SslBench "${1:-5}"
