"""The book's voice: dates, numbers, plurals, lists, direction, ISBNs and quotation marks from
CLDR / the ISBN agency, and the shared words (imprint, overview table, facts, credits)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from compendium.book.facts import credit_line, entry_facts, imprint, makers, overview_table, title_page
from compendium.book.labels import labels, plural_category
from compendium.book.stats import Overview
from compendium.book.text import parse, plain
from compendium.book.typography import educate
from compendium.book.voice import format_isbn, quotes, script, text_direction, voice
from compendium.model import Edition, Entry, Image, Source, text_dir

DAY = date(2012, 6, 23)


@pytest.mark.parametrize(("tag", "expected"), [
    ("en", "23 June 2012"), ("en-US", "June 23, 2012"), ("fr", "23 juin 2012"), ("es", "23 de junio de 2012"),
    ("ru", "23 июня 2012\u202fг."), ("zh", "2012年6月23日"), ("ar", "23 يونيو 2012"), ("tlh", "23 June 2012"),
])
def test_long_dates_follow_cldr(tag, expected):
    assert voice(tag).date(DAY) == expected


@pytest.mark.parametrize(("tag", "expected"), [("en", "12,345"), ("fr", "12\u202f345"), ("es", "12.345"),
                                               ("ru", "12\xa0345"), ("zh", "12,345")])
def test_numbers_group_digits_as_the_language_does(tag, expected):
    assert voice(tag).number(12345) == expected
    assert voice(tag).cell(0) == "–"


@pytest.mark.parametrize(("tag", "n", "category"), [
    ("en", 1, "one"), ("en", 2, "other"), ("fr", 0, "one"), ("fr", 2, "other"), ("ru", 21, "one"),
    ("ru", 3, "few"), ("ru", 11, "many"), ("ar", 0, "zero"), ("ar", 2, "two"), ("ar", 105, "few"),
    ("ar", 11, "many"), ("ar", 100, "other"), ("zh", 1, "other"), ("pl", 5, "many"), ("cy", 3, "few"),
])
def test_plural_categories_come_from_cldr(tag, n, category):
    assert plural_category(tag, n) == category  # Polish and Welsh too, not only the six UN languages


@pytest.mark.parametrize(("tag", "direction"), [
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ckb", "rtl"), ("ku", "ltr"), ("ku-Arab", "rtl"),
    ("az-Arab", "rtl"), ("en", "ltr"), ("zh", "ltr"), ("", "ltr"), ("xx-Hebr", "rtl"), ("tlh", "ltr"),
])
def test_direction_comes_from_cldr(tag, direction):
    assert text_direction(tag) == direction
    assert text_dir(tag) == direction  # the model asks the voice


def test_lists_and_scripts():
    assert voice("en").join(["A", "B", "C"]) == "A, B and C"  # international English: no serial comma
    assert voice("fr").join(["A", "B"]) == "A et B"
    assert voice("zh").separator == "、"
    assert (script("zh-TW"), script("sr"), script("ar")) == ("Hant", "Cyrl", "Arab")
    assert voice("ru").italic and not voice("zh").italic and not voice("ar").italic


@pytest.mark.parametrize(("text", "found"), [
    ("Public service delivery", ["Latn"]),
    ("Служба «одного окна» in Kazan", ["Cyrl", "Latn"]),  # 14 Cyrillic letters, 5 Latin: both over a tenth
    ("中国国家政务服务平台 (the National Government Service Platform, 2019)", ["Hani", "Latn"]),
    ("منصة الخدمات الحكومية eGov", ["Arab", "Latn"]),
    ("منصة الخدمات الحكومية الموحدة للمواطنين والمقيمين في المملكة e", ["Arab"]),  # one Latin letter in 50
    ("Ελληνικά καί Éire ß ø", ["Grek", "Latn"]),  # Latin letters outside ASCII count as Latin
    ("2019 — 45 %, 12.5", []),  # no letters: no script
    ("", []),
])
def test_the_main_scripts_of_a_text_are_those_of_a_tenth_of_its_letters(text, found):
    from compendium.book.scripts import main_scripts

    assert main_scripts(text) == found
    assert main_scripts(text * 1000) == found  # a site's text: long, counted the same


@pytest.mark.parametrize(("isbn", "printed"), [
    ("9789211231946", "978-92-1-123194-6"),  # United Nations
    ("9780306406157", "978-0-306-40615-7"),
    ("9791032305690", "979-10-323-0569-0"),
    ("978-92-1-123194-6", "978-92-1-123194-6"),
])
def test_isbn_hyphenated_by_registration_group(isbn, printed):
    assert format_isbn(isbn) == printed


# ---------------------------------------------------------------------------- quotation marks


@pytest.mark.parametrize(("tag", "typed", "printed"), [
    ("en", 'He said "yes" and \'no\'.', "He said “yes” and ‘no’."),
    ("en", "It's the members' choice in the '90s.", "It’s the members’ choice in the ’90s."),
    ("fr", 'Il a dit "oui" à l\'État.', "Il a dit «\u202foui\u202f» à l’État."),
    ("fr-CH", 'Il a dit "oui".', "Il a dit «oui»."),
    ("de", 'Er sagte "Hallo \'Welt\'".', "Er sagte „Hallo ‚Welt‘“."),
    ("ru", 'Он сказал "да".', "Он сказал «да»."),
    ("zh-Hant", '他說"好"。', "他說「好」。"),
    ("en", '("quoted") and "—"', "(“quoted”) and “—”"),
    ("en", 'A 5"5 screen', 'A 5"5 screen'),  # between digits: not a quotation
    ("he", 'צה"ל אמר "שלום" ו-ג\' כאן', 'צה"ל אמר ”שלום” ו-ג\' כאן'),  # acronym and geresh kept, quotes made
])
def test_straight_quotes_become_the_languages_marks(tag, typed, printed):
    assert educate(typed, quotes(tag)) == printed


def test_quotes_in_the_tree_spare_code_urls_and_attributes():
    md = ('"Quoted *emphasis*" and `"code"` and [a "link"](https://e.org/?q="x" "a \\"title\\"") '
          'and <https://e.org/?a="b"> and https://e.org/"bare" and <b class="x">tag</b> it\'s\n\n'
          '```\nprint("block")\n```')
    tree = parse(md, "en")
    para, code = tree.children
    assert para.children[0] == "“Quoted "
    assert para.children[1].children == ("emphasis",) and para.children[2].startswith("” and ")
    assert para.children[3].children == ('"code"',)  # code span
    link = para.children[5]
    assert link.children == ("a “link”",) and link.attrs == {"url": "https://e.org/?q=%22x%22", "title": 'a "title"'}
    text = plain(tree)
    assert 'https://e.org/?a="b"' in text and 'https://e.org/"bare"' in text and '<b class="x">' in text
    assert "it’s" in text
    assert code.children == ('print("block")\n',)
    assert parse(md) is not tree and '"Quoted ' in plain(parse(md))  # without a language: as typed


@pytest.mark.parametrize("md, printed", [
    ("Said &quot;yes&quot; &amp; left", "Said “yes” & left"),  # quotes typed as entities
    ("The members&#39; vote", "The members’ vote"),
    ('Lists:\n\n- one "a"\n- two\n\n> the people\'s', "Lists: one “a” two the people’s"),  # nested blocks
])
def test_quotes_however_typed_become_marks(md, printed):
    assert plain(parse(md, "en")) == printed


def test_text_without_quotes_keeps_its_tree_and_a_block_without_them_is_shared():
    md = "No quote here, *none* at all.\n\n- an item\n- another"
    assert parse(md, "en") is parse(md)  # nothing to make typographic: the parsed tree itself
    md = "First block, plain.\n\nSecond: it's \"quoted\"."
    typed, made = parse(md), parse(md, "en")
    assert made.children[0] is typed.children[0]  # the plain block is not copied
    assert made.children[1] != typed.children[1] and plain(made).endswith("it’s “quoted”.")


# ---------------------------------------------------------------------------- the shared words


def _edition(**changes) -> Edition:
    base = Edition(root=None, source=Source("compendium.yaml"), title="Awards", edition=2012, themes=(),  # type: ignore[arg-type]
                   subtitle="Compendium", publisher="UN DESA", isbn="9789211231946", license="CC BY 4.0",
                   editors=("A", "B"), date=DAY)
    return replace(base, **changes)


def test_imprint_lines_in_order():
    lines = imprint(_edition())
    assert [(line.kind, line.text) for line in lines] == [
        ("disclaimer", labels("en")["disclaimer"]), ("note", labels("en")["descriptions_note"]),
        ("isbn", "ISBN 978-92-1-123194-6"), ("copyright", "© UN DESA, 2012"), ("licence", "Licence: CC BY 4.0"),
        ("date", "Publication date: 23 June 2012"), ("editors", "Edited by A and B"),
        ("typefaces", "Set in Noto Serif and Noto Sans.")]
    french = {line.kind: line.text for line in imprint(_edition(language="fr"))}
    assert french["date"] == "Date de publication : 23 juin 2012" and french["editors"] == "Sous la direction de A et B"
    bare = [line.kind for line in imprint(_edition(publisher="", isbn="", license="", editors=(), date=None))]
    assert bare == ["disclaimer", "note", "typefaces"]


def test_a_united_nations_imprint_in_the_un_order():
    """A UN publication's imprint (the reviewer's order): mission, the Secretariat's disclaimer in full,
    symbol, sales number, ISBN, eISBN, '© United Nations, 2012. All rights reserved', printer."""
    un = _edition(publisher="United Nations", place="New York", license="All rights reserved", disclaimer="united-nations",
                  about_publisher="The Department  of Economic\nand Social Affairs...", symbol="ST/ESA/PAD/SER.E/180",
                  sales_number="E.12.II.H.2", eisbn="9789210554114", printer="Printed at the United Nations, New York",
                  editors=())
    lines = [(line.kind, line.text) for line in imprint(un)]
    assert [kind for kind, _ in lines] == ["about", "disclaimer", "note", "symbol", "sales", "isbn", "eisbn", "copyright",
                                          "date", "printer", "typefaces"]
    text = dict(lines)
    assert text["about"] == "The Department of Economic and Social Affairs..."
    assert text["disclaimer"].endswith("on the part of the Secretariat of the United Nations concerning the legal status "
                                       "of any country, territory, city or area or of its authorities, or concerning the "
                                       "delimitation of its frontiers or boundaries.")
    assert text["sales"] == "United Nations publication, Sales No. E.12.II.H.2"
    assert text["eisbn"] == "eISBN 978-92-1-055411-4"
    assert text["copyright"] == "© United Nations, 2012. All rights reserved"
    for lang, words in (("fr", "Secrétariat de l'Organisation des Nations Unies"), ("es", "Secretaría de las Naciones Unidas"),
                        ("ru", "Секретариата Организации Объединенных Наций")):
        assert words in dict((line.kind, line.text) for line in imprint(replace(un, language=lang)))["disclaimer"]
    # Arabic and Chinese: the Secretariat's wording is not in the labels yet; the publisher's is printed
    assert dict((line.kind, line.text) for line in imprint(replace(un, language="ar")))["disclaimer"] == \
        labels("ar")["disclaimer"]
    assert [kind for kind, _ in ((line.kind, line.text) for line in imprint(replace(un, disclaimer="none")))
            if kind == "disclaimer"] == []
    page = title_page(un)
    assert (page.title, page.foot) == ("Awards", "United Nations • New York, 2012")
    assert makers(un) == ("United Nations",) and makers(replace(un, issued_by=("DESA",))) == ("DESA",)


def test_overview_table_in_the_books_words():
    ov = Overview((("a", "Delivery"), ("b", "Participation")), ("Africa", "Asia"), ((3, 0), (1200, 2)))
    table = overview_table(ov, "fr")
    assert (table.caption, table.corner, table.total_label) == (
        "Tableau 1. Initiatives par catégorie et par région", "Catégorie", "Total")
    assert overview_table(ov, "fr", numbered=False).caption == "Initiatives par catégorie et par région"
    assert overview_table(ov, "en").chart_title == "Figure 1. Initiatives by category and region"
    assert table.rows == (("Delivery", ("3", "–"), "3"), ("Participation", ("1\u202f200", "2"), "1\u202f202"))
    assert table.column_totals == ("1\u202f203", "2") and table.grand_total == "1\u202f205"
    assert table.note == "Un tiret (–) signifie néant."
    empty = overview_table(Overview((("a", "Delivery"), ("b", "Gender")), ("Africa", "Asia"), ((3, 0), (0, 0))), "en")
    assert empty.rows[1] == ("Gender", ("–", "–"), "–") and empty.column_totals == ("3", "–")  # none: a dash, as said
    assert empty.grand_total == "3"


def test_entry_facts_and_credit(project):
    from compendium.output.build import load_book

    book, _ = load_book(project)
    entry: Entry = replace(book.entries[0], keywords=("one", "two"))
    assert [(k, label) for k, label, _ in entry_facts(entry, labels("en"))] == [
        ("country", "Country"), ("region", "Region"), ("category", "Category"), ("award", "Award"),
        ("institution", "Institution"), ("keywords", "Keywords")]
    assert entry_facts(entry, labels("en"))[-1][2] == "one, two"
    assert [label for _, label, _ in entry_facts(entry, labels("ar"))][:3] == ["البلد", "المنطقة", "الفئة"]
    image = Image(path=None, rel="x.png", alt="x", credit="UN Photo")  # type: ignore[arg-type]
    assert credit_line(image, labels("en")) == "Source: UN Photo"
    assert credit_line(image, labels("fr")) == "Source : UN Photo"
    assert credit_line(image, labels("ar")) == "المصدر: UN Photo"
