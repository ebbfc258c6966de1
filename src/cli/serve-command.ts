// `bilevel serve`: a live, read-only dashboard over the state dir's runs and studies, until Ctrl-C.
import type { Command } from 'commander';
import { usage } from '../records/setting-parsers.js';
import { isLoopbackHost } from '../serve/access-policy.js';
import { startServe } from '../serve/start-serve.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

interface ServeFlags {
  stateDir?: string;
  host: string;
  port: string;
  token?: string;
}

export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('a live dashboard of the runs and studies in a state dir (read-only; safe while runs are driven)')
    .option('--host <address>', 'address to listen on; any but loopback requires a token', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '8765')
    .option('--token <t>', 'require this token on every request (default: none on loopback, generated elsewhere)');
  addStateDirOption(command);
  command.action(async (flags: ServeFlags) => {
    const port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw usage(`--port must be a port number (0 to 65535), not "${flags.port}"`, 'e.g. --port 8765');
    }
    const stateDir = stateDirFrom(flags);
    const running = await startServe({
      stateDir,
      host: flags.host,
      port,
      ...(flags.token === undefined ? {} : { token: flags.token }),
    });
    const lines = [`serving ${running.url}`, `state dir ${stateDir} (read-only)`];
    if (running.watch.database() === null) lines.push('no runs there yet: the pages follow the first one as it starts');
    if (running.access.generated)
      lines.push('a token was generated: every request needs it (pass --token to choose one)');
    if (!isLoopbackHost(flags.host)) {
      lines.push('not loopback: whoever reaches this address with the token reads every prompt, diff and log');
    }
    process.stdout.write(`${lines.join('\n')}\nCtrl-C stops it.\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.close();
  });
}
