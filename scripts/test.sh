#!/usr/bin/env bash
# Runs every test: unit, integration (real PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379) and
# browser tests (headless Chromium). Installs the Debian packages the tests need when run as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible)
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing ${need[*]}..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing: ${need[*]} (install with: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi

check_port() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
check_port 5432 || { echo "PostgreSQL must listen on 127.0.0.1:5432 (trust auth for user postgres)" >&2; exit 1; }
check_port 6379 || { echo "Redis must listen on 127.0.0.1:6379" >&2; exit 1; }

exec mvn -B -ntp verify "$@"
