/* Keyboard and accessibility helpers for every admin page (same-origin: the CSP
   allows no CDN). Focus lands where the clerk types next, errors are tied to
   their fields for screen readers, and Enter saves a form. */
(function () {
  "use strict";

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function fields(form) {
    var selector =
      'input:not([type="hidden"]):not([type="submit"]):not([type="button"]):not([readonly]),' +
      "select, textarea";
    return Array.prototype.filter.call(form.querySelectorAll(selector), function (el) {
      return !el.disabled && visible(el);
    });
  }

  function addDescribedBy(el, id) {
    var current = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (current.indexOf(id) === -1) current.push(id);
    el.setAttribute("aria-describedby", current.join(" "));
  }

  /* Errors and help texts: announced with their field (WCAG 3.3.1, 1.3.1). */
  function tieMessages(root) {
    root.querySelectorAll(".form-group").forEach(function (group) {
      var control = group.querySelector("input:not([type=hidden]), select, textarea");
      if (!control || !control.id) return;
      var feedback = group.querySelector(".invalid-feedback");
      if (feedback && control.classList.contains("is-invalid")) {
        feedback.id = feedback.id || control.id + "-error";
        control.setAttribute("aria-invalid", "true");
        addDescribedBy(control, feedback.id);
      }
      var help = group.querySelector("small.form-text");
      if (help) {
        help.id = help.id || control.id + "-help";
        addDescribedBy(control, help.id);
      }
    });
  }

  /* Flask-Admin's list controls carry no label of their own. */
  function labelControls(root) {
    root.querySelectorAll('input[name="search"]:not([type="hidden"])').forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", "Buscar en la lista");
    });
    root.querySelectorAll("input.action-rowtoggle").forEach(function (el) {
      el.setAttribute("aria-label", "Seleccionar todas las filas");
    });
    root.querySelectorAll("input.action-checkbox").forEach(function (el) {
      el.setAttribute("aria-label", "Seleccionar la fila " + el.value);
    });
    root.querySelectorAll('select[name="page_size"], select.filter-op').forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", el.title || "Opción");
    });
    /* The list headers' help icons: Bootstrap's tooltip moves their title away. */
    root.querySelectorAll('[data-role="tooltip"]').forEach(function (el) {
      var ayuda = el.getAttribute("data-original-title") || el.title;
      if (!el.textContent.trim() && !el.getAttribute("aria-label") && ayuda) {
        el.setAttribute("aria-label", "Ayuda: " + ayuda);
      }
    });
    root.querySelectorAll("a.icon, button.icon, a[title], button[title]").forEach(function (el) {
      if (!el.textContent.trim() && !el.getAttribute("aria-label") && el.title) {
        el.setAttribute("aria-label", el.title);
      }
    });
  }

  /* A table wider than the screen scrolls inside its box; while it does, the box
     is a named region that takes the keyboard's focus (WCAG 2.1.1, axe's
     scrollable-region-focusable), and leaves the tab order when it fits again. */
  function scrollRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var heading = box.previousElementSibling;
        var name = box.getAttribute("data-region") ||
          (heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent.trim() : "") ||
          (box.querySelector(".model-list") ? "Lista" : "Tabla");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name + " (desplace a los lados para ver todo)");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  /* Focus: the first field with an error, else the first field of the form,
     else the list's search box. Never steal focus the user already placed. */
  function placeFocus() {
    if (location.hash || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    var form = document.querySelector("form.admin-form, form[data-focus-first]");
    var target = null;
    if (form) {
      var list = fields(form);
      target =
        list.filter(function (el) {
          return el.classList.contains("is-invalid");
        })[0] || list[0];
    }
    if (!target) target = document.querySelector('input[name="search"]');
    if (target && visible(target)) target.focus({ preventScroll: false });
  }

  /* Enter saves: text inputs submit natively; selects and checkboxes do not,
     and Ctrl+Enter saves from a textarea. Widgets that use Enter themselves
     (autocompletes) call preventDefault or mark themselves as comboboxes. */
  function enterSaves(event) {
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing) return;
    var el = event.target;
    var form = el.form || (el.closest && el.closest("form"));
    if (!form || !form.classList.contains("admin-form")) return;
    if (el.getAttribute("role") === "combobox" || el.getAttribute("aria-expanded") === "true") return;
    var tag = el.tagName.toLowerCase();
    var type = (el.getAttribute("type") || "").toLowerCase();
    var natural = tag === "select" || type === "checkbox" || type === "radio";
    if (!natural && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    var submit = form.querySelector('[type="submit"]');
    if (form.requestSubmit) form.requestSubmit(submit || undefined);
    else if (submit) submit.click();
  }

  function init() {
    tieMessages(document);
    labelControls(document);
    placeFocus();
    scrollRegions();
    window.addEventListener("resize", scrollRegions);
    document.addEventListener("keydown", enterSaves);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
