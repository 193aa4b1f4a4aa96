// English messages. Placeholders are {name}; keep them identical in nl.ts.
export const en = {
  'http.bodyTooLarge': 'The request body is larger than {limit} bytes.',
  'http.badJson': 'The request body is not valid JSON: {detail}',
  'http.unsupportedMediaType': 'Expected content type {expected}, got {actual}.',
  'http.unsupportedEncoding': 'Content encoding {encoding} is not supported; send the body uncompressed.',
  'http.notFound': 'There is nothing at {path}.',
  'http.internal': 'Something went wrong on our side. Please try again; if it keeps happening, tell your administrator (reference {ref}).',
  'store.notReady': 'The store is not reachable or not migrated yet.',
  'vault.cannotOpen': 'A stored credential could not be read. Ask your administrator to connect the account again.',
  'upstream.unavailable': '{system} is not reachable right now. Please try again in a minute.',
  'upstream.rateLimited': '{system} is busy. Please try again in {seconds} seconds.',
  'upstream.unauthorized': 'een-bridge could not sign in to {system}. Ask your administrator to check the credentials.',
} as const;
