// Says so when a drag-and-drop reorder in the list is not stored.
//
// django-admin-sortable2 saves the new order with a background request and reports a failure
// only in the browser's console; the rows stay in their new places as if it had worked. A
// session that ended meanwhile even looks like success: the request is redirected to the
// login page, which answers 200. This wraps fetch for that one address and, when the save
// fails, puts a message in an alert region, with a link that reloads the list in its stored
// order. The script runs in the page's head, before the elements it reads exist.
"use strict";
(function () {
  if (!window.fetch) {
    return;
  }
  const originalFetch = window.fetch;

  function updateUrl() {
    const config = document.getElementById("admin_sortable2_config");
    return config && new URL(JSON.parse(config.textContent).update_url, window.location.href).href;
  }

  // Filled in only now: a screen reader announces what appears in the alert region.
  function report() {
    const notice = document.getElementById("reorder-failed");
    if (!notice || notice.firstChild) {
      return;
    }
    const message = document.createElement("p");
    message.className = "errornote";
    message.textContent = notice.dataset.message + " ";
    const reload = document.createElement("a");
    reload.href = window.location.href;
    reload.textContent = notice.dataset.reload;
    message.appendChild(reload);
    notice.appendChild(message);
  }

  window.fetch = function (resource) {
    const request = originalFetch.apply(this, arguments);
    const url = new URL(typeof resource === "string" ? resource : resource.url, window.location.href);
    if (url.href !== updateUrl()) {
      return request;
    }
    return request.then(
      function (response) {
        if (!response.ok || response.redirected) {
          report();
        }
        return response;
      },
      function (error) {
        report();
        throw error;
      }
    );
  };
})();
