// Small DOM helpers: the client builds elements with h() instead of HTML strings,
// so user data is always text and never markup.

// Set as properties, not attributes (they reflect live state).
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'indeterminate', 'multiple']);

/** h('a', {href, class, onClick}, ...children): an element; null/false children are skipped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

/** Append children (strings become text; arrays are flattened; null/false skipped). */
export function append(parent, ...children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replace all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

let sequence = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

/** A random id: a UUID where the browser makes one; plain-http origins (a LAN address) have no randomUUID, and
 * 16 random bytes in hex do the same job. */
export function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Read `a.b.c` from an object (missing parts give undefined). */
export function getPath(obj, path) {
  return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), obj);
}

/** Write `a.b.c` into an object, creating objects on the way (arrays for numeric keys: `phones.0.value`). */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let target = obj;
  keys.slice(0, -1).forEach((key, i) => {
    target = target[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
  });
  target[keys.at(-1)] = value;
  return obj;
}

/** Run `fn` once typing pauses for `ms`. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Resolve after `ms`, or reject when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const stylesheets = new Map();
/**
 * Apply the client's stylesheet at `path` ('css/admin.css') once (a domain's lazy screens bring their own CSS, as
 * they bring their modules); resolves when its rules are in force, so a page rendered after it never shows unstyled.
 * The path is resolved from this module, which sits in js/ both in the sources and in the bundle (web/dist/js/).
 */
export function stylesheet(path) {
  const href = new URL(`../${path}`, import.meta.url).href;
  if (!stylesheets.has(href)) {
    const loaded = new Promise((resolve, reject) => {
      const link = h('link', { rel: 'stylesheet', href });
      link.addEventListener('load', resolve);
      link.addEventListener('error', () => {
        link.remove();
        stylesheets.delete(href);
        reject(new Error(`cannot load ${href}`));
      });
      document.head.append(link);
    });
    stylesheets.set(href, loaded);
  }
  return stylesheets.get(href);
}
