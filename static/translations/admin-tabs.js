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
      const tab = panel && document.querySelector(
        '[aria-controls="' + panel.id + '"] .ui-tabs-anchor'
      );
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

  // jQuery UI makes each tab's <li> the tab (role "tab", focusable, arrow keys) and leaves a
  // link in it, focusable by a click: a control inside a control, which screen readers
  // announce twice or not at all (WCAG 4.1.2, axe's nested-interactive). Once the tabs are
  // built their links only carry the label: jQuery UI finds each panel by the tab's
  // aria-controls and activates a tab by a click or a key on the <li>. Only its test whether
  // a tab's panel must be fetched from elsewhere reads the link's address: without one, the
  // panel is on the page.
  function untangleTabs() {
    const anchors = document.querySelectorAll(".ui-tabs-anchor[href]");
    const tabs = window.jQuery && window.jQuery.ui && window.jQuery.ui.tabs;
    if (!anchors.length || !tabs) {
      return;
    }
    if (!tabs.prototype.panelsOnThePage) {
      const isLocal = tabs.prototype._isLocal;
      tabs.prototype._isLocal = function (anchor) {
        return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
      };
      tabs.prototype.panelsOnThePage = true;
    }
    anchors.forEach(function (anchor) {
      anchor.removeAttribute("href");
      anchor.removeAttribute("tabindex");
    });
  }

  function update() {
    untangleTabs();
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
