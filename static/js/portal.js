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

// Share widget: a copy button for the page's address (the field itself works without JavaScript).
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () { button.textContent = "已复制"; });
    });
  });
})();
