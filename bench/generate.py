#!/usr/bin/env python3
"""Generate a synthetic compendium project for benchmarks.

    python bench/generate.py N DIR [--seed S] [--force]

Writes DIR/compendium.yaml and N entry files DIR/entries/<theme-id>/<id>.yaml.
The output depends only on N and the seed (no clocks, no hash randomisation),
so two runs with the same arguments produce byte-identical projects.

Content, per entry: ~950 words of Markdown (summary ~100 words, four sections
~210 words each) with paragraphs, **bold**, *italic*, bullet lists and the odd
link. 20% of entries have one PNG image picked from a pool of 10 per theme
(DIR/entries/<theme-id>/images/imgNN.png, 800x450, drawn once with Pillow).
5% of entries are written in Arabic, Chinese or Russian (`language: ar|zh|ru`).

The YAML is written by hand: Markdown as literal block scalars (`|`), one-line
strings as double-quoted scalars produced by json.dumps (JSON string syntax is
a subset of YAML's double-quoted style).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

YEAR = 2012
IMAGES_PER_THEME = 10
IMAGE_SIZE = (800, 450)
IMAGE_SHARE = 0.20
FOREIGN_SHARE = 0.05
SUMMARY_WORDS = 94  # generation overshoots by a few words
SECTION_WORDS = 203
MARKER = ".bench-generated"  # lets --force clean up a previous run safely

COMPENDIUM_YAML = """\
title: Synthetic Compendium
edition: 2012
language: en
themes:
  - {id: preventing-corruption, name: Preventing and Combating Corruption in the Public Service}
  - {id: service-delivery, name: Improving the Delivery of Public Services}
  - {id: participation, name: Fostering Participation in Policy-Making Decisions through Innovative Mechanisms}
  - {id: knowledge-management, name: Advancing Knowledge Management in Government}
  - {id: gender-responsive, name: Promoting Gender Responsive Delivery of Public Services}
