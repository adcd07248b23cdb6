#!/usr/bin/env bash
# Run every benchmark and write its tables to benchmarks/results/ (see benchmarks/README.md).
# Usage: bash benchmarks/run.sh [--quick]   (--quick: cohorts up to 100,000 and 5 readers, for a smoke run)
# Not part of CI: the numbers depend on the machine. Generated exports go to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
status=0

if [ "${1:-}" = "--quick" ]; then
  quick=$(mktemp -d)  # a smoke run never overwrites the quoted results
  echo "run.sh: quick results go to $quick" >&2
  pipeline_args=(--sizes 58,10000,100000 --code-answers 100000 --results "$quick")
  reader_args=(--readers 5 --pages-per-reader 1 --rounds 1 --results "$quick")
else
  pipeline_args=()
  reader_args=()
fi

echo "== pipeline: synth + build vs bare read_csv, coder, nbval" >&2
"$py" benchmarks/pipeline.py "${pipeline_args[@]}" || status=1
echo "== readers: concurrent Voilà readers in headless Chromium" >&2
"$py" benchmarks/readers.py "${reader_args[@]}" || status=1
if [ -f benchmarks/dashboards.py ] && [ "${1:-}" != "--quick" ]; then
  echo "== dashboards: first chart, filter update, static pages" >&2
  "$py" benchmarks/dashboards.py || status=1
fi
if [ "${1:-}" != "--quick" ]; then
  echo "== crowd: a dozen readers at once on one section, beside its static copy; kernel memory" >&2
  "$py" benchmarks/crowd.py || status=1
  echo "== flood: 100 page requests without a websocket, under the kernel cap" >&2
  "$py" benchmarks/flood.py || status=1
  echo "== compare: 20 readers open the compare page together, first form visible, beside its static copy" >&2
  "$py" benchmarks/compare.py || status=1
fi
exit "$status"
