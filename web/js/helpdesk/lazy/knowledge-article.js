// One article as a reader sees it (its reading counted), with "Was this helpful?"; writers also edit, publish or
// archive it and open its versions.

import * as api from '../../api.js';
import { pageHead } from '../../components/page.js';
import { toast, toastError } from '../../components/toast.js';
import { h, replace } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import { refresh } from '../../router.js';
import { articleBody, canWrite, categories, categoryName, statusBadge } from '../knowledge-common.js';

function votes(article, onVote) {
  const counts = h('p', { class: 'muted', 'aria-live': 'polite' });
  const yes = h('button', { type: 'button', class: 'button' }, t('kb.vote.helpful'));
  const no = h('button', { type: 'button', class: 'button' }, t('kb.vote.not_helpful'));
  const show = (a) => {
    yes.setAttribute('aria-pressed', String(a.my_vote === 'helpful'));
    no.setAttribute('aria-pressed', String(a.my_vote === 'not_helpful'));
    counts.textContent = t('kb.vote.counts', { helpful: a.helpful_count, not_helpful: a.not_helpful_count });
  };
  const vote = (helpful) => async () => {
    try {
      show(await onVote(helpful));
    } catch (error) {
      toastError(error);
    }
  };
  yes.addEventListener('click', vote(true));
  no.addEventListener('click', vote(false));
  show(article);
  return h(
    'section',
    { class: 'panel kb-votes', 'aria-label': t('kb.vote.question') },
    h('p', {}, h('strong', {}, t('kb.vote.question'))),
    h('div', { class: 'toolbar' }, yes, no),
    counts,
  );
}

export const articlePage = {
  name: 'knowledge-article',
  title: () => t('nav.knowledge'),
  async render(view, ctx) {
    const path = `/api/v1/kb/articles/${encodeURIComponent(ctx.params.id)}`;
    const [{ data: article, etag }, writer, list] = await Promise.all([
      api.get(path, { query: { view: true }, signal: ctx.signal }),
      canWrite(),
      categories(ctx.signal),
    ]);
    const status = async (action) => {
      try {
        await api.post(`${path}/${action}`, undefined, { etag });
        toast(t(`kb.done.${action}`));
        refresh();
      } catch (error) {
        toastError(error);
      }
    };
    const actions = writer && [
      h('a', { class: 'button', href: `/kb/${article.id}/edit` }, t('action.edit')),
      h('a', { class: 'button', href: `/kb/${article.id}/versions` }, t('kb.versions')),
      article.status !== 'published' &&
        h('button', { type: 'button', class: 'button primary', onClick: () => status('publish') }, t('kb.publish')),
      article.status !== 'archived' &&
        h('button', { type: 'button', class: 'button', onClick: () => status('archive') }, t('kb.archive')),
    ];
    const meta = h(
      'p',
      { class: 'muted' },
      [
        categoryName(list, article.category_id),
        t(`kb.visibility.${article.visibility}`),
        t('kb.views', { count: article.view_count }),
        t('kb.updated', { date: formatDate(article.updated_at) }),
      ].join(' · '),
      ' ',
      article.status !== 'published' && statusBadge(article.status),
    );
    const tags = h(
      'p',
      { class: 'kb-tags' },
      article.tags.map((tag) => h('a', { class: 'chip', href: `/kb?tag=${encodeURIComponent(tag)}` }, tag)),
    );
    const content = h('article', { class: 'panel kb-article', lang: article.language }, articleBody(article.body));
    const voting = h('div');
    if (article.status === 'published')
      replace(
        voting,
        votes(article, async (helpful) => (await api.post(`${path}/vote`, { helpful })).data),
      );
    view.append(
      h('p', {}, h('a', { href: '/kb' }, t('kb.back'))),
      pageHead(article.title, actions),
      meta,
      tags,
      content,
      voting,
    );
  },
};
