import { buildProgram, runCli } from './cli/index.js';

await runCli(buildProgram(), process.argv);
