import { FilterError, formatFilter, parseFilter, parseJql, type FilterSyntax } from '../../../core/notifications/filter';
import { readFilter } from '../../../core/notifications/filter/subscription-filter';

/**
 * The filter language and the JQL subset, one row per expression: what it reads as (the canonical
 * English form, and the Dutch one where given), or which message key refuses it and the part it names.
 */
type Row =
  | { syntax: FilterSyntax; input: string; en: string; nl?: string }
  | { syntax: FilterSyntax; input: string; error: string; part: string; position?: number };

const ok = (input: string, en: string, nl?: string): Row => ({ syntax: 'filter', input, en, ...(nl ? { nl } : {}) });
const bad = (input: string, error: string, part: string, position?: number): Row => ({ syntax: 'filter', input, error, part, ...(position ? { position } : {}) });
const jql = (input: string, en: string): Row => ({ syntax: 'jql', input, en });
const jqlBad = (input: string, error: string, part: string, position?: number): Row => ({ syntax: 'jql', input, error, part, ...(position ? { position } : {}) });

const rows: Row[] = [
  // Event words, English and Dutch.
  ok('created', 'created', 'aangemaakt'),
  ok('CREATED', 'created'),
  ok('aangemaakt', 'created', 'aangemaakt'),
  ok('updated', 'updated', 'gewijzigd'),
  ok('gewijzigd', 'updated'),
  ok('deleted', 'deleted', 'verwijderd'),
  ok('commented', 'commented', 'gereageerd'),
  ok('reacties', 'commented'),
  ok('event=created,deleted', 'event=created,deleted', 'gebeurtenis=aangemaakt,verwijderd'),
  ok('gebeurtenis = aangemaakt', 'created'),
  ok('created or commented', 'created or commented', 'aangemaakt of gereageerd'),
  // Fields.
  ok('type=Bug', 'type=Bug', 'soort=Bug'),
  ok('soort=Bug,Story', 'type=Bug,Story', 'soort=Bug,Story'),
  ok('issuetype=Bug', 'type=Bug'),
  ok('priority=high', 'priority=High', 'prioriteit=High'),
  ok('prioriteit>=High', 'priority>=High', 'prioriteit>=High'),
  ok('priority=Blocker', 'priority=Blocker'),
  ok('label=klant', 'label=klant', 'label=klant'),
  ok('labels=klant,urgent', 'label=klant,urgent'),
  ok('label="met spatie"', 'label="met spatie"'),
  ok("label='enkel'", 'label=enkel'),
  ok('label=klant,klant', 'label=klant'),
  ok('component=Backend', 'component=Backend', 'onderdeel=Backend'),
  ok('onderdeel=Frontend', 'component=Frontend'),
  ok('assignee=me', 'assignee=me', 'toegewezen=ik'),
  ok('toegewezen=ik', 'assignee=me', 'toegewezen=ik'),
  ok('assignee=none', 'assignee=none', 'toegewezen=geen'),
  ok('assignee="me"', 'assignee="me"'),
  ok('assignee="Pieter Visser"', 'assignee="Pieter Visser"'),
  ok('status=Done', 'status=Done'),
  ok('status->Done', 'status->Done', 'status->Done'),
  ok('status->"In review"', 'status->"In review"'),
  ok('status -> "In review", Done', 'status->"In review",Done'),
  ok('list->Done', 'list->Done', 'lijst->Done'),
  ok('lijst->Klaar', 'list->Klaar'),
  ok('list=Doing', 'list=Doing'),
  ok('name=*.docx', 'name=*.docx', 'naam=*.docx'),
  ok('naam=*.docx,*.xlsx', 'name=*.docx,*.xlsx'),
  ok('name="Offerte ?.pdf"', 'name="Offerte ?.pdf"'),
  ok('project=kan', 'project=KAN'),
  ok('label="a\\"b"', 'label="a\\"b"'),
  ok('label="and"', 'label="and"'),
  // Combinations.
  ok('created and label=klant', 'created and label=klant', 'aangemaakt en label=klant'),
  ok('created label=klant', 'created and label=klant'),
  ok('aangemaakt en label=klant', 'created and label=klant'),
  ok('label=a or label=b and type=Bug', 'label=a or label=b and type=Bug'),
  ok('(label=a or label=b) and type=Bug', '(label=a or label=b) and type=Bug', '(label=a of label=b) en soort=Bug'),
  ok('not label=intern', 'not label=intern', 'niet label=intern'),
  ok('niet (label=a of label=b)', 'not (label=a or label=b)', 'niet (label=a of label=b)'),
  ok('not not created', 'not not created'),
  ok('label!=intern', 'not label=intern'),
  ok('((created))', 'created'),
  ok('created and (updated and deleted)', 'created and updated and deleted'),
  ok('created or (updated or deleted)', 'created or updated or deleted'),
  ok('label=klant AND (status->Done OR status->"In review")', 'label=klant and (status->Done or status->"In review")', 'label=klant en (status->Done of status->"In review")'),
  ok('toegewezen=ik en niet prioriteit=Low', 'assignee=me and not priority=Low', 'toegewezen=ik en niet prioriteit=Low'),
  ok('created of lijst->Done', 'created or list->Done'),
  // Refused, naming the part and where it starts.
  bad('', 'filter.empty', ''),
  bad('   ', 'filter.empty', ''),
  bad('labl=klant', 'filter.unknownTerm', 'labl', 1),
  bad('created and foo', 'filter.unknownTerm', 'foo', 13),
  bad('created and', 'filter.unexpectedEnd', '', 12),
  bad('and created', 'filter.unexpected', 'and', 1),
  bad('label=', 'filter.missingValue', '', 7),
  bad('label=klant,', 'filter.missingValue', '', 13),
  bad('label', 'filter.missingOperator', 'label', 1),
  bad('label->klant', 'filter.badOperator', 'label->', 6),
  bad('type>=Bug', 'filter.badOperator', 'type>=', 5),
  bad('priority>=Urgent', 'filter.unknownPriority', 'Urgent', 11),
  bad('priority>=High,Low', 'filter.oneValue', 'Low', 16),
  bad('event=exploded', 'filter.unknownEvent', 'exploded', 7),
  bad('(created', 'filter.unclosedParen', '(', 1),
  bad('created)', 'filter.unopenedParen', ')', 8),
  bad('label="open', 'filter.unterminatedQuote', '"open', 7),
  bad('label~klant', 'filter.badOperator', 'label~', 6),
  bad('!label=x', 'filter.unexpected', '!', 1),
  bad('status<Done', 'filter.badOperator', 'status<', 7),
  bad('label=""', 'filter.missingValue', '""', 7),
  bad('x'.repeat(1001), 'filter.tooLong', '1000'),
  bad('('.repeat(60) + 'created' + ')'.repeat(60), 'filter.tooDeep', '('),
  bad('created , deleted', 'filter.unexpected', ',', 9),
  bad('niet', 'filter.unexpectedEnd', ''),
  // JQL onto the same tree.
  jql('project = KAN AND labels in (klant, urgent) AND status changed to Done', 'project=KAN and label=klant,urgent and status->Done'),
  jql('issuetype = Bug', 'type=Bug'),
  jql('priority in (High, Highest)', 'priority=High,Highest'),
  jql('priority >= High', 'priority>=High'),
  jql('assignee = currentUser()', 'assignee=me'),
  jql('assignee = me', 'assignee="me"'),
  jql('assignee is EMPTY', 'assignee=none'),
  jql('assignee is not empty', 'not assignee=none'),
  jql('NOT labels = intern', 'not label=intern'),
  jql('labels != intern', 'not label=intern'),
  jql('component not in (Backend, "Web app")', 'not component=Backend,"Web app"'),
  jql('status = "In Review" OR status = Done', 'status="In Review" or status=Done'),
  jql('(type = Bug OR type = Story) AND project = kan', '(type=Bug or type=Story) and project=KAN'),
  jql("status changed to 'In review'", 'status->"In review"'),
  jql('project = KAN and labels = klant', 'project=KAN and label=klant'),
  jqlBad('project = KAN ORDER BY created DESC', 'filter.jqlOrderBy', 'ORDER', 15),
  jqlBad('summary ~ "bel"', 'filter.jqlUnknownField', 'summary', 1),
  jqlBad('labels ~ klant', 'filter.jqlOperator', '~', 8),
  jqlBad('created >= -7d', 'filter.jqlDateField', 'created', 1),
  jqlBad('duedate < now()', 'filter.jqlDateField', 'duedate', 1),
  jqlBad('assignee in membersOf("devs")', 'filter.jqlList', 'membersOf', 13),
  jqlBad('assignee = membersOf("devs")', 'filter.jqlFunction', 'membersOf(', 12),
  jqlBad('issueFunction in linkedIssuesOf("KAN-1")', 'filter.jqlUnknownField', 'issueFunction', 1),
  jqlBad('status was Done', 'filter.jqlOperator', 'was', 8),
  jqlBad('status changed from Open to Done', 'filter.jqlChanged', 'status changed from', 1),
  jqlBad('status changed to Done after -1d', 'filter.jqlChanged', 'after', 24),
  jqlBad('assignee changed to currentUser()', 'filter.jqlChanged', 'assignee changed to', 1),
  jqlBad('priority > High', 'filter.jqlOperator', '>', 10),
  jqlBad('labels = currentUser()', 'filter.jqlFunction', 'currentUser()', 10),
  jqlBad('project = KAN AND', 'filter.unexpectedEnd', '', 18),
  jqlBad('project KAN', 'filter.jqlOperator', 'KAN', 9),
  jqlBad('(project = KAN', 'filter.unclosedParen', '(', 1),
  jqlBad('', 'filter.empty', ''),
  jqlBad('labels in klant', 'filter.jqlList', 'klant', 11),
  jqlBad('project =', 'filter.missingValue', '', 10),
  jqlBad('project', 'filter.missingOperator', 'project', 1),
  jqlBad('assignee is EMPTY and labels is EMPTY', 'filter.jqlOperator', 'is EMPTY', 30),
];

