// The import wizard: a CSV or Excel file (dropped or chosen) becomes leads or clients. Upload with the target
// and campaign; map each column to a field (by hand, or by the amoCRM / Bitrix24 preset); preview rows with their
// problems; start, and watch the progress (polled) with a cancel; then the counts and the file of rejected rows.
// The import's id stays in the URL (?id=), so a reload or a return finds the import where it is.

import * as api from '../../api.js';
import { pageHead, panel } from '../../components/page.js';
import { progressBar } from '../../components/progress.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace, sleep, uid } from '../../dom.js';
import { formatNumber, has, t } from '../../i18n.js';
import { errorText } from '../../messages.js';
import { navigate } from '../../router.js';
import { campaignOptions, campaigns, details, marketingTabs } from './common.js';
import { FIELDS, fieldLabel, previewTable, select } from './import-rows.js';

const RUNNING = ['queued', 'running'];
const FINISHED = ['done', 'cancelled', 'failed'];
const POLL_MS = 700;
const PREVIEW_ROWS = 20;

const targetOf = (job) => (job.target === 'parties' || job.target === 'party' ? 'parties' : 'leads');

/** The progress bar's state for an import's status. */
const barState = (status) =>
  ({ done: 'succeeded', failed: 'failed', cancelled: 'failed', running: 'running' })[status] ?? 'queued';

