// Accessible names for the controls Django's admin widgets draw without one, so that a screen
// reader says what each box is (axe-core checks every admin page in tests/browser/):
// - select2 (autocomplete_fields): its box and its search field take the field's label;
// - SelectFilter2 (filter_horizontal): the filter's magnifier icon is an image, named;
// - tabular inlines: each cell's input takes its column head and row, "资金分配 第 1 行 金额".
// The widgets draw late (select2 on ready, SelectFilter2 on load, inline rows on "添加"), so
// one observer names whatever appears.
"use strict";
(function () {
    function labelText(id) {
        const label = document.querySelector('label[for="' + id + '"]');
        return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
    }

    function nameSelect2(container) {
        const select = container.previousElementSibling;
        if (!select || select.tagName !== "SELECT" || !select.id) {
            return;
        }
        const name = labelText(select.id) || cellName(select);
        if (!name) {
            return;
        }
        container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field')
            .forEach(function (element) {
                element.removeAttribute("aria-labelledby");
                element.setAttribute("aria-label", name);
            });
    }

    function nameDropdownSearch(field) {
        // The dropdown's own search box (single selects) belongs to the open select2.
        const open = document.querySelector(".select2-container--open");
        if (open && open.previousElementSibling && open.previousElementSibling.tagName === "SELECT") {
            const select = open.previousElementSibling;
            field.setAttribute("aria-label", "搜索" + (labelText(select.id) || cellName(select)));
        }
    }

    function cellName(control) {
        // "资金分配 第 1 行 金额": the inline's heading, the row, the column head.
        const cell = control.closest("td");
        const table = control.closest("table");
        const row = control.closest("tr.form-row");
        const fieldClass = cell && Array.from(cell.classList).find(function (c) {
            return c.startsWith("field-");
        });
        if (!fieldClass || !table || !row) {
            return "";
        }
        const head = table.querySelector("thead th.column-" + fieldClass.slice("field-".length));
        const group = control.closest(".inline-group");
        const heading = group && group.querySelector(".inline-heading");
        const rows = Array.from(table.querySelectorAll("tbody tr.form-row:not(.empty-form)"));
        const parts = [];
        if (heading) {
            // The inline's name without the note in brackets some headings carry.
            parts.push(heading.textContent.replace(/[（(].*$/s, "").trim());
        }
        if (rows.includes(row)) {
            parts.push("第 " + (rows.indexOf(row) + 1) + " 行");
        }
        if (head) {
            parts.push(head.textContent.trim());
        }
        return parts.join(" ");
    }

    function nameCell(control) {
        if (control.type === "hidden" || control.labels.length || control.hasAttribute("aria-label")) {
            return;
        }
        const text = cellName(control);
        if (text) {
            control.setAttribute("aria-label", text);
        }
    }

    function name(root) {
        if (!(root instanceof Element)) {
            return;
        }
        const within = function (selector) {
            const found = Array.from(root.querySelectorAll(selector));
            return root.matches(selector) ? [root].concat(found) : found;
        };
        within(".select2-container").forEach(nameSelect2);
        within(".select2-dropdown .select2-search__field").forEach(nameDropdownSearch);
        within(".selector .search-label-icon[aria-label]").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
        within(".tabular td input, .tabular td select, .tabular td textarea").forEach(nameCell);
    }

    function start() {
        name(document.body);
        new MutationObserver(function (mutations) {
            mutations.forEach(function (mutation) {
                mutation.addedNodes.forEach(name);
                if (mutation.type === "attributes") {
                    name(mutation.target);
                }
            });
        }).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["class"],
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
