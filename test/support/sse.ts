import type { TestApp } from './app.js';

export interface SseEvent {
  event: string;
  data: { runId?: string; commandId?: string; chunk?: string; state?: string; stream?: string };
  receivedAt: number;
}

/** An SSE client over fetch, as the console's would be; collects every event with its arrival time. */
export async function openEvents(t: TestApp, types: string) {
  const controller = new AbortController();
  const res = await fetch(`${t.server.url}/api/v1/events?types=${encodeURIComponent(types)}`, {
    headers: { authorization: `Bearer ${t.tokens.viewer}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`SSE: ${res.status}`);
  const events: SseEvent[] = [];
  let raw = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const bytes of res.body!) {
      const text = decoder.decode(bytes as Uint8Array, { stream: true });
      raw += text;
      buffer += text;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data) events.push({ event: name, data: (JSON.parse(data) as { data: SseEvent['data'] }).data, receivedAt: Date.now() });
      }
    }
  })().catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 50)); // the subscription is live once headers and the first comment came
  return {
    events,
    raw: () => raw,
    /** Bounded wait for an event the bus already delivered to reach this client over the socket. */
    waitFor: async (match: (e: SseEvent) => boolean) => {
      const deadline = Date.now() + 5000;
      while (!events.some(match)) {
        if (Date.now() > deadline) throw new Error('SSE event did not arrive within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
