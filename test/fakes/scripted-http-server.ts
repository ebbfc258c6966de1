// Shared core of the fake LLM servers: listen on 127.0.0.1, record requests, answer from a script.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake server saw it (headers lower-cased). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when there was none). */
  body: unknown;
}

/** Scripted outcomes every fake server understands. */
export type ScriptedReply<Success> =
  | (Success & { delayMs?: number })
  /** An HTTP error with a JSON body, e.g. 429 with `retry-after: 0`. */
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Closes the socket without answering (a network failure). */
  | { dropConnection: true }
  /** Answers exactly these bytes (any status, any content type): malformed bodies, event streams to plain requests. */
  | { raw: string; status?: number; contentType?: string; headers?: Record<string, string>; delayMs?: number }
  /** Starts a 200 answer with these bytes, then closes the socket mid-body (a dropped reply or stream). */
  | { truncated: string; contentType?: string }
  /** Starts a 200 answer with these bytes and never finishes it (a stream that never ends). */
  | { hang: string; contentType?: string };

/** A reply, or a function that builds one from the request (for long synthetic runs). */
export type ReplySource<Success> = ScriptedReply<Success> | ((request: RecordedRequest) => ScriptedReply<Success>);

export interface ScriptedServer<Success> {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Adds replies to the end of the queue. */
  enqueue(...replies: ReplySource<Success>[]): void;
  /** Used when the queue is empty; without one the server answers 418 "no scripted reply left". */
  setFallback(source: ((request: RecordedRequest) => ScriptedReply<Success>) | undefined): void;
  close(): Promise<void>;
}

export type SuccessWriter<Success> = (
  request: RecordedRequest,
  reply: Success,
  response: ServerResponse,
) => Promise<void> | void;

/** Starts a server on 127.0.0.1 (a free port) that answers `path` with the scripted replies. */
export async function startScriptedServer<Success extends object>(
  path: string,
  writeSuccess: SuccessWriter<Success>,
  preflight?: (request: RecordedRequest) => ScriptedReply<Success> | undefined,
): Promise<ScriptedServer<Success>> {
  const requests: RecordedRequest[] = [];
  const queue: ReplySource<Success>[] = [];
  let fallback: ((request: RecordedRequest) => ScriptedReply<Success>) | undefined;
  const server = createServer((incoming, response) => {
    void handle(incoming, response);
  });
  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const request = await readRequest(incoming);
    requests.push(request);
    if (request.method !== 'POST' || request.path !== path) {
      writeJson(response, 404, { error: { message: `fake server: no route ${request.method} ${request.path}` } });
      return;
    }
    const source = preflight?.(request) ?? queue.shift() ?? fallback;
    const reply: ScriptedReply<Success> =
      source === undefined
        ? { status: 418, body: { error: { message: 'fake server: no scripted reply left' } } }
        : typeof source === 'function'
          ? source(request)
          : source;
    if ('dropConnection' in reply) {
      response.socket?.destroy();
      return;
    }
    if ('truncated' in reply || 'hang' in reply) {
      response.writeHead(200, { 'content-type': reply.contentType ?? 'application/json' });
      response.write('truncated' in reply ? reply.truncated : reply.hang);
      if ('truncated' in reply) setTimeout(() => response.socket?.destroy(), 5);
      return;
    }
    if ('raw' in reply) {
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (response.destroyed) return;
      response.writeHead(reply.status ?? 200, {
        'content-type': reply.contentType ?? 'application/json',
        ...reply.headers,
      });
      response.end(reply.raw);
      return;
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed || response.writableEnded) return;
    if ('status' in reply && typeof reply.status === 'number') {
      writeJson(
        response,
        reply.status,
        reply.body ?? { error: { message: `fake error ${reply.status}` } },
        reply.headers,
      );
      return;
    }
    await writeSuccess(request, reply as Success, response);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setFallback: (source) => {
      fallback = source;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Writes server-sent events: one `data:` line per event (and `event:` when named), then ends. */
export async function writeEvents(
  response: ServerResponse,
  events: readonly { event?: string; data: string }[],
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const { event, data } of events) {
    if (response.destroyed) return;
    response.write(`${event ? `event: ${event}\n` : ''}data: ${data}\n\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  response.end();
}

/** Splits `text` into up to `count` pieces (for streaming it in chunks). */
export function chunks(text: string, count = 3): string[] {
  if (text === '') return [];
  const size = Math.max(1, Math.ceil(text.length / count));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

/** A rough token count for usage fields: one token per 4 characters. */
export function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

async function readRequest(incoming: IncomingMessage): Promise<RecordedRequest> {
  const parts: Buffer[] = [];
  for await (const part of incoming) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: incoming.method ?? 'GET',
    path: (incoming.url ?? '/').split('?')[0] ?? '/',
    headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}
