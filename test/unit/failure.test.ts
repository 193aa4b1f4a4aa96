import { UpstreamError, UserError, VaultError, presentFailure, type Logger } from '../../core';

function recordingLog(): { log: Logger; lines: { level: string; obj: Record<string, unknown> }[] } {
  const lines: { level: string; obj: Record<string, unknown> }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>) => void lines.push({ level, obj });
  const log = { warn: at('warn'), error: at('error'), info: at('info'), debug: at('debug') } as unknown as Logger;
  return { log, lines };
}

describe('presentFailure', () => {
  it('passes a person\'s own mistake through as its message key, without logging it', () => {
    const { log, lines } = recordingLog();
    expect(presentFailure(new UserError('calling.number.empty'), log, 'test')).toEqual({ key: 'calling.number.empty', params: {}, status: 400, kind: 'user' });
    expect(lines).toHaveLength(0);
  });

  it('says when to try again after an upstream rate limit, and logs a warning', () => {
    const { log, lines } = recordingLog();
    const f = presentFailure(new UpstreamError('Webex', 429, 'upstream.rateLimited', 12), log, 'slack');
    expect(f).toEqual({ key: 'upstream.rateLimited', params: { system: 'Webex', seconds: 12 }, retryAfter: 12, status: 503, kind: 'upstream' });
    expect(lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('gives an unexpected error a reference that is in the log line, never silence', () => {
    const { log, lines } = recordingLog();
    const f = presentFailure(new TypeError('x is undefined'), log, 'webex-bot');
    expect(f.key).toBe('http.internal');
    expect(f.ref).toMatch(/^[0-9a-f]{8}$/);
    expect(f.params).toEqual({ ref: f.ref });
    expect(lines).toEqual([{ level: 'error', obj: expect.objectContaining({ ref: f.ref, where: 'webex-bot' }) }]);
  });

  it('tells a person whose stored credential cannot be opened to reconnect', () => {
    const { log } = recordingLog();
    expect(presentFailure(new VaultError('tampered'), log, 'teams')).toMatchObject({ key: 'vault.cannotOpen', kind: 'vault', status: 500 });
  });
});
