"""My data pages: the export (ask, then download by a signed link) and asking to be erased; and the site
administrators' confirmation of erasure requests."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from portal.dates import utcnow
from portal.errors import DomainError, NotFound
from portal.extensions import limiter, user_key
from portal.permissions import SITE_ADMIN, USER, access
from portal.privacy import erasure, services

bp = Blueprint("privacy", __name__, url_prefix="/my-data")
admin_bp = Blueprint("erasure_admin", __name__, url_prefix="/admin/erasure-requests")


@bp.get("")
@access(USER, before_agreement=True)
def index():
    """What the portal keeps about me, my exports, and how to be erased."""
    exports = services.exports_of(current_user.id)
    links = {e.id: url_for("privacy.download", export_id=e.id, token=services.sign_export(e))
             for e in exports if e.status == "ready"}
    return render_template("privacy/index.html", exports=exports, links=links,
                           days=current_app.config["DATA_EXPORT_DAYS"], now=utcnow())


@bp.post("/exports")
@access(USER, before_agreement=True)
@limiter.limit("10 per hour", key_func=user_key)
def ask_export():
    """Queue an export; the page says when it is ready."""
    _export, new = services.request_export(current_user)
    flash("We're putting your data together. This page will have the download when it's ready."
          if new else "Your data is already being put together: it will be here soon.", "success")
    return redirect(url_for("privacy.index"))


@bp.get("/exports/<int:export_id>/<token>")
@access(USER, before_agreement=True)
def download(export_id: int, token: str):
    """The ZIP, for the person it was made for only; a friendly page once it has expired."""
    try:
        path, export = services.export_for_download(current_user, export_id, token)
    except services.ExportGone as gone:
        return render_template("privacy/gone.html", message=gone.message), 410
    name = f"my-data-{export.finished_at:%Y-%m-%d}.zip"
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0)


@bp.route("/erase", methods=["GET", "POST"])
@access(USER, before_agreement=True)
def erase():
    """What erasure does, and the button to ask for it."""
    refusal = None
    if request.method == "POST":
        try:
            erasure.request_erasure(current_user)
        except DomainError as e:
            refusal = e.message
        else:
            flash("Thank you. We've received your request, and a site administrator will confirm it soon. "
                  "We'll keep your account as it is until then.", "success")
            return redirect(url_for("privacy.erase"))
    pending = erasure.has_pending(current_user.id)
    policy = current_app.config["ERASURE_POLICY"]
    return render_template("privacy/erase.html", refusal=refusal, pending=pending, policy=policy), \
        409 if refusal else 200


@admin_bp.get("")
@access(SITE_ADMIN)
def requests():
    """Erasure requests waiting for a site administrator."""
    return render_template("privacy/admin_requests.html", rows=erasure.pending_requests())


@admin_bp.route("/<int:request_id>", methods=["GET", "POST"])
@access(SITE_ADMIN)
def confirm(request_id: int):
    """Confirm one erasure: recorded in the audit log, then the account is anonymised."""
    try:
        item, person = erasure.pending_request(request_id)
    except NotFound:
        abort(404)
    refusal = None
    if request.method == "POST":
        try:
            erasure.confirm_erasure(current_user, request_id)
        except DomainError as e:
            refusal = e.message
        else:
            flash("The account has been erased. The audit log records that you confirmed it.", "success")
            return redirect(url_for("erasure_admin.requests"))
    return render_template("privacy/admin_confirm.html", item=item, person=person, refusal=refusal,
                           policy=current_app.config["ERASURE_POLICY"]), 409 if refusal else 200
