// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen-reader and keyboard users land on what to fix.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
// After htmx replaced part of the page, tell screen readers what changed (WCAG 4.1.3):
// the swapped fragment carries its message in data-announce; the live region exists before the swap.
document.addEventListener("htmx:afterSettle", () => {
  const live = document.getElementById("live-region");
  const note = document.querySelector("[data-announce]");
  if (live && note) live.textContent = note.dataset.announce;
});
// On small screens the header's tools and the main menu fold behind a "Menü" button (CSS decides the width).
// Without JavaScript the button stays hidden and everything is shown.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-menu-toggle]");
  const header = toggle && toggle.closest(".site-header");
  if (!header) return;
  header.dataset.menu = "closed";
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = header.dataset.menu !== "open";
    header.dataset.menu = open ? "open" : "closed";
    toggle.setAttribute("aria-expanded", String(open));
  });
});
// A table wider than the screen says so above it ("scroll sideways"); the shadows at its edges come from CSS.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.body.dataset.tableHint;
  const wraps = Array.from(document.querySelectorAll(".table-wrap"));
  if (!text || !wraps.length) return;
  const hints = wraps.map((wrap) => {
    const hint = document.createElement("p");
    hint.className = "table-wrap__hint";
    hint.textContent = text;
    hint.hidden = true;
    wrap.before(hint);
    return hint;
  });
  const update = () => wraps.forEach((wrap, i) => { hints[i].hidden = wrap.scrollWidth <= wrap.clientWidth + 1; });
  update();
  window.addEventListener("resize", update);
});
