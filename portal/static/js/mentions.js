// @mentions in the composer: typing "@" and a few letters lists the cohort's members (from the members
// lookup); Up/Down choose, Enter or Tab puts the name in, Escape closes. Without this script, typing
// "@Their Name" works the same: mentions are read from the words when the post is saved.
(function () {
  "use strict";
  function setUp(form) {
    var url = form.getAttribute("data-mentions-url");
    var box = form.querySelector('textarea[data-composer="body"]');
    if (!url || !box) { return; }
    var list = document.createElement("ul");
    list.id = box.id + "-mentions";
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);
    var names = [], active = -1, start = -1, asked = 0;

    function close() {
      list.hidden = true; names = []; active = -1;
      box.removeAttribute("aria-activedescendant");
    }
    function show() {
      list.textContent = "";
      names.forEach(function (name, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.textContent = name;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = names.length === 0;
      if (active >= 0) { box.setAttribute("aria-activedescendant", list.id + "-" + active); }
      else { box.removeAttribute("aria-activedescendant"); }
    }
    function choose(i) {
      var name = names[i];
      var before = box.value.slice(0, start), after = box.value.slice(box.selectionStart);
      box.value = before + "@" + name + " " + after;
      var caret = before.length + name.length + 2;
      box.setSelectionRange(caret, caret);
      status.textContent = name + " will be mentioned.";
      close();
      box.dispatchEvent(new Event("input", { bubbles: true }));  // the draft autosaves as for typing
    }
    function lookUp() {
      var upto = box.value.slice(0, box.selectionStart);
      var match = /(^|[^\w@])@([^@\n]{0,30})$/.exec(upto);
      if (!match || match[2].split(" ").length > 3) { close(); return; }
      start = upto.length - match[2].length - 1;
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(match[2]), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { names: [] }; })
        .then(function (data) {
          if (ticket !== asked) { return; }
          names = data.names || []; active = names.length ? 0 : -1;
          show();
          status.textContent = names.length ? names.length + (names.length === 1 ? " member" : " members") +
            " found: up and down arrows to choose, Enter to mention." : "";
        })
        .catch(close);
    }
    box.addEventListener("input", function (e) { if (e.isTrusted !== false) { lookUp(); } });
    box.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : names.length - 1)) % names.length;
        show();
        status.textContent = names[active];
      } else if ((e.key === "Enter" || e.key === "Tab") && active >= 0) {
        e.preventDefault(); choose(active);
      } else if (e.key === "Escape") {
        e.preventDefault(); close();
      }
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("form[data-mentions-url]").forEach(setUp);
})();
