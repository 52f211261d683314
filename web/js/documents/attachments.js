// The "Files" panel of the client, deal and task cards: drop files (or choose them) to attach, each upload with
// its progress bar (XMLHttpRequest: fetch reports no upload progress), the list with size, date and who, every
// version of a file, download, a preview of images and PDFs in the page, a new version, and delete (for the
// uploader, the record's owner and admins; the server decides, the panel shows its answer).
// Files are fetched with the session's token and shown from blob: URLs, so a preview needs no cookie; the
// gateway serves them with nosniff and a sandboxing Content-Security-Policy besides.

import * as api from '../api.js';
import { confirmDialog } from '../components/dialog.js';
import { toast, toastError } from '../components/toast.js';
import { h, replace, uid } from '../dom.js';
import { formatDate, formatNumber, formatPercent, formatRelative, t } from '../i18n.js';
import { icon } from '../icons.js';
import { errorText } from '../messages.js';

const PREVIEWED = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const base = '/api/v1/attachments';

/** A size for people: bytes, KB, MB in the reader's number format. */
export function formatSize(bytes) {
  const size = Number(bytes) || 0;
  if (size < 1024) return t('attachments.size.bytes', { value: formatNumber(size) });
  if (size < 1024 * 1024) return t('attachments.size.kb', { value: formatNumber(Math.round(size / 102.4) / 10) });
  return t('attachments.size.mb', { value: formatNumber(Math.round(size / (1024 * 104.8576)) / 10) });
}

async function fetchFile(attachment, version = 0) {
  const query = version ? { version } : undefined;
  const { data } = await api.get(`${base}/${encodeURIComponent(attachment.id)}/content`, { query, blob: true });
  return data;
}

