#!/usr/bin/env bash
# Installs or upgrades VIP Hosting Panel on one host (Ubuntu 22.04/24.04, Debian 12/13).
# Safe to run again: it creates what is missing, replaces the jar, units and nginx/fail2ban
# files it owns, and never overwrites secrets or settings (vip-panel.env, master.key).
set -euo pipefail

readonly APP_USER=vip-panel
readonly PREFIX=/opt/vip-panel
readonly ETC_DIR=/etc/vip-panel
readonly ENV_FILE=/etc/vip-panel/vip-panel.env
readonly DATA_DIR=/var/lib/vip-panel
readonly LOG_DIR=/var/log/vip-panel
readonly TLS_DIR=/etc/ssl/vip-panel
readonly ACME_ROOT=/var/www/vip-panel-acme
readonly DB_NAME=vip_panel
readonly DB_ROLE=vip_owner
readonly MIN_JAVA=21
readonly MIN_POSTGRES=15

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly SRC_DIR
jar=./target/vip-panel.jar
domain=""
tls_cert=""
tls_key=""
with_nginx=1
env_created=0

usage() {
    cat <<'EOF'
Usage: sudo scripts/install.sh --domain panel.example.com [options]

Installs VIP Hosting Panel with PostgreSQL, Redis, nginx, Ansible and fail2ban on
Ubuntu 22.04/24.04 or Debian 12/13. Run it again to upgrade; settings are kept.

Options:
  --domain NAME     Public host name of the panel (required unless --no-nginx).
  --jar PATH        Panel jar to install (default: ./target/vip-panel.jar).
  --tls-cert PATH   Certificate chain for nginx (PEM). Linked, so renewals are picked up.
  --tls-key PATH    Private key for --tls-cert. Without both, a 30-day self-signed
                    certificate is made; replace it (e.g. certbot --webroot -w /var/www/vip-panel-acme).
  --no-nginx        Do not install or configure nginx (the panel stays on 127.0.0.1:8080).
  -h, --help        Show this help.
EOF
}

log() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

need_value() {
    if [ "$#" -lt 2 ] || [ -z "$2" ]; then
        die "option $1 needs a value (see --help)"
    fi
}

parse_args() {
    while [ "$#" -gt 0 ]; do
        case "$1" in
            --domain) need_value "$@"; domain=$2; shift 2 ;;
            --domain=*) domain=${1#*=}; shift ;;
            --jar) need_value "$@"; jar=$2; shift 2 ;;
            --jar=*) jar=${1#*=}; shift ;;
            --tls-cert) need_value "$@"; tls_cert=$2; shift 2 ;;
            --tls-cert=*) tls_cert=${1#*=}; shift ;;
            --tls-key) need_value "$@"; tls_key=$2; shift 2 ;;
            --tls-key=*) tls_key=${1#*=}; shift ;;
            --no-nginx) with_nginx=0; shift ;;
            -h | --help) usage; exit 0 ;;
            *) die "unknown option [$1] (see --help)" ;;
        esac
    done

    [ -f "$jar" ] || die "jar [$jar] not found; build it with: mvn -B -DskipTests package"
    jar=$(realpath "$jar")
    if [ "$with_nginx" -eq 1 ]; then
        [ -n "$domain" ] || die "--domain is required unless --no-nginx is given"
        domain=${domain,,}
        # Also keeps the name safe to splice into the nginx config. IDNs go in as xn--.
        [[ $domain =~ ^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$ ]] ||
            die "domain [$domain] is not a valid host name"
    fi
    if [ -n "$tls_cert" ] || [ -n "$tls_key" ]; then
        if [ -z "$tls_cert" ] || [ -z "$tls_key" ]; then
            die "--tls-cert and --tls-key go together"
        fi
        [ -f "$tls_cert" ] || die "certificate [$tls_cert] not found"
        [ -f "$tls_key" ] || die "key [$tls_key] not found"
        tls_cert=$(realpath "$tls_cert")
        tls_key=$(realpath "$tls_key")
    fi
    [ -d "$SRC_DIR/deploy/systemd" ] || die "run this script from the project checkout or release ($SRC_DIR has no deploy/)"
}

