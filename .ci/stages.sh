# Stage timing for .ci/run (sourced; tests/test_ci.py runs it too). `stage
# NAME` ends the running stage and starts the next, `stage_end` ends it; each
# stage's time is printed as it ends, and `stage_table` (run on EXIT) prints
# them all with the total, naming the stage that failed, and keeps the exit
# status. CI must stay under 90 minutes; we aim for 30 (DEVELOPERS.md).
started=${started:-$(date +%s)}
log() { echo "== [$(( $(date +%s) - started ))s] $*"; }

stage_names=() stage_secs=() stage_name="" stage_started=0
stage_end() {
  [ -n "$stage_name" ] || return 0
  local took=$(( $(date +%s) - stage_started ))
  stage_names+=("$stage_name") stage_secs+=("$took")
  log "stage took ${took}s: $stage_name"
  stage_name=""
}
stage() { stage_end; stage_name="$1" stage_started=$(date +%s); log "$1"; }
stage_table() {
  local status=$? failed="$stage_name" i mark
  stage_end
  echo "== stage times"
  for i in "${!stage_names[@]}"; do
    mark=""
    if [ "$status" -ne 0 ] && [ "${stage_names[$i]}" = "$failed" ]; then mark="  FAILED"; fi
    printf '  %-52s %6ss  %3dm%02ds%s\n' "${stage_names[$i]}" "${stage_secs[$i]}" \
      $(( stage_secs[i] / 60 )) $(( stage_secs[i] % 60 )) "$mark"
  done
  local total=$(( $(date +%s) - started ))
  printf '  %-52s %6ss  %3dm%02ds\n' "total" "$total" $(( total / 60 )) $(( total % 60 ))
}
