"""Static checks of the container stack: docker-compose.yml, Dockerfile, nginx.

There is no Docker engine in CI, so these tests read the files instead of
running them. The key guarantee: every environment variable the production
settings read is wired into the `web` service, found by scanning the settings
source, so a new os.environ.get("X") in settings fails here until compose
sets X.
"""

import asyncio
import importlib.util
import ipaddress
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
NGINX_CONF = ROOT / "docker" / "nginx.conf"
SETTINGS_SOURCES = [ROOT / "cms" / "settings" / "base.py", ROOT / "cms" / "settings" / "production.py"]

BACKING_SERVICES = ("db", "redis", "elasticsearch")

# os.environ.get("X"), os.environ["X"], os.getenv("X"), os.environ.setdefault("X"),
# and the settings helpers env_bool("X"), env_list("X") (or any future env_*("X")).
_ENV_READ = re.compile(
    r"""(?:os\.environ\.get|os\.environ\.setdefault|os\.getenv|\benv_[a-z]+)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]"""
)

# Host-side environment used to resolve the file, as a user would run it.
HOST_ENV = {"SECRET_KEY": "k" * 30 + "0123456789abcdefghijklmnopqrstuvwxyz"}


def _topology():
    """scripts/topology.py, which runs this stack without Docker: its reading
    of compose's ${...} syntax is the one these checks use too."""
    spec = importlib.util.spec_from_file_location("topology_for_compose", ROOT / "scripts" / "topology.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


topology = _topology()


def interpolate(value, env=HOST_ENV):
    """Resolve compose ${...} syntax the way `docker compose` would (a
    required variable that is missing raises topology.TopologyError)."""
    return value if not isinstance(value, str) else topology.interpolate(value, env)


def settings_env_vars():
    names = set()
    for source in SETTINGS_SOURCES:
        for match in _ENV_READ.finditer(source.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def as_mapping(environment):
    """Compose allows environment as a mapping or a list of KEY=VALUE."""
    if environment is None:
        return {}
    if isinstance(environment, dict):
        return {key: ("" if value is None else str(value)) for key, value in environment.items()}
    mapping = {}
    for item in environment:
        key, _, value = item.partition("=")
        mapping[key] = value
    return mapping


def depends_on(service):
    """Compose allows depends_on as a list (condition service_started) or a mapping."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return deps


def healthcheck_command(service):
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def web_env(services):
    return as_mapping(services["web"].get("environment"))


def resolved(env, name):
    return interpolate(env[name])


def test_all_services_are_defined(services):
    for name in ("web", "worker", "db", "redis", "elasticsearch", "migrate", "proxy"):
        assert name in services, f"docker-compose.yml has no `{name}` service"


@pytest.mark.parametrize("name", ["web", *BACKING_SERVICES])
def test_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"`{name}` has no healthcheck"
    assert not healthcheck.get("disable"), f"`{name}` healthcheck is disabled"
    assert healthcheck.get("test"), f"`{name}` healthcheck has no test command"


def test_backing_healthchecks_probe_the_right_thing(services):
    assert "pg_isready" in healthcheck_command(services["db"])
    assert "redis-cli" in healthcheck_command(services["redis"])
    assert "ping" in healthcheck_command(services["redis"])
    es = healthcheck_command(services["elasticsearch"])
    assert "curl" in es and "_cluster/health" in es and "9200" in es


def test_web_healthcheck_calls_health_endpoint(services):
    command = healthcheck_command(services["web"])
    assert "127.0.0.1:8000/health" in command or "localhost:8000/health" in command


def test_web_waits_for_healthy_backing_services(services):
    deps = depends_on(services["web"])
    for name in BACKING_SERVICES:
        assert name in deps, f"web does not depend on {name}"
        assert deps[name].get("condition") == "service_healthy", f"web does not wait for {name} to be healthy"


def test_web_waits_for_migrations(services):
    deps = depends_on(services["web"])
    assert deps.get("migrate", {}).get("condition") == "service_completed_successfully"


def test_migrate_is_a_one_shot_of_the_web_image(services):
    web, migrate = services["web"], services["migrate"]
    assert migrate.get("image") == web.get("image") or migrate.get("build") == web.get("build")
    assert migrate.get("image") or migrate.get("build")
    command = migrate["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert "manage.py migrate --noinput" in command
    assert "manage.py setup_site" in command
    assert command.index("migrate --noinput") < command.index("setup_site")
    # The Elasticsearch index exists, with its mapping, before anything is indexed.
    assert "manage.py search_index --create" in command
    assert command.index("migrate --noinput") < command.index("search_index --create") < command.index("setup_site")
    assert "deploy" not in migrate or migrate["deploy"].get("replicas", 1) == 1
    assert migrate.get("restart", "no") == "no"
    deps = depends_on(migrate)
    assert deps.get("db", {}).get("condition") == "service_healthy"
    # It needs the same settings as web to reach the same database.
    migrate_env = as_mapping(migrate.get("environment"))
    assert interpolate(migrate_env["DATABASE_URL"]) == interpolate(as_mapping(web["environment"])["DATABASE_URL"])
    assert migrate_env["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"


def test_web_uses_production_settings(web_env):
    assert web_env.get("DJANGO_SETTINGS_MODULE") == "cms.settings.production"


def test_settings_scan_sees_the_known_variables():
    # Guards the regex: if it stopped matching, the next test would pass vacuously.
    found = settings_env_vars()
    expected = {
        "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "REDIS_URL",
        "ELASTICSEARCH_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL", "SITE_URL", "DATA_DIR", "SECURE_SSL_REDIRECT",
    }
    assert expected <= found, f"scanner missed {sorted(expected - found)}"


def test_web_wires_every_variable_the_settings_read(web_env):
    missing = sorted(settings_env_vars() - set(web_env))
    assert not missing, f"settings read {missing} from the environment but compose's web service does not set them"


def test_secret_key_is_required_not_defaulted(web_env):
    raw = web_env["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:?\?[^}]*\}", raw), "SECRET_KEY must use ${SECRET_KEY:?...}"
    with pytest.raises(topology.TopologyError):
        interpolate(raw, env={})
    assert len(interpolate(raw)) >= 50


def test_local_defaults_are_usable(web_env):
    assert interpolate(web_env["DEBUG"]).lower() in {"0", "false", "no", "off"}
    assert interpolate(web_env["SECURE_SSL_REDIRECT"]).lower() in {"0", "false", "no", "off"}
    hosts = interpolate(web_env["ALLOWED_HOSTS"]).split(",")
    assert "localhost" in hosts
    # The container healthcheck calls http://127.0.0.1:8000/health.
    assert "127.0.0.1" in hosts
    assert urlsplit(interpolate(web_env["SITE_URL"])).hostname == "localhost"


@pytest.mark.parametrize(
    "variable, service, schemes, port, image",
    [
        ("DATABASE_URL", "db", {"postgres", "postgresql"}, 5432, "postgres"),
        ("REDIS_URL", "redis", {"redis"}, 6379, "redis"),
        ("ELASTICSEARCH_URL", "elasticsearch", {"http"}, 9200, "elasticsearch"),
    ],
)
def test_service_url_points_at_compose_service(services, web_env, variable, service, schemes, port, image):
    url = urlsplit(resolved(web_env, variable))
    assert url.scheme in schemes
    assert url.hostname == service
    assert url.port == port
    # The port is the image's default, so the service must run that image unmodified.
    image_name = services[service]["image"].split(":")[0].rsplit("/", 1)[-1]
    assert image_name == image
    command = services[service].get("command") or ""
    command = " ".join(command) if isinstance(command, list) else command
    assert "--port" not in command and " -p " not in f" {command} "
    assert "http.port" not in as_mapping(services[service].get("environment"))


def test_database_credentials_match_postgres_service(services, web_env):
    url = urlsplit(resolved(web_env, "DATABASE_URL"))
    db_env = as_mapping(services["db"]["environment"])
    assert url.username == interpolate(db_env["POSTGRES_USER"])
    assert url.password == interpolate(db_env["POSTGRES_PASSWORD"])
    assert url.path.lstrip("/") == interpolate(db_env["POSTGRES_DB"])


def test_elasticsearch_is_single_node_without_security(services):
    es = services["elasticsearch"]
    assert es["image"] == "docker.elastic.co/elasticsearch/elasticsearch:8.15.3"
    env = as_mapping(es["environment"])
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "false"
    assert "-Xmx512m" in env["ES_JAVA_OPTS"] and "-Xms512m" in env["ES_JAVA_OPTS"]


def _volume_targets(service):
    targets = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            targets[volume["target"]] = volume.get("source")
        else:
            parts = volume.split(":")
            targets[parts[1]] = parts[0]
    return targets


@pytest.mark.parametrize(
    "service, target",
    [
        ("db", "/var/lib/postgresql/data"),
        ("redis", "/data"),
        ("elasticsearch", "/usr/share/elasticsearch/data"),
    ],
)
def test_backing_service_keeps_data_in_named_volume(compose, services, service, target):
    source = _volume_targets(services[service]).get(target)
    assert source, f"{service} has no volume at {target}"
    assert source in (compose.get("volumes") or {}), f"{service} volume {source} is not a named volume"


def test_data_dir_is_the_media_volume(compose, services, web_env):
    data_dir = interpolate(web_env["DATA_DIR"])
    assert _volume_targets(services["web"]).get(data_dir) == "media"
    assert "media" in (compose.get("volumes") or {})


def test_web_can_run_several_replicas(services):
    web = services["web"]
    replicas = web.get("deploy", {}).get("replicas")
    assert replicas is not None, "web has no deploy.replicas"
    assert str(replicas).startswith("${WEB_REPLICAS"), "replicas should be set from WEB_REPLICAS"
    assert int(interpolate(str(replicas))) >= 2
    # Replicas cannot share a fixed host port or container name.
    assert not web.get("ports"), "web publishes a host port; publish through `proxy` instead"
    assert "container_name" not in web
    assert web.get("build"), "web should build the image from the Dockerfile"


def _command(service):
    command = service.get("command") or ""
    return " ".join(command) if isinstance(command, list) else command


def test_worker_runs_huey_with_the_app_settings(services, web_env):
    worker = services["worker"]
    assert "manage.py run_huey" in _command(worker)
    assert worker.get("image") == services["web"].get("image") and worker.get("build") == services["web"].get("build")
    env = as_mapping(worker.get("environment"))
    # Every variable the settings read, set as for web: same database, queue, search.
    missing = sorted(settings_env_vars() - set(env))
    assert not missing, f"the worker does not set {missing}"
    for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DATA_DIR"):
        assert interpolate(env[name]) == interpolate(web_env[name]), name
    assert _volume_targets(worker).get(interpolate(env["DATA_DIR"])) == "media"
    deps = depends_on(worker)
    for name in ("db", "redis"):
        assert deps[name].get("condition") == "service_healthy", f"worker does not wait for {name}"
    assert deps["migrate"].get("condition") == "service_completed_successfully"
    # The image's HEALTHCHECK asks the web server, which a worker does not run.
    assert worker.get("healthcheck", {}).get("disable") or "/health" not in healthcheck_command(worker)
    # Huey stops gracefully on SIGINT: running tasks finish.
    assert worker.get("stop_signal") == "SIGINT"


def test_several_workers_run_and_fit_the_database_connections(services, web_env):
    worker = services["worker"]
    replicas = str(worker.get("deploy", {}).get("replicas"))
    assert replicas.startswith("${WORKER_REPLICAS") and int(interpolate(replicas)) >= 2
    assert not worker.get("ports") and "container_name" not in worker
    web = services["web"]
    web_connections = (
        int(interpolate(str(web["deploy"]["replicas"])))
        * int(interpolate(as_mapping(web["environment"])["WEB_CONCURRENCY"]))
        * int(interpolate(web_env["DATABASE_POOL_SIZE"]))
    )
    worker_connections = int(interpolate(replicas)) * int(interpolate(as_mapping(worker["environment"])["DATABASE_POOL_SIZE"]))
    assert web_connections + worker_connections < 100  # PostgreSQL's max_connections


def test_the_search_outbox_is_drained_by_the_worker_not_a_loop_service(services):
    # search/tasks.py drains it every minute in the worker.
    assert "search-outbox" not in services
    assert not [name for name, service in services.items() if "search_index --drain" in _command(service)]


def test_proxy_publishes_port_and_mounts_nginx_conf(services):
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:1.27")
    ports = [str(p) for p in proxy.get("ports") or []]
    assert any(interpolate(p) == "8000:80" for p in ports), ports
    mounts = _volume_targets(proxy)
    conf_sources = [src for src in mounts.values() if src and src.endswith("docker/nginx.conf")]
    assert conf_sources, "proxy does not mount docker/nginx.conf"
    # A template: the nginx image renders /etc/nginx/templates/*.template into conf.d/ at start.
    targets = [target for target, src in mounts.items() if src and src.endswith("docker/nginx.conf")]
    assert targets == ["/etc/nginx/templates/default.conf.template"], targets
    assert "web" in depends_on(proxy)


def rendered_nginx_conf(services):
    """docker/nginx.conf as the nginx image renders it: envsubst of the proxy's environment."""
    env = as_mapping(services["proxy"].get("environment"))
    text = NGINX_CONF.read_text()
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text))
    assert used <= set(env), f"nginx.conf uses {sorted(used - set(env))}, which the proxy service does not set"
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: interpolate(env[m.group(1)]), text)


