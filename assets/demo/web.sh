#!/bin/sh
# The `web` demo container, on the default network with port 8080 published on the host:
# busybox httpd serving /var/www on port 8080, and a loop that fetches the page over
# loopback and logs the result. Not `wget -T`: it segfaults in Debian's static busybox 1.35.
httpd -f -v -p 8080 -h /var/www &
printf '\033[1;34mweb\033[0m httpd listening on :8080 (pid %d), published on host port 8080\n' "$!"
while true; do
    sleep 3
    if body=$(timeout 5 wget -q -O - http://127.0.0.1:8080/ 2>/dev/null); then
        title=$(printf '%s' "$body" | sed -n 's:.*<title>\(.*\)</title>.*:\1:p')
        printf '\033[1;34mweb\033[0m GET / \033[32m200 OK\033[0m %d bytes, title "%s"\n' "${#body}" "$title"
    else
        printf '\033[1;34mweb\033[0m GET / \033[31mfailed\033[0m\n'
    fi
done
