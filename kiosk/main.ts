#!/usr/bin/env node
/**
 * `npm start`: the kiosk host. Without a config file it runs on simulated devices, with the UI at
 * the printed URL and the simulator panel at /sim.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { YktError } from '../drivers/common/errors.js';
import { createLogger } from '../drivers/common/log.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      profile: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'exit-when-ready': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm start -- [--config FILE] [--profile kiosk|gate|hospital] [--port N] [--data-dir DIR]\n' +
        '  without --config (or YKT_CONFIG) every device is simulated; open the printed URL, and /sim to insert cards\n',
    );
    return 0;
  }
  const overrides: Record<string, unknown> = {};
  if (values.profile) overrides.profile = values.profile;
  if (values['data-dir']) overrides.dataDir = values['data-dir'];
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new YktError('CONFIG_INVALID', `--port: not a port number: ${values.port}`);
    overrides.ui = { port };
  }
  if (values.profile && !['kiosk', 'gate', 'hospital'].includes(values.profile)) {
    throw new YktError('PROFILE_UNSUPPORTED', `profile '${values.profile}' is not available (kiosk, gate or hospital)`);
  }
  const logger = createLogger('ykt');
  const { startTerminal } = await import('./terminal.js');
  const host = await startTerminal({ configPath: values.config ?? process.env.YKT_CONFIG, config: overrides, logger });
  // performance.now() counts from the process's start, so this includes Node's own boot and the
  // loading of every module: what an operator waits for, not just the time spent in main().
  const readyMs = performance.now();
  const sim = host.config.mode === 'sim';
  process.stdout.write(
    `yikatong host ready in ${readyMs.toFixed(0)} ms — terminal ${host.config.terminalId}, ${sim ? 'simulated devices' : 'hardware devices'}\n` +
      `  UI:        ${host.url}/\n` +
      (sim ? `  simulator: ${host.url}/sim   (${host.config.profile === 'gate' ? 'tap a card or scan a code here' : 'insert a card here'})\n` : ''),
  );
  if (values['exit-when-ready']) {
    await host.stop();
    return 0;
  }
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof YktError ? `${err.code}: ${err.message}` : (err as Error)?.stack ?? String(err);
    process.stderr.write(`yikatong: cannot start: ${msg}\n`);
    process.exit(err instanceof YktError && err.code === 'CONFIG_INVALID' ? 78 : 1);
  },
);
