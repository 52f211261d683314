// The task card: everything the executor needs (type, subject, description, due time in their zone, duration,
// priority, people, the client and deal it is about, the business process step that gave it), what came of it
// (outcome, the next and previous tasks), the deadline's history with who moved it and why, and who changed what.
// Actions: start, complete with the outcome and the next activity, move the deadline, cancel, edit (If-Match).

import * as api from '../../api.js';
import { auditPanel } from '../../components/audit-list.js';
import { cardPanelSlots } from '../../components/card-panels.js';
import { editableSection } from '../../components/card-section.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace, uid } from '../../dom.js';
import { actorLabel, formatDate, formatRelative, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import {
  dueFull,
  dueNode,
  linkName,
  linksNode,
  resultLabel,
  taskChips,
  TIME_ZONE,
  typeIcon,
  typeLabel,
} from '../format.js';
import { taskProcess, taskProcessNode } from '../../processes/format.js';
import { tasksChanged } from '../panel.js';
import {
  detailFields,
  linkFields,
  linksOf,
  nameOf,
  people,
  peopleOptions,
  planFields,
  remindLabel,
  taskResults,
  taskTypes,
  tasksTabs,
} from './common.js';
import { cancelDialog, completeDialog, deadlineDialog } from './dialogs.js';

const OPEN = new Set(['open', 'in_progress']);

export const taskPage = {
  name: 'task',
  title: (ctx) => ctx.title ?? t('nav.tasks'),
  async render(view, ctx) {
    const url = `/api/v1/tasks/${encodeURIComponent(ctx.params.id)}`;
    const { signal } = ctx;
    const [loaded, auditData, types, results, team] = await Promise.all([
      api.get(url, { signal }),
      api.get(`${url}/audit`, { query: { limit: 20 }, signal }),
      taskTypes(),
      taskResults(),
      people(),
    ]);
    let task = loaded.data;
    let etag = loaded.etag;
    // Other domains' panels (the task's files) fill their place when they arrive; they stay across re-renders.
    const extraPanels = cardPanelSlots('task', task.id, { signal, record: Promise.resolve(task) });
    let audit = auditData.data.items;
    let [related, process] = await Promise.all([relatedTasks(task, signal), taskProcess(task, signal)]);
    const directory = team.all;
    const who = (id) => actorLabel(id, nameOf(directory, id));

    const head = h('header', { class: 'card-head' });
    const main = h('div', { class: 'card-main' });
    const side = h('aside', { class: 'card-side' });
    append(view, head, tasksTabs(''), h('div', { class: 'card-grid' }, main, side));

    async function reload(announce = true) {
      try {
        const [fresh, log] = await Promise.all([api.get(url), api.get(`${url}/audit`, { query: { limit: 20 } })]);
        ({ data: task, etag } = fresh);
        audit = log.data.items;
        [related, process] = await Promise.all([relatedTasks(task), taskProcess(task)]);
        renderCard();
        if (announce) toast(t('party.reloaded'));
      } catch (error) {
        toastError(error);
      }
    }

    // After an action: the card as it is now, the header's counts, focus back on the actions.
    async function changed(message) {
      toast(message, { kind: 'success' });
      tasksChanged();
      await reload(false);
      head.querySelector('.task-actions button')?.focus();
    }

    const actions = {
      async start() {
        try {
          ({ data: task, etag } = await api.post(`${url}/start`, undefined, { etag }));
          await changed(t('task.started'));
        } catch (error) {
          if (error.status === 412) return conflict();
          toastError(error);
        }
      },
      async complete() {
        const done = await completeDialog(task, { types, results, team, reload });
        if (!done) return;
        await changed(t('task.completed'));
        if (done.next_task)
          toast(
            [t('task.next_scheduled'), ' ', h('a', { href: `/tasks/${done.next_task.id}` }, done.next_task.subject)],
            { kind: 'success' },
          );
      },
      async deadline() {
        if (await deadlineDialog(task, { reload })) await changed(t('task.deadline_moved'));
      },
      async cancel() {
        if (await cancelDialog(task, { reload })) await changed(t('task.cancelled'));
      },
    };

    function conflict() {
      toast(
        [
          h('span', {}, t('form.conflict')),
          ' ',
          h('button', { type: 'button', class: 'button small', onClick: () => reload() }, t('action.reload')),
        ],
        { kind: 'error' },
      );
    }

    function actionBar() {
      if (!OPEN.has(task.status)) return null;
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
      return h(
        'div',
        { class: 'toolbar task-actions' },
        button('complete', 'check', t('task.complete'), true),
        task.status === 'open' && button('start', 'play', t('task.start')),
        button('deadline', 'clock', t('task.move_deadline')),
        button('cancel', 'close', t('task.cancel')),
      );
    }

    function mainView() {
      const pairs = [
        [t('task.type'), typeLabel(task.type, types)],
        [
          t('task.due'),
          task.due_at
            ? [dueNode(task), h('p', { class: 'muted due-zone' }, withZone(dueFull(task.due_at)))]
            : t('task.no_due'),
        ],
        task.duration_minutes > 0 && [t('task.duration'), t('time.minutes', { minutes: task.duration_minutes })],
        [t('task.priority'), t(`task.priority.${task.priority}`)],
        [t('task.assignee'), who(task.assignee_id)],
        task.co_executor_ids.length > 0 && [t('task.co_executors'), task.co_executor_ids.map(who).join(', ')],
        task.watcher_ids.length > 0 && [t('task.watchers'), task.watcher_ids.map(who).join(', ')],
        task.links.length > 0 && [t('task.links'), linksNode(task)],
        process && [t('task.process'), taskProcessNode(task, process)],
        [t('task.remind_before'), remindLabel(task.remind_before_minutes)],
        [t('task.creator'), `${who(task.creator_id)} · ${formatDate(task.created_at)}`],
        task.started_at && [t('task.started_at'), formatDate(task.started_at)],
      ].filter(Boolean);
      return [
        h(
          'dl',
          { class: 'details' },
          pairs.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
        ),
        task.description && h('h3', { class: 'subhead' }, t('task.description')),
        task.description && h('p', { class: 'task-description' }, task.description),
      ];
    }

    function section(id, title, display, fields, toPatch) {
      return editableSection({
        id,
        title,
        display,
        fields: OPEN.has(task.status) ? fields : null,
        values: editValues,
        submit: async (data) => {
          const patch = toPatch(data);
          if (Object.keys(patch).length) ({ data: task, etag } = await api.patch(url, patch, { etag }));
          await changed(t('party.saved'));
        },
        onConflict: () => reload(),
      });
    }

    // The editor shows every field but the deadline (moving it needs a reason: its own dialog).
    const linked = (kind) => task.links.find((link) => link.kind === kind);
    const editFields = async () => {
      const options = peopleOptions(team, [task.assignee_id, ...task.co_executor_ids, ...task.watcher_ids]);
      const [party, deal] = await Promise.all(
        ['party', 'deal'].map(async (kind) => {
          const link = linked(kind);
          return link && { value: link.id, label: (await linkName(link)) || t('task.link_hidden') };
        }),
      );
      return [
        ...planFields({ types, team: options }).filter((field) => field.name !== 'due_at'),
        ...linkFields({ party, deal }),
        ...detailFields({ team: options }),
      ];
    };
    const editValues = () => ({ ...task, party_id: linked('party')?.id, deal_id: linked('deal')?.id });
    const toPatch = ({ party_id: partyId, deal_id: dealId, ...data }) => {
      const patch = Object.fromEntries(
        Object.entries(data).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(shown(key, task[key]))),
      );
      if (partyId !== (linked('party')?.id ?? null) || dealId !== (linked('deal')?.id ?? null))
        patch.links = linksOf(task.links, partyId, dealId);
      return patch;
    };

    function outcomePanel() {
      if (task.status === 'cancelled')
        return panel(
          'outcome',
          t('task.status.cancelled'),
          h('p', {}, task.cancel_reason || t('task.no_reason')),
          h('p', { class: 'timeline-meta' }, formatDate(task.cancelled_at)),
        );
      if (task.status !== 'done' && !related.previous) return null;
      return panel(
        'outcome',
        t(task.status === 'done' ? 'task.outcome' : 'task.related'),
        task.outcome &&
          h(
            'p',
            { class: 'task-outcome' },
            h('span', { class: 'chip strong' }, resultLabel(task.outcome.result_code, results)),
            task.outcome.text && h('span', { class: 'outcome-text' }, task.outcome.text),
          ),
        task.completed_at && h('p', { class: 'timeline-meta' }, formatDate(task.completed_at)),
        related.next &&
          h('p', { class: 'follow-up' }, t('task.next'), ': ', taskLink(related.next), ' ', dueNode(related.next)),
        related.previous && h('p', { class: 'follow-up' }, t('task.previous'), ': ', taskLink(related.previous)),
      );
    }

    function deadlinePanel() {
      const changes = [...task.due_changes].reverse();
      return panel(
        'deadlines',
        t('task.deadline_history'),
        changes.length
          ? h(
              'ol',
              { class: 'audit deadline-history' },
              changes.map((c) =>
                h(
                  'li',
                  {},
                  h('p', {}, `${dueShort(c.old_due_at)} → ${dueShort(c.new_due_at)}`),
                  c.reason && h('p', { class: 'due-reason' }, c.reason),
                  h(
                    'p',
                    { class: 'timeline-meta' },
                    who(c.changed_by),
                    ' · ',
                    h(
                      'time',
                      { datetime: c.changed_at, title: formatDate(c.changed_at) },
                      formatRelative(c.changed_at),
                    ),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('task.deadline_never_moved')),
      );
    }

    function renderCard() {
      ctx.title = task.subject;
      document.title = `${task.subject} · ${t('app.name')}`;
      replace(
        head,
        h('h1', { tabindex: '-1' }, icon(typeIcon(task.type)), task.subject),
        h('p', { class: 'card-sub' }, typeLabel(task.type, types), ' · ', dueNode(task), ' ', taskChips(task)),
        actionBar(),
      );
      replace(
        main,
        section('main', t('task.section_main'), mainView, editFields, toPatch),
        outcomePanel(),
        extraPanels,
      );
      replace(
        side,
        deadlinePanel(),
        auditPanel({ kind: 'task', entries: audit, who, title: t('task.audit'), hidden: ['due_change_reason'] }),
      );
    }

    renderCard();
  },
};

// A task's value as its form reads it back: no description and no duration are empty inputs (null).
const shown = (key, value) => (value === '' || (key === 'duration_minutes' && value === 0) ? null : (value ?? null));

// "Fri, 27 Nov 2026, 10:00 GMT+3 · Europe/Moscow": the offset and the zone's name, once.
const withZone = (text) => (text.includes(TIME_ZONE) ? text : `${text} · ${TIME_ZONE}`);

function dueShort(value) {
  return value ? formatDate(value) : '—';
}

function taskLink(task) {
  return h('a', { href: `/tasks/${task.id}` }, task.subject);
}

function panel(id, title, ...content) {
  const headingId = uid(id);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': headingId, dataset: { section: id } },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId }, title)),
    h('div', { class: 'panel-body' }, content),
  );
}

// The follow-up this task scheduled and the task it follows (either may be hidden from you: then not shown).
async function relatedTasks(task, signal) {
  const fetchTask = (id) =>
    id
      ? api.get(`/api/v1/tasks/${encodeURIComponent(id)}`, { signal }).then(
          (r) => r.data,
          () => null,
        )
      : null;
  const [next, previous] = await Promise.all([fetchTask(task.follow_up_task_id), fetchTask(task.previous_task_id)]);
  return { next, previous };
}
