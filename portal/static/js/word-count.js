// A live word count under the text box; without JavaScript, "Count the words" shows it on preview.
document.querySelectorAll("[data-word-count-for]").forEach(function (out) {
  var box = document.getElementById(out.getAttribute("data-word-count-for"));
  if (!box) return;
  var update = function () {
    var n = box.value.trim() ? box.value.trim().split(/\s+/).length : 0;
    out.textContent = n + (n === 1 ? " word" : " words");
  };
  box.addEventListener("input", update);
  update();
});
