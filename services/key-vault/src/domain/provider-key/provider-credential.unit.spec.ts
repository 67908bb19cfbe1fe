// Does a sealed credential encode and decode losslessly, and is a malformed one refused?
import { decodeCredential, encodeCredential, MalformedCredential } from './provider-credential';

describe('provider credential', () => {
  it('round-trips provider, key and base URL', () => {
    const credential = { provider: 'openai-compatible' as const, apiKey: 'sk-x"y\\z-1234', baseUrl: 'http://127.0.0.1:7190/v1' };
    expect(decodeCredential(encodeCredential(credential))).toEqual(credential);
  });

  it.each(['not json', '{"p":"openai","k":1,"u":""}', '{"p":"nope","k":"x","u":""}', 'null'])(
    'refuses %s',
    (text) => {
      expect(() => decodeCredential(Buffer.from(text))).toThrow(MalformedCredential);
    },
  );
});
