// Keyboard shortcuts for the review page: j/k move between proposals, a approves, r rejects,
// e opens the edit box, n goes to the next initiative. Keys typed into a form field are left alone.
(function () {
  "use strict";
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("article.proposal.open")); }
  var index = 0;
  function select(i) {
    var all = cards();
    if (!all.length) { return null; }
    index = Math.max(0, Math.min(i, all.length - 1));
    all.forEach(function (c, j) { c.classList.toggle("current", j === index); });
    all[index].scrollIntoView({ block: "nearest" });
    return all[index];
  }
  function current() { return cards()[index] || null; }
  function submit(card, selector) {
    var form = card && card.querySelector(selector);
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.body.classList.contains("review-initiative")) { return; }
    var hash = window.location.hash.replace("#p", "");
    var start = cards().findIndex(function (c) { return c.dataset.proposalId === hash; });
    select(start >= 0 ? start : 0);
    document.addEventListener("keydown", function (event) {
      var t = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) { return; }
      var card = current();
      switch (event.key) {
        case "j": select(index + 1); break;
        case "k": select(index - 1); break;
        case "a": submit(card, "form.approve-form"); break;
        case "r": submit(card, "form.reject-form"); break;
        case "e":
          if (card) {
            var details = card.querySelector("details.edit");
            if (details) { details.open = true; var field = details.querySelector("[name=value]"); if (field) { field.focus(); } }
          }
          break;
        case "n":
          var next = document.getElementById("next-initiative");
          if (next) { window.location.href = next.href; }
          break;
        default: return;
      }
      event.preventDefault();
    });
  });
})();
