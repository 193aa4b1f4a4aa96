/** A tiny cookie jar for fetch (the console's cookies are HttpOnly; tests play the browser). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

/** GET/POST without following redirects, cookies kept in `jar`. */
export async function visit(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header() } });
  jar.take(res);
  return res;
}

/**
 * Signs in to the console as a browser would, through the sandbox's Entra emulator: the console
 * redirects to the authorize page, the person picks `username` there, the emulator redirects
 * back with a code, the console redeems it. Returns the final response of /console/callback.
 */
export async function signInAs(base: string, jar: CookieJar, username: string): Promise<Response> {
  const start = await visit(jar, `${base}/console/sign-in`);
  if (start.status !== 302) throw new Error(`sign-in did not redirect: ${start.status} ${await start.text()}`);
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('login_hint', username);
  const picked = await visit(jar, `${authorize.origin}${authorize.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  if (picked.status !== 302) throw new Error(`the sandbox issuer refused: ${picked.status} ${await picked.text()}`);
  return visit(jar, picked.headers.get('location')!);
}
