"""The scale-out topology of docker-compose.yml, run on this machine without Docker.

    bash scripts/topology.sh up [--demo]   migrate, collect static, start everything, wait until healthy
    bash scripts/topology.sh smoke         up --demo, the checks of scripts/topology_smoke.py, down
    bash scripts/topology.sh down          stop everything, drop the database, empty the Redis db
    bash scripts/topology.sh env           the running stack's variables, as shell `export` lines

Each compose service is run the way compose runs it, with the commands read
from docker-compose.yml and the Dockerfile (never copied here):

    migrate   compose's `migrate` command, once, then collectstatic (the Dockerfile's build step)
    web       WEB_REPLICAS (2) uvicorn processes, the Dockerfile's CMD with --host 127.0.0.1 and a free --port
    worker    WORKER_REPLICAS (2) of compose's `worker` command (manage.py run_huey)
    proxy     Debian's nginx with docker/nginx.conf rendered (an upstream group `web` of the uvicorn ports)
    db        a fresh database on the local PostgreSQL server, dropped by `down`
    redis     a free db number on the local Redis server, emptied by `down`

Every service gets compose's x-app-environment (interpolated as compose does,
from this shell's environment) and its own additions, except the few values in
ENV_OVERRIDES, each with its reason; tests/test_topology.py keeps this file
and the compose file in step. Elasticsearch is the one service not run
(NOT_RUN). Nothing is installed or changed system-wide: nginx runs from a
temporary prefix with its own pid, logs and temp folders.

Knobs (environment): TOPOLOGY_STATE (state file, default var/topology.json),
TOPOLOGY_POSTGRES_URL (an admin connection, default
postgres://postgres@127.0.0.1:5432/postgres), TOPOLOGY_REDIS_URL (default
redis://127.0.0.1:6379), TOPOLOGY_REDIS_DB (default: the highest empty db),
TOPOLOGY_KEEP=1 (keep the temporary folder and its logs after `down`).
"""

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
NGINX_TEMPLATE = ROOT / "docker" / "nginx.conf"
SMOKE = ROOT / "scripts" / "topology_smoke.py"
VENV_BIN = ROOT / ".venv" / "bin"
STATE_FILE = Path(os.environ.get("TOPOLOGY_STATE") or ROOT / "var" / "topology.json")

# How each compose service is run here. tests/test_topology.py checks that
# this names every service of docker-compose.yml but those in NOT_RUN.
SERVICES = {
    "migrate": "compose's `migrate` command, once, before web and worker start",
    "web": "WEB_REPLICAS uvicorn processes: the Dockerfile CMD, on 127.0.0.1 and free ports",
    "worker": "WORKER_REPLICAS processes of compose's `worker` command",
    "proxy": "Debian's nginx with docker/nginx.conf, rendered with an upstream group of the web ports",
    "db": "a fresh database on the local PostgreSQL server",
    "redis": "a free db number on the local Redis server",
}
NOT_RUN = {
    "elasticsearch": "no Elasticsearch server runs here (a JVM taking 512 MB): ELASTICSEARCH_URL is left empty, "
    "so search runs on PostgreSQL full text, the backend /health names; tests/search/test_elastic_live.py "
    "covers a real server when one is configured",
}

# Variables of x-app-environment (or of one service's own environment) whose
# compose value cannot work here, and why. Every other key is passed as
# compose resolves it.
ENV_OVERRIDES = {
    "SECRET_KEY": "compose requires it from the shell; a fresh random key per run when the shell has none",
    "DATA_DIR": "a temporary folder of this run instead of the `media` volume at /data",
    "DATABASE_URL": "the local PostgreSQL server's fresh database, not the `db` service's host name",
    "REDIS_URL": "the local Redis server and a free db number, not the `redis` service's host name",
    "ELASTICSEARCH_URL": "empty: no Elasticsearch server here (see NOT_RUN)",
    "SITE_URL": "the proxy's address, on the free port this run chose instead of 8000",
    "CSRF_TRUSTED_ORIGINS": "the proxy's address, on the free port this run chose instead of 8000",
    "FORWARDED_ALLOW_IPS": "web's: nginx reaches uvicorn from 127.0.0.1 here, not from the proxy's fixed compose "
    "address; still only the proxy's (scripts/topology_smoke.py checks a spoofed X-Forwarded-For changes nothing)",
}

