// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen-reader and keyboard users land on what to fix.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const heading = target.querySelector("[data-focus-after-swap]");
  if (heading) heading.focus();
  const live = document.getElementById("live-region");
  const note = target.querySelector("[data-announce]");
  if (live && note) live.textContent = note.dataset.announce;
});