# --- Dockerfile, entrypoint, nginx, .dockerignore -----------------------------


@pytest.fixture(scope="module")
def dockerfile():
    assert DOCKERFILE.exists(), "Dockerfile is missing"
    # Join continuation lines so each instruction is one line.
    return re.sub(r"\\\n", " ", DOCKERFILE.read_text())


def _instructions(dockerfile, keyword):
    return [line.strip() for line in dockerfile.splitlines() if line.strip().upper().startswith(keyword + " ")]


def test_dockerfile_is_multi_stage(dockerfile):
    froms = _instructions(dockerfile, "FROM")
    assert any("node:20-slim" in line for line in froms)
    assert any("python:3.11-slim" in line for line in froms)
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    assert re.search(r"pip install [^\n]*\.\s", dockerfile + "\n")
    assert "collectstatic --noinput" in dockerfile


def test_dockerfile_exposes_8000_and_runs_uvicorn_workers_through_cms_serve(dockerfile):
    assert any(line.split()[1:] == ["8000"] for line in _instructions(dockerfile, "EXPOSE"))
    cmd = _instructions(dockerfile, "CMD")
    assert cmd, "Dockerfile has no CMD"
    assert "cms.asgi:application" in cmd[-1]
    assert "exec python -m cms.serve " in cmd[-1]  # uvicorn's workers, a socket each (cms/serve.py)
    assert "${WEB_CONCURRENCY:-2}" in cmd[-1]
    assert "--proxy-headers" in cmd[-1]


