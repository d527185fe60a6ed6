"""The pure cores behind typo correction and similar ideas."""

from search import similarity, spelling


def test_distance_counts_edits_and_swaps_and_stops_early():
    assert spelling.distance("mentor", "mentor", 2) == 0
    assert spelling.distance("mentr", "mentor", 2) == 1
    assert spelling.distance("mentro", "mentor", 2) == 1  # a swap is one edit
    assert spelling.distance("kitten", "sitting", 3) == 3
    assert spelling.distance("a", "abcdef", 2) == 3  # more than the limit: limit + 1


def test_closest_prefers_fewer_edits_then_the_commoner_term():
    vocabulary = [("mentor", 10), ("mentos", 1), ("meter", 50), ("commun", 40)]
    assert spelling.closest({"mentr"}, vocabulary) == "mentor"
    assert spelling.closest({"mentoz"}, vocabulary) == "mentor"  # both one edit: the commoner wins
    assert spelling.closest({"xylophone"}, vocabulary) is None
    assert spelling.closest({"ab"}, [("ac", 3)]) is None  # two letters are never corrected


def test_keywords_drop_stopwords_and_repeat_stems():
    assert similarity.keywords("The mentors and mentoring of founders") == ["mentors", "founders"]


def test_score_weights_rare_words_and_passes_threshold():
    draft = similarity.keywords("Mentoring for young founders")
    frequencies = {"mentoring": 5, "young": 40, "founders": 5}
    close = similarity.stems("Peer mentoring circles for founders")
    generic = similarity.stems("Young people in parks")
    assert similarity.score(draft, close, frequencies, 100) > similarity.THRESHOLD
    assert similarity.score(draft, generic, frequencies, 100) < similarity.THRESHOLD
    assert similarity.score([], close) == 0.0
    assert similarity.passes("Mentoring for young founders", "Peer mentoring circles for founders")
    assert not similarity.passes("Mentoring for young founders", "Stop shop theft on the high street")
