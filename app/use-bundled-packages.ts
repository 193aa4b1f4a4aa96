import { useBundledPackages } from './bundled-packages';

// The build's one-file bundles of the packages every start loads (app/bundled-packages.ts), in
// place of the installed packages; imported by bin/een-bridge.ts before anything that loads them.
useBundledPackages();
