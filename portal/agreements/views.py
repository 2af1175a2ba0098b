"""Reading and accepting the group agreement."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/cohorts/<int:cohort_id>")
