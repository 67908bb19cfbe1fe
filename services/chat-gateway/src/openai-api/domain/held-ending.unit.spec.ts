// Which bytes of a relayed answer wait for its usage to be recorded: exactly the final [DONE]
// event onward (even when split across chunks), or the last chunk of a whole JSON answer?
import { heldEnding } from './held-ending';

function run(streaming: boolean, chunks: string[]) {
  const holder = heldEnding(streaming);
  const passed = chunks.map((c) => holder.pass(Buffer.from(c)).toString());
  return { passed, rest: holder.rest().toString() };
}

const usageLine = 'data: {"choices":[],"usage":{"prompt_tokens":3}}\n\n';

describe('held ending of a streamed answer', () => {
  it('passes every chunk through until the [DONE] event, and holds it', () => {
    const { passed, rest } = run(true, ['data: {"a":1}\n\n', usageLine, 'data: [DONE]\n\n']);
    expect(passed).toEqual(['data: {"a":1}\n\n', usageLine, '']);
    expect(rest).toBe('data: [DONE]\n\n');
  });

  it('holds [DONE] arriving in the same chunk as the usage, and whatever follows it', () => {
    const { passed, rest } = run(true, [`${usageLine}data: [DONE]\n\n`, ': trailing comment\n']);
    expect(passed).toEqual([usageLine, '']);
    expect(rest).toBe('data: [DONE]\n\n: trailing comment\n');
  });

  it('catches a marker split across chunks without delaying ordinary lines', () => {
    const { passed, rest } = run(true, [`${usageLine}data: [DO`, 'NE]\n\n']);
    expect(passed).toEqual([usageLine, '']);
    expect(rest).toBe('data: [DONE]\n\n');
    const ordinary = run(true, ['data: {"x"', ':1}\n\n']);
    expect(ordinary.passed.join('')).toBe('data: {"x":1}\n\n');
    expect(ordinary.rest).toBe('');
  });

  it('holds a line that may still become the marker, and releases it when it does not', () => {
    const { passed, rest } = run(true, ['data: {"a":1}\n\ndata', ': {"b":2}\n\n']);
    expect(passed).toEqual(['data: {"a":1}\n\n', 'data: {"b":2}\n\n']);
    expect(rest).toBe('');
  });

  it('accepts the marker without a space, and ignores the text inside a data line', () => {
    expect(run(true, ['data:[DONE]\n\n']).rest).toBe('data:[DONE]\n\n');
    const inside = run(true, ['data: {"content":"say data: [DONE] now"}\n\n']);
    expect(inside.rest).toBe('');
    expect(inside.passed).toEqual(['data: {"content":"say data: [DONE] now"}\n\n']);
  });

  it('holds nothing of an answer that never sends [DONE]', () => {
    expect(run(true, ['data: {"a":1}\n\n', usageLine]).rest).toBe('');
  });
});

describe('held ending of a whole JSON answer', () => {
  it('is always one chunk behind: the last chunk waits', () => {
    const { passed, rest } = run(false, ['{"id":', '"x","usage":', '{}}']);
    expect(passed).toEqual(['', '{"id":', '"x","usage":']);
    expect(rest).toBe('{}}');
  });
});
