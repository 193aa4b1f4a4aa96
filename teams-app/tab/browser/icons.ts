// Icons as inline SVG (no icon font, so no missing glyph when a font does not load), drawn on
// Fluent's 20×20 icon grid in the style of Fluent System Icons "Regular" (1.5 px-ish strokes,
// round ends; https://github.com/microsoft/fluentui-system-icons). They take the text colour
// (currentColor), so every theme, high contrast included, colours them like the text beside them.
const svg = (body: string) =>
  `<svg class="icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

export const ICONS = {
  call: svg('<path d="M6.2 2.8 4.6 3.3C3.5 3.7 2.8 4.9 3.1 6c1.3 5.2 5.6 9.5 10.9 10.9 1.1.3 2.3-.4 2.7-1.5l.5-1.6c.2-.6-.1-1.2-.6-1.5l-2.5-1.4c-.5-.3-1.1-.2-1.5.2l-.9 1c-1.9-.9-3.4-2.4-4.3-4.3l1-.9c.4-.4.5-1 .2-1.5L7.7 3.4c-.3-.5-.9-.8-1.5-.6Z"/>'),
  search: svg('<circle cx="8.5" cy="8.5" r="5.25"/><path d="m12.5 12.5 4.5 4.5"/>'),
  backspace: svg('<path d="M7.4 4.5h8.1c.8 0 1.5.7 1.5 1.5v8c0 .8-.7 1.5-1.5 1.5H7.4c-.4 0-.8-.2-1.1-.5L2.5 10l3.8-5c.3-.3.7-.5 1.1-.5Z"/><path d="m9.5 7.5 5 5m0-5-5 5"/>'),
  hangup: svg('<path d="M2.6 11.6 2.3 10c-.1-1 .4-2 1.4-2.4 4-1.7 8.6-1.7 12.6 0 1 .4 1.5 1.4 1.4 2.4l-.3 1.6c-.1.6-.7 1-1.3.9l-2.6-.4c-.5-.1-.9-.5-1-1l-.2-1.3c-1.5-.4-3.1-.4-4.6 0l-.2 1.3c-.1.5-.5.9-1 1l-2.6.4c-.6.1-1.2-.3-1.3-.9Z"/>'),
  placed: svg('<path d="M8 12 15 5m-5 0h5v5"/><path d="M4 16h12"/>'),
  received: svg('<path d="M15 5 8 12m0-5v5h5"/><path d="M4 16h12"/>'),
  missed: svg('<path d="m4 6 5 5 3-3 4 4"/><path d="M4 16h12"/>'),
  person: svg('<circle cx="10" cy="6.5" r="3.25"/><path d="M4 17c0-3 2.7-5 6-5s6 2 6 5"/>'),
} as const;

export type IconName = keyof typeof ICONS;

/** A span holding a constant icon (never text from a request, so innerHTML is safe here). */
export function icon(name: IconName): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'icon-box';
  span.innerHTML = ICONS[name];
  return span;
}
