"""Reading the page number someone typed in an address (`?page=`), once for
every list that asks: the ledger, the team's awaiting list and search."""

# A million pages is more than any list here has: a longer number is a typo
# or a probe, and its offset would overflow SQLite's 64-bit integers.
MAX_PAGE_DIGITS = 6


def parse_page(raw):
    """The page number typed (any string, or None): a whole number from 1 in
    ASCII digits ("²" passes str.isdigit() but not int()), at most
    MAX_PAGE_DIGITS long, spaces around it ignored; nothing typed is page 1.
    None for anything else ("abc", "0", "-1", "1e3"): the caller says what
    that means, an error on the page or the first page."""
    text = (raw or "1").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_PAGE_DIGITS:
        return None
    number = int(text)
    return number if number >= 1 else None
