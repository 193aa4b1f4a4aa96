// restify pulls in spdy -> http-deceiver, which touches process.binding('http_parser') at
// load time (DEP0111). It is harmless on Node 20-24 and would print two lines of noise on
// every start, including before a one-line configuration error. Only that warning is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const code = rest.find((r) => typeof r === 'string' && r.startsWith('DEP')) ??
    (typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : undefined);
  if (code === 'DEP0111' && text.includes('http_parser')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
