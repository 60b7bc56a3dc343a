"""Speaker resolution: names, titles and appositives, role nouns, pronouns, organisations, anonymous."""
from __future__ import annotations

import pytest

from conftest import describe, find, texts

pytestmark = pytest.mark.issue(2)


def test_speakers_surname_resolves_to_fullest_name(run):
    art = run(
        "Russian President Vladimir Putin said on Thursday that talks would go on.\n\n"
        '"We are ready," Putin said.'
    )
    assert {a.speaker.name for a in art.attributions} == {"Vladimir Putin"}, describe(art)


def test_speakers_role_nouns_resolve_to_the_holder(run):
    art = run(
        "Russian President Vladimir Putin said on Thursday that talks would go on.\n\n"
        '"We are ready for a compromise," the Russian leader said.\n\n'
        '"Nobody wants a new crisis," the president added.\n\n'
        '"We will see," the head of state concluded.'
    )
    assert len(art.attributions) == 4, describe(art)
    assert all(a.speaker and a.speaker.name == "Vladimir Putin" for a in art.attributions), describe(art)


def test_speakers_appositive_gives_name_and_role(run):
    art = run("Doug Bennett, executive director at Orange Coast College, said the print was donated in 2020.")
    a = find(art, "print was donated")
    assert a.speaker.name == "Doug Bennett"
    assert any("executive director" in r for r in a.speaker.roles)
    assert texts(art, a)["source"] == "Doug Bennett, executive director at Orange Coast College"


def test_speakers_title_before_name_is_a_role(run):
    art = run("Coroner Buster Barber said the death toll could rise. The coroner said crews were still searching.")
    first, second = art.attributions
    assert first.speaker.name == "Buster Barber" and second.speaker.name == "Buster Barber", describe(art)


def test_speakers_pronoun_across_paragraphs_by_recency_and_gender(run):
    art = run(
        "Mayor Elena Marsh said the bridge would reopen in November.\n\n"
        "Tom Okafor, a baker on Quay Street, said he had lost a third of his customers.\n\n"
        '"I will believe it when the first bus goes across," he said.\n\n'
        '"The repairs are ahead of schedule," she said.'
    )
    assert find(art, "first bus").speaker.name == "Tom Okafor"
    assert find(art, "ahead of schedule").speaker.name == "Elena Marsh", describe(art)


def test_speakers_organisations_speak(run):
    art = run(
        "The Norwegian Oil Association said in a statement that the decision was a blow to workers.\n\n"
        "The coast guard said it had moved four boats to sheltered harbours."
    )
    a = find(art, "blow to workers")
    assert a.speaker.kind == "organisation" and a.speaker.name == "the Norwegian Oil Association"
    b = find(art, "four boats")
    assert b.speaker.kind == "organisation" and b.speaker.name.lower() == "the coast guard"


@pytest.mark.parametrize(
    "text,part",
    [
        ("Officials said the cost estimates were still being revised.", "cost estimates"),
        ("A source close to the talks said the deal was off.", "deal was off"),
        ("Two people briefed on the discussions said the meeting was cancelled.", "meeting was cancelled"),
    ],
)
def test_speakers_anonymous_sources_keep_source_and_get_no_speaker(run, text, part):
    art = run(text)
    a = find(art, part)
    assert a.source and a.speaker is None


def test_speakers_it_resolves_to_the_last_organisation(run):
    art = run(
        "The Health Ministry said 22,329 new cases were identified over the past day. "
        "It added that the death toll had reached 115,167."
    )
    assert find(art, "death toll").speaker.name.lower() == "the health ministry", describe(art)


def test_speakers_abbreviation_defined_in_text_resolves_to_full_name():
    from quotewire.attribution.speakers import defined_abbreviations

    got = defined_abbreviations("Fares rose, the National Transport Authority (NTA) said. The Harbour Metals Group (HMG) agreed.")
    assert got["nta"] == "the National Transport Authority"
    assert got["hmg"] == "The Harbour Metals Group" or got["hmg"] == "the Harbour Metals Group" or got["hmg"] == "Harbour Metals Group"
    assert "ok" not in defined_abbreviations("He said it was fine (OK) by him.")