"""

THEMES: tuple[str, ...] = (
    "preventing-corruption",
    "service-delivery",
    "participation",
    "knowledge-management",
    "gender-responsive",
)

# ISO 3166-1 alpha-2 codes, eight per region (all present in compendium/data/countries.tsv).
REGIONS: dict[str, tuple[str, ...]] = {
    "Africa": ("KE", "ZA", "RW", "EG", "MA", "TN", "GH", "UG"),
    "Asia and the Pacific": ("CN", "IN", "KR", "SG", "MY", "PH", "KZ", "AU"),
    "Europe and North America": ("RU", "GB", "FR", "DE", "ES", "CA", "BY", "EE"),
    "Latin America and the Caribbean": ("BR", "MX", "CL", "CO", "PE", "UY", "CR", "AR"),
    "Western Asia": ("BH", "OM", "AE", "JO", "SA", "QA", "KW", "LB"),
}
# Countries an entry in each non-English language comes from.
LANGUAGE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "ar": ("EG", "MA", "TN", "BH", "OM", "AE", "JO", "SA", "QA", "KW", "LB"),
    "zh": ("CN", "SG"),
    "ru": ("RU", "BY", "KZ"),
}
PLACES = ("1st", "2nd", "3rd", "winner", "finalist", "special")
PLACE_WEIGHTS = (10, 10, 10, 15, 45, 10)

# --------------------------------------------------------------------------- English

EN = {
    "adj": (
        "integrated", "transparent", "participatory", "digital", "community-based", "inclusive",
        "decentralised", "citizen-centred", "evidence-based", "open", "mobile", "gender-sensitive",
        "accountable", "collaborative", "local", "national", "sustainable", "innovative",
        "streamlined", "accessible",
    ),
    "noun": (
        "service", "platform", "system", "programme", "portal", "network", "scorecard", "registry",
        "helpdesk", "framework", "database", "strategy", "mechanism", "dashboard", "charter",
        "initiative", "budget", "forum", "repository", "office",
    ),
    "group": (
        "citizens", "women", "rural households", "small businesses", "civil servants",
        "young people", "local councils", "health workers", "teachers", "farmers",
        "persons with disabilities", "migrant workers", "municipal staff", "community leaders",
    ),
    "org": (
        "the ministry", "the agency", "the municipality", "the department", "the team",
        "the provincial government", "the steering committee", "the national office",
        "the city council", "the project unit",
    ),
    "verb": (
        "introduced", "launched", "redesigned", "piloted", "expanded", "simplified", "strengthened",
        "digitised", "monitored", "evaluated", "coordinated", "published", "reorganised", "funded",
    ),
    "goal": (
        "reduce waiting times", "cut administrative costs", "improve transparency",
        "reach remote communities", "prevent petty corruption", "share knowledge across agencies",
        "involve citizens in budgeting", "close the gender gap", "raise user satisfaction",
        "track complaints", "publish procurement data", "train front-line staff",
        "measure service quality", "open data to the public",
    ),
    "field": (
        "health", "education", "land registration", "procurement", "water supply", "tax collection",
        "social protection", "justice", "licensing", "public transport", "civil registration",
        "agriculture", "housing", "employment services",
    ),
    "result": (
        "processing times fell sharply", "complaints dropped by a third", "costs were halved",
        "satisfaction surveys improved every quarter", "more women used the service",
        "staff turnover declined", "the backlog was cleared", "coverage doubled",
        "citizens reported fewer informal payments", "data quality improved markedly",
    ),
    "period": (
        "within two years", "in the first year", "over three years", "by the end of the pilot",
        "after eighteen months", "during the second phase",
    ),
}

EN_TEMPLATES = (
    "{Org} {verb} a {adj} {noun} to {goal}.",
    "Before the initiative, {group} faced long delays in {field} and had little information about their rights.",
    "The {adj} {noun} allowed {group} to {goal} without travelling to a central office.",
    "{Period}, {result}, according to independent evaluations.",
    "To {goal}, {org} {verb} its procedures and worked closely with {group}.",
    "A {adj} {noun} for {field} was {verb} together with civil society organisations.",
    "The design drew on consultations with {group}, who asked for a simpler and more {adj} process.",
    "Performance indicators were {verb} every month so that managers could see whether {result2}.",
    "Funding came from the regular budget, which made the {noun} sustainable after donor support ended.",
    "{Org} also {verb} a {adj} {noun} for {group} in {field}.",
    "Many {group} had never used a {adj} {noun} before, so training and outreach were essential.",
    "The approach has since been replicated in other regions, where {result}.",
    "Clear rules and a {adj} {noun} made it harder to hide irregular payments in {field}.",
    "Front-line staff were involved from the start and helped {org2} adapt the {noun} to local needs.",
    "In {field}, responsibilities were split between several offices, and nobody was accountable for the outcome.",
    "The old procedures required up to a dozen visits, and {group} often paid intermediaries to speed things up.",
    "A small team inside {org2} drafted the first version of the {noun} in a matter of weeks.",
    "Each request now receives a tracking number, so {group} can follow its progress online or by text message.",
    "An independent audit found that {result2} once the {adj} {noun} was in place.",
    "Regular meetings with {group} helped the team identify bottlenecks early.",
    "The law was amended to give the {noun} a clear mandate and a dedicated budget line.",
    "Partnerships with universities provided the data needed to {goal}.",
    "Resistance from some managers was overcome by publishing results and rewarding good performance.",
    "{Period}, the {noun} handled more than twice as many requests as the old counters.",
    "The {adj} {noun} is now part of the national strategy for {field}.",
    "Women made up more than half of the volunteers who explained the {noun} to their neighbours.",
    "Information about fees and deadlines was posted in every office and on the {noun}.",
    "Political support at the highest level proved decisive in the early stages.",
    "Simple tools, rather than expensive technology, turned out to be the key to success in {field}.",
    "Feedback from {group} is reviewed every quarter and used to {goal}.",
)

EN_TITLE = (
    "{Adj} {Noun} for {Field}",
    "{Adj} {Field} {Noun}",
    "Bringing {Field} Closer to {Group}",
    "The {Adj} {Noun} Programme",
    "{Field} for All: A {Adj} {Noun}",
    "Empowering {Group} through a {Adj} {Noun}",
)

EN_INSTITUTION = (
    "Ministry of {Field}",
    "National {Field} Agency",
    "{Field} Reform Unit",
    "Office of the {Adj} Government",
    "Department of {Field} Services",
    "Municipal {Field} Authority",
)

EN_PARTNERS = (
    "United Nations Development Programme", "World Bank", "Local civil society organisations",
    "National Statistics Office", "Ministry of Finance", "University research centre",
    "Chamber of Commerce", "Women's associations", "Regional development bank",
    "Open Government Partnership", "Municipal associations", "Private telecom operators",
)

EN_KEYWORDS = (
    "transparency", "e-government", "accountability", "participation", "open data", "gender",
    "innovation", "decentralisation", "one-stop shop", "mobile services", "procurement",
    "knowledge sharing", "citizen feedback", "capacity building", "budgeting", "health",
    "education", "social protection",
)

EN_BULLET_INTRO = (
    "The main components were:", "Key features include:", "The team focused on three things:",
    "Lessons that others can use:", "Results at a glance:",
)

EN_LINK_TEXT = ("project website", "evaluation report", "open data portal", "annual report")

# --------------------------------------------------------------------------- other scripts

FOREIGN = {
    "ar": {
        "words": (
            "الحكومة", "الخدمات", "العامة", "المواطنين", "وزارة", "التنمية", "الشفافية", "المشاركة",
            "المعرفة", "الإدارة", "المرأة", "المساواة", "التعليم", "الصحة", "برنامج", "مبادرة",
            "تحسين", "تطوير", "نظام", "إلكتروني", "البيانات", "المجتمع", "المحلي", "مكافحة",
            "الفساد", "المساءلة", "النتائج", "التدريب", "الموظفين", "الجودة", "الوصول", "الرقمية",
            "الشراكة", "القطاع", "الخاص", "المدني", "تقديم", "الأداء", "الابتكار", "السياسات",
            "القرار", "المعلومات", "في", "من", "على", "مع", "إلى",
        ),
        "small": ("في", "من", "على", "مع", "إلى"),
        "sep": " ", "comma": "،", "stop": ".", "colon": ":",
        "institution": ("وزارة", "هيئة", "مجلس", "مركز", "إدارة"),
        "link": ("الموقع الإلكتروني", "تقرير التقييم"),
    },
    "zh": {
        "words": (
            "政府", "公共", "服务", "公民", "改革", "创新", "透明", "参与", "管理", "知识", "信息",
            "系统", "平台", "社区", "妇女", "平等", "发展", "质量", "效率", "教育", "卫生", "数据",
            "在线", "办理", "部门", "地方", "提高", "建立", "推动", "加强", "机制", "监督", "反腐败",
            "问责", "培训", "合作", "项目", "成果", "经验", "群众", "满意度", "窗口", "一站式",
        ),
        "small": (),
        "sep": "", "comma": "，", "stop": "。", "colon": "：",
        "institution": ("部", "局", "委员会", "中心", "办公室"),
        "link": ("项目网站", "评估报告"),
    },
    "ru": {
        "words": (
            "государственные", "услуги", "граждане", "министерство", "развитие", "прозрачность",
            "участие", "управление", "знания", "информация", "система", "портал", "общество",
            "женщины", "равенство", "качество", "эффективность", "образование", "здравоохранение",
            "данные", "электронный", "местные", "органы", "власти", "реформа", "инновации",
            "коррупции", "противодействие", "подотчётность", "обучение", "сотрудничество", "проект",
            "результаты", "опыт", "населения", "доступ", "региональный", "программа", "повышение",
            "внедрение", "контроль", "и", "в", "для", "на", "по",
        ),
        "small": ("и", "в", "для", "на", "по"),
        "sep": " ", "comma": ",", "stop": ".", "colon": ":",
        "institution": ("Министерство", "Агентство", "Комитет", "Центр", "Управление"),
        "link": ("сайт проекта", "отчёт об оценке"),
    },
}

# --------------------------------------------------------------------------- text builders


class _Slots(dict):
    """Template values drawn lazily, so a template only consumes the draws it uses."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key == "Org" or key == "Period":  # sentence start
            value = rng.choice(EN[key.lower()]).capitalize()
        elif key == "org2":
            value = rng.choice(EN["org"])
        elif key == "result2":
            value = rng.choice(EN["result"])
        elif key[0].isupper():  # in titles
            value = _title_case(rng.choice(EN[key.lower()]))
        else:
            value = rng.choice(EN[key])
        self[key] = value
        return value


