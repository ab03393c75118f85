// The console's own script: htmx settings, answer templates, triage keyboard shortcuts.
"use strict";

// Swap 4xx/5xx answers too: the server sends the Russian notice or error page to show.
document.addEventListener("DOMContentLoaded", function () {
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "[45]..", swap: true, error: true },
    ];
  }
  selectRow(0);
});

// "Вставить шаблон": put the chosen answer template into the answer's textarea.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".insert-template");
  if (!button) return;
  var form = button.closest("form");
  var picker = form.querySelector("#answer-template");
  var text = form.querySelector("textarea[name=text]");
  if (picker && text && picker.value) { text.value = picker.value; text.focus(); }
});

function rows() { return Array.prototype.slice.call(document.querySelectorAll(".triage-row")); }

function selectedIndex() { return rows().findIndex(function (r) { return r.classList.contains("selected"); }); }

function selectRow(index) {
  var all = rows();
  if (!all.length) return;
  var i = Math.max(0, Math.min(index, all.length - 1));
  all.forEach(function (r, n) { r.classList.toggle("selected", n === i); r.setAttribute("aria-selected", String(n === i)); });
  all[i].focus({ preventScroll: true });
  all[i].scrollIntoView({ block: "nearest" });
}

function suggest(n) {
  var row = rows()[selectedIndex()];
  var buttons = row ? row.querySelectorAll("[data-testid=suggestion]") : [];
  if (buttons[n]) buttons[n].click();
}

function typing(target) {
  var tag = target && target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
}

document.addEventListener("keydown", function (event) {
  if (!rows().length || typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  var key = event.key;
  var current = selectedIndex();
  if (key === "j" || key === "n") selectRow(current + 1);
  else if (key === "k") selectRow(current - 1);
  else if (key === "a") suggest(0);
  else if (/^[1-9]$/.test(key)) suggest(Number(key) - 1);
  else if (key === "o") {
    var link = rows()[current] && rows()[current].querySelector("a.open");
    if (link) link.click();
  } else return;
  event.preventDefault();
});
