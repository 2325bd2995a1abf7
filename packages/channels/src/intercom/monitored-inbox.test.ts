import { describe, expect, it } from 'vitest';
import { assignedElsewhere, checkMonitoredInbox } from './monitored-inbox';

const team = { bot_admin_id: '991', monitored_inbox: '5017691' };
const unassigned = { bot_admin_id: '991', monitored_inbox: 'unassigned' };

describe('the monitored inbox', () => {
  it.each([
    ['assigned to the agent itself', team, { admin_assignee_id: '991', team_assignee_id: '42' }],
    ['in the team inbox with no teammate on it', team, { admin_assignee_id: null, team_assignee_id: '5017691' }],
    ['in the team inbox, nobody reported as 0 (webhooks)', team, { admin_assignee_id: '0', team_assignee_id: '5017691' }],
    ['in Unassigned', unassigned, { admin_assignee_id: '0', team_assignee_id: '0' }],
    ['in Unassigned, nobody reported as null (REST API)', unassigned, { admin_assignee_id: null, team_assignee_id: null }],
  ])('handles a conversation %s', (_case, settings, conversation) => {
    expect(checkMonitoredInbox(conversation, settings)).toEqual({ monitored: true });
  });

  it.each([
    ['a teammate has', team, { admin_assignee_id: '274', team_assignee_id: '5017691' }, 'assigned to teammate 274'],
    ['another team has', team, { admin_assignee_id: null, team_assignee_id: '77' }, 'in team inbox 77, not 5017691'],
    ['is unassigned while a team inbox is monitored', team, { admin_assignee_id: '0', team_assignee_id: '0' }, 'unassigned, not in team inbox 5017691'],
    ['a team has while Unassigned is monitored', unassigned, { admin_assignee_id: null, team_assignee_id: '77' }, 'in team inbox 77, not Unassigned'],
  ])('leaves alone a conversation %s', (_case, settings, conversation, reason) => {
    expect(checkMonitoredInbox(conversation, settings)).toEqual({ monitored: false, reason });
  });

  it.each([
    ['a teammate has it', team, { admin_assignee_id: '274', team_assignee_id: '0' }, 'assigned to teammate 274'],
    ['another team has it', team, { admin_assignee_id: '0', team_assignee_id: '77' }, 'in team inbox 77, not 5017691'],
    ['a team has it while Unassigned is monitored', unassigned, { admin_assignee_id: null, team_assignee_id: '77' }, 'in team inbox 77, not Unassigned'],
    ['nobody has it yet (rules may still run): the worker judges', team, { admin_assignee_id: '0', team_assignee_id: '0' }, null],
    ['it is in the monitored inbox', team, { admin_assignee_id: null, team_assignee_id: '5017691' }, null],
    ['the payload names no assignee', team, {}, null],
  ])('from a webhook payload alone, drops a conversation only when someone else has it: %s', (_case, settings, conversation, reason) => {
    expect(assignedElsewhere(conversation, settings)).toBe(reason);
  });
});
