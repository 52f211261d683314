// Sales plans (/deals/plans): a month's plans per team and per member, set by admins (anyone) and managers
// (their teams and members; the server refuses the rest). A plan is replaced by saving it again.

import * as api from '../../api.js';
import { dataTable } from '../../components/table.js';
import { toast, toastError } from '../../components/toast.js';
import { append, h, uid } from '../../dom.js';
import { parseDecimal, t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { nameOf, pageSelect, teams, users } from './common.js';
import { money } from '../format.js';

const thisMonth = () => new Date().toISOString().slice(0, 7);

export const plansPage = {
  name: 'sales-plans',
  title: () => t('plans.title'),
  async render(view, ctx) {
    const month = /^\d{4}-\d{2}$/.test(ctx.query.get('month') ?? '') ? ctx.query.get('month') : thisMonth();
    const [me, people, teamList, { data }] = await Promise.all([
      api.cached('/api/v1/me'),
      users(),
      teams(),
      api.get('/api/v1/sales-plans', { query: { from: month, to: month }, signal: ctx.signal }),
    ]);
    const reload = () => navigate(`/deals/plans?month=${month}`, { replace: true });
    // Managers plan for their own teams; admins for every team.
    const mine = me.roles.includes('admin') ? teamList : teamList.filter((x) => me.team_ids?.includes(x.id));
    const who = (plan) =>
      plan.user_id
        ? `${nameOf(people, plan.user_id) || plan.user_id}${plan.team_id ? ` (${nameOf(teamList, plan.team_id)})` : ''}`
        : `${nameOf(teamList, plan.team_id) || plan.team_id} — ${t('plans.team_plan')}`;

    const table = dataTable({
      caption: t('plans.title'),
      emptyText: t('plans.none'),
      columns: [
        { key: 'who', label: t('plans.who'), render: who },
        {
          key: 'amount',
          label: t('plans.amount'),
          className: 'num nowrap',
          render: (p) => money(p.amount, p.currency),
        },
        {
          key: 'actions',
          label: '',
          render: (p) =>
            h(
              'button',
              {
                type: 'button',
                class: 'button secondary',
                onClick: async () => {
                  try {
                    await api.del(`/api/v1/sales-plans/${p.id}`);
                    toast(t('plans.deleted'), { kind: 'success' });
                    reload();
                  } catch (error) {
                    toastError(error);
                  }
                },
              },
              t('plans.delete'),
            ),
        },
      ],
    });
    table.setRows(data.items);

    const teamSelect = pageSelect(
      t('deals.team'),
      mine.map((x) => ({ value: x.id, label: x.name })),
      mine[0]?.id ?? '',
      () => fillMembers(),
    );
    const memberSelect = h('select', { id: uid('sel') });
    const fillMembers = () => {
      const team = teamSelect.querySelector('select').value;
      memberSelect.replaceChildren(
        h('option', { value: '' }, t('plans.team_plan')),
        ...people
          .filter((u) => (u.team_ids ?? []).includes(team))
          .map((u) => h('option', { value: u.id }, u.display_name || u.username)),
      );
    };
    fillMembers();
    const amountInput = h('input', { id: uid('amount'), inputmode: 'decimal', required: true, autocomplete: 'off' });
    const currencyInput = h('input', { id: uid('cur'), value: 'RUB', maxlength: '3', size: '4' });
    const form = h(
      'form',
      {
        class: 'money-filters',
        onSubmit: async (event) => {
          event.preventDefault();
          const amount = parseDecimal(amountInput.value);
          if (amount === null) {
            toast(t('plans.amount_invalid'), { kind: 'error' });
            return;
          }
          try {
            await api.put('/api/v1/sales-plans', {
              month,
              team_id: teamSelect.querySelector('select').value,
              user_id: memberSelect.value,
              amount,
              currency: currencyInput.value.trim().toUpperCase(),
            });
            toast(t('plans.saved'), { kind: 'success' });
            reload();
          } catch (error) {
            toastError(error);
          }
        },
      },
      teamSelect,
      h('div', { class: 'filter' }, h('label', { for: memberSelect.id }, t('plans.for')), memberSelect),
      h('div', { class: 'filter' }, h('label', { for: amountInput.id }, t('plans.amount')), amountInput),
      h('div', { class: 'filter' }, h('label', { for: currencyInput.id }, t('plans.currency')), currencyInput),
      h('button', { type: 'submit', class: 'button' }, t('plans.save')),
    );
    const monthInput = h('input', { type: 'month', id: uid('month'), value: month });
    monthInput.addEventListener('change', () => monthInput.value && navigate(`/deals/plans?month=${monthInput.value}`));

    append(
      view,
      h(
        'div',
        { class: 'page-head' },
        h('h1', { tabindex: '-1' }, t('plans.title')),
        h('a', { href: '/' }, t('plans.back')),
      ),
      h('div', { class: 'filter' }, h('label', { for: monthInput.id }, t('plans.month')), monthInput),
      mine.length ? form : null,
      table.el,
    );
  },
};
