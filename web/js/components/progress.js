// Progress of a background job (an import, a mailing, a bulk change): a <progress> with a live text,
// fed by polling the job's resource. Convention for job resources (see COMPONENTS.md):
// GET <url> -> {state: 'queued'|'running'|'succeeded'|'failed', done, total, error?}.

import * as api from '../api.js';
import { h, sleep } from '../dom.js';
import { formatNumber, t } from '../i18n.js';

/** progressBar({label}) -> {el, update({state, done, total, error})} */
export function progressBar({ label }) {
  const bar = h('progress', { max: 100 });
  const text = h('span', { class: 'progress-text', 'aria-live': 'polite' });
  const el = h('div', { class: 'progress' }, h('span', { class: 'progress-label' }, label), bar, text);
  bar.setAttribute('aria-label', label);
  return {
    el,
    update({ state = 'running', done = 0, total = 0, error = '' }) {
      el.dataset.state = state;
      if (total > 0) bar.value = Math.min(100, (done / total) * 100);
      else bar.removeAttribute('value'); // indeterminate until the job knows its size
      const counts = total > 0 ? t('progress.counts', { done: formatNumber(done), total: formatNumber(total) }) : '';
      text.textContent = [t(`progress.state.${state}`), counts, error].filter(Boolean).join(' · ');
    },
  };
}

/** Poll a job until it ends; resolves with its last state. trackJob(url, progress, {interval, signal}) */
export async function trackJob(url, progress, { interval = 1000, signal } = {}) {
  for (;;) {
    const { data } = await api.get(url, { signal });
    progress.update(data);
    if (data.state === 'succeeded' || data.state === 'failed') return data;
    await sleep(interval, signal);
  }
}
