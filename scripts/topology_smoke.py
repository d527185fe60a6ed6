"""The smoke checks of the scale-out topology (scripts/topology.sh smoke).

Run by scripts/topology.py with the stack's environment, after `up --demo`:

    python scripts/topology_smoke.py --proxy http://127.0.0.1:P --web http://127.0.0.1:A --web http://127.0.0.1:B \\
        --access-log .../nginx/access.log --media-root .../data/media

Everything is asked through nginx, as a visitor would:
- /health names PostgreSQL, the Redis channel layer and database search,
  and both web processes answer it (the proxy's access log says which did);
- the home, mission, call and idea pages, and the API, answer 200;
- static files come from WhiteNoise through the proxy with their cache
  headers (a year and `immutable` for a hashed name, compressed; a short
  max-age for the plain name), media files from nginx itself with its 7-day
  expiry and nosniff, and /media/documents/ is refused;
- two WebSockets (round-robin puts them on different web processes) follow
  an idea; a vote cast through the API reaches both, and the access log shows
  that at least one socket sat on another process than the vote: the tally
  crossed processes through Redis;
- a Huey task queued for the worker (the opinion map of the demo's Pol.is
  call) runs there, and its `opinion.updated` event reaches the sockets.
- a client cannot choose the address the app sees: with X-Forwarded-For,
  X-Real-IP and Forwarded headers of its own, the web process's access log
  names the address nginx saw (127.0.0.1), never the written ones, and
  sign-up attempts each with a new written address are still refused past
  the per-address limit.

`prepare` and `enqueue` are the helpers run in Django (same settings and
database as the stack): a signed-in person made with the test Client's
force_login, an idea they may vote on, and the worker's task."""

import argparse
import asyncio
import json
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 15  # seconds for a live event
WORKER_TIMEOUT = 90  # seconds for the worker's task to run and its event to arrive


# --- in Django: the helpers -------------------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare():
    """A person who may vote (made here, signed in with force_login), an idea
    they may vote on, the pages to ask for, and a call with an opinion map."""
    _django()
    from allauth.account.models import EmailAddress
    from cms.accounts import account_limits
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from consult.models import ChallengeCallPage
    from ideas.rules import can
    from ideas.visibility import public_ideas
    from opinions.services import no_map_reason

    email = f"topology-{secrets.token_hex(6)}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    idea = next(
        (
            idea
            for idea in public_ideas().select_related("call").order_by("pk")[:500]
            if idea.call.voting_mode == ChallengeCallPage.VOTING_SUPPORT and can(user, "ideas.vote_idea", idea)
        ),
        None,
    )
    if idea is None:
        raise SystemExit("no idea in the demo that a new person may support")
    client = Client()
    client.force_login(user)
    call = idea.call.specific
    mission = call.get_parent().specific
    mapped = next(
        (c for c in ChallengeCallPage.objects.live().order_by("pk") if no_map_reason(c) is None), None
    )
    signup_limit = min(int(rate.split("/")[0]) for scope, rate in account_limits("signup_attempt").items()
                       if scope.startswith("ip"))
    print(json.dumps({
        "signup_limit": signup_limit,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "idea": idea.pk,
        "support": idea.support_count,
        "pages": ["/", mission.url, call.url, idea.get_absolute_url()],
        "call": call.pk,
        "mapped_call": mapped.pk if mapped else None,
    }))


def enqueue(call_id):
    """Queue the opinion map of a call for the worker (Huey on Redis), as a vote does after its debounce."""
    _django()
    from opinions.tasks import recompute_opinion_map

    recompute_opinion_map(int(call_id))
    print("queued")


def in_django(*args):
    result = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


# --- through the proxy: the checks ------------------------------------------------

failures = []


def check(condition, message):
    if condition:
        print(f"  ok  {message}", flush=True)
    else:
        print(f"  FAIL {message}", flush=True)
        failures.append(message)
    return condition