# One field of /etc/os-release, read in a subshell so NAME, VERSION etc. stay out of this script.
# shellcheck source=/dev/null
os_field() { (. /etc/os-release && printf '%s' "${!1}"); }

check_os() {
    local id version
    id=$(os_field ID)
    version=$(os_field VERSION_ID)
    case "$id:$version" in
        ubuntu:22.04 | ubuntu:24.04 | debian:12 | debian:13) ;;
        *) die "unsupported system [$id $version]; supported: Ubuntu 22.04/24.04, Debian 12/13" ;;
    esac
    log "System: $id $version"
}

# Candidate version of a package, empty when no configured repository has it.
apt_candidate() {
    local c
    c=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
    [ "$c" = "(none)" ] || printf '%s' "$c"
}

# Adds a third-party apt repository with its own keyring (no apt-key, no global trust).
add_apt_repo() {
    local name=$1 key_url=$2 line=$3
    install -d -m 0755 /etc/apt/keyrings
    if [ ! -s "/etc/apt/keyrings/$name.gpg" ]; then
        curl -fsSL "$key_url" | gpg --dearmor --yes -o "/etc/apt/keyrings/$name.gpg"
    fi
    printf 'deb [signed-by=/etc/apt/keyrings/%s.gpg] %s\n' "$name" "$line" >"/etc/apt/sources.list.d/$name.list"
    apt-get update
}

java_major() {
    "$1" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p'
}

