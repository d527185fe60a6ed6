"""scripts/topology.sh runs docker-compose.yml's stack without Docker; these
tests keep the two in step by reading both files (no servers are started).

The script derives what it runs from the compose file and the Dockerfile;
here the same things are read again independently and compared: every
compose service is run or excused with a reason, every variable compose
sets is passed or overridden with a reason, and the commands are compose's
(the uvicorn arguments with only --host and --port changed). The smoke run
itself is `bash scripts/topology.sh smoke`, a step of .ci/run."""

import asyncio
import importlib.util
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from .test_compose import forwarded_headers

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
NGINX_TEMPLATE = ROOT / "docker" / "nginx.conf"
CI_RUN = ROOT / ".ci" / "run"

SHELL = {"SECRET_KEY": "s" * 30 + "0123456789abcdefghijklmnopqrstuvwxyz"}
WEB_PORTS = [41001, 41002]
PROXY_PORT = 41000
DATA_DIR = "/tmp/mc-topology-test/data"


def _load_topology():
    spec = importlib.util.spec_from_file_location("topology", ROOT / "scripts" / "topology.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


topology = _load_topology()


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def plan(compose):
    overrides = topology.local_overrides(SHELL["SECRET_KEY"], DATA_DIR, "mc_topology_1", 7, PROXY_PORT)
    return topology.topology_plan(compose, SHELL, overrides=overrides, web_ports=WEB_PORTS, proxy_port=PROXY_PORT,
                                  data_dir=DATA_DIR)


def compose_value(raw, env=SHELL):
    """Compose's ${VAR:-default} and ${VAR:?error}, resolved here on their own (not with the script's helper)."""
    def replace(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise LookupError(name)
        return ""

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}", replace, str(raw))


def env_of(compose, service):
    environment = compose["services"][service].get("environment") or {}
    return {key: "" if value is None else str(value) for key, value in environment.items()}


# --- services ---------------------------------------------------------------------


def test_every_compose_service_is_run_or_excused(compose):
    services = set(compose["services"])
    assert set(topology.SERVICES) | set(topology.NOT_RUN) == services, (
        "scripts/topology.py SERVICES + NOT_RUN must name exactly the services of docker-compose.yml"
    )
    assert not set(topology.SERVICES) & set(topology.NOT_RUN)
    # The one documented exception: no Elasticsearch server runs here.
    assert set(topology.NOT_RUN) == {"elasticsearch"}
    for name, reason in {**topology.SERVICES, **topology.NOT_RUN}.items():
        assert len(reason) > 20, f"say how (or why not) {name} runs"


def test_web_runs_as_many_processes_as_compose_and_at_least_two(compose, plan):
    assert topology.replicas(compose["services"]["web"], SHELL) == int(compose_value("${WEB_REPLICAS:-2}")) == 2
    assert [web["port"] for web in plan["web"]] == WEB_PORTS
    assert plan["worker"]["replicas"] == int(compose_value(compose["services"]["worker"]["deploy"]["replicas"]))


# --- environment ------------------------------------------------------------------


@pytest.mark.parametrize("service", ["web", "worker", "migrate"])
def test_every_variable_is_passed_or_deliberately_different(compose, plan, service):
    expected = env_of(compose, service)
    got = plan[service][0]["env"] if service == "web" else plan[service]["env"]
    assert set(got) == set(expected), f"{service}: the script sets other variables than compose"
    for key, raw in expected.items():
        if key in topology.ENV_OVERRIDES:
            continue
        assert got[key] == compose_value(raw), f"{service}: {key} differs from compose without a reason"


def test_each_override_has_a_reason_and_a_value(compose):
    # Shared variables, and web's FORWARDED_ALLOW_IPS (the proxy's address).
    anchor = set(compose["x-app-environment"]) | set(env_of(compose, "web"))
    assert set(topology.ENV_OVERRIDES) <= anchor, "a reason for a variable compose no longer sets"
    for key, reason in topology.ENV_OVERRIDES.items():
        assert len(reason) > 20, key
    values = topology.local_overrides("k" * 64, DATA_DIR, "mc_topology_1", 7, PROXY_PORT)
    assert set(values) == set(topology.ENV_OVERRIDES)


def test_overrides_point_at_this_machine(plan):
    env = plan["web"][0]["env"]
    assert re.fullmatch(r"postgres://[^@]+@127\.0\.0\.1:5432/mc_topology_1", env["DATABASE_URL"])
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/7"
    assert env["ELASTICSEARCH_URL"] == ""
    assert env["DATA_DIR"] == DATA_DIR
    assert env["SITE_URL"] == f"http://127.0.0.1:{PROXY_PORT}"
    assert f"http://127.0.0.1:{PROXY_PORT}" in env["CSRF_TRUSTED_ORIGINS"].split(",")
    # Production settings, with the local defaults compose uses.
    assert env["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert env["SECURE_SSL_REDIRECT"] == "false" and env["DEBUG"] == "false"
    assert "127.0.0.1" in env["ALLOWED_HOSTS"].split(",")


def test_the_worker_keeps_its_own_pool_size(compose, plan):
    assert plan["worker"]["env"]["DATABASE_POOL_SIZE"] == compose_value(env_of(compose, "worker")["DATABASE_POOL_SIZE"])
    assert plan["worker"]["env"]["DATABASE_POOL_SIZE"] != plan["web"][0]["env"]["DATABASE_POOL_SIZE"]


def test_processes_get_no_variables_from_the_calling_shell(monkeypatch):
    # A DATABASE_URL of the test suite in the caller's shell must not leak in.
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere/other")
    monkeypatch.setenv("PAGE_SOMETHING", "1")
    env = topology.child_env({"A": "1"})
    assert "DATABASE_URL" not in env and "PAGE_SOMETHING" not in env
    assert env["A"] == "1" and env["PATH"].startswith(str(ROOT / ".venv" / "bin"))


# --- commands ---------------------------------------------------------------------


def dockerfile_uvicorn_args():
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    cmd = [line for line in text.splitlines() if line.startswith("CMD ")][-1]
    shell = json.loads(cmd[4:])  # ["sh", "-c", "exec python -m cms.serve ..."]
    assert shell[:2] == ["sh", "-c"]
    words = shlex.split(shell[2])
    assert words[:4] == ["exec", "python", "-m", "cms.serve"]
    return [compose_value(word) for word in words[1:]]


def test_web_runs_the_dockerfile_uvicorn_command_on_its_own_port(plan):
    expected = dockerfile_uvicorn_args()
    for web in plan["web"]:
        argv = web["argv"]
        assert len(argv) == len(expected)
        differ = {expected[i - 1] for i, (a, b) in enumerate(zip(argv, expected)) if a != b}
        assert differ <= {"--host", "--port"}, f"only --host and --port may differ: {argv} vs {expected}"
        assert argv[argv.index("--host") + 1] == "127.0.0.1"
        assert argv[argv.index("--port") + 1] == str(web["port"])
    assert "--proxy-headers" in expected and "cms.asgi:application" in expected
    assert expected[expected.index("--workers") + 1] == "2"  # WEB_CONCURRENCY's default


def test_worker_and_migrate_run_compose_commands(compose, plan):
    def command(name):
        raw = compose["services"][name]["command"]
        return raw if isinstance(raw, list) else shlex.split(raw)

    assert plan["worker"]["argv"] == command("worker") == ["python", "manage.py", "run_huey"]
    assert plan["worker"]["stop_signal"] == compose["services"]["worker"]["stop_signal"] == "SIGINT"
    assert plan["migrate"]["argv"] == command("migrate")


# --- the proxy --------------------------------------------------------------------


def render(values):
    return topology.render_nginx_template(NGINX_TEMPLATE.read_text(), values)


def test_nginx_template_variables_are_exactly_the_proxy_services(compose, plan):
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", NGINX_TEMPLATE.read_text()))
    assert used == set(topology.NGINX_VARIABLES) == set(env_of(compose, "proxy"))
    assert set(plan["proxy"]["nginx"]) == used


def test_compose_renders_the_template_it_always_had(compose):
    conf = render(env_of(compose, "proxy"))
    assert re.search(r"^\s*listen 80;$", conf, re.MULTILINE)
    assert "set $web_upstream web:8000;" in conf
    assert "alias /data/media/;" in conf
    assert "resolver 127.0.0.11" in conf
    # The nginx image renders /etc/nginx/templates/*.template into conf.d/.
    mounts = compose["services"]["proxy"]["volumes"]
    assert "./docker/nginx.conf:/etc/nginx/templates/default.conf.template:ro" in mounts


def test_the_topology_renders_an_upstream_group_of_both_web_processes(plan):
    values = plan["proxy"]["nginx"]
    conf = render(values)
    assert re.search(rf"^\s*listen 127\.0\.0\.1:{PROXY_PORT};$", conf, re.MULTILINE)
    # No port: nginx takes the value as the name of an upstream group.
    assert f"set $web_upstream {topology.UPSTREAM_GROUP};" in conf
    assert f"alias {DATA_DIR}/media/;" in conf
    main = topology.nginx_main_conf("/tmp/mc-topology-test/nginx", values, WEB_PORTS)
    group = re.search(r"upstream (\w+) \{(.*?)\}", main, re.DOTALL)
    assert group and group[1] == topology.UPSTREAM_GROUP
    assert re.findall(r"server (\S+);", group[2]) == [f"127.0.0.1:{port}" for port in WEB_PORTS]
    assert "$upstream_addr" in main  # the smoke reads which process answered


@pytest.mark.skipif(not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(), reason="nginx not installed")
@pytest.mark.parametrize("setup", ["compose", "topology"])
def test_both_renderings_are_valid_nginx(compose, plan, tmp_path, setup):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if setup == "compose":
        values = env_of(compose, "proxy")
        # As the image's nginx.conf includes conf.d/*.conf inside http {}.
        main = (f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n"
                f"    include {tmp_path}/default.conf;\n}}\n")
    else:
        values = plan["proxy"]["nginx"]
        main = topology.nginx_main_conf(tmp_path, values, WEB_PORTS)
        if "user nobody" in main:
            main = main.replace("user nobody nogroup;\n", "")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "default.conf").write_text(render(values))
    (tmp_path / "nginx.conf").write_text(main)
    result = subprocess.run([nginx, "-t", "-q", "-p", f"{tmp_path}/", "-e", f"{tmp_path}/error.log",
                             "-c", f"{tmp_path}/nginx.conf"], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_web_believes_forwarded_headers_only_from_the_local_proxy(plan):
    """Here nginx reaches uvicorn from 127.0.0.1, and so does the smoke's
    client: whatever that client writes in X-Forwarded-For, nginx replaces
    it, and uvicorn hands Django the address nginx saw."""
    trusted = plan["web"][0]["env"]["FORWARDED_ALLOW_IPS"]
    assert trusted == "127.0.0.1" == plan["proxy"]["nginx"]["NGINX_LISTEN"].rsplit(":", 1)[0]
    sent = forwarded_headers(render(plan["proxy"]["nginx"]), "127.0.0.1", "203.0.113.7")
    seen = {}

    async def app(scope, receive, send):
        seen["client"] = scope["client"][0]

    scope = {"type": "http", "client": ("127.0.0.1", 40000), "scheme": "http",
             "headers": [(name.lower().encode(), value.encode()) for name, value in sent.items()]}
    asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=trusted)(scope, None, None))
    assert seen["client"] == "127.0.0.1"


def test_ci_runs_the_smoke_bounded_in_time():
    text = CI_RUN.read_text()
    line = next((line for line in text.splitlines() if "scripts/topology.sh smoke" in line), None)
    assert line, ".ci/run does not run the topology smoke"
    assert re.search(r"\btimeout\b", line)
