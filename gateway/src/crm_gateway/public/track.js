// The CRM site-visit tracker. Paste on every page of the company's site:
//   <script src="https://crm.example.ru/api/v1/public/track.js" async></script>
// It keeps the visitor id the web form snippet also sends (localStorage "crm_vid") and reports the page
// view (address with its utm marks, title, referrer). A form submitted with that id links the visits.
(() => {
  const endpoint = document.currentScript.src.replace(/\/track\.js(\?.*)?$/, "/visits");
  let id = "";
  try {
    id = localStorage.getItem("crm_vid");
    if (!id) {
      id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
      localStorage.setItem("crm_vid", id);
    }
  } catch {
    return; // storage blocked: no id to keep, nothing to report
  }
  const body = JSON.stringify({
    visitor_id: id,
    url: location.href.slice(0, 2000),
    title: document.title.slice(0, 500),
    referrer: document.referrer.slice(0, 2000),
  });
  // text/plain needs no CORS preflight; the endpoint reads JSON whatever the type.
  const blob = new Blob([body], { type: "text/plain" });
  if (!(navigator.sendBeacon && navigator.sendBeacon(endpoint, blob))) {
    fetch(endpoint, { method: "POST", body: blob, keepalive: true, mode: "cors", credentials: "omit" }).catch(() => {});
  }
})();