def test_speakers_abbreviation_used_later_gets_the_full_name(run):
    art = run(
        "The National Transport Authority (NTA) said on Monday that fares would rise.\n\n"
        "The NTA said the new timetable starts in May."
    )
    assert [a.speaker.name for a in art.attributions] == ["the National Transport Authority"] * 2, describe(art)


def test_speakers_article_role_word_is_not_part_of_the_name(run):
    art = run(
        "Taoiseach Orla Brennan said the budget would pass.\n\n"
        '"We have the votes," the Taoiseach said.\n\n'
        "Ms Brennan said talks would go on."
    )
    assert all(a.speaker and a.speaker.name == "Orla Brennan" for a in art.attributions), describe(art)


def test_speakers_dateline_is_never_a_speaker(run):
    art = run("PORT ALDEN - The Harbour Authority said on Monday that the pier would close.")
    assert all(a.speaker is None or "PORT" not in a.speaker.name.upper().split()[0] for a in art.attributions), describe(art)
    assert art.attributions and art.attributions[0].speaker.name.endswith("Harbour Authority"), describe(art)


def test_speakers_family_name_first_links_to_full_name(run):
    art = run(
        "Foreign ministry spokesman Li Wei said on Monday that the talks would continue.\n\n"
        '"We are patient," Li said.'
    )
    assert [a.speaker.name for a in art.attributions] == ["Li Wei", "Li Wei"], describe(art)


def test_speakers_photo_credit_is_never_a_speaker(run):
    art = run(
        "The mayor spoke at the harbour on Friday. (Jane Roe/Courier)\n\n"
        "Mayor Tom Okafor said the pier would reopen in May."
    )
    names = [a.speaker.name for a in art.attributions if a.speaker]
    assert names and not any("Roe" in n for n in names), describe(art)


def test_speakers_gender_is_learnt_from_the_article_not_from_name_lists(run):
    art = run(
        "Ngozi Adeyemi opened the clinic on Monday, and she thanked the volunteers.\n\n"
        "Kaito Brennan, who runs the pharmacy, said his shelves were full.\n\n"
        '"We waited two years for this," she said.'
    )
    assert find(art, "waited two years").speaker.name == "Ngozi Adeyemi", describe(art)


def test_speakers_stock_ticker_is_not_the_speaker(run):
    art = run("Harbour Metals Company (NYSE:HMC) said on Monday that it would recall 300 boilers.")
    assert art.attributions and art.attributions[0].speaker.name.startswith("Harbour Metals"), describe(art)


def test_speakers_a_report_speaks_for_the_body_behind_it(run):
    art = run(
        "The Harbour Authority opened an inquiry into the pier in May.\n\n"
        "The inquiry report said the pier had been neglected for years."
    )
    a = find(art, "neglected")
    assert a.speaker and a.speaker.name.endswith("Harbour Authority"), describe(art)


@pytest.mark.parametrize("text, name", [
    ("The Kenyan interior ministry said the border would reopen on Monday.", "the Kenyan interior ministry"),
    ("The Springfield police said the road was closed after the crash.", "the Springfield police"),
])
def test_speakers_organisation_is_the_whole_noun_phrase(run, text, name):
    art = run(text)
    assert art.attributions and art.attributions[0].speaker.name == name, describe(art)


def test_speakers_party_leader_is_not_the_holder_of_another_title(run):
    art = run(
        "Mayor Elena Marsh said the harbour bridge would reopen in November.\n\n"
        "Mr Tom Okafor said the council had wasted two years.\n\n"
        "Ms Marsh said the delay was the contractor's fault.\n\n"
        "The Green Party leader said the contract had never been published."
    )
    assert find(art, "never been published").speaker.name == "Tom Okafor", describe(art)


def test_speakers_head_of_a_body_nobody_is_titled_for_is_the_person_named_most(run):
    art = run(
        "The harbour will reopen in May, the head of the Port Alden Harbour Authority said on Monday.\n\n"
        "In a news conference, Maria Lopez said the repairs were ahead of schedule.\n\n"
        "Lopez said the ferries would run every hour.\n\n"
        "Tom Okafor, a baker, said he was glad."
    )
    assert find(art, "reopen in May").speaker.name == "Maria Lopez", describe(art)


