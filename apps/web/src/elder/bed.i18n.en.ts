import type { phoneBedZhCN, Widen } from './bed.i18n.ts';

export const phoneBedEnUS: Widen<typeof phoneBedZhCN> = {
  title: 'Family care bed',
  status: { live: 'In service', suspended: 'Suspended', held: 'Last month short: subsidy held' },
  provider: 'Provider',
  call: 'Call the provider {{phone}}',
  noPhone: 'The provider has no phone on file; call the service centre',
  delivery: 'Home visits this month',
  deliveryCount: '{{done}} done of {{due}}',
  nextVisit: 'Next visit',
  nextVisitAt: '{{when}} {{item}}',
  noNextVisit: 'Not planned yet; please call the provider',
  devices: 'Bed devices',
  online: 'Online',
  offline: 'Offline',
  noDevices: 'No devices installed yet',
  alarms: 'Open alarms',
  alarmsCount: '{{n}}',
  noAlarms: 'None',
};
