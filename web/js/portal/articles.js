// Public knowledge base articles on the portal: a search over them, an article read as plain text (paragraphs
// split on blank lines, never HTML), and "was this helpful?" (one vote per portal user; a new vote replaces it).

import { h, uid } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { call } from './api.js';
import { errorBox, showError } from './forms.js';

export async function articlesPage(view, go, _id, query = new URLSearchParams(location.hash.split('?')[1] ?? '')) {
  const q = query.get('q') ?? '';
  const input = h('input', { type: 'search', id: uid('q'), value: q, maxlength: '200' });
  const search = h(
    'form',
    { class: 'panel', role: 'search' },
    h('div', { class: 'field' }, h('label', { for: input.id }, t('portal.articles.search')), input),
    h('button', { type: 'submit', class: 'button primary' }, t('portal.articles.find')),
  );
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    go(text ? `#/articles?q=${encodeURIComponent(text)}` : '#/articles', { reload: true });
  });
  view.append(h('h1', { tabindex: '-1' }, t('portal.articles.title')), search);
  const page = await call('GET', '/api/v1/portal/articles', undefined, { query: { q, limit: 50 } });
  if (!page.items.length) {
    view.append(h('p', { class: 'muted', role: 'status' }, t(q ? 'portal.articles.nothing' : 'portal.articles.empty')));
    return;
  }
  view.append(
    h(
      'ul',
      { class: 'portal-list panel' },
      ...page.items.map((article) =>
        h(
          'li',
          {},
          h('a', { href: `#/articles/${article.id}` }, article.title),
          article.snippet && h('div', { class: 'portal-meta' }, article.snippet),
        ),
      ),
    ),
  );
}

export async function articlePage(view, go, id) {
  const path = `/api/v1/portal/articles/${encodeURIComponent(id)}`;
  const article = await call('GET', path);
  const paragraphs = article.body.split(/\n\s*\n/).filter((p) => p.trim());
  const box = errorBox();
  const vote = (helpful) => async () => {
    try {
      await call('POST', `${path}/vote`, { helpful });
      go(`#/articles/${id}`, { reload: true });
    } catch (error) {
      showError(box, error);
    }
  };
  const voted = article.my_vote && t(`portal.articles.voted.${article.my_vote}`);
  view.append(
    h('p', {}, h('a', { href: '#/articles' }, `← ${t('portal.articles.title')}`)),
    h('h1', { tabindex: '-1' }, article.title),
    article.published_at && h('p', { class: 'portal-meta' }, formatDate(article.published_at, { dateOnly: true })),
    h('article', { class: 'panel portal-article' }, ...paragraphs.map((p) => h('p', {}, p))),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'portal-helpful' },
      h('h2', { id: 'portal-helpful' }, t('portal.articles.helpful')),
      box,
      voted && h('p', { role: 'status' }, voted),
      h(
        'div',
        { class: 'portal-nav' },
        h('button', { type: 'button', class: 'button', onClick: vote(true) }, t('portal.articles.yes')),
        h('button', { type: 'button', class: 'button', onClick: vote(false) }, t('portal.articles.no')),
      ),
    ),
  );
}