describe('filter expressions (table)', () => {
  it('has at least 80 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(80);
  });

  it.each(rows.map((r) => [`${r.syntax}: ${r.input.slice(0, 60)}`, r] as const))('%s', (_name, row) => {
    if ('en' in row) {
      const node = readFilter(row.input, row.syntax);
      expect(formatFilter(node, 'en')).toBe(row.en);
      if (row.nl) expect(formatFilter(node, 'nl')).toBe(row.nl);
      // The canonical forms read back as the same filter, in either language.
      expect(parseFilter(formatFilter(node, 'en'))).toEqual(node);
      expect(parseFilter(formatFilter(node, 'nl'))).toEqual(node);
      return;
    }
    let caught: unknown;
    try {
      readFilter(row.input, row.syntax);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FilterError);
    const error = caught as FilterError;
    expect(error.filterKey).toBe(row.error);
    expect(error.part).toBe(row.part);
    if (row.position) expect(error.position).toBe(row.position);
  });

  it('names the part and position in the person\'s language', () => {
    const { translate } = jest.requireActual<typeof import('../../../core/i18n')>('../../../core/i18n');
    let error: FilterError | undefined;
    try {
      parseJql('project = KAN ORDER BY created');
    } catch (err) {
      error = err as FilterError;
    }
    expect(translate('en', error!.key, error!.params)).toContain('“ORDER” (position 15)');
    expect(translate('nl', error!.key, error!.params)).toContain('“ORDER” (positie 15)');
  });
});
