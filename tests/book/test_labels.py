"""Labels: the words compendium prints follow the book's language (compendium.book.labels), in every format."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest

from compendium.book.labels import LANGUAGES, labels, plural_category, table
from compendium.model import PLACE_LABELS, PLACES, SECTION_TITLES, SECTIONS
from compendium.output.build import build
from tests.helpers import EDITION, ENTRY, write

# every English key, and the counted nouns' categories each language's plural rules can produce
COUNTS = range(112)


def book(root: Path, language: str, entry_language: str = "") -> Path:
    write(root, "compendium.yaml", EDITION + f"language: {language}\n")
    entry = ENTRY + (f"language: {entry_language}\n" if entry_language else "")
    write(root, "entries/ke-one-stop.yaml", entry)
    return root


def pdf_text(out: Path) -> str:
    (pdf,) = out.glob("*.pdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def epub_entry(out: Path) -> str:
    (epub,) = out.glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        texts = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")]
    return next(t for t in texts if 'class="entry-meta"' in t)


def html_entry(out: Path) -> str:
    return (out / "html/entries/ke-one-stop.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the table


def test_every_language_has_every_key():
    en = table()["en"]
    for lang in LANGUAGES:
        missing = [k for k in en if k not in table()[lang] and not _optional_plural(k) and k not in UNSOURCED.get(lang, ())]
        assert not missing, f"{lang}: no translation for {missing}"


# The United Nations Secretariat's standard disclaimer is given only in the languages its wording could be
# sourced in (README, `disclaimer`); an Arabic or Chinese book prints the publisher's wording instead.
UNSOURCED: dict[str, tuple[str, ...]] = {"ar": ("disclaimer_un",), "zh": ("disclaimer_un",)}


def _optional_plural(key: str) -> bool:
    """Counted nouns need only the plural categories the language uses (.other is required)."""
    return bool(re.fullmatch(r"\w+\.(zero|one|two|few|many)", key))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_counted_nouns_cover_the_languages_plural_categories(lang):
    words = labels(lang)
    for noun in ("initiatives", "countries", "categories", "regions"):
        assert f"{noun}.other" in table()[lang]
        for n in COUNTS:
            text = words.count(noun, n)
            assert "{" not in text
            category = plural_category(lang, n)
            if category in ("one", "two") and lang == "ar":
                continue  # Arabic spells one and two out ("مبادرة واحدة", "مبادرتان")
            assert str(n) in text


def test_english_source_is_the_model():
    en = labels("en")
    assert [en.section(k) for k in SECTIONS] == [SECTION_TITLES[k] for k in SECTIONS]
    assert [en.place(p) for p in PLACES] == [PLACE_LABELS[p] for p in PLACES]


def test_primary_subtag_and_fallback():
    assert labels("fr-CA").section("problem") == "Le problème"
    assert labels("zh-Hans").section("lessons") == "经验教训"
    assert labels("ES").place("1st") == "Primer lugar"
    sw = labels("sw")  # not provided: English
    assert sw.language == "en" and sw.section("problem") == "The problem" and sw["contents"] == "Contents"
    assert labels("ru").count("initiatives", 21) == "21 инициатива"
    assert labels("ru").count("initiatives", 5) == "5 инициатив"
    assert labels("ar").count("countries", 3) == "3 بلدان"
    assert labels("fr").count("initiatives", 1) == "1 initiative"


def test_french_spot_checks():
    fr = labels("fr")
    assert [fr.section(k) for k in SECTIONS] == ["Le problème", "La solution", "Impact", "Enseignements tirés"]
    assert [fr.place(p) for p in PLACES] == ["Premier prix", "Deuxième prix", "Troisième prix", "Lauréat",
                                            "Finaliste", "Mention spéciale"]
    assert (fr.country, fr.region, fr.category, fr.keywords, fr.summary, fr.contents, fr.overview) == (
        "Pays", "Région", "Catégorie", "Mots clés", "Résumé", "Table des matières", "Vue d'ensemble")
    assert fr["index_by_country"] == fr["index_of_countries"] == "Index des pays"  # one name in every format


# ------------------------------------------------------------------ the formats


def test_french_book_prints_french_labels(tmp_path):
    root = book(tmp_path / "p", "fr")
    out = tmp_path / "out"
    build(root, ["pdf", "epub", "html"], out_dir=out)
    text = pdf_text(out)
    assert "Le problème" in text and "Premier prix".upper() in text and "Enseignements tirés" in text
    assert "Table des matières" in text and "Index des pays" in text and "PAYS" in text
    assert "The problem" not in text and "Lessons learned" not in text and "FIRST PLACE" not in text.upper()
    epub = epub_entry(out)
    assert "Enseignements tirés" in epub and "Premier prix" in epub and ">Pays</dt>" in epub
    assert "Lessons learned" not in epub
    html = html_entry(out)
    assert "Le problème" in html and "Premier prix" in html and "<dt>Pays</dt>" in html
    assert "The problem" not in html


def test_labels_belong_to_the_book_not_the_entry(tmp_path):
    """A French entry inside an English book keeps English labels around its French text; in the PDF
    its section headings are in French, each followed by the book's (the reader of either language finds
    their way), its details panel and closing labels in English."""
    root = book(tmp_path / "p", "en", entry_language="fr")
    out = tmp_path / "out"
    build(root, ["pdf", "html"], out_dir=out)
    text = pdf_text(out)
    assert "Le problème The problem" in " ".join(text.split())
    assert "COUNTRY" in text and "PAYS" not in text
    assert "The problem" in html_entry(out)


def test_arabic_book(tmp_path):
    root = book(tmp_path / "p", "ar")
    out = tmp_path / "out"
    build(root, ["pdf", "epub", "html"], out_dir=out)
    title = labels("ar").section("problem")
    assert title == "المشكلة"
    assert title in epub_entry(out) and title in html_entry(out)
    # the PDF shapes Arabic with HarfBuzz and gives its text layer the words as typed (/ActualText,
    # which pdftotext reads; pypdf does not)
    (pdf,) = out.glob("*.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert title in text


def test_unknown_language_falls_back_to_english(tmp_path):
    root = book(tmp_path / "p", "sw")
    out = tmp_path / "out"
    build(root, ["pdf", "html"], out_dir=out)
    assert "The problem" in pdf_text(out) and "Contents" in pdf_text(out)
    assert "The problem" in html_entry(out)


# ------------------------------------------------------------------ the website's own words


def test_french_site_menu_and_chrome(tmp_path):
    root = book(tmp_path / "p", "fr")
    out = tmp_path / "out"
    build(root, ["html"], out_dir=out)
    home = (out / "html/index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="site-nav"'):home.index("</nav>")]
    assert ">Pays</a>" in nav and ">Rechercher</a>" in nav and ">Livre complet</a>" in nav
    assert "Whole book" not in home and "Countries" not in nav and "Search" not in nav
    assert "Aller au contenu principal" in home and "Skip to main content" not in home
    assert "Initiatives par catégorie et par région" in home and "Téléchargements" in home and "1 initiative" in home
    entry = html_entry(out)
    assert ">Accueil</a>" in entry and "Référence :" in entry and "Cite as:" not in entry
    search = (out / "html/search.html").read_text(encoding="utf-8")
    assert "La recherche n’est pas disponible lorsque ces pages sont ouvertes depuis un dossier" in search
    assert "Search is not available" not in search


def test_english_site_keeps_its_words(tmp_path):
    root = book(tmp_path / "p", "en")
    out = tmp_path / "out"
    build(root, ["html"], out_dir=out)
    home = (out / "html/index.html").read_text(encoding="utf-8")
    for word in (">Whole book</a>", ">Search</a>", "Skip to main content", ">1 initiative<",
                 "Initiatives by category and region", "Browse by theme", "Downloads"):
        assert word in home, word
    assert "Cite as:" in html_entry(out) and ">Home</a>" in html_entry(out)


def _search_messages(out: Path) -> dict:
    import html as html_lib
    import json

    page = (out / "html/search.html").read_text(encoding="utf-8")
    raw = re.search(r"data-messages='([^']*)'", page).group(1)
    return json.loads(html_lib.unescape(raw))


def test_russian_search_messages_are_in_the_page(tmp_path):
    root = book(tmp_path / "p", "ru")
    out = tmp_path / "out"
    build(root, ["html"], out_dir=out)
    messages = _search_messages(out)
    assert messages["lang"] == "ru"
    assert messages["none_query"] == "По запросу «{query}» инициатив не найдено."
    assert set(messages["match_query"]) >= {"other"}
    page = (out / "html/search.html").read_text(encoding="utf-8")
    assert "Поиск недоступен, когда эти страницы открыты из папки" in page and "No results" not in page


@pytest.mark.slow
def test_russian_search_says_no_results_in_russian(tmp_path):
    from tests.helpers import chromium, served

    with chromium() as browser:  # skips first where there is no browser
        root = book(tmp_path / "p", "ru")
        out = tmp_path / "out"
        build(root, ["html"], out_dir=out)
        with served(out / "html") as address:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(address + "search.html")  # every initiative listed before a word is typed, said in Russian
            page.wait_for_function("document.getElementById('search-status').textContent.includes('инициатив')")
            assert page.text_content("#search-status").strip() == "1 инициатива."  # Russian's "one" form
            page.fill("#q", "qzxwvbnonsense")
            page.wait_for_function("document.getElementById('search-status').textContent.includes('не найдено')")
            assert page.text_content("#search-status") == "По запросу «qzxwvbnonsense» инициатив не найдено."
            assert not errors


def test_french_chart_has_a_french_accessible_name(tmp_path):
    from lxml import html as lxml_html

    root = book(tmp_path / "p", "fr")
    out = tmp_path / "out"
    build(root, ["html"], out_dir=out)
    for page in ("index.html", "book.html"):
        tree = lxml_html.parse(str(out / "html" / page))
        svg = tree.xpath("//*[local-name()='svg'][@role='img']")[0]
        title = svg.xpath("./*[local-name()='title']")[0].text
        desc = svg.xpath("./*[local-name()='desc']")[0].text
        assert title == "Initiatives par catégorie et par région"  # the chart's name (the books number it: Figure 1.)
        assert desc.startswith("Diagramme à barres empilées des initiatives (1) : une barre par catégorie")
        assert "Stacked" not in desc