_A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])")


def _fill(rng: random.Random, template: str) -> str:
    return _A_BEFORE_VOWEL.sub(r"\1n ", template.format_map(_Slots(rng)))


def _title_case(s: str) -> str:
    small = {"a", "an", "the", "of", "for", "to", "in", "and", "with"}
    words = s.split(" ")
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


class Lang:
    """Sentence, phrase and emphasis builders for one language."""

    def __init__(self, code: str, rng: random.Random) -> None:
        self.code = code
        self.rng = rng
        self.spec = FOREIGN.get(code)
        self._deck: list[str] = []

    def _template(self) -> str:
        """Templates are dealt from a shuffled deck so a text repeats itself as little as possible."""
        if not self._deck:
            self._deck = list(EN_TEMPLATES)
            self.rng.shuffle(self._deck)
        return self._deck.pop()

    def _words(self, n: int) -> list[str]:
        """n vocabulary words, no word twice in a row, not starting or ending on a function word."""
        rng, pool, small = self.rng, self.spec["words"], self.spec["small"]
        out: list[str] = []
        while len(out) < n:
            w = rng.choice(pool)
            if out and w == out[-1]:
                continue
            if w in small and (not out or len(out) == n - 1 or out[-1] in small):
                continue
            out.append(w)
        return out

    # -- building blocks
    def sentence(self) -> str:
        if self.spec is None:
            return _fill(self.rng, self._template())
        rng, spec = self.rng, self.spec
        n = rng.randint(9, 18)
        words = self._words(n)
        if n > 11:
            cut = rng.randint(4, n - 5)
            words[cut] += spec["comma"]
        text = spec["sep"].join(words)
        if self.code == "ru":
            text = text[:1].upper() + text[1:]
        return text + spec["stop"]

    def phrase(self, lo: int = 2, hi: int = 4) -> str:
        if self.spec is None:
            return f"{self.rng.choice(EN['adj'])} {self.rng.choice(EN['noun'])}"
        return self.spec["sep"].join(self._words(self.rng.randint(lo, hi)))

    def bullet_intro(self) -> str:
        if self.spec is None:
            return self.rng.choice(EN_BULLET_INTRO)
        return self.phrase(3, 5) + self.spec["colon"]

    def bullet(self) -> str:
        if self.spec is None:
            return _fill(self.rng, self._template()).rstrip(".")
        return self.phrase(4, 8)

    def link_text(self) -> str:
        pool = EN_LINK_TEXT if self.spec is None else self.spec["link"]
        return self.rng.choice(pool)

    def count(self, text: str) -> int:
        # Chinese has no spaces: count each vocabulary token (~2 characters) as a word.
        return len(text) // 2 if self.code == "zh" else len(text.split())

    # -- Markdown
    def emphasise(self, sentence: str) -> str:
        """Wrap one phrase of the sentence in **bold** or *italic*."""
        mark = self.rng.choice(("**", "*"))
        if self.code == "zh":
            # A 4-character span that neither starts nor ends on punctuation (CommonMark flanking).
            body = sentence[:-1]
            starts = [a for a in range(len(body) - 4)
                      if body[a] not in "，" and body[a + 3] not in "，"]
            if not starts:
                return sentence
            a = self.rng.choice(starts)
            return f"{body[:a]}{mark}{body[a:a + 4]}{mark}{body[a + 4:]}{sentence[-1]}"
        words = sentence.split(" ")
        if len(words) < 5:
            return sentence
        a = self.rng.randrange(0, len(words) - 3)
        b = a + self.rng.randint(1, 3)
        inner = " ".join(words[a:b]).strip(",،")
        if not inner:
            return sentence
        trail = words[b - 1][len(words[b - 1].rstrip(",،")):]
        return " ".join(words[:a] + [f"{mark}{inner}{mark}{trail}"] + words[b:])

    def with_link(self, sentence: str, slug: str) -> str:
        link = f"[{self.link_text()}](https://example.org/{slug})"
        if self.spec is None:
            return f"{sentence} See the {link} for details."
        return f"{sentence}{self.spec['sep']}{link}{self.spec['stop']}"

    def markdown(self, target: int, lists: bool, slug: str) -> str:
        """Markdown blocks totalling about `target` words."""
        rng = self.rng
        blocks: list[str] = []
        total = 0
        want_list = lists and rng.random() < 0.6
        want_link = rng.random() < 0.12
        sep = "" if self.code == "zh" else " "
        while total < target:
            if want_list and blocks and rng.random() < 0.5:
                want_list = False
                items = [f"- {self.bullet()}" for _ in range(rng.randint(3, 5))]
                block = self.bullet_intro() + "\n\n" + "\n".join(items)
            else:
                sentences = []
                for _ in range(rng.randint(3, 5)):
                    sentences.append(self.sentence())
                    if total + self.count(sep.join(sentences)) >= target:
                        break
                if rng.random() < 0.5:
                    i = rng.randrange(len(sentences))
                    sentences[i] = self.emphasise(sentences[i])
                if want_link and rng.random() < 0.5:
                    want_link = False
                    sentences[-1] = self.with_link(sentences[-1], slug)
                block = sep.join(sentences)
            blocks.append(block)
            total += self.count(block)
        return "\n\n".join(blocks)


