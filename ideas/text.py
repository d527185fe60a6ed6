"""User text to safe HTML: Markdown without raw HTML, then bleach's allow-list.

Markdown's own raw-HTML handling is switched off, so `<script>` typed by a
person stays visible text; bleach is the second line of defence and the one
place links get their protocol check and rel attributes."""

from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href or href.split(":", 1)[0].lower() not in ALLOWED_PROTOCOLS:
        # Relative or odd links are dropped to their text.
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
)


def _markdown():
    md = markdown.Markdown(extensions=[], output_format="html")
    # No raw HTML: block and inline HTML become escaped text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # No images either.
    md.inlinePatterns.deregister("image_link")
    md.inlinePatterns.deregister("image_reference")
    return md


def render_markdown(source):
    html = _markdown().convert(source or "")
    return _cleaner.clean(html)