def test_speakers_a_document_speaks_for_its_owner_a_spokesman_not_for_his_principal(run):
    art = run(
        "U.S. District Judge Rodney Gale fined the company on Monday.\n\n"
        "According to the judge's ruling, the company must pay $20 million.\n\n"
        "Prime Minister Anna Berg said the fine was fair.\n\n"
        "The Prime Minister's official spokesman said the government would not comment further."
    )
    assert find(art, "must pay").speaker.name == "Rodney Gale", describe(art)
    assert find(art, "not comment further").speaker is None, describe(art)


def test_speakers_two_people_of_one_surname_stay_two(run):
    art = run(
        "Mayor Elena Marsh said the harbour bridge would reopen in November.\n\n"
        "Her brother, the builder David Marsh, said the repairs were running late.\n\n"
        "Elena Marsh said the council would pay for the delay."
    )
    assert find(art, "reopen in November").speaker.name == "Elena Marsh", describe(art)
    assert find(art, "running late").speaker.name == "David Marsh", describe(art)
    assert find(art, "pay for the delay").speaker.name == "Elena Marsh", describe(art)


def test_speakers_she_prefers_a_woman_the_article_names_over_a_nearer_unknown(run):
    art = run(
        "On Monday the mayor, Ms Sarah Jones, opened the harbour bridge.\n\n"
        "Crews led by Tom Okafor worked through the night to finish it.\n\n"
        "The first bus crossed at noon.\n\n"
        '"The bridge is safe for every bus in the county," she said.'
    )
    assert find(art, "safe for every bus").speaker.name == "Sarah Jones", describe(art)


def test_speakers_a_name_after_a_title_is_a_person_even_when_tagged_org(run):
    art = run("Denver Hawks general manager Brett Veal said the team would not trade him. Veal said he was happy.")
    first, second = art.attributions
    assert (first.speaker.name, first.speaker.kind) == ("Brett Veal", "person"), describe(art)
    assert (second.speaker.name, second.speaker.kind) == ("Brett Veal", "person"), describe(art)


def test_speakers_an_indefinite_title_in_the_lede_is_the_one_holder(run):
    art = run(
        "A federal judge has ordered Harbour Metals to pay $20 million in damages.\n\n"
        "U.S. District Judge Rodney Gale said the company had hidden the defect.\n\n"
        "A spokesman said the company would appeal."
    )
    assert find(art, "pay $20 million").speaker.name == "Rodney Gale", describe(art)
    assert find(art, "would appeal").speaker is None, describe(art)


def test_speakers_a_leader_is_the_speaker_of_the_discourse_not_a_figure_of_a_comparison(run):
    # the role noun and the pronouns after it belong to the man speaking all along, not to the
    # historical figure he names one paragraph up
    art = run(
        "Russian President Vladimir Putin said on Thursday that the West risked a wider war.\n\n"
        "Visibly angry, Putin urged Western politicians to recall the fate of Adolf Hitler, "
        "who had invaded Russia in 1941.\n\n"
        '"The consequences will be far more tragic now," Putin said.\n\n'
        "The veteran Kremlin leader dismissed talk of an attack on Europe as nonsense. "
        "He also said Moscow would not be dragged into an arms race."
    )
    assert find(art, "talk of an attack").speaker.name == "Vladimir Putin", describe(art)
    assert find(art, "arms race").speaker.name == "Vladimir Putin", describe(art)


@pytest.mark.parametrize("text", [
    "One small, two-month study in 38 people found that skipping breakfast raised blood sugar.",
    "Other studies suggest that drinking water before meals reduces hunger.",
])
def test_speakers_an_anonymous_study_names_no_speaker(run, text):
    art = run("The Harbour Health Institute treats eating disorders.\n\n" + text)
    assert art.attributions and all(a.speaker is None for a in art.attributions), describe(art)


