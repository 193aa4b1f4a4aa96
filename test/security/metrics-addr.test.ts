import { ConfigError, loadConfig } from '../../core';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Issue 13: `/metrics` (process, route and status counters) need not be on the public port.
 * With EEN_METRICS_ADDR=host:port it is served there only, and the public port answers 404.
 */
describe('EEN_METRICS_ADDR', () => {
  it('reads host:port, [IPv6]:port, and refuses anything else naming the variable', () => {
    expect(loadConfig({ EEN_METRICS_ADDR: '127.0.0.1:9464' }).metricsAddress).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ EEN_METRICS_ADDR: '[::1]:9464' }).metricsAddress).toEqual({ host: '::1', port: 9464 });
    expect(loadConfig({}).metricsAddress).toBeUndefined();
    for (const bad of ['9464', '127.0.0.1', '127.0.0.1:99999', 'localhost:-1', ':9464', 'http://127.0.0.1:9464', '127.0.0.1:9464/metrics']) {
      expect(() => loadConfig({ EEN_METRICS_ADDR: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ EEN_METRICS_ADDR: bad })).toThrow(/EEN_METRICS_ADDR/);
    }
  });

  describe('when set', () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService({ env: { EEN_METRICS_ADDR: '127.0.0.1:0' } });
    });
    afterAll(() => service.dispose());

    it('serves /metrics on its own address only', async () => {
      await fetch(`${service.url}/healthz`);
      const pub = await fetch(`${service.url}/metrics`);
      expect(pub.status).toBe(404);
      const metricsUrl = service.http.metricsUrl();
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(metricsUrl).not.toBe(service.url);
      const own = await fetch(`${metricsUrl}/metrics`);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await own.text()).toMatch(/een_bridge_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      // Nothing else lives on the metrics address.
      expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
      expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);
    });
  });

  it('leaves /metrics on the public port when unset', async () => {
    const service = await startTestService();
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
      expect(service.http.metricsUrl()).toBeUndefined();
    } finally {
      await service.dispose();
    }
  });
});