export const importPage = {
  name: 'import',
  title: () => t('marketing.tab.import'),
  async render(view, ctx) {
    const { signal } = ctx;
    const id = ctx.query.get('id');
    const [list, tabs, loaded] = await Promise.all([
      campaigns(signal),
      marketingTabs('import'),
      id ? api.get(`/api/v1/imports/${encodeURIComponent(id)}`, { signal }) : null,
    ]);
    let job = loaded?.data ?? null;
    // The presets (amoCRM, Bitrix24) of the import's target: [{name, title, columns}].
    const presetsOf = (target) => api.cached('/api/v1/imports/presets', { target }).catch(() => []);
    const steps = h('div', { class: 'import-steps' });
    append(view, pageHead(t('marketing.import')), tabs, steps);

    const show = async () => {
      if (!job) return replace(steps, uploadStep());
      if (job.status === 'uploading') return replace(steps, waitingStep());
      if (job.status === 'uploaded') return replace(steps, summary(), mappingStep(await presetsOf(targetOf(job))));
      return replace(steps, summary(), runStep());
    };

    const summary = () =>
      panel(
        'file',
        t('import.file'),
        details([
          [t('import.filename'), job.filename],
          [t('import.target'), t(`import.target.${targetOf(job)}`)],
          [t('lead.campaign'), campaignOptions(list).find((c) => c.value === job.campaign_id)?.label],
          [t('import.rows_total'), job.rows_total ? formatNumber(job.rows_total) : ''],
        ]),
        job.status === 'uploaded' && h('a', { class: 'button small', href: '/marketing/import' }, t('import.another')),
      );

    // Step 1: the file, what it fills, and its campaign.
    function uploadStep() {
      const input = h('input', { type: 'file', id: uid('file'), accept: '.csv,.xlsx,.txt', class: 'visually-hidden' });
      const chosen = h('p', { class: 'drop-file', 'aria-live': 'polite' }, t('import.no_file'));
      let file = null;
      const choose = (picked) => {
        file = picked ?? null;
        chosen.textContent = file
          ? `${file.name} · ${formatNumber(Math.ceil(file.size / 1024))} KB`
          : t('import.no_file');
        zone.classList.toggle('has-file', Boolean(file));
      };
      input.addEventListener('change', () => choose(input.files[0]));
      const zone = h(
        'label',
        { class: 'drop-zone', for: input.id },
        h('span', { class: 'drop-title' }, t('import.drop')),
        h('span', { class: 'muted' }, t('import.drop_hint')),
        chosen,
      );
      zone.addEventListener('dragover', (event) => {
        event.preventDefault();
        zone.classList.add('dragging');
      });
      zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
      zone.addEventListener('drop', (event) => {
        event.preventDefault();
        zone.classList.remove('dragging');
        choose(event.dataTransfer.files[0]);
      });
      const target = select(
        'target',
        t('import.target'),
        ['leads', 'parties'].map((v) => ({ value: v, label: t(`import.target.${v}`) })),
      );
      const campaign = select('campaign', t('lead.campaign'), [{ value: '', label: '—' }, ...campaignOptions(list)]);
      const kind = select(
        'party_kind',
        t('import.party_kind'),
        ['company', 'person'].map((v) => ({ value: v, label: t(`import.party_kind.${v}`) })),
      );
      const syncKind = () => {
        kind.el.hidden = target.input.value !== 'parties';
      };
      target.input.addEventListener('change', syncKind);
      syncKind();
      const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
      const submit = h('button', { type: 'submit', class: 'button primary' }, t('import.upload'));
      const formEl = h(
        'form',
        { class: 'import-upload', novalidate: true },
        input,
        zone,
        h('div', { class: 'form-grid' }, target.el, kind.el, campaign.el),
        error,
        h('div', { class: 'form-actions' }, submit),
      );
      formEl.addEventListener('submit', async (event) => {
        event.preventDefault();
        error.hidden = true;
        if (!file) {
          error.textContent = t('import.choose_file');
          error.hidden = false;
          return;
        }
        // The gateway streams the file on as it arrives: the fields go before it.
        const body = new FormData();
        body.append('target', target.input.value);
        if (target.input.value === 'parties') body.append('party_kind', kind.input.value);
        if (campaign.input.value) body.append('campaign_id', campaign.input.value);
        body.append('file', file);
        submit.disabled = true;
        formEl.setAttribute('aria-busy', 'true');
        try {
          ({ data: job } = await api.post('/api/v1/imports', body));
          navigate(`/marketing/import?id=${encodeURIComponent(job.id)}`, { replace: true });
        } catch (problem) {
          error.textContent = errorText(problem);
          error.hidden = false;
          submit.disabled = false;
          formEl.setAttribute('aria-busy', 'false');
        }
      });
      return panel('upload', t('import.step_upload'), formEl);
    }

    function waitingStep() {
      poll();
      return panel('upload', t('import.step_upload'), h('p', { 'aria-live': 'polite' }, t('import.uploading')));
    }

    // Step 2: which field each column fills, a preset, what to do with duplicates; a preview of rows with problems.
    function mappingStep(presets) {
      const fields = FIELDS[targetOf(job)];
      const selects = new Map();
      const preset = select('preset', t('import.preset'), [
        { value: '', label: t('import.preset_none') },
        ...presets.map((p) => ({
          value: p.name,
          label: has(`import.preset.${p.name}`) ? t(`import.preset.${p.name}`) : p.title,
        })),
      ]);
      preset.input.value = job.preset ?? '';
      const duplicates = select(
        'on_duplicate',
        t('import.on_duplicate'),
        ['create', 'skip'].map((v) => ({ value: v, label: t(`import.on_duplicate.${v}`) })),
      );
      duplicates.input.value = job.on_duplicate || 'skip';
      const table = dataTable({
        caption: t('import.mapping'),
        columns: [
          { key: 'header', label: t('import.column'), className: 'primary' },
          {
            key: 'samples',
            label: t('import.samples'),
            render: (c) => h('span', { class: 'samples' }, (c.samples ?? []).join(' · ')),
          },
          {
            key: 'target',
            label: t('import.field'),
            render: (c) => {
              const input = h(
                'select',
                { 'aria-label': t('import.field_for', { column: c.header }), dataset: { header: c.header } },
                h('option', { value: '' }, t('import.ignore')),
                fields.map((f) => h('option', { value: f }, fieldLabel(f))),
              );
              input.value = c.target ?? '';
              selects.set(c.header, input);
              return input;
            },
          },
        ],
      });
      table.setRows(job.columns ?? []);
      const rows = h('div', { class: 'preview-rows' });
      const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
      const mapping = () => Object.fromEntries([...selects].map(([header, input]) => [header, input.value]));

      async function previewRows(usePreset = false) {
        error.hidden = true;
        try {
          const body = { on_duplicate: duplicates.input.value, rows: PREVIEW_ROWS };
          if (usePreset) body.preset = preset.input.value;
          else body.mapping = mapping();
          const { data } = await api.post(`/api/v1/imports/${encodeURIComponent(job.id)}/preview`, body);
          job = data.import ?? job;
          for (const column of job.columns ?? [])
            if (selects.has(column.header)) selects.get(column.header).value = column.target ?? '';
          replace(rows, previewTable(data.rows ?? [], fields));
          start.disabled = false;
        } catch (problem) {
          error.textContent = errorText(problem);
          error.hidden = false;
        }
      }
      preset.input.addEventListener('change', () => preset.input.value && previewRows(true));

      const check = h('button', { type: 'button', class: 'button', onClick: () => previewRows() }, t('import.preview'));
      const start = h('button', { type: 'button', class: 'button primary start-import' }, t('import.start'));
      start.addEventListener('click', async () => {
        start.disabled = true;
        try {
          // The mapping on screen is the one the rows are read with.
          await api.post(`/api/v1/imports/${encodeURIComponent(job.id)}/preview`, {
            mapping: mapping(),
            on_duplicate: duplicates.input.value,
            rows: 1,
          });
          ({ data: job } = await api.post(`/api/v1/imports/${encodeURIComponent(job.id)}/start`, {}));
          show();
        } catch (problem) {
          start.disabled = false;
          toastError(problem);
        }
      });
      return panel(
        'mapping',
        t('import.step_mapping'),
        h(
          'div',
          {},
          h('div', { class: 'form-grid' }, preset.el, duplicates.el),
          table.el,
          error,
          h('div', { class: 'form-actions' }, check, start),
          rows,
        ),
      );
    }

    // Step 3: the progress while it runs (cancel), then the counts and the rejected rows.
    function runStep() {
      const bar = progressBar({ label: t('import.progress') });
      const counts = h('div', { class: 'import-counts' });
      const cancel = h('button', { type: 'button', class: 'button cancel-import' }, t('import.cancel'));
      cancel.addEventListener('click', async () => {
        cancel.disabled = true;
        try {
          ({ data: job } = await api.post(`/api/v1/imports/${encodeURIComponent(job.id)}/cancel`, {}));
          update();
        } catch (problem) {
          cancel.disabled = false;
          toastError(problem);
        }
      });
      const result = h('div', { class: 'import-result' });
      const update = () => {
        bar.update({
          state: barState(job.status),
          done: Number(job.rows_done ?? 0),
          total: Number(job.rows_total ?? 0),
          error:
            job.status === 'cancelled'
              ? t('import.status.cancelled')
              : job.failure
                ? errorText({ code: job.failure, message: job.failure })
                : '',
        });
        bar.el.dataset.status = job.status;
        cancel.hidden = !RUNNING.includes(job.status);
        replace(
          counts,
          details([
            [t('import.status'), t(`import.status.${job.status}`)],
            [t('import.created'), formatNumber(Number(job.created ?? 0))],
            [t('import.duplicates'), formatNumber(Number(job.duplicates ?? 0))],
            [t('import.errors'), formatNumber(Number(job.errors ?? 0))],
          ]),
        );
        if (FINISHED.includes(job.status) && !result.dataset.done) {
          result.dataset.done = 'true';
          renderResult(result);
        }
      };
      update();
      if (RUNNING.includes(job.status)) poll(update);
      return panel(
        'progress',
        t('import.step_run'),
        h('div', {}, bar.el, h('div', { class: 'form-actions' }, cancel), counts, result),
      );
    }

    async function renderResult(result) {
      const errors = Number(job.errors ?? 0);
      append(
        result,
        h('p', { class: 'import-done', role: 'status' }, t(`import.finished.${job.status}`)),
        h('a', { class: 'button', href: '/marketing/import' }, t('import.another')),
        targetOf(job) === 'leads' &&
          h(
            'a',
            { class: 'button', href: `/marketing?filter=import_id:eq:${encodeURIComponent(job.id)}` },
            t('import.its_leads'),
          ),
      );
      if (!errors) return;
      append(
        result,
        h(
          'div',
          { class: 'toolbar error-files' },
          ['csv', 'xlsx'].map((format) =>
            h(
              'button',
              { type: 'button', class: 'button small', onClick: () => download(format) },
              t(`import.errors_${format}`),
            ),
          ),
        ),
      );
      try {
        const { data } = await api.get(`/api/v1/imports/${encodeURIComponent(job.id)}/rows`, {
          query: { outcome: 'error', limit: PREVIEW_ROWS },
          signal,
        });
        append(result, previewTable(data.items ?? data.rows ?? [], FIELDS[targetOf(job)]));
      } catch (problem) {
        toastError(problem);
      }
    }

    async function download(format) {
      try {
        const { data } = await api.get(`/api/v1/imports/${encodeURIComponent(job.id)}/errors`, {
          query: { format },
          blob: true,
        });
        const link = h('a', { href: URL.createObjectURL(data), download: `import-errors-${job.id}.${format}` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (problem) {
        toastError(problem);
      }
    }

    // Ask for the import until it moves on (upload finished, or the run ended); the page's signal stops it.
    async function poll(update) {
      const from = job.status;
      try {
        for (;;) {
          await sleep(POLL_MS, signal);
          ({ data: job } = await api.get(`/api/v1/imports/${encodeURIComponent(job.id)}`, { signal }));
          if (update) update();
          if (job.status !== from && (!update || !RUNNING.includes(job.status))) {
            if (!update) show();
            if (job.status === 'done') toast(t('import.finished.done'), { kind: 'success' });
            return;
          }
        }
      } catch (problem) {
        if (!signal.aborted) toastError(problem);
      }
    }

    show();
  },
};
