// A throwaway certificate authority for `shipgate demo --tls` and the TLS tests: the openssl CLI makes an EC
// P-256 CA and leaves with any validity window (`openssl ca -startdate/-enddate`, so expired and not-yet-valid
// leaves are real). The openssl CLI, not an npm package: it is on every machine that runs the demo's shell
// examples, adds no dependency, and is the same OpenSSL family that verifies the certificates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Issued {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export interface LeafOptions {
  /** DNS names and IP addresses the certificate is for (subjectAltName). */
  hosts: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** A client certificate (extendedKeyUsage clientAuth) for mutual TLS. */
  client?: boolean;
}

const CA_CONFIG = `[ca]
default_ca = own
[own]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
`;

const DAY = 86_400_000;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `openssl req` with a new EC P-256 key (unencrypted) written to `keyFile`, for the subject `cn`. */
function newKeyRequest(keyFile: string, cn: string): string[] {
  return ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-subj', `/CN=${cn}`];
}

/** openssl's date form: YYYYMMDDHHMMSSZ. */
function asn1Time(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function subjectAltName(hosts: string[]): string {
  return hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
}

export class ThrowawayCa {
  private issued = 0;

  private constructor(
    readonly dir: string,
    readonly cert: string,
    readonly certPath: string,
  ) {}

  /** A new CA in a fresh temporary directory (or `dir`). */
  static create(dir = mkdtempSync(join(tmpdir(), 'shipgate-ca-'))): ThrowawayCa {
    writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    openssl(dir, [
      ...newKeyRequest('ca.key', 'shipgate throwaway CA'),
      '-x509',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return new ThrowawayCa(dir, readFileSync(join(dir, 'ca.pem'), 'utf8'), join(dir, 'ca.pem'));
  }

  /** A leaf signed by this CA, valid from `notBefore` (default: an hour ago) to `notAfter` (default: in 30 days). */
  issue(opts: LeafOptions): Issued {
    const name = `leaf${++this.issued}`;
    const notBefore = opts.notBefore ?? new Date(Date.now() - 3_600_000);
    const notAfter = opts.notAfter ?? new Date(Date.now() + 30 * DAY);
    const usage = opts.client ? 'clientAuth' : 'serverAuth';
    openssl(this.dir, [
      ...newKeyRequest(`${name}.key`, opts.hosts[0]),
      '-out',
      `${name}.csr`,
      '-addext',
      `subjectAltName=${subjectAltName(opts.hosts)}`,
      '-addext',
      `extendedKeyUsage=${usage}`,
    ]);
    openssl(this.dir, [
      'ca',
      '-config',
      'ca.cnf',
      '-batch',
      '-notext',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca.key',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      '-startdate',
      asn1Time(notBefore),
      '-enddate',
      asn1Time(notAfter),
    ]);
    return this.read(name);
  }

  /** A self-signed leaf no CA vouches for. */
  selfSigned(hosts: string[]): Issued {
    const name = `self${++this.issued}`;
    openssl(this.dir, [
      ...newKeyRequest(`${name}.key`, hosts[0]),
      '-x509',
      '-out',
      `${name}.pem`,
      '-days',
      '30',
      '-addext',
      `subjectAltName=${subjectAltName(hosts)}`,
    ]);
    return this.read(name);
  }

  private read(name: string): Issued {
    const certPath = join(this.dir, `${name}.pem`);
    const keyPath = join(this.dir, `${name}.key`);
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const days = (n: number): Date => new Date(Date.now() + n * DAY);
