import module from 'node:module';

// Node 22.1+ keeps the V8 code of every CommonJS and ES module it compiles in an on-disk cache
// and reuses it at the next start (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir):
// compiling about 1,300 modules is the largest part of the service's start (issue 17). The cache
// goes where NODE_COMPILE_CACHE says, else in os.tmpdir(). Node 20 has no such function (engines
// allow >= 20.19), so there nothing happens. Imported first by bin/een-bridge.ts, before the
// modules it should cover are loaded.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
