// One process instance: what it is about, where it stands, every step it went through as a timeline (when it
// entered and left each, how long it took, the deadline and whether it was missed, the result, the task), its
// variables and its error. Actions (admin): cancel with a reason (its open tasks are cancelled too), retry a
// failed one (its step runs once more).

import * as api from '../../api.js';
import { formDialog } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace } from '../../dom.js';
import { actorLabel, formatDate, localName, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { resultLabel } from '../../tasks/format.js';
import {
  definitionHref,
  durationText,
  recordLink,
  statusChips,
  statusLabel,
  stepTitle,
  stepTypeLabel,
} from '../format.js';
import { nameOf, panel, processTabs, users } from './common.js';

const STEP_ICONS = { user_task: 'tasks', action: 'play', timer: 'clock', gateway: 'link', end: 'check' };

export const instancePage = {
  name: 'process-instance',
  title: (ctx) => ctx.title ?? t('processes.instances'),
  async render(view, ctx) {
    const url = `/api/v1/process-instances/${encodeURIComponent(ctx.params.id)}`;
    const [loaded, people, results] = await Promise.all([
      api.get(url, { signal: ctx.signal }),
      users(),
      api.cached('/api/v1/task-results').catch(() => []),
    ]);
    let instance = loaded.data;
    const who = (id) => actorLabel(id, nameOf(people, id));
    const head = h('header', { class: 'card-head' });
    const main = h('div', { class: 'card-main' });
    const side = h('aside', { class: 'card-side' });
    append(view, head, processTabs('instances'), h('div', { class: 'card-grid' }, main, side));

    async function reload(message) {
      try {
        ({ data: instance } = await api.get(url));
        renderCard();
        if (message) toast(message, { kind: 'success' });
        head.querySelector('.process-actions button')?.focus();
      } catch (error) {
        toastError(error);
      }
    }

    const actions = {
      async cancel() {
        const cancelled = await formDialog({
          title: t('process.cancel_title', { name: localName(instance, 'definition_name') }),
          submitLabel: t('process.cancel'),
          fields: [{ name: 'reason', label: t('process.cancel_reason'), type: 'textarea', rows: 2 }],
          submit: async (data) => (await api.post(`${url}/cancel`, { reason: data.reason ?? '' })).data,
        });
        if (cancelled) await reload(t('process.cancelled'));
      },
      async retry() {
        try {
          await api.post(`${url}/retry`);
          await reload(t('process.retried'));
        } catch (error) {
          toastError(error);
        }
      },
      reload: () => reload(t('party.reloaded')),
    };

    function actionBar() {
      const button = (id, name, label, primary = false) =>
        h(
          'button',
          {
            type: 'button',
            class: `button${primary ? ' primary' : ''}`,
            dataset: { action: id },
            onClick: actions[id],
          },
          icon(name),
          label,
        );
      const open = instance.status === 'running' || instance.status === 'failed';
      return h(
        'div',
        { class: 'toolbar process-actions' },
        instance.status === 'failed' && button('retry', 'refresh', t('process.retry'), true),
        open && button('cancel', 'close', t('process.cancel')),
        button('reload', 'refresh', t('action.reload')),
      );
    }

    function about() {
      const pairs = [
        [t('process.status'), [statusLabel(instance.status), ' ', statusChips(instance)]],
        [t('process.record'), recordLink(instance.record_kind, instance.record_id)],
        [
          t('process.definition'),
          h(
            'a',
            { href: `${definitionHref(instance.definition_key)}?version=${instance.definition_version}` },
            `${localName(instance, 'definition_name')} · ${t('process.version_n', { version: instance.definition_version })}`,
          ),
        ],
        [t('process.started'), `${formatDate(instance.started_at)} · ${who(instance.started_by)}`],
        instance.finished_at && [t('process.finished'), formatDate(instance.finished_at)],
      ].filter(Boolean);
      return h(
        'dl',
        { class: 'details' },
        pairs.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
      );
    }

    function stepsTimeline() {
      return h(
        'ol',
        { class: 'timeline process-timeline' },
        instance.steps.map((run, index) => {
          const current = !run.left_at && instance.status === 'running';
          return h(
            'li',
            {
              class: `timeline-item process-run${current ? ' current' : ''}${run.late ? ' late' : ''}`,
              dataset: { step: run.step_id, index: String(index) },
              'aria-current': current ? 'step' : null,
            },
            h('span', { class: 'timeline-icon' }, icon(STEP_ICONS[run.step_type] ?? 'event')),
            h(
              'div',
              { class: 'timeline-body' },
              h(
                'p',
                { class: 'timeline-title' },
                stepTitle(run),
                ' ',
                h('span', { class: 'chip step-type' }, stepTypeLabel(run.step_type)),
                current && h('span', { class: 'chip strong' }, t('process.now_here')),
                run.late && h('span', { class: 'chip danger' }, t('process.late')),
              ),
              h(
                'p',
                { class: 'timeline-text process-run-time' },
                h('time', { datetime: run.entered_at }, formatDate(run.entered_at)),
                run.left_at && [' → ', h('time', { datetime: run.left_at }, formatDate(run.left_at))],
                ' · ',
                h(
                  'span',
                  { class: 'process-duration' },
                  t(run.left_at ? 'process.took' : 'process.for', { time: durationText(run.seconds) }),
                ),
              ),
              run.due_at && h('p', { class: 'timeline-meta' }, t('process.due', { time: formatDate(run.due_at) })),
              (run.result || run.task_id) &&
                h(
                  'p',
                  { class: 'process-run-result' },
                  run.result && [
                    t('process.result'),
                    ': ',
                    h('span', { class: 'chip strong' }, resultLabel(run.result, results)),
                  ],
                  run.task_id && taskLink(run.task_id),
                ),
            ),
          );
        }),
      );
    }

    function variablesView() {
      const entries = Object.entries(instance.variables ?? {}).sort(([a], [b]) => a.localeCompare(b));
      if (!entries.length) return h('p', { class: 'muted' }, t('process.no_variables'));
      return h(
        'dl',
        { class: 'details process-variables' },
        entries.map(([name, value]) => [h('dt', {}, h('code', {}, name)), h('dd', {}, variableValue(name, value))]),
      );
    }

    // Ids read as what they name: the deal or client (a link), a person; other values as they are.
    function variableValue(name, value) {
      if (typeof value !== 'string') return JSON.stringify(value);
      if (name === 'client_id') return recordLink('party', value);
      if (name === 'deal_id') return recordLink('deal', value);
      if (name === 'record_id') return recordLink(instance.record_kind, value);
      const person = nameOf(people, value);
      return person ? h('span', { title: value }, person) : value;
    }

    function renderCard() {
      ctx.title = localName(instance, 'definition_name') || instance.definition_key;
      document.title = `${ctx.title} · ${t('app.name')}`;
      replace(
        head,
        h('h1', { tabindex: '-1' }, icon('processes'), ctx.title),
        h(
          'p',
          { class: 'card-sub' },
          statusLabel(instance.status),
          ' · ',
          t('process.version_n', { version: instance.definition_version }),
          ' ',
          statusChips(instance),
        ),
        actionBar(),
      );
      replace(
        main,
        instance.error &&
          h(
            'section',
            { class: 'panel process-error', dataset: { section: 'error' } },
            h('h2', {}, t('process.error')),
            h('p', {}, instance.error),
          ),
        panel('steps', t('process.history'), stepsTimeline()),
      );
      replace(
        side,
        panel('instance', t('process.about'), about()),
        panel('variables', t('process.variables'), variablesView()),
      );
    }

    renderCard();
  },
};

// A step's task, named by its subject once it arrives (the link works at once; a task that cannot be read keeps
// the generic label, the link then says why).
function taskLink(id) {
  const label = h('span', {}, t('process.open_task'));
  api.cached(`/api/v1/tasks/${encodeURIComponent(id)}`).then(
    (task) => (label.textContent = task.subject),
    () => null,
  );
  return h('a', { href: `/tasks/${encodeURIComponent(id)}`, class: 'process-task-link' }, icon('tasks'), label);
}
