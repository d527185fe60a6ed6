"""Campaign responses (consultations/campaigns.py, pure): identical and
near-identical texts grouped, different texts kept apart, and a campaign
only from CAMPAIGN_MIN_RESPONDENTS respondents."""

import random

from consultations import campaigns

LETTER = ("I am writing to oppose the proposed target because it places an unfair burden on small rural "
          "businesses who cannot afford new equipment, and I urge the department to extend the deadline "
          "by five years and to fund grants for firms in rural areas so that nobody is left behind.")


def test_identical_texts_are_one_campaign_whatever_the_case_spacing_and_punctuation():
    texts = {1: LETTER, 2: LETTER.upper(), 3: "  " + LETTER.replace(",", "").replace(" ", "   "),
             4: LETTER.replace(".", "!"), 5: LETTER, 6: "I support the target: it is about time we acted on this."}
    found = campaigns.campaigns(texts)
    assert len(found) == 1
    assert sorted(found[0].keys) == [1, 2, 3, 4, 5] and found[0].respondents == 5
    assert found[0].text == LETTER


def test_near_identical_texts_with_a_changed_word_are_grouped():
    changed = LETTER.replace("unfair", "unreasonable")
    assert campaigns.similarity(campaigns.shingles(campaigns.normalise(LETTER)),
                                campaigns.shingles(campaigns.normalise(changed))) >= campaigns.SIMILARITY
    texts = {1: LETTER, 2: LETTER, 3: changed, 4: LETTER.replace("five", "ten"), 5: changed + " Thank you."}
    found = campaigns.campaigns(texts)
    assert len(found) == 1 and found[0].respondents == 5


def test_different_texts_are_not_grouped():
    rng = random.Random(7)
    words = LETTER.split()
    texts = {}
    for n in range(40):
        shuffled = words[:]
        rng.shuffle(shuffled)
        texts[n] = " ".join(shuffled)
    assert campaigns.campaigns(texts) == []
    assert all(g.respondents == 1 for g in campaigns.group(texts))
    other = ("Please keep the target as it is: the climate cannot wait, and large firms have had warning "
             "enough; small firms should get help with advice and loans rather than more time to pollute.")
    assert campaigns.campaigns({n: other if n % 2 else LETTER for n in range(8)}) == []


def test_the_threshold_is_five_respondents_and_short_common_answers_are_not_campaigns():
    assert campaigns.CAMPAIGN_MIN_RESPONDENTS == 5
    assert campaigns.campaigns({n: LETTER for n in range(4)}) == []
    assert [g.respondents for g in campaigns.campaigns({n: LETTER for n in range(5)})] == [5]
    assert campaigns.campaigns({n: "No comment." for n in range(50)}) == []


def test_many_texts_are_grouped_without_comparing_every_pair():
    rng = random.Random(1)
    vocabulary = [f"word{n}" for n in range(3000)]
    texts = {n: " ".join(rng.choice(vocabulary) for _ in range(40)) for n in range(3000)}
    texts.update({f"c{n}": LETTER.replace("five", str(n % 3)) for n in range(300)})
    found = campaigns.campaigns(texts)
    assert [g.respondents for g in found] == [300]
