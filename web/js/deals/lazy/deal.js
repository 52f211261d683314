// The deal card: what it is (client, people, owner, money, dates), how far it is from money, where it stands
// (move it), its product lines and payments, and its history. Sections edit in place (PATCH with If-Match).

import * as api from '../../api.js';
import { cardPanelSlots } from '../../components/card-panels.js';
import { auditPanel } from '../../components/audit-list.js';
import { customFieldsSection, editableSection } from '../../components/card-section.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, replace, uid } from '../../dom.js';
import { formatDate, formatNumber, localName, t } from '../../i18n.js';
import { icon } from '../../icons.js';
import { dealBadges, daysSince, money } from '../format.js';
import { historyPanel, linesView, paymentsPanel } from './deal-panels.js';
import { dealsTabs, lossLabel, lossReasons, moveDeal, nameOf, pipelines, stageNames, users } from './common.js';
import { changes, mainFields } from './fields.js';
import { lineFields, units } from './vat.js';

export const dealPage = {
  name: 'deal',
  title: (ctx) => ctx.title ?? t('nav.deals'),
  async render(view, ctx) {
    const url = `/api/v1/deals/${encodeURIComponent(ctx.params.id)}`;
    const { signal } = ctx;
    const [loaded, historyData, paymentsData, auditData, boards, people, reasons, definitions, unitList] =
      await Promise.all([
        api.get(url, { signal }),
        api.get(`${url}/stage-history`, { signal }),
        api.get(`${url}/payments`, { signal }),
        api.get(`${url}/audit`, { query: { limit: 20 }, signal }),
        pipelines(),
        users(),
        lossReasons(),
        api.cached('/api/v1/deals/custom-fields'),
        units(),
      ]);
    const stageName = stageNames(boards);
    let deal = loaded.data;
    let etag = loaded.etag;
    let changesList = historyData.data;
    let payments = paymentsData.data;
    let audit = auditData.data.items;
    const contacts = await contactNames(deal.contact_ids, signal);
    ctx.title = deal.title;
    // Other domains' panels (the deal's tasks) fill their place when they arrive; they stay across re-renders.
    const extraPanels = cardPanelSlots('deal', deal.id, { signal, record: Promise.resolve(deal) });

    const head = h('header', { class: 'card-head' });
    const main = h('div', { class: 'card-main' });
    const side = h('aside', { class: 'card-side' });
    append(view, head, dealsTabs(''), h('div', { class: 'card-grid' }, main, side));

    async function reload(announce = true) {
      try {
        const [fresh, history, pays, log] = await Promise.all([
          api.get(url),
          api.get(`${url}/stage-history`),
          api.get(`${url}/payments`),
          api.get(`${url}/audit`, { query: { limit: 20 } }),
        ]);
        ({ data: deal, etag } = fresh);
        changesList = history.data;
        payments = pays.data;
        audit = log.data.items;
        renderCard();
        if (announce) toast(t('party.reloaded'));
      } catch (error) {
        toastError(error);
      }
    }

    async function save(patch) {
      ({ data: deal, etag } = await api.patch(url, patch, { etag }));
      toast(t('party.saved'), { kind: 'success' });
      await reload(false);
    }

    // An editable section: its view, and on "Edit" a form over the same data (only changes are sent).
    function section(id, title, display, fields) {
      return editableSection({
        id,
        title,
        display,
        fields,
        values: () => deal,
        submit: (data) => save(id === 'lines' ? data : changes(data, deal)),
        onConflict: () => reload(),
      });
    }

    function stageControl() {
      const pipeline = boards.find((p) => p.id === deal.pipeline_id);
      const stages = pipeline.stages.filter((s) => !s.archived || s.id === deal.stage_id);
      const select = h(
        'select',
        { id: uid('stage') },
        stages.map((s) => h('option', { value: s.id }, localName(s))),
      );
      select.value = deal.stage_id;
      select.addEventListener('change', async () => {
        select.disabled = true;
        try {
          await moveDeal(
            deal,
            stages.find((s) => s.id === select.value),
            { reload },
          );
          toast(t('kanban.moved', { column: select.selectedOptions[0].textContent }), { kind: 'success' });
          await reload(false);
          head.querySelector('.stage-move select')?.focus();
        } catch (error) {
          select.value = deal.stage_id;
          select.disabled = false;
          toastError(error);
        }
      });
      return h(
        'div',
        { class: 'filter stage-move' },
        h('label', { for: select.id }, t('deal.move_to', { pipeline: localName(pipeline) })),
        select,
      );
    }

    function mainView() {
      const d = deal.distance;
      const pairs = [
        [
          t('deal.client'),
          h('a', { href: `/parties/${deal.client_id}`, class: 'party-link' }, icon('company'), deal.client_name),
        ],
        [t('deal.contacts'), contacts.map((c) => h('p', {}, h('a', { href: `/parties/${c.id}` }, c.display_name)))],
        [t('deal.owner'), nameOf(people, deal.owner_id)],
        [t('deal.amount'), money(deal.amount, deal.currency)],
        [t('deal.expected_close'), formatDate(deal.expected_close_date, { dateOnly: true })],
        deal.status === 'open' &&
          d && [t('deal.expected_amount'), `${money(d.expected_amount, deal.currency)} (${d.probability} %)`],
        deal.status === 'open' && d && [t('deal.distance'), money(d.distance, deal.currency)],
        deal.status === 'open' &&
          d && [t('deal.in_stage'), t('deals.days_in_stage', { count: daysSince(deal.stage_entered_at) })],
        deal.status === 'open' &&
          d?.stalled && [t('deal.stalled'), d.stalled_reasons.map((r) => t(`deal.stalled_reason.${r}`)).join(', ')],
        deal.status === 'open' && d && d.time_factor < 1 && [t('deal.time_factor'), formatNumber(d.time_factor)],
        deal.status === 'lost' && [
          t('deal.loss_reason'),
          [reasonLabel(deal.loss_reason), deal.loss_comment && ` — ${deal.loss_comment}`],
        ],
        deal.closed_at && [t('deal.closed_at'), formatDate(deal.closed_at)],
      ].filter((pair) => pair && pair[1] !== '' && pair[1] != null && !(Array.isArray(pair[1]) && !pair[1].length));
      return h(
        'dl',
        { class: 'details' },
        pairs.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
      );
    }
    const reasonLabel = (code) => lossLabel(reasons.find((r) => r.code === code) ?? { code, label: code });

    function renderCard() {
      ctx.title = deal.title;
      document.title = `${deal.title} · ${t('app.name')}`;
      replace(
        head,
        h('h1', { tabindex: '-1' }, icon('deals'), deal.title),
        h(
          'p',
          { class: 'card-sub' },
          `${stageName(deal.stage_id, deal.stage_name)} · ${money(deal.amount, deal.currency) || t('deal.no_amount')}`,
          ' ',
          dealBadges(deal),
        ),
        stageControl(),
      );
      replace(
        main,
        section('main', t('deal.section_main'), mainView, () =>
          mainFields({ client: { value: deal.client_id, label: deal.client_name }, people }),
        ),
        section(
          'lines',
          t('deal.lines'),
          () => linesView(deal, unitList),
          () => lineFields(deal, unitList),
        ),
        definitions.some((d) => !d.archived) &&
          customFieldsSection({ record: deal, definitions, save, onConflict: () => reload() }),
        paymentsPanel(deal, payments, () => reload(false)),
        extraPanels,
      );
      replace(
        side,
        historyPanel(changesList, { people, reasons, stageName }),
        auditPanel({ kind: 'deal', entries: audit, who: (id) => nameOf(people, id), title: t('deal.audit') }),
      );
    }

    renderCard();
  },
};

async function contactNames(ids, signal) {
  const found = await Promise.all(
    ids.map((id) =>
      api.get(`/api/v1/parties/${encodeURIComponent(id)}`, { signal }).then(
        (r) => r.data,
        () => null,
      ),
    ),
  );
  return found.filter(Boolean);
}
