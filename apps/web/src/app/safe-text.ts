/**
 * A DOM element holding user text as a text node, for libraries whose content argument is
 * parsed as HTML when it is a string (Leaflet `bindTooltip` / `bindPopup` / `divIcon({ html })`,
 * ECharts `tooltip.formatter`). Pass the element, never the string: a name such as
 * `<img src=x onerror=…>` then shows as those characters. React components render text safely
 * already; this is only for the imperative APIs. Where a library takes nothing but a string,
 * use `escapeHtml` from @zhiyang/shared.
 */
export function textElement(text: string, tag: 'span' | 'div' = 'span'): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}
