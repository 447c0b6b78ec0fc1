"""Search results show the entry's text around the first match, with every match in <mark>:
Russian (case, ё/е), Arabic (hamza, diacritics; the snippet stays right-to-left), Chinese (no
spaces), Latin without accents, and entry text is only ever text. Built like an editor would
(`build(root, ["html"])`) and opened from disk in headless Chromium."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compendium.output.build import build
from compendium.render.html.markdown import fold
from compendium.render.html.search import apply_patches, text_patches
from tests.helpers import ARGS, CHROMIUM, copy_sample, url

HOSTILE = """\
id: 2012-zz-hostile
year: 2012
title: "Hostile <b>entry</b>"
country: FR
institution: "Office <script>alert(2)</script>"
category: participation
place: 3rd
summary: |
  A quokka scheme that writes <img src=x onerror=alert(1)> into its own text, and a quokka again.
sections:
  problem: |
    Nothing to see here <svg onload=alert(3)>.
  solution: |
    None.
  impact: |
    None.
  lessons: |
    None.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("snippets"))
    (root / "entries" / "participation" / "zz-hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    build(root, ["html"])
    return root / "output" / "html"


# --- the index: the text is kept once, as differences from the folded body -----------------------


def test_index_gives_back_each_entry_text(site: Path) -> None:
    docs = json.loads((site / "search-index.json").read_text(encoding="utf-8"))["docs"]
    for doc in docs:
        assert "snippet" not in doc
        text = doc["t"] if "t" in doc else apply_patches(doc["b"], doc.get("p", []))
        assert fold(text) == doc["b"], doc["id"]
    zh = next(d for d in docs if d["lang"] == "zh")
    assert "审批" in apply_patches(zh["b"], zh["p"])


@pytest.mark.parametrize("text", ["Ёлка ПРОЗРАЧНОСТЬ", "Participación en Medellín", "الإلكترونيّة زاجـــل",
                                  "审批（在线）：𠀋好 Ab", "ﬁne İstanbul", "plain text"])
def test_patches_round_trip(text: str) -> None:
    patches = text_patches(text, fold(text))
    assert patches is not None and apply_patches(fold(text), patches) == text


def test_patches_give_up_rather_than_lie() -> None:
    assert text_patches("a ¨ b", fold("a ¨ b")) is None  # ¨ folds to a space that collapses


# --- in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(site: Path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems: list[str] = []
        page.on("request", lambda r: None if r.url.startswith("file://") else problems.append(r.url))
        page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        try:
            yield page
        finally:
            browser.close()
        assert not problems, problems


def results(page, site: Path, query: str) -> list[dict]:
    """Each result of `search.html?q=query`: its link, title and snippet (text, marks, lang, dir)."""
    page.goto(url(site, "search.html?q=" + query))
    page.wait_for_function("document.getElementById('search-status').textContent.includes('match')")
    return page.eval_on_selector_all("#results li", """items => items.map(li => {
      const a = li.querySelector('a.entry-link'), p = li.querySelector('p.snippet');
      return {href: a.getAttribute('href'), title: a.textContent,
              titleMarks: [...a.querySelectorAll('mark')].map(m => m.textContent),
              text: p ? p.textContent : '', marks: p ? [...p.querySelectorAll('mark')].map(m => m.textContent) : [],
              lang: p && p.getAttribute('lang'), dir: p && p.getAttribute('dir'),
              elements: p ? [...p.querySelectorAll('*')].map(e => e.localName) : []};
    })""")


def hit(found: list[dict], entry: str) -> dict:
    return next(r for r in found if r["href"] == f"entries/{entry}.html")


@pytest.mark.slow
def test_russian_match_is_marked_whatever_the_case_and_yo(page, site: Path) -> None:
    r = hit(results(page, site, "ПОДАЕТ"), "2012-kz-e-licensing")  # the text says «подаёт»
    assert r["marks"] == ["подаёт"] and r["lang"] == "ru"
    assert len(r["text"]) <= 200
    r = hit(results(page, site, "лицензирование"), "2012-kz-e-licensing")
    assert r["titleMarks"] == ["лицензирование"]
    assert r["marks"] and all(fold(m) == "лицензирование" for m in r["marks"])


@pytest.mark.slow
def test_arabic_match_is_marked_and_stays_right_to_left(page, site: Path) -> None:
    r = hit(results(page, site, "الالكترونية"), "2012-bh-zajel")  # typed without hamza
    assert r["dir"] == "rtl" and r["lang"] == "ar"
    assert r["marks"] and all(fold(m) == fold("الإلكترونية") for m in r["marks"])
    assert "الإلكترونية" in r["marks"]  # the letters as written, hamza included
    assert "الإلكترونية" in r["titleMarks"]


@pytest.mark.slow
def test_chinese_two_characters_are_marked_exactly(page, site: Path) -> None:
    r = hit(results(page, site, "审批"), "2012-cn-one-stop-approval")
    assert r["marks"] and set(r["marks"]) == {"审批"}
    assert r["text"].count("审批") == len(r["marks"])
    assert r["titleMarks"] == ["审批"]


@pytest.mark.slow
def test_latin_query_without_accents_marks_the_accented_word(page, site: Path) -> None:
    r = hit(results(page, site, "medellin"), "2012-co-participatory-budgeting")
    assert "Medellín" in r["marks"] and set(r["marks"]) == {"Medellín"}
    assert r["titleMarks"] == ["Medellín"]


@pytest.mark.slow
def test_snippet_is_around_the_first_match_deep_in_the_text(page, site: Path) -> None:
    r = hit(results(page, site, "violent"), "2012-co-participatory-budgeting")  # in the second field
    assert r["text"].startswith("…") and r["marks"] == ["violent"]
    assert 100 <= len(r["text"]) <= 200


@pytest.mark.slow
def test_every_word_and_phrase_is_marked(page, site: Path) -> None:
    r = hit(results(page, site, '"participatory budgeting" medellín'), "2012-co-participatory-budgeting")
    assert {fold(m) for m in r["titleMarks"]} == {"participatory budgeting", "medellin"}


@pytest.mark.slow
def test_entry_text_is_shown_as_text(page, site: Path) -> None:
    r = hit(results(page, site, "quokka"), "2012-zz-hostile")
    assert "<img src=x onerror=alert(1)>" in r["text"]
    assert r["marks"] == ["quokka", "quokka"] and r["elements"] == ["mark", "mark"]
    assert r["title"] == "Hostile <b>entry</b>"
    r = hit(results(page, site, "onerror"), "2012-zz-hostile")
    assert r["marks"] == ["onerror"] and r["elements"] == ["mark"]
    assert page.eval_on_selector_all("#results img, #results svg, #results script", "els => els.length") == 0


@pytest.mark.slow
def test_marks_keep_enough_contrast(page, site: Path) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python")
    for query in ("medellin", "الالكترونية"):
        assert any(r["marks"] for r in results(page, site, query))
        violations = axe_module.Axe().run(page).response["violations"]
        bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, (query, bad)
