"""The opinion map in plain words (opinions/summaries.py), tested directly:
one count per group, only distinctive statements named, the threshold said
when nothing qualifies, and how soon new votes show."""

from opinions import summaries


def test_a_group_in_plain_words():
    assert summaries.group_summary("Group A", 12, ["Free buses", "Longer hours"], ["Close the depot"]) == (
        "Group A (12 people) mostly agrees with “Free buses” and “Longer hours”, "
        "and mostly disagrees with “Close the depot”, more than the other groups do.")
    assert summaries.group_summary("Group B", 1, [], ["X"]) == (
        "Group B (1 person) mostly disagrees with “X”, more than the other groups do.")
    assert summaries.group_summary("Group C", 3, ["A", "B", "C", "D"]) == (
        "Group C (3 people) mostly agrees with “A”, “B” and “C”, more than the other groups do.")


def test_nothing_sets_a_group_apart_and_the_threshold_is_said():
    assert summaries.group_summary("Group A", 4, min_votes=5) == (
        "Group A (4 people): nothing sets this group apart yet: no idea has votes from at least 5 of its "
        "members that clearly differ from the rest.")
    assert summaries.group_summary("Group A", 4) == "Group A (4 people): nothing sets this group apart yet."
    assert summaries.group_summary("Group A", 9, ["X"], alone=True) == (
        "Group A (9 people): everyone voted alike enough to form one group, so no idea sets a group apart.")


def test_the_map_in_a_sentence_gives_each_group_one_count():
    assert summaries.groups_sentence(16, 160, [("Group A", 10), ("Group B", 6)]) == (
        "16 people cast 160 votes. The map finds 2 groups of people who voted alike: "
        "Group A (10 people), Group B (6 people).")
    assert summaries.groups_sentence(1, 1, []) == "1 person cast 1 vote."


def test_how_soon_new_votes_show():
    assert summaries.delay_words(60) == "a minute"
    assert summaries.delay_words(120) == "2 minutes"
    assert summaries.delay_words(30) == "30 seconds"
    assert summaries.delay_words(0) == "moments"


def test_quoted_lists():
    assert summaries.quoted_list([]) == ""
    assert summaries.quoted_list(["A"]) == "“A”"
    assert summaries.quoted_list(["A", "B", "C"]) == "“A”, “B” and “C”"
