// Drag and drop for the upload form (progressive enhancement: the file input works without it).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.upload-form");
  if (!form) return;
  const input = form.querySelector("input[type=file][data-dropzone]");
  const area = form.querySelector("[data-dropzone-area]");
  const live = document.getElementById("live-region");
  const maxBytes = Number(form.dataset.maxBytes || 0);
  const list = document.createElement("ul");
  list.className = "dropzone__files";
  area.appendChild(list);

  const show = () => {
    list.replaceChildren(...Array.from(input.files).map((file) => {
      const item = document.createElement("li");
      item.textContent = file.name;
      return item;
    }));
    const total = Array.from(input.files).reduce((sum, file) => sum + file.size, 0);
    if (live) live.textContent = maxBytes && total > maxBytes ? form.dataset.tooLarge : `${input.files.length} ✓`;
  };
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach((name) => area.addEventListener(name, (event) => {
    event.preventDefault();
    area.classList.add("dropzone--active");
  }));
  ["dragleave", "drop"].forEach((name) => area.addEventListener(name, () => area.classList.remove("dropzone--active")));
  area.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    show();
  });
  form.addEventListener("submit", (event) => {
    const total = Array.from(input.files).reduce((sum, file) => sum + file.size, 0);
    if (maxBytes && total > maxBytes) {
      event.preventDefault();
      if (live) live.textContent = form.dataset.tooLarge;
      window.alert(form.dataset.tooLarge);
    }
  });
});
