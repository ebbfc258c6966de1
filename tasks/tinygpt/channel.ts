// tinygpt's channel (protected) between the evaluator (score.ts) and the served model (train.ts --serve): length-
// prefixed frames over two pipes; each side reads fd 3 and writes fd 4 (BILEVEL_CHANNEL_FDS), or a child's pipes.
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** Frame types: the server's hello, a logits request and reply, an error. */
export const frameType = { hello: 1, request: 2, reply: 3, error: 4 } as const;

/** No frame may be larger (a reply of 4,096 positions × 256 logits is 4 MiB). */
const maxFrameBytes = 64 * 1024 * 1024;

/** Reads whole frames from a stream, in order. */
export class FrameReader {
  private buffered = Buffer.alloc(0);
  private waiting: { resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined;
  private ended: Error | undefined;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    stream.on('end', () => this.fail(new Error('the other side closed the channel')));
    stream.on('error', (error) => this.fail(error));
  }

  /** The next frame's payload; rejects when the other side closes or `seconds` pass. */
  next(seconds: number, what: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`${what} took longer than ${seconds} s`));
      }, seconds * 1000);
      this.waiting = {
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiting) return;
    if (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32LE(0);
      if (length > maxFrameBytes) {
        this.buffered = Buffer.alloc(0);
        this.fail(new Error(`a frame of ${length} bytes is too large`));
        return;
      }
      if (this.buffered.length >= 4 + length) {
        const frame = Buffer.from(this.buffered.subarray(4, 4 + length));
        this.buffered = this.buffered.subarray(4 + length);
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(frame);
        return;
      }
    }
    if (this.ended) {
      const { reject } = this.waiting;
      this.waiting = undefined;
      reject(this.ended);
    }
  }

  private fail(error: Error): void {
    this.ended ??= error;
    this.deliver();
  }
}

/** Writes one frame: its length, then its type byte and payload. */
export function writeFrame(stream: Writable, type: number, ...parts: ArrayBufferView[]): void {
  const length = 1 + parts.reduce((sum, part) => sum + part.byteLength, 0);
  const header = Buffer.alloc(5);
  header.writeUInt32LE(length, 0);
  header.writeUInt8(type, 4);
  stream.write(
    Buffer.concat([header, ...parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength))]),
  );
}

/** The channel bilevel set up for this process (fd 3 in, fd 4 out), or undefined when there is none. */
export function inheritedChannel(): { input: Socket; output: Socket } | undefined {
  const fds = process.env.BILEVEL_CHANNEL_FDS;
  if (!fds) return undefined;
  const [input, output] = fds.split(',').map(Number);
  return {
    input: new Socket({ fd: input!, readable: true, writable: false }),
    output: new Socket({ fd: output!, readable: false, writable: true }),
  };
}

/** Little-endian unsigned 32-bit integers as bytes. */
export function uint32s(...values: number[]): Buffer {
  const buffer = Buffer.alloc(4 * values.length);
  values.forEach((value, index) => {
    buffer.writeUInt32LE(value, 4 * index);
  });
  return buffer;
}
