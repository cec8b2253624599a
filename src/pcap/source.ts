/**
 * Byte sources the reader pulls a capture from: a plain file read with
 * readSync straight into the caller's buffer, or a stream (standard input, a
 * pipe, any gzip-compressed input) whose chunks are copied in.  A stream is
 * read only as fast as the reader asks, so backpressure keeps a few chunks
 * buffered at most, whatever the size of the input.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { CaptureFileError, describeSystemError } from '../errors.js';

export interface ByteSource {
  readonly compressed: boolean;
  /** Reads up to `length` bytes into `into` at `at`; resolves to 0 at the end.  Rejects with a SourceError. */
  read(into: Uint8Array, at: number, length: number): Promise<number>;
  close(): void;
}

/** A read that failed after the input was opened: `truncated` when compressed data just stops. */
export class SourceError extends Error {
  constructor(message: string, readonly truncated: boolean) {
    super(message);
  }
}

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export async function openSource(path: string, name: string): Promise<ByteSource> {
  if (path === '-') return streamSource(process.stdin, name);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new CaptureFileError(name, describeSystemError(err));
  }
  const head = new Uint8Array(2);
  let headLength = 0;
  let regular: boolean;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new CaptureFileError(name, 'is a directory');
    regular = st.isFile();
    if (regular) headLength = readSync(fd, head, 0, head.length, 0);
  } catch (err) {
    closeSync(fd);
    throw err instanceof CaptureFileError ? err : new CaptureFileError(name, describeSystemError(err));
  }
  // A pipe or a device: from here the stream owns the fd and closes it.
  if (!regular) return streamSource(createReadStream(path, { fd }), name);
  return isGzip(head.subarray(0, headLength)) ? new StreamSource(gunzip(createReadStream(path, { fd })), true) : new FileSource(fd);
}

class FileSource implements ByteSource {
  readonly compressed = false;
  private fd: number | undefined;

  constructor(fd: number) {
    this.fd = fd;
  }

  async read(into: Uint8Array, at: number, length: number): Promise<number> {
    if (this.fd === undefined) return 0;
    try {
      return readSync(this.fd, into, at, length, null);
    } catch (err) {
      throw new SourceError(describeSystemError(err), false);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

class StreamSource implements ByteSource {
  private readonly chunks: AsyncIterator<Buffer>;
  private chunk: Buffer | undefined;
  private chunkAt = 0;

  constructor(private readonly stream: Readable, readonly compressed: boolean, head?: Buffer) {
    this.chunks = stream[Symbol.asyncIterator]();
    this.chunk = head;
  }

  /** Returns what one chunk holds rather than waiting to fill `length`: a live pipe should not stall. */
  async read(into: Uint8Array, at: number, length: number): Promise<number> {
    while (!this.chunk || this.chunkAt >= this.chunk.length) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunks.next();
      } catch (err) {
        throw streamError(err);
      }
      if (next.done) return 0;
      this.chunk = next.value;
      this.chunkAt = 0;
    }
    const n = Math.min(length, this.chunk.length - this.chunkAt);
    into.set(this.chunk.subarray(this.chunkAt, this.chunkAt + n), at);
    this.chunkAt += n;
    return n;
  }

  close(): void {
    this.chunk = undefined;
    this.stream.destroy();
  }
}

/** Opens a stream, looks at its first two bytes, and decompresses it if they are the gzip magic. */
async function streamSource(raw: Readable, name: string): Promise<ByteSource> {
  const head: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of raw.iterator({ destroyOnReturn: false })) {
      head.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= 2) break;
    }
  } catch (err) {
    raw.destroy();
    throw new CaptureFileError(name, describeSystemError(err));
  }
  const first = Buffer.concat(head);
  if (!isGzip(first)) return new StreamSource(raw, false, first);
  return new StreamSource(gunzip(Readable.from(prepend(first, raw), { objectMode: false })), true);
}

async function* prepend(head: Buffer, rest: Readable): AsyncGenerator<Buffer> {
  yield head;
  yield* rest.iterator({ destroyOnReturn: true }) as AsyncIterable<Buffer>;
}

/**
 * Not stream.pipeline: it destroys the gunzip stream on an error, dropping
 * the data decompressed before it (a bad CRC is only found at the very end).
 * Kept alive, the stream yields that data first and then the error.
 */
function gunzip(input: Readable): Readable {
  const inflated = createGunzip({ autoDestroy: false } as ZlibOptions);
  input.on('error', (err) => inflated.destroy(err));
  inflated.on('close', () => input.destroy());
  return input.pipe(inflated);
}

function streamError(err: unknown): SourceError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'Z_BUF_ERROR') return new SourceError('compressed data ends early', true);
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new SourceError(`cannot be decompressed; it may be damaged or corrupt (${(err as Error).message})`, false);
  }
  return new SourceError(describeSystemError(err), false);
}
