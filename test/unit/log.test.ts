import { Writable } from 'node:stream';
import { createLogger, maskPhoneNumber } from '../../core';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('never writes authorization headers, tokens, secrets or passwords', () => {
    const { log, text } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Basic YWRtaW46cGFzcw==', 'x-hub-signature': 'sha256=abc', cookie: 'sid=1' } },
        token: 'tok-top',
        oauth: { accessToken: 'at-nested', refresh_token: 'rt-nested', client_secret: 'cs' },
        xsi: { password: 'hunter2' },
        secret: 'plain-secret',
      },
      'hello',
    );
    const out = text();
    for (const leaked of ['YWRtaW46cGFzcw', 'sha256=abc', 'sid=1', 'tok-top', 'at-nested', 'rt-nested', '"cs"', 'hunter2', 'plain-secret']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('[redacted]');
    expect(out).toContain('hello');
  });

  it('keeps only the last three digits of phone numbers', () => {
    const { log, text } = capture();
    log.info({ number: '+31 6 1234 5678', call: { target: '0201234567' }, user: { phone: '06-87654321' } }, 'dialling');
    const out = text();
    expect(out).not.toMatch(/1234 ?5678|0201234567|87654321/);
    expect(out).toContain('***678');
    expect(out).toContain('***567');
    expect(out).toContain('***321');
  });

  it('leaves short extensions readable', () => {
    expect(maskPhoneNumber('123')).toBe('123');
    expect(maskPhoneNumber('+31612345678')).toBe('***678');
  });
});
