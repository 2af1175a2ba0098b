"""Write content/resources/files/course-at-a-glance.pdf: a one-page handout, plain PDF made by hand (no library).

Run again after changing LINES: .venv/bin/python scripts/make-course-pdf.py
"""
from pathlib import Path

LINES = [
    ("F2", 18, "Peer support training: the course at a glance"),
    ("F1", 11, ""),
    ("F1", 11, "Eleven sessions, each with a discussion space and, from session 2, practice exercises."),
    ("F1", 11, ""),
    ("F1", 11, "1  Getting started together: confidentiality, taking part, commitment"),
    ("F1", 11, "2  What is recovery? Where the approach came from and what helps"),
    ("F1", 11, "3  Personal recovery: your own story and the ideas of session 2"),
    ("F1", 11, "4  What is peer support? What a peer is, and how peer support links to recovery"),
    ("F1", 11, "5  The peer relationship: mutuality, power, choice and control"),
    ("F1", 11, "6  Review: learning so far, and support with the first assignment"),
    ("F1", 11, "7  Language and communication: listening and recovery language"),
    ("F1", 11, "8  Using your experiences: sharing with purpose"),
    ("F1", 11, "9  Surviving and thriving: strengths, resilience and hope"),
    ("F1", 11, "10 Positive risk taking and boundaries"),
    ("F1", 11, "11 Final review: looking back, the final assignment, what comes next"),
    ("F1", 11, ""),
    ("F2", 12, "What we ask of each other"),
    ("F1", 11, "Keep what others share in the group. Share only what you choose."),
    ("F1", 11, "Come to each session if you can, and tell your facilitators if you can't."),
    ("F1", 11, "Look after yourself: take breaks, and use Need help now? in the portal if you need to."),
]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build() -> bytes:
    y, ops = 770, ["BT"]
    for font, size, text in LINES:
        ops.append(f"/{font} {size} Tf 1 0 0 1 56 {y} Tm ({_escape(text)}) Tj")
        y -= size + 9
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Lang(en-GB)/ViewerPreferences<</DisplayDocTitle true>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R/F2 5 0 R>>>>/Contents 7 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>",
        b"<</Title(The course at a glance)/Author(Cohort Portal course team)>>",
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


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "content/resources/files/course-at-a-glance.pdf"
    target.write_bytes(build())
    print(f"Wrote {target} ({target.stat().st_size} bytes)")
