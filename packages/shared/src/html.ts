const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * User text made safe to put inside HTML markup (an element's content or a quoted attribute).
 * The one escaping helper for every place that must build an HTML string: the server's printable
 * pages and any browser API that only takes HTML (an ECharts tooltip formatter). In the web app
 * prefer React text or `textElement()` (apps/web/src/app/safe-text.ts), which never parse markup.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
