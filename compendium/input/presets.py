"""Scaffold (data): the entry forms `compendium init --preset NAME` starts a project with, and the
commented compendium.yaml it writes: every key of the edition format (input/spec.py), each with
its description, the optional ones commented out with an example, so the file explains itself
to someone who has only the installed command (no README at hand)."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

from compendium.input import spec
from compendium.input.yaml_advice import yaml_flow, yaml_line

UNPSA_THEMES = """\
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
  - id: preventing-corruption
    name: Preventing and Combating Corruption in the Public Service
  - id: participation
    name: Fostering Participation in Policy-Making Decisions through Innovative Mechanisms
  - id: knowledge-management
    name: Advancing Knowledge Management in Government
  - id: gender-responsive
    name: Promoting Gender Responsive Delivery of Public Services
"""

UNPSA_FORM = """\
# The entry form: without 'sections:' an entry has the four UNPSA sections (problem, solution,
# impact, lessons). Another programme declares its own, in order, and extra fields, e.g.:
# sections:
#   - {id: objective, title: Objective}
#   - {id: results, title: Results, words: 400}     # a warning above 400 words (default 600)
# fields:
#   - {id: sdgs, type: list, vocabulary: sdgs, title: Sustainable Development Goals, index: true}
"""

SDG_FORM = """\
# The entry form of UN DESA's call for SDG good practices: seven sections, the SDGs addressed
# (an index in the books, a filter on the site) and two fields of the programme's own.
sections:
  - {id: objective, title: Objective of the practice}
  - {id: stakeholders, title: Key stakeholders and partners}
  - {id: implementation, title: Implementation and methodology}
  - {id: results, title: "Results, outputs and impacts"}
  - {id: enabling-factors, title: Enabling factors and constraints}
  - {id: sustainability, title: Sustainability and replicability}
  - {id: conclusions, title: Conclusions and lessons learned}
fields:
  - id: sdgs
    type: list
    vocabulary: sdgs
    title: {en: Sustainable Development Goals, fr: Objectifs de développement durable}
    required: true
    index: true
  - id: period
    type: text
    title: Implementation period
  - id: budget
    type: number
    title: Budget (USD)
"""

MINIMAL_FORM = """\
# A short entry form: one section. Add sections (- {id, title, words}) and extra fields as the
# programme needs; `compendium schema --edition` describes every key.
sections:
  - {id: description, title: Description}
"""


@dataclass(frozen=True)
class Preset:
    """A starting form for `compendium init --preset NAME`."""

    name: str
    summary: str
    title: str  # the edition's title when --title is not given
    subtitle: str
    themes: str
    form: str
    theme: str  # the example entry's category


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("unpsa", "the UN Public Service Awards: problem, solution, impact, lessons learned",
           "Public Service Awards", "Compendium of Innovative Practices in Public Governance and Administration",
           UNPSA_THEMES, UNPSA_FORM, "service-delivery"),
    Preset("sdg-good-practices", "UN DESA's SDG good practices: seven sections, the SDGs addressed, budget and period",
           "SDG Good Practices", "A Compilation of Success Stories and Lessons Learned in SDG Implementation",
           "themes:\n" + "".join(f"  - id: {k}\n    name: {v}\n" for k, v in (
               ("people", "People"), ("planet", "Planet"), ("prosperity", "Prosperity"), ("peace", "Peace"),
               ("partnership", "Partnership"))), SDG_FORM, "people"),
    Preset("minimal", "one theme and one section, to grow from", "Awards Compendium", "",
           "themes:\n  - id: general\n    name: General\n", MINIMAL_FORM, "general"),
)}

HEAD = """\
# compendium.yaml: the edition file of this compendium project (one book: its title, year,
# themes, and the form of its entries). Each key is explained just above it. Lines starting
# with '#' are comments: to use an optional key, delete the '# ' in front of it.
# `compendium schema --edition` prints the whole format (a JSON Schema), and
# `compendium validate` checks this file and every entry.
"""
_FORM_KEYS = ("sections", "fields", "vocabularies")


def _comment(text: str) -> str:
    return "".join(f"# {line}\n" for line in textwrap.wrap(text, 96))


def _entry(key: str, value: object, on: bool) -> str:
    """`key: value` (flow style for lists and mappings), commented out unless `on`."""
    line = yaml_flow(key, value) if isinstance(value, (list, dict)) else yaml_line(key, value)
    return ("" if on else "# ") + line + "\n"


def edition_file(title: str, year: int, preset: str) -> str:
    """The text of a new project's compendium.yaml for `preset` (a key of PRESETS)."""
    from compendium.render import FORMATS

    chosen = PRESETS[preset]
    given = {"title": title, "edition": year, "language": "en", "introduction": "introduction.md",
             "group_by": list(spec.field("group_by", spec.EDITION).example)}
    if chosen.subtitle:
        given["subtitle"] = chosen.subtitle
    out = [HEAD]
    for declared in spec.EDITION:
        key = declared.key
        if key in _FORM_KEYS:
            continue
        out.append("\n" + _comment(declared.description))
        if key == "themes":
            out.append(chosen.themes)
            continue
        if key in given:
            out.append(_entry(key, given[key], True))
        elif key == "date":  # unquoted: an ISO date reads as a date
            out.append(f"# date: {year}-06-23\n")
        elif declared.example is not None:
            out.append(_entry(key, declared.example, False))
    for fmt in FORMATS.values():  # each format's options block (pdf: {page_size, sides})
        if fmt.options:
            out.append("\n" + _comment(f"Options of the {fmt.name.upper()}: " +
                                       " ".join(f"{o.key}: {' or '.join(o.choices)} (default {o.default})."
                                                for o in fmt.options)))
            out.append(_entry(fmt.name, {o.key: o.default for o in fmt.options}, False))
    out.append("\n" + chosen.form)
    return "".join(out)
