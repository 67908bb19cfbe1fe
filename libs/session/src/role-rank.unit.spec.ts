// Does the one rank rule allow exactly: self, owner over everyone else, admin over auditors and members?
import { decideActOn, mayGrant, roleRank } from './role-rank';
import { ROLES, type Role } from './session-claims';

const person = (role: Role, subjectId = `s-${role}`) => ({ subjectId, role });

describe('roleRank', () => {
  it('orders owner above admin above auditor and member, who rank equal', () => {
    expect(roleRank('owner')).toBeGreaterThan(roleRank('admin'));
    expect(roleRank('admin')).toBeGreaterThan(roleRank('member'));
    expect(roleRank('auditor')).toBe(roleRank('member'));
  });
});

describe('decideActOn', () => {
  // [actor, target, allowed] for two different people
  const table: Array<[Role, Role, boolean]> = [
    ['owner', 'owner', false],
    ['owner', 'admin', true],
    ['owner', 'auditor', true],
    ['owner', 'member', true],
    ['admin', 'owner', false],
    ['admin', 'admin', false],
    ['admin', 'auditor', true],
    ['admin', 'member', true],
    ['auditor', 'owner', false],
    ['auditor', 'admin', false],
    ['auditor', 'auditor', false],
    ['auditor', 'member', false],
    ['member', 'owner', false],
    ['member', 'admin', false],
    ['member', 'auditor', false],
    ['member', 'member', false],
  ];

  it('covers every pair of roles', () => {
    expect(table).toHaveLength(ROLES.length * ROLES.length);
  });

  it.each(table)('%s acting on another person who is %s: allowed=%s', (actorRole, targetRole, allowed) => {
    const decision = decideActOn(person(actorRole, 'actor'), person(targetRole, 'target'));
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) {
      expect(decision.error).toBe('rank_too_low');
      expect(decision.message).not.toContain('target');
    }
  });

  it.each(ROLES.map((r) => [r]))('a %s may always act on their own account', (role) => {
    expect(decideActOn(person(role, 'same'), person(role, 'same'))).toEqual({ allowed: true });
  });

  it("names the owner rule when the target is the owner", () => {
    const decision = decideActOn(person('admin'), person('owner'));
    expect(decision).toEqual({ allowed: false, error: 'rank_too_low', message: "nobody but the owner may act on the owner's account" });
  });

  it('names the actor role when the target ranks equal', () => {
    expect(decideActOn(person('admin', 'a1'), person('admin', 'a2'))).toMatchObject({ message: 'an admin may not act on an account of equal or higher rank' });
    expect(decideActOn(person('member', 'm1'), person('member', 'm2'))).toMatchObject({ message: 'a member may not act on an account of equal or higher rank' });
  });
});

describe('mayGrant', () => {
  it.each<[Role, Role, boolean]>([
    ['owner', 'owner', false],
    ['owner', 'admin', true],
    ['owner', 'auditor', true],
    ['owner', 'member', true],
    ['admin', 'owner', false],
    ['admin', 'admin', false],
    ['admin', 'auditor', true],
    ['admin', 'member', true],
    ['auditor', 'member', false],
    ['member', 'auditor', false],
  ])('%s granting %s: %s', (actor, role, allowed) => {
    expect(mayGrant(actor, role)).toBe(allowed);
  });
});
