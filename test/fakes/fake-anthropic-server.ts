// A fake Anthropic Messages API server for tests: text or tool-use (JSON) replies, JSON or SSE, on 127.0.0.1.
import {
  chunks,
  type RecordedRequest,
  type ReplySource,
  roughTokens,
  type ScriptedServer,
  startScriptedServer,
  writeEvents,
  writeJson,
} from './scripted-http-server.js';

/** A successful message: the reply text (sent as a `json` tool call when the client asked for one). */
export interface AnthropicSuccess {
  text: string;
  stopReason?: 'end_turn' | 'max_tokens';
  usage?: { inputTokens: number; outputTokens: number };
}

export type AnthropicReply = ReplySource<AnthropicSuccess>;

export interface FakeAnthropicServer extends ScriptedServer<AnthropicSuccess> {
  /** Base URL to give the client, `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
}

export interface MessagesBody {
  model: string;
  system?: string | { type: string; text: string }[];
  messages: { role: string; content: string | { type: string; text?: string }[] }[];
  tools?: { name: string; input_schema?: unknown }[];
  output_config?: { format?: { type: string; schema?: unknown } };
  max_tokens?: number;
  stream?: boolean;
}

export async function startFakeAnthropicServer(replies: AnthropicReply[] = []): Promise<FakeAnthropicServer> {
  const server = await startScriptedServer<AnthropicSuccess>('/v1/messages', async (request, reply, response) => {
    const body = request.body as MessagesBody;
    const usage = reply.usage ?? {
      inputTokens: roughTokens(JSON.stringify(body.messages)),
      outputTokens: roughTokens(reply.text),
    };
    const asTool = body.tools?.some((tool) => tool.name === 'json') === true && parsesAsObject(reply.text);
    const stopReason = asTool ? 'tool_use' : (reply.stopReason ?? 'end_turn');
    const id = `msg_${server.requests.length}`;
    const block = asTool
      ? { type: 'tool_use', id: 'toolu_1', name: 'json', input: JSON.parse(reply.text) as unknown }
      : { type: 'text', text: reply.text };
    if (!body.stream) {
      writeJson(response, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [block],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      });
      return;
    }
    const event = (type: string, data: object) => ({ event: type, data: JSON.stringify({ type, ...data }) });
    const startBlock = asTool ? { ...block, input: {} } : { type: 'text', text: '' };
    const deltas = chunks(reply.text).map((piece) =>
      event('content_block_delta', {
        index: 0,
        delta: asTool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece },
      }),
    );
    await writeEvents(response, [
      event('message_start', {
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.inputTokens, output_tokens: 0 },
        },
      }),
      event('content_block_start', { index: 0, content_block: startBlock }),
      ...deltas,
      event('content_block_stop', { index: 0 }),
      event('message_delta', {
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: usage.outputTokens },
      }),
      event('message_stop', {}),
    ]);
  });
  server.enqueue(...replies);
  return Object.assign(server, { baseUrl: `${server.url}/v1` });
}

/** The text of the system prompt and every message in a Messages request, joined. */
export function anthropicPromptText(request: RecordedRequest): string {
  const body = request.body as MessagesBody;
  const text = (content: string | { type: string; text?: string }[] | undefined) =>
    content === undefined
      ? ''
      : typeof content === 'string'
        ? content
        : content.map((part) => part.text ?? '').join('');
  return [text(body.system), ...body.messages.map((message) => text(message.content))].join('\n');
}

function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
