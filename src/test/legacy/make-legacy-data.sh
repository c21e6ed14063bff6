#!/usr/bin/env bash
# How src/test/resources/legacy-data was made: the release before end-to-end encryption (commit
# 04c3108) run from its jar, driven with curl, then stopped cleanly. Kept for the record; the test
# needs only the committed data directory.
#   git worktree add /tmp/legacy 04c3108 && (cd /tmp/legacy && mvn -B -q package -DskipTests)
set -euo pipefail
DATA=${1:-/tmp/legacy-data}
B=http://localhost:18099
BRIDGEWORK_HTTP_PORT=18099 BRIDGEWORK_HTTP_HOST=127.0.0.1 BRIDGEWORK_DATA_DIR=$DATA java -jar /tmp/legacy/target/bridgework.jar &
PID=$!
until curl -sf $B/health >/dev/null; do sleep 1; done
j() { curl -s -b "$1" -c "$1" -H Content-Type:application/json -X "$2" "$B$3" ${4:+-d "$4"}; echo; }
j a POST /api/auth/register '{"email":"alice@legacy.test","password":"alice legacy password","displayName":"Alice"}'
j b POST /api/auth/register '{"email":"bob@legacy.test","password":"bob legacy password","displayName":"Bob"}'
j a PUT /api/parts/11111111-1111-4111-8111-111111111111 '{"name":"LEGACY-ALICE-PART The Scorekeeper","role":"manager","belief":"LEGACY-ALICE-BELIEF","needs":"rest"}'
j a PUT /api/reflections/22222222-2222-4222-8222-222222222222 '{"exerciseId":"mirror-recent-moment","status":"complete","answers":{"what-happened":"LEGACY-ALICE-REFLECTION dinner went quiet","what-you-felt":["lonely","hurt"],"how-strong":7}}'
j a PUT /api/reflections/22222222-2222-4222-8222-222222222223 '{"exerciseId":"free-blank-page","status":"draft","answers":{}}'
j a PUT /api/checkins/33333333-3333-4333-8333-333333333333 '{"emotions":["tired","tender"],"intensity":7,"note":"LEGACY-ALICE-CHECKIN long day"}'
j b PUT /api/reflections/44444444-4444-4444-8444-444444444444 '{"exerciseId":"mirror-recent-moment","status":"draft","answers":{"what-happened":"LEGACY-BOB-REFLECTION"}}'
CODE=$(j a POST /api/couple '{}' | python3 -c "import json,sys; print(json.load(sys.stdin)['invite']['code'])")
j b POST /api/couple/join "{\"code\":\"$CODE\"}"
j a PUT /api/shares/55555555-5555-4555-8555-555555555555 '{"reflectionId":"22222222-2222-4222-8222-222222222222","title":"LEGACY-SHARE-TITLE","excerpts":[{"stepId":"what-happened","text":"LEGACY-SHARED-TEXT"}],"note":"n","intent":"listen"}'
j a PUT /api/shares/55555555-5555-4555-8555-555555555555/counseling '{"flag":true}'
RID=$(j b POST /api/reviews '{}' | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
j a PUT /api/reviews/$RID/notes/55555555-5555-4555-8555-555555555555 '{"text":"LEGACY-ALICE-REVIEW-NOTE"}'
kill -TERM $PID
wait $PID || true
