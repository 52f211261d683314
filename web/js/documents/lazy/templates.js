// Document templates (admins): every template by type and language, the shipped ones and the default of each pair
// marked, archived ones on request; "New template" starts from the default template of the chosen type and language
// (its current HTML and CSS) and opens the editor (template.js).

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { pageHead } from '../../components/page.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { h, uid } from '../../dom.js';
import { formatDate, language, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { navigate } from '../../router.js';
import { DOC_TYPES, LANGUAGES, docTypeLabel, documentsTabs, me } from '../common.js';

export const templatesPage = {
  name: 'document-templates',
  title: () => t('documents.tab.templates'),
  async render(view, ctx) {
    const user = await me();
    const select = (name, label, values, text) => {
      const el = h(
        'select',
        { id: uid(name), name },
        h('option', { value: '' }, t('documents.any')),
        values.map((v) => h('option', { value: v }, text(v))),
      );
      return [h('div', { class: 'filter' }, h('label', { for: el.id }, label), el), el];
    };
    const [typeFilter, type] = select('doc_type', t('documents.field.doc_type'), DOC_TYPES, docTypeLabel);
    const [langFilter, lang] = select('language', t('documents.field.language'), LANGUAGES, (v) =>
      t(`documents.language.${v}`),
    );
    const archived = h('input', { type: 'checkbox', id: uid('archived') });
    const table = dataTable({
      caption: t('documents.tab.templates'),
      emptyText: t('templates.none'),
      rowClass: (x) => (x.archived ? 'muted' : ''),
      columns: [
        {
          key: 'name',
          label: t('templates.name'),
          className: 'primary',
          render: (x) => [
            h('a', { href: `/documents/templates/${x.id}` }, x.name),
            x.is_default && [' ', h('span', { class: 'chip strong' }, t('templates.default'))],
            x.shipped && [' ', h('span', { class: 'chip' }, t('templates.shipped'))],
            x.archived && [' ', h('span', { class: 'chip' }, t('templates.archived'))],
          ],
        },
        { key: 'doc_type', label: t('documents.field.doc_type'), render: (x) => docTypeLabel(x.doc_type) },
        { key: 'language', label: t('documents.field.language'), render: (x) => t(`documents.language.${x.language}`) },
        {
          key: 'current_version',
          label: t('templates.version'),
          className: 'num',
          render: (x) => String(x.current_version),
        },
        {
          key: 'created_at',
          label: t('templates.created_at'),
          className: 'nowrap',
          render: (x) => formatDate(x.created_at),
        },
      ],
    });

    async function load() {
      try {
        const query = { doc_type: type.value, language: lang.value, include_archived: archived.checked || undefined };
        const { data } = await api.get('/api/v1/document-templates', { query, signal: ctx.signal });
        data.sort(
          (a, b) =>
            DOC_TYPES.indexOf(a.doc_type) - DOC_TYPES.indexOf(b.doc_type) ||
            a.language.localeCompare(b.language) ||
            Number(b.is_default) - Number(a.is_default) ||
            a.name.localeCompare(b.name),
        );
        table.setRows(data);
      } catch (error) {
        if (error?.name !== 'AbortError') toastError(error);
      }
    }

    async function create() {
      const made = await formDialog({
        title: t('templates.new'),
        fields: [
          {
            name: 'doc_type',
            label: t('documents.field.doc_type'),
            type: 'select',
            required: true,
            options: DOC_TYPES.map((v) => ({ value: v, label: docTypeLabel(v) })),
          },
          {
            name: 'language',
            label: t('documents.field.language'),
            type: 'select',
            required: true,
            options: LANGUAGES.map((v) => ({ value: v, label: t(`documents.language.${v}`) })),
          },
          { name: 'name', label: t('templates.name'), required: true, autocomplete: 'off' },
        ],
        values: { doc_type: type.value || 'invoice', language: lang.value || (language() === 'en' ? 'en' : 'ru') },
        submitLabel: t('action.create'),
        submit: async (data) => {
          // Start from the default template of the pair: its current HTML and CSS.
          const { data: list } = await api.get('/api/v1/document-templates', {
            query: { doc_type: data.doc_type ?? '', language: data.language ?? '' },
          });
          const model = list.find((x) => x.is_default) ?? list[0];
          const source = model ? (await api.get(`/api/v1/document-templates/${model.id}`)).data : { html: '', css: '' };
          const body = {
            doc_type: data.doc_type ?? '',
            language: data.language ?? '',
            name: data.name ?? '',
            html: source.html || '<h1>{{ doc.number }}</h1>',
            css: source.css,
          };
          return (await api.post('/api/v1/document-templates', body)).data;
        },
      });
      if (made) {
        toast(t('templates.created', { name: made.name }), { kind: 'success' });
        navigate(`/documents/templates/${made.id}`);
      }
    }

    for (const el of [type, lang, archived]) el.addEventListener('change', load);
    view.append(
      pageHead(
        t('documents.tab.templates'),
        h('button', { type: 'button', class: 'button primary', onClick: create }, icon('plus'), t('templates.new')),
      ),
      documentsTabs(user, 'templates'),
      h(
        'div',
        { class: 'filters' },
        typeFilter,
        langFilter,
        h(
          'div',
          { class: 'filter' },
          h('label', { class: 'chip-check', for: archived.id }, archived, t('templates.show_archived')),
        ),
      ),
      h('div', { class: 'panel' }, table.el),
    );
    await load();
  },
};
