// The knowledge base's first page: a search box (words in any form; the matching passage shown with the words
// highlighted), a category filter (writers also filter by status), newest change first without words.

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { compact } from '../../components/form.js';
import { pageHead } from '../../components/page.js';
import { append, h, uid } from '../../dom.js';
import { localName, t } from '../../i18n.js';
import { navigate, refresh } from '../../router.js';
import {
  STATUSES,
  canWrite,
  categories,
  categoryName,
  snippet,
  statusBadge,
  statusLabel,
} from '../knowledge-common.js';

function select(name, label, options, value) {
  const el = h(
    'select',
    { id: uid(name), name },
    h('option', { value: '' }, t('kb.any')),
    options.map(([v, text]) => h('option', { value: v }, text)),
  );
  el.value = value ?? '';
  return [h('div', { class: 'filter' }, h('label', { for: el.id }, label), el), el];
}

function articleItem(article, list) {
  return h(
    'li',
    { class: 'kb-item', dataset: { id: article.id } },
    h(
      'h2',
      { class: 'kb-item-title' },
      h('a', { href: `/kb/${article.id}` }, article.title),
      ' ',
      article.status !== 'published' && statusBadge(article.status),
    ),
    article.snippet_html ? snippet(article.snippet_html) : h('p', { class: 'kb-snippet' }, article.body.slice(0, 200)),
    h(
      'p',
      { class: 'muted' },
      [
        categoryName(list, article.category_id),
        t(`kb.visibility.${article.visibility}`),
        t('kb.helpful_count', { count: article.helpful_count }),
      ].join(' · '),
    ),
  );
}

/** A new category (writers): its Russian and English names; one given serves both. */
async function newCategory() {
  const created = await formDialog({
    title: t('kb.new_category'),
    fields: [
      { name: 'name_ru', label: t('kb.field.name_ru'), type: 'text' },
      { name: 'name_en', label: t('kb.field.name_en'), type: 'text' },
    ],
    submitLabel: t('action.create'),
    submit: async (data) => (await api.post('/api/v1/kb/categories', compact(data))).data,
  });
  if (created) refresh();
}

export const knowledgePage = {
  name: 'knowledge',
  title: () => t('nav.knowledge'),
  async render(view, ctx) {
    const [writer, list] = await Promise.all([canWrite(), categories(ctx.signal)]);
    const params = ctx.query;
    const query = h('input', {
      id: uid('kb-query'),
      type: 'search',
      name: 'query',
      value: params.get('query') ?? '',
      placeholder: t('kb.search_placeholder'),
    });
    const [categoryFilter, category] = select(
      'category_id',
      t('kb.field.category'),
      list.map((c) => [c.id, `${localName(c)} (${c.article_count})`]),
      params.get('category_id'),
    );
    const [statusFilter, status] = select(
      'status',
      t('kb.field.status'),
      STATUSES.map((s) => [s, statusLabel(s)]),
      params.get('status'),
    );
    const search = h(
      'form',
      {
        role: 'search',
        class: 'filters kb-search',
        onSubmit: (event) => {
          event.preventDefault();
          const next = new URLSearchParams(params.get('tag') ? { tag: params.get('tag') } : {});
          for (const [key, el] of [
            ['query', query],
            ['category_id', category],
            ['status', status],
          ])
            if (el.value.trim()) next.set(key, el.value.trim());
          navigate(`/kb${next.size ? `?${next}` : ''}`);
        },
      },
      h('div', { class: 'filter' }, h('label', { for: query.id }, t('kb.search')), query),
      categoryFilter,
      writer && statusFilter,
      h('button', { type: 'submit', class: 'button primary' }, t('kb.find')),
    );
    const items = h('ol', { class: 'kb-list', 'aria-label': t('kb.results') });
    const empty = h('p', { class: 'empty', hidden: true }, t('kb.none'));
    let cursor = '';
    const more = h('button', { type: 'button', class: 'button', hidden: true, onClick: () => load() }, t('list.more'));
    async function load() {
      const request = { limit: 20, cursor: cursor || undefined };
      for (const key of ['query', 'category_id', 'status', 'tag']) if (params.get(key)) request[key] = params.get(key);
      const { data } = await api.get('/api/v1/kb/articles', { query: request, signal: ctx.signal });
      items.append(...data.items.map((a) => articleItem(a, list)));
      cursor = data.next_cursor;
      more.hidden = !cursor;
      empty.hidden = items.childElementCount > 0;
    }
    await load();
    append(
      view,
      pageHead(
        t('nav.knowledge'),
        writer && h('button', { type: 'button', class: 'button', onClick: newCategory }, t('kb.new_category')),
        writer && h('a', { class: 'button primary', href: '/kb/new' }, t('kb.new_article')),
      ),
      search,
      params.get('tag') &&
        h(
          'p',
          { class: 'kb-tag-filter' },
          t('kb.tag_filter', { tag: params.get('tag') }),
          ' ',
          h('a', { href: '/kb' }, t('kb.clear')),
        ),
      items,
      empty,
      more,
    );
  },
};
