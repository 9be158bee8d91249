import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { createBackendClient } from '../../../kiosk/backend/http-client.js';
import { backendError, RecordingClock, ZHANG } from './helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway CA that signs a server certificate for 127.0.0.1 and a terminal (client) certificate. */
function makePki(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ykt-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'terminal']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who}`, '-keyout', `${who}.key`, '-out', `${who}.csr`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${who}.crt`,
      ...(who === 'server' ? ['-extfile', 'san.ext'] : []));
  }
  const read = (f: string) => readFileSync(join(dir, f));
  return { ca: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), key: read('terminal.key'), cert: read('terminal.crt') };
}

describe.skipIf(!hasOpenssl())('mutual TLS', () => {
  it('presents the terminal certificate and trusts only the configured CA', async () => {
    const pki = makePki(mkdtempSync(join(tmpdir(), 'ykt-pki-')));
    const seen: string[] = [];
    const server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      seen.push(String(peer.subject?.CN ?? ''));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"normal"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const opts = { baseUrl: url, timeoutMs: 2000, retries: 0, clock: new RecordingClock(), logger: silentLogger };
    try {
      const ok = createBackendClient({ ...opts, tls: { ca: pki.ca, cert: pki.cert, key: pki.key } });
      expect(await ok.cardStatus(ZHANG.ssn, ZHANG.cardNumber)).toEqual({ status: 'normal' });
      expect(seen).toEqual(['terminal']);
      ok.close();

      const noCert = createBackendClient({ ...opts, tls: { ca: pki.ca } });
      expect((await backendError(noCert.cardStatus(ZHANG.ssn, ZHANG.cardNumber))).code).toBe('BACKEND_UNAVAILABLE');
      const untrusted = createBackendClient({ ...opts, tls: { cert: pki.cert, key: pki.key } });
      expect((await backendError(untrusted.cardStatus(ZHANG.ssn, ZHANG.cardNumber))).code).toBe('BACKEND_UNAVAILABLE');
      expect(seen).toEqual(['terminal']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
