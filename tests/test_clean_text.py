"""The plain-text classifier, its positional rules, the repetition signal and the metadata."""

from __future__ import annotations

from chronicle.clean import MemoryFingerprintIndex, clean_document
from chronicle.clean.boilerplate import MIN_OTHER_DOCUMENTS, fingerprint
from chronicle.clean.metadata import detect_language, outlet_from_url
from chronicle.model import Document

P1 = ("Police in the capital detained four activists on Saturday after they unfurled a banner "
      "outside the presidential administration, their lawyer said.")
P2 = ("The activists were charged with holding an unauthorised rally, an offence that carries a "
      "fine or up to 15 days in detention, according to the court's website.")
P3 = ("One of the detainees, a 23-year-old student, told the court that the banner only called "
      "for the release of political prisoners and that the police had used force.")
P4 = ("The presidential administration declined to comment on the detentions, and the court "
      "adjourned the hearing of the activists until Monday.")
HEADLINE = "Four activists detained after banner protest in the capital"


def clean(text: str, **kw: object) -> Document:
    return clean_document(Document(source="t", raw_text=text, **kw))


def reasons(doc: Document) -> dict[str, str]:
    return {d.text: d.reason for d in doc.decisions}


def test_headline_is_the_line_above_the_text_not_the_slogan() -> None:
    text = "\n\n".join(["The Example Herald", "Truth in every line, every day", "Support us!",
                        HEADLINE, "Photo: handout", P1, P2, P3])
    doc = clean(text)
    assert doc.title == HEADLINE
    assert doc.body == "\n\n".join([P1, P2, P3])


def test_a_tail_marker_ends_the_article() -> None:
    teaser = ("Farmers in the south say the drought has cut the wheat harvest by a third, "
              "and many are selling livestock to pay their debts.")
    doc = clean("\n\n".join([HEADLINE, P1, P2, P3, "Read more", teaser]))
    assert teaser not in doc.body and P3 in doc.body
    assert reasons(doc)[teaser] == "after-article-end"


def test_article_resumes_after_an_inline_box() -> None:
    box = "Subscribe to our newsletter to get the latest news in your inbox."
    doc = clean("\n\n".join([HEADLINE, P1, P2, box, P3, P4]))
    assert P3 in doc.body and P4 in doc.body and box not in doc.body


def test_trailing_teaser_of_another_story_is_cut() -> None:
    teaser_head = "Podcast Ep. 7 – The grain corridor and its consequences"
    teaser = ("Episode #7 of our weekly podcast is dedicated to the shipping of grain across the "
              "Black Sea. Host Maria Ivanenko is joined by economist Taras Bondar.")
    doc = clean("\n".join([HEADLINE, P1, P2, P3, teaser_head, teaser]))
    assert teaser not in doc.body and teaser_head not in doc.body
    assert reasons(doc)[teaser].startswith("teaser")
    assert P3 in doc.body


def test_related_run_inside_a_paragraph_is_cut_out() -> None:
    para = ("Related materials 12:30 – March 2 Why the border stays closed? 09:10 – February 27 "
            "Talk here. How the new visa rules work? He added that the talks would continue.")
    doc = clean("\n".join([HEADLINE, P1, para, P2, P3]))
    assert "Why the border stays closed" not in doc.body
    assert "He added that the talks would continue." in doc.body
    start = doc.body.index("He added")
    assert doc.raw_text[doc.body_to_raw(start):].startswith("He added")


def test_standfirst_between_headline_and_text_is_kept() -> None:
    dek = "The detentions are the first since the new law on public gatherings came into force"
    doc = clean("\n".join([HEADLINE, dek, "By Jane Roe", P1, P2]))
    assert dek in doc.body
    assert doc.author == "Jane Roe"


def test_repetition_across_one_outlets_documents_is_boilerplate() -> None:
    index = MemoryFingerprintIndex()
    box = "Our journalists work without fear or favour: the example herald needs you."
    stories = [  # different articles of one outlet, sharing only the box
        [f"Story number {i} about the capital", P1.replace("four", f"{i + 2}"), box,
         P2.replace("15 days", f"{i + 10} days"), P3.replace("23-year-old", f"{i + 20}-year-old")]
        for i in range(MIN_OTHER_DOCUMENTS + 1)
    ]
    docs = [clean_document(Document(source=str(i), raw_text="\n".join(s), outlet="Example Herald"),
                           index)
            for i, s in enumerate(stories)]
    assert all(box in d.body for d in docs[:MIN_OTHER_DOCUMENTS])
    assert box not in docs[-1].body
    assert reasons(docs[-1])[box].startswith("repeated-in-2-other-documents")
    # The decision is reproducible and a document never counts itself: cleaning the first one
    # again sees exactly MIN_OTHER_DOCUMENTS other documents, not itself.
    again = clean_document(Document(source="0", raw_text="\n".join(stories[0]),
                                    outlet="Example Herald"), index)
    assert box not in again.body
    assert index.document_count("example herald", fingerprint(box) or "") == 3


