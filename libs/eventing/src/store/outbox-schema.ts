import { Schema } from 'mongoose';

// The outbox of one event store: a small collection `<events>_outbox` next to the events. It holds
// only what the relay has not finished yet, so every read of it stays small on any backend (a
// FerretDB v1 find reads the whole collection whatever the indexes; MongoDB uses _id).
//
//   {_id: 'pos', seq}                            the relay's position: every seq <= it is done
//   {_id: 's:<seq>:c', kind: 'claim', seq, end, at, events: [event documents]}
//                                                one append's reserved numbers seq..end and its events
//   {_id: 's:<seq>:d', kind: 'decision', seq, end, ok}
//                                                whether that append's events are in the store
//
// The _id layout sorts the position first and each claim right before its decision, in seq order.
export const outboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String },
    seq: { type: Number, required: true },
    end: { type: Number },
    at: { type: Date },
    ok: { type: Boolean },
    events: { type: [Schema.Types.Mixed], default: undefined },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, strict: false },
);

export const POSITION_ID = 'pos';
const SEQ_DIGITS = 16; // Number.MAX_SAFE_INTEGER has 16 digits

export function claimId(seq: number): string {
  return `s:${String(seq).padStart(SEQ_DIGITS, '0')}:c`;
}

export function decisionId(seq: number): string {
  return `s:${String(seq).padStart(SEQ_DIGITS, '0')}:d`;
}
