// Composer enhancements: autosave to the server while typing, a live preview and live hints.
// The form works fully without this file; every failure here is silent and harmless.
(function () {
  "use strict";
  var form = document.querySelector("form[data-composer]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-composer-status]");
  var body = form.querySelector("textarea[name=body]") || form.querySelector("textarea[data-composer-body]");
  var title = form.querySelector("input[name=title]");
  var choice = form.querySelector("select[name=warning_choice]");
  var other = form.querySelector("input[name=warning_other]");
  var token = form.querySelector("input[name=csrf_token]");
  // Which composer this is: its client token (replies, threads) or the version of the post being edited.
  // Once that has been posted, the server refuses autosaves carrying it.
  var composerToken = form.querySelector("input[name=client_token]") || form.querySelector("input[name=version]");
  // Per person too: a copy never comes back to someone else signing in on the same tab.
  var localKey = ["portal-composer", form.dataset.author, location.pathname, form.dataset.draftKey].join(":");
  var timer = null;
  var lastSaved = null;
  var submitted = false;
  var signedOut = false;

  function say(text) { if (status) { status.textContent = text; } }

  function warning() {
    if (!choice) { return ""; }
    return choice.value === "other" ? (other ? other.value : "") : choice.value;
  }

  function fields() {
    return { title: title ? title.value : "", body: body.value, warning_choice: choice ? choice.value : "",
             warning_other: other ? other.value : "" };
  }

  // A copy in this tab's storage, kept only while the server can't take it (signed out, offline).
  function keepLocally() {
    try { window.sessionStorage.setItem(localKey, JSON.stringify(fields())); } catch (e) { /* private mode */ }
  }
  function forgetLocally() {
    try { window.sessionStorage.removeItem(localKey); } catch (e) { /* private mode */ }
  }
  function restoreLocally() {
    var kept = null;
    try { kept = JSON.parse(window.sessionStorage.getItem(localKey) || "null"); } catch (e) { kept = null; }
    if (!kept || !kept.body || kept.body === body.value) { return; }
    body.value = kept.body;
    if (title && kept.title) { title.value = kept.title; }
    if (choice && kept.warning_choice) { choice.value = kept.warning_choice; }
    if (other && kept.warning_other) { other.value = kept.warning_other; }
    say("We brought back what you were writing before you were signed out. It hasn't been posted yet.");
    schedule();
  }

  function post(url, fields, json) {
    var data = new FormData();
    Object.keys(fields).forEach(function (k) { data.append(k, fields[k]); });
    var headers = { "X-CSRFToken": token ? token.value : "" };
    if (json) { headers.Accept = "application/json"; }
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: headers });
  }

  function lost() {
    signedOut = true;
    keepLocally();
    say("You have been signed out. Your words are kept on this page: sign in again in a new tab, " +
        "then come back here and post.");
  }

  function save() {
    if (submitted) { return; }  // posting clears the draft: a save now would bring the words back
    var snapshot = [title ? title.value : "", body.value, warning()].join("\u0000");
    if (snapshot === lastSaved) { return; }
    if (signedOut) { keepLocally(); }
    post(form.dataset.draftUrl, {
      key: form.dataset.draftKey, title: title ? title.value : "", body: body.value, warning: warning(),
      token: composerToken ? composerToken.value : ""
    }, true).then(function (response) {
      var toLogin = response.redirected && new URL(response.url).pathname === "/login";
      if (response.ok && !response.redirected) {
        lastSaved = snapshot;
        signedOut = false;
        forgetLocally();
        say("Draft saved " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
      } else if (response.status === 401 || toLogin) {
        lost();
      } else if (response.redirected) {  // sent elsewhere first (an updated agreement): not saved
        keepLocally();
        say("Your draft couldn't be saved just now. Your words are still here on this page.");
      }
    }).catch(function () {
      keepLocally();
      say("Not connected right now. Your text is still here and will be saved when the connection returns.");
    });
  }

  function schedule() {
    if (submitted) { return; }
    if (signedOut) { keepLocally(); }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  [body, title, choice, other].forEach(function (el) {
    if (el) { el.addEventListener("input", schedule); el.addEventListener("change", schedule); }
  });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.name === "action") { return; }  // preview or cancel: still writing
    submitted = true;
    window.clearTimeout(timer);
    forgetLocally();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { submitted = false; }  // came Back to this page: writing again
  });
  window.addEventListener("online", save);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(); } });
  restoreLocally();

  // Cancel reply without a round trip (the button also works as a plain form button).
  var cancelReply = form.querySelector("[data-composer-cancel-reply]");
  if (cancelReply) {
    cancelReply.addEventListener("click", function (event) {
      event.preventDefault();
      var replyTo = form.querySelector("input[name=reply_to]");
      var line = form.querySelector("[data-composer-replying]");
      if (replyTo) { replyTo.value = ""; }
      if (line) { line.remove(); }
      cancelReply.remove();
      say("Your reply now answers the thread, not one post.");
      body.focus();
    });
  }

  // Live hints on wording and other people's details: suggestions only, so any failure just leaves the
  // last ones (or none) showing. The server escapes the words it quotes back.
  var hintsArea = form.querySelector("[data-composer-hints]");
  var hintsTimer = null;
  var lastHinted = null;
  function refreshHints() {
    if (!hintsArea || !form.dataset.hintsUrl || body.value === lastHinted) { return; }
    var text = body.value;
    post(form.dataset.hintsUrl, { body: text }, false).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error("no hints"); }
      return response.text();
    }).then(function (html) {
      lastHinted = text;
      html = html.trim();
      if (html !== hintsArea.innerHTML.trim()) { hintsArea.innerHTML = html; }  // unchanged: nothing re-announced
    }).catch(function () { /* hints are a kindness, never in the way */ });
  }
  if (hintsArea) {
    body.addEventListener("input", function () {
      window.clearTimeout(hintsTimer);
      hintsTimer = window.setTimeout(refreshHints, 800);
    });
  }

  var previewButton = form.querySelector("[data-composer-preview]");
  var area = form.querySelector("[data-composer-preview-area]");
  var areaBody = form.querySelector("[data-composer-preview-body]");
  if (previewButton && area && areaBody) {
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      post(form.dataset.previewUrl, { body: body.value }, false).then(function (response) {
        if (!response.ok) { throw new Error("preview failed"); }
        return response.text();
      }).then(function (html) {
        areaBody.innerHTML = html;  // sanitised on the server by the same code that stores posts
        area.hidden = false;
        refreshHints();
        area.scrollIntoView({ block: "nearest" });
      }).catch(function () { form.requestSubmit(previewButton); });
    });
  }
})();
