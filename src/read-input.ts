// Reads an input file (a profile, a --baseline report) with a cap on the bytes actually read, not on
// what stat says: /dev/zero, a FIFO or a file that grows while read would otherwise be read forever.
import { open } from 'node:fs/promises';

export class InputFileError extends Error {
  override name = 'InputFileError';
  constructor(
    message: string,
    /** For a file over the cap: its size when known ("is 10240 KiB"), else undefined. */
    readonly tooLargeBytes?: number | 'unknown',
  ) {
    super(message);
  }
}

export async function readInputFile(path: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory; expected a file' : `cannot read (${code ?? err})`,
    );
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputFileError('is a directory; expected a file');
    // Devices, FIFOs and sockets never end or block: only regular files are inputs.
    if (!info.isFile()) throw new InputFileError('is not a regular file (a device, pipe or socket); expected a file');
    const limit = `at most ${Math.round(maxBytes / 1024)} KiB`;
    if (info.size > maxBytes) throw new InputFileError(`is ${Math.round(info.size / 1024)} KiB; expected ${limit}`, info.size);
    const tooBig = () => new InputFileError(`is larger than ${Math.round(maxBytes / 1024)} KiB; expected ${limit}`, 'unknown');
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw tooBig();
    }
    return buf.subarray(0, length);
  } finally {
    await handle.close();
  }
}
