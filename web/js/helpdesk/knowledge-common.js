// What the knowledge base's screens share: who writes, the categories, labels, an article's body as text.

import * as api from '../api.js';
import { h } from '../dom.js';
import { localName, t } from '../i18n.js';

export const STATUSES = ['draft', 'published', 'archived'];
export const VISIBILITIES = ['internal', 'public'];
export const ARTICLE_LANGUAGES = ['ru', 'en'];

/** Admins and support staff write articles (the service checks too). */
export const canWrite = async () => {
  const me = await api.cached('/api/v1/me');
  return me.roles.includes('admin') || me.roles.includes('support');
};

export const categories = (signal) => api.get('/api/v1/kb/categories', { signal }).then((r) => r.data);
export const categoryName = (list, id) => localName(list.find((c) => c.id === id) ?? null) || t('kb.no_category');
export const statusLabel = (status) => t(`kb.status.${status}`);
export const statusBadge = (status) => h('span', { class: 'doc-status', dataset: { status } }, statusLabel(status));

/**
 * An article's body as elements: paragraphs split by blank lines, "- " lines as a list, "# " lines as headings.
 * Everything is text (h() never parses markup), so whatever an author writes shows as written.
 */
export function articleBody(text) {
  return h(
    'div',
    { class: 'kb-body' },
    (text || '')
      .split(/\n\s*\n/)
      .filter((block) => block.trim())
      .map((block) => {
        const lines = block.split('\n');
        if (lines.every((line) => /^\s*[-*] /.test(line)))
          return h(
            'ul',
            {},
            lines.map((line) => h('li', {}, line.replace(/^\s*[-*] /, ''))),
          );
        if (lines.length === 1 && /^#{1,3} /.test(lines[0])) return h('h3', {}, lines[0].replace(/^#+ /, ''));
        return h(
          'p',
          {},
          lines.flatMap((line, i) => (i ? [h('br'), line] : [line])),
        );
      }),
  );
}

/**
 * A search passage: the service sends it escaped with the matches in <mark>; it is rebuilt here from that
 * markup's text and marks only, so nothing else of it can become an element.
 */
export function snippet(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html').body.firstChild;
  return h(
    'p',
    { class: 'kb-snippet' },
    [...(parsed?.childNodes ?? [])].map((node) =>
      node.nodeName === 'MARK' ? h('mark', {}, node.textContent) : node.textContent,
    ),
  );
}
