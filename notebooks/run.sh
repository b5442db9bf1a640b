#!/usr/bin/env bash
# Executes every analyst notebook headless against a demo's data, as CI does:
#   notebooks/run.sh [DEMO_DIR]        (default kefu-demo, the demo's default --out)
# Brings the demo's PostgreSQL back up on its data directory (bin/kefu postgres), runs each
# notebook with `jupyter nbconvert --execute` into target/notebooks/ (the executed copies, with
# their tables and plots), and stops the database. A failing cell fails the script.
# Needs Debian's jupyter-nbconvert, python3-ipykernel, -pandas, -matplotlib, -psycopg2, -scipy.
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
demo="$(cd "${1:-$home/kefu-demo}" && pwd)"
port="${KEFU_DB_PORT:-54329}"
out="$home/target/notebooks"
# Debian's Python, whose kernel has the Debian packages (a pyenv or venv python3 first on PATH
# would not).
export PATH="/usr/bin:$PATH"

command -v jupyter-nbconvert >/dev/null || {
  echo "notebooks/run.sh: jupyter-nbconvert not found; install Debian's jupyter-nbconvert" \
    "python3-ipykernel python3-pandas python3-matplotlib python3-psycopg2 python3-scipy" >&2
  exit 1
}
[ -d "$demo/postgres" ] || { echo "notebooks/run.sh: $demo/postgres not found: run bin/kefu demo first" >&2; exit 1; }

"$home/bin/kefu" postgres --data "$demo/postgres" --port "$port" >"$demo/postgres.log" 2>&1 &
pg=$!
trap 'kill $pg 2>/dev/null; wait $pg 2>/dev/null || true' EXIT
export KEFU_DB="postgresql://postgres@localhost:$port/postgres" KEFU_DEMO="$demo" MPLBACKEND=Agg
for _ in $(seq 1 120); do
  python3 -c "import psycopg2, os; psycopg2.connect(os.environ['KEFU_DB']).close()" 2>/dev/null && break
  kill -0 $pg 2>/dev/null || { cat "$demo/postgres.log" >&2; exit 1; }
  sleep 1
done

mkdir -p "$out"
failed=0
for nb in "$home"/notebooks/*.ipynb; do
  name="$(basename "$nb")"
  start=$(date +%s)
  if jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
      --output-dir "$out" --output "$name" "$nb" >"$out/${name%.ipynb}.log" 2>&1; then
    echo "notebook $name: ok in $(( $(date +%s) - start )) s"
  else
    echo "notebook $name: FAILED (log: $out/${name%.ipynb}.log)"
    tail -40 "$out/${name%.ipynb}.log"
    failed=1
  fi
done
exit $failed
