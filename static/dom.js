// Small DOM helpers. Every text goes in as a text node: server text is
// untrusted (docs/SECURITY.md, T10), so nothing here ever parses HTML.

/**
 * el("li", {class: "x", dataset: {seq: 3}, attrs: {"aria-label": "…"}, on: {click: f}}, "text", child)
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    switch (key) {
      case "class": node.className = value; break;
      case "text": node.textContent = value; break;
      case "dataset": Object.assign(node.dataset, value); break;
      case "attrs": for (const [a, v] of Object.entries(value)) if (v !== undefined && v !== null && v !== false) node.setAttribute(a, v === true ? "" : v); break;
      case "on": for (const [ev, f] of Object.entries(value)) node.addEventListener(ev, f); break;
      default: node[key] = value;
    }
  }
  append(node, ...children);
  return node;
}

/** append adds children; strings become text nodes, falsy ones are skipped. */
export function append(node, ...children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}

/** icon returns an inline SVG that uses a symbol of the page's sprite. */
export function icon(name, label) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.setAttribute("viewBox", "0 0 16 16");
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else {
    svg.setAttribute("aria-hidden", "true");
  }
  const use = document.createElementNS(ns, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}

export const $ = (id) => document.getElementById(id);

/** replace empties node and appends children. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, ...children);
}
