/** Texts of the elder and family page (适老化): short, plain, large. */
export const elderTexts = {
  'zh-CN': {
    login: '登录',
    username: '账号',
    password: '密码',
    hello: '{{name}}，您好',
    balance: '您还有 {{points}} 积分',
    balanceWords: '够用 {{n}} 次{{item}}。政府送的积分，用来请人上门帮忙，不用自己花钱。',
    reserved: '另有 {{n}} 积分已预约占用。',
    purchase: '政府购买服务余额 {{yuan}} 元。',
    frozen: '账户已冻结，请联系社区。',
    today: '今天的上门服务',
    noVisit: '今天没有预约上门服务。',
    book: '预约服务',
    chooseService: '请选择服务',
    when: '上门时间',
    tomorrowMorning: '明天上午 9 点',
    tomorrowAfternoon: '明天下午 3 点',
    confirm: '确认预约',
    costs: '需要 {{points}} 积分',
    booked: '预约成功！服务人员会按时上门。',
    back: '返回',
    home: '回首页',
    read: '朗读',
    rate: '请为这次服务打分',
    thanks: '谢谢您的评价！',
    stars: '{{n}} 星',
    cancel: '取消预约',
    notEnough: '积分不够，请联系社区或家人。',
    status: {
      created: '正在安排服务商',
      dispatched: '已通知服务商',
      accepted: '服务商已接单',
      assigned: '已安排服务人员 {{worker}}',
      en_route: '服务人员 {{worker}} 正在路上',
      in_service: '服务人员 {{worker}} 正在为您服务',
      served: '服务已完成，请打分',
      confirmed: '服务已完成',
      settled: '服务已完成',
      cancelled: '已取消',
      voided: '已作废',
    } as Record<string, string>,
  },
  'en-US': {
    login: 'Log in',
    username: 'Username',
    password: 'Password',
    hello: 'Hello, {{name}}',
    balance: 'You have {{points}} points',
    balanceWords: 'Enough for {{n}} × {{item}}. Points are given by the government to pay for help at home.',
    reserved: '{{n}} more points are held for bookings.',
    purchase: 'Purchased-service balance: ¥{{yuan}}.',
    frozen: 'This account is frozen; please contact your community.',
    today: "Today's visit",
    noVisit: 'No visit booked for today.',
    book: 'Book a service',
    chooseService: 'Choose a service',
    when: 'When',
    tomorrowMorning: 'Tomorrow 9 am',
    tomorrowAfternoon: 'Tomorrow 3 pm',
    confirm: 'Confirm booking',
    costs: 'Costs {{points}} points',
    booked: 'Booked! The worker will come on time.',
    back: 'Back',
    home: 'Home',
    read: 'Read aloud',
    rate: 'Please rate this service',
    thanks: 'Thank you!',
    stars: '{{n}} stars',
    cancel: 'Cancel booking',
    notEnough: 'Not enough points; please contact your community or family.',
    status: {
      created: 'Finding a provider',
      dispatched: 'Provider notified',
      accepted: 'Provider accepted',
      assigned: 'Worker {{worker}} assigned',
      en_route: 'Worker {{worker}} is on the way',
      in_service: 'Worker {{worker}} is with you',
      served: 'Done — please rate it',
      confirmed: 'Done',
      settled: 'Done',
      cancelled: 'Cancelled',
      voided: 'Voided',
    } as Record<string, string>,
  },
};
export type ElderTexts = (typeof elderTexts)['zh-CN'];
export const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_, k) => String(v[k] ?? ''));

/** Read a text aloud in the page language (Web Speech API); silently nothing where unsupported. */
export function speak(text: string, lang: string) {
  if (!('speechSynthesis' in window)) return;
  window.speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = lang;
  u.rate = 0.85;
  window.speechSynthesis.speak(u);
}
