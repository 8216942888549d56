#!/bin/sh
# The `ticker` demo container: levelled log lines in colour (ANSI escapes), forever.
n=0
while true; do
    n=$((n + 1))
    case $((n % 7)) in
        0) printf '\033[31mERROR\033[0m tick %d: something broke (not really)\n' "$n" ;;
        3 | 5) printf '\033[33mWARN \033[0m tick %d: load is %d%%\n' "$n" $((n * 37 % 100)) ;;
        *) printf '\033[32mINFO \033[0m tick %d: all good\n' "$n" ;;
    esac
    sleep 1
done
