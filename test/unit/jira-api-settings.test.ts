import { ConfigError, loadConfig } from '../../core';

describe('JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN (replies to Jira)', () => {
  const base = { EEN_DATA_DIR: '/tmp/een-jira-settings' };

  it('is a group: all three or none', () => {
    let refused: unknown;
    try {
      loadConfig({ ...base, JIRA_BASE_URL: 'https://kpn-een-demo.atlassian.net' });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toBe('JIRA_EMAIL: is required for Jira Cloud REST (replies and transitions) because JIRA_BASE_URL is set');
  });

  it('makes the Jira REST client real with all three, and leaves the webhook secret to its own group', () => {
    const config = loadConfig({ ...base, JIRA_BASE_URL: 'https://kpn-een-demo.atlassian.net', JIRA_EMAIL: 'bot@kpn-een.nl', JIRA_API_TOKEN: 'token' });
    expect(config.systems.jiraApi).toEqual({ mode: 'real', settings: { JIRA_BASE_URL: 'https://kpn-een-demo.atlassian.net', JIRA_EMAIL: 'bot@kpn-een.nl', JIRA_API_TOKEN: 'token' } });
    expect(config.systems.jira.mode).toBe('off');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => loadConfig({ ...base, JIRA_BASE_URL: 'kpn-een-demo.atlassian.net', JIRA_EMAIL: 'bot@kpn-een.nl', JIRA_API_TOKEN: 'token' })).toThrow('JIRA_BASE_URL: must be an http(s) URL');
  });

  it('is served by the Jira emulator in sandbox mode', () => {
    expect(loadConfig(base).systems.jiraApi.mode).toBe('sandbox');
  });
});
