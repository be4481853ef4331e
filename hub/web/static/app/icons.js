// Small line icons drawn as SVG elements (no markup parsing, no files).
// Icons are decorative: the text next to them, or a visually hidden label,
// names what they stand for.

const NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  webchat: ['M4 5h16v11H10l-5 4v-4H4z', 'M8 10h8', 'M8 13h5'],
  sms: ['M8 2.5h8a1 1 0 0 1 1 1v17a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1v-17a1 1 0 0 1 1-1z', 'M11 18.5h2'],
  telegram: ['M3 11.5 21 4l-3.5 16-6-4.5', 'M11.5 15.5 9 20v-5l8.5-7.5'],
  partner: ['M4 21V8l8-4.5L20 8v13', 'M9 21v-5h6v5', 'M9 10.5h.01', 'M15 10.5h.01'],
  unknown: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M12 8v5', 'M12 16.5h.01'],
  bell: ['M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15z', 'M10 20.5a2 2 0 0 0 4 0'],
  bellOff: ['M6 16V11a6 6 0 0 1 9.5-4.9', 'M18 11v5l1.5 2H8', 'M10 20.5a2 2 0 0 0 4 0', 'M4 4l16 16'],
  chat: ['M3.5 5h11v8H8l-4 3v-3h-.5z', 'M17.5 9h3v8H20v3l-4-3h-5.5v-2'],
  person: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4.5 20.5a7.5 7.5 0 0 1 15 0'],
  clock: ['M12 3.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17z', 'M12 7.5V12l3 2'],
  file: ['M6 2.5h8l4 4v15H6z', 'M14 2.5v4h4'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  paperclip: ['M20 11.5 12.2 19.3a5 5 0 0 1-7.1-7.1l8.1-8.1a3.3 3.3 0 0 1 4.7 4.7l-8.1 8.1a1.7 1.7 0 0 1-2.4-2.4l7.4-7.4'],
};

// icon returns an <svg> for name (a channel type or one of PATHS).
export function icon(name, cls) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.8');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon${cls ? ` ${cls}` : ''}`);
  for (const d of PATHS[name] || PATHS.unknown) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}
