"""Books across editions (pure): a retrospective by theme then year, or region then country; its overview."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from compendium.book.group import build_retrospective, cross_themes, follow_ups, series_book
from compendium.book.stats import as_csv, as_json, as_text, overview
from compendium.input.series import validate_series
from compendium.model import Retrospective
from tests.helpers import REPO, entry, write


def _load(root: Path):
    result = validate_series(root)
    assert result.errors == (), result.errors
    return result.series, result.books()


@pytest.fixture
def three_years(series):
    """2012 (knowledge-management, mapped to whole-of-government; participation, a category of its own),
    2013 and 2014 with entries from several countries and regions."""
    write(series, "compendium.yaml", (series / "compendium.yaml").read_text().replace('"2013"]', '"2013", 2014]'))
    write(series, "2012/compendium.yaml", "edition: 2012\nthemes:\n  - {id: service-delivery, name: Delivery}\n"
          "  - {id: knowledge-management, name: Knowledge Management}\n  - {id: participation, name: Participation}\n")
    write(series, "2014/compendium.yaml", "edition: 2014\n")
    write(series, "2012/entries/br.yaml", entry(2012, "2012-br", title="Poupatempo", country="BR",
                                                category="service-delivery", place="2nd"))
    write(series, "2012/entries/rw.yaml", entry(2012, "2012-rw", title="Imihigo", country="RW", category="participation"))
    write(series, "2014/entries/ke.yaml", entry(2014, "2014-ke", title="Huduma 2", follows="[2012-ke-one-stop, 2013-ke-one-stop]",
                                                category="whole-of-government"))
    write(series, "2014/entries/bh.yaml", entry(2014, "2014-bh", title="Zajel", country="BH", category="service-delivery"))
    return series


def test_by_theme_then_year(three_years):
    s, books = _load(three_years)
    book = build_retrospective(s, Retrospective("r", "R", (2012, 2013, 2014), s.source), books)
    outline = [(p.title, [(c.title, [e.id for e in c.entries]) for c in p.chapters]) for p in book.parts]
    assert outline == [
        ("Improving the Delivery of Public Services", [("2012", ["2012-br"]), ("2013", ["2013-ke-one-stop"]),
                                                       ("2014", ["2014-bh"])]),
        ("Whole of Government", [("2012", ["2012-ke-one-stop"]), ("2014", ["2014-ke"])]),  # knowledge-management, mapped
        ("Participation", [("2012", ["2012-rw"])]),  # a category of 2012 only keeps its own part, after today's
    ]
    assert [(p.kind, p.key) for p in book.parts][1] == ("theme", "whole-of-government")
    assert {c.kind for p in book.parts for c in p.chapters} == {"year"}
    # an entry keeps the category it won in; the part is today's
    zajel = next(e for e in book.entries if e.id == "2012-ke-one-stop")
    assert zajel.theme.id == "knowledge-management" and book.edition.theme_of(zajel).id == "whole-of-government"
    assert book.edition.label == "2012\u20132014" and book.edition.file_stem == "r" and book.edition.edition == 2014


def test_by_region_then_country(three_years):
    s, books = _load(three_years)
    book = build_retrospective(s, Retrospective("r", "R", (2012, 2014), s.source, ("region", "country")), books)
    outline = [(p.title, [(c.title, [e.id for e in c.entries]) for c in p.chapters]) for p in book.parts]
    assert outline == [
        ("Africa", [("Kenya", ["2012-ke-one-stop", "2014-ke"]), ("Rwanda", ["2012-rw"])]),  # oldest first
        ("Latin America and the Caribbean", [("Brazil", ["2012-br"])]),
        ("Western Asia", [("Bahrain", ["2014-bh"])]),
    ]
    assert [c.key for p in book.parts for c in p.chapters] == ["ke", "rw", "br", "bh"]
    assert all(e.year != 2013 for e in book.entries)  # 2013 is not in this one


def test_overview_counts_winners_per_theme_and_year(three_years):
    s, books = _load(three_years)
    book = build_retrospective(s, Retrospective("r", "R", (2012, 2013, 2014), s.source), books)
    ov = overview(book)
    assert ov.kind == "year" and ov.regions == ("2012", "2013", "2014")
    assert [name for _, name in ov.themes] == ["Improving the Delivery of Public Services", "Whole of Government",
                                               "Participation"]
    assert ov.cells == ((1, 1, 1), (1, 0, 1), (1, 0, 0)) and ov.total == 6 and ov.column_totals == (3, 1, 2)
    assert as_text(ov).startswith("Theme \\ Year")
    assert as_csv(ov).splitlines()[0] == "theme,2012,2013,2014,total"
    assert '"years": [\n    2012,' in as_json(ov)


def test_the_whole_series_as_one_book_and_the_follow_ups(three_years):
    s, books = _load(three_years)
    whole = series_book(s, books)
    assert whole.edition.years == (2012, 2013, 2014) and len(whole.entries) == 6
    assert [t.id for t in cross_themes(s)] == ["service-delivery", "whole-of-government", "participation"]
    assert follow_ups(whole.entries) == {"2012-ke-one-stop": ("2013-ke-one-stop", "2014-ke"),
                                         "2013-ke-one-stop": ("2014-ke",)}


def test_a_retrospective_takes_the_forms_of_the_editions_it_spans(three_years):
    write(three_years, "2014/compendium.yaml", "edition: 2014\nsections:\n  - {id: problem}\n  - {id: solution}\n"
          "  - {id: impact}\n  - {id: lessons}\n  - {id: next-steps, title: Next steps, required: false}\n")
    s, books = _load(three_years)
    retro = Retrospective("r", "R", (2012, 2014), s.source, editors=("A. Editor",))
    book = build_retrospective(s, retro, books)
    assert [x.id for x in book.edition.sections] == ["problem", "solution", "impact", "lessons", "next-steps"]
    assert book.edition.editors == ("A. Editor",) and book.edition.publisher == "Test Publisher"
    assert replace(retro, editors=()).editors == () and build_retrospective(
        s, replace(retro, editors=()), books).edition.editors == s.settings.editors


def test_the_sample_retrospective():
    result = validate_series(REPO)
    (retro,) = result.series.retrospectives
    book = build_retrospective(result.series, retro, result.books())
    assert [p.title for p in book.parts][3] == "Promoting Whole of Government Approaches in the Information Age"
    assert [c.title for c in book.parts[3].chapters] == ["2012", "2013"]
    assert "2012-bh-zajel" in {e.id for e in book.parts[3].entries}
    assert follow_ups(book.entries) == {"2012-bh-zajel": ("2013-bh-zajel-whole-of-government",)}


def test_what_an_entry_says_of_the_other_years(three_years):
    """book.facts, shared by the PDF and the EPUB: the category an entry won in, with today's theme when
    a retrospective files it under another; the award line with its year in a retrospective only; the
    follow-ups both ways as far as the book knows them (its entries, Book.related), linked to those it holds."""
    from compendium.book.facts import award_line, category_line, category_shown, entry_facts, follow_ups
    from compendium.book.group import build_book, with_related
    from compendium.book.labels import labels

    words = labels("en")
    s, books = _load(three_years)
    everyone = [e for _, found in books for e in found]
    retro = with_related(build_retrospective(s, Retrospective("r", "R", (2012, 2014), s.source), books), everyone)
    by_id = {e.id: e for e in retro.entries}
    old, ke, br = by_id["2012-ke-one-stop"], by_id["2014-ke"], by_id["2012-br"]
    assert category_line(old, retro.edition, words) == "Knowledge Management (today: Whole of Government)"
    assert category_shown(old, retro.edition) and not category_shown(ke, retro.edition)
    assert dict((k, v) for k, _, v in entry_facts(old, words, retro.edition))["category"] == category_line(
        old, retro.edition, words)
    assert award_line(br, words, retro.edition) == "Second place, Latin America and the Caribbean, 2012"
    assert dict((k, v) for k, _, v in entry_facts(br, words, retro.edition))["award"] == "Second place, 2012"
    # 2013 is not in this retrospective: its entry is named, not linked
    assert [e.id for e in retro.related] == ["2013-ke-one-stop"]
    assert [(f.term, f.title + f.after, f.linked) for f in follow_ups(ke, retro, words)] == [
        ("Follows up", f"{old.title} (2012)", True), ("Follows up", f"{retro.related[0].title} (2013)", False)]
    assert [(f.term, f.title + f.after, f.linked) for f in follow_ups(old, retro, words)][-1] == (
        "Followed up in 2014", "Huduma 2", True)
    by_region = build_retrospective(s, Retrospective("r", "R", (2012, 2014), s.source, ("region", "country")), books)
    assert category_shown(ke, by_region.edition)  # no part names the category: the header does

    # an edition: no year, no theme of today; the other editions' entries only when the series gives them
    edition_2014, found = books[-1]
    alone = build_book(edition_2014, found)
    ke = next(e for e in alone.entries if e.id == "2014-ke")
    assert award_line(ke, words, alone.edition) == f"{words.place(ke.place)}, {ke.region}"
    assert category_line(ke, alone.edition, words) == ke.theme.name
    assert follow_ups(ke, alone, words) == ()
    known = with_related(alone, everyone)
    assert [(f.year, f.linked) for f in follow_ups(ke, known, words)] == [(2012, False), (2013, False)]


def test_a_retrospective_prints_the_typographic_quotes_its_editions_print(three_years):
    """The one-line fields of a retrospective's entries (titles, institutions, keywords, categories) get the
    quotes and apostrophes an edition's book gives them: the same entry reads the same in both books."""
    from compendium.book.group import build_book

    write(three_years, "2012/compendium.yaml", "edition: 2012\nthemes:\n  - {id: service-delivery, name: \"People's Delivery\"}\n"
          "  - {id: knowledge-management, name: Knowledge Management}\n  - {id: participation, name: Participation}\n")
    write(three_years, "2012/entries/br.yaml", entry(2012, "2012-br", title="The Citizens' \"One-Stop\" Hall", country="BR",
                                                       category="service-delivery", place="2nd"))
    s, books = _load(three_years)
    retro = build_retrospective(s, Retrospective("r", "R", (2012, 2013, 2014), s.source), books)
    edition_2012 = build_book(*next((ed, found) for ed, found in books if ed.edition == 2012))
    in_retro = next(e for e in retro.entries if e.id == "2012-br")
    in_edition = next(e for e in edition_2012.entries if e.id == "2012-br")
    assert in_retro.title == in_edition.title == "The Citizens’ “One-Stop” Hall"
    assert in_retro.theme.name == in_edition.theme.name == "People’s Delivery"  # the category it won in, typeset
    printed = " ".join([e.title + e.institution + e.theme.name + " ".join(e.keywords) for e in retro.entries])
    assert "'" not in printed and '"' not in printed


def test_the_abbreviations_meanings_get_typographic_quotes():
    """The sample 2012 edition's "National Women's Institute" prints with an apostrophe, not a typewriter quote."""
    from compendium.output.build import load_book

    book, _ = load_book(REPO / "2012", publishing=False)
    meanings = [long for _, long in book.edition.abbreviations]
    assert any("National Women’s Institute" in m for m in meanings)
    assert not any("'" in m or '"' in m for m in meanings)
