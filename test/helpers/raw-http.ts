import net from 'node:net';

export interface RawResponse {
  /** The status of the first response line, undefined when the server closed without one. */
  status: number | undefined;
  text: string;
  /** True when the server closed the connection (as opposed to our timeout). */
  closedByServer: boolean;
}

/**
 * Writes exactly these bytes to a fresh TCP connection and reads until the server closes it
 * (or `timeoutMs`). For request targets and framing that no HTTP client library would send.
 */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, text, closedByServer });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => socket.write(bytes));
  });
}

/** Status of GET /healthz on a new connection; the campaign's "is it still alive" probe. */
export async function healthz(port: number): Promise<number | undefined> {
  const r = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  return r.status;
}
