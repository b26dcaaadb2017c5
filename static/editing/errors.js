// After a refused save, the form opens at the note that says what to correct, and a screen
// reader reads it out: otherwise the page opens at its top, with the note somewhere below.
// Not on the login page, where the name field keeps the focus.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const note = document.querySelector("#content-main .errornote");
  if (!note || document.body.classList.contains("login")) {
    return;
  }
  note.setAttribute("tabindex", "-1");
  note.focus();
});
