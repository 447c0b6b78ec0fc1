"""Group: build_book is a pure function from an Edition and its entries to parts → chapters → entries."""
from __future__ import annotations

from pathlib import Path

from compendium.book.group import build_book, entry_sort_key
from compendium.book.stats import as_csv, as_text, overview
from compendium.input import countries
from compendium.model import Edition, Entry, Source, Theme

THEMES = (Theme("service-delivery", "Service Delivery", "Better services."), Theme("participation", "Participation"),
          Theme("gender", "Gender"))
REGIONS = ("Africa", "Asia and the Pacific", "Europe and North America", "Latin America and the Caribbean",
           "Western Asia")


def make_edition(group_by=("theme", "region"), regions=REGIONS) -> Edition:
    return Edition(root=Path("/nowhere"), source=Source("compendium.yaml", 1, 1), title="T", edition=2012,
                   themes=THEMES, regions=regions, group_by=group_by)


def make_entry(entry_id: str, theme: str, country: str, place: str = "winner", title: str = "", region: str = "") -> Entry:
    c = countries.lookup(country)
    return Entry(id=entry_id, year=2012, title=title or entry_id, country=c, region=region or c.region,
                 institution="I", theme=next(t for t in THEMES if t.id == theme), place=place, language="",
                 summary="s", sections=(), source=Source(f"entries/{entry_id}.yaml", 1, 1))


ENTRIES = [
    make_entry("ke-a", "service-delivery", "KE", "2nd"),
    make_entry("br-a", "service-delivery", "BR", "1st"),
    make_entry("ma-a", "service-delivery", "MA", "1st"),
    make_entry("kr-a", "participation", "KR", "winner"),
    make_entry("bh-a", "participation", "BH", "1st"),
    make_entry("eg-a", "participation", "EG", "3rd"),
]


def shape(book):
    return [(p.kind, p.key, p.title, [(c.kind, c.key, c.title, [e.id for e in c.entries]) for c in p.chapters])
            for p in book.parts]


def test_parts_by_theme_then_chapters_by_region_in_edition_order():
    book = build_book(make_edition(), ENTRIES)
    assert shape(book) == [
        ("theme", "service-delivery", "Service Delivery", [
            ("region", "africa", "Africa", ["ma-a", "ke-a"]),
            ("region", "latin-america-and-the-caribbean", "Latin America and the Caribbean", ["br-a"]),
        ]),
        ("theme", "participation", "Participation", [
            ("region", "africa", "Africa", ["eg-a"]),
            ("region", "asia-and-the-pacific", "Asia and the Pacific", ["kr-a"]),
            ("region", "western-asia", "Western Asia", ["bh-a"]),
        ]),
    ]
    assert book.parts[0].description == "Better services."
    assert [e.id for e in book.entries] == ["ma-a", "ke-a", "br-a", "eg-a", "kr-a", "bh-a"]
    assert book.edition.title == "T"


def test_region_then_theme():
    book = build_book(make_edition(("region", "theme")), ENTRIES)
    assert shape(book) == [
        ("region", "africa", "Africa", [
            ("theme", "service-delivery", "Service Delivery", ["ma-a", "ke-a"]),
            ("theme", "participation", "Participation", ["eg-a"]),
        ]),
        ("region", "asia-and-the-pacific", "Asia and the Pacific", [("theme", "participation", "Participation", ["kr-a"])]),
        ("region", "latin-america-and-the-caribbean", "Latin America and the Caribbean", [
            ("theme", "service-delivery", "Service Delivery", ["br-a"])]),
        ("region", "western-asia", "Western Asia", [("theme", "participation", "Participation", ["bh-a"])]),
    ]
    assert book.parts[1].chapters[0].description == ""


def test_edition_order_not_alphabetical():
    edition = make_edition(regions=("Western Asia", "Africa", "Asia and the Pacific", "Latin America and the Caribbean"))
    book = build_book(edition, list(reversed(ENTRIES)))
    assert [c.title for c in book.parts[1].chapters] == ["Western Asia", "Africa", "Asia and the Pacific"]
    assert [p.key for p in build_book(edition, ENTRIES).parts] == ["service-delivery", "participation"]


