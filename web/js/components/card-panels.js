// Other domains' panels on a card (registry.registerCardPanel): each gets a slot at once and fills it when its
// data arrives, so the card never waits for them; a failing panel says so in its place.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../messages.js';
import { cardPanelsFor } from '../registry.js';

/** Slots for the panels of `card` ('party', 'deal') about record `id`; `context` is passed to each render. */
export function cardPanelSlots(card, id, context) {
  context.record?.catch(() => {}); // the card reports its own failure; a panel that awaits the record, its own
  return cardPanelsFor(card).map((panel) => {
    const slot = h('div', { class: 'card-panel', 'aria-busy': 'true', dataset: { panel: panel.id } });
    Promise.resolve()
      .then(() => panel.render(id, context))
      .catch((error) =>
        h(
          'section',
          { class: 'panel', role: 'alert' },
          h('h2', {}, t(`nav.${panel.id}`)),
          h('p', {}, errorText(error)),
        ),
      )
      .then((node) => {
        if (context.signal?.aborted) return;
        replace(slot, node);
        slot.setAttribute('aria-busy', 'false');
      });
    return slot;
  });
}
