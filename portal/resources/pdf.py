"""A one-page PDF of plain lines, made by hand (no library): the course's handout and the demo's."""
from __future__ import annotations


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, lines: list[tuple[bool, int, str]]) -> bytes:
    """`lines`: (bold, size in points, text) from the top of an A4 page; text in Latin-1."""
    y, ops = 770, ["BT"]
    for bold, size, text in lines:
        ops.append(f"/{'F2' if bold else 'F1'} {size} Tf 1 0 0 1 56 {y} Tm ({_escape(text)}) Tj")
        y -= size + 9
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Lang(en-GB)/ViewerPreferences<</DisplayDocTitle true>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R/F2 5 0 R>>>>/Contents 7 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>",
        b"<</Title(" + _escape(title).encode("latin-1") + b")/Author(Cohort Portal course team)>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj".encode() + body + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R/Info 6 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
