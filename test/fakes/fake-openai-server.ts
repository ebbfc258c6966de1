// A fake OpenAI-compatible chat-completions server for tests: JSON or SSE replies, scripted failures, on 127.0.0.1.
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

export type { RecordedRequest };

/** A successful completion: the reply text, how it finished, and optional token counts. */
export interface OpenAiSuccess {
  text: string;
  finishReason?: 'stop' | 'length';
  usage?: { inputTokens: number; outputTokens: number };
}

export type OpenAiReply = ReplySource<OpenAiSuccess>;

export interface FakeOpenAiServerOptions {
  /**
   * How the server treats `response_format: {type: 'json_schema'}`: `supported` accepts it, `ignored` accepts
   * and ignores it, `rejected` answers 400 like a server without structured output. Default `supported`.
   */
  jsonSchema?: 'supported' | 'ignored' | 'rejected';
  replies?: OpenAiReply[];
}

export interface FakeOpenAiServer extends ScriptedServer<OpenAiSuccess> {
  /** Base URL to give the client, `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
}

/** Chat-completion request bodies seen so far (parsed JSON). */
export interface ChatCompletionBody {
  model: string;
  messages: { role: string; content: string | { type: string; text?: string }[] }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } };
  max_tokens?: number;
  temperature?: number;
  seed?: number;
}

export async function startFakeOpenAiServer(options: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const jsonSchema = options.jsonSchema ?? 'supported';
  const server = await startScriptedServer<OpenAiSuccess>(
    '/v1/chat/completions',
    async (request, reply, response) => {
      const body = request.body as ChatCompletionBody;
      const usage = reply.usage ?? { inputTokens: promptTokens(body), outputTokens: roughTokens(reply.text) };
      const usageJson = {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
      };
      const finishReason = reply.finishReason ?? 'stop';
      const head = { id: `chatcmpl-${server.requests.length}`, created: 1_700_000_000, model: body.model };
      if (!body.stream) {
        writeJson(response, 200, {
          ...head,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: finishReason }],
          usage: usageJson,
        });
        return;
      }
      const chunk = (delta: object, finish: string | null) =>
        JSON.stringify({
          ...head,
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      const events = [
        { data: chunk({ role: 'assistant', content: '' }, null) },
        ...chunks(reply.text).map((piece) => ({ data: chunk({ content: piece }, null) })),
        { data: chunk({}, finishReason) },
        ...(body.stream_options?.include_usage
          ? [{ data: JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [], usage: usageJson }) }]
          : []),
        { data: '[DONE]' },
      ];
      await writeEvents(response, events);
    },
    (request) => {
      const body = request.body as ChatCompletionBody | undefined;
      if (jsonSchema === 'rejected' && body?.response_format?.type === 'json_schema') {
        return {
          status: 400,
          body: {
            error: { message: "response_format type 'json_schema' is not supported", type: 'invalid_request_error' },
          },
        };
      }
      return undefined;
    },
  );
  server.enqueue(...(options.replies ?? []));
  return Object.assign(server, { baseUrl: `${server.url}/v1` });
}

/** The text of every message in a chat-completion request, joined (for assertions on prompts). */
export function promptText(request: RecordedRequest): string {
  const body = request.body as ChatCompletionBody;
  return body.messages
    .map((message) =>
      typeof message.content === 'string' ? message.content : message.content.map((part) => part.text ?? '').join(''),
    )
    .join('\n');
}

function promptTokens(body: ChatCompletionBody): number {
  return roughTokens(JSON.stringify(body.messages));
}
