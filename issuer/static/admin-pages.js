// The admin pages for the people who award: the badge editor's live preview and the
// confirmation dialog of status and key changes. Progressive enhancement only: every
// page works without this file (the preview updates on save; a confirmation page asks).
(function () {
  "use strict";

  // ---------------------------------------------------------------- live preview
  function setupPreview() {
    var form = document.querySelector("form[data-editor]");
    var preview = document.getElementById("preview");
    if (!form || !preview) return;
    var card = preview.querySelector("[data-preview-card]");
    var emptyTemplate = document.getElementById("preview-empty");
    var empty = emptyTemplate ? emptyTemplate.textContent : "";
    var lang = preview.getAttribute("data-lang") || "fi";

    function field(name) {
      var el = form.elements.namedItem(name);
      return el && "value" in el ? el.value.trim() : "";
    }
    function show(key, value) {
      var el = preview.querySelector('[data-preview="' + key + '"]');
      if (el) el.textContent = value || empty;
    }
    function update() {
      var name = field("name_" + lang);
      show("name", name);
      show("description", field("description_" + lang));
      show("criteria", field("criteria_" + lang));
      var type = form.elements.namedItem("achievement_type");
      if (type && type.selectedIndex >= 0) show("type", type.options[type.selectedIndex].text);
      var initials = preview.querySelector("[data-preview-initials]");
      if (initials) {
        var letters = name.split(/\s+/).filter(Boolean).slice(0, 2).map(function (w) { return w.charAt(0); });
        initials.textContent = (letters.join("") || "?").toUpperCase();
      }
      var list = preview.querySelector('[data-preview="levels"]');
      if (list) {
        list.textContent = "";
        form.querySelectorAll("[data-level-row]").forEach(function (row) {
          var key = row.querySelector('[data-level="key"]');
          var named = row.querySelector('[data-level="' + lang + '"]');
          var text = (named && named.value.trim()) || (key && key.value.trim());
          if (text) {
            var li = document.createElement("li");
            li.textContent = text;
            list.appendChild(li);
          }
        });
      }
      if (card) card.setAttribute("lang", lang);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    preview.querySelectorAll("[data-preview-lang]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        lang = link.getAttribute("data-preview-lang");
        preview.setAttribute("data-lang", lang);
        preview.querySelectorAll("[data-preview-lang]").forEach(function (other) {
          if (other === link) other.setAttribute("aria-current", "true");
          else other.removeAttribute("aria-current");
        });
        update();
      });
    });

    var fileInput = form.querySelector("[data-image-input]");
    var image = preview.querySelector("[data-preview-image]");
    var artwork = preview.querySelector("[data-preview-artwork]");
    if (fileInput && image && window.FileReader) {
      fileInput.addEventListener("change", function () {
        var file = fileInput.files && fileInput.files[0];
        var max = parseInt(fileInput.getAttribute("data-max-bytes") || "0", 10);
        if (!file || (max && file.size > max) || !/^image\/(png|svg\+xml)$/.test(file.type)) return;
        var reader = new FileReader();
        reader.onload = function () {
          image.src = String(reader.result);
          image.hidden = false;
          if (artwork) artwork.setAttribute("hidden", "");
        };
        reader.readAsDataURL(file);
      });
    }
    update();
  }

  // ---------------------------------------------------------------- confirmation dialog
  function setupConfirm() {
    var forms = document.querySelectorAll("form[data-confirm]");
    if (!forms.length || typeof HTMLDialogElement !== "function") return;
    forms.forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var flag = form.querySelector("[data-confirm-field]");
        if (!flag || flag.value === "yes") return;
        var reason = form.querySelector("[data-reason][required]");
        if (reason && !reason.value.trim()) return; // the server shows the field's error
        event.preventDefault();
        openDialog(form, flag);
      });
    });
  }

  function openDialog(form, flag) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    var title = document.createElement("h2");
    title.id = "confirm-dialog-title";
    title.textContent = form.getAttribute("data-confirm-title") || "";
    var question = document.createElement("p");
    question.className = "confirm-question";
    question.textContent = form.getAttribute("data-confirm") || "";
    var buttons = document.createElement("p");
    buttons.className = "actions";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "button primary";
    yes.textContent = form.getAttribute("data-confirm-yes") || "OK";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "button secondary";
    no.textContent = form.getAttribute("data-confirm-no") || "Cancel";
    buttons.appendChild(yes);
    buttons.appendChild(no);
    dialog.appendChild(title);
    dialog.appendChild(question);
    dialog.appendChild(buttons);
    document.body.appendChild(dialog);
    yes.addEventListener("click", function () {
      flag.value = "yes";
      dialog.close();
      form.submit();
    });
    no.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); });
    dialog.showModal();
    no.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPreview();
    setupConfirm();
  });
})();
