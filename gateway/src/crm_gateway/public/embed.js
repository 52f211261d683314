// The CRM web form for a company's site. Paste where the form goes:
//   <div data-crm-form="TOKEN"></div>
//   <script src="https://crm.example.ru/api/v1/public/forms/TOKEN/embed.js" async></script>
// It renders the form's fields (labels in the page's language), sends the page's UTM marks and the site
// visitor id of the tracking snippet with the values, and shows the form's thank-you message.
(() => {
  const script = document.currentScript;
  const endpoint = script.src.replace(/\/embed\.js(\?.*)?$/, "");
  const token = endpoint.split("/").pop();
  const russian = (document.documentElement.lang || navigator.language || "ru").toLowerCase().startsWith("ru");
  const words = russian
    ? { send: "Отправить", sending: "Отправляем…", failed: "Не удалось отправить. Попробуйте ещё раз.", thanks: "Спасибо! Мы свяжемся с вами." }
    : { send: "Send", sending: "Sending…", failed: "Could not send. Please try again.", thanks: "Thank you! We will contact you." };
  const visitorKey = "crm_vid";
  const visitor = () => {
    try {
      let id = localStorage.getItem(visitorKey);
      if (!id) {
        id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
        localStorage.setItem(visitorKey, id);
      }
      return id;
    } catch {
      return "";
    }
  };
  const utm = () => {
    const params = new URLSearchParams(location.search);
    const marks = {};
    for (const key of ["source", "medium", "campaign", "content", "term"]) {
      const value = params.get(`utm_${key}`);
      if (value) marks[key] = value;
    }
    return marks;
  };
  const el = (tag, attrs = {}, text = "") => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  };
  const render = (host, form) => {
    const element = el("form", { class: "crm-form", novalidate: "" });
    for (const field of form.fields) {
      const label = (russian ? field.label_ru : field.label_en) || field.label_ru || field.name;
      const id = `crm-${token}-${field.name}`;
      const row = el("p", { class: "crm-form__row" });
      let input;
      if (field.type === "textarea") input = el("textarea", { id, name: field.name, rows: "4" });
      else if (field.type === "select") {
        input = el("select", { id, name: field.name });
        input.append(el("option", { value: "" }, "—"));
        for (const option of field.options) input.append(el("option", { value: option }, option));
      } else if (field.type === "checkbox") input = el("input", { id, name: field.name, type: "checkbox", value: "yes" });
      else {
        const type = { email: "email", phone: "tel" }[field.type] || "text";
        input = el("input", { id, name: field.name, type, autocomplete: { email: "email", phone: "tel" }[field.type] || "on" });
      }
      if (field.required) input.required = true;
      row.append(el("label", { for: id }, label + (field.required ? " *" : "")), input);
      element.append(row);
    }
    // A field people never see or fill; a bot that fills every field gives itself away.
    const trap = el("input", { name: "website", tabindex: "-1", autocomplete: "off", "aria-hidden": "true" });
    trap.style.cssText = "position:absolute;left:-10000px;width:1px;height:1px;opacity:0";
    element.append(trap);
    const status = el("p", { class: "crm-form__status", role: "status" });
    const button = el("button", { type: "submit" }, words.send);
    element.append(button, status);
    element.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = {};
      for (const field of form.fields) {
        const input = element.elements.namedItem(field.name);
        values[field.name] = field.type === "checkbox" ? (input.checked ? "yes" : "") : input.value.trim();
      }
      button.disabled = true;
      status.textContent = words.sending;
      try {
        const response = await fetch(`${endpoint}/submissions`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            values,
            website: trap.value,
            visitor_id: visitor(),
            utm: utm(),
            page_url: location.href,
            referrer: document.referrer,
          }),
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(body.detail || words.failed);
        element.replaceChildren(el("p", { class: "crm-form__done" }, (russian ? form.success_message_ru : form.success_message_en) || words.thanks));
      } catch (error) {
        status.textContent = error.message || words.failed;
        button.disabled = false;
      }
    });
    host.replaceChildren(element);
  };
  fetch(endpoint)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((form) => {
      for (const host of document.querySelectorAll(`[data-crm-form="${token}"]`)) render(host, form);
    })
    .catch(() => {});
})();
