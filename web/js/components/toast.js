// Short messages in a polite live region (screen readers announce them); errors stay until closed.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';

let region;

function container() {
  region ??= document.body.appendChild(h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' }));
  return region;
}

/** toast(message or nodes, {kind: 'info'|'success'|'error', timeout}) */
export function toast(content, { kind = 'info', timeout = kind === 'error' ? 0 : 5000 } = {}) {
  const close = () => item.remove();
  const item = h(
    'div',
    { class: `toast toast-${kind}` },
    h('div', { class: 'toast-body' }, content),
    h(
      'button',
      { type: 'button', class: 'icon-button', 'aria-label': t('action.close'), onClick: close },
      icon('close'),
    ),
  );
  container().append(item);
  if (timeout) setTimeout(close, timeout);
  return close;
}

/** A toast for an ApiError (network failures get a hint to check the connection). */
export function toastError(error) {
  if (error?.name === 'AbortError') return;
  toast(errorText(error), { kind: error?.code === 'queued_offline' ? 'info' : 'error' });
}
