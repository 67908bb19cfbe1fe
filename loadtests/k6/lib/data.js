// The run's data, written by loadtests/run-loadtest.js before k6 starts (sign-in needs the SMTP
// catcher, which k6 cannot read): URLs, member sessions and their conversations. The file holds
// bearer tokens: the runner creates it 0600 in a temp dir and deletes it afterwards.
//   k6 run --env LOADTEST_DATA=/abs/path.json --env MODE=stream|json <script>.js
const path = __ENV.LOADTEST_DATA;
if (!path) throw new Error('LOADTEST_DATA (path of the JSON written by loadtests/run-loadtest.js) is required');

export const DATA = JSON.parse(open(path));
export const MODE = (__ENV.MODE || 'stream').toLowerCase();
if (MODE !== 'stream' && MODE !== 'json') throw new Error(`MODE must be 'stream' or 'json', got '${MODE}'`);
if (!Array.isArray(DATA.members) || DATA.members.length === 0) throw new Error('LOADTEST_DATA has no members');

/** This VU's member and conversation: VUs spread over members first, then over conversations. */
export function seatOf(vu) {
  const members = DATA.members;
  const member = members[(vu - 1) % members.length];
  const round = Math.floor((vu - 1) / members.length);
  return { token: member.token, conversationId: member.conversations[round % member.conversations.length] };
}
