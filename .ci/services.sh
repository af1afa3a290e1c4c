#!/usr/bin/env bash
# Installs and starts the services the tests use: a PostgreSQL server on 127.0.0.1:5432 with the role
# and database of OPENPHM_TEST_DATABASE_URL, and the mosquitto binary (the MQTT tests start their own
# broker on a free loopback port). Idempotent: safe to run on a machine that already has them.
set -euo pipefail
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
cd /tmp
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='openphm'\"" | grep -q 1 ||
    su postgres -c "psql -q -c \"CREATE ROLE openphm LOGIN SUPERUSER PASSWORD 'openphm'\""
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='openphm_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O openphm openphm_test"
echo "services: PostgreSQL $version on 127.0.0.1:5432, mosquitto at /usr/sbin/mosquitto"
