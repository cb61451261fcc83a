// Small DOM helpers shared by the page's modules: an element by id, a new element with a
// class and text, a button with its click handler, how the page scrolls to something.

export const $ = (id) => document.getElementById(id);

export const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

export const button = (className, text, onClick, attrs = {}) => {
  const node = el("button", className, text);
  node.type = "button";
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.addEventListener("click", onClick);
  return node;
};

// Scrolls `node` into view: smoothly, unless the learner asked for less motion (their
// system's setting, prefers-reduced-motion), then at once.
export const scrollToView = (node, options = {}) => {
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  node.scrollIntoView({ ...options, behavior: still ? "auto" : "smooth" });
};
