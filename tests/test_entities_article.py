"""A whole (invented) article with its site chrome left in: names in menus, credits, headlines
and donation appeals are not entities; the body's are, merged, with roles."""

from __future__ import annotations

from test_entities_sentences import make_doc

ARTICLE = "\n".join([
    'Home',
    'News',
    'Politics',
    'Central Asia',
    '',
    'Tajik Court Jails Blogger Over Posts Criticising Border Deal',
    '',
    'Photo: Farrukh Saidov / Asia-Plus',
    '',
    ('A court in Dushanbe on Thursday sentenced the blogger Rukhshona Nazarova to seven '
     'years in prison on charges of calling for extremism, the independent news agency Asia-'
     'Plus reported.'),
    '',
    ('Nazarova, 29, was detained in March by officers of the State Committee for National '
     'Security (GKNB) after she criticised the border agreement with Kyrgyzstan on Facebook.'),
    '',
    ('Her lawyer, Zafar Rakhimov, said the verdict would be appealed. "The case was built on'
     ' a single post," Rakhimov told Asia-Plus.'),
    '',
    'Rakhimov is a former prosecutor who now defends journalists in the Sughd Region.',
    '',
    'The GKNB did not respond to a request for comment.',
    '',
    'Support independent journalism from Central Asia',
    'Donate to Eurasia Watch today',
    'Read more: Kazakh Parliament Approves Media Law',
    '',
])


def test_article_entities_without_chrome() -> None:
    doc = make_doc(ARTICLE)
    got = {(e.name, e.type): e for e in doc.entities}
    names = {n for n, _ in got}
    for chrome in ("Farrukh Saidov", "Eurasia Watch", "Kazakh Parliament", "Tajik Court"):
        assert chrome not in names, names
    assert ("Dushanbe", "GPE") in got
    assert ("Kyrgyzstan", "GPE") in got
    assert ("Sughd Region", "GPE") in got
    committee = got[("State Committee for National Security", "ORG")]
    assert committee.aliases == ["GKNB"] and len(committee.mentions) == 3
    outlet = got[("Asia-Plus", "ORG")]
    assert len(outlet.mentions) == 2
    blogger = got[("Rukhshona Nazarova", "PERSON")]
    assert blogger.aliases == ["Nazarova"]
    lawyer = got[("Zafar Rakhimov", "PERSON")]
    assert lawyer.role == "lawyer" and lawyer.aliases == ["Rakhimov"]
    assert len(lawyer.mentions) == 3
    assert not [e for e in doc.entities if e.type == "PERSON" and e.name == "Nazarova"]
