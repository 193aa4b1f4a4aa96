/** Text for an XML element: the five predefined entities, control characters dropped. */
export function esc(value: string | number | undefined): string {
  return String(value ?? '')
    // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters outright
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Documents may go out in ISO-8859-1 (see xsiDocument): anything beyond it as a character reference.
    .replace(/[^\t\n\r\u0020-\u00ff]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16)};`);
}

export const XSI_NS = 'http://schema.broadsoft.com/xsi';

/**
 * The character set of an answer (Xsi spec 3.3.4 Character Sets): call command answers are
 * always UTF-8; directory answers follow the user's locale, ISO-8859-1 for the Dutch users of
 * KPN EEN as in the spec's directories examples; platform errors use the server default, the
 * spec's ISO-8859-1.
 */
export type XsiCharset = 'ISO-8859-1' | 'UTF-8';

/** A document with the declaration and the Xsi namespace on its root. */
export function xsiDocument(root: string, inner: string, charset: XsiCharset = 'ISO-8859-1'): string {
  return `<?xml version="1.0" encoding="${charset}"?>\n<${root} xmlns="${XSI_NS}">${inner}</${root}>`;
}

export function el(name: string, value: string | number | undefined): string {
  return value === undefined || value === '' ? '' : `<${name}>${esc(value)}</${name}>`;
}

/** Xsi's error body (Xsi spec, "Error Codes"). */
export function errorInfo(errorCode: number, summary: string): string {
  return xsiDocument('ErrorInfo', `${el('summary', summary)}${el('summaryEnglish', summary)}${el('errorCode', errorCode)}`);
}
