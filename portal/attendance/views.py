"""Recording and seeing attendance."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/cohorts/<int:cohort_id>")
