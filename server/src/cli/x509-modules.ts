// What the CLI needs the X.509 library for, bundled apart into dist/certificate-reader.js (scripts/build.mjs):
// reading certificate files, and the live check's walk of a presented chain. The library's start-up (decorators, a
// metadata polyfill) and size (more than half the CLI's) are paid only by a run that reads a certificate or probes.
export * from '../core/certificates/read';
export * from '../core/live/chain';
