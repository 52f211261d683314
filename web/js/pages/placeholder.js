// Pages with nothing to load: a section whose service is not installed yet, and "not found".

import { append, h } from '../dom.js';
import { t } from '../i18n.js';

/** The page of a section whose service has not landed: it says so plainly. */
export function notLandedPage(id) {
  return {
    name: `planned-${id}`,
    title: () => t(`nav.${id}`),
    async render(view) {
      append(
        view,
        h(
          'section',
          { class: 'panel placeholder' },
          h('h1', { tabindex: '-1' }, t(`nav.${id}`)),
          h('p', { class: 'lead' }, t('planned.not_landed', { section: t(`nav.${id}`) })),
          h('p', {}, t(`planned.${id}`)),
          h('p', {}, h('a', { href: '/parties' }, t('planned.meanwhile'))),
        ),
      );
    },
  };
}

export const notFoundPage = {
  name: 'not-found',
  title: () => t('error.not_found'),
  async render(view) {
    append(
      view,
      h(
        'section',
        { class: 'panel placeholder' },
        h('h1', { tabindex: '-1' }, t('error.not_found')),
        h('p', {}, t('error.not_found_hint')),
        h('p', {}, h('a', { href: '/' }, t('nav.dashboard'))),
      ),
    );
  },
};