def test_dockerfile_runs_as_non_root_with_healthcheck(dockerfile):
    users = _instructions(dockerfile, "USER")
    assert users and users[-1].split()[1] not in {"root", "0", "0:0"}
    healthcheck = _instructions(dockerfile, "HEALTHCHECK")
    assert healthcheck and "urllib" in healthcheck[-1] and "http://127.0.0.1:8000/health" in healthcheck[-1]


def test_dockerfile_does_not_bake_in_a_secret_key(dockerfile):
    for keyword in ("ENV", "ARG"):
        for line in _instructions(dockerfile, keyword):
            assert "SECRET_KEY" not in line, f"SECRET_KEY must not persist in the image: {line}"
    collectstatic = [line for line in _instructions(dockerfile, "RUN") if "collectstatic" in line]
    assert collectstatic and "SECRET_KEY=" in collectstatic[0]


def test_entrypoint_migrates_on_request_then_execs():
    assert ENTRYPOINT.exists()
    text = ENTRYPOINT.read_text()
    assert text.startswith("#!/bin/sh")
    assert ENTRYPOINT.stat().st_mode & stat.S_IXUSR, "entrypoint.sh is not executable"
    assert "RUN_MIGRATIONS" in text
    assert "manage.py migrate --noinput" in text and "manage.py setup_site" in text
    assert text.rstrip().endswith('exec "$@"')


