"""Test editions for the website: one with entries in six languages, each naming in the singular a word
searched in the plural (stemming must bridge them), and a Chinese word with no spaces around it."""
from __future__ import annotations

from pathlib import Path

from tests.helpers import write

MULTILINGUAL_EDITION = """\
title: Multilingual Test Awards
edition: 2014
language: en
publisher: Test Publisher
license: CC BY 4.0
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
  - id: participation
    name: Fostering Participation
"""

# (file, language, country, place, theme, title, a sentence holding the singular word, keyword)
ENTRIES = [
    ("en-lighthouse", "", "KE", "1st", "service-delivery", "The lighthouse programme",
     "Each district runs one lighthouse for its public services.", "lighthouse"),
    ("fr-citoyen", "fr", "SN", "2nd", "participation", "Le guichet du citoyen",
     "Chaque citoyen dépose sa demande au guichet unique.", "citoyen"),
    ("es-ciudadano", "es", "CL", "1st", "participation", "Atención al ciudadano",
     "El ciudadano presenta su trámite en una sola ventanilla.", "ciudadano"),
    ("ru-budget", "ru", "KZ", "3rd", "participation", "Открытый бюджет",
     "Каждый житель видит бюджет своего района.", "бюджет"),
    ("zh-approval", "zh", "CN", "2nd", "service-delivery", "一站式行政审批服务",
     "厦门市行政服务中心将四十多个政府部门的审批事项集中到一个大厅办理。", "审批"),
    ("ar-zajel", "ar", "BH", "1st", "service-delivery", "زاجل: نظام المراسلات الإلكترونية",
     "«زاجل» هو النظام الوطني للمراسلات الإلكترونية في مملكة البحرين.", "زاجل"),
]

# titles in the site's language, shown under the entries' own (a gloss)
GLOSSES = {"fr-citoyen": "The citizen's desk", "zh-approval": "One-stop administrative approval service"}

# a web address longer than a phone is wide, with long parts: it must break between its parts
LONG_URL = ("https://www.lighthouse-programme.example.org/services/district-offices/application-forms"
            "?language=english&section=public-services-and-registration")

ENTRY = """\
year: 2014
title: "{title}"
country: {country}
institution: "Institution {n}"
category: {theme}
place: {place}
{language}{gloss}summary: |
  {sentence}
sections:
  problem: |
    {sentence} *{keyword}*.
  solution: |
    {sentence}
  impact: |
    {sentence}
  lessons: |
    {sentence}
keywords: ["{keyword}"]
{website}"""


def multilingual_project(root: Path) -> Path:
    """A valid project with the six entries of ENTRIES; returns its folder."""
    write(root, "compendium.yaml", MULTILINGUAL_EDITION)
    for n, (name, lang, country, place, theme, title, sentence, keyword) in enumerate(ENTRIES):
        write(root, f"entries/{name}.yaml", ENTRY.format(
            title=title, country=country, n=n, theme=theme, place=place, sentence=sentence, keyword=keyword,
            language=f"language: {lang}\n" if lang else "", website=f"website: {LONG_URL}\n" if n == 0 else "",
            gloss=f'translated_title: "{GLOSSES[name]}"\n' if name in GLOSSES else ""))
    return root


# Search precision: words that begin other words (police → policy, archive → archives is fine but
# not every word starting with "a"), and a two-word query only one entry holds both words of.
PRECISE = [
    ("archive", "", "KE", "1st", "service-delivery", "The national archive",
     "The national archive keeps every record of the ministries.", "records"),
    ("police", "", "CL", "2nd", "service-delivery", "Police response times",
     "Police stations publish their response times online.", "safety"),
    ("policy", "", "KZ", "1st", "participation", "Open drafting",
     "A new policy lets citizens comment on draft regulations.", "drafting"),
    ("budget", "", "SN", "3rd", "participation", "Budgets decided together",
     "Citizens vote on participatory budgeting in every district.", "budgets"),
    ("parking", "", "BH", "2nd", "participation", "Parking fees",
     "The city budgeting office sets parking fees each year.", "fees"),
]


def precise_project(root: Path) -> Path:
    """A valid English project with the five entries of PRECISE; returns its folder."""
    write(root, "compendium.yaml", MULTILINGUAL_EDITION.replace("Multilingual", "Precise"))
    for n, (name, _, country, place, theme, title, sentence, keyword) in enumerate(PRECISE):
        write(root, f"entries/{name}.yaml", ENTRY.format(
            title=title, country=country, n=n, theme=theme, place=place, sentence=sentence, keyword=keyword,
            language="", website="", gloss=""))
    return root
