#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a bounded time and prints a
# table: target, seconds, executions, crashes. Exits non-zero on a crash.
#   FUZZ_SECONDS=30 scripts/fuzz.sh              # every target, 30 s each
#   FUZZ_SECONDS=5 scripts/fuzz.sh hostname      # some targets
# Crashing inputs land in fuzz/artifacts/<target>/; replay one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz -s none <target> <file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"
# cargo-fuzz passes nightly-only flags (-Zsanitizer…, -Cpasses=sancov-module
# with unstable options); RUSTC_BOOTSTRAP lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
fuzz=(cargo fuzz)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir fuzz)

echo "==> building ${targets[*]} (no sanitizer: stable has none)"
for target in "${targets[@]}"; do
  "${fuzz[@]}" build --fuzz-dir fuzz -s none "$target"
done

# Host-name seeds come from the shared corpora in tests/data/ (PHP reads the JSON lines).
if command -v php >/dev/null; then
  mkdir -p fuzz/target/seeds/hostname
  php -r 'foreach (glob("tests/data/*-hostnames.jsonl") as $f) foreach (file($f) as $i => $l) {
      $e = json_decode($l, true); $name = str_repeat($e["input"], $e["repeat"] ?? 1) . ($e["then"] ?? "");
      if (strlen($name) <= 4096) file_put_contents("fuzz/target/seeds/hostname/" . basename($f, ".jsonl") . "-" . ($i + 1), $name);
  }'
fi

# Run the built binaries directly, so the timing is the fuzzing alone (cargo fuzz run would rebuild first).
bin="fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"
logs="fuzz/target/logs"
mkdir -p "$logs"
rows=()
failed=0
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  for dir in "fuzz/seeds/$target" "fuzz/target/seeds/$target"; do
    [ -d "$dir" ] && seeds+=("$dir")
  done
  before=$(find "$artifacts" -type f | wc -l)
  echo "==> $target: ${seconds} s"
  started=$(date +%s%N)
  status=0
  # -timeout: one input may not take longer (a panel request is bounded by 5 s);
  # the corpus grows in fuzz/corpus/, seeds are read only.
  "$bin/$target" "$corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$logs/$target.log" 2>&1 || status=$?
  elapsed=$(awk -v a="$started" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$target.log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(( $(find "$artifacts" -type f | wc -l) - before ))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    echo "    $target stopped with status $status; see $logs/$target.log" >&2
    crashes="?"
  fi
  [ "$crashes" = 0 ] || failed=1
  rows+=("$(printf '%-22s %8.1f %12s %8s' "$target" "$elapsed" "${runs:-?}" "$crashes")")
done

echo
printf '%-22s %8s %12s %8s\n' target seconds executions crashes
for row in "${rows[@]}"; do echo "$row"; done
[ "$failed" -eq 0 ] || { echo "fuzz: a target crashed or failed; see fuzz/artifacts/ and $logs/" >&2; exit 1; }
