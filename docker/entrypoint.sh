#!/bin/sh
# Container entrypoint for Mission Commons.
#   RUN_MIGRATIONS=1  run `migrate`, `setup_site` and `search_index --create`
#                     (all idempotent) before the command.
# Then exec the command (by default uvicorn, see the Dockerfile CMD).
set -eu

DATA_DIR="${DATA_DIR:-/data}"
BUILT_STATIC=/app/collected/staticfiles

mkdir -p "$DATA_DIR/media"

# STATIC_ROOT is $DATA_DIR/staticfiles. The assets were collected into the
# image at $BUILT_STATIC; DATA_DIR is usually a volume that outlives the image,
# so link to this image's copy instead of trusting whatever the volume holds.
# The link is swapped in with a rename, so replicas starting together are safe.
if [ "$(readlink "$DATA_DIR/staticfiles" 2>/dev/null || true)" != "$BUILT_STATIC" ]; then
    if [ -d "$DATA_DIR/staticfiles" ] && [ ! -L "$DATA_DIR/staticfiles" ]; then
        rm -rf "$DATA_DIR/staticfiles"
    fi
    ln -sfn "$BUILT_STATIC" "$DATA_DIR/.staticfiles.$$"
    mv -fT "$DATA_DIR/.staticfiles.$$" "$DATA_DIR/staticfiles"
fi

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --noinput
    python manage.py setup_site
    python manage.py search_index --create --fill-empty
fi

exec "$@"