# --------------------------------------------------------------------------- YAML output


def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def block(text: str, indent: int) -> str:
    """A YAML literal block scalar body (the text after `key: |`)."""
    lines = text.split("\n")
    assert lines[0] and not lines[0][0].isspace(), "first line must not start with a space"
    assert all(line == line.rstrip() for line in lines), "no trailing whitespace"
    pad = " " * indent
    return "".join(f"{pad}{line}\n" if line else "\n" for line in lines)


# --------------------------------------------------------------------------- images


def draw_image(path: Path, key: str) -> None:
    from PIL import Image, ImageDraw

    rng = random.Random(key)
    w, h = IMAGE_SIZE
    bg = tuple(rng.randint(190, 245) for _ in range(3))
    img = Image.new("RGB", IMAGE_SIZE, bg)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 7)):
        color = tuple(rng.randint(20, 200) for _ in range(3))
        x0, y0 = rng.randint(0, w - 100), rng.randint(0, h - 80)
        x1, y1 = x0 + rng.randint(60, 300), y0 + rng.randint(50, 200)
        kind = rng.choice(("rect", "ellipse", "line", "poly"))
        if kind == "rect":
            d.rectangle((x0, y0, x1, y1), fill=color)
        elif kind == "ellipse":
            d.ellipse((x0, y0, x1, y1), fill=color)
        elif kind == "line":
            d.line((x0, y0, x1, y1), fill=color, width=rng.randint(4, 12))
        else:
            d.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=color)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG", optimize=False)


