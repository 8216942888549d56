#!/bin/sh
# A `replica-N` demo container: busybox httpd on port 80 serving a page that names this
# replica, so the client (behind the network alias `shop`) shows which one answered.
mkdir -p /tmp/www
printf '<html><head><title>%s</title></head><body>served by %s</body></html>\n' \
    "$(hostname)" "$(hostname)" >/tmp/www/index.html
httpd -f -v -p 80 -h /tmp/www &
printf '\033[1;35m%s\033[0m httpd on :80, reachable as "shop" on demo-net\n' "$(hostname)"
wait
