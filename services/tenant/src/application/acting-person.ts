import { NotAMemberError } from '../domain';
import type { Actor } from './ports';

/** The subject id of the person giving a membership command; a service never gives one. */
export function actingPerson(actor: Actor): string {
  if (actor.kind !== 'person') throw new NotAMemberError();
  return actor.subjectId;
}
