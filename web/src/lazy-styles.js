// Stylesheets of the views the page loads on demand (key-views.js...): web/build.mjs builds
// each one named in its LAZY_STYLES and gives the page their hashed file names as
// REDPAD_LAZY_STYLES (JSON text). A view module awaits loadStyles(name) before it draws anything.
/* global REDPAD_LAZY_STYLES */
const FILES = typeof REDPAD_LAZY_STYLES === "string" ? JSON.parse(REDPAD_LAZY_STYLES) : {};
const loading = new Map();

// Resolves once the stylesheet `name` is in the page (at once when there is none: a page
// not built by web/build.mjs). A stylesheet that fails to load rejects, and is tried again
// on the next call.
export function loadStyles(name) {
  if (!FILES[name]) return Promise.resolve();
  if (!loading.has(name)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(FILES[name], import.meta.url).href;
    const loaded = new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = () => {
        loading.delete(name);
        link.remove();
        reject(new Error(`could not load ${link.href}`));
      };
    });
    loading.set(name, loaded);
    document.head.append(link);
  }
  return loading.get(name);
}
