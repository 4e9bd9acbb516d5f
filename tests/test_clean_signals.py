"""Unit tests for each chrome signal, on sentences written for these tests."""

from __future__ import annotations

import pytest

from chronicle.clean.signals import (
    chrome_reason,
    is_dateline,
    is_prose,
    lexicon,
    stopword_ratio,
    words,
)

ARTICLE_SENTENCES = [
    "The court in Almaty sentenced the former official to six years in prison on Monday.",
    "“We will appeal,” his lawyer told reporters outside the building after the hearing.",
    "According to the prosecutor, the money was transferred through three shell companies.",
    "Police said they had detained 12 people, most of them students, near the city hall.",
    "The ministry did not respond to a request for comment.",
    "Supporters of the activist gathered outside the court, holding photographs of him.",
    "Read the verdict, he said, and you will see that the judge ignored every witness.",
    "Correction: An earlier version of this article misstated the date of the hearing.",
]


@pytest.mark.parametrize("sentence", ARTICLE_SENTENCES)
def test_article_sentences_fire_no_signal(sentence: str) -> None:
    assert chrome_reason(sentence) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Read more", "nav-label"),
        ("Show More", "nav-label"),
        ("Continue", "nav-label"),
        ("Related Posts", "nav-label"),
        ("Skip to main content", "nav-label"),
        ("Accept All Cookies", "nav-label"),
        ("Facebook Twitter Telegram WhatsApp", "nav-label"),
        ("pub-987654321098765", "ad-id"),
        ("#Court #Almaty #Verdict #Corruption", "hashtag-row"),
        ("vk.com/some.page", "link-like"),
        ("https://example.org/news/123", "link-like"),
        ("USD 91.20", "ticker"),
        ("• EUR/USD = 1.0821 0%", "ticker"),
        ("Photo: Ministry of Defence press service", "photo-credit/credit-line"),
        ("Caption: Protesters outside court. Screengrab via Telegram.", "photo-credit/credit-line"),
        ("The mayor in 2021. screen grab / TASS", "photo-credit/credit-line"),
        ("(Reporting by Jane Roe; Editing by John Doe)", "photo-credit/credit-line"),
        ("4 min read", "byline/read-time"),
        ("Author: Example news agency", "byline/read-time"),
        ("Updated 3 hours ago", "byline/read-time"),
        ("14:05, 2 May 2024", "dateline"),
        ("Friday, 12 January 2024, 10:30", "dateline"),
        ("We use cookies to give you the best experience. By clicking Accept you agree.",
         "notice(cookie/copyright/legal)"),
        ("© 2001-2024 Example Daily. All rights reserved.", "notice(cookie/copyright/legal)"),
        ("Reproduction of materials is allowed only with a hyperlink.",
         "notice(cookie/copyright/legal)"),
        ("Jane Roe is a senior correspondent at Example Daily. She previously covered courts.",
         "author-bio"),
        ("Example Daily is an independent, non-profit media organisation covering the region.",
         "outlet-blurb"),
        ("Support Example Daily!", "appeal(donation/newsletter/call-to-action)"),
        ("Become an Example Daily member", "appeal(donation/newsletter/call-to-action)"),
        ("Subscribe to our newsletter to get the latest news in your inbox.",
         "appeal(donation/newsletter/call-to-action)"),
        ("Your support, no matter how small, makes a world of difference. Please donate today "
         "so that we can keep our independent journalism going.",
         "appeal(donation/newsletter/call-to-action)"),
        ("THIS MATERIAL WAS PRODUCED AND DISTRIBUTED BY A FOREIGN MEDIA OUTLET",
         "all-caps-notice"),
        ("Read more: Parliament passes budget for next year", "related-link"),
        ("Related: Five things to know about the new law", "related-link"),
        ("SEE MORE: Border crossing reopens after two weeks", "related-link"),
        ("2024-05-02T08:57:40+01:00", "machine-value"),
        ("https://cdn.example.org/img/2024/05/court-1200x630.jpg", "machine-value"),
        ('[button link="/donate" type="big"] Send us your story[/button]', "machine-value"),
    ],
)
def test_each_signal_fires(text: str, reason: str) -> None:
    assert chrome_reason(text) == reason


def test_read_more_sentence_is_not_a_link_line() -> None:
    assert chrome_reason("Read more about the ruling in our explainer, out last year.") is None


def test_prose_needs_words_punctuation_and_function_words() -> None:
    lex = lexicon()
    assert is_prose(ARTICLE_SENTENCES[0], lex)
    assert not is_prose("Wheat exports hit a five-year high as harvest beats forecasts", lex)
    assert not is_prose("Politics Economy Society Culture Sports World Opinion Video Blogs.", lex)
    assert not is_prose("Short sentence here.", lex)


def test_stopword_ratio_separates_prose_from_menus() -> None:
    lex = lexicon()
    assert stopword_ratio(words(ARTICLE_SENTENCES[2]), lex) > 0.25
    assert stopword_ratio(words("News Politics Economy Society Opinion"), lex) == 0.0


def test_dateline_only_when_mostly_a_date() -> None:
    assert is_dateline("3 January 2024, 17:40")
    assert not is_dateline("The court on 3 January 2024 ordered the arrest of the two men.")