def test_other_outlets_do_not_count() -> None:
    index = MemoryFingerprintIndex()
    box = "Our journalists work without fear or favour: the example herald needs you."
    for i in range(4):
        clean_document(Document(source=str(i), raw_text="\n".join([HEADLINE, P1, box, P2]),
                                outlet=f"Outlet {i}"), index)
    doc = clean_document(Document(source="x", raw_text="\n".join([HEADLINE, P1, box, P2]),
                                  outlet="Outlet 9"), index)
    assert box in doc.body


def test_metadata_from_chrome() -> None:
    text = "\n".join(["The Example Herald", "12 March 2024, 09:15", HEADLINE, P1, P2, P3,
                      "© 2024 The Example Herald. All rights reserved."])
    doc = clean(text)
    assert doc.outlet == "The Example Herald"
    assert doc.published == "2024-03-12"
    assert doc.language == "en"


def test_no_date_means_unknown_and_existing_metadata_is_kept() -> None:
    doc = clean("\n".join([HEADLINE, P1, P2]), title="Given title", outlet="Given outlet",
                url="https://www.themoscowtimes.com/2024/x")
    assert doc.published is None
    assert doc.title == "Given title" and doc.outlet == "Given outlet"


def test_outlet_from_known_domain() -> None:
    assert outlet_from_url("https://www.rferl.org/a/x.html") == "Radio Free Europe/Radio Liberty"
    assert outlet_from_url("https://news.example.invalid/") is None


def test_agency_byline_is_not_an_author() -> None:
    doc = clean("\n".join(["Example Wire", HEADLINE, "By Example Wire news agency", P1, P2]))
    assert doc.author is None


def test_language_detection() -> None:
    assert detect_language(P1 + " " + P2) == "en"
    assert detect_language("Суд арестовал четырёх активистов после акции у здания администрации "
                           "президента, сообщил их адвокат.") == "ru"
    assert detect_language("12 34") is None


def test_empty_and_chrome_only_text() -> None:
    assert clean("").body == ""
    doc = clean("Read more\nShare\n#a #b #c")
    assert doc.body == "" and doc.title is None


def test_hard_wrapped_paragraphs_are_joined() -> None:
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(p, 64) for p in (P1, P2, P3, P4))
    doc = clean("\n".join([HEADLINE, "", wrapped, "", "Read more", "Share"]))
    assert doc.title == HEADLINE
    assert [" ".join(p.split()) for p in doc.body.split("\n\n")] == [P1, P2, P3, P4]
    for seg in doc.body_map:  # joined paragraphs are still exact raw slices
        assert doc.body[seg.body_start: seg.body_start + seg.length] == doc.raw_text[
            seg.raw_start: seg.raw_start + seg.length]


def test_html_given_as_text_goes_through_the_html_path() -> None:
    page = ("<!DOCTYPE html><html><head><title>T</title></head><body><article><h1>T</h1>"
            + "".join(f"<p>{p}</p>" for p in (P1, P2, P3)) + "</article></body></html>")
    doc = clean(page)
    assert P1 in doc.body and "<p>" not in doc.body


def test_inline_labels_do_not_end_the_article_but_tail_labels_do() -> None:
    short_last = "The city administration did not comment."
    text = "\n\n".join(["Daily Example", "News", HEADLINE, "5 March 2024", P1, "ADVERTISEMENT",
                        P2, "Photo", P3, short_last, "More from Daily Example",
                        "Exchange rates stable ahead of holiday"])
    doc = clean(text)
    assert doc.body == "\n\n".join([P1, P2, P3, short_last])
    assert doc.outlet == "Daily Example" and doc.published == "2024-03-05"
    assert reasons(doc)["Exchange rates stable ahead of holiday"] == "after-article-end"


def test_comment_thread_never_resumes_the_article() -> None:
    c1 = ("I followed the case of the four activists from the start, and the police in the "
          "capital clearly detained them for the banner, not for any rally.")
    c2 = ("The court will fine the activists anyway; the hearing on Monday is a formality and "
          "the administration knows the banner protest was peaceful.")
    doc = clean("\n\n".join([HEADLINE, P1, P2, P3, "2 comments", c1, c2]))
    assert c1 not in doc.body and c2 not in doc.body and P3 in doc.body
