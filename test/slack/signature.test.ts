import { signSlackRequest, verifySlackSignature } from '../../slack-app/signature';

// The worked example of https://api.slack.com/authentication/verifying-requests-from-slack
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const timestamp = '1531420618';
const body = Buffer.from(
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
);
const documented = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('verifySlackSignature', () => {
  it("reproduces Slack's documented example", () => {
    expect(signSlackRequest(secret, timestamp, body)).toBe(documented);
    expect(verifySlackSignature(secret, { timestamp, signature: documented }, body, Number(timestamp) + 10)).toEqual({ ok: true, signature: documented });
  });

  it.each([
    ['a changed body', { timestamp, signature: documented }, Buffer.concat([body, Buffer.from('x')]), 0, 'mismatch'],
    ['another secret', { timestamp, signature: signSlackRequest('other', timestamp, body) }, body, 0, 'mismatch'],
    ['no signature', { timestamp, signature: undefined }, body, 0, 'missing'],
    ['a malformed signature', { timestamp, signature: 'v1=abc' }, body, 0, 'missing'],
    ['a non-numeric timestamp', { timestamp: 'soon', signature: documented }, body, 0, 'missing'],
    ['a timestamp 301 s old', { timestamp, signature: documented }, body, 301, 'stale'],
    ['a timestamp 301 s ahead', { timestamp, signature: documented }, body, -301, 'stale'],
  ])('refuses %s', (_name, headers, raw, skew, reason) => {
    expect(verifySlackSignature(secret, headers, raw as Buffer, Number(timestamp) + (skew as number))).toEqual({ ok: false, reason });
  });

  it('accepts the edge of the window (300 s)', () => {
    expect(verifySlackSignature(secret, { timestamp, signature: documented }, body, Number(timestamp) + 300).ok).toBe(true);
  });
});
