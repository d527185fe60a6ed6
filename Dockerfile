# syntax=docker/dockerfile:1

# --- Stage 1: front-end assets ---------------------------------------------
# Compiles static/src/app.scss with GOV.UK Frontend into static/css/app.css and
# copies GOV.UK's JavaScript and images into static/govuk/.
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/ scripts/
COPY static/ static/
RUN npm run build

# --- Stage 2: the application -----------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    DATA_DIR=/data

WORKDIR /app

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app

# Dependencies first, from pyproject.toml alone, so code changes reuse this
# layer: a stub package lets `pip install .` resolve and install every
# dependency; the real code is installed over it below.
COPY pyproject.toml ./
RUN mkdir cms && touch cms/__init__.py \
    && pip install . \
    && rm -rf cms build ./*.egg-info

COPY manage.py ./
# Every package of the app graph (pyproject.toml [tool.importlinter];
# tests/test_compose.py checks that none is missing here).
COPY cms/ cms/
COPY demo/ demo/
COPY opendata/ opendata/
COPY moderation/ moderation/
COPY opinions/ opinions/
COPY participation/ participation/
COPY pilots/ pilots/
COPY prizes/ prizes/
COPY consultations/ consultations/
COPY ideas/ ideas/
COPY consult/ consult/
COPY people/ people/
COPY notifications/ notifications/
COPY live/ live/
COPY search/ search/
COPY inputs/ inputs/
COPY templates/ templates/
COPY data/ data/
COPY NOTICE.md ./
COPY static/ static/
COPY --from=assets /src/static/css/app.css static/css/app.css
COPY --from=assets /src/static/govuk/ static/govuk/
RUN pip install --no-deps --force-reinstall . \
    && rm -rf build ./*.egg-info

# Collect static files into the image at build time. STATIC_ROOT is
# $DATA_DIR/staticfiles, so collect with DATA_DIR=/app/collected; the entrypoint
# points the runtime $DATA_DIR/staticfiles at it (DATA_DIR is a volume at run
# time, and a volume must not hold a stale copy of the assets).
# The production settings refuse to load without a long SECRET_KEY: this
# throwaway value exists for this RUN line only and is not kept in the image.
RUN DATA_DIR=/app/collected \
    SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef \
    python manage.py collectstatic --noinput \
    && rm -f /app/collected/db.sqlite3*

COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod 0755 /usr/local/bin/entrypoint.sh \
    && mkdir -p /data/media \
    && chown -R app:app /data

USER app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
# cms/serve.py: uvicorn workers with a listening socket each (SO_REUSEPORT),
# so connections spread over the workers; `uvicorn --workers` gave them all to one.
CMD ["sh", "-c", "exec python -m cms.serve cms.asgi:application --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2} --proxy-headers --ws-per-message-deflate false --ws-max-size 65536"]
