import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { createGatewayClient } from '../../../kiosk/payment/gateway-client.js';
import { debitOf, LI, paymentError } from './helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway CA signing a server certificate for 127.0.0.1 and a terminal certificate. */
function makePki(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ykt-bank-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'terminal']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who}`, '-keyout', `${who}.key`, '-out', `${who}.csr`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${who}.crt`,
      ...(who === 'server' ? ['-extfile', 'san.ext'] : []));
  }
  const read = (f: string) => readFileSync(join(dir, f));
  return { ca: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), key: read('terminal.key'), cert: read('terminal.crt') };
}

describe.skipIf(!hasOpenssl())('gateway client over mutual TLS', () => {
  it('debits with the terminal certificate; a bank whose certificate is not trusted is BANK_UNREACHABLE (nothing sent)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ykt-bank-pki-'));
    const pki = makePki(dir);
    let requests = 0;
    const server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      requests++;
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { txnId } = JSON.parse(body) as { txnId: string };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ txnId, outcome: 'approved', bankRef: 'YB20260105000001' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = createGatewayClient({ baseUrl, timeoutMs: 2000, logger: silentLogger, tls: { ca: pki.ca, cert: pki.cert, key: pki.key } });
      expect(await ok.debit(debitOf(LI, 100))).toMatchObject({ outcome: 'approved' });
      ok.close();

      const untrusted = createGatewayClient({ baseUrl, timeoutMs: 2000, logger: silentLogger, tls: { cert: pki.cert, key: pki.key } });
      expect((await paymentError(untrusted.debit(debitOf(LI, 100)))).code).toBe('BANK_UNREACHABLE');
      untrusted.close();
      expect(requests).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
