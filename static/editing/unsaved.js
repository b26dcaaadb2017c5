// Fills a form in again with what its editor was saving when their session had ended: the
// server kept the sent fields (collective/editing/unsaved.py) and puts them in the page as
// JSON. Nothing is saved here; the note above the form tells the editor to check and save.
"use strict";
(function () {
  const data = document.getElementById("unsaved-form");
  const note = document.getElementById("unsaved-form-note");
  if (!data || !note) {
    return;
  }
  const sent = new Map();
  JSON.parse(data.textContent).forEach(function (pair) {
    if (!sent.has(pair[0])) {
      sent.set(pair[0], []);
    }
    sent.get(pair[0]).push(pair[1]);
  });
  const form = Array.from(document.querySelectorAll("form")).find(function (candidate) {
    return candidate.method === "post" && Array.from(sent.keys()).some(function (name) {
      return candidate.elements.namedItem(name);
    });
  });
  if (!form) {
    return;
  }
  const NOT_FILLED = ["submit", "button", "reset", "image", "file"];
  const taken = new Map(); // how many values of a repeated name are used up
  let filled = 0;
  Array.from(form.elements).forEach(function (field) {
    if (!field.name || NOT_FILLED.includes(field.type) || field.name === "csrfmiddlewaretoken") {
      return;
    }
    const values = sent.get(field.name) || [];
    if (field.type === "checkbox" || field.type === "radio") {
      // A box left out of a sent form was not ticked.
      field.checked = values.includes(field.value);
    } else if (field.tagName === "SELECT" && field.multiple) {
      Array.from(field.options).forEach(function (option) {
        option.selected = values.includes(option.value);
      });
    } else {
      const index = taken.get(field.name) || 0;
      if (index >= values.length) {
        return;
      }
      taken.set(field.name, index + 1);
      field.value = values[index];
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    filled += 1;
  });
  if (filled) {
    note.hidden = false;
  }
})();
