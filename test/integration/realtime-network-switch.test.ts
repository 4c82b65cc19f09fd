// The SOCKS5 relay that gives the reconnect check a real network cut: traffic flows through it while
// online; going offline destroys open connections and refuses new ones; online again lets them through.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { startNetworkSwitch } from '../../checks/realtime/network-switch.js';
import { withServer } from '../helpers/servers.js';

/** A minimal SOCKS5 client: handshake, CONNECT to 127.0.0.1:port; resolves with the open tunnel. */
function socksConnect(proxyUrl: string, port: number): Promise<Socket> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const s = connect({ host: proxy.hostname, port: Number(proxy.port) });
    let stage = 0;
    let buf = Buffer.alloc(0);
    s.on('error', reject);
    s.on('close', () => reject(new Error('closed during the handshake')));
    s.on('connect', () => s.write(Buffer.from([5, 1, 0])));
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 0 && buf.length >= 2) {
        assert.deepEqual([...buf.subarray(0, 2)], [5, 0]);
        buf = buf.subarray(2);
        stage = 1;
        const req = Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, 0, 0]);
        req.writeUInt16BE(port, 8);
        s.write(req);
      }
      if (stage === 1 && buf.length >= 10) {
        s.off('data', onData);
        if (buf[1] !== 0) return reject(new Error(`SOCKS reply ${buf[1]}`));
        s.removeAllListeners('close');
        resolve(s);
      }
    };
    s.on('data', onData);
  });
}

function httpGet(s: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.on('data', (d) => (text += d));
    s.on('close', () => resolve(text));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

test('traffic goes through; offline cuts open connections and refuses new ones; online restores', async () => {
  const sw = await startNetworkSwitch();
  try {
    await withServer(
      (req, res) => {
        if (req.url === '/stream') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: hello\n\n');
          return; // stays open, like an event stream
        }
        res.end(`you asked for ${req.url}`);
      },
      async (url) => {
        const port = Number(new URL(url).port);
        const body = await httpGet(await socksConnect(sw.proxyUrl, port), '/one');
        assert.match(body, /you asked for \/one/);
        assert.equal(sw.relayed, 1);

        const stream = await socksConnect(sw.proxyUrl, port);
        const closed = new Promise<string>((resolve) => {
          let text = '';
          stream.on('data', (d) => {
            text += d;
            if (text.includes('hello')) sw.setOnline(false);
          });
          stream.on('close', () => resolve(text));
        });
        stream.write(`GET /stream HTTP/1.1\r\nHost: x\r\n\r\n`);
        assert.match(await closed, /data: hello/, 'the open stream was cut when going offline');

        await assert.rejects(socksConnect(sw.proxyUrl, port), 'a new connection is refused while offline');

        sw.setOnline(true);
        assert.match(await httpGet(await socksConnect(sw.proxyUrl, port), '/two'), /you asked for \/two/);
      },
    );
  } finally {
    await sw.close();
  }
});

test('a target that refuses is answered with a SOCKS failure, not a hang', async () => {
  const sw = await startNetworkSwitch();
  try {
    const { closedPort } = await import('../helpers/servers.js');
    await assert.rejects(socksConnect(sw.proxyUrl, await closedPort()), /SOCKS reply 5|closed/);
  } finally {
    await sw.close();
  }
});
