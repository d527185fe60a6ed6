"""Markdown with bleach's allow-list: what survives and what does not."""

import pytest

from ideas.text import render_markdown


@pytest.mark.parametrize(
    "source, expected",
    [
        ("*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("`x < y`", "<p><code>x &lt; y</code></p>"),
        ("[site](https://example.org)", '<p><a href="https://example.org" rel="nofollow ugc noopener">site</a></p>'),
    ],
)
def test_allowed_markdown(source, expected):
    assert render_markdown(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="http://x" onclick="alert(1)">x</a>',
        "![pic](https://example.org/p.png)",
        '<p style="color:red">styled</p>',
        "<iframe src=https://evil></iframe>",
    ],
)
def test_dangerous_input_is_neutralised(source):
    html = render_markdown(source)
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert "javascript:" not in html
    assert "onerror=" not in html.replace("&lt;", "") or "<img" not in html
    assert "style=" not in html or "&lt;p style" in html
    assert 'href="data:' not in html


def test_links_always_get_rel_even_if_user_sets_one():
    html = render_markdown('[a](https://example.org "t")')
    assert 'rel="nofollow ugc noopener"' in html


def test_mailto_links_are_allowed():
    assert 'href="mailto:team@example.org"' in render_markdown("[mail](mailto:team@example.org)")
