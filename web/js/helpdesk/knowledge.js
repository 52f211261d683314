// The knowledge base in the client: the "Knowledge base" section (search with highlighted passages, categories,
// an article with "was this helpful", the editor with a preview, the version history) and its hits in the top
// search. The screens load when one of them opens (lazy/knowledge-*.js).

import * as api from '../api.js';
import { t } from '../i18n.js';
import { registerSearchProvider, registerSection } from '../registry.js';
import { lazyPage, route } from '../router.js';

const screen = (name, load, pick) =>
  lazyPage(
    name,
    () => load().then((module) => module[pick]),
    () => t('nav.knowledge'),
  );

registerSection({ id: 'knowledge', path: '/kb', order: 43, service: 'helpdesk', icon: 'helpdesk' });
route(
  '/kb',
  screen('knowledge', () => import('./lazy/knowledge-list.js'), 'knowledgePage'),
);
route(
  '/kb/new',
  screen('knowledge-new', () => import('./lazy/knowledge-editor.js'), 'newArticlePage'),
);
route(
  '/kb/:id',
  screen('knowledge-article', () => import('./lazy/knowledge-article.js'), 'articlePage'),
);
route(
  '/kb/:id/edit',
  screen('knowledge-edit', () => import('./lazy/knowledge-editor.js'), 'editArticlePage'),
);
route(
  '/kb/:id/versions',
  screen('knowledge-versions', () => import('./lazy/knowledge-versions.js'), 'versionsPage'),
);

registerSearchProvider({
  id: 'knowledge',
  order: 60,
  search: async (q, { signal }) =>
    (await api.get('/api/v1/kb/articles', { query: { query: q, limit: 5 }, signal })).data.items.map((a) => ({
      title: a.title,
      subtitle: a.snippet,
      href: `/kb/${a.id}`,
      icon: 'helpdesk',
    })),
  allHref: (q) => `/kb?query=${encodeURIComponent(q)}`,
});
