"""The ceiling: the least a web app can do for the same page. One query for the 200 posts (author name,
date, stored HTML), a minimal Jinja template; and a bare insert-and-commit for writes."""
from __future__ import annotations

import os
import sqlite3
import threading

from flask import Flask, render_template_string

app = Flask(__name__)
DATABASE = os.environ.get("BENCH_SQLITE", "")
THREAD_ID = int(os.environ.get("BENCH_THREAD", "0"))
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thread</title></head><body><main>
<ol>{% for name, created, html in posts %}<li><article><header><b>{{ name }}</b> <time>{{ created }}</time></header>
{{ html | safe }}</article></li>{% endfor %}</ol></main></body></html>"""
_local = threading.local()


def _connection() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(DATABASE)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("CREATE TABLE IF NOT EXISTS bench_scratch (id INTEGER PRIMARY KEY, body TEXT, at TEXT)")
    return conn


@app.get("/thread")
def thread():
    posts = _connection().execute(
        "SELECT u.display_name, p.created_at, p.body_html FROM posts p LEFT JOIN users u ON u.id = p.author_id "
        "WHERE p.thread_id = ? ORDER BY p.number", (THREAD_ID,)).fetchall()
    return render_template_string(PAGE, posts=posts)


@app.post("/write")
def write():
    conn = _connection()
    conn.execute("INSERT INTO bench_scratch (body, at) VALUES (?, datetime('now'))", ("x" * 200,))
    conn.commit()
    return "", 204