def test_nginx_proxies_websockets_with_upgrade_headers(services):
    conf = rendered_nginx_conf(services)
    block = re.search(r"location\s+/ws/\s*\{(.*?)\n\s*\}", conf, re.S)
    assert block, "nginx.conf has no location /ws/"
    ws = block.group(1)
    assert re.search(r"proxy_pass\s+http://(web:8000|\$\w+)", ws)
    assert re.search(r"^\s*set \$web_upstream web:8000;", conf, re.MULTILINE)
    assert re.search(r"^\s*listen 80;", conf, re.MULTILINE)
    assert re.search(r"proxy_http_version\s+1\.1", ws)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade", ws)
    assert re.search(r"proxy_set_header\s+Connection\s+(\$connection_upgrade|\"?upgrade\"?)", ws, re.I)
    assert re.search(r"location\s+/\s*\{[^}]*proxy_pass", conf), "nginx.conf does not proxy plain HTTP"


def forwarded_headers(conf, remote_addr, written_by_client):
    """The X-Forwarded-For and X-Real-IP nginx sends on, per the rendered
    conf's proxy_set_header lines, for a client at `remote_addr` that wrote
    its own X-Forwarded-For (each proxied location must say the same)."""
    values = {"$remote_addr": remote_addr,
              "$proxy_add_x_forwarded_for": f"{written_by_client}, {remote_addr}"}
    sent = set()
    for block in re.findall(r"location\s+\S+\s*\{(.*?)\n\s*\}", conf, re.S):
        if "proxy_pass" not in block:
            continue
        headers = dict(re.findall(r"proxy_set_header\s+(X-Forwarded-For|X-Real-IP)\s+(\S+);", block))
        assert set(headers) == {"X-Forwarded-For", "X-Real-IP"}, block
        sent.add(tuple((name, values[value]) for name, value in sorted(headers.items())))
    assert len(sent) == 1, sent
    return dict(sent.pop())


