// "Log a call / schedule next" on a client's or a deal's card: a call made just now, recorded as a done task
// with its outcome, and the next activity planned in the same step (the complete endpoint creates it in one
// transaction with the call's links); or only the next activity. Both are linked to the card's record (a deal's
// tasks also to its client, so they show on the client's timeline).

import * as api from '../../api.js';
import { compact, form } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { isoLocal } from '../format.js';
import {
  nestErrors,
  outcomeFields,
  people,
  peopleOptions,
  planFields,
  taskBody,
  taskResults,
  taskTypes,
  toggleFields,
  tomorrowMorning,
} from './common.js';

/**
 * logForm({mode: 'call'|'next', kind: 'party'|'deal', id, record, onDone(eventType), onCancel}) -> {el, mode, focus}
 * `record` is a promise of the card's client or deal (its name goes into the call's subject).
 */
export async function logForm({ mode, kind, id, record, onDone, onCancel }) {
  const [types, results, team, subject] = await Promise.all([
    taskTypes(),
    taskResults(),
    people(),
    record.then((r) => r.display_name ?? r.title),
  ]);
  const links = [{ kind, id }];
  if (kind === 'deal') links.push({ kind: 'party', id: (await record).client_id });
  let call = null; // the call task once created: a retry after a refused completion only completes it

  const editor = form({
    className: 'inline-form task-log',
    fields: [
      { name: 'log_call', label: t('task.log.call_made'), type: 'checkbox' },
      ...outcomeFields(results),
      { name: 'call.duration_minutes', label: t('task.duration'), type: 'number' },
      { name: 'schedule_next', label: t('task.schedule_next'), type: 'checkbox' },
      ...planFields({ types, team: peopleOptions(team), prefix: 'next_task.' }),
    ],
    values: {
      log_call: mode === 'call',
      schedule_next: mode === 'next',
      next_task: {
        type: 'call',
        subject: t('task.log.next_subject', { name: subject }),
        due_at: tomorrowMorning(),
        priority: 'normal',
        assignee_id: team.self.id,
      },
    },
    submitLabel: t('action.save'),
    onCancel,
    submit: async (data) => {
      const next = data.schedule_next ? compact(taskBody(data.next_task)) : null;
      if (data.log_call) {
        call ??= (
          await api.post(
            '/api/v1/tasks',
            compact({
              type: 'call',
              subject: t('task.log.call_subject', { name: subject }),
              due_at: isoLocal(new Date()),
              duration_minutes: data.call.duration_minutes,
              links,
            }),
            { query: { allow_past_due: true } },
          )
        ).data;
        const body = { result_code: data.outcome.result_code ?? '', text: data.outcome.text ?? '' };
        if (next) body.next_task = next;
        await api.post(`/api/v1/tasks/${call.id}/complete`, body, { etag: `"${call.version}"` });
        toast(next ? t('task.log.logged_and_scheduled') : t('task.log.logged'), { kind: 'success' });
        return onDone('task.completed');
      }
      if (!next) throw new Error(t('task.log.nothing'));
      try {
        await api.post('/api/v1/tasks', { ...next, links });
      } catch (error) {
        throw nestErrors(error, 'next_task.');
      }
      toast(t('task.log.scheduled'), { kind: 'success' });
      return onDone('task.created');
    },
  });
  const calling = toggleFields(editor.el, 'log_call', ['outcome.', 'call.']);
  toggleFields(editor.el, 'schedule_next', ['next_task.']);
  const el = h(
    'section',
    { class: 'task-log-box', 'aria-label': t('task.log.title') },
    h('h3', { class: 'subhead' }, t('task.log.title')),
    editor.el,
  );
  return {
    el,
    mode,
    focus: () =>
      (calling() ? el.querySelector('[data-field="outcome.result_code"] select') : el.querySelector('input'))?.focus(),
  };
}
