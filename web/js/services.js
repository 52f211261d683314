// The services this installation runs: the gateway's registry (crm_core/services.toml), which it writes into
// index.html (<meta name="crm-services">), so the navigation is right at first paint without a request.
// A section of a service that is not there is not listed (registry.js: registerSection's `service`); the
// administration screens show partners the services' gRPC ports from here.

import { has, language, t } from './i18n.js';

/** [{name, title_en, title_ru, grpc_port}], in the registry's order. */
export const services = JSON.parse(document.querySelector('meta[name="crm-services"]')?.content || '[]');
const byName = new Map(services.map((service) => [service.name, service]));

/** True when this installation runs the service `name` ('deals', say). */
export const hasService = (name) => byName.has(name);

/** What to call a service: the client's own word for it when it has one, else the registry's title. */
export function serviceTitle(name) {
  if (has(`admin.scope.${name}`)) return t(`admin.scope.${name}`);
  const service = byName.get(name);
  return (service && (service[`title_${language()}`] ?? service.title_en)) || name;
}
