// Progressive enhancement only: every control works without JavaScript.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-print]");
  if (link) {
    event.preventDefault();
    window.print();
  }
});

// Disclosure form: the legal-basis field matters only when the document is not proactively public.
(function () {
  var box = document.querySelector("[data-non-public]");
  if (!box) return;
  var radios = document.querySelectorAll("input[name='attribute']");
  function sync() {
    var checked = document.querySelector("input[name='attribute']:checked");
    box.hidden = !checked || checked.value === "proactive";
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();

// Move focus to an error summary so screen-reader and keyboard users hear what went wrong.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
