"""Test editions for the EPUB tests: hostile fields, every Markdown feature, Arabic and Chinese entries."""
from __future__ import annotations

import io
from pathlib import Path

from tests.helpers import write

EDITION = """\
title: Hostile & <Test> Awards
subtitle: "Every feature, <b>bold</b> or not"
edition: 2013
language: en
license: CC0 1.0
editors: [Ada <script>, "B. Editor"]
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
    description: Services <em>for all</em> & more.
  - id: participation
    name: Fostering Participation
"""


HOSTILE = r'''
id: hostile
year: 2013
title: "<script>alert('t')</script> & \"quoted\" \x01title"
country: KE
institution: "<img src=x onerror=alert(1)> Ministry"
category: service-delivery
place: 1st
summary: |
  # Fake part

  ## Fake chapter

  ### Fake entry

  <script>alert("summary")</script>

  <a href="javascript:alert(2)" onclick="steal()">click</a> and [md link](javascript:alert(3))
  and ![pic](javascript:alert(4)) and <img src=x onerror=alert(5)> ]]> <!-- comment --> &amp; &nbsp; &copy;
sections:
  problem: |
    <iframe src="https://evil.example"></iframe>
    <style>body{display:none}</style>

    [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox) [ok](https://example.org/?a=1&b=<2>)
  solution: |
    <div onmouseover="x()">div</div> <svg onload=alert(6)></svg>
  impact: "\x0b\x0cControl characters and \ufffe noncharacters."
  lessons: |
    <?xml version="1.0"?> <!DOCTYPE x [<!ENTITY e "boom">]> &e;
partners: ["<b onmouseover=\"x\">Partner</b>", "javascript:alert(7)"]
website: "https://example.org/path?q=1&x=y'z"
contact: {name: "<script>n</script>", email: "someone@example.org", public: true}
'''


MARKDOWN = '''
id: markdown
year: 2013
title: "Every Markdown feature"
country: FR
institution: Ministère de la Transformation
category: participation
place: 2nd
summary: |
  Plain, *emphasis*, **strong**, ~~struck~~, `code`, [a link](https://example.org "with title"),
  <https://example.org/autolink>, a hard break<HB>
  here, and a backslash\\
  break.
sections:
  problem: |
    # Heading one
    ## Heading two
    ###### Heading six

    > A quotation
    > > nested

    1. one
    2. two
       - nested bullet
         1. deeper
    3. three

    Between the lists.

    3. starts at three
    4. four

    - [x] done
    - [ ] to do
  solution: |
    | Left | Centre | Right | none |
    |:-----|:------:|------:|------|
    | a    | **b**  | `c`   | [d](https://example.org) |
    | short row |

    ```python
    def f(x):
        return x < 1 and "<tag>"
    ```

        indented code

    ***

    Term with trailing spaces.
  impact: |
    Loose list:

    - item one

    - item two

      second paragraph
  lessons: |
    Done.
'''.replace("<HB>", "  ")  # two trailing spaces: a hard line break


ARABIC = '''
id: arabic
year: 2013
title: "نظام زاجل"
country: BH
institution: هيئة الحكومة الإلكترونية
category: participation
place: 1st
language: ar
summary: |
  «زاجل» هو **النظام** الوطني.
sections:
  problem: مشكلة.
  solution: حل.
  impact: أثر.
  lessons: دروس.
images:
  - file: images/chart.png
    alt: "رسم بياني <script>"
    caption: "نمو الاستخدام"
    credit: "هيئة"
'''


CHINESE = '''
id: chinese
year: 2013
title: "一站式服务"
country: CN
institution: 行政服务中心
category: service-delivery
place: 2nd
language: zh
summary: 中心建立了网上审批系统。
sections:
  problem: 问题。
  solution: 办法。
  impact: 影响。
  lessons: 经验。
'''


def png(width: int = 640, height: int = 360) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (width, height), (240, 240, 250))
    ImageDraw.Draw(im).rectangle((40, 40, width - 40, height - 40), outline=(20, 60, 120), width=8)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def make_project(root: Path) -> Path:
    write(root, "compendium.yaml", EDITION + "introduction: intro.md\n")
    write(root, "intro.md", "# Welcome <script>\n\nIntro with [link](https://example.org).\n\n## Sub\n\nText.\n")
    write(root, "entries/hostile.yaml", HOSTILE.lstrip())
    write(root, "entries/markdown.yaml", MARKDOWN.lstrip())
    write(root, "entries/arabic.yaml", ARABIC.lstrip())
    write(root, "entries/chinese.yaml", CHINESE.lstrip())
    write(root, "entries/images/chart.png", png())
    return root
