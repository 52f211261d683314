// Translations: every string the client shows comes from i18n/<lang>.json through t().
// Keys are flat ("party.inn"); a value may be {one, few, many, other} for plurals (Intl.PluralRules).

export const LANGUAGES = { ru: 'Русский', en: 'English' };
const STORAGE_KEY = 'crm.lang';

let current = 'en';
let dictionary = {};
let plurals = new Intl.PluralRules('en');
const listeners = new Set();

/** The saved choice, else the browser's language when we have it, else the installation's (index.html's lang,
 * CRM_DEFAULT_LANGUAGE), else English. */
export function initialLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved in LANGUAGES) return saved;
  const browser = (navigator.language || '').slice(0, 2);
  if (browser in LANGUAGES) return browser;
  const installation = document.documentElement.lang;
  return installation in LANGUAGES ? installation : 'en';
}

export function language() {
  return current;
}

/** The label of a code of a list (loss reasons, task types, ...) in the UI language: the server keeps both. */
export function codeLabel(item) {
  return item[`label_${current}`] || item.label_en || item.label || item.code;
}

/**
 * A name in the UI language: records and event payloads that carry `name_ru` and `name_en` (pipelines, stages,
 * process definitions; `field` = 'description', 'definition_name', 'step_name', 'to_stage_name', 'process_name'
 * likewise) give the one of the UI language; the plain field (the installation's language) otherwise.
 */
export function localName(item, field = 'name') {
  if (!item) return '';
  return item[`${field}_${current}`] || item[field] || '';
}

/** Who did something, for the "by" of a history line: the platform's own actions (`system`: the scheduler, a
 * process, the mail tracker) say so; a user without a known name is "someone". */
export function actorLabel(id, name) {
  if (id === 'system') return t('timeline.actor.system');
  return name || t('party.unknown_user');
}

/** Load a dictionary and make it current; listeners re-render what they show. */
export async function setLanguage(code) {
  // index.html's boot script asked for the saved language's dictionary before the modules arrived.
  const early = globalThis.crmBoot?.dictionary;
  if (early) globalThis.crmBoot.dictionary = null;
  const response = await (early?.language === code
    ? early.response.catch(() => fetch(new URL(`../i18n/${code}.json`, import.meta.url)))
    : fetch(new URL(`../i18n/${code}.json`, import.meta.url)));
  if (!response.ok) throw new Error(`cannot load the ${code} dictionary`);
  dictionary = await response.json();
  current = code;
  plurals = new Intl.PluralRules(code);
  document.documentElement.lang = code;
  localStorage.setItem(STORAGE_KEY, code);
  for (const listener of listeners) listener(code);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when the current dictionary has `key` (for optional translations of server codes). */
export function has(key) {
  return key in dictionary;
}

/** The translation of `key`, with {name} placeholders filled from `params` ({count} also picks the plural
 * and is written as the language writes numbers, "10 000" in Russian; other numbers, such as ports, as given). */
export function t(key, params) {
  let text = dictionary[key];
  if (text === undefined) {
    console.warn(`i18n: missing key "${key}" in ${current}`);
    return key;
  }
  if (typeof text === 'object') text = text[plurals.select(params?.count ?? 0)] ?? text.other;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => {
    if (!(name in params)) return match;
    return name === 'count' && typeof params[name] === 'number' ? formatNumber(params[name]) : String(params[name]);
  });
}

/** A date (and time unless dateOnly) in the UI language. */
export function formatDate(value, { dateOnly = false } = {}) {
  if (!value) return '';
  const options = dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(current, options).format(new Date(value));
}

/** "5 minutes ago" for recent moments, the date for older ones. */
export function formatRelative(value) {
  const seconds = (new Date(value).getTime() - Date.now()) / 1000;
  const format = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return format.format(Math.round(seconds), 'second');
  if (Math.abs(seconds) < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86400) return format.format(Math.round(seconds / 3600), 'hour');
  return formatDate(value);
}

/** A calendar day as digits: "06.12.2026" in Russian, "12/06/2026" in English; "YYYY-MM-DD" is read as that day
 * wherever the browser is (not as UTC midnight, which is the day before west of Greenwich). */
export function formatDay(value) {
  if (!value) return '';
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? [];
  const date = y ? new Date(Number(y), Number(m) - 1, Number(d)) : new Date(value);
  return new Intl.DateTimeFormat(current, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}

/** A share (0.125 = 12,5 %) as the UI language writes percentages. */
export function formatPercent(value, digits = 1) {
  return new Intl.NumberFormat(current, { style: 'percent', maximumFractionDigits: digits }).format(value);
}

/**
 * An amount as people type it -> decimal text for the API ("1 250 000,50" -> "1250000.50"), or null when it is
 * not a number. Spaces (also the non-breaking ones Russian uses between thousands) are dropped; a comma is the
 * decimal separator in Russian and in English when it is not followed by exactly three digits ("1,250,000.50").
 */
export function parseDecimal(text) {
  let s = String(text ?? '')
    .replace(/[\s\u00a0\u202f']/g, '')
    .replace(/[₽$€]|руб\.?|RUB/gi, '');
  if (!s) return null;
  if (s.includes(',') && s.includes('.')) {
    s = s.lastIndexOf(',') > s.lastIndexOf('.') ? s.replaceAll('.', '').replace(',', '.') : s.replaceAll(',', '');
  } else if (s.includes(',')) {
    const thousands = current !== 'ru' && /^-?\d{1,3}(,\d{3})+$/.test(s);
    s = thousands ? s.replaceAll(',', '') : s.replace(',', '.');
  }
  return /^-?\d+(\.\d+)?$/.test(s) ? s : null;
}

/** Decimal text of the API ("1250000.50") as the UI language writes it ("1 250 000,50"), digits kept exactly. */
export function formatDecimal(text) {
  const [, sign, whole, fraction] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text)) ?? [];
  if (whole === undefined) return String(text);
  const parts = new Intl.NumberFormat(current).formatToParts(1.5);
  const point = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const grouped = new Intl.NumberFormat(current).format(BigInt(whole));
  return `${sign}${grouped}${fraction ? point + fraction : ''}`;
}

export function formatNumber(value) {
  return new Intl.NumberFormat(current).format(value);
}

/** Month 1-12 by name ("Mar" / "мар."), from the browser's locale data. */
export function monthName(month, width = 'short') {
  return new Intl.DateTimeFormat(current, { month: width }).format(new Date(2000, month - 1, 1));
}
