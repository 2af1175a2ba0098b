"""Invitations, invite links and CSV enrolment."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("enrolment", __name__)
