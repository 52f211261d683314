// Line icons as SVG paths (24x24, stroked with currentColor): no icon font, no extra request.

const circle = (cx, cy, r) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

const PATHS = {
  menu: 'M4 6h16M4 12h16M4 18h16',
  search: `${circle(11, 11, 7)}M20 20l-4-4`,
  dashboard: 'M4 4h7v7H4zM13 4h7v4h-7zM13 10h7v10h-7zM4 13h7v7H4z',
  parties: `${circle(9, 8, 3.5)}M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 4.5a3.5 3.5 0 0 1 0 7M18 14c2 .6 3.5 2.6 3.5 6`,
  company: 'M4 21V4h10v17M14 9h6v12M3 21h18M7 8h1M10 8h1M7 12h1M10 12h1M7 16h1M10 16h1',
  person: `${circle(12, 8, 4)}M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7`,
  deals: 'M3 8h18v12H3zM8 8V5h8v3M3 13h18',
  tasks: 'M4 4h16v16H4zM8 12l3 3 5-6',
  documents: 'M6 3h8l4 4v14H6zM14 3v4h4M9 13h6M9 17h6',
  marketing: 'M3 10v4h4l8 5V5l-8 5zM18 9a4 4 0 0 1 0 6',
  helpdesk: `${circle(12, 12, 9)}${circle(12, 12, 4)}M5.6 5.6l3.6 3.6M14.8 14.8l3.6 3.6M18.4 5.6l-3.6 3.6M9.2 14.8l-3.6 3.6`,
  note: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  phone: 'M5 3h4l2 5-3 2a11 11 0 0 0 6 6l2-3 5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z',
  email: 'M3 5h18v14H3zM3 6l9 7 9-7',
  messenger: 'M4 4h16v12H8l-4 4z',
  clock: `${circle(12, 12, 9)}M12 7v5l3 3`,
  bell: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4',
  check: 'M5 12l5 5 9-10',
  play: 'M7 4l13 8-13 8z',
  plus: 'M12 5v14M5 12h14',
  close: 'M6 6l12 12M18 6L6 18',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  edit: 'M4 20h4L19 9l-4-4L4 16z',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7',
  event: circle(12, 12, 4),
  processes: `${circle(5, 6, 2.5)}${circle(19, 18, 2.5)}M7.5 6H14a3 3 0 0 1 0 6H10a3 3 0 0 0 0 6h6.5`,
  admin: 'M12 3l8 3v6c0 4.6-3.4 8-8 9-4.6-1-8-4.4-8-9V6zM9 12l2 2 4-4',
  key: `${circle(8, 15, 4)}M11 12l9-9M16 7l3 3M14 9l2 2`,
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  catalogue: 'M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
};

export function icon(name, label) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', PATHS[name] ?? PATHS.event);
  svg.append(path);
  return svg;
}