def test_speakers_a_list_of_amounts_after_a_colon_is_no_statement(run):
    art = run("Lunch\n\nPortion Fix Containers: 1 Green, 1 Red, 1 Yellow, 1 tsp.\n\nDinner is lighter.")
    assert not art.attributions, describe(art)


def test_speakers_a_full_name_tagged_once_each_way_is_a_person():
    import spacy
    from spacy.tokens import Span as SpacySpan

    from quotewire.attribution.speakers import _label_votes

    doc = spacy.blank("en")("Kurt Volker said it . Kurt Volker 's aide agreed . The Indiana Statehouse said so . The Indiana Statehouse shut . Indiana voted .")
    # the model's labels as sm gives them: each name once PERSON and once ORG ("Kurt Volker's")
    spans = [(0, 2, "PERSON"), (5, 7, "ORG"), (12, 14, "ORG"), (18, 20, "PERSON"), (22, 23, "GPE")]
    doc.ents = [SpacySpan(doc, s, e, label=lab) for s, e, lab in spans]
    kinds = _label_votes(doc)
    assert kinds["kurt volker"] == "PERSON", kinds
    assert kinds["indiana statehouse"] == "ORG", kinds  # a place's word in it: a building, not a name


def test_speakers_a_proper_noun_modifying_a_common_noun_is_no_one(run):
    # a heading's label names a thing, not a person ("Bubonic" is no speaker)
    art = run("Bubonic plague: A fourth case is confirmed in the mountain villages as clinics fill up")
    assert all(a.speaker is None for a in art.attributions), describe(art)


def test_speakers_the_owner_of_a_person_who_speaks_is_not_the_speaker(run):
    art = run(
        "Mayor Elena Marsh said the harbour bridge would reopen in November.\n\n"
        "Marsh's advisers said the delay had cost the city two million pounds.\n\n"
        "Marsh's statement said the contractor was to blame."
    )
    assert find(art, "cost the city").speaker is None, describe(art)
    assert find(art, "contractor was to blame").speaker.name == "Elena Marsh", describe(art)


def test_speakers_an_abbreviated_title_is_the_title(run):
    art = run(
        "Republican Gov. Eric Holcomb said on Monday that pay would rise next year.\n\n"
        "Teachers union president Keith Gambill said the rise was too small.\n\n"
        "The governor said he would wait for the commission's report."
    )
    a = find(art, "wait for the commission")
    assert a.speaker.name == "Eric Holcomb", describe(art)
    assert "republican governor" in a.speaker.roles, a.speaker.roles


# each: an article, a statement's words, the speaker it resolves to
@pytest.mark.parametrize("text, content, speaker", [
    pytest.param(
        '"We will finish the bridge by May," Mr David Marsh, the mayor, said.\n\n'
        "Tom Okafor was the third engineer to inspect the site on Monday. "
        "He said the steel had rusted badly.",
        "steel had rusted", "Tom Okafor", id="he_is_the_subject_of_the_sentence_before_not_the_last_speaker"),
    # "she" in Ruiz's quote is Ana Lopes; it says nothing of Ruiz, so the later "he" is still his
    pytest.param(
        'Dan Ruiz said, "She will win the race, she is the best." '
        "Ana Lopes trained in Porto for three years.\n\n"
        '"I am ready," he said.',
        "I am ready", "Dan Ruiz", id="a_pronoun_inside_a_quote_gives_the_speaker_no_gender"),
    pytest.param(
        "The NASA team found ice near the lunar south pole.\n\n"
        "NASA said on Monday that it would send two landers there.",
        "two landers", "NASA", id="a_name_modifying_a_noun_does_not_take_its_article"),
    pytest.param(
        "Miss Dana Vale opened the show in Leeds.\n\n"
        "Dana Vale grew up in a mill town, and he left it at sixteen.\n\n"
        "Dana Vale bought a van, and he drove it to London.\n\n"
        "Dana Vale found a flat, and he painted it blue.\n\n"
        "Ms Rita Cole, the producer, watched from the wings.\n\n"
        '"I was always going to do this," he said.',
        "always going to do this", "Dana Vale", id="pronouns_outvote_a_stage_title"),
    pytest.param(
        "Harbour Rovers manager Tom Okafor arrived in Leeds on Thursday.\n\n"
        "League chief executive Anna Berg said the sport was in good health.\n\n"
        "The embattled Harbour Rovers chief said he would not resign.",
        "would not resign", "Tom Okafor", id="a_body_in_the_role_phrase_picks_the_person_titled_with_it"),
    pytest.param(
        "Ms Ann Cole said the harbour levy was fair. Ms Cole said it had worked for years.\n\n"
        "The Chancellor, Mr David Marsh, wants to keep money in reserve for the harbour.\n\n"
        "Mr Marsh is deciding between two small tax cuts.\n\n"
        "Mr Lee Park on Friday visited the harbour with his family.\n\n"
        'Asked about it on Monday, the Prime Minister said: "We chose to cut the levy for many reasons."',
        "chose to cut the levy", "Lee Park", id="a_title_no_one_holds_is_the_subject_of_the_sentence_before"),
])
def test_speakers_resolve(run, text, content, speaker):
    art = run(text)
    assert find(art, content).speaker.name == speaker, describe(art)


