// The dashboard: cards that domains register (registry.registerDashboardWidget), loaded in parallel;
// a card that fails says so without taking the others down.

import { append, h } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';
import { dashboardWidgets } from '../registry.js';

export const dashboardPage = {
  name: 'dashboard',
  title: () => t('nav.dashboard'),
  async render(view, { signal }) {
    const grid = h('div', { class: 'dashboard' });
    append(view, h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('nav.dashboard'))), grid);
    const results = await Promise.allSettled(dashboardWidgets.map((widget) => widget.render({ signal })));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') append(grid, result.value);
      else
        append(
          grid,
          h(
            'section',
            { class: 'panel widget', role: 'alert' },
            h('h2', {}, t(`widget.${dashboardWidgets[i].id}`)),
            h('p', {}, errorText(result.reason)),
          ),
        );
    });
  },
};
