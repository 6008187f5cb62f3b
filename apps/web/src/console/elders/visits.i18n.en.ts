import type { VisitsTexts } from './visits.i18n.ts';

export const visitsEnUS: VisitsTexts = {
  title: 'Home visits',
  open: 'To visit',
  done: 'Visited',
  all: 'All',
  visit: 'Visit',
  elder: 'Elder',
  community: 'Community',
  reason: 'Reason',
  reasonUnreached: 'Not reached on {{days}} days ({{attempts}} dials)',
  reasonUnreachedShort: 'Care calls went unanswered',
  campaigns: 'Campaigns',
  createdAt: 'Created',
  markDone: 'Record visit',
  markDoneTitle: 'Record the home visit: {{name}}',
  note: 'What you found',
  notePlaceholder: 'e.g. at home and well; the phone had run out of credit, family told',
  doneSaved: 'Visit recorded',
  none: 'No elders to visit',
  noneAll: 'No home visits yet',
};
