/* Narrows a county list to the chosen prefecture: <select data-narrowed-by="prefecture">
   hides the options whose data-prefecture differs. Vanilla, no dependencies. The server
   narrows too (and refuses a county outside the prefecture); this only saves a round trip. */
(function () {
  "use strict";

  function narrow(counties, prefecture) {
    var code = prefecture.value;
    var shown = 0;
    Array.prototype.forEach.call(counties.options, function (option) {
      var keep = !code || option.dataset.prefecture === code;
      option.hidden = !keep;
      option.disabled = !keep;
      if (!keep) option.selected = false;
      if (keep) shown += 1;
    });
    return shown;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-narrowed-by]").forEach(function (counties) {
      var form = counties.form;
      var prefecture = form && form.elements[counties.dataset.narrowedBy];
      if (!prefecture) return;
      narrow(counties, prefecture);
      prefecture.addEventListener("change", function () {
        // The page may list only another prefecture's counties (narrowed by the server):
        // then ask the server for the new prefecture's list.
        if (narrow(counties, prefecture) === 0 && prefecture.value) form.submit();
      });
    });
  });
})();
