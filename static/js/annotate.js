// Annotating in the reader. Everything here improves forms that already work
// without JavaScript: selecting text fills the target fields of the new-annotation
// form (paragraph, start, end, exact, prefix, suffix), regions and sources are
// suggested and searched as you type, highlights and cards point at each other,
// and the keyboard reaches all of it.
(function () {
  "use strict";

  var CONTEXT = 32; // characters of prefix and suffix, as the W3C TextQuoteSelector keeps them
  var form = document.querySelector("[data-annotation-form]");
  var details = document.querySelector("[data-new-annotation]");
  var articleText = document.querySelector("[data-article-text]");
  var panel = document.querySelector("[data-panel]");
  // A form that only points an annotation at a passage (re-attach): no suggestions.
  var targetOnly = !!(form && form.hasAttribute("data-target-only"));
  var selectionTarget = null;
  var annotateButton = null;

  function isTyping(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  // ------------------------------------------------------------ selection to target

  function paragraphOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest(".ptext") : null;
  }

  function currentTarget() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var ptext = paragraphOf(range.startContainer);
    if (!ptext || !articleText || !articleText.contains(ptext)) return null;
    if (paragraphOf(range.endContainer) !== ptext) {
      // A triple click ends the selection at the very start of the next block, past
      // the paragraph's ¶ link: when nothing but that lies beyond the paragraph's
      // text, the selection ends with the paragraph.
      var spill = document.createRange();
      spill.setStart(ptext, ptext.childNodes.length);
      spill.setEnd(range.endContainer, range.endOffset);
      if (spill.toString().replace(/[¶§\s]/g, "") === "") {
        range = range.cloneRange();
        range.setEnd(ptext, ptext.childNodes.length);
      } else {
        // The notice goes where the selection ends, as the button would.
        return { error: "Select a passage within one paragraph.", rect: range.getBoundingClientRect() };
      }
    }
    var before = document.createRange();
    before.selectNodeContents(ptext);
    before.setEnd(range.startContainer, range.startOffset);
    var text = ptext.textContent;
    var start = before.toString().length;
    var end = start + range.toString().length;
    // Trim the spaces a double click or a drag may take along.
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    if (start >= end) return null;
    var element = ptext.closest("[data-paragraph-id]");
    return {
      paragraph: element.getAttribute("data-paragraph-id"),
      position: element.getAttribute("data-position"),
      start: start,
      end: end,
      exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT), start),
      suffix: text.slice(end, end + CONTEXT),
      rect: range.getBoundingClientRect(),
    };
  }

  function hideAnnotateButton() {
    if (annotateButton) annotateButton.hidden = true;
  }

  function showAnnotateButton(target) {
    if (!annotateButton) {
      annotateButton = document.createElement("button");
      annotateButton.type = "button";
      annotateButton.className = "annotate-button";
      annotateButton.setAttribute("aria-keyshortcuts", "a");
      document.body.appendChild(annotateButton);
      annotateButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
      annotateButton.addEventListener("click", function () { openForm(selectionTarget); });
    }
    if (target.error) {
      annotateButton.textContent = target.error;
      annotateButton.disabled = true;
    } else {
      annotateButton.textContent = targetOnly ? "Re-attach here (a)" : "Annotate (a)";
      annotateButton.disabled = false;
    }
    annotateButton.style.top = window.scrollY + target.rect.bottom + 6 + "px";
    annotateButton.style.left = Math.max(8, window.scrollX + target.rect.left) + "px";
    annotateButton.hidden = false;
  }

  function formIsInUse() {
    return form.contains(document.activeElement) && (!details || details.open);
  }

  function onSelectionDone() {
    if (!form || !articleText) return;
    if (formIsInUse()) {
      hideAnnotateButton(); // the form is open for this selection: the button would cover the text
      return;
    }
    var target = currentTarget();
    selectionTarget = target && !target.error ? target : null;
    if (target) showAnnotateButton(target); else hideAnnotateButton();
  }

  function field(name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function openForm(target) {
    if (!form || !target) return;
    field("paragraph").value = target.paragraph;
    field("exact").value = target.exact;
    field("start").value = target.start;
    field("end").value = target.end;
    field("prefix").value = target.prefix;
    field("suffix").value = target.suffix;
    if (details) details.open = true;
    hideAnnotateButton();
    var cancel = form.querySelector("[data-cancel]");
    if (cancel) cancel.hidden = false;
    form.scrollIntoView({ block: "start", behavior: "smooth" });
    var first = form.querySelector('input[name="stance"]:checked') ||
      form.querySelector('input[name="stance"]') || form.querySelector("[data-save]");
    if (first) first.focus({ preventScroll: true });
    if (!targetOnly) suggest(target);
  }

  function closeForm() {
    if (details && details.open) {
      details.open = false;
      var summary = details.querySelector("summary");
      if (summary) summary.focus();
    }
    hideAnnotateButton();
  }

  // Team and public annotations belong to a team: without one, only "private" is offered.
  function followTeam() {
    var team = field("team");
    var noTeam = !team.value;
    form.querySelectorAll('input[name="visibility"]').forEach(function (radio) {
      if (radio.value === "private") return;
      radio.disabled = noTeam;
      radio.closest("label").title = noTeam ? "Choose a team first" : "";
      if (noTeam && radio.checked) form.querySelector('input[name="visibility"][value="private"]').checked = true;
    });
  }

  // A hand-edited quote or paragraph has no offsets any more: the server will find it.
  function forgetOffsets() {
    ["start", "end", "prefix", "suffix"].forEach(function (name) {
      var input = field(name);
      if (input) input.value = "";
    });
  }

  // ------------------------------------------------------------ suggestions

  function addRegionOption(region, checked, suggested) {
    var box = form.querySelector("[data-region-options]");
    if (!box) return;
    var existing = box.querySelector('input[value="' + region.id + '"]');
    if (existing) {
      if (checked) existing.checked = true;
      return;
    }
    var label = document.createElement("label");
    label.className = "region-option" + (suggested ? " region-option--suggested" : "");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.name = "regions";
    input.value = String(region.id);
    input.checked = !!checked;
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + region.name));
    if (suggested) {
      var note = document.createElement("span");
      note.className = "muted";
      note.textContent = " suggested";
      label.appendChild(note);
    }
    box.appendChild(label);
  }

  function setSourceOptions(names) {
    var list = form.querySelector("[data-source-options]");
    if (!list) return;
    list.textContent = "";
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  }

  function showSourceSuggestions(sources) {
    var container = form.querySelector("[data-source-field]");
    var old = container.querySelector("[data-source-suggestions]");
    if (old) old.remove();
    if (!sources.length) return;
    var list = document.createElement("ul");
    list.className = "suggestion-list";
    list.setAttribute("data-source-suggestions", "");
    list.setAttribute("aria-label", "Sources named in the passage");
    sources.slice(0, 4).forEach(function (source) {
      var item = document.createElement("li");
      var use = document.createElement("button");
      use.type = "button";
      use.className = "chip";
      use.textContent = source.name;
      use.title = "Use this source" + (source.why ? " (" + source.why + ")" : "");
      use.addEventListener("click", function () {
        field("source_name").value = source.name;
        if (source.kind && field("source_kind")) field("source_kind").value = source.kind;
      });
      item.appendChild(use);
      if (source.why) {
        var why = document.createElement("span");
        why.className = "muted";
        why.textContent = " " + source.why;
        item.appendChild(why);
      }
      list.appendChild(item);
    });
    container.insertBefore(list, container.querySelector(".help"));
  }

  function suggest(target) {
    var url = form.getAttribute("data-suggest-url");
    if (!url) return;
    var params = new URLSearchParams({
      paragraph: target.paragraph,
      start: target.start,
      end: target.end,
      exact: target.exact,
    });
    getJSON(url + "?" + params.toString()).then(function (data) {
      if (!data) return;
      (data.regions || []).forEach(function (region) { addRegionOption(region, false, true); });
      var sources = data.sources || [];
      setSourceOptions(sources.map(function (source) { return source.name; }));
      showSourceSuggestions(sources);
    });
  }

  // ------------------------------------------------------------ type-ahead

  function regionTypeahead(input) {
    var list = document.createElement("ul");
    list.className = "typeahead";
    list.id = "region-typeahead";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.insertAdjacentElement("afterend", list);
    var results = [];
    var active = -1;

    function render() {
      list.textContent = "";
      results.forEach(function (region, index) {
        var option = document.createElement("li");
        option.id = "region-option-" + region.id;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", index === active ? "true" : "false");
        option.textContent = region.name + (region.parent ? " · " + region.parent : "");
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (active >= 0 && results[active]) {
        input.setAttribute("aria-activedescendant", "region-option-" + results[active].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var region = results[index];
      if (!region) return;
      addRegionOption(region, true, false);
      // Keep the names typed before the one just chosen.
      input.value = input.value.replace(/[^,;]*$/, "").replace(/[,;]\s*$/, "");
      results = [];
      active = -1;
      render();
      input.focus();
    }

    var search = debounce(function () {
      var term = input.value.split(/[,;]/).pop().trim();
      if (term.length < 2) {
        results = [];
        render();
        return;
      }
      getJSON(form.getAttribute("data-region-search-url") + "?q=" + encodeURIComponent(term)).then(function (data) {
        results = (data && data.results) || [];
        active = results.length ? 0 : -1;
        render();
      });
    }, 150);

    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        active = (active + 1) % results.length;
        render();
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        active = (active - 1 + results.length) % results.length;
        render();
        event.preventDefault();
      } else if (event.key === "Enter") {
        choose(active);
        event.preventDefault();
      } else if (event.key === "Escape") {
        results = [];
        render();
        event.stopPropagation();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () { results = []; render(); }, 150);
    });
  }

  function sourceTypeahead(input) {
    var search = debounce(function () {
      var term = input.value.trim();
      if (term.length < 2) return;
      getJSON(form.getAttribute("data-source-search-url") + "?q=" + encodeURIComponent(term)).then(function (data) {
        if (data) setSourceOptions(data.results.map(function (source) { return source.name; }));
      });
    }, 150);
    input.addEventListener("input", search);
  }

  // ------------------------------------------------------------ highlights and cards

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-cards] .card"));
  }

  function marksOf(id) {
    return Array.prototype.filter.call(document.querySelectorAll("mark.hl"), function (mark) {
      return mark.getAttribute("data-annotation-ids").split(" ").indexOf(String(id)) !== -1;
    });
  }

  // The panel shows a page of cards; a highlight whose card is on another page
  // takes the reader to that page, at that card.
  function pageOf(id) {
    var order = document.getElementById("annotation-order");
    var cardsBox = document.querySelector("[data-cards]");
    if (!order || !cardsBox) return null;
    var index = JSON.parse(order.textContent).indexOf(Number(id));
    if (index === -1) return null;
    return Math.floor(index / Number(cardsBox.getAttribute("data-per-page"))) + 1;
  }

  function goToCardPage(id) {
    var page = pageOf(id);
    var cardsBox = document.querySelector("[data-cards]");
    if (!page || !cardsBox || String(page) === cardsBox.getAttribute("data-page")) return false;
    var query = cardsBox.getAttribute("data-query");
    window.location.href = "?" + (query ? query + "&" : "") + "cards=" + page + "#hl-" + id;
    return true;
  }

  function activate(id, options) {
    options = options || {};
    if (!document.getElementById("a-" + id) && options.followPages && goToCardPage(id)) return;
    document.querySelectorAll(".card.is-active, mark.hl.is-active").forEach(function (el) {
      el.classList.remove("is-active");
    });
    var card = document.getElementById("a-" + id);
    var marks = marksOf(id);
    marks.forEach(function (mark) { mark.classList.add("is-active"); });
    if (card) {
      card.classList.add("is-active");
      card.scrollIntoView({ block: "nearest" });
      if (options.focusCard) card.focus({ preventScroll: true });
    }
    if (options.scrollText && marks.length) {
      marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  function onTextClick(event) {
    var mark = event.target.closest("mark.hl");
    if (!mark || !window.getSelection().isCollapsed) return;
    var ids = mark.getAttribute("data-annotation-ids").split(" ");
    // Clicking the same highlight again brings the next annotation under it forward.
    var current = document.querySelector(".card.is-active");
    var index = current ? ids.indexOf(current.getAttribute("data-annotation-id")) : -1;
    activate(ids[(index + 1) % ids.length], { focusCard: false, followPages: true });
  }

  function onCardClick(event) {
    var card = event.target.closest(".card");
    if (!card) return;
    var jump = event.target.closest("[data-jump]");
    if (event.target.closest("a") && !jump) return; // a filter link or an action
    if (jump) event.preventDefault();
    activate(card.getAttribute("data-annotation-id"), { scrollText: true });
  }

  function moveBy(step) {
    var list = cards();
    if (!list.length) return;
    var current = document.querySelector(".card.is-active");
    var index = current ? list.indexOf(current) : -1;
    var next = list[Math.min(list.length - 1, Math.max(0, index + step))];
    if (index === -1) next = step > 0 ? list[0] : list[list.length - 1];
    activate(next.getAttribute("data-annotation-id"), { focusCard: true, scrollText: true });
  }

  function onKey(event) {
    if (event.key === "Escape") {
      closeForm();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && form && form.contains(event.target)) {
      event.preventDefault();
      var save = form.querySelector("[data-save]");
      if (form.requestSubmit) form.requestSubmit(save); else save.click();
      return;
    }
    if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "a" && selectionTarget) {
      event.preventDefault();
      openForm(selectionTarget);
    } else if (event.key === "j") {
      moveBy(1);
    } else if (event.key === "k") {
      moveBy(-1);
    } else if (event.key === "Enter" && event.target.classList && event.target.classList.contains("card")) {
      activate(event.target.getAttribute("data-annotation-id"), { scrollText: true });
    }
  }

  // ------------------------------------------------------------ wiring

  if (form) {
    var quote = field("exact");
    var paragraph = field("paragraph");
    if (quote) quote.addEventListener("input", forgetOffsets);
    if (paragraph) paragraph.addEventListener("change", forgetOffsets);
    var cancel = form.querySelector("[data-cancel]");
    if (cancel) cancel.addEventListener("click", closeForm);
    var regionInput = form.querySelector("[data-region-search]");
    if (regionInput && form.getAttribute("data-region-search-url")) regionTypeahead(regionInput);
    var sourceInput = form.querySelector("[data-source-input]");
    if (sourceInput && form.getAttribute("data-source-search-url")) sourceTypeahead(sourceInput);
    var team = field("team");
    if (team) {
      team.addEventListener("change", followTeam);
      followTeam();
    }
  }
  if (articleText) {
    articleText.addEventListener("mouseup", function () { setTimeout(onSelectionDone, 0); });
    articleText.addEventListener("keyup", function (event) {
      if (event.shiftKey || event.key === "Shift") onSelectionDone();
    });
    articleText.addEventListener("click", onTextClick);
  }
  // Touch screens select text without a mouseup; keyboards, with caret browsing.
  document.addEventListener("selectionchange", debounce(function () {
    if (window.getSelection().isCollapsed) {
      selectionTarget = null;
      hideAnnotateButton();
    } else {
      onSelectionDone();
    }
  }, 250));
  if (panel) panel.addEventListener("click", onCardClick);
  document.addEventListener("keydown", onKey);

  var hash = window.location.hash.match(/^#(?:hl|a)-(\d+)$/);
  if (hash) activate(hash[1], { scrollText: true });
})();
