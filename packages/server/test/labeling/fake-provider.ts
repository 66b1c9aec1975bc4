/**
 * A loopback stand-in for OpenAI, Anthropic and Gemini: speaks each wire format, records every
 * request, and answers like a cooperative model (one label per cluster in the prompt, built from
 * the cluster's frequent terms) unless a test installs its own behaviour.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type Wire = 'openai' | 'anthropic' | 'gemini';

export interface FakeProvider {
  url: string;
  requests: RecordedRequest[];
  /** Replace the behaviour; return undefined to fall back to the cooperative answer. */
  behave(handler: ((request: RecordedRequest, index: number) => FakeReply | undefined) | null): void;
  close(): Promise<void>;
}

export function wireOf(path: string): Wire {
  if (path.endsWith('/chat/completions')) return 'openai';
  if (path.endsWith('/v1/messages')) return 'anthropic';
  if (path.includes(':generateContent')) return 'gemini';
  throw new Error(`unknown provider path ${path}`);
}

/** The user prompt text of a recorded request, whatever its wire format. */
export function promptOf(request: RecordedRequest): string {
  const wire = wireOf(request.path);
  if (wire === 'openai') return request.body.messages.find((m: any) => m.role === 'user').content;
  if (wire === 'anthropic') return request.body.messages[0].content;
  return request.body.contents[0].parts[0].text;
}

/** Labels the clusters named in a prompt: "Topic <first frequent term>" (or the first sample's words). */
export function cooperativeAnswer(prompt: string): { clusters: Array<{ cluster_id: string; label: string; summary: string; keywords: string[] }> } {
  const clusters: Array<{ cluster_id: string; label: string; summary: string; keywords: string[] }> = [];
  const blocks = prompt.split('\n## Cluster ').slice(1);
  for (const block of blocks) {
    const header = block.split('\n')[0]!;
    const id = header.split(' ')[0]!;
    const hints = /frequent terms: ([^)]*)\)/.exec(header)?.[1]?.split(', ') ?? [];
    const firstSample = block.split('\n').find((l) => l.startsWith('- '))?.slice(2) ?? id;
    const name = hints[0] ?? firstSample.split(' ').slice(0, 2).join(' ');
    clusters.push({ cluster_id: id, label: `Topic ${name}`, summary: `Documents about ${name}.`, keywords: hints.slice(0, 3) });
  }
  return { clusters };
}

export function successBody(wire: Wire, answer: unknown): unknown {
  const text = JSON.stringify(answer);
  if (wire === 'openai') return { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] };
  if (wire === 'anthropic') return { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'record_cluster_labels', input: answer }], stop_reason: 'tool_use' };
  return { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP' }] };
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  let handler: ((request: RecordedRequest, index: number) => FakeReply | undefined) | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text === '' ? null : JSON.parse(text) };
      const index = requests.push(recorded) - 1;
      const reply = handler?.(recorded, index) ?? { status: 200, body: successBody(wireOf(recorded.path), cooperativeAnswer(promptOf(recorded))) };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Three topics of generated product/food/sport text: document i belongs to topic i % 3 unless told otherwise. */
export const TOPICS = [
  ['battery', 'charging', 'usb-c', 'cable', 'charger', 'power bank'],
  ['pasta', 'tomato sauce', 'recipe', 'garlic', 'basil', 'oven'],
  ['football', 'league', 'goal', 'match', 'striker', 'referee'],
] as const;

const FILLER = ['the', 'this', 'really', 'and', 'with', 'for', 'my', 'great', 'new', 'today', 'very', 'about', 'good', 'is', 'was'];

export function topicText(topic: number, seed: number): string {
  let s = (seed * 2654435761) >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const words: string[] = [];
  for (let i = 0; i < 10; i++) {
    words.push(rand() < 0.5 ? TOPICS[topic]![Math.floor(rand() * TOPICS[topic]!.length)]! : FILLER[Math.floor(rand() * FILLER.length)]!);
  }
  return words.join(' ');
}
