/**
 * The filter of a subscription as a tree: what both the filter language (parser.ts, English and
 * Dutch) and the JQL subset (jql.ts) are read into, what evaluate.ts runs over a SourceEvent and
 * what format.ts prints back in its canonical form. Plain data: stored as its canonical text.
 */

/** What a term looks at; the words people write for each are in words.ts. */
export const filterFields = ['event', 'type', 'priority', 'label', 'component', 'assignee', 'status', 'list', 'name', 'project'] as const;
export type FilterField = (typeof filterFields)[number];

/**
 * `=` the field has one of the values; `->` the item moved into one of them (a Jira status
 * transition, a Trello card entering a list); `>=` at least this priority.
 */
export type FilterOperator = '=' | '->' | '>=';

/** Event words, one per group of SourceEvent kinds (see evaluate.ts). */
export const eventWords = ['created', 'updated', 'deleted', 'commented'] as const;
export type EventWord = (typeof eventWords)[number];

/** `assignee=me`: the person who set the filter; `assignee=none`: nobody is assigned. */
export const ME = '@me';
export const NOBODY = '@none';

export interface FilterTerm {
  type: 'term';
  field: FilterField;
  op: FilterOperator;
  /** Any of these (case-insensitive); for `name`, wildcard patterns (`*`, `?`). */
  values: string[];
}

export type FilterNode =
  | FilterTerm
  | { type: 'and'; items: FilterNode[] }
  | { type: 'or'; items: FilterNode[] }
  | { type: 'not'; item: FilterNode };

/** Which operators a field takes. */
export const operatorsOf: Record<FilterField, readonly FilterOperator[]> = {
  event: ['='],
  type: ['='],
  priority: ['=', '>='],
  label: ['='],
  component: ['='],
  assignee: ['='],
  status: ['=', '->'],
  list: ['=', '->'],
  name: ['='],
  project: ['='],
};

/** `a and (b and c)` is `a and b and c`: one node per run of the same operator, so forms compare equal. */
export function combine(type: 'and' | 'or', items: FilterNode[]): FilterNode {
  const flat = items.flatMap((i) => (i.type === type ? i.items : [i]));
  return flat.length === 1 ? flat[0]! : { type, items: flat };
}

/** Whether the filter says `assignee=me` anywhere (it then needs to know who the subscriber is). */
export function mentionsMe(node: FilterNode): boolean {
  switch (node.type) {
    case 'term':
      return node.field === 'assignee' && node.values.includes(ME);
    case 'not':
      return mentionsMe(node.item);
    default:
      return node.items.some(mentionsMe);
  }
}
