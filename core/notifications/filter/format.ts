import type { Language } from '../../i18n';
import { ME, NOBODY, type FilterNode, type FilterTerm } from './ast';
import { eventWordsIn, fieldWords, logicWords, reservedWords } from './words';

/**
 * The canonical form of a filter, in English or Dutch: lower-case words, one spelling per field,
 * `and` binding tighter than `or` (parentheses only where needed), values quoted only when they
 * must be. Reading it back gives the same tree (test/notifications/filter-property.test.ts), so it
 * is also what is stored.
 */
export function formatFilter(node: FilterNode, language: Language = 'en'): string {
  const words = logicWords[language];
  switch (node.type) {
    case 'term':
      return formatTerm(node, language);
    case 'not':
      return `${words.not} ${node.item.type === 'and' || node.item.type === 'or' ? `(${formatFilter(node.item, language)})` : formatFilter(node.item, language)}`;
    case 'and':
      return node.items.map((i) => (i.type === 'or' ? `(${formatFilter(i, language)})` : formatFilter(i, language))).join(` ${words.and} `);
    case 'or':
      return node.items.map((i) => formatFilter(i, language)).join(` ${words.or} `);
  }
}

function formatTerm(term: FilterTerm, language: Language): string {
  if (term.field === 'event') {
    const events = term.values.map((v) => (Object.hasOwn(eventWordsIn[language], v) ? eventWordsIn[language][v as keyof (typeof eventWordsIn)['en']] : quote(v)));
    return events.length === 1 ? events[0]! : `${fieldWords[language].event}=${events.join(',')}`;
  }
  const values = term.values.map((v) => (v === ME ? logicWords[language].me : v === NOBODY ? logicWords[language].none : quote(v)));
  return `${fieldWords[language][term.field]}${term.op}${values.join(',')}`;
}

/** Bare when it reads back as the same word; in double quotes otherwise. */
function quote(value: string): string {
  if (/^[\p{L}\p{N}_.*?@+/:#&-]+$/u.test(value) && !value.includes('->') && !reservedWords.has(value.toLowerCase())) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
