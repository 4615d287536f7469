#!/usr/bin/env bash
# The county load test (issue 14, item 5): PostgreSQL, seed_demo --county, gunicorn with
# 4 workers on loopback with production settings, locust headless, a summary, and
# everything it started stopped again.
#
#   benchmarks/load/run.sh [USERS] [RUN_TIME]        (default 200 users, 3m)
#
# LOAD_DB (default staffing_load) is created when missing, migrated and seeded once (a
# few minutes; an existing county is reused). LOAD_PG is the server
# (default postgres://postgres@127.0.0.1:5432), LOAD_PORT the port (8765), LOAD_WAIT
# the think time in seconds (3,7), LOAD_SPAWN the users started per second (20).
# Results go to var/load/: locust's CSV files, gunicorn's log, the summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
USERS=${1:-200}
RUN_TIME=${2:-3m}
PG=${LOAD_PG:-postgres://postgres@127.0.0.1:5432}
DB=${LOAD_DB:-staffing_load}
PORT=${LOAD_PORT:-8765}
OUT=var/load
PY=.venv/bin/python
mkdir -p "$OUT"

export DATABASE_URL="$PG/$DB"
# Production settings, on loopback over plain HTTP: no HTTPS redirect, no secure-only
# cookies (nothing leaves the machine), everything else as deployed.
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
export LOG_LEVEL=WARNING
export GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=4 GUNICORN_ACCESS_LOG=$OUT/access.log
export LOAD_USERS=$OUT/users.json LOAD_WAIT=${LOAD_WAIT:-3,7}

if ! psql "$PG/postgres" -tAc "select 1 from pg_database where datname = '$DB'" | grep -q 1
then
  psql "$PG/postgres" -qc "create database $DB"
fi
"$PY" manage.py migrate_locked --no-input -v 0
"$PY" manage.py collectstatic --no-input -v 0
"$PY" manage.py compilemessages --ignore=.venv -v 0
if "$PY" manage.py shell --no-imports -c "from schools.models import County; from schools.demo import \
COUNTY_DEMO; raise SystemExit(0 if County.objects.filter(name=COUNTY_DEMO).exists() else 1)"
then
  echo "the county is seeded already in $DB"
else
  "$PY" manage.py seed_demo --county --intentions-open 2 | head -1
fi
"$PY" benchmarks/load/users.py "$LOAD_USERS"

.venv/bin/gunicorn --config staffing/gunicorn.conf.py >"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

echo "locust: $USERS users, $RUN_TIME, think time $LOAD_WAIT s, on $(nproc) cores"
.venv/bin/locust -f benchmarks/load/locustfile.py --headless --only-summary \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "${LOAD_SPAWN:-20}" --run-time "$RUN_TIME" \
  --stop-timeout 10 --csv "$OUT/locust" --exit-code-on-error 0 >"$OUT/locust.log" 2>&1 || {
    tail -20 "$OUT/locust.log"; exit 1; }
grep -E "^logins" "$OUT/locust.log" || true
"$PY" benchmarks/load/summary.py "$OUT/locust" | tee "$OUT/summary.md"
