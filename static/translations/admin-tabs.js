// Marks the admin's language tabs that hold a missing or outdated field, so a translator sees
// at a glance which language needs work. The fields themselves are marked by the server.
"use strict";
window.addEventListener("load", function () {
  document.querySelectorAll("[data-translation-state]").forEach(function (field) {
    const panel = field.closest(".ui-tabs-panel");
    if (!panel) {
      return;
    }
    const tab = document.querySelector('a[href="#' + panel.id + '"]');
    const state = field.dataset.translationState;
    if (!tab || tab.querySelector(".translation-flag--" + state)) {
      return;
    }
    const flag = document.createElement("span");
    flag.className = "translation-flag translation-flag--" + state;
    flag.textContent = " (" + field.dataset.translationLabel + ")";
    tab.appendChild(flag);
  });
});
