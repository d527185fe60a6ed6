"""The search box's syntax, parsed once (search/query.py): pure, no database."""

import pytest

from search.query import MAX_TERMS, Term, parse, to_fts5, to_websearch


def test_words_phrases_exclusions_and_or():
    q = parse('heat "air source" -gas lagoon OR barrage')
    assert q.clauses == ((Term("heat"),), (Term("air source", phrase=True),), (Term("lagoon"), Term("barrage")))
    assert q.excluded == (Term("gas"),)
    assert to_websearch(q) == 'heat "air source" lagoon OR barrage -gas'


def test_fts5_quotes_every_term_so_user_text_is_never_syntax():
    q = parse('NEAR(heat) title:pumps "a""b" heat* ^x')
    expression = to_fts5(q)
    # Every term is a quoted string; what users type as FTS5 operators is plain words.
    assert expression == '"NEAR heat" AND "title pumps" AND "a" AND "b" AND ("heat" OR "heat"*) AND "x"'
    assert to_fts5(parse("mento")) == '("mento" OR "mento"*)'
    assert to_fts5(parse("heat -gas")) == '(("heat" OR "heat"*)) NOT ("gas")'


@pytest.mark.parametrize("text", ["", "   ", "OR", "-", '""', "!!! ???", "\x00"])
def test_nothing_to_search_for_is_empty(text):
    assert parse(text).empty


def test_only_exclusions_is_empty_but_remembers_them():
    q = parse("-gas -oil")
    assert q.empty and len(q.excluded) == 2


def test_unterminated_quote_runs_to_the_end_and_hyphens_make_phrases():
    assert parse('"heat pumps for').clauses == ((Term("heat pumps for", phrase=True),),)
    assert parse("heat-pump").clauses == ((Term("heat pump", phrase=True),),)


def test_terms_are_bounded():
    q = parse(" ".join(f"word{n}" for n in range(50)))
    assert len(q.clauses) == MAX_TERMS and q.notes


def test_words_lists_positive_words_once():
    assert parse('Heat "heat pumps" -gas').words() == ["heat", "pumps"]
