// Pipelines' and stages' names in Russian and English: the board, lists and cards show the one of the UI
// language. One form per pipeline; saving renames only what changed (PATCH with If-Match, one call per item).

import * as api from '../../api.js';
import { form } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { localName, t } from '../../i18n.js';
import { refresh } from '../../router.js';
import { adminTabs, pageHead, panel } from './common.js';

const names = (item, prefix, label) => [
  { name: `${prefix}ru`, label: t(`${label}_ru`, { name: localName(item) }), required: true, autocomplete: 'off' },
  { name: `${prefix}en`, label: t(`${label}_en`, { name: localName(item) }), required: true, autocomplete: 'off' },
];

function pipelineForm(pipeline) {
  const stages = pipeline.stages.filter((s) => !s.archived);
  const values = { p_ru: pipeline.name_ru, p_en: pipeline.name_en };
  for (const s of stages) Object.assign(values, { [`s${s.id}_ru`]: s.name_ru, [`s${s.id}_en`]: s.name_en });
  const editor = form({
    className: 'admin-pipeline-form',
    values,
    fields: [
      ...names(pipeline, 'p_', 'admin.pipeline.name'),
      ...stages.flatMap((s) => names(s, `s${s.id}_`, 'admin.stage.name')),
    ],
    submit: async (data) => {
      let version = pipeline.version;
      const rename = async (url, ru, en, item) => {
        const body = {};
        if ((ru ?? '') !== item.name_ru) body.name_ru = ru ?? '';
        if ((en ?? '') !== item.name_en) body.name_en = en ?? '';
        if (!Object.keys(body).length) return;
        const { data: changed } = await api.patch(url, body, { etag: `"${version}"` });
        version = changed.version;
      };
      const url = `/api/v1/pipelines/${encodeURIComponent(pipeline.id)}`;
      await rename(url, data.p_ru, data.p_en, pipeline);
      for (const s of stages)
        await rename(`${url}/stages/${encodeURIComponent(s.id)}`, data[`s${s.id}_ru`], data[`s${s.id}_en`], s);
      api.forget('/api/v1/pipelines');
      toast(t('admin.pipeline_saved'), { kind: 'success' });
      refresh();
    },
    onConflict: () => refresh(),
  });
  return panel(`pipeline-${pipeline.id}`, localName(pipeline), editor.el);
}

export const pipelinesPage = {
  name: 'admin-pipelines',
  title: () => t('admin.pipelines'),
  async render(view, ctx) {
    const { data } = await api.get('/api/v1/pipelines', { signal: ctx.signal });
    append(
      view,
      pageHead(t('admin.pipelines')),
      adminTabs('pipelines'),
      h('p', { class: 'muted' }, t('admin.pipelines_lead')),
      data.map(pipelineForm),
    );
  },
};