# --------------------------------------------------------------------------- entries


def make_entry(rng: random.Random, index: int, width: int, language: str, has_image: bool) -> tuple[str, str, str, str | None]:
    """Return (theme id, entry id, YAML text, image name or None)."""
    theme = rng.choice(THEMES)
    if language:
        country = rng.choice(LANGUAGE_COUNTRIES[language])
    else:
        country = rng.choice(REGIONS[rng.choice(tuple(REGIONS))])
    place = rng.choices(PLACES, PLACE_WEIGHTS)[0]

    en_title = _fill(rng, rng.choice(EN_TITLE))
    from_slug = "".join(c if c.isalnum() and c.isascii() else "-" for c in en_title.lower())
    slug = ""
    for part in (p for p in from_slug.split("-") if p):
        if slug and len(slug) + 1 + len(part) > 40:
            break
        slug = f"{slug}-{part}" if slug else part
    entry_id = f"{YEAR}-{index:0{width}d}-{country.lower()}-{slug}"

    lang = Lang(language or "en", rng)
    if language:
        spec = FOREIGN[language]
        title = lang.phrase(3, 6)
        if language == "ru":
            title = title[:1].upper() + title[1:]
        institution = f"{rng.choice(spec['institution'])}{spec['sep']}{lang.phrase(1, 2)}"
        partners = [lang.phrase(2, 3) for _ in range(rng.randint(1, 3))]
        keywords = sorted({rng.choice(spec["words"]) for _ in range(rng.randint(2, 4))})
    else:
        title = en_title
        institution = _fill(rng, rng.choice(EN_INSTITUTION))
        partners = rng.sample(EN_PARTNERS, rng.randint(1, 3))
        keywords = sorted(rng.sample(EN_KEYWORDS, rng.randint(2, 5)))

    out = [
        f"id: {entry_id}\n",
        f"year: {YEAR}\n",
        f"title: {q(title)}\n",
        f"country: {country}\n",
        f"institution: {q(institution)}\n",
        f"category: {theme}\n",
        f"place: {place}\n",
    ]
    if language:
        out.append(f"language: {language}\n")
    out.append("summary: |\n")
    out.append(block(lang.markdown(SUMMARY_WORDS, lists=False, slug=entry_id), 2))
    out.append("sections:\n")
    for key in ("problem", "solution", "impact", "lessons"):
        out.append(f"  {key}: |\n")
        out.append(block(lang.markdown(SECTION_WORDS, lists=True, slug=f"{entry_id}/{key}"), 4))
    out.append(f"partners: [{', '.join(q(p) for p in partners)}]\n")
    out.append(f"website: https://example.org/{entry_id}\n")
    out.append(f"keywords: [{', '.join(q(k) for k in keywords)}]\n")
    image = None
    if has_image:
        image = f"img{rng.randrange(IMAGES_PER_THEME):02d}.png"
        alt = lang.phrase(3, 6) if language else f"Illustration of the {en_title.lower()}"
        caption = lang.sentence() if language else f"{_fill(rng, '{Adj} {noun} in {field}').capitalize()}."
        out += [
            "images:\n",
            f"  - file: images/{image}\n",
            f"    alt: {q(alt)}\n",
            f"    caption: {q(caption)}\n",
        ]
    return theme, entry_id, "".join(out), image