def test_entries_by_place_then_country_then_title():
    entries = [
        make_entry("z1", "gender", "ZA", "winner", "Alpha"),
        make_entry("k2", "gender", "KE", "1st", "Zulu"),
        make_entry("k1", "gender", "KE", "1st", "alpha"),
        make_entry("e1", "gender", "EG", "1st", "Omega"),
        make_entry("m1", "gender", "MA", "special", "A"),
        make_entry("n1", "gender", "NG", "finalist", "A"),
        make_entry("g1", "gender", "GH", "3rd", "A"),
        make_entry("c1", "gender", "CI", "2nd", "A"),
    ]
    book = build_book(make_edition(), entries)
    (part,) = book.parts
    (chapter,) = part.chapters
    # 1st (Egypt, then Kenya by title, case-insensitive), 2nd, 3rd, winner, finalist, special
    assert [e.id for e in chapter.entries] == ["e1", "k1", "k2", "c1", "g1", "z1", "n1", "m1"]


def test_same_place_country_and_title_falls_back_to_id():
    a, b = make_entry("b-id", "gender", "KE", title="Same"), make_entry("a-id", "gender", "KE", title="Same")
    assert [e.id for e in build_book(make_edition(), [a, b]).entries] == ["a-id", "b-id"]
    assert entry_sort_key(b) < entry_sort_key(a)


def test_country_order_is_by_name_not_code():
    # Côte d'Ivoire (CI) sorts by its name, after Cameroon (CM) and before Egypt (EG)
    entries = [make_entry("eg", "gender", "EG", "1st"), make_entry("ci", "gender", "CI", "1st"),
               make_entry("cm", "gender", "CM", "1st")]
    assert [e.id for e in build_book(make_edition(), entries).entries] == ["cm", "ci", "eg"]


def test_empty_groups_are_omitted():
    book = build_book(make_edition(), [make_entry("bh", "participation", "BH")])
    assert shape(book) == [("theme", "participation", "Participation", [("region", "western-asia", "Western Asia", ["bh"])])]


def test_no_entries_no_parts():
    book = build_book(make_edition(), [])
    assert book.parts == () and book.entries == ()


def test_entry_region_overrides_country_region():
    book = build_book(make_edition(), [make_entry("eg", "gender", "EG", region="Western Asia")])
    assert book.parts[0].chapters[0].title == "Western Asia"


def test_build_book_does_not_mutate_its_input():
    entries = list(ENTRIES)
    build_book(make_edition(), entries)
    assert entries == ENTRIES


def test_counts_and_overview():
    book = build_book(make_edition(), ENTRIES)
    assert book.counts() == {("service-delivery", "Africa"): 2, ("service-delivery", "Latin America and the Caribbean"): 1,
                             ("participation", "Africa"): 1, ("participation", "Asia and the Pacific"): 1,
                             ("participation", "Western Asia"): 1}
    ov = overview(book)
    assert ov.cells == ((2, 0, 0, 1, 0), (1, 1, 0, 0, 1), (0, 0, 0, 0, 0))
    assert ov.row_totals == (3, 3, 0) and ov.column_totals == (3, 1, 0, 1, 1) and ov.total == 6
    assert as_csv(ov).splitlines() == [
        "theme,Africa,Asia and the Pacific,Europe and North America,Latin America and the Caribbean,Western Asia,total",
        "service-delivery,2,0,0,1,0,3", "participation,1,1,0,0,1,3", "gender,0,0,0,0,0,0", "total,3,1,0,1,1,6"]
    lines = as_text(ov).splitlines()
    assert lines[0].split("  ")[0] == "Theme \\ Region" and lines[0].endswith("Total")
    assert lines[-1].split() == ["Total", "3", "1", "0", "1", "1", "6"]
    assert lines[2].split()[-6:] == ["2", "0", "0", "1", "0", "3"]


def test_overview_of_an_empty_book():
    ov = overview(build_book(make_edition(), []))
    assert ov.total == 0 and ov.column_totals == (0, 0, 0, 0, 0) and ov.row_totals == (0, 0, 0)
