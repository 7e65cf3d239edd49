#!/bin/sh
# One HTTP request on stdin/stdout (run by `nc -ll -e`), routed by $APP. A shell stand-in for the seed 003 Node.js
# APIs (wooglim/kub-demo-*), with the same routes and the same calls between them:
#   auth  :80   GET  /hashed-password/PW     -> {"hashedPassword":"PW_hash"}
#               GET  /token/HASHED/PW        -> {"token":"abc"} (401 unless HASHED = PW_hash)
#               GET  /verify-token/TOKEN     -> {"uid":"u1"}    (401 unless TOKEN = abc)
#   users :8080 POST /signup {"email","password"} -> asks auth http://$AUTH_ADDRESS/hashed-password/PW
#               POST /login  {"email","password"} -> asks auth /hashed-password, then /token at
#                                                  $AUTH_SERVICE_SERVICE_HOST (if set, else $AUTH_ADDRESS)
#   tasks :8000 GET|POST /tasks with "Authorization: Bearer TOKEN" -> asks auth http://$AUTH_ADDRESS/verify-token/TOKEN,
#               tasks kept in /app/$TASKS_FOLDER/tasks.txt
# Every answer names the pod that served it ("servedBy"), and users/tasks name the auth pod they reached ("auth").
CR=$(printf '\r')
read -r method path _proto
path=${path%%\?*}
len=0; authz=
while read -r line; do
  line=${line%"$CR"}
  [ -z "$line" ] && break
  case "$line" in
    [Cc]ontent-[Ll]ength:*) len=${line#*:}; len=${len# } ;;
    [Aa]uthorization:*) authz=${line#*:}; authz=${authz# } ;;
  esac
done
body=
[ "${len:-0}" -gt 0 ] 2>/dev/null && body=$(head -c "$len")
ME=$(hostname)

reply() { # status, json (without the closing brace's servedBy)
  out="$2"
  out="${out%\}},\"servedBy\":\"$ME\"}"
  printf 'HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s\n' \
    "$1" "$((${#out} + 1))" "$out"
  exit 0
}
field() { printf '%s' "$body" | sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'; }
call_auth() { # host, path: prints auth's JSON, fails when auth is unreachable or refuses
  wget -q -O - "http://$1$2" 2>/dev/null
}
auth_pod() { printf '%s' "$1" | sed -n 's/.*"servedBy":"\([^"]*\)".*/\1/p'; }

case "$APP:$method:$path" in
  auth:GET:/hashed-password/*)
    pw=${path#/hashed-password/}
    reply "200 OK" "{\"hashedPassword\":\"${pw}_hash\"}" ;;
  auth:GET:/token/*/*)
    rest=${path#/token/}; hashed=${rest%%/*}; pw=${rest#*/}
    [ "$hashed" = "${pw}_hash" ] || reply "401 Unauthorized" '{"message":"Passwords do not match."}'
    reply "200 OK" '{"token":"abc"}' ;;
  auth:GET:/verify-token/*)
    [ "${path#/verify-token/}" = abc ] || reply "401 Unauthorized" '{"message":"Token invalid."}'
    reply "200 OK" '{"message":"Valid token.","uid":"u1"}' ;;

  users:POST:/signup|users:POST:/login)
    email=$(field email); pw=$(field password)
    [ -n "$email" ] && [ -n "$pw" ] || reply "422 Unprocessable Entity" '{"message":"An email and password needs to be specified!"}'
    a=${AUTH_ADDRESS:-localhost}
    h=$(call_auth "$a" "/hashed-password/$pw") || reply "500 Internal Server Error" "{\"message\":\"Could not reach the auth API at $a\"}"
    hashed=$(printf '%s' "$h" | sed -n 's/.*"hashedPassword":"\([^"]*\)".*/\1/p')
    if [ "$path" = /signup ]; then
      reply "201 Created" "{\"message\":\"User created!\",\"user\":{\"email\":\"$email\",\"password\":\"$hashed\"},\"auth\":\"$a $(auth_pod "$h")\"}"
    fi
    t=${AUTH_SERVICE_SERVICE_HOST:-$a}
    r=$(call_auth "$t" "/token/$hashed/$pw") || reply "401 Unauthorized" "{\"message\":\"Could not log in (auth at $t)\"}"
    token=$(printf '%s' "$r" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    reply "200 OK" "{\"message\":\"User logged in!\",\"token\":\"$token\",\"auth\":\"$t $(auth_pod "$r")\"}" ;;

  tasks:GET:/tasks|tasks:POST:/tasks)
    token=${authz#Bearer }
    [ -n "$authz" ] && [ "$token" != "$authz" ] || reply "401 Unauthorized" '{"message":"Could not authenticate user."}'
    a=${AUTH_ADDRESS:-localhost}
    v=$(call_auth "$a" "/verify-token/$token") || reply "401 Unauthorized" "{\"message\":\"Could not verify the token with the auth API at $a\"}"
    dir=/app/${TASKS_FOLDER:-tasks}; mkdir -p "$dir"; touch "$dir/tasks.txt"
    if [ "$method" = POST ]; then
      title=$(field title); text=$(field text)
      [ -n "$title" ] || reply "422 Unprocessable Entity" '{"message":"A title needs to be specified!"}'
      task="{\"title\":\"$title\",\"text\":\"$text\"}"
      echo "$task" >>"$dir/tasks.txt"
      reply "201 Created" "{\"message\":\"Task stored.\",\"createdTask\":$task,\"auth\":\"$a $(auth_pod "$v")\"}"
    fi
    list=$(paste -sd, "$dir/tasks.txt")
    reply "200 OK" "{\"message\":\"Tasks loaded.\",\"tasks\":[$list],\"auth\":\"$a $(auth_pod "$v")\"}" ;;

  *:GET:/)
    reply "200 OK" "{\"message\":\"$APP API\"}" ;;
  *)
    reply "404 Not Found" "{\"message\":\"no route for $method $path\"}" ;;
esac