# Newest installed Java >= MIN_JAVA; the distro default `java` may still be 17.
find_java() {
    local best="" best_major=0 candidate major
    for candidate in /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        major=$(java_major "$candidate") || continue
        [ -n "$major" ] || continue
        if [ "$major" -ge "$MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    printf '%s' "$best"
}

install_java() {
    if [ -n "$(find_java)" ]; then
        return
    fi
    # Ubuntu 22.04 (jammy-updates), Ubuntu 24.04 and Debian 13 ship openjdk-21. Debian 12 has
    # only openjdk-17, and bookworm-backports carries no openjdk-21 either, so there we
    # fall back to Eclipse Temurin from the Adoptium apt repository.
    if [ -n "$(apt_candidate openjdk-21-jre-headless)" ]; then
        log "Installing OpenJDK 21"
        apt-get install -y openjdk-21-jre-headless
    else
        log "openjdk-21 is not packaged here; installing Eclipse Temurin 21"
        add_apt_repo adoptium https://packages.adoptium.net/artifactory/api/gpg/key/public \
            "https://packages.adoptium.net/artifactory/deb $(os_field VERSION_CODENAME) main"
        if [ -n "$(apt_candidate temurin-21-jre)" ]; then
            apt-get install -y temurin-21-jre
        else
            apt-get install -y temurin-21-jdk
        fi
    fi
    [ -n "$(find_java)" ] || die "no Java >= $MIN_JAVA found under /usr/lib/jvm after installing one"
}

install_postgresql() {
    # Keep an existing server: installing another major would start a second cluster on 5433.
    if compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        return
    fi
    local candidate
    candidate=$(apt_candidate postgresql)
    if [ -n "$candidate" ] && [ "${candidate%%[+.~]*}" -ge "$MIN_POSTGRES" ]; then
        apt-get install -y postgresql
    else
        # Ubuntu 22.04 ships PostgreSQL 14; the panel needs 15+, so use the PGDG repository.
        log "PostgreSQL >= $MIN_POSTGRES is not packaged here; adding the PGDG repository"
        add_apt_repo pgdg https://www.postgresql.org/media/keys/ACCC4CF8.asc \
            "https://apt.postgresql.org/pub/repos/apt $(os_field VERSION_CODENAME)-pgdg main"
        apt-get install -y postgresql-16
    fi
}

install_packages() {
    export DEBIAN_FRONTEND=noninteractive
    log "Installing packages"
    apt-get update
    apt-get install -y ca-certificates curl gnupg openssl
    # python3-systemd: fail2ban's journal backend; openssh-client and ansible: the worker's tools.
    local packages=(redis-server ansible openssh-client fail2ban python3-systemd)
    [ "$with_nginx" -eq 0 ] || packages+=(nginx)
    apt-get install -y "${packages[@]}"
    install_postgresql
    install_java
}

create_user_and_dirs() {
    if ! id -u "$APP_USER" >/dev/null 2>&1; then
        log "Creating system user $APP_USER"
        useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin "$APP_USER"
    fi
    # The panel writes master.key here (on first start and on rotate-master-key) when run from
    # the command line; the systemd units see /etc read-only, so services cannot change it.
    install -d -m 0750 -o "$APP_USER" -g "$APP_USER" "$ETC_DIR"
    install -d -m 0750 -o "$APP_USER" -g "$APP_USER" "$DATA_DIR" "$LOG_DIR"
    install -d -m 0755 -o root -g root "$PREFIX"
}

write_env_file() {
    if [ -e "$ENV_FILE" ]; then
        log "Keeping existing $ENV_FILE"
        return
    fi
    log "Writing $ENV_FILE"
    local password base_url tmp
    # Hex: safe unquoted in both systemd EnvironmentFile and shell syntax, and in a JDBC URL.
    password=$(openssl rand -hex 32)
    base_url=http://127.0.0.1:8080
    [ -z "$domain" ] || base_url=https://$domain
    # Without --tls-cert the panel keeps its own certificate (from the platform's ACME account, vip.ssl.*).
    local panel_hostname_line="# VIP_SSL_PANEL_HOSTNAME= (the panel's certificate comes from --tls-cert)"
    # vip-panel-tls-reload.path reloads nginx when the certificate changes: the sandboxed worker may not.
    [ -z "$domain" ] || [ -n "$tls_cert" ] || panel_hostname_line="VIP_SSL_PANEL_HOSTNAME=$domain
VIP_SSL_PANEL_RELOAD_COMMAND="
    tmp=$(mktemp "$ETC_DIR/.vip-panel.env.XXXXXX")
    cat >"$tmp" <<EOF
# VIP Hosting Panel environment. Written once by install.sh, never overwritten by it.
# systemd EnvironmentFile syntax; any vip.* key can be set here as VIP_* (see configs/*.example).
VIP_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$DB_NAME
VIP_DATABASE_USER=$DB_ROLE
VIP_DATABASE_PASSWORD=$password
VIP_REDIS_URL=redis://127.0.0.1:6379
# The panel creates this key if it is missing. Back it up apart from database backups.
VIP_MASTER_KEY_FILE=$ETC_DIR/master.key
VIP_BIND=127.0.0.1
VIP_PORT=8080
VIP_DATA_DIR=$DATA_DIR
VIP_BASE_URL=$base_url
${panel_hostname_line}
# Quote values with spaces: the launcher also reads this file with sh.
# JAVA_OPTS="-Xmx1g -XX:+UseZGC"
EOF
    chown root:"$APP_USER" "$tmp"
    chmod 0640 "$tmp"
    mv -f "$tmp" "$ENV_FILE"
    env_created=1
}

env_value() {
    sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

psql_admin() {
    (cd / && runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 -d postgres "$@")
}

setup_database() {
    log "Starting PostgreSQL and Redis"
    systemctl enable --now postgresql redis-server
    local tries=0
    until psql_admin -c 'SELECT 1' >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 30 ] || die "PostgreSQL did not accept connections within 30 s"
        sleep 1
    done
    local version
    version=$(psql_admin -c 'SHOW server_version_num')
    [ "$version" -ge $((MIN_POSTGRES * 10000)) ] ||
        die "PostgreSQL on port 5432 is version $version; the panel needs $MIN_POSTGRES or newer"

    # The password travels in the environment (readable only by root and postgres), never
    # on a command line, and psql quotes it with %L.
    local password
    password=$(env_value VIP_DATABASE_PASSWORD)
    [ -n "$password" ] || die "VIP_DATABASE_PASSWORD is empty in $ENV_FILE"
    if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'")" ]; then
        log "Creating PostgreSQL role $DB_ROLE"
        VIP_DB_PASSWORD=$password psql_admin <<SQL
\\getenv pw VIP_DB_PASSWORD
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$DB_ROLE', :'pw') \\gexec
SQL
    elif [ "$env_created" -eq 1 ]; then
        # A fresh env file holds a fresh password: the existing role must learn it.
        log "Setting the password of existing role $DB_ROLE to the one in the new $ENV_FILE"
        VIP_DB_PASSWORD=$password psql_admin <<SQL
\\getenv pw VIP_DB_PASSWORD
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', '$DB_ROLE', :'pw') \\gexec
SQL
    fi
    if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
        log "Creating database $DB_NAME"
        psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE template0"
    fi
}

install_app() {
    local java tmp
    java=$(find_java)
    log "Installing $jar to $PREFIX (Java: $java)"
    # A new inode via rename: a running JVM keeps reading the old jar until it restarts.
    tmp=$(mktemp "$PREFIX/.vip-panel.jar.XXXXXX")
    install -m 0644 -o root -g root "$jar" "$tmp"
    mv -f "$tmp" "$PREFIX/vip-panel.jar"

    tmp=$(mktemp "$PREFIX/.vip-panel.XXXXXX")
    cat >"$tmp" <<EOF
#!/bin/sh
# VIP Hosting Panel launcher, written by scripts/install.sh.
# Usage: vip-panel serve --role=all|api|worker | migrate | create-admin | doctor | ...
# From a shell run it as the service user: sudo -u $APP_USER $PREFIX/vip-panel doctor
set -eu
# systemd has already loaded the env file; a command-line run gets the same settings.
if [ -z "\${VIP_DATABASE_URL:-}" ] && [ -r $ENV_FILE ]; then
    set -a
    # shellcheck source=/dev/null
    . $ENV_FILE
    set +a
fi
# JAVA_OPTS holds several flags and is split on spaces on purpose.
# shellcheck disable=SC2086
exec "\${VIP_JAVA:-$java}" -XX:+ExitOnOutOfMemoryError \${JAVA_OPTS:-} -jar $PREFIX/vip-panel.jar "\$@"
EOF
    chmod 0755 "$tmp"
    mv -f "$tmp" "$PREFIX/vip-panel"

    install -d -m 0755 "$PREFIX/configs"
    install -m 0644 "$SRC_DIR"/configs/*.example "$PREFIX/configs/"
}

run_migrations() {
    log "Applying database migrations"
    (cd "$DATA_DIR" && runuser -u "$APP_USER" -- "$PREFIX/vip-panel" migrate)
    if [ ! -e "$ETC_DIR/master.key" ] && [ -z "$(env_value VIP_MASTER_KEY)" ]; then
        warn "$ETC_DIR/master.key does not exist yet. The services cannot create it (they see /etc"
        warn "read-only); run: sudo -u $APP_USER $PREFIX/vip-panel doctor"
    fi
}

install_units() {
    log "Installing systemd units"
    install -m 0644 "$SRC_DIR/deploy/systemd/vip-panel-api.service" \
        "$SRC_DIR/deploy/systemd/vip-panel-worker.service" \
        "$SRC_DIR/deploy/systemd/vip-panel-tls-reload.path" \
        "$SRC_DIR/deploy/systemd/vip-panel-tls-reload.service" /etc/systemd/system/
    systemctl daemon-reload
    systemctl enable vip-panel-api.service vip-panel-worker.service
    if [ -n "$domain" ] && [ -z "$tls_cert" ]; then
        systemctl enable --now vip-panel-tls-reload.path
    fi
    # restart, not start: a re-run must pick up the new jar.
    systemctl restart vip-panel-api.service vip-panel-worker.service
}

install_nginx_site() {
    log "Configuring nginx for $domain"
    install -d -m 0755 "$ACME_ROOT"
    install -d -m 0750 "$TLS_DIR"
    if [ -n "$tls_cert" ]; then
        ln -sfn "$tls_cert" "$TLS_DIR/fullchain.pem"
        ln -sfn "$tls_key" "$TLS_DIR/privkey.pem"
    else
        if [ ! -e "$TLS_DIR/fullchain.pem" ]; then
            # nginx will not start without a certificate; this one only bridges until the panel has its own.
            warn "No --tls-cert given: using a self-signed certificate for $domain until the panel orders one" \
                "(after an admin makes the ACME account, or now: sudo -u $APP_USER $PREFIX/vip-panel panel-certificate)."
            (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$domain" \
                -addext "subjectAltName=DNS:$domain" \
                -keyout "$TLS_DIR/privkey.pem" -out "$TLS_DIR/fullchain.pem" 2>/dev/null)
        fi
        # The worker renews the panel's certificate here (vip.ssl.panel-hostname); nginx reads it as root.
        chown -R "$APP_USER:$APP_USER" "$TLS_DIR" "$ACME_ROOT"
    fi

    local version tmp
    version=$(nginx -v 2>&1 | sed -n 's|^nginx version: nginx/\([0-9.]*\).*|\1|p')
    tmp=$(mktemp)
    sed "s/panel\\.example\\.com/$domain/g" "$SRC_DIR/deploy/nginx/vip-panel.conf" >"$tmp"
    if [ -n "$version" ] && dpkg --compare-versions "$version" ge 1.25.1; then
        sed -i -e 's/ ssl http2;/ ssl;/' -e 's/^\([[:space:]]*\)# http2 on;/\1http2 on;/' "$tmp"
    fi
    install -m 0644 "$tmp" /etc/nginx/sites-available/vip-panel.conf
    rm -f "$tmp"
    ln -sfn ../sites-available/vip-panel.conf /etc/nginx/sites-enabled/vip-panel.conf
    nginx -t
    systemctl enable nginx
    systemctl reload-or-restart nginx
}

install_fail2ban() {
    log "Installing the fail2ban filter and jail"
    install -m 0644 "$SRC_DIR/deploy/fail2ban/filter.d/vip-panel.conf" /etc/fail2ban/filter.d/vip-panel.conf
    install -m 0644 "$SRC_DIR/deploy/fail2ban/jail.d/vip-panel.conf" /etc/fail2ban/jail.d/vip-panel.conf
    # Debian 12 enables the sshd jail on /var/log/auth.log, which does not exist without
    # rsyslog, and then fail2ban refuses to start at all (our jail included).
    if [ ! -e /var/log/auth.log ] && [ ! -e /etc/fail2ban/jail.d/vip-panel-sshd.conf ]; then
        printf '# Written by vip-panel install.sh: no /var/log/auth.log here.\n[sshd]\nbackend = systemd\n' \
            >/etc/fail2ban/jail.d/vip-panel-sshd.conf
    fi
    fail2ban-client -t >/dev/null
    systemctl enable fail2ban
    systemctl restart fail2ban
}

main() {
    parse_args "$@"
    [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 ...)"
    check_os
    install_packages
    create_user_and_dirs
    write_env_file
    setup_database
    install_app
    run_migrations
    install_units
    if [ "$with_nginx" -eq 1 ]; then
        install_nginx_site
    fi
    install_fail2ban

    log "Done."
    if [ "$with_nginx" -eq 1 ]; then
        log "Open https://$domain/ and follow the setup link printed in: journalctl -u vip-panel-api"
    else
        log "The panel listens on 127.0.0.1:8080; put a TLS proxy in front of it."
    fi
    log "Check the installation with: sudo -u $APP_USER $PREFIX/vip-panel doctor"
}

main "$@"
