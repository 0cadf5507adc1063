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
