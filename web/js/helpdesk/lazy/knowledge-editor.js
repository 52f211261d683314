// Writing an article (admins and support staff): title, category, language, visibility, tags and the body, with a
// preview of the body as readers will see it. Saving a new title or body makes a new version; a change someone
// else saved first is reported (412) with a Reload.

import * as api from '../../api.js';
import { requireAdmin } from '../../access.js';
import { compact, form } from '../../components/form.js';
import { pageHead } from '../../components/page.js';
import { h, replace } from '../../dom.js';
import { localName, t } from '../../i18n.js';
import { navigate, refresh } from '../../router.js';
import { ARTICLE_LANGUAGES, VISIBILITIES, articleBody, canWrite, categories } from '../knowledge-common.js';

const fields = (list) => [
  { name: 'title', label: t('kb.field.title'), type: 'text', required: true, wide: true },
  {
    name: 'category_id',
    label: t('kb.field.category'),
    type: 'select',
    options: list.map((c) => ({ value: c.id, label: localName(c) })),
  },
  {
    name: 'language',
    label: t('kb.field.language'),
    type: 'select',
    options: ARTICLE_LANGUAGES.map((value) => ({ value, label: t(`kb.language.${value}`) })),
  },
  {
    name: 'visibility',
    label: t('kb.field.visibility'),
    type: 'select',
    options: VISIBILITIES.map((value) => ({ value, label: t(`kb.visibility.${value}`) })),
    hint: t('kb.visibility_hint'),
  },
  { name: 'tags', label: t('kb.field.tags'), type: 'tags', hint: t('kb.tags_hint') },
  { name: 'body', label: t('kb.field.body'), type: 'textarea', rows: 14, hint: t('kb.body_hint') },
];

/** The form with a Preview button under it that shows the body as readers see it. */
function editor(view, title, list, values, submit, onConflict) {
  const edit = form({ fields: fields(list), values, submit, onCancel: () => history.back(), onConflict });
  const preview = h('section', { class: 'panel kb-preview', hidden: true, 'aria-label': t('kb.preview') });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'button',
      'aria-expanded': 'false',
      onClick: () => {
        const open = preview.hidden;
        replace(preview, h('h2', {}, t('kb.preview')), articleBody(edit.el.querySelector('[name="body"]').value));
        preview.hidden = !open;
        toggle.setAttribute('aria-expanded', String(open));
      },
    },
    t('kb.preview'),
  );
  view.append(pageHead(title), edit.el, h('div', { class: 'toolbar' }, toggle), preview);
}

async function requireWriter() {
  if (!(await canWrite())) await requireAdmin();
}

export const newArticlePage = {
  name: 'knowledge-new',
  title: () => t('kb.new_article'),
  async render(view, ctx) {
    const [list] = await Promise.all([categories(ctx.signal), requireWriter()]);
    const submit = async (data) => {
      const { data: created } = await api.post('/api/v1/kb/articles', compact(data));
      navigate(`/kb/${created.id}`);
    };
    editor(view, t('kb.new_article'), list, { language: 'ru', visibility: 'internal' }, submit, null);
  },
};

export const editArticlePage = {
  name: 'knowledge-edit',
  title: () => t('kb.edit_article'),
  async render(view, ctx) {
    const path = `/api/v1/kb/articles/${encodeURIComponent(ctx.params.id)}`;
    const [{ data: article, etag }, list] = await Promise.all([
      api.get(path, { signal: ctx.signal }),
      categories(ctx.signal),
      requireWriter(),
    ]);
    const submit = async (data) => {
      await api.patch(
        path,
        { ...data, title: data.title ?? '', body: data.body ?? '', tags: data.tags ?? [] },
        { etag },
      );
      navigate(`/kb/${article.id}`);
    };
    editor(view, t('kb.edit_article'), list, article, submit, refresh);
  },
};
