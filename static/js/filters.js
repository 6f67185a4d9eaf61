/* The list pages' filter menus (counties/filters.py CheckboxMenu, CountyPicker). Vanilla, no
   dependencies, and nothing depends on it: the menus are checkboxes in <details>, which submit
   and open with the keyboard as they are. This script only
   - keeps each menu's summary naming what is chosen, and keeps one menu open at a time
     (Escape closes it);
   - narrows the county menu to the chosen prefecture (data-narrowed-by): boxes of other
     prefectures are hidden, cleared and disabled; when the page lists another prefecture's
     counties only (data-narrowed-to, narrowed by the server, which also refuses a county
     outside the prefecture), it asks the server for the new list;
   - shows the county menu's find box: what is typed (part of a name, or of a code) narrows
     the list, Enter ticks the first county left and clears the box. */
(function () {
  "use strict";

  // The menus drop over the page only where this script closes them (filters.css).
  document.documentElement.classList.add("js-menus");

  var NAMED = 3; // as counties/filters.py SUMMARY_NAMED

  function summarize(menu) {
    var labels = [];
    menu.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      labels.push(box.parentNode.textContent.trim());
    });
    var text = menu.dataset.allLabel || "";
    if (labels.length > NAMED) {
      text = labels.slice(0, NAMED).join("、") + "等" + labels.length + "个";
    } else if (labels.length) {
      text = labels.join("、");
    }
    menu.querySelector("summary").textContent = text;
  }

  // Shows the county boxes of the chosen prefecture that match what is typed; returns how many
  // boxes the prefecture has in the menu.
  function refresh(picker, prefecture, find) {
    var code = prefecture ? prefecture.value : "";
    var words = find ? find.value.trim().toLowerCase() : "";
    var inPrefecture = 0;
    var shown = 0;
    picker.querySelectorAll("fieldset[data-prefecture]").forEach(function (group) {
      var ours = !code || group.dataset.prefecture === code;
      var groupShown = 0;
      group.querySelectorAll("label").forEach(function (label) {
        var box = label.querySelector("input");
        if (!ours && box.checked) box.checked = false;
        box.disabled = !ours;
        if (ours) inPrefecture += 1;
        var text = label.textContent.trim().toLowerCase();
        var match = !words || text.indexOf(words) !== -1 || box.value.indexOf(words) === 0;
        label.hidden = !(ours && match);
        if (!label.hidden) groupShown += 1;
      });
      group.hidden = groupShown === 0;
      shown += groupShown;
    });
    var none = picker.querySelector(".menu-none");
    if (none) none.hidden = shown > 0 || !words;
    return inPrefecture;
  }

  function setUpPicker(picker) {
    var form = picker.closest("form");
    var prefecture = form && form.elements[picker.dataset.narrowedBy];
    var finder = picker.querySelector(".menu-find");
    var find = finder && finder.querySelector("input");
    if (finder) finder.hidden = false;
    refresh(picker, prefecture, find);
    if (prefecture) {
      prefecture.addEventListener("change", function () {
        var count = refresh(picker, prefecture, find);
        var narrowed = picker.dataset.narrowedTo;
        // Counties the page does not list: ask the server for them.
        if ((prefecture.value && count === 0) || (!prefecture.value && narrowed)) form.submit();
        summarize(picker);
      });
    }
    if (!find) return;
    find.addEventListener("input", function () {
      refresh(picker, prefecture, find);
    });
    find.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault(); // ticks a county instead of submitting the form
      var first = picker.querySelector("label:not([hidden]) input:not(:disabled)");
      if (!first || !find.value.trim()) return;
      first.checked = true;
      find.value = "";
      refresh(picker, prefecture, find);
      summarize(picker);
    });
    picker.addEventListener("toggle", function () {
      if (picker.open) find.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var menus = document.querySelectorAll("details.menu");
    menus.forEach(function (menu) {
      menu.addEventListener("change", function () {
        summarize(menu);
      });
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        menus.forEach(function (other) {
          if (other !== menu) other.open = false;
        });
      });
      menu.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !menu.open) return;
        menu.open = false;
        menu.querySelector("summary").focus();
      });
      if (menu.dataset.narrowedBy) setUpPicker(menu);
    });
    // A click elsewhere closes the open menu.
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  });
})();
