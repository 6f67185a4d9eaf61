/* The cadre form (personnel.forms.CadreAdminForm): shows only the field of the posting
   chosen under 派驻到, a county or a prefecture. Without scripts both show, and the server
   keeps the chosen one. Vanilla, no dependencies. */
(function () {
  "use strict";

  function row(name) {
    return document.querySelector(".form-row.field-" + name);
  }

  function show() {
    var chosen = document.querySelector("input[name=posted_to]:checked");
    var posting = chosen ? chosen.value : "county";
    ["county", "prefecture"].forEach(function (name) {
      var field = row(name);
      if (field) field.hidden = name !== posting;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var choices = document.querySelectorAll("input[name=posted_to]");
    if (!choices.length) return;
    choices.forEach(function (choice) {
      choice.addEventListener("change", show);
    });
    show();
  });
})();
