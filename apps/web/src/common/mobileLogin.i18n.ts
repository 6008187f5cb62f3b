/** Texts of the phone pages' login (/elder, /family): the SMS-code form first. Namespace `mobileLogin`. */
export const mobileLoginZhCN = {
  byCode: '验证码登录',
  byPassword: '密码登录',
  phone: '手机号',
  phoneHint: '请输入11位手机号',
  phoneInvalid: '请输入正确的11位手机号',
  code: '验证码',
  codeHint: '短信里的6位数字',
  codeInvalid: '请输入短信里的6位数字验证码',
  getCode: '获取验证码',
  sending: '正在发送…',
  resendIn: '{{seconds}}秒后可重新获取',
  codeSent: '验证码已发送，请查看手机短信（5分钟内有效）',
  needCodeFirst: '请先点“获取验证码”',
  submit: '登录',
};

export type MobileLoginTexts = typeof mobileLoginZhCN;
