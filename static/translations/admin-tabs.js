// Marks the admin's language tabs that hold a missing or outdated field, so a translator sees
// at a glance which language needs work. The fields themselves are marked by the server.
//
// modeltranslation builds the tabs in a jQuery ready handler, which jQuery 3 runs
// asynchronously: it may come after the page's load event. So the marks are (re)applied
// whenever the page's elements change, for the first few seconds.
"use strict";
// Dutch is the source language: the forms open on its tab whatever the admin's own language,
// as modeltranslation's language switch does (left on, it opens an English admin on the EN
// tab while the switch shows NL, and a new member's slug follows the empty Dutch name).
window.MODELTRANSLATION_AUTO_SELECT_CURRENT_LANGUAGE = false;
(function () {
  function markTabs() {
    document.querySelectorAll("[data-translation-state]").forEach(function (field) {
      const panel = field.closest(".ui-tabs-panel");
      const tab = panel && document.querySelector('a[href="#' + panel.id + '"]');
      const state = field.dataset.translationState;
      if (!tab || tab.querySelector(".translation-flag--" + state)) {
        return;
      }
      const flag = document.createElement("span");
      flag.className = "translation-flag translation-flag--" + state;
      flag.textContent = " (" + field.dataset.translationLabel + ")";
      tab.appendChild(flag);
    });
  }

  // modeltranslation's "all languages" switch is a <select> without a label.
  function labelSwitch() {
    const select = document.getElementById("modeltranslation-main-switch");
    const label = document.getElementById("translation-switch-label");
    if (select && label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.dataset.label);
    }
  }

  function update() {
    markTabs();
    labelSwitch();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const observer = new MutationObserver(update);
    observer.observe(document.body, { childList: true, subtree: true });
    window.setTimeout(function () { observer.disconnect(); }, 5000);
    update();
  });
  window.addEventListener("load", update);
})();
