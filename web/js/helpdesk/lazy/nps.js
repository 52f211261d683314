// NPS surveys: the list (status, people asked, answers), a new survey of a marketing segment, and a survey's page:
// send it (again: only to people not asked yet), its score with promoters, passives and detractors, the answers.

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { pageHead, panel } from '../../components/page.js';
import { toast } from '../../components/toast.js';
import { append, h } from '../../dom.js';
import { formatDate, formatNumber, t } from '../../i18n.js';
import { navigate, refresh } from '../../router.js';

const GROUPS = ['promoter', 'passive', 'detractor'];

async function newSurvey(signal) {
  const { data } = await api.get('/api/v1/segments', { query: { limit: 200 }, signal });
  const survey = await formDialog({
    title: t('nps.new'),
    fields: [
      { name: 'name', label: t('nps.name'), required: true, wide: true },
      {
        name: 'segment_id',
        label: t('nps.segment'),
        type: 'select',
        required: true,
        options: data.items.map((s) => ({ value: s.id, label: s.name })),
      },
      { name: 'question_ru', label: t('nps.question_ru'), type: 'textarea', hint: t('nps.question_hint') },
      { name: 'question_en', label: t('nps.question_en'), type: 'textarea' },
    ],
    submitLabel: t('action.create'),
    submit: async (body) => (await api.post('/api/v1/nps/surveys', body)).data,
  });
  if (survey) await navigate(`/nps/${survey.id}`);
}

export const surveysPage = {
  name: 'nps-surveys',
  title: () => t('nav.nps'),
  async render(view, { signal }) {
    const { data } = await api.get('/api/v1/nps/surveys', { query: { limit: 200 }, signal });
    append(
      view,
      pageHead(
        t('nav.nps'),
        h('button', { type: 'button', class: 'button primary', onClick: () => newSurvey(signal) }, t('nps.new')),
      ),
      data.items.length
        ? h(
            'ul',
            { class: 'panel nps-surveys' },
            data.items.map((s) =>
              h(
                'li',
                {},
                h('a', { href: `/nps/${s.id}` }, s.name),
                ' ',
                h(
                  'span',
                  { class: 'muted' },
                  [t(`nps.status.${s.status}`), t('nps.counts', { asked: s.recipients, answered: s.answers })].join(
                    ' · ',
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('nps.none')),
    );
  },
};

export const surveyPage = {
  name: 'nps-survey',
  title: (ctx) => ctx.title ?? t('nav.nps'),
  async render(view, ctx) {
    const id = encodeURIComponent(ctx.params.id);
    const { data } = await api.get(`/api/v1/nps/surveys/${id}/results`, { query: { limit: 200 }, signal: ctx.signal });
    const survey = data.survey;
    ctx.title = survey.name;
    const send = async (event) => {
      event.target.disabled = true;
      try {
        const { data: sent } = await api.post(`/api/v1/nps/surveys/${id}/send`);
        toast(t('nps.sent', { sent: sent.sent, skipped: sent.skipped, failed: sent.failed }));
        refresh();
      } finally {
        event.target.disabled = false;
      }
    };
    const counts = GROUPS.map((g) => h('li', {}, `${t(`nps.group.${g}`)}: ${formatNumber(data[`${g}s`])}`));
    append(
      view,
      h('p', {}, h('a', { href: '/nps' }, `← ${t('nav.nps')}`)),
      pageHead(
        survey.name,
        h(
          'button',
          { type: 'button', class: 'button primary', onClick: send },
          t(survey.status === 'draft' ? 'nps.send' : 'nps.send_again'),
        ),
      ),
      h(
        'p',
        { class: 'muted' },
        [
          t(`nps.status.${survey.status}`),
          t('nps.counts', { asked: survey.recipients, answered: survey.answers }),
        ].join(' · '),
      ),
      panel(
        'nps-score',
        t('nps.score_title'),
        h('div', {}, h('p', { class: 'nps-score' }, String(data.score)), h('ul', {}, counts)),
      ),
      panel(
        'nps-answers',
        t('nps.answers'),
        data.answers.length
          ? h(
              'ul',
              { class: 'nps-answers' },
              data.answers.map((a) =>
                h(
                  'li',
                  {},
                  h('a', { href: `/parties/${a.party_id}` }, a.name || a.email),
                  ` · ${a.score} · ${t(`nps.group.${a.group}`)} · ${formatDate(a.answered_at)}`,
                  a.comment && h('p', {}, a.comment),
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('nps.no_answers')),
      ),
    );
  },
};
