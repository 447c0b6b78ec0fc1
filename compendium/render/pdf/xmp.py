"""PDF render, XMP: the document's metadata stream (ISO 16684-1), as printers' preflight tools read it.

Dublin Core title, creators, description, subject keywords, language and date; the XMP basic
and PDF schemas' creation date, creator tool and producer. Deterministic: no generated ids, no
clock, so a rebuild gives the same bytes.
"""
from __future__ import annotations

from xml.sax.saxutils import escape


def _alt(value: str, lang: str = "x-default") -> str:
    return f'<rdf:Alt><rdf:li xml:lang="{lang}">{escape(value)}</rdf:li></rdf:Alt>'


def _seq(values: list[str]) -> str:
    return "<rdf:Seq>" + "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values) + "</rdf:Seq>"


def _bag(values: list[str]) -> str:
    return "<rdf:Bag>" + "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values) + "</rdf:Bag>"


def xmp_packet(title: str, authors: list[str], subject: str, keywords: str | list[str], language: str, date: str,
               creator: str, producer: str) -> str:
    """The XMP packet (UTF-8 XML text) for a PDF's /Metadata stream.

    date: ISO 8601 (e.g. "2012-06-23T00:00:00Z"); language: a BCP 47 tag.
    """
    words = [k.strip() for k in (keywords.split(",") if isinstance(keywords, str) else keywords) if k.strip()]
    dc = ["<dc:format>application/pdf</dc:format>", f"<dc:title>{_alt(title)}</dc:title>"]
    if authors:
        dc.append(f"<dc:creator>{_seq(authors)}</dc:creator>")
    if subject:
        dc.append(f"<dc:description>{_alt(subject)}</dc:description>")
    if words:
        dc.append(f"<dc:subject>{_bag(words)}</dc:subject>")
    if language:
        dc.append(f"<dc:language>{_bag([language])}</dc:language>")
    if date:
        dc.append(f"<dc:date>{_seq([date])}</dc:date>")
    xmp = [f"<xmp:CreateDate>{date}</xmp:CreateDate>", f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
           f"<xmp:MetadataDate>{date}</xmp:MetadataDate>", f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>"]
    pdf = [f"<pdf:Producer>{escape(producer)}</pdf:Producer>", f"<pdf:Keywords>{escape(', '.join(words))}</pdf:Keywords>"]
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        + "\n".join(dc + xmp + pdf) +
        '\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>'
    )