def test_speakers_lawyers_for_a_person_are_not_that_person(run):
    art = run(
        "Joshua Harman sued the company in 2012.\n\n"
        "On Monday, lawyers for Harman said the changes made the rails unsafe."
    )
    assert find(art, "made the rails unsafe").speaker is None, describe(art)


def test_speakers_a_nationality_with_the_is_the_person_not_a_group(run):
    art = run(
        "India coach Wim Koevermans, who is Dutch, said the team had improved.\n\n"
        "The Dutchman admitted that his players could not execute the plans."
    )
    assert find(art, "could not execute").speaker.name == "Wim Koevermans", describe(art)


def test_speakers_a_left_quote_apostrophe_is_no_part_of_the_name(run):
    art = run("Senator Ann Biden said the plan would pass. Biden‘s office said the vote was set for May.")
    assert {a.speaker.name for a in art.attributions if a.speaker} == {"Ann Biden"}, describe(art)


def test_speakers_a_clause_hung_on_the_source_names_no_speaker():
    from quotewire.attribution.speakers import mention_tokens
    from quotewire.nlp import load

    doc = load()(
        "SEOUL, May 22 (Yonhap) -- South Korea's unification minister called on North Korean leader Kim Jong-un "
        "to cease the country's provocative acts, stressing that Seoul has no hostile intentions."
    )
    head = next(t for t in doc if t.text == "minister")
    assert any(c.dep_ == "acl" for c in head.children)  # the parse this guards against
    words = {t.text for t in mention_tokens(head)}
    assert "Kim" not in words and "minister" in words


def test_speakers_the_woman_is_the_last_person_not_the_last_organisation(run):
    art = run(
        "Gal Abdush said she had been pressured into giving the interview.\n\n"
        "The Times said it stood by its reporting.\n\n"
        "The woman said that the reporters had pressured her."
    )
    assert find(art, "reporters had pressured her").speaker.name == "Gal Abdush", describe(art)


def test_speakers_a_name_hyphened_onto_a_modifier_names_no_one(run):
    art = run(
        "George Bush left office in 2009.\n\n"
        "The Bush-era whistleblower said that the public knows almost nothing about the programme."
    )
    assert find(art, "knows almost nothing").speaker is None, describe(art)


def test_speakers_he_after_a_speaker_the_model_did_not_tag_is_that_speaker(nlp, run):
    # a surname the small model tags as no entity, met again as a speaker, is the subject of the
    # sentence before, not the person named inside what he said
    text = (
        "Dana Whitcombe answered the panel's questions on Monday.\n\n"
        '"The inquiry moves to its second stage, which will be open to the public," Comer said.\n\n'
        'Comer stressed that Dana Whitcombe and his lawyers have "asked" for an open session.\n\n'
        '"As I said before the interview, we will hold an open session next," he explained.'
    )
    assert all(t.ent_type_ != "PERSON" for t in nlp(text) if t.text == "Comer")  # the case this guards
    art = run(text)
    assert find(art, "open session next").speaker.name == "Comer", describe(art)
