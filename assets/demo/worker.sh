#!/bin/sh
# The `worker` demo container: processes "jobs", progress on stdout, failures on stderr.
job=0
while true; do
    job=$((job + 1))
    printf '\033[36mworker\033[0m job %d started\n' "$job"
    sleep 2
    if [ $((job % 4)) -eq 0 ]; then
        printf '\033[1;31mworker\033[0m job %d failed: \033[31mretrying later\033[0m\n' "$job" >&2
    else
        printf '\033[36mworker\033[0m job %d \033[1;32mdone\033[0m in %d ms\n' "$job" $((job * 13 % 900 + 100))
    fi
done
