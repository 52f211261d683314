// Publishing a definition: its YAML (or JSON) typed or pasted into a text box or opened from a file, "Check" (the
// server validates it and stores nothing: every problem at once, each with the path of its field), and "Publish"
// (the next version of its key, turned on at once). ?from=<key> starts from that definition's newest source.

import * as api from '../../api.js';
import { toast } from '../../components/toast.js';
import { append, h, replace, uid } from '../../dom.js';
import { formatNumber, localName, t } from '../../i18n.js';
import { errorText } from '../../messages.js';
import { navigate } from '../../router.js';
import { definitionHref, triggerText } from '../format.js';
import { definitions, pageHead, processTabs, stepsList } from './common.js';

const ENDPOINT = '/api/v1/process-definitions';

export const publishPage = {
  name: 'process-publish',
  title: (ctx) => ctx.title ?? t('process.new'),
  async render(view, ctx) {
    const from = ctx.query.get('from');
    const [list, base] = await Promise.all([
      definitions(ctx.signal),
      from ? api.get(`${ENDPOINT}/${encodeURIComponent(from)}`, { signal: ctx.signal }).then((r) => r.data) : null,
    ]);
    ctx.title = base ? t('process.publish_version_of', { name: localName(base) }) : t('process.new');

    const sourceId = uid('source');
    const hintId = uid('hint');
    const source = h('textarea', {
      id: sourceId,
      name: 'source',
      class: 'process-source',
      rows: 22,
      spellcheck: 'false',
      autocapitalize: 'off',
      autocomplete: 'off',
      wrap: 'off',
      'aria-describedby': hintId,
      placeholder: SKELETON,
      value: base?.source ?? '',
    });
    const fileId = uid('file');
    const file = h('input', {
      id: fileId,
      type: 'file',
      accept: '.yaml,.yml,.json,application/yaml,application/json,text/yaml,text/plain',
    });
    const result = h('div', { class: 'process-check', 'aria-live': 'polite' });
    const check = h('button', { type: 'button', class: 'button' }, t('process.check'));
    const publish = h('button', { type: 'submit', class: 'button primary' }, t('process.publish'));

    file.addEventListener('change', async () => {
      const [chosen] = file.files;
      if (!chosen) return;
      source.value = await chosen.text();
      replace(result);
      source.focus();
    });

    // The document as the API takes it: JSON when it looks like JSON, else YAML (a superset of JSON anyway).
    async function send(dryRun) {
      const text = source.value;
      const contentType = text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
      return (await api.post(ENDPOINT, text, { contentType, query: dryRun ? { dry_run: true } : undefined })).data;
    }

    async function run(dryRun) {
      replace(result);
      if (!source.value.trim()) {
        showProblems(result, null, [{ field: '', message: t('process.source_empty') }]);
        source.focus();
        return;
      }
      check.disabled = publish.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        const definition = await send(dryRun);
        if (!dryRun) {
          toast(t('process.published_version', { name: localName(definition), version: definition.version }), {
            kind: 'success',
          });
          await navigate(definitionHref(definition.key));
          return;
        }
        showChecked(
          result,
          definition,
          list.find((d) => d.key === definition.key),
        );
      } catch (error) {
        if (error?.name === 'AbortError') return;
        showProblems(result, error, error?.errors ?? []);
      } finally {
        check.disabled = publish.disabled = false;
        form.setAttribute('aria-busy', 'false');
      }
      result.querySelector('[tabindex="-1"]')?.focus(); // the outcome is read out and in view
    }

    const form = h(
      'form',
      { class: 'panel process-publish', novalidate: true },
      h(
        'div',
        { class: 'field wide' },
        h('label', { for: sourceId }, t('process.source_label')),
        h('p', { class: 'field-hint', id: hintId }, t('process.source_hint')),
        source,
      ),
      h('div', { class: 'field process-file' }, h('label', { for: fileId }, t('process.open_file')), file),
      h('div', { class: 'form-actions' }, check, publish),
      result,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      run(false);
    });
    check.addEventListener('click', () => run(true));

    append(
      view,
      pageHead(ctx.title),
      processTabs('definitions'),
      h('p', { class: 'muted' }, t('process.publish_lead')),
      form,
    );
  },
};

/** A definition that passed the check: what it is, and which version publishing it makes. */
function showChecked(slot, definition, existing) {
  replace(
    slot,
    h(
      'div',
      { class: 'form-summary success', role: 'status', tabindex: '-1' },
      h('p', { class: 'process-check-title' }, t('process.check_ok')),
      h(
        'p',
        {},
        h('strong', {}, localName(definition)),
        ' · ',
        h('code', {}, definition.key),
        ' · ',
        triggerText(definition),
        ' · ',
        t('process.steps_count', { count: definition.steps.length }),
      ),
      h(
        'p',
        {},
        existing
          ? t('process.check_next_version', { version: formatNumber(existing.version + 1) })
          : t('process.check_new_key'),
      ),
      stepsList(definition.steps),
    ),
  );
}

/** Every problem the server found, with the path of its field ("steps[2].next", "step 3" to a person). */
function showProblems(slot, error, problems) {
  replace(
    slot,
    h(
      'div',
      { class: 'form-summary error', role: 'alert', tabindex: '-1' },
      h(
        'p',
        { class: 'process-check-title' },
        problems.length ? t('process.problems', { count: problems.length }) : errorText(error),
      ),
      problems.length > 0 &&
        h(
          'ul',
          { class: 'process-problems' },
          problems.map((problem) => {
            const path = fieldPath(problem.field);
            const step = /^steps\[(\d+)\]/.exec(path);
            return h(
              'li',
              { dataset: { field: path } },
              path && h('code', { class: 'field-path' }, path),
              step && h('span', { class: 'muted' }, t('process.step_n', { n: Number(step[1]) + 1 })),
              h('span', { class: 'problem-text' }, errorText(problem)),
              // An author fixing a definition needs the specifics too (which key, which variable): the server's words.
              problem.message &&
                problem.message !== errorText(problem) &&
                h('span', { class: 'problem-detail muted' }, ` (${problem.message})`),
            );
          }),
        ),
    ),
  );
}

/** "steps.2.next" (as the client's errors carry paths) written as the definition's author reads it: steps[2].next. */
function fieldPath(field = '') {
  return field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

// What an empty box suggests (the format: docs/processes.md).
const SKELETON = `key: call-new-deal
name: Call about a new deal
trigger: manual
steps:
  - id: call
    name: First call
    type: user_task
    task: {type: call, subject: "Call about {title}"}
    assignee: owner
    deadline: {working_days: 1}
    next: done
  - id: done
    type: end`;