def test_a_client_cannot_choose_the_address_web_sees(compose, services, web_env):
    """A client writing X-Forwarded-For through the proxy: uvicorn's own
    proxy-headers middleware, trusting what compose tells it to, must hand
    Django the address nginx saw (every per-address limit keys on it)."""
    trusted = resolved(web_env, "FORWARDED_ALLOW_IPS")
    assert "*" not in trusted
    proxy_address = interpolate(services["proxy"]["networks"]["default"]["ipv4_address"])
    assert trusted == proxy_address, "web believes X-Forwarded-For from the proxy only"
    network = compose["networks"]["default"]["ipam"]["config"][0]
    subnet, dynamic = ipaddress.ip_network(interpolate(network["subnet"])), ipaddress.ip_network(interpolate(network["ip_range"]))
    address = ipaddress.ip_address(proxy_address)
    assert address in subnet and address not in dynamic, "no other container can be given the proxy's address"

    headers = forwarded_headers(rendered_nginx_conf(services), "198.51.100.23", "203.0.113.7")
    assert headers == {"X-Forwarded-For": "198.51.100.23", "X-Real-IP": "198.51.100.23"}

    def client_seen(peer, sent):
        seen = {}

        async def app(scope, receive, send):
            seen["client"] = scope["client"][0]

        scope = {"type": "http", "client": (peer, 40000), "scheme": "http",
                 "headers": [(name.lower().encode(), value.encode()) for name, value in sent.items()]}
        asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=trusted)(scope, None, None))
        return seen["client"]

    assert client_seen(proxy_address, headers) == "198.51.100.23"
    # Another container reaching web directly is known by its own address, whatever its header says.
    assert client_seen("172.31.240.200", {"X-Forwarded-For": "203.0.113.7"}) == "172.31.240.200"


def test_dockerignore_keeps_local_state_out_of_the_build():
    entries = {line.strip().lstrip("*/") for line in DOCKERIGNORE.read_text().splitlines() if line.strip()}
    for required in (".venv", "var", "node_modules", ".git", "__pycache__", "static/govuk", "static/css/app.css"):
        assert required in entries, f".dockerignore misses {required}"


def test_the_image_holds_every_package_of_the_app_graph():
    """The image copies its code package by package (so a change to one
    reuses the layers before it): a package left out imports nowhere in the
    container. Four apps were missing once, unseen by CI, which runs from
    the checkout."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = config["tool"]["importlinter"]["root_packages"]
    copied = set(re.findall(r"^COPY (\w+)/ \1/$", DOCKERFILE.read_text(), re.M))
    assert set(packages) - copied == set()
    found = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p + "*" for p in packages} - set(found) == set()
    assert {d.name for d in ROOT.iterdir() if (d / "__init__.py").exists() and d.name not in ("tests", "bench")} \
        - set(packages) == set()
