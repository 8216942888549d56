#!/bin/sh
# The `client` demo container: fetches http://shop/ every two seconds. `shop` is the
# network alias of both replicas on demo-net, so berth's DNS answers with both addresses
# in turn (round robin) and the log shows which replica served each request.
while true; do
    if body=$(timeout 5 wget -q -O - http://shop/ 2>/dev/null); then
        who=$(printf '%s' "$body" | sed -n 's:.*<title>\(.*\)</title>.*:\1:p')
        printf '\033[1;36mclient\033[0m GET http://shop/ \033[32m200\033[0m from %s\n' "$who"
    else
        printf '\033[1;36mclient\033[0m GET http://shop/ \033[31mfailed\033[0m\n'
    fi
    sleep 2
done
