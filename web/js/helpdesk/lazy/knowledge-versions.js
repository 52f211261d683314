// An article's versions, newest first: each one's title and body, who saved it and when; writers restore one
// (a new version with its text, so nothing is lost).

import * as api from '../../api.js';
import { pageHead } from '../../components/page.js';
import { toast, toastError } from '../../components/toast.js';
import { h } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { articleBody, canWrite } from '../knowledge-common.js';

export const versionsPage = {
  name: 'knowledge-versions',
  title: () => t('kb.versions'),
  async render(view, ctx) {
    const path = `/api/v1/kb/articles/${encodeURIComponent(ctx.params.id)}`;
    const [{ data: article, etag }, { data: versions }, writer] = await Promise.all([
      api.get(path, { signal: ctx.signal }),
      api.get(`${path}/versions`, { signal: ctx.signal }),
      canWrite(),
    ]);
    const restore = async (number) => {
      try {
        await api.post(`${path}/versions/${number}/restore`, undefined, { etag });
        toast(t('kb.done.restore', { number }));
        navigate(`/kb/${article.id}`);
      } catch (error) {
        toastError(error);
      }
    };
    view.append(
      h('p', {}, h('a', { href: `/kb/${article.id}` }, article.title)),
      pageHead(t('kb.versions')),
      h(
        'ol',
        { class: 'kb-versions', 'aria-label': t('kb.versions') },
        versions.map((v) =>
          h(
            'li',
            { class: 'panel', dataset: { number: v.number } },
            h(
              'details',
              {},
              h(
                'summary',
                {},
                h('strong', {}, t('kb.version_of', { number: v.number })),
                ' ',
                v.title,
                ' · ',
                formatDate(v.created_at),
                v.restored_from ? ` · ${t('kb.restored_from', { number: v.restored_from })}` : '',
                v.number === article.content_version ? ` · ${t('kb.current')}` : '',
              ),
              articleBody(v.body),
            ),
            writer &&
              v.number !== article.content_version &&
              h(
                'button',
                {
                  type: 'button',
                  class: 'button',
                  'aria-label': t('kb.restore_of', { number: v.number }),
                  onClick: () => restore(v.number),
                },
                t('kb.restore'),
              ),
          ),
        ),
      ),
    );
  },
};
