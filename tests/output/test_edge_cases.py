"""Edge cases found by trying to break `compendium build` end to end: output folders that would
swallow the project, odd pictures, colliding region slugs, hostile and unusual entry text."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image as PILImage
from pypdf import PdfReader

from compendium.errors import CompendiumError
from compendium.output.build import build
from compendium.output.swap import wait_discarded
from tests.helpers import EDITION, ENTRY, write


def _png(im: PILImage.Image, fmt: str = "PNG", **kw) -> bytes:
    data = io.BytesIO()
    im.save(data, fmt, **kw)
    return data.getvalue()


def _with_images(project: Path, *files: str) -> None:
    lines = "".join(f"  - file: {f}\n    alt: picture {n}\n" for n, f in enumerate(files))
    write(project, "entries/ke-one-stop.yaml", ENTRY + "images:\n" + lines)


# --- the output folder -----------------------------------------------------------------------

@pytest.mark.parametrize("where", [".", "..", "entries", "entries/sub", ".compendium-cache", "templates"])
def test_output_folder_that_holds_inputs_is_refused_and_project_kept(project, where):
    write(project, "templates/html/README.txt", "mine")
    before = sorted(p.relative_to(project.parent) for p in project.rglob("*") if ".compendium-cache" not in p.parts)
    with pytest.raises(CompendiumError, match="cannot build into"):
        build(project, ["html"], out_dir=project / where)
    after = sorted(p.relative_to(project.parent) for p in project.rglob("*") if ".compendium-cache" not in p.parts)
    assert after == before
    wait_discarded()  # the old output and the staging folder are deleted in the background
    assert not list((project / ".compendium-cache").glob(".staging-*"))


def test_output_folder_keeps_dot_files_of_a_deployed_site(project, tmp_path):
    out = tmp_path / "site"
    write(out, ".git/HEAD", "ref: refs/heads/gh-pages\n")
    write(out, ".nojekyll", "")
    write(out, "CNAME", "awards.example.org\n")
    build(project, ["html"], out_dir=out)
    build(project, ["html"], out_dir=out)
    assert (out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (out / ".nojekyll").exists() and (out / "CNAME").exists() and (out / "html/index.html").exists()


def test_symlinked_output_folder_is_followed(project, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (project / "output").symlink_to(real)
    build(project, ["html"])
    assert (project / "output").is_symlink()
    assert (real / "html/index.html").is_file()


# --- pictures --------------------------------------------------------------------------------

def test_16_bit_greyscale_png_is_not_turned_white(project, tmp_path):
    write(project, "entries/images/deep.png", _png(PILImage.new("I;16", (640, 480), 40000)))
    _with_images(project, "images/deep.png")
    out = tmp_path / "out"
    build(project, ["html", "pdf"], out_dir=out)
    site = next((out / "html/assets/img").glob("deep.*.png"))
    assert PILImage.open(site).convert("L").getextrema() == (156, 156)
    pdf = next(out.glob("*.pdf"))
    images = [im.image.convert("L") for page in PdfReader(pdf).pages[1:] for im in page.images]  # 1: the cover
    assert [im.getextrema() for im in images] == [(156, 156)]


def test_exif_orientation_applied_and_metadata_stripped(project, tmp_path):
    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (12.0, 34.0, 56.0)}
    write(project, "entries/images/gps.jpg", _png(PILImage.new("RGB", (800, 600), (200, 10, 10)), "JPEG",
                                                  exif=exif.tobytes()))
    _with_images(project, "images/gps.jpg")
    out = tmp_path / "out"
    build(project, ["html", "epub", "pdf"], out_dir=out)
    site = next((out / "html/assets/img").glob("gps.*.jpg"))
    with PILImage.open(site) as im:
        assert im.size == (600, 800) and not im.getexif()
    assert b"SecretCam" not in site.read_bytes()
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        media = [n for n in z.namelist() if n.endswith(".jpg")]
        assert media and all(b"SecretCam" not in z.read(n) for n in media)
        assert PILImage.open(io.BytesIO(z.read(media[0]))).size == (600, 800)
    sizes = [im.image.size for page in PdfReader(next(out.glob("*.pdf"))).pages[1:] for im in page.images]  # 1: the cover
    assert sizes == [(600, 800)]


def test_truncated_cover_fails_cleanly_naming_the_file(project, tmp_path):
    data = _png(PILImage.effect_noise((400, 600), 60).convert("RGB"))
    write(project, "cover.png", data[: len(data) // 2])
    write(project, "compendium.yaml", EDITION + "cover: cover.png\n")
    with pytest.raises(CompendiumError, match=r"^cover.png: cannot read the image"):
        build(project, ["pdf"], out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["pdf", "fact-sheets"])
def test_truncated_entry_jpeg_never_slips_into_the_pdf(project, tmp_path, fmt):
    data = _png(PILImage.effect_noise((800, 600), 60).convert("RGB"), "JPEG")
    write(project, "entries/images/photo.jpg", data[: len(data) // 2])  # the header is intact
    write(project, "entries/ke-one-stop.yaml",
          ENTRY + "images:\n  - file: images/photo.jpg\n    alt: A photo\n")
    with pytest.raises(CompendiumError, match=r"entries/images/photo.jpg: cannot read the image"):
        build(project, [fmt], out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("mode", ["CMYK", "I;16", "P", "L"])
def test_unusual_cover_modes_build(project, tmp_path, mode):
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    im = PILImage.new(mode, (300, 450), {"CMYK": (0, 100, 200, 0), "I;16": 30000, "P": 1, "L": 90}[mode])
    write(project, "cover." + fmt.lower(), _png(im, fmt, **({"transparency": 0} if mode == "P" else {})))
    write(project, "compendium.yaml", EDITION + f"cover: cover.{fmt.lower()}\n")
    build(project, ["epub", "pdf"], out_dir=tmp_path / "out")
    first = PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages[0]
    assert len(first.images) == 1


# --- regions ---------------------------------------------------------------------------------

def test_regions_that_slugify_alike_keep_their_own_pages(project, tmp_path):
    write(project, "compendium.yaml", EDITION + 'regions: ["Asia & Pacific", "Asia Pacific", "Africa"]\n'
                                                "country_regions: {JP: Asia Pacific, KE: Asia & Pacific}\n"
                                                "group_by: [region, theme]\n")
    write(project, "entries/jp.yaml", ENTRY.replace("country: KE", "country: JP").replace("One-stop", "Japan"))
    out = tmp_path / "out"
    result = build(project, ["html", "epub"], out_dir=out)
    assert [p.key for p in result.book.parts] == ["asia-pacific", "asia-pacific-2"]
    first = lxml_html.parse(str(out / "html/regions/asia-pacific.html"))
    second = lxml_html.parse(str(out / "html/regions/asia-pacific-2.html"))
    assert "One-stop shops" in first.getroot().text_content()
    assert "Japan" in second.getroot().text_content() and "One-stop" not in second.getroot().text_content()


# --- text ------------------------------------------------------------------------------------

_FORBIDDEN = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"


def test_control_characters_and_noncharacters_never_reach_the_outputs(project, tmp_path):
    import re

    write(project, "entries/ke-one-stop.yaml", ENTRY.replace(
        'title: "One-stop shops"', 'title: "One-stop\\x01 shops\\x85\\uFFFF"').replace(
        "A short **summary**.", "A short **summary**.\n  \"Ctrl \\x01\\x1b\\x7f\\x9f \\uFFFE end\""))
    write(project, "intro.md", "Intro \x01\x1b with controls.\n")
    write(project, "compendium.yaml", EDITION + "introduction: intro.md\n")
    out = tmp_path / "out"
    result = build(project, ["html", "epub"], out_dir=out)
    assert result.book.entries[0].title == "One-stop shops"
    for page in (out / "html").rglob("*.html"):
        assert not re.search(_FORBIDDEN, page.read_text(encoding="utf-8")), page
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                assert not re.search(_FORBIDDEN, z.read(name).decode("utf-8")), name


def test_hostile_markdown_builds_every_format_and_stays_inert(project, tmp_path):
    nested = "\n".join("  " * i + f"- level {i}" for i in range(10))
    table = "|" + "|".join(f"c{i}" for i in range(30)) + "|\n|" + "---|" * 30 + "\n|" + "|".join("x" * 9 for _ in range(30)) + "|\n"
    body = (f"# H1\n\n###### H6\n\n---\n\n<script>alert(1)</script>\n\n[js](javascript:alert(1)) "
            f"[vb](vbscript:x) [d](data:text/html,x) <https://ok.example/a?b=1&c=2> ![x](https://evil.example/p.png)\n\n"
            f"[r][ref]\n\n[ref]: https://ok.example/ref\n\n```\n<b>code</b>\n```\n\n{nested}\n\n{table}\n\n{'a' * 5000}\n")
    import yaml

    entry = yaml.safe_load(ENTRY)
    entry["summary"] = body
    entry["sections"]["problem"] = body
    entry["title"] = "Tags <b>bold</b> & \"quotes\" \u202e 😀"
    entry["partners"] = [f"Partner {i} <i>" for i in range(40)]
    entry["keywords"] = [f"kw {i} & <k>" for i in range(50)]
    write(project, "entries/ke-one-stop.yaml", yaml.safe_dump(entry, allow_unicode=True))
    out = tmp_path / "out"
    build(project, None, out_dir=out, fact_sheets=True)
    page = lxml_html.parse(str(out / "html/entries/ke-one-stop.html")).getroot()
    # code never carries entry text; the JSON-LD (data) does, as JSON that no "<" can close
    assert all("alert" not in (s.text or "") for s in page.iter("script") if s.get("type") != "application/ld+json")
    assert all("<" not in s.text for s in page.iter("script") if s.get("type") == "application/ld+json")
    links = [a.get("href") for a in page.iter("a")]
    assert not [h for h in links if h and h.split(":")[0] in ("javascript", "vbscript", "data")]
    assert not [i.get("src") for i in page.iter("img") if "evil.example" in (i.get("src") or "")]
    assert "https://ok.example/ref" in links
    assert len(page.xpath("//h1")) == 1
    assert "<script>alert(1)</script>" in page.text_content()
    assert len(PdfReader(next(out.glob("*.pdf"))).pages) > 5
    assert (out / "fact-sheets/ke-one-stop.pdf").is_file()


def test_an_edition_without_entries_builds_every_format(project, tmp_path):
    (project / "entries/ke-one-stop.yaml").unlink()
    out = tmp_path / "out"
    result = build(project, None, out_dir=out, fact_sheets=True)
    assert result.book.entries == ()
    assert (out / "html/index.html").is_file()
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        assert "EPUB/content.opf" in z.namelist()
    assert len(PdfReader(next(out.glob("*.pdf"))).pages) >= 3


def test_a_problem_reported_by_the_book_and_the_fact_sheets_is_listed_once(project, tmp_path):
    # Egyptian hieroglyphs: no installed font has them (Armenian has one since issue 11)
    write(project, "entries/ke-one-stop.yaml", ENTRY.replace("One-stop shops", "\U00013000 One-stop"))
    result = build(project, ["pdf", "fact-sheets"], out_dir=tmp_path / "out")
    glyphs = [w for w in result.warnings if w.code == "pdf.glyph"]
    assert len(glyphs) == 1 and "U+13000" in glyphs[0].message


def test_an_id_too_long_for_a_file_name_is_a_validation_error(project, tmp_path):
    write(project, "entries/ke-one-stop.yaml", "id: " + "a" * 300 + "\n" + ENTRY)
    with pytest.raises(CompendiumError) as caught:
        build(project, ["html"], out_dir=tmp_path / "out")
    assert [(i.code, i.source.line) for i in caught.value.issues] == [("entry.id", 1)]
    assert not (tmp_path / "out").exists()
