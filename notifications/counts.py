"""Each person's unread count, published on their `user:<id>` topic for the
badge on their open pages: after a notification (notifications/services.py,
or the worker's fan-out in notifications/tasks.py) and after marking read."""

import logging

from live.events import publish
from live.topics import user_topic

from . import selectors

logger = logging.getLogger("missioncommons.notifications")


def publish_unread(user_ids, event, data):
    if not user_ids:
        return
    try:
        counts = selectors.unread_counts(user_ids)
    except Exception:
        logger.warning("unread counts unavailable for the live badge", exc_info=True)
        return
    for uid in user_ids:
        publish(user_topic(uid), event, {**data, "unread": counts[uid]})
