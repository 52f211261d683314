// The top search: a combobox (WAI-ARIA 1.2 pattern) that asks every registered search provider as
// you type and lists their results in groups. Arrow keys move, Enter opens, Escape closes.

import { debounce, h, uid } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { searchProviders } from '../registry.js';

const MIN_LENGTH = 2;

// Enter without a highlighted result opens the full list of the first provider that has one.
const fullSearch = () => searchProviders.find((p) => p.allHref);

export function searchBox() {
  const listId = uid('search-results');
  const input = h('input', {
    type: 'search',
    id: uid('search'),
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    autocomplete: 'off',
    enterkeyhint: 'search',
  });
  const label = h('label', { for: input.id, class: 'visually-hidden' });
  const list = h('div', { id: listId, role: 'listbox', class: 'search-results', hidden: true });
  const el = h('div', { class: 'searchbox' }, label, icon('search'), input, list);
  let options = [];
  let active = -1;
  let controller = null;

  function relabel() {
    label.textContent = t('search.label');
    input.placeholder = t('search.placeholder');
    list.setAttribute('aria-label', t('search.label'));
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index) {
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    active = index;
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function open(href) {
    close();
    input.value = '';
    navigate(href);
  }

  const run = debounce(async () => {
    const q = input.value.trim();
    controller?.abort();
    if (q.length < MIN_LENGTH) return close();
    controller = new AbortController();
    const { signal } = controller;
    const settled = await Promise.allSettled(searchProviders.map((p) => p.search(q, { signal })));
    if (signal.aborted) return;
    const groups = searchProviders
      .map((provider, i) => ({ provider, results: settled[i].status === 'fulfilled' ? settled[i].value : [] }))
      .filter((g) => g.results.length);
    options = [];
    list.replaceChildren(
      ...groups.map(({ provider, results }) => {
        const headingId = uid('group');
        return h(
          'div',
          { role: 'group', 'aria-labelledby': headingId },
          h('div', { class: 'search-group', id: headingId, role: 'presentation' }, t(`search.group.${provider.id}`)),
          results.map((result) => {
            const option = h(
              'div',
              {
                role: 'option',
                id: uid('opt'),
                class: 'search-option',
                'aria-selected': 'false',
                onClick: () => open(result.href),
              },
              icon(result.icon ?? provider.id),
              h('span', { class: 'search-title' }, result.title),
              result.subtitle && h('span', { class: 'search-subtitle' }, result.subtitle),
            );
            option.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
            options.push(option);
            option.dataset.href = result.href;
            return option;
          }),
        );
      }),
    );
    if (!groups.length) list.append(h('div', { class: 'search-empty' }, t('search.nothing')));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  }, 200);

  input.addEventListener('input', run);
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && options.length) highlight((active + 1) % options.length);
    else if (event.key === 'ArrowUp' && options.length) highlight((active - 1 + options.length) % options.length);
    else if (event.key === 'Escape') close();
    else if (event.key === 'Enter' && active >= 0) open(options[active].dataset.href);
    else if (event.key === 'Enter' && input.value.trim() && fullSearch())
      open(fullSearch().allHref(input.value.trim()));
    else return;
    event.preventDefault();
  });

  relabel();
  return { el, relabel };
}
