// Does the SSE framing keep any message content inside one data line and survive a round trip?
import { encodeSseEvent, parseSseEvents } from './sse-encoder';

describe('encodeSseEvent', () => {
  it('frames an event as event line, one data line, blank line', () => {
    expect(encodeSseEvent('delta', { content: 'Hi' })).toBe('event: delta\ndata: {"content":"Hi"}\n\n');
  });

  it('keeps newlines and SSE-looking text inside one data line', () => {
    const content = 'line one\n\nevent: done\r\ndata: {"fake":true}\n';
    const frame = encodeSseEvent('delta', { content });
    expect(frame.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
    const parsed = parseSseEvents(frame);
    expect(parsed).toEqual([{ event: 'delta', data: JSON.stringify({ content }) }]);
    expect(JSON.parse(parsed[0]!.data)).toEqual({ content });
  });

  it('round-trips a sequence of events', () => {
    const body =
      encodeSseEvent('delta', { content: 'a' }) +
      encodeSseEvent('delta', { content: 'b' }) +
      encodeSseEvent('done', { messageId: 'm1', usage: { promptTokens: 1, completionTokens: 2 } });
    expect(parseSseEvents(body).map((e) => e.event)).toEqual(['delta', 'delta', 'done']);
  });

  it('refuses an event name that could break the framing', () => {
    expect(() => encodeSseEvent('done\ndata: x' as never, {})).toThrow(TypeError);
  });
});