/** Save a version of the file under its name (a blob: URL clicked as a download link). */
async function download(attachment, version) {
  const blob = await fetchFile(attachment, version?.version ?? 0);
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: version?.filename ?? attachment.filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Show an image or a PDF in a dialog. */
async function preview(attachment) {
  const blob = await fetchFile(attachment);
  const url = URL.createObjectURL(blob);
  const titleId = uid('preview');
  const isImage = attachment.content_type.startsWith('image/');
  const body = isImage
    ? h('img', { class: 'attachment-preview-image', src: url, alt: attachment.filename })
    : h('iframe', { class: 'attachment-preview-frame', src: url, title: attachment.filename });
  const close = h('button', { type: 'button', class: 'button', onClick: () => dialog.close() }, t('action.close'));
  const dialog = h(
    'dialog',
    { class: 'dialog attachment-preview', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, attachment.filename),
    body,
    h('div', { class: 'form-actions' }, close),
  );
  const opener = document.activeElement;
  dialog.addEventListener('close', () => {
    dialog.remove();
    URL.revokeObjectURL(url);
    opener?.focus?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}

/**
 * attachmentsPanel(recordType, recordId, {signal}) -> Promise<section>: the record's files, and uploads to it.
 * recordType: 'party' | 'deal' | 'task' | 'ticket'.
 */
export async function attachmentsPanel(recordType, recordId, { signal } = {}) {
  const query = { record_type: recordType, record_id: recordId };
  const [{ data }, users] = await Promise.all([
    api.get(base, { query, signal }),
    api.cached('/api/v1/users').catch(() => []),
  ]);
  let items = data.items;
  const who = (id) => users.find?.((u) => u.id === id)?.display_name || t('party.unknown_user');
  const titleId = uid('attachments');
  const list = h('ul', { class: 'attachments' });
  const uploads = h('div', { class: 'attachment-uploads', 'aria-live': 'polite' });
  const status = h('p', { class: 'muted attachments-empty' });
  const expanded = new Set(); // ids whose versions are shown

  const chooser = h('input', {
    type: 'file',
    multiple: true,
    class: 'visually-hidden',
    id: uid('attach'),
    onChange: () => {
      sendAll([...chooser.files]);
      chooser.value = '';
    },
  });
  const choose = h('label', { class: 'button small', for: chooser.id }, icon('plus'), t('attachments.choose'));
  const drop = h(
    'div',
    { class: 'attachment-drop', dataset: { state: 'idle' } },
    icon('documents'),
    h('span', {}, t('attachments.drop')),
  );
  for (const type of ['dragenter', 'dragover'])
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.dataset.state = 'over';
    });
  for (const type of ['dragleave', 'dragend']) drop.addEventListener(type, () => (drop.dataset.state = 'idle'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.dataset.state = 'idle';
    sendAll([...(event.dataTransfer?.files ?? [])]);
  });

  /** Upload one file (a new attachment, or a new version of `attachment`) with its own progress bar. */
  async function send(file, attachment = null) {
    const bar = h('progress', { max: 100, value: 0, 'aria-label': file.name });
    const text = h('span', { class: 'progress-text' }, t('attachments.uploading'));
    const row = h(
      'div',
      { class: 'progress attachment-upload', dataset: { file: file.name, state: 'running' } },
      h('span', { class: 'progress-label' }, file.name),
      bar,
      text,
    );
    uploads.append(row);
    const form = new FormData();
    if (!attachment) {
      form.append('record_type', recordType);
      form.append('record_id', recordId);
    }
    form.append('file', file, file.name);
    const path = attachment ? `${base}/${encodeURIComponent(attachment.id)}/versions` : base;
    try {
      await api.upload(path, form, {
        signal,
        onProgress(loaded, total) {
          if (total > 0) bar.value = Math.min(100, (loaded / total) * 100);
          text.textContent = total > 0 ? formatPercent(loaded / total, 0) : formatSize(loaded);
        },
      });
      bar.value = 100;
      row.dataset.state = 'succeeded';
      text.textContent = t('attachments.uploaded');
      setTimeout(() => row.remove(), 2000);
      return true;
    } catch (error) {
      if (signal?.aborted) return false;
      row.dataset.state = 'failed';
      bar.value = 0;
      text.textContent = errorText(error);
      row.setAttribute('role', 'alert');
      row.append(
        h('button', { type: 'button', class: 'button small', onClick: () => row.remove() }, t('action.close')),
      );
      return false;
    }
  }

  async function sendAll(files, attachment = null) {
    if (!files.length) return;
    const results = await Promise.all(files.map((file) => send(file, attachment)));
    if (results.some(Boolean)) await reload();
  }

  async function reload() {
    try {
      ({
        data: { items },
      } = await api.get(base, { query, signal }));
      render();
    } catch (error) {
      if (!signal?.aborted) toastError(error);
    }
  }

  async function remove(attachment) {
    const done = await confirmDialog({
      title: t('attachments.delete_title'),
      text: t('attachments.delete_text', { name: attachment.filename }),
      confirmLabel: t('action.remove'),
      danger: true,
      action: () => api.del(`${base}/${encodeURIComponent(attachment.id)}`),
    });
    if (!done) return;
    toast(t('attachments.deleted'), { kind: 'success' });
    await reload();
  }

  async function toggleVersions(attachment, button) {
    if (expanded.has(attachment.id)) expanded.delete(attachment.id);
    else {
      try {
        const { data: full } = await api.get(`${base}/${encodeURIComponent(attachment.id)}`, { signal });
        items = items.map((a) => (a.id === full.id ? full : a));
        expanded.add(attachment.id);
      } catch (error) {
        return toastError(error);
      }
    }
    render();
    list.querySelector(`[data-attachment="${attachment.id}"] .attachment-versions-toggle`)?.focus();
    return button;
  }

  const action = (name, label, onClick, extra = {}) =>
    h(
      'button',
      { type: 'button', class: 'button small ghost', title: label, 'aria-label': label, onClick, ...extra },
      icon(name),
    );
  const safely = (run) => () => run().catch(toastError);

  function versionRow(attachment, version) {
    return h(
      'li',
      { class: 'attachment-version', dataset: { version: version.version } },
      h(
        'button',
        { type: 'button', class: 'link', onClick: safely(() => download(attachment, version)) },
        t('attachments.version', { version: version.version }),
        ' · ',
        version.filename,
      ),
      h(
        'span',
        { class: 'muted' },
        ` · ${formatSize(version.size_bytes)} · ${who(version.uploaded_by)} · ${formatDate(version.uploaded_at)}`,
      ),
    );
  }

  function row(attachment) {
    const newVersion = h('input', {
      type: 'file',
      class: 'visually-hidden',
      id: uid('version'),
      onChange: () => {
        sendAll([...newVersion.files], attachment);
        newVersion.value = '';
      },
    });
    const shown = expanded.has(attachment.id);
    return h(
      'li',
      { class: 'attachment', dataset: { attachment: attachment.id } },
      h(
        'div',
        { class: 'attachment-main' },
        h(
          'button',
          {
            type: 'button',
            class: 'link attachment-name',
            title: t('attachments.download'),
            onClick: safely(() => download(attachment)),
          },
          attachment.filename,
        ),
        h(
          'span',
          { class: 'muted attachment-meta' },
          [
            formatSize(attachment.size_bytes),
            h(
              'time',
              { datetime: attachment.versions[0]?.uploaded_at, title: formatDate(attachment.versions[0]?.uploaded_at) },
              formatRelative(attachment.versions[0]?.uploaded_at ?? attachment.created_at),
            ),
            who(attachment.versions[0]?.uploaded_by ?? attachment.created_by),
            attachment.latest_version > 1 && t('attachments.version', { version: attachment.latest_version }),
          ]
            .filter(Boolean)
            .flatMap((part, i) => (i ? [' · ', part] : [part])),
        ),
      ),
      h(
        'div',
        { class: 'toolbar attachment-actions' },
        PREVIEWED.has(attachment.content_type) &&
          action(
            'search',
            t('attachments.preview'),
            safely(() => preview(attachment)),
            {
              class: 'button small ghost attachment-preview-button',
            },
          ),
        action(
          'copy',
          t('attachments.download'),
          safely(() => download(attachment)),
        ),
        attachment.latest_version > 1 &&
          h(
            'button',
            {
              type: 'button',
              class: 'button small ghost attachment-versions-toggle',
              'aria-expanded': String(shown),
              onClick: (event) => toggleVersions(attachment, event.currentTarget),
            },
            t('attachments.versions', { count: attachment.latest_version }),
          ),
        newVersion,
        h(
          'label',
          { class: 'button small ghost', for: newVersion.id, title: t('attachments.new_version') },
          icon('refresh'),
          h('span', { class: 'visually-hidden' }, t('attachments.new_version')),
        ),
        action('close', t('attachments.delete'), () => remove(attachment), { class: 'button small ghost danger' }),
      ),
      shown &&
        h(
          'ol',
          { class: 'attachment-versions' },
          attachment.versions.map((v) => versionRow(attachment, v)),
        ),
    );
  }

  function render() {
    replace(list, ...items.map(row));
    status.textContent = items.length ? '' : t('attachments.none');
  }
  render();

  return h(
    'section',
    { class: 'panel attachments-panel', 'aria-labelledby': titleId, dataset: { section: 'attachments' } },
    h('div', { class: 'panel-head' }, h('h2', { id: titleId }, t('nav.attachments')), chooser, choose),
    h('div', { class: 'panel-body' }, drop, uploads, status, list),
  );
}
