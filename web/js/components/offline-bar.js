// The line under the header while the client works without a network: what is shown was saved earlier, and how
// many changes wait to be sent. When the network is back (and every RETRY_MS while changes wait) they are sent, the
// result is told and `onSent` redraws the page with what the server has now.

import * as api from '../api.js';
import { h } from '../dom.js';
import { onLanguageChange, t } from '../i18n.js';
import { errorText } from '../messages.js';
import { onStatusChange, outbox, status } from '../offline.js';
import { toast } from './toast.js';

const RETRY_MS = 10_000;

export function offlineBar({ onSent = () => {} } = {}) {
  const el = h('div', { class: 'offline-bar', role: 'status', 'aria-live': 'polite', hidden: true });
  const render = ({ offline, queued } = status()) => {
    const parts = [];
    if (offline) parts.push(t('offline.banner'));
    if (queued) parts.push(t('offline.waiting', { count: queued }));
    el.textContent = parts.join(' ');
    el.hidden = !parts.length;
  };
  const send = async () => {
    if (!outbox().length || !navigator.onLine) return;
    const { sent, refused } = await api.sendQueued();
    if (sent) toast(t('offline.sent', { count: sent }), { kind: 'success' });
    for (const [, error] of refused) toast(t('offline.refused', { reason: errorText(error) }), { kind: 'error' });
    if (sent || refused.length) onSent();
  };
  onStatusChange(render);
  onLanguageChange(() => render());
  addEventListener('online', send);
  setInterval(send, RETRY_MS);
  render();
  return { el, send };
}
