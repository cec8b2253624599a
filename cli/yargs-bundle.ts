// yargs and its helpers, re-exported from one module so that the build can
// replace this module's output with a single bundled file (package.json,
// build:ts): Node 20 loads yargs' two dozen ES modules one at a time, about
// 50 ms, a third of xcap's start-up; bundled they load as one file.
export { default as yargs } from 'yargs';
export { hideBin } from 'yargs/helpers';
