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
# The managed-server test host (src/test/java/io/vippanel/support/TestManagedServer.java) shares /usr with this
# machine and has no route out: everything the provisioning playbooks install must already be here. WordPress (Debian's
# package) is what the WordPress install test packs into the core archive the panel downloads.
for package in iproute2 sudo nginx php-fpm php-cli php-mysql php-pgsql php-curl php-gd php-mbstring php-xml php-zip \
  php-intl php-bcmath mariadb-server mariadb-client redis-server fail2ban ufw nftables iptables prometheus-node-exporter \
  unattended-upgrades python3-apt python3-pymysql python3-psycopg2 nodejs supervisor cron git unzip \
  libnginx-mod-http-modsecurity modsecurity-crs wordpress wordpress-theme-twentytwentythree \
  pdns-server pdns-backend-sqlite3 sqlite3 pebble bind9-dnsutils bind9-utils; do
  dpkg-query --show --showformat='${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^ii' || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing ${need[*]}..."
    apt-get update -qq
    # the packages' services must not start on this machine: the tests start them inside their test hosts
    policy_rc=/usr/sbin/policy-rc.d
    own_policy=no
    if [ ! -e "$policy_rc" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy_rc"
      chmod 755 "$policy_rc"
      own_policy=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    if [ "$own_policy" = yes ]; then
      rm -f "$policy_rc"
    fi
    # and if a package started one anyway (no policy-rc.d honoured), stop it again
    for script in /etc/init.d/nginx /etc/init.d/php*-fpm /etc/init.d/fail2ban /etc/init.d/prometheus-node-exporter \
      /etc/init.d/supervisor /etc/init.d/cron /etc/init.d/pdns; do
      service=$(basename "$script")
      if [ -x "$script" ] && service "$service" status >/dev/null 2>&1; then
        service "$service" stop >/dev/null 2>&1 || true
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
          systemctl disable --now "$service" >/dev/null 2>&1 || true
        fi
      fi
    done
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