def request(url, method="GET", headers=None, body=None):
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(req, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


class AccessLog:
    """The proxy's access log (format `topology` in the generated nginx.conf):
    `<msec> <status> "<method> <uri>" upstream=<addr>`."""

    LINE = re.compile(r'^(\S+) (\d{3}) "(\S+) (\S+)" upstream=(\S+)$')

    def __init__(self, path):
        self.path = Path(path)

    def entries(self):
        for line in self.path.read_text().splitlines():
            match = self.LINE.match(line)
            if match:
                yield {"status": int(match[2]), "method": match[3], "uri": match[4], "upstream": match[5]}

    def find(self, tag, timeout=10):
        """The entry whose URI carries ?probe=<tag>; WebSockets are logged when they close."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in self.entries():
                if f"probe={tag}" in entry["uri"]:
                    return entry
            time.sleep(0.2)
        return None


def check_health(proxy, webs, access_log):
    print("health", flush=True)
    tag = secrets.token_hex(4)
    for index in range(2 * len(webs)):
        status, _, body = request(f"{proxy}/health?probe={tag}-{index}")
        if not check(status == 200, f"/health #{index + 1} through nginx answers 200 ({status})"):
            return
    health = json.loads(body)
    check(health.get("status") == "ok" and health.get("database") == "postgresql"
          and health.get("channel_layer") == "redis" and health.get("search") == "database",
          f"/health reports PostgreSQL, Redis and database search: {health}")
    answered = {(access_log.find(f"{tag}-{index}") or {}).get("upstream") for index in range(2 * len(webs))}
    expected = {web.split("://", 1)[1] for web in webs}
    check(answered == expected, f"nginx spreads requests over every web process: {sorted(answered)}")


def check_pages(proxy, info):
    print("pages and API", flush=True)
    for path in info["pages"]:
        status, headers, body = request(f"{proxy}{path}")
        check(status == 200 and b"</html>" in body, f"{path} answers 200 with a page ({status})")
    status, headers, body = request(f"{proxy}/api/v1/ideas/{info['idea']}")
    ok = status == 200 and headers.get("Content-Type", "").startswith("application/json")
    check(ok and json.loads(body).get("id") == info["idea"], f"GET /api/v1/ideas/{info['idea']} answers 200 JSON")
    status, _, body = request(f"{proxy}/api/schema")
    check(status == 200 and "paths" in json.loads(body), "GET /api/schema answers 200")
    return request(f"{proxy}/")[2].decode()


def check_static(proxy, home_html, media_root, access_log):
    print("static and media files", flush=True)
    hashed = re.search(r'/static/css/app\.[0-9a-f]{12}\.css', home_html)
    if check(hashed, "the home page links the stylesheet by its hashed name"):
        status, headers, body = request(f"{proxy}{hashed[0]}", headers={"Accept-Encoding": "gzip"})
        cache = headers.get("Cache-Control", "")
        check(status == 200 and "immutable" in cache and "max-age=315360000" in cache,
              f"{hashed[0]}: 200, cached for good ({status}, Cache-Control: {cache})")
        check(headers.get("Content-Encoding") == "gzip" and "Accept-Encoding" in headers.get("Vary", ""),
              f"{hashed[0]}: served compressed ({headers.get('Content-Encoding')}, Vary: {headers.get('Vary')})")
    status, headers, body = request(f"{proxy}/static/css/app.css")
    cache = headers.get("Cache-Control", "")
    check(status == 200 and b"govuk" in body and re.search(r"max-age=\d+", cache) and "immutable" not in cache,
          f"/static/css/app.css: 200, a short max-age for the unhashed name (Cache-Control: {cache})")

    probe = secrets.token_hex(4)
    name = f"topology-{probe}.txt"
    (Path(media_root) / name).write_text(f"media {probe}\n")
    status, headers, body = request(f"{proxy}/media/{name}?probe=media-{probe}")
    check(status == 200 and body == f"media {probe}\n".encode(), f"/media/{name} is served ({status})")
    check("max-age=604800" in headers.get("Cache-Control", "") and headers.get("Expires")
          and headers.get("X-Content-Type-Options") == "nosniff",
          f"media: nginx's 7-day expiry and nosniff (Cache-Control: {headers.get('Cache-Control')}, "
          f"X-Content-Type-Options: {headers.get('X-Content-Type-Options')})")
    entry = access_log.find(f"media-{probe}")
    check(entry and entry["upstream"] == "-", "media comes from nginx itself, not a web process")
    documents = Path(media_root) / "documents"
    documents.mkdir(exist_ok=True)
    (documents / name).write_text("private\n")
    status, _, _ = request(f"{proxy}/media/documents/{name}")
    check(status == 404, f"/media/documents/ is refused, documents go through /documents/ ({status})")


def check_client_address(proxy, web_logs, info):
    print("the client's address", flush=True)
    tag = secrets.token_hex(4)
    spoofed = {"X-Forwarded-For": "203.0.113.7", "X-Real-IP": "203.0.113.8", "Forwarded": "for=203.0.113.9"}
    status, _, _ = request(f"{proxy}/health?probe={tag}-xff", headers=spoofed)
    check(status == 200, f"/health with a written X-Forwarded-For answers 200 ({status})")
    line = re.compile(rf'(\S+) - "GET /health\?probe={tag}-xff ')
    seen, deadline = [], time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        seen = [match[1] for path in web_logs for match in line.finditer(Path(path).read_text(errors="replace"))]
        time.sleep(0.2)
    hosts = {address.rsplit(":", 1)[0] for address in seen}
    check(hosts == {"127.0.0.1"}, f"the web process saw the address nginx saw, not the written one: {sorted(hosts)}")
    logs = "".join(Path(path).read_text(errors="replace") for path in web_logs)
    check("203.0.113." not in logs, "no address the client wrote reached the web processes' logs")

    csrf = secrets.token_hex(16)
    headers = {"Cookie": f"{info['csrf_cookie']}={csrf}", "X-CSRFToken": csrf, "Origin": proxy,
               "Content-Type": "application/x-www-form-urlencoded"}
    body = "display_name=Topology+Probe&email=probe%40example.org&password1=a-long-pass-9&password2=not-the-same"
    answers = []
    for n in range(info["signup_limit"] + 1):
        written = {"X-Forwarded-For": f"203.0.113.{n % 250 + 1}", "X-Real-IP": f"198.51.100.{n % 250 + 1}"}
        answers.append(request(f"{proxy}/accounts/signup/", "POST", {**headers, **written}, body.encode())[0])
    check(answers[:-1] == [200] * info["signup_limit"] and answers[-1] == 429,
          f"sign-up attempts, each with a new written address, are refused past the per-address limit "
          f"({info['signup_limit']}): the last answers {answers[-3:]}")


async def next_event(ws, topic, event, predicate=lambda data: True, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), left))
        except TimeoutError:
            break
        if message.get("type") == "event" and message["topic"] == topic and message["event"] == event \
                and predicate(message["data"]):
            return message
    return None


async def subscribe(ws, topic):
    await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if message.get("topic") == topic and message["type"] in ("subscribed", "error"):
            return message


async def check_live(proxy, info, access_log):
    import websockets

    print("live updates across processes", flush=True)
    host = proxy.split("://", 1)[1]
    tag = secrets.token_hex(4)
    idea_topic = f"idea:{info['idea']}"
    sockets = []
    for index in (1, 2):
        ws = await websockets.connect(f"ws://{host}/ws/live/?probe={tag}-ws{index}", origin=proxy)
        sockets.append(ws)
        reply = await subscribe(ws, idea_topic)
        check(reply["type"] == "subscribed", f"socket {index} (through nginx) follows {idea_topic}: {reply}")

    csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret, sent as the cookie and the header
    headers = {
        "Cookie": f"{info['session_cookie']}={info['session']}; {info['csrf_cookie']}={csrf}",
        "X-CSRFToken": csrf,
        "Origin": proxy,
        "Content-Type": "application/json",
    }
    status, _, body = await asyncio.to_thread(
        request, f"{proxy}/api/v1/ideas/{info['idea']}/vote?probe={tag}-vote", "POST", headers,
        json.dumps({"value": "support"}).encode(),
    )
    expected = info["support"] + 1
    voted = status == 200 and json.loads(body).get("support_count") == expected
    check(voted, f"the vote through nginx is counted (support {expected}): {status} {body[:200]!r}")

    def counted(data):
        return any(row["id"] == info["idea"] and row["support"] == expected for row in data.get("ideas", []))

    received = []
    for index, ws in enumerate(sockets, 1):
        event = await next_event(ws, idea_topic, "tally", counted)
        received.append(event is not None)
        check(event is not None, f"socket {index} receives the tally (support {expected})")

    if info.get("mapped_call"):
        call_topic = f"call:{info['mapped_call']}"
        for index, ws in enumerate(sockets, 1):
            reply = await subscribe(ws, call_topic)
            check(reply["type"] == "subscribed", f"socket {index} follows {call_topic}")
        await asyncio.to_thread(in_django, "enqueue", str(info["mapped_call"]))
        for index, ws in enumerate(sockets, 1):
            event = await next_event(ws, call_topic, "opinion.updated", timeout=WORKER_TIMEOUT)
            check(event is not None, f"socket {index} receives opinion.updated from the worker's task "
                                     f"({event and event['data']})")
    else:
        check(False, "the demo has a call with an opinion map, for the worker's task")

    for ws in sockets:
        await ws.close()
    vote = access_log.find(f"{tag}-vote")
    placed = [access_log.find(f"{tag}-ws{index}") for index in (1, 2)]
    if not check(vote and all(placed), "the access log names the process behind the vote and each socket"):
        return
    for index, entry in enumerate(placed, 1):
        print(f"       socket {index} on {entry['upstream']} (status {entry['status']})", flush=True)
    print(f"       vote on {vote['upstream']}", flush=True)
    crossed = [index for index, entry in enumerate(placed, 1)
               if entry["upstream"] != vote["upstream"] and received[index - 1]]
    check(crossed, f"a socket on another process than the vote's ({vote['upstream']}) received its tally: "
                   f"socket(s) {crossed}")


def main(argv):
    if argv[:1] == ["prepare"]:
        return prepare()
    if argv[:1] == ["enqueue"]:
        return enqueue(argv[1])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--web", action="append", required=True)
    parser.add_argument("--access-log", required=True)
    parser.add_argument("--media-root", required=True)
    parser.add_argument("--web-log", action="append", required=True)
    args = parser.parse_args(argv)
    access_log = AccessLog(args.access_log)
    if len(args.web) < 2:
        raise SystemExit("the topology smoke needs two web processes")
    info = json.loads(in_django("prepare"))
    check_health(args.proxy, args.web, access_log)
    home = check_pages(args.proxy, info)
    check_static(args.proxy, home, args.media_root, access_log)
    check_client_address(args.proxy, args.web_log, info)
    asyncio.run(check_live(args.proxy, info, access_log))
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
