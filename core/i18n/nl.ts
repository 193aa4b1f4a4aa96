import type { Catalogue } from './catalogue';

// Nederlandse teksten. Plaatshouders {naam} gelijk houden met en.ts.
export const nl: Catalogue = {
  'http.bodyTooLarge': 'Het verzoek is groter dan {limit} bytes.',
  'http.badJson': 'De inhoud van het verzoek is geen geldige JSON: {detail}',
  'http.unsupportedMediaType': 'Verwacht inhoudstype {expected}, ontvangen {actual}.',
  'http.unsupportedEncoding': 'Codering {encoding} wordt niet ondersteund; stuur de inhoud ongecomprimeerd.',
  'http.notFound': 'Er is niets op {path}.',
  'http.internal': 'Er ging bij ons iets mis. Probeer het opnieuw; blijft het gebeuren, meld het dan aan je beheerder (referentie {ref}).',
  'store.notReady': 'De opslag is niet bereikbaar of nog niet bijgewerkt.',
  'vault.cannotOpen': 'Een opgeslagen inloggegeven kon niet worden gelezen. Vraag je beheerder het account opnieuw te koppelen.',
  'upstream.unavailable': '{system} is nu niet bereikbaar. Probeer het over een minuut opnieuw.',
  'upstream.rateLimited': '{system} is druk. Probeer het over {seconds} seconden opnieuw.',
  'upstream.unauthorized': 'een-bridge kon niet inloggen bij {system}. Vraag je beheerder de inloggegevens te controleren.',
};
