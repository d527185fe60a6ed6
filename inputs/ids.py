"""Reading a primary key someone typed (an address, a form field)."""

# Primary keys are 64-bit (BigAutoField): anything larger cannot name a row,
# and SQLite raises OverflowError when asked for it (PostgreSQL: "integer
# out of range").
MAX_ID = 2**63 - 1


def parse_id(raw):
    """A primary key typed in an address or a form (any string), or None:
    ASCII digits only ("²" passes str.isdigit() but not int()) and no larger
    than a key can be."""
    raw = raw or ""
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None
