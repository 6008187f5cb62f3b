import type { homeZhCN } from './i18n.ts';

/** The same texts in en-US. */
export const homeEnUS: typeof homeZhCN = {
  scopeSelf: 'Myself',
  scopeOrg: 'My organisation',
  scopeAll: 'Whole platform',
  todo: 'To do',
  nothingToDo: 'Nothing to do',
  more: 'See all',
  district: {
    title: 'The district today',
    alarmsToday: 'Life-safety alarms today',
    openAlarms: 'Open life-safety alarms',
    ordersToday: 'Service orders today',
    sla: 'Acknowledged within 60 s today',
    overdueAssessments: 'Assessments overdue',
    pendingProviders: 'Providers awaiting approval',
    providersTodo: 'Providers awaiting approval',
    assessmentsTodo: 'Communities with most overdue assessments',
    overdueIn: '{{n}} overdue',
  },
  community: {
    title: 'To do in my area',
    dueAssessments: 'Assessments due within 30 days or overdue',
    openAlarms: 'Open life-safety alarms in my area',
    ordersToday: 'Service orders today',
    alarmsTodo: 'Open life-safety alarms',
    dueTodo: 'Elders due for assessment',
    neverAssessed: 'Never assessed',
    overdue: 'Overdue',
    dueOn: 'due {{date}}',
  },
  provider: {
    title: 'My organisation today',
    toAccept: 'To accept',
    toAssign: 'Accepted, no worker yet',
    inService: 'In service',
    onDuty: 'Workers on duty',
    acceptTodo: 'Orders to accept',
    staffTodo: 'Workers on duty',
  },
  decision: {
    actions: 'Actions',
    approveConfirm: 'Approve “{{name}}”? It can take orders once approved.',
    rejectConfirm: 'Reject “{{name}}”',
    rejectReason: 'Give the reason for the rejection (at least 2 characters)',
    approved: 'Approved',
    rejected: 'Rejected',
  },
  planned: {
    title: 'Your workspace',
    canteen:
      "Under meal assistance on the left: today's meals, same-day refunds, the week's menus, deliveries and monthly statements; for face-scan meals open the kiosk below. You can change your password at the top right.",
    institution:
      'The care-home module (beds, residents, care records) is planned. Today you can see the alarms of your devices in the alarm centre and the devices under device management and device health.',
    alarms: 'Open the alarm centre',
    kiosk: 'Open the kiosk',
  },
};
