#!/usr/bin/env node
/**
 * `npm run reconcile -- --date YYYY-MM-DD [--config FILE] [--data-dir DIR] [--out FILE.csv]`
 *
 * The daily reconciliation of one terminal: its payment journal against the bank's transactions,
 * the backend's premium postings and its medical-account ledger for one Beijing business day
 * (docs/payments.md). Writes a CSV
 * (default `<dataDir>/reconcile-<date>.csv`) and prints a summary with every mismatch.
 * Exit 0: everything ok; 3: mismatches; 2: bad arguments or config; 1: a source could not be read.
 *
 * Sources: a configured `bank.url` / `backend.url` is read over HTTP with the host's own clients.
 * In sim mode without a URL, the embedded service's SQLite file in the data dir is opened through
 * its store and only read (WAL lets a running host keep writing meanwhile); no service is started,
 * so nothing is seeded or written, and a missing file is an error rather than an empty ledger.
 */
import { existsSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { realClock } from '../drivers/common/clock.js';
import { YktError } from '../drivers/common/errors.js';
import { createLogger, type Logger } from '../drivers/common/log.js';
import { BackendStore, DEMO_STATEMENT_SECRET } from '../kiosk/backend/embedded/index.js';
import { createBackendClient } from '../kiosk/backend/http-client.js';
import { BankStore } from '../kiosk/bank/embedded/index.js';
import { ConfigError, loadConfig } from '../kiosk/config/load.js';
import type { KioskConfig } from '../kiosk/config/schema.js';
import { createGatewayClient } from '../kiosk/payment/gateway-client.js';
import { dayBounds, ReconcileError, reconcileDay, renderCsv, renderSummary, type ReconcileSources } from '../kiosk/payment/reconcile.js';
import { PaymentStore } from '../kiosk/payment/store.js';

const USAGE = 'usage: npm run reconcile -- --date YYYY-MM-DD [--config FILE] [--data-dir DIR] [--out FILE.csv]\n';

const Args = z
  .object({
    date: z.string({ error: '--date YYYY-MM-DD is required' }),
    config: z.string().min(1).optional(),
    'data-dir': z.string().min(1).optional(),
    out: z.string().min(1).optional(),
  })
  .strict();

/** Exit 2: the operator asked for something that cannot be done as asked. */
const BAD_INPUT = new Set(['RECONCILE_BAD_DATE', 'RECONCILE_BAD_ARGS', 'RECONCILE_NO_SOURCE', 'CONFIG_INVALID']);

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

function parseCli(argv: string[]): z.infer<typeof Args> & { help: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: {
        date: { type: 'string' },
        config: { type: 'string', short: 'c' },
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ReconcileError('RECONCILE_BAD_ARGS', (e as Error).message);
  }
  const help = values.help === true;
  delete values.help;
  if (help) return { date: '', help };
  const r = Args.safeParse(values);
  if (!r.success) throw new ReconcileError('RECONCILE_BAD_ARGS', r.error.issues.map((i) => i.message).join('; '));
  dayBounds(r.data.date); // RECONCILE_BAD_DATE before anything is opened
  return { ...r.data, help };
}

/** A file the embedded service must have written already; opening a missing one would create it. */
function existing(file: string, what: string): string {
  if (!existsSync(file)) {
    throw new ReconcileError('RECONCILE_NO_SOURCE', `no ${what} at ${file} (wrong --data-dir, or the host never ran there?)`);
  }
  return file;
}

interface OpenSources {
  sources: ReconcileSources;
  close(): void;
}

/** The three sources as the host would reach them: HTTP where a URL is set, else the embedded files. */
function openSources(config: KioskConfig, dataDir: string, logger: Logger): OpenSources {
  const closers: (() => void)[] = [];
  const close = () => {
    for (const c of closers.reverse()) c();
  };
  try {
    const terminal = new PaymentStore(existing(join(dataDir, 'payments.sqlite'), 'payment journal'), realClock);
    closers.push(() => terminal.close());
    let bank: ReconcileSources['bank'];
    if (config.bank.url) {
      const client = createGatewayClient({ baseUrl: config.bank.url, timeoutMs: config.bank.timeoutMs, logger, ...(config.bank.tls ? { tls: config.bank.tls } : {}) });
      closers.push(() => client.close());
      bank = client;
    } else if (config.mode === 'sim') {
      // Read-only use: the PIN key only serves debits, which are never made here.
      const store = new BankStore(existing(join(dataDir, 'embedded-bank.sqlite'), 'embedded bank ledger'), realClock, { alg: 'sm4', key: new Uint8Array(16) });
      closers.push(() => store.close());
      bank = { transactionsOn: (date) => ({ date, ...store.transactionsOn(date) }) };
    } else {
      throw new ConfigError('bank.url is required outside sim mode (there is no embedded bank to read)');
    }
    let backend: ReconcileSources['backend'];
    let medical: ReconcileSources['medical'];
    if (config.backend.url) {
      const client = createBackendClient({
        baseUrl: config.backend.url,
        timeoutMs: config.backend.timeoutMs,
        retries: config.backend.retries,
        logger,
        ...(config.backend.tls ? { tls: config.backend.tls } : {}),
      });
      closers.push(() => client.close());
      backend = client;
      medical = client;
    } else if (config.mode === 'sim') {
      const store = new BackendStore(existing(join(dataDir, 'embedded-backend.sqlite'), 'embedded backend database'), realClock, DEMO_STATEMENT_SECRET);
      closers.push(() => store.close());
      backend = { postingsOn: (date) => store.postingsOn(date) };
      medical = { medicalTransactionsOn: (date) => store.medicalAccount.transactionsOn(date) };
    } else {
      throw new ConfigError('backend.url is required outside sim mode (there is no embedded backend to read)');
    }
    return { sources: { terminal, bank, backend, medical }, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** Writes through a temporary file: a report is there whole or not at all. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, file);
}

/** The whole command; returns the exit code. */
export async function runReconcile(argv: string[], io: CliIo = stdio, logger?: Logger): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    const overrides: Record<string, unknown> = args['data-dir'] ? { dataDir: args['data-dir'] } : {};
    const config = loadConfig(args.config ?? process.env.YKT_CONFIG, overrides);
    const dataDir = resolve(config.dataDir);
    if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new ReconcileError('RECONCILE_NO_SOURCE', `data dir ${dataDir} does not exist`);
    const out = resolve(args.out ?? join(dataDir, `reconcile-${args.date}.csv`));
    if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
      throw new ReconcileError('RECONCILE_BAD_ARGS', `--out: folder ${dirname(out)} does not exist`);
    }
    // Client warnings go to stderr; the summary on stdout stays readable.
    const opened = openSources(config, dataDir, logger ?? createLogger('ykt-reconcile', process.env.LOG_LEVEL ?? 'error'));
    try {
      const report = await reconcileDay(args.date, config.terminalId, opened.sources);
      writeAtomically(out, renderCsv(report));
      io.out(renderSummary(report, out));
      return report.lines.every((l) => l.verdict === 'ok') ? 0 : 3;
    } finally {
      opened.close();
    }
  } catch (e) {
    const code = e instanceof YktError ? e.code : 'INTERNAL';
    io.err(`reconcile: ${code}: ${(e as Error).message}\n`);
    if (code === 'RECONCILE_BAD_ARGS' || code === 'RECONCILE_BAD_DATE') io.err(USAGE);
    return BAD_INPUT.has(code) ? 2 : 1;
  }
}

// Run only as a program (`tsx scripts/reconcile.ts`), not when a test imports runReconcile.
const invoked = process.argv[1] !== undefined && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) {
  runReconcile(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`reconcile: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
