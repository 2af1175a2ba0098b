"""Write content/resources/files/course-at-a-glance.pdf: a one-page handout, plain PDF made by hand (no library).

Run again after changing LINES: .venv/bin/python scripts/make-course-pdf.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from portal.resources.pdf import simple_pdf  # noqa: E402

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


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "content/resources/files/course-at-a-glance.pdf"
    target.write_bytes(simple_pdf("The course at a glance", [(f == "F2", size, text) for f, size, text in LINES]))
    print(f"Wrote {target} ({target.stat().st_size} bytes)")