# The proxy's template values (docker/nginx.conf), as compose sets them in
# the `proxy` service and as this script sets them.
NGINX_VARIABLES = ("NGINX_LISTEN", "NGINX_WEB_UPSTREAM", "NGINX_MEDIA_ROOT")
UPSTREAM_GROUP = "web"

# The host's environment passed to every process, as a container has its own:
# anything else in this shell (a DATABASE_URL of the test suite, say) stays out.
PASSED_THROUGH = ("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "USER", "LOGNAME", "TERM")

HEALTH_TIMEOUT = 90  # seconds for a web process (compose: start_period 30 s + 5 retries x 15 s)
STOP_GRACE = {"worker": 30, "web": 15, "proxy": 10}  # compose gives the worker 60 s; a smoke run needs less


class TopologyError(RuntimeError):
    pass


_STARTED = time.monotonic()


def log(message):
    print(f"topology [{time.monotonic() - _STARTED:5.1f}s]: {message}", flush=True)


# --- reading docker-compose.yml and the Dockerfile ----------------------------

_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(value, env):
    """Resolve compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error} (and $$)."""
    if not isinstance(value, str):
        return "" if value is None else str(value)

    def replace(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        current = env.get(name)
        if op is None:
            return current or ""
        if op in (":-", ":?") and not current:
            current = None
        if current is not None:
            return current
        if op.endswith("-"):
            return arg
        raise TopologyError(f"compose requires {name}: {arg}")

    return _INTERPOLATION.sub(replace, value.replace("$$", "\0")).replace("\0", "$")


def load_compose():
    import yaml

    return yaml.safe_load(COMPOSE_FILE.read_text())


def as_mapping(environment):
    if environment is None:
        return {}
    if isinstance(environment, dict):
        return {key: ("" if value is None else str(value)) for key, value in environment.items()}
    return dict(item.partition("=")[::2] for item in environment)


def command_of(service):
    command = service.get("command")
    if command is None:
        return None
    return list(command) if isinstance(command, list) else shlex.split(command)


def dockerfile_cmd():
    """The Dockerfile's last CMD, as an argv list (exec form)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    cmds = [line.strip()[4:] for line in text.splitlines() if line.strip().upper().startswith("CMD ")]
    if not cmds:
        raise TopologyError("the Dockerfile has no CMD")
    return json.loads(cmds[-1])


def uvicorn_argv(web_env, host, port):
    """The Dockerfile's CMD (`sh -c "exec python -m cms.serve ..."`: uvicorn's
    workers, cms/serve.py) as the argv it execs,
    its ${VAR:-default} expanded from the web service's environment, with only
    --host and --port changed: the compose `web` service has no command of its own."""
    cmd = dockerfile_cmd()
    if cmd[:2] == ["sh", "-c"]:
        argv = shlex.split(cmd[2])
    else:
        argv = list(cmd)
    if argv and argv[0] == "exec":
        argv = argv[1:]
    if argv[:3] != ["python", "-m", "cms.serve"]:
        raise TopologyError(f"the Dockerfile CMD does not run python -m cms.serve: {cmd}")
    argv = [interpolate(arg, web_env) for arg in argv]
    for option, value in (("--host", host), ("--port", str(port))):
        if option not in argv:
            raise TopologyError(f"the Dockerfile CMD has no {option}")
        argv[argv.index(option) + 1] = value
    return argv


def replicas(service, env, default=1):
    value = (service.get("deploy") or {}).get("replicas", default)
    return int(interpolate(str(value), env))


def service_environment(compose, name, shell_env, overrides):
    """A service's environment as compose resolves it from `shell_env` (YAML
    has already merged `<<: *app-environment` with the service's own keys),
    with `overrides` for the keys of ENV_OVERRIDES."""
    known = set(as_mapping(compose["x-app-environment"])).union(
        *(as_mapping(service.get("environment")) for service in compose["services"].values()))
    unknown = set(overrides) - known
    if unknown:
        raise TopologyError(f"overrides for variables compose does not set: {sorted(unknown)}")
    env = as_mapping(compose["services"][name].get("environment"))
    return {key: overrides[key] if key in overrides else interpolate(raw, shell_env) for key, raw in env.items()}


def local_overrides(secret_key, data_dir, database, redis_db, proxy_port):
    """The values of ENV_OVERRIDES for one run (the same keys: tests/test_topology.py)."""
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    return {
        "SECRET_KEY": secret_key,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url(database),
        "REDIS_URL": f"{redis_base()}/{redis_db}",
        "ELASTICSEARCH_URL": "",
        "SITE_URL": proxy_url,
        "CSRF_TRUSTED_ORIGINS": f"{proxy_url},http://localhost:{proxy_port}",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }


def topology_plan(compose, shell_env, *, overrides, web_ports, proxy_port, data_dir):
    """Everything this script starts, derived from the compose file: a pure
    function (no processes), so tests/test_topology.py can compare it."""
    web_env = service_environment(compose, "web", shell_env, overrides)
    worker_env = service_environment(compose, "worker", shell_env, overrides)
    migrate_env = service_environment(compose, "migrate", shell_env, overrides)
    services = compose["services"]
    proxy_env = as_mapping(services["proxy"].get("environment"))
    missing = [name for name in NGINX_VARIABLES if name not in proxy_env]
    if missing:
        raise TopologyError(f"compose's proxy does not set {missing}")
    return {
        "migrate": {"env": migrate_env, "argv": command_of(services["migrate"])},
        "web": [
            {"env": web_env, "argv": uvicorn_argv(web_env, "127.0.0.1", port), "port": port} for port in web_ports
        ],
        "worker": {
            "env": worker_env,
            "argv": command_of(services["worker"]),
            "replicas": replicas(services["worker"], shell_env),
            "stop_signal": services["worker"].get("stop_signal", "SIGTERM"),
        },
        "proxy": {
            "nginx": {
                "NGINX_LISTEN": f"127.0.0.1:{proxy_port}",
                "NGINX_WEB_UPSTREAM": UPSTREAM_GROUP,
                "NGINX_MEDIA_ROOT": f"{Path(data_dir) / 'media'}/",
            },
            "port": proxy_port,
        },
    }


def render_nginx_template(text, values):
    """envsubst restricted to `values`, as the nginx image renders its templates."""
    def replace(match):
        name = match.group(1) or match.group(2)
        return values[name] if name in values else match.group(0)

    rendered = re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)", replace, text)
    left = sorted(set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", rendered)))
    if left:
        raise TopologyError(f"docker/nginx.conf uses {left}, which nobody sets")
    return rendered


# --- the machine's servers ------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_postgres_url():
    return os.environ.get("TOPOLOGY_POSTGRES_URL") or "postgres://postgres@127.0.0.1:5432/postgres"


def database_url(name):
    parts = urlsplit(admin_postgres_url())
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def create_database(name):
    import psycopg

    with psycopg.connect(admin_postgres_url(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    import psycopg

    with psycopg.connect(admin_postgres_url(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_base():
    return (os.environ.get("TOPOLOGY_REDIS_URL") or "redis://127.0.0.1:6379").rstrip("/")


CLAIM_KEY = "mc-topology:claimed-by"


def claim_redis_db(token):
    """TOPOLOGY_REDIS_DB, or the highest-numbered empty db, claimed with a key
    so that two runs at once do not share one."""
    import redis

    wanted = os.environ.get("TOPOLOGY_REDIS_DB")
    candidates = [int(wanted)] if wanted else range(15, 0, -1)
    for number in candidates:
        client = redis.Redis.from_url(f"{redis_base()}/{number}", socket_timeout=5)
        if not wanted and client.dbsize():
            continue
        if client.set(CLAIM_KEY, token, nx=True) or client.get(CLAIM_KEY) == token.encode():
            return number
        if wanted:
            raise TopologyError(f"Redis db {number} is claimed by another topology run")
    raise TopologyError("no empty Redis db (1-15) to use: set TOPOLOGY_REDIS_DB")


def flush_redis_db(number):
    import redis

    redis.Redis.from_url(f"{redis_base()}/{number}", socket_timeout=5).flushdb()


# --- processes --------------------------------------------------------------------


def child_env(app_env):
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env["PATH"] = f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    env.update({"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"})  # as the Dockerfile sets
    env.update(app_env)
    return env


def spawn(argv, env, log_path):
    """A process in a session of its own, so that stopping it reaches its
    children too (uvicorn's workers, nginx's, the commands of `sh -c`)."""
    with open(log_path, "ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=child_env(env), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def kill_session(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def finish(proc, timeout):
    """Wait for a one-shot command; if the wait is cut short (a failure
    elsewhere, `timeout`, Ctrl-C), kill its whole session."""
    try:
        return proc.wait(timeout=timeout)
    except BaseException:
        kill_session(proc)
        raise


def run_once(argv, env, log_path, timeout=900):
    log(f"run: {shlex.join(argv)}")
    if finish(spawn(argv, env, log_path), timeout):
        raise TopologyError(f"{shlex.join(argv)} failed; see {log_path}:\n{tail(log_path)}")


def start(argv, env, log_path):
    """A long-running process; `down` stops it by its id (its session)."""
    return spawn(argv, env, log_path).pid


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie of ours (up and down in one process) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def group_alive(pgid):
    """Any process left in the session (uvicorn's workers outlive nothing they should)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def ours(pid, workdir):
    """Whether the process group `pid` is still one this run started: its
    leader, if alive, runs from the repository or the run's folder (a pid
    reused since by something else is left alone)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except FileNotFoundError:
        return group_alive(pid)  # the leader is gone; its group, if any, is still ours
    except PermissionError:
        return False
    return cwd == str(ROOT) or workdir in cmdline


def stop(pid, sig, grace):
    """Send `sig` to the process group led by `pid`, wait `grace` seconds, then SIGKILL what is left."""
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        reap(pid)
        if not group_alive(pid):
            return
        time.sleep(0.2)
    log(f"process group {pid} did not stop in {grace} s: SIGKILL")
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    reap(pid)


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def http_status(url, timeout=4):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def wait_healthy(url, pid, log_path, timeout=HEALTH_TIMEOUT):
    """Compose's healthcheck: GET /health answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http_status(url) == 200:
            return
        reap(pid)
        if not alive(pid):
            raise TopologyError(f"the process behind {url} exited; its log:\n{tail(log_path)}")
        time.sleep(0.5)
    raise TopologyError(f"{url} did not answer 200 within {timeout} s; the log:\n{tail(log_path)}")


# --- nginx ------------------------------------------------------------------------

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_main_conf(prefix, values, web_ports):
    """The top-level file: its own pid, logs and temp folders under `prefix`,
    the upstream group named in NGINX_WEB_UPSTREAM, and the rendered
    docker/nginx.conf included as compose's nginx includes conf.d/."""
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    servers = "".join(f"        server 127.0.0.1:{port};\n" for port in web_ports)
    return f"""# Written by scripts/topology.py for one run; not a system configuration.
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

    # Which web process answered each request: scripts/topology_smoke.py reads it.
    log_format topology '$msec $status "$request_method $request_uri" upstream=$upstream_addr';
    access_log {prefix}/access.log topology;

    # compose: one name, `web`, that Docker's DNS resolves to every replica.
    upstream {values["NGINX_WEB_UPSTREAM"]} {{
{servers}    }}

    include {prefix}/default.conf;
}}
"""


def write_nginx(prefix, values, web_ports):
    prefix = Path(prefix)
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    (prefix / "default.conf").write_text(render_nginx_template(NGINX_TEMPLATE.read_text(), values))
    (prefix / "nginx.conf").write_text(nginx_main_conf(prefix, values, web_ports))
    check = subprocess.run([NGINX, "-t", "-q", "-p", f"{prefix}/", "-e", f"{prefix}/error.log",
                            "-c", f"{prefix}/nginx.conf"], check=False, capture_output=True, text=True)
    if check.returncode:
        raise TopologyError(f"nginx -t refused the configuration:\n{check.stderr}")


# --- state ------------------------------------------------------------------------


def save_state(state):
    STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = STATE_FILE.with_suffix(".tmp")
    tmp.touch(mode=0o600)  # it holds the run's SECRET_KEY
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(STATE_FILE)


def load_state():
    try:
        return json.loads(STATE_FILE.read_text())
    except FileNotFoundError:
        return None


# --- up / down --------------------------------------------------------------------


def preflight():
    if not Path(NGINX).exists():
        raise TopologyError("nginx is not installed: apt-get install -y nginx (scripts/topology.sh does it as root)")
    if not (ROOT / "static" / "css" / "app.css").exists():
        raise TopologyError("static/css/app.css is missing: run `make assets` first")
    if load_state():
        raise TopologyError(f"a topology is already up ({STATE_FILE}): run `bash scripts/topology.sh down` first")


def up(demo=False):
    preflight()
    compose = load_compose()
    token = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
    workdir = Path(tempfile.mkdtemp(prefix="mc-topology-"))
    data_dir = workdir / "data"
    (data_dir / "media").mkdir(parents=True)
    # nginx's workers (user nobody when run as root) read media files from here.
    for path in (workdir, data_dir, data_dir / "media"):
        path.chmod(0o755)
    (workdir / "logs").mkdir()
    state = {"workdir": str(workdir), "processes": [], "database": None, "redis_db": None, "token": token}
    save_state(state)

    shell_env = dict(os.environ)
    shell_env.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    web_service = compose["services"]["web"]
    web_count = replicas(web_service, shell_env)
    if web_count < 2:
        raise TopologyError(f"WEB_REPLICAS is {web_count}: the topology needs at least two web processes")
    web_ports = [free_port() for _ in range(web_count)]
    proxy_port = free_port()
    while proxy_port in web_ports:
        proxy_port = free_port()

    database = f"mc_topology_{os.getpid()}"
    create_database(database)
    state["database"] = database
    save_state(state)
    redis_db = claim_redis_db(token)
    state["redis_db"] = redis_db
    save_state(state)

    proxy_url = f"http://127.0.0.1:{proxy_port}"
    overrides = local_overrides(shell_env["SECRET_KEY"], data_dir, database, redis_db, proxy_port)
    plan = topology_plan(compose, shell_env, overrides=overrides, web_ports=web_ports, proxy_port=proxy_port,
                         data_dir=data_dir)
    logs = workdir / "logs"
    state.update(proxy_url=proxy_url, web_ports=web_ports, env=plan["web"][0]["env"])
    save_state(state)

    # migrate: compose's one-shot service, then the Dockerfile's collectstatic
    # (into DATA_DIR/staticfiles, where the entrypoint links the image's copy).
    # The demo (compose: `docker compose run --rm web python manage.py
    # load_demo`) loads while the static files are collected.
    run_once(plan["migrate"]["argv"], plan["migrate"]["env"], logs / "migrate.log")
    collect = ["python", "manage.py", "collectstatic", "--noinput"]
    if demo:
        log(f"run: {shlex.join(collect)} (beside load_demo)")
        collecting = spawn(collect, plan["migrate"]["env"], logs / "collectstatic.log")
        try:
            run_once(["python", "manage.py", "load_demo", "--quiet"], plan["migrate"]["env"], logs / "demo.log")
        except BaseException:
            kill_session(collecting)
            raise
        if finish(collecting, 600):
            raise TopologyError(f"collectstatic failed:\n{tail(logs / 'collectstatic.log')}")
    else:
        run_once(collect, plan["migrate"]["env"], logs / "collectstatic.log")

    for index, web in enumerate(plan["web"], 1):
        log_path = logs / f"web-{index}.log"
        log(f"start web-{index}: {shlex.join(web['argv'])}")
        pid = start(web["argv"], web["env"], log_path)
        state["processes"].append({"name": f"web-{index}", "pid": pid, "stop": "SIGTERM", "log": str(log_path),
                                   "port": web["port"]})
        save_state(state)
    worker = plan["worker"]
    for index in range(1, worker["replicas"] + 1):
        log_path = logs / f"worker-{index}.log"
        log(f"start worker-{index}: {shlex.join(worker['argv'])}")
        pid = start(worker["argv"], worker["env"], log_path)
        state["processes"].append({"name": f"worker-{index}", "pid": pid, "stop": worker["stop_signal"],
                                   "log": str(log_path)})
        save_state(state)

    for process in state["processes"]:
        if process["name"].startswith("web-"):
            wait_healthy(f"http://127.0.0.1:{process['port']}/health", process["pid"], process["log"])
            log(f"{process['name']} healthy on 127.0.0.1:{process['port']}")
    for process in state["processes"]:
        reap(process["pid"])
        if not alive(process["pid"]):
            raise TopologyError(f"{process['name']} exited; its log:\n{tail(process['log'])}")

    prefix = workdir / "nginx"
    write_nginx(prefix, plan["proxy"]["nginx"], web_ports)
    argv = [NGINX, "-p", f"{prefix}/", "-e", f"{prefix}/error.log", "-c", f"{prefix}/nginx.conf",
            "-g", "daemon off;"]
    log_path = logs / "proxy.log"
    log(f"start proxy: {shlex.join(argv)}")
    pid = start(argv, {}, log_path)
    state["processes"].append({"name": "proxy", "pid": pid, "stop": "SIGQUIT", "log": str(prefix / "error.log"),
                               "access_log": str(prefix / "access.log")})
    save_state(state)
    wait_healthy(f"{proxy_url}/health", pid, prefix / "error.log", timeout=30)
    log(f"up: {proxy_url} (web on {', '.join(map(str, web_ports))}; database {database}; Redis db {redis_db}; "
        f"logs in {logs})")
    return state


def down():
    state = load_state()
    if state is None:
        log("nothing is up")
        return
    failures = []
    # The proxy first, then web, then the worker (compose's reverse start order).
    order = {"proxy": 0, "web": 1, "worker": 2}
    for process in sorted(state.get("processes", []), key=lambda p: order.get(p["name"].split("-")[0], 3)):
        kind = process["name"].split("-")[0]
        if not ours(process["pid"], state["workdir"]):
            continue
        try:
            stop(process["pid"], getattr(signal, process["stop"]), STOP_GRACE.get(kind, 15))
            log(f"stopped {process['name']} ({process['stop']})")
        except Exception as exc:  # noqa: BLE001 - keep going: the rest must still be stopped
            failures.append(f"{process['name']}: {exc}")
    if state.get("database"):
        try:
            drop_database(state["database"])
        except Exception as exc:  # noqa: BLE001 - report it after the rest is cleaned up
            failures.append(f"drop database {state['database']}: {exc}")
    if state.get("redis_db") is not None:
        try:
            flush_redis_db(state["redis_db"])
        except Exception as exc:  # noqa: BLE001 - report it after the rest is cleaned up
            failures.append(f"flush Redis db {state['redis_db']}: {exc}")
    workdir = state.get("workdir")
    if workdir and os.environ.get("TOPOLOGY_KEEP") != "1":
        shutil.rmtree(workdir, ignore_errors=True)
    elif workdir:
        log(f"kept {workdir}")
    STATE_FILE.unlink(missing_ok=True)
    if failures:
        raise TopologyError("down left something behind: " + "; ".join(failures))
    log("down: processes stopped, database dropped, Redis db emptied")


def print_logs(state):
    for process in state.get("processes", []):
        print(f"--- {process['name']} ({process['log']}) ---\n{tail(process['log'])}", flush=True)
        if process.get("access_log"):
            print(f"--- proxy access log ---\n{tail(process['access_log'])}", flush=True)
    for name in ("migrate", "collectstatic", "demo"):
        path = Path(state["workdir"]) / "logs" / f"{name}.log"
        if path.exists():
            print(f"--- {name} ---\n{tail(path, 15)}", flush=True)


def smoke():
    try:
        state = up(demo=True)
        env = child_env(state["env"])
        proxy = next(p for p in state["processes"] if p["name"] == "proxy")
        argv = ["python", str(SMOKE), "--proxy", state["proxy_url"], "--access-log", proxy["access_log"],
                "--media-root", str(Path(state["env"]["DATA_DIR"]) / "media")]
        for port in state["web_ports"]:
            argv += ["--web", f"http://127.0.0.1:{port}"]
        for process in state["processes"]:
            if process["name"].startswith("web-"):
                argv += ["--web-log", process["log"]]
        log(f"smoke: {shlex.join(argv)}")
        result = subprocess.run(argv, cwd=ROOT, env=env, timeout=240, check=False)
        if result.returncode:
            raise TopologyError("the smoke checks failed")
        log("smoke passed")
    except BaseException:
        state = load_state()
        if state:
            print_logs(state)
        raise
    finally:
        down()


def env_lines():
    state = load_state()
    if state is None:
        raise TopologyError("nothing is up")
    lines = {**state["env"], "TOPOLOGY_PROXY_URL": state["proxy_url"],
             "TOPOLOGY_WEB_URLS": " ".join(f"http://127.0.0.1:{port}" for port in state["web_ports"])}
    return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in lines.items())


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main(argv):
    usage = "usage: topology.sh up [--demo] | smoke | down | env"
    if not argv or argv[0] not in {"up", "smoke", "down", "env"}:
        print(usage, file=sys.stderr)
        return 2
    # `timeout` and Ctrl-C: unwind, so that a failed or cut-short run cleans up.
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    command = argv[0]
    try:
        if command == "up":
            try:
                up(demo="--demo" in argv[1:])
            except BaseException:
                state = load_state()
                if state:
                    print_logs(state)
                    log("up failed: cleaning up")
                    down()
                raise
        elif command == "smoke":
            smoke()
        elif command == "down":
            down()
        else:
            print(env_lines())
    except TopologyError as exc:
        print(f"topology: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
