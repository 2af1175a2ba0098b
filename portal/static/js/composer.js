// Composer enhancements: autosave to the server while typing, and a live preview.
// The form works fully without this file; every failure here is silent and harmless.
(function () {
  "use strict";
  var form = document.querySelector("form[data-composer]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-composer-status]");
  var body = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var choice = form.querySelector("select[name=warning_choice]");
  var other = form.querySelector("input[name=warning_other]");
  var token = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var lastSaved = null;

  function say(text) { if (status) { status.textContent = text; } }

  function warning() {
    if (!choice) { return ""; }
    return choice.value === "other" ? (other ? other.value : "") : choice.value;
  }

  function post(url, fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (k) { data.append(k, fields[k]); });
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    });
  }

  function save() {
    var snapshot = [title ? title.value : "", body.value, warning()].join("\u0000");
    if (snapshot === lastSaved) { return; }
    post(form.dataset.draftUrl, {
      key: form.dataset.draftKey, title: title ? title.value : "", body: body.value, warning: warning()
    }).then(function (response) {
      if (response.ok) {
        lastSaved = snapshot;
        say("Draft saved " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
      } else if (response.status === 401 || response.redirected) {
        say("You have been signed out. Your text is still here: copy it somewhere safe before signing in again.");
      }
    }).catch(function () {
      say("Not connected right now. Your text is still here and will be saved when the connection returns.");
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  [body, title, choice, other].forEach(function (el) {
    if (el) { el.addEventListener("input", schedule); el.addEventListener("change", schedule); }
  });
  window.addEventListener("online", save);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(); } });

  var previewButton = form.querySelector("[data-composer-preview]");
  var area = form.querySelector("[data-composer-preview-area]");
  var areaBody = form.querySelector("[data-composer-preview-body]");
  if (previewButton && area && areaBody) {
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      post(form.dataset.previewUrl, { body: body.value }).then(function (response) {
        if (!response.ok) { throw new Error("preview failed"); }
        return response.text();
      }).then(function (html) {
        areaBody.innerHTML = html;  // sanitised on the server by the same code that stores posts
        area.hidden = false;
        area.scrollIntoView({ block: "nearest" });
      }).catch(function () { form.requestSubmit(previewButton); });
    });
  }
})();
