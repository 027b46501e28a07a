#!/bin/bash
# samples VmRSS of the bench's headless engine every 0.2 s until it exits
out=/work/rss-timeline.txt; : > $out
while ! pid=$(pgrep -f "qbitrr_tui run --headless" | head -1) || [ -z "$pid" ]; do sleep 0.2; done
t0=$(date +%s.%N)
while [ -e /proc/$pid ]; do
  r=$(awk '/VmRSS|VmHWM/{printf "%s ", $2}' /proc/$pid/status 2>/dev/null)
  echo "$(echo "$(date +%s.%N) - $t0" | bc) $r" >> $out
  sleep 0.2
done