def generate(n: int, root: Path, seed: int) -> tuple[int, int, int]:
    """Write the project; return (entries, YAML bytes, images)."""
    rng = random.Random(seed)
    k_foreign = round(n * FOREIGN_SHARE)
    k_image = round(n * IMAGE_SHARE)
    foreign_at = dict.fromkeys(rng.sample(range(n), k_foreign))
    for i, code in zip(sorted(foreign_at), (("ar", "zh", "ru") * n)):
        foreign_at[i] = code
    image_at = set(rng.sample(range(n), k_image))
    width = max(4, len(str(n)))

    root.mkdir(parents=True, exist_ok=True)
    data = COMPENDIUM_YAML.encode("utf-8")
    (root / "compendium.yaml").write_bytes(data)
    total = len(data)
    made_dirs: set[Path] = set()
    images: set[tuple[str, str]] = set()
    for i in range(n):
        theme, entry_id, text, image = make_entry(
            rng, i + 1, width, foreign_at.get(i, ""), i in image_at)
        folder = root / "entries" / theme
        if folder not in made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            made_dirs.add(folder)
        data = text.encode("utf-8")
        (folder / f"{entry_id}.yaml").write_bytes(data)
        total += len(data)
        if image and (theme, image) not in images:
            images.add((theme, image))
            draw_image(folder / "images" / image, f"{seed}/{theme}/{image}")
    (root / MARKER).write_text(f"generated by bench/generate.py: n={n} seed={seed}\n", encoding="utf-8")
    return n, total, len(images)


def prepare(root: Path, force: bool) -> None:
    if not root.exists() or not any(root.iterdir()):
        return
    if not force:
        sys.exit(f"error: {root} is not empty (use --force to write into it)")
    if (root / MARKER).exists():
        # A previous run of this script: remove what it wrote so no stale entries remain.
        shutil.rmtree(root / "entries", ignore_errors=True)
        (root / "compendium.yaml").unlink(missing_ok=True)
        (root / MARKER).unlink()
    else:
        existing = sum(1 for _ in (root / "entries").rglob("*.yaml")) if (root / "entries").is_dir() else 0
        if existing:
            print(f"warning: {root}/entries already holds {existing} YAML files; "
                  "they are left in place (same-named files are overwritten)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic compendium project.")
    ap.add_argument("n", metavar="N", type=int, help="number of entries")
    ap.add_argument("dir", metavar="DIR", type=Path, help="project folder to create")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--force", action="store_true", help="write into a non-empty DIR")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    if args.dir.exists() and not args.dir.is_dir():
        ap.error(f"{args.dir} exists and is not a folder")
    prepare(args.dir, args.force)
    t0 = time.perf_counter()
    entries, nbytes, nimages = generate(args.n, args.dir, args.seed)
    dt = time.perf_counter() - t0
    print(f"{entries} entries, {nimages} images, {nbytes:,} bytes of YAML, {dt:.2f} s -> {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
