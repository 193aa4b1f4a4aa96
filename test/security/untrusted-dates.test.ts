import { parseCall } from '../../core/calling/xsi-xml';

/**
 * Issue 13, must-fix 1 (the class): a number from outside that becomes a Date must be one a
 * Date can hold (ECMA-262: at most 8.64e15 ms from 1970), or be refused; an Invalid Date throws
 * at toISOString wherever it is later written. The public port's case (a signed Jira timestamp of
 * 9e15) is in hostile-requests.test.ts; this is an upstream's (Xsi call times, epoch ms).
 */
describe('epoch milliseconds from Xsi', () => {
  const call = (startTime: string) =>
    parseCall(`<?xml version="1.0"?><Call xmlns="http://schema.broadsoft.com/xsi"><callId>c1</callId><state>Active</state><startTime>${startTime}</startTime></Call>`);

  it('keeps a real start time', () => {
    expect(call('1764590400000')?.startTime?.toISOString()).toBe('2025-12-01T12:00:00.000Z');
  });

  it.each(['9000000000000000', '99999999999999999999'])('drops %s, which no Date can hold, instead of keeping an Invalid Date', (ms) => {
    const parsed = call(ms);
    expect(parsed?.callId).toBe('c1');
    expect(parsed?.startTime).toBeUndefined();
  });
});
