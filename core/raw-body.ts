import type { MessageKey, MessageParams } from './i18n/catalogue';

/**
 * What came over the wire, before anything trusted it: the exact bytes (signatures are computed
 * over them, so they are kept as received) and the headers as Node gives them (lower-case
 * names). Inbound HTTP edges build one; the core's webhook intake reads only this, so no HTTP
 * framework type reaches the core.
 */
export interface RawDelivery {
  body: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request target's query parameters (Graph's `validationToken`). */
  query?: URLSearchParams;
}

/** The first value of a header; a repeated header counts as its first occurrence. */
export function headerOf(delivery: Pick<RawDelivery, 'headers'>, name: string): string | undefined {
  const value = delivery.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Why a body was not taken, as every HTTP edge answers it: a status and a message key. */
export interface BodyRefusal {
  status: number;
  key: MessageKey;
  params: MessageParams;
}

export type JsonRead = { outcome: 'json'; value: unknown } | { outcome: 'refused'; refusal: BodyRefusal };

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A JSON body: 415 unless it is declared JSON (`application/json` or a `+json` type,
 * RFC 6839 section 3.1), 400 unless it parses.
 */
export function readJsonBody(raw: Buffer, contentType: string | undefined): JsonRead {
  const type = mediaType(contentType);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return { outcome: 'refused', refusal: { status: 415, key: 'http.unsupportedMediaType', params: { expected: 'application/json', actual: type || 'none' } } };
  }
  try {
    return { outcome: 'json', value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (err) {
    return { outcome: 'refused', refusal: { status: 400, key: 'http.badJson', params: { detail: raw.length === 0 ? 'the body is empty' : (err as Error).message } } };
  }
}

/** A form-encoded body (Slack slash commands and interactivity): 415 unless declared so. */
export function readFormBody(raw: Buffer, contentType: string | undefined): { outcome: 'form'; value: Record<string, string> } | { outcome: 'refused'; refusal: BodyRefusal } {
  const type = mediaType(contentType);
  if (type !== 'application/x-www-form-urlencoded') {
    return { outcome: 'refused', refusal: { status: 415, key: 'http.unsupportedMediaType', params: { expected: 'application/x-www-form-urlencoded', actual: type || 'none' } } };
  }
  return { outcome: 'form', value: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
}
