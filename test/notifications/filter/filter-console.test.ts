import { CookieJar, signInAs, visit } from '../../helpers/console';
import { startTestService, type TestService } from '../../helpers/service';
import { canonicalFilter } from '../../../core/notifications/filter';

const ADMIN = 'fatima.elamrani@sandbox.kpneen.nl';

describe('the console\'s subscriptions view shows a filter in both languages', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.dispose());

  it('gives the canonical expression in English and Dutch beside the JSON filter', async () => {
    const repo = service.notifications.subscriptions;
    const s = await repo.subscribe({ spaceId: 'space-filter', source: 'jira', sourceKey: 'KAN', filter: { minPriority: 'High' } });
    await repo.setFilterExpression('space-filter', s.id, canonicalFilter('toegewezen=ik en (status->Done of label=klant)'), 'anouk@example.nl');
    await repo.subscribe({ spaceId: 'space-plain', source: 'jira', sourceKey: 'OPS' });
    const jar = new CookieJar();
    await signInAs(service.url, jar, ADMIN);
    const { spaces } = (await (await visit(jar, `${service.url}/api/console/admin/subscriptions`)).json()) as {
      spaces: { spaceId: string; subscriptions: { filter: unknown; filterExpression: string | null; filterShown: { en: string; nl: string } | null }[] }[];
    };
    const of = (id: string) => spaces.find((x) => x.spaceId === id)!.subscriptions[0]!;
    expect(of('space-filter')).toMatchObject({
      filter: { minPriority: 'High' },
      filterExpression: 'assignee=me and (status->Done or label=klant)',
      filterShown: { en: 'assignee=me and (status->Done or label=klant)', nl: 'toegewezen=ik en (status->Done of label=klant)' },
    });
    expect(of('space-plain')).toMatchObject({ filter: {}, filterExpression: null, filterShown: null });
  });
});
